package enterprise

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/money"
)

// column is one column of the bulk import/export sheet. Import and export
// share this table so that an exported file re-imports unchanged.
type column struct {
	field  string  // API field name, also accepted as a header
	zh, en string  // headers; export writes zh
	width  float64 // export column width, in characters
	money  bool    // exported as a number of yuan with two decimals
	// read parses a trimmed, non-blank cell into r and returns a message when
	// the text is not in the column's format; nil for export-only columns.
	// Range and vocabulary checks are left to Input.apply, so that an import
	// row is validated exactly like a form.
	read func(r *importRow, v string, c cellCtx) *i18n.Msg
	// write returns the exported value: string, int64, float64 or nil.
	write func(e *Enterprise) any
}

// cellCtx is what parsing a cell needs besides its text.
type cellCtx struct {
	xlsx     bool // the text is an XLSX raw cell value (numbers unformatted, dates as serials)
	date1904 bool // the workbook counts dates from 1904 (old Mac Excel)
}

// importRow is one parsed data row.
type importRow struct {
	row     int
	in      Input
	tags    []tagCell // the tags cell, merged with the tags held before writing
	hasTags bool
	bad     map[string]i18n.Msg // cells not in their column's format, by field
}

// tagCell is one entry of the tags cell: a code or name and, when written
// as 名称[起始日~截止日], its validity.
type tagCell struct {
	key      string
	from, to string
	dated    bool
}

func textCol(field, zh, en string, width float64, dst func(*Input) *Maybe[string], src func(*Enterprise) string) column {
	return column{field: field, zh: zh, en: en, width: width,
		read: func(r *importRow, v string, _ cellCtx) *i18n.Msg {
			*dst(&r.in) = Some(v)
			return nil
		},
		write: func(e *Enterprise) any { return src(e) },
	}
}

func moneyCol(field, zh, en string, dst func(*Input) *Maybe[int64], src func(*Enterprise) *int64) column {
	return column{field: field, zh: zh, en: en, width: 18, money: true,
		read: func(r *importRow, v string, c cellCtx) *i18n.Msg {
			fen, ok := parseYuanCell(v, c)
			if !ok {
				m := i18n.M("金额应以元为单位，最多两位小数，如 1234.56", "Amounts are in yuan with at most two decimals, e.g. 1234.56")
				return &m
			}
			*dst(&r.in) = Some(fen)
			return nil
		},
		write: func(e *Enterprise) any {
			if p := src(e); p != nil {
				// float64 holds every fen amount below 2^53 fen exactly enough
				// that excelize's shortest formatting gives the two decimals back.
				return float64(*p) / money.FenPerYuan
			}
			return nil
		},
	}
}

func countCol(field, zh, en string, dst func(*Input) *Maybe[int64], src func(*Enterprise) *int64) column {
	return column{field: field, zh: zh, en: en, width: 10,
		read: func(r *importRow, v string, c cellCtx) *i18n.Msg {
			n, ok := parseIntCell(v, c)
			if !ok {
				m := i18n.M("应为整数", "Must be a whole number")
				return &m
			}
			*dst(&r.in) = Some(n)
			return nil
		},
		write: func(e *Enterprise) any {
			if p := src(e); p != nil {
				return *p
			}
			return nil
		},
	}
}

// columns is the sheet layout, in export order. The last two are derived
// and export-only.
var columns = []column{
	textCol("credit_code", "统一社会信用代码", "Credit code", 22,
		func(in *Input) *Maybe[string] { return &in.CreditCode }, func(e *Enterprise) string { return e.CreditCode }),
	textCol("name", "企业名称", "Name", 36,
		func(in *Input) *Maybe[string] { return &in.Name }, func(e *Enterprise) string { return e.Name }),
	textCol("legal_rep", "法定代表人", "Legal representative", 12,
		func(in *Input) *Maybe[string] { return &in.LegalRep }, func(e *Enterprise) string { return e.LegalRep }),
	{field: "registered_on", zh: "成立日期", en: "Registered on", width: 12,
		read: func(r *importRow, v string, c cellCtx) *i18n.Msg {
			d, ok := parseDateCell(v, c)
			if !ok {
				m := i18n.M("日期格式应为 YYYY-MM-DD", "Date must be YYYY-MM-DD")
				return &m
			}
			r.in.RegisteredOn = Some(d)
			return nil
		},
		write: func(e *Enterprise) any { return e.RegisteredOn },
	},
	textCol("region_code", "区划代码", "Region code", 12,
		func(in *Input) *Maybe[string] { return &in.RegionCode }, func(e *Enterprise) string { return e.RegionCode }),
	textCol("address", "地址", "Address", 40,
		func(in *Input) *Maybe[string] { return &in.Address }, func(e *Enterprise) string { return e.Address }),
	textCol("industry_code", "行业代码", "Industry code", 10,
		func(in *Input) *Maybe[string] { return &in.IndustryCode }, func(e *Enterprise) string { return e.IndustryCode }),
	{field: "ownership", zh: "登记注册类型", en: "Ownership", width: 16,
		read: func(r *importRow, v string, _ cellCtx) *i18n.Msg {
			// People type the name; the form stores the code. An unknown
			// value passes through so that apply reports it.
			for _, o := range Ownerships {
				if v == o.Name.Zh || strings.EqualFold(v, o.Name.En) || strings.EqualFold(v, o.Code) {
					v = o.Code
					break
				}
			}
			r.in.Ownership = Some(v)
			return nil
		},
		write: func(e *Enterprise) any {
			for _, o := range Ownerships {
				if o.Code == e.Ownership {
					return o.Name.Zh
				}
			}
			return e.Ownership
		},
	},
	moneyCol("registered_capital_yuan", "注册资本（元）", "Registered capital (yuan)",
		func(in *Input) *Maybe[int64] { return &in.RegisteredCapitalFen }, func(e *Enterprise) *int64 { return e.RegisteredCapitalFen }),
	textCol("contact_name", "联系人", "Contact name", 10,
		func(in *Input) *Maybe[string] { return &in.ContactName }, func(e *Enterprise) string { return e.ContactName }),
	textCol("contact_phone", "联系电话", "Contact phone", 16,
		func(in *Input) *Maybe[string] { return &in.ContactPhone }, func(e *Enterprise) string { return e.ContactPhone }),
	textCol("business_scope", "经营范围", "Business scope", 50,
		func(in *Input) *Maybe[string] { return &in.BusinessScope }, func(e *Enterprise) string { return e.BusinessScope }),
	textCol("tax_credit_grade", "纳税信用级别", "Tax credit grade", 8,
		func(in *Input) *Maybe[string] { return &in.TaxCreditGrade }, func(e *Enterprise) string { return e.TaxCreditGrade }),
	{field: "fiscal_year", zh: "年度", en: "Fiscal year", width: 8,
		read: func(r *importRow, v string, c cellCtx) *i18n.Msg {
			n, ok := parseIntCell(v, c)
			if !ok || n < 1000 || n > 9999 {
				m := i18n.M("年度应为四位年份，如 2025", "Fiscal year must be a four-digit year, e.g. 2025")
				return &m
			}
			r.in.FiscalYear = int(n)
			return nil
		},
		write: func(e *Enterprise) any {
			if e.Facts.FiscalYear == 0 {
				return nil
			}
			return int64(e.Facts.FiscalYear)
		},
	},
	countCol("employees", "从业人员", "Employees",
		func(in *Input) *Maybe[int64] { return &in.Employees }, func(e *Enterprise) *int64 { return e.Facts.Employees }),
	moneyCol("revenue_yuan", "营业收入（元）", "Revenue (yuan)",
		func(in *Input) *Maybe[int64] { return &in.RevenueFen }, func(e *Enterprise) *int64 { return e.Facts.RevenueFen }),
	moneyCol("assets_yuan", "资产总额（元）", "Assets (yuan)",
		func(in *Input) *Maybe[int64] { return &in.AssetsFen }, func(e *Enterprise) *int64 { return e.Facts.AssetsFen }),
	moneyCol("taxable_income_yuan", "应纳税所得额（元）", "Taxable income (yuan)",
		func(in *Input) *Maybe[int64] { return &in.TaxableIncomeFen }, func(e *Enterprise) *int64 { return e.Facts.TaxableIncomeFen }),
	moneyCol("rd_expense_yuan", "研发费用（元）", "R&D expense (yuan)",
		func(in *Input) *Maybe[int64] { return &in.RDExpenseFen }, func(e *Enterprise) *int64 { return e.Facts.RDExpenseFen }),
	countCol("tech_staff", "科技人员", "Tech staff",
		func(in *Input) *Maybe[int64] { return &in.TechStaff }, func(e *Enterprise) *int64 { return e.Facts.TechStaff }),
	moneyCol("exports_yuan", "出口额（元）", "Exports (yuan)",
		func(in *Input) *Maybe[int64] { return &in.ExportsFen }, func(e *Enterprise) *int64 { return e.Facts.ExportsFen }),
	moneyCol("hightech_revenue_yuan", "高新技术产品（服务）收入（元）", "High-tech products and services revenue (yuan)",
		func(in *Input) *Maybe[int64] { return &in.HighTechRevenueFen }, func(e *Enterprise) *int64 { return e.Facts.HighTechRevenueFen }),
	moneyCol("costs_yuan", "成本费用支出总额（元）", "Total costs and expenses (yuan)",
		func(in *Input) *Maybe[int64] { return &in.CostsFen }, func(e *Enterprise) *int64 { return e.Facts.CostsFen }),
	countCol("ip_class1", "Ⅰ类知识产权（件）", "Class I intellectual property",
		func(in *Input) *Maybe[int64] { return &in.IPClass1 }, func(e *Enterprise) *int64 { return e.Facts.IPClass1 }),
	countCol("ip_class2", "Ⅱ类知识产权（件）", "Class II intellectual property",
		func(in *Input) *Maybe[int64] { return &in.IPClass2 }, func(e *Enterprise) *int64 { return e.Facts.IPClass2 }),
	{field: "tags", zh: "资质标签", en: "Tags", width: 30,
		read: func(r *importRow, v string, c cellCtx) *i18n.Msg {
			tags, ok := parseTagsCell(v, c)
			if !ok {
				m := i18n.M("资质标签的有效期应写作 名称[起始日~截止日]，日期为 YYYY-MM-DD",
					"Write a tag's validity as name[from~to] with YYYY-MM-DD dates")
				return &m
			}
			if len(tags) > 0 {
				r.tags, r.hasTags = tags, true
			}
			return nil
		},
		write: func(e *Enterprise) any { return formatTags(e.Tags) },
	},
	{field: "size", zh: "企业规模", en: "Size", width: 10,
		write: func(e *Enterprise) any { return e.Size.Class.Name().Zh }},
	{field: "above_scale", zh: "规上", en: "Above scale", width: 6,
		write: func(e *Enterprise) any {
			switch {
			case e.AboveScale.Status == nil:
				return ""
			case *e.AboveScale.Status:
				return "是"
			}
			return "否"
		}},
}

// headerIndex maps every accepted header spelling to its column.
var headerIndex = func() map[string]int {
	m := map[string]int{}
	for i, c := range columns {
		for _, h := range []string{c.zh, c.en, c.field} {
			k := headerKey(h)
			if j, dup := m[k]; dup && j != i {
				panic(fmt.Sprintf("enterprise: header %q names both %s and %s", h, columns[j].field, c.field))
			}
			m[k] = i
		}
	}
	return m
}()

// headerKey folds the spellings of a header people produce by hand: case,
// surrounding and inner spaces, full-width parentheses.
func headerKey(h string) string {
	h = strings.NewReplacer("（", "(", "）", ")").Replace(strings.ToLower(h))
	return strings.Join(strings.Fields(h), "")
}

// columnOrder ranks fields in sheet order, for sorting a row's errors.
func columnOrder(field string) int {
	for i, c := range columns {
		if c.field == field {
			return i
		}
	}
	return len(columns)
}

// formulaStart are the characters that make a spreadsheet treat a text cell
// as a formula (OWASP "CSV Injection").
const formulaStart = "=+-@\t\r"

// escapeFormula prefixes text that a spreadsheet would evaluate with a
// single quote.
func escapeFormula(s string) string {
	if s != "" && strings.IndexByte(formulaStart, s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// unescapeFormula undoes escapeFormula, so that an export re-imports
// unchanged.
func unescapeFormula(s string) string {
	if len(s) >= 2 && s[0] == '\'' && strings.IndexByte(formulaStart, s[1]) >= 0 {
		return s[1:]
	}
	return s
}

// parseYuanCell reads an amount of yuan. XLSX number cells may carry binary
// floating-point noise ("1234.5599999999999"); such a value is accepted when
// it is within rounding error of a whole number of fen.
func parseYuanCell(v string, c cellCtx) (int64, bool) {
	if fen, err := money.ParseYuan(v); err == nil {
		return fen, true
	}
	if !c.xlsx {
		return 0, false
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.Abs(f) >= 1e13 {
		return 0, false
	}
	fen := math.Round(f * money.FenPerYuan)
	if math.Abs(f*money.FenPerYuan-fen) > 1e-6*math.Max(1, math.Abs(fen)) {
		return 0, false
	}
	return int64(fen), true
}

// parseIntCell reads a whole number, allowing thousands separators and, in
// XLSX, a float with no fractional part.
func parseIntCell(v string, c cellCtx) (int64, bool) {
	v = strings.ReplaceAll(v, ",", "")
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return n, true
	}
	if !c.xlsx {
		return 0, false
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return int64(f), true
}

var (
	dateYMD     = regexp.MustCompile(`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$`)
	dateZh      = regexp.MustCompile(`^(\d{4})年(\d{1,2})月(\d{1,2})日?$`)
	dateDigits  = regexp.MustCompile(`^\d{8}$`)
	timeSuffix  = regexp.MustCompile(`[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$`)
	excelSerial = regexp.MustCompile(`^\d{1,6}(\.\d+)?$`)
)

// parseDateCell normalises the date spellings found in spreadsheets to
// YYYY-MM-DD: 2015-06-18, 2015/6/18, 2015.6.18, 2015年6月18日, 20150618, a
// trailing 00:00 time, and Excel date cells (day serials).
func parseDateCell(v string, c cellCtx) (string, bool) {
	if c.xlsx && excelSerial.MatchString(v) && !dateDigits.MatchString(v) {
		f, _ := strconv.ParseFloat(v, 64)
		if f < 1 {
			return "", false
		}
		t, err := excelize.ExcelDateToTime(f, c.date1904)
		if err != nil {
			return "", false
		}
		return t.Format(time.DateOnly), true
	}
	v = timeSuffix.ReplaceAllString(v, "")
	var y, m, d string
	switch {
	case dateDigits.MatchString(v):
		y, m, d = v[:4], v[4:6], v[6:]
	default:
		p := dateYMD.FindStringSubmatch(v)
		if p == nil {
			p = dateZh.FindStringSubmatch(v)
		}
		if p == nil {
			return "", false
		}
		y, m, d = p[1], p[2], p[3]
	}
	yi, _ := strconv.Atoi(y)
	mi, _ := strconv.Atoi(m)
	di, _ := strconv.Atoi(d)
	t := time.Date(yi, time.Month(mi), di, 0, 0, 0, 0, time.UTC)
	if t.Year() != yi || int(t.Month()) != mi || t.Day() != di {
		return "", false // 2015-02-30 and the like
	}
	return t.Format(time.DateOnly), true
}

// tagSeparators split the entries of a tags cell.
var tagSeparators = "；;、,，"

// parseTagsCell splits a tags cell into entries; an entry may carry its
// validity as 名称[起始日~截止日] (either date may be empty).
func parseTagsCell(v string, c cellCtx) ([]tagCell, bool) {
	var out []tagCell
	for _, part := range strings.FieldsFunc(v, func(r rune) bool { return strings.ContainsRune(tagSeparators, r) }) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		t := tagCell{key: part}
		if open := strings.IndexAny(part, "[【"); open >= 0 {
			body, ok := strings.CutSuffix(part[open:], "]")
			if !ok {
				body, ok = strings.CutSuffix(part[open:], "】")
			}
			from, to, found := strings.Cut(strings.TrimLeft(body, "[【"), "~")
			if !ok || !found {
				return nil, false
			}
			t.key, t.dated = strings.TrimSpace(part[:open]), true
			for _, d := range []struct {
				in  string
				out *string
			}{{from, &t.from}, {to, &t.to}} {
				s := strings.TrimSpace(d.in)
				if s == "" {
					continue
				}
				n, ok := parseDateCell(s, cellCtx{})
				if !ok {
					return nil, false
				}
				*d.out = n
			}
		}
		out = append(out, t)
	}
	return out, true
}

// formatTags writes tags as parseTagsCell reads them: Chinese names (the
// code when the name could not be read back), with the validity in
// brackets when it has one.
func formatTags(tags []Tag) string {
	parts := make([]string, 0, len(tags))
	for _, t := range tags {
		s := t.Name.Zh
		if s == "" || strings.ContainsAny(s, tagSeparators+"[]【】~") {
			s = t.Code
		}
		if t.ValidFrom != "" || t.ValidTo != "" {
			s += "[" + t.ValidFrom + "~" + t.ValidTo + "]"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "；")
}
