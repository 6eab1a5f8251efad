package matter

import (
	"math"
	"strconv"
	"strings"

	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/money"
)

// The workbook layout shared by Export and Import: one sheet of matters
// (current versions), one of materials and one of online-form fields, both
// keyed by the 实施编码. Import reads what Export writes, so an exported
// file re-imports unchanged.
const (
	sheetMatters   = "事项"
	sheetMaterials = "申请材料"
	sheetFields    = "表单字段"
)

// matterRow is one parsed row of the matters sheet.
type matterRow struct {
	row     int
	in      MatterInput
	active  *bool
	version int // the version the row was exported at; 0 when the cell is blank
	bad     map[string]i18n.Msg
}

type materialRow struct {
	row  int
	code string
	seq  int
	m    Material
	bad  map[string]i18n.Msg
}

type fieldRow struct {
	row  int
	code string
	seq  int
	f    FormField
	bad  map[string]i18n.Msg
}

// exportCtx is what rendering a matter row needs besides the matter.
type exportCtx struct {
	deptNames map[string]string
}

// column is one column of a sheet over row type R (import) and value type
// V (export). set is nil for export-only columns, get for import-only ones.
type column[R, V any] struct {
	field, zh string
	width     float64
	get       func(v *V, x exportCtx) any
	set       func(r *R, s string) *i18n.Msg
}

func msg(zh, en string) *i18n.Msg { m := i18n.M(zh, en); return &m }

func textCell[R, V any](field, zh string, width float64, get func(*V) string, set func(*R) *string) column[R, V] {
	return column[R, V]{field: field, zh: zh, width: width,
		get: func(v *V, _ exportCtx) any { return get(v) },
		set: func(r *R, s string) *i18n.Msg { *set(r) = s; return nil }}
}

func intCell[R, V any](field, zh string, get func(*V) int, set func(*R) *int) column[R, V] {
	return column[R, V]{field: field, zh: zh, width: 10,
		get: func(v *V, _ exportCtx) any { return get(v) },
		set: func(r *R, s string) *i18n.Msg {
			n, ok := parseInt(s)
			if !ok {
				return msg("应为整数", "Must be a whole number")
			}
			*set(r) = n
			return nil
		}}
}

func boolCell[R, V any](field, zh string, get func(*V) bool, set func(*R) *bool) column[R, V] {
	return column[R, V]{field: field, zh: zh, width: 10,
		get: func(v *V, _ exportCtx) any { return yesNo(get(v)) },
		set: func(r *R, s string) *i18n.Msg {
			b, ok := parseBool(s)
			if !ok {
				return msg("应为“是”或“否”", "Must be 是 (yes) or 否 (no)")
			}
			*set(r) = b
			return nil
		}}
}

// labelCell exports a code as its Chinese label and imports a code or label
// unchanged; validation resolves it, so that the message is the same as a form's.
func labelCell[R, V any](field, zh string, opts []Option, get func(*V) string, set func(*R) *string) column[R, V] {
	return column[R, V]{field: field, zh: zh, width: 14,
		get: func(v *V, _ exportCtx) any { return label(opts, get(v)).Zh },
		set: func(r *R, s string) *i18n.Msg { *set(r) = s; return nil }}
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// parseInt reads a whole number; XLSX numbers may come as "3" or "3.0".
func parseInt(s string) (int, bool) {
	if n, err := strconv.Atoi(s); err == nil {
		return n, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1e9 {
		return 0, false
	}
	return int(f), true
}

func parseBool(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "是", "y", "yes", "true", "1", "√", "✓":
		return true, true
	case "否", "n", "no", "false", "0", "×":
		return false, true
	}
	return false, false
}

// splitList splits a cell listing several values.
func splitList(s string, seps string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(seps, r) }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// feeFree are the words a fee cell may hold for "no fee".
var feeFree = []string{"不收费", "免费", "无", "0", "0.00"}

var matterColumns = []column[matterRow, Matter]{
	textCell("code", "实施编码", 30, func(m *Matter) string { return m.Code }, func(r *matterRow) *string { return &r.in.Code }),
	textCell("basic_code", "基本编码", 16, func(m *Matter) string { return m.BasicCode }, func(r *matterRow) *string { return &r.in.BasicCode }),
	textCell("name", "事项名称", 36, func(m *Matter) string { return m.Current.Name }, func(r *matterRow) *string { return &r.in.Name }),
	textCell("name_en", "英文名称", 36, func(m *Matter) string { return m.Current.NameEn }, func(r *matterRow) *string { return &r.in.NameEn }),
	labelCell("type", "事项类型", typeOptions(), func(m *Matter) string { return m.Current.Type }, func(r *matterRow) *string { return &r.in.Type }),
	textCell("department_code", "实施部门编码", 12, func(m *Matter) string { return m.Current.DepartmentCode }, func(r *matterRow) *string { return &r.in.DepartmentCode }),
	{field: "department_name", zh: "实施部门", width: 20, get: func(m *Matter, x exportCtx) any { return x.deptNames[m.Current.DepartmentCode] }},
	labelCell("exercise_level", "行使层级", ExerciseLevels, func(m *Matter) string { return m.Current.ExerciseLevel }, func(r *matterRow) *string { return &r.in.ExerciseLevel }),
	textCell("legal_basis", "设定依据", 50, func(m *Matter) string { return m.Current.LegalBasis }, func(r *matterRow) *string { return &r.in.LegalBasis }),
	intCell("legal_limit_days", "法定办结时限（工作日）", func(m *Matter) int { return m.Current.LegalLimitDays }, func(r *matterRow) *int { return &r.in.LegalLimitDays }),
	intCell("committed_limit_days", "承诺办结时限（工作日）", func(m *Matter) int { return m.Current.CommittedLimitDays }, func(r *matterRow) *int { return &r.in.CommittedLimitDays }),
	textCell("limit_note", "时限说明", 30, func(m *Matter) string { return m.Current.LimitNote }, func(r *matterRow) *string { return &r.in.LimitNote }),
	labelCell("case_type", "办件类型", CaseTypes, func(m *Matter) string { return m.Current.CaseType }, func(r *matterRow) *string { return &r.in.CaseType }),
	{field: "visits", zh: "到办事现场次数", width: 10,
		get: func(m *Matter, _ exportCtx) any { return m.Current.Visits },
		set: func(r *matterRow, s string) *i18n.Msg {
			if s == "2+" || s == "2次及以上" {
				s = "2"
			}
			n, ok := parseInt(strings.TrimSuffix(s, "次"))
			if !ok {
				return msg("应为 0、1 或 2（2 表示 2 次及以上）", "Must be 0, 1 or 2 (two or more)")
			}
			r.in.Visits = n
			return nil
		}},
	{field: "online_depth", zh: "网上办理深度", width: 10,
		get: func(m *Matter, _ exportCtx) any { return m.Current.OnlineDepth },
		set: func(r *matterRow, s string) *i18n.Msg {
			if code, ok := resolve(Depths, s); ok {
				s = code
			}
			n, ok := parseInt(s)
			if !ok {
				return msg("应为 1–4 或深度名称（如全程网办）", "Must be 1–4 or the depth's name")
			}
			r.in.OnlineDepth = n
			return nil
		}},
	boolCell("mail_delivery", "支持物流快递", func(m *Matter) bool { return m.Current.MailDelivery }, func(r *matterRow) *bool { return &r.in.MailDelivery }),
	{field: "fee_yuan", zh: "收费标准（元）", width: 12,
		get: func(m *Matter, _ exportCtx) any {
			if m.Current.FeeFen == nil {
				return "不收费"
			}
			return float64(*m.Current.FeeFen) / money.FenPerYuan
		},
		set: func(r *matterRow, s string) *i18n.Msg {
			for _, w := range feeFree {
				if s == w {
					r.in.FeeFen = nil
					return nil
				}
			}
			fen, ok := parseYuanCell(s)
			if !ok {
				return msg("金额应以元为单位，最多两位小数；不收费请填“不收费”", "An amount in yuan with at most two decimals, or 不收费 for no fee")
			}
			r.in.FeeFen = &fen
			return nil
		}},
	textCell("fee_basis", "收费依据", 30, func(m *Matter) string { return m.Current.FeeBasis }, func(r *matterRow) *string { return &r.in.FeeBasis }),
	textCell("accept_conditions", "受理条件", 40, func(m *Matter) string { return m.Current.AcceptConditions }, func(r *matterRow) *string { return &r.in.AcceptConditions }),
	textCell("process", "办理流程", 40, func(m *Matter) string { return m.Current.Process }, func(r *matterRow) *string { return &r.in.Process }),
	textCell("location", "办理地点", 30, func(m *Matter) string { return m.Current.Location }, func(r *matterRow) *string { return &r.in.Location }),
	textCell("hours", "办理时间", 24, func(m *Matter) string { return m.Current.Hours }, func(r *matterRow) *string { return &r.in.Hours }),
	textCell("consult_phone", "咨询电话", 16, func(m *Matter) string { return m.Current.ConsultPhone }, func(r *matterRow) *string { return &r.in.ConsultPhone }),
	textCell("complaint_phone", "投诉电话", 16, func(m *Matter) string { return m.Current.ComplaintPhone }, func(r *matterRow) *string { return &r.in.ComplaintPhone }),
	textCell("result_name", "办理结果", 20, func(m *Matter) string { return m.Current.ResultName }, func(r *matterRow) *string { return &r.in.ResultName }),
	{field: "events", zh: "主题", width: 20,
		get: func(m *Matter, _ exportCtx) any {
			var names []string
			for _, e := range m.Current.Events {
				names = append(names, EventLabel(e).Zh)
			}
			return strings.Join(names, "、")
		},
		set: func(r *matterRow, s string) *i18n.Msg { r.in.Events = splitList(s, "、,，;；|"); return nil }},
	{field: "flags", zh: "改革标签", width: 24,
		get: func(m *Matter, _ exportCtx) any {
			var names []string
			for _, f := range m.Current.Flags().List() {
				names = append(names, FlagLabel(f).Zh)
			}
			if len(m.InBundles) > 0 {
				names = append(names, FlagLabel(FlagInBundle).Zh)
			}
			return strings.Join(names, "、")
		}},
	{field: "active", zh: "是否启用", width: 10,
		get: func(m *Matter, _ exportCtx) any { return yesNo(m.Active) },
		set: func(r *matterRow, s string) *i18n.Msg {
			b, ok := parseBool(s)
			if !ok {
				return msg("应为“是”或“否”", "Must be 是 (yes) or 否 (no)")
			}
			r.active = &b
			return nil
		}},
	{field: "version", zh: "版本", width: 8,
		get: func(m *Matter, _ exportCtx) any { return m.Versions },
		set: func(r *matterRow, s string) *i18n.Msg {
			n, ok := parseInt(s)
			if !ok || n < 1 {
				return msg("版本应为正整数（导出时的版本号）", "The version is a positive whole number (as exported)")
			}
			r.version = n
			return nil
		}},
	// Left blank on export: it describes the edit an imported row makes.
	{field: "change_note", zh: "修改说明", width: 24,
		get: func(*Matter, exportCtx) any { return "" },
		set: func(r *matterRow, s string) *i18n.Msg { r.in.ChangeNote = s; return nil }},
}

// materialView is an exported material with its matter's code.
type materialView struct {
	code string
	m    Material
}

var materialColumns = []column[materialRow, materialView]{
	textCell("matter_code", "实施编码", 30, func(v *materialView) string { return v.code }, func(r *materialRow) *string { return &r.code }),
	intCell("seq", "序号", func(v *materialView) int { return v.m.Seq }, func(r *materialRow) *int { return &r.seq }),
	textCell("name", "材料名称", 40, func(v *materialView) string { return v.m.Name }, func(r *materialRow) *string { return &r.m.Name }),
	boolCell("required", "是否必要", func(v *materialView) bool { return v.m.Required }, func(r *materialRow) *bool { return &r.m.Required }),
	labelCell("form", "材料形式", MaterialForms, func(v *materialView) string { return v.m.Form }, func(r *materialRow) *string { return &r.m.Form }),
	intCell("copies", "份数", func(v *materialView) int { return v.m.Copies }, func(r *materialRow) *int { return &r.m.Copies }),
	labelCell("source", "材料来源", MaterialSources, func(v *materialView) string { return v.m.Source }, func(r *materialRow) *string { return &r.m.Source }),
	textCell("source_ref", "来源说明", 20, func(v *materialView) string { return v.m.SourceRef }, func(r *materialRow) *string { return &r.m.SourceRef }),
	textCell("note", "备注", 30, func(v *materialView) string { return v.m.Note }, func(r *materialRow) *string { return &r.m.Note }),
}

type fieldView struct {
	code string
	seq  int
	f    FormField
}

var fieldColumns = []column[fieldRow, fieldView]{
	textCell("matter_code", "实施编码", 30, func(v *fieldView) string { return v.code }, func(r *fieldRow) *string { return &r.code }),
	intCell("seq", "序号", func(v *fieldView) int { return v.seq }, func(r *fieldRow) *int { return &r.seq }),
	textCell("name", "字段名", 20, func(v *fieldView) string { return v.f.Name }, func(r *fieldRow) *string { return &r.f.Name }),
	textCell("label_zh", "中文标签", 20, func(v *fieldView) string { return v.f.LabelZh }, func(r *fieldRow) *string { return &r.f.LabelZh }),
	textCell("label_en", "英文标签", 20, func(v *fieldView) string { return v.f.LabelEn }, func(r *fieldRow) *string { return &r.f.LabelEn }),
	textCell("type", "字段类型", 10, func(v *fieldView) string { return v.f.Type }, func(r *fieldRow) *string { return &r.f.Type }),
	boolCell("required", "是否必填", func(v *fieldView) bool { return v.f.Required }, func(r *fieldRow) *bool { return &r.f.Required }),
	{field: "options", zh: "选项（以 | 分隔）", width: 24,
		get: func(v *fieldView, _ exportCtx) any { return strings.Join(v.f.Options, "|") },
		set: func(r *fieldRow, s string) *i18n.Msg { r.f.Options = splitList(s, "|"); return nil }},
	textCell("prefill", "预填字段", 16, func(v *fieldView) string { return v.f.Prefill }, func(r *fieldRow) *string { return &r.f.Prefill }),
}

// parseYuanCell reads an amount of yuan. XLSX number cells may carry binary
// floating-point noise ("12.300000000000001"); such a value is accepted when
// it is within rounding error of a whole number of fen.
func parseYuanCell(s string) (int64, bool) {
	if fen, err := money.ParseYuan(s); err == nil {
		return fen, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) || math.Abs(f) > 1e13 {
		return 0, false
	}
	fen := math.Round(f * 100)
	if math.Abs(f*100-fen) > 1e-6 {
		return 0, false
	}
	return int64(fen), true
}

// headerKey normalises a header cell for matching: no spaces, half-width
// brackets, lower case.
func headerKey(s string) string {
	s = strings.NewReplacer("（", "(", "）", ")", " ", "", "\u3000", "", "\uFEFF", "").Replace(strings.TrimSpace(s))
	return strings.ToLower(s)
}

// headerIndex maps a sheet's accepted headers (Chinese, field name) to
// column positions.
func headerIndex[R, V any](cols []column[R, V]) map[string]int {
	out := map[string]int{}
	for i, c := range cols {
		out[headerKey(c.zh)] = i
		out[headerKey(c.field)] = i
	}
	return out
}

// formulaStart are the characters that make a spreadsheet treat a text
// cell as a formula (CSV/formula injection, OWASP).
const formulaStart = "=+-@\t\r"

// escapeFormula prefixes text that a spreadsheet would evaluate with a
// single quote.
func escapeFormula(s string) string {
	if s != "" && strings.IndexByte(formulaStart, s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// unescapeFormula undoes escapeFormula, so that an export re-imports unchanged.
func unescapeFormula(s string) string {
	if len(s) >= 2 && s[0] == '\'' && strings.IndexByte(formulaStart, s[1]) >= 0 {
		return s[1:]
	}
	return s
}
