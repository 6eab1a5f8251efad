package matter

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
)

// Codes. The national list gives every matter a 基本编码 shared by all
// places that implement it, and each implementation a 实施编码
// (GB/T 39554.1). We keep the format permissive so that codes copied from
// the national or Chongqing platform fit, but fix its shape:
//
//   - 基本编码: exactly 12 characters — a two-character type prefix (digits
//     or capital letters, e.g. "01") followed by ten digits (the demo uses
//     2-digit department, 3-digit main item, 3-digit sub-item and 2-digit
//     业务办理项 numbers);
//   - 实施编码: the basic code followed by a suffix of 1–28 digits or
//     capital letters (the demo appends the GB/T 2260 region code 500109
//     and a two-digit serial).
//
// Both are stored upper-case; the 实施编码 is unique.
var (
	basicCodeRE = regexp.MustCompile(`^[0-9A-Z]{2}[0-9]{10}$`)
	suffixRE    = regexp.MustCompile(`^[0-9A-Z]{1,28}$`)
	fieldNameRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)
	// A phone is a landline with optional area code and extension, a mobile,
	// a 400/800 line or a short hotline such as 12345 (optionally 023-12345).
	phoneRE = regexp.MustCompile(`^(0\d{2,3}-?)?\d{7,8}(-\d{1,6})?$|^1[3-9]\d{9}$|^[48]00-?\d{3}-?\d{4}$|^(0\d{2,3}-)?\d{5}$`)
)

// Element limits.
const (
	maxShort = 200  // names, places, phones
	maxLong  = 4000 // legal basis, conditions, process
	maxDays  = 365  // a time limit past a year is a typo
	maxItems = 100  // materials or form fields per matter
)

// Validate checks a matter's elements on their own — code formats, ranges,
// vocabularies, the time-limit and visit rules — and returns ErrInvalid
// naming every bad field at once. Whether the departments it names exist is
// checked by the Service against the database.
func (in MatterInput) Validate() error {
	_, f := in.check()
	return f.Err()
}

// checked is a normalised, valid-or-not input.
type checked struct {
	code, basicCode string
	v               Version
}

// check normalises in (trimmed text, upper-case codes, labels turned into
// codes, 0 fee into nil) and collects every field error.
func (in MatterInput) check() (checked, errs.Fields) {
	f := errs.Fields{}
	c := checked{code: normCode(in.Code), basicCode: normCode(in.BasicCode)}
	checkCodes(c.code, c.basicCode, f)

	v := Version{
		Name: strings.TrimSpace(in.Name), NameEn: strings.TrimSpace(in.NameEn),
		DepartmentCode: normCode(in.DepartmentCode), LegalBasis: strings.TrimSpace(in.LegalBasis),
		LegalLimitDays: in.LegalLimitDays, CommittedLimitDays: in.CommittedLimitDays,
		LimitNote: strings.TrimSpace(in.LimitNote), Visits: in.Visits, OnlineDepth: in.OnlineDepth,
		MailDelivery: in.MailDelivery, FeeBasis: strings.TrimSpace(in.FeeBasis), FeeFen: clonePtr(in.FeeFen),
		AcceptConditions: strings.TrimSpace(in.AcceptConditions), Process: strings.TrimSpace(in.Process),
		Location: strings.TrimSpace(in.Location), Hours: strings.TrimSpace(in.Hours),
		ConsultPhone: strings.TrimSpace(in.ConsultPhone), ComplaintPhone: strings.TrimSpace(in.ComplaintPhone),
		ResultName: strings.TrimSpace(in.ResultName), ChangeNote: strings.TrimSpace(in.ChangeNote),
	}
	text(f, "name", v.Name, maxShort, true)
	text(f, "name_en", v.NameEn, maxShort, false)
	text(f, "legal_basis", v.LegalBasis, maxLong, true)
	text(f, "limit_note", v.LimitNote, maxLong, false)
	text(f, "fee_basis", v.FeeBasis, maxLong, false)
	text(f, "accept_conditions", v.AcceptConditions, maxLong, false)
	text(f, "process", v.Process, maxLong, false)
	text(f, "location", v.Location, maxShort, false)
	text(f, "hours", v.Hours, maxShort, false)
	text(f, "result_name", v.ResultName, maxShort, false)
	text(f, "change_note", v.ChangeNote, maxShort, false)
	phones(f, "consult_phone", v.ConsultPhone)
	phones(f, "complaint_phone", v.ComplaintPhone)
	if v.DepartmentCode == "" {
		f.Add("department_code", i18n.M("请选择实施部门", "Choose the implementing department"))
	}

	var ok bool
	if v.Type, ok = resolve(typeOptions(), in.Type); !ok {
		f.Add("type", i18n.M("请选择事项类型（如行政许可、公共服务）", "Choose the matter type (e.g. permit, public service)"))
	}
	if v.ExerciseLevel, ok = resolve(ExerciseLevels, in.ExerciseLevel); !ok {
		f.Add("exercise_level", i18n.M("请选择行使层级", "Choose the level that exercises the power"))
	}
	v.CaseType = strings.TrimSpace(in.CaseType)
	if v.CaseType == "" {
		v.CaseType = CasePromise
		if in.CommittedLimitDays == 0 {
			v.CaseType = CaseInstant
		}
	} else if v.CaseType, ok = resolve(CaseTypes, v.CaseType); !ok {
		f.Add("case_type", i18n.M("办件类型应为即办件或承诺件", "Case type must be instant or promise"))
	}
	checkLimits(v, f)
	checkVisits(v, f)
	if v.FeeFen != nil {
		switch {
		case *v.FeeFen < 0:
			f.Add("fee_yuan", i18n.M("收费金额不能为负数", "The fee cannot be negative"))
		case *v.FeeFen == 0:
			v.FeeFen = nil // free of charge, stored one way only
		case v.FeeBasis == "":
			f.Add("fee_basis", i18n.M("收费事项须注明收费依据（文件名称及文号）", "A fee needs its basis (document name and number)"))
		}
	}
	v.Events = checkEvents(in.Events, f)
	v.FormFields = checkFormFields(in.FormFields, "form_fields", f)
	v.Materials = checkMaterials(in.Materials, f)
	c.v = v
	return c, f
}

func normCode(s string) string { return strings.ToUpper(strings.Join(strings.Fields(s), "")) }

func checkCodes(code, basic string, f errs.Fields) {
	switch {
	case basic == "":
		f.Add("basic_code", i18n.M("请填写基本编码", "Enter the basic code"))
	case !basicCodeRE.MatchString(basic):
		f.Add("basic_code", i18n.M("基本编码应为 12 位：2 位类型代码（数字或大写字母）加 10 位数字",
			"The basic code has 12 characters: a 2-character type code (digits or capitals) and 10 digits"))
	}
	switch {
	case code == "":
		f.Add("code", i18n.M("请填写实施编码", "Enter the implementation code"))
	case basic != "" && !strings.HasPrefix(code, basic):
		f.Add("code", i18n.M("实施编码应以基本编码 "+basic+" 开头", "The implementation code must start with the basic code "+basic))
	case basic != "" && !suffixRE.MatchString(code[len(basic):]):
		f.Add("code", i18n.M("实施编码应为基本编码加 1–28 位数字或大写字母", "The implementation code is the basic code plus 1–28 digits or capital letters"))
	}
}

// checkLimits applies the time-limit rules.
//
// The committed limit is the department's promise to beat the statutory
// one; the statutory limit binds it (行政许可法第四十二条 and the law that
// sets each matter's limit), so a longer promise is refused. A statutory
// limit of 0 means the law sets none. Every 行政许可 has one: without a
// special rule 行政许可法第四十二条 gives twenty working days. A 即办件 is
// decided on the spot, so its committed limit is 0, and a 承诺件 promises at
// least one working day.
func checkLimits(v Version, f errs.Fields) {
	if v.LegalLimitDays < 0 || v.LegalLimitDays > maxDays {
		f.Add("legal_limit_days", i18n.M(fmt.Sprintf("法定时限应在 0–%d 个工作日之间（0 表示法律未规定）", maxDays),
			fmt.Sprintf("The statutory limit must be 0–%d working days (0: none set by law)", maxDays)))
	} else if v.Type == TypePermit && v.LegalLimitDays == 0 {
		f.Add("legal_limit_days", i18n.M("行政许可须有法定时限（行政许可法第四十二条：一般为 20 个工作日）",
			"A permit always has a statutory limit (Administrative Licensing Law art. 42: 20 working days unless set otherwise)"))
	}
	switch {
	case v.CommittedLimitDays < 0 || v.CommittedLimitDays > maxDays:
		f.Add("committed_limit_days", i18n.M(fmt.Sprintf("承诺时限应在 0–%d 个工作日之间", maxDays),
			fmt.Sprintf("The committed limit must be 0–%d working days", maxDays)))
	case v.LegalLimitDays > 0 && v.CommittedLimitDays > v.LegalLimitDays:
		f.Add("committed_limit_days", i18n.M(
			fmt.Sprintf("承诺时限（%d 个工作日）不得超过法定时限（%d 个工作日）", v.CommittedLimitDays, v.LegalLimitDays),
			fmt.Sprintf("The committed limit (%d working days) cannot exceed the statutory limit (%d)", v.CommittedLimitDays, v.LegalLimitDays)))
	case v.CaseType == CaseInstant && v.CommittedLimitDays != 0:
		f.Add("committed_limit_days", i18n.M("即办件当场办结，承诺时限应为 0", "An instant case is decided on the spot: the committed limit must be 0"))
	case v.CaseType == CasePromise && v.CommittedLimitDays == 0:
		f.Add("committed_limit_days", i18n.M("承诺件的承诺时限至少 1 个工作日；当场办结的请选择即办件",
			"A promise case needs at least 1 working day; choose instant for matters decided on the spot"))
	}
}

// checkVisits applies the visit and online-depth rules.
//
// 全程网办 (depth 4) means applying, being accepted, the decision and the
// result all happen online, so it implies no visit — with one exception we
// allow: when the result is a paper certificate (ResultName set) and the
// matter does not mail it, collecting it is the single visit. A matter that
// mails its result and is fully online must record 0 visits.
func checkVisits(v Version, f errs.Fields) {
	if v.Visits < 0 || v.Visits > 2 {
		f.Add("visits", i18n.M("到办事现场次数应为 0、1 或 2（2 表示 2 次及以上）", "Visits must be 0, 1 or 2 (2 meaning two or more)"))
	}
	if v.OnlineDepth < 1 || v.OnlineDepth > 4 {
		f.Add("online_depth", i18n.M("网上办理深度应为 1–4", "Online depth must be 1–4"))
		return
	}
	if v.OnlineDepth == 4 && v.Visits > 0 {
		pickup := v.Visits == 1 && !v.MailDelivery && v.ResultName != ""
		if !pickup {
			f.Add("visits", i18n.M("全程网办事项无需到现场；仅当纸质结果不邮寄、需现场领取时可为 1 次",
				"A fully online matter needs no visit; 1 is allowed only to collect a paper result that is not mailed"))
		}
	}
}

func text(f errs.Fields, field, v string, limit int, required bool) {
	switch {
	case required && v == "":
		f.Add(field, i18n.M("必填", "Required"))
	case utf8.RuneCountInString(v) > limit:
		f.Add(field, i18n.M(fmt.Sprintf("不能超过 %d 个字", limit), fmt.Sprintf("At most %d characters", limit)))
	}
}

// phones accepts one or more numbers separated by 、 , ， ; or /.
func phones(f errs.Fields, field, v string) {
	if v == "" {
		return
	}
	for _, p := range strings.FieldsFunc(v, func(r rune) bool { return strings.ContainsRune("、,，;；/ ", r) }) {
		if !phoneRE.MatchString(p) {
			f.Add(field, i18n.M(fmt.Sprintf("电话号码格式不正确：%s", p), fmt.Sprintf("Not a phone number: %s", p)))
			return
		}
	}
}

func checkEvents(in []string, f errs.Fields) []string {
	out := []string{}
	for _, e := range in {
		code, ok := resolve(Events, e)
		if !ok {
			f.Add("events", i18n.M("未知的主题："+strings.TrimSpace(e), "Unknown event: "+strings.TrimSpace(e)))
			continue
		}
		if !slices.Contains(out, code) {
			out = append(out, code)
		}
	}
	return out
}

// checkFormFields validates an online form; field names use prefix, e.g.
// "form_fields[2].type".
func checkFormFields(in []FormField, prefix string, f errs.Fields) []FormField {
	if len(in) > maxItems {
		f.Add(prefix, i18n.M(fmt.Sprintf("表单字段不能超过 %d 个", maxItems), fmt.Sprintf("At most %d form fields", maxItems)))
	}
	out := make([]FormField, 0, len(in))
	seen := map[string]bool{}
	for i, ff := range in {
		at := fmt.Sprintf("%s[%d].", prefix, i)
		ff.Name = strings.TrimSpace(ff.Name)
		ff.LabelZh, ff.LabelEn = strings.TrimSpace(ff.LabelZh), strings.TrimSpace(ff.LabelEn)
		ff.Type, ff.Prefill = strings.TrimSpace(ff.Type), strings.TrimSpace(ff.Prefill)
		switch {
		case !fieldNameRE.MatchString(ff.Name):
			f.Add(at+"name", i18n.M("字段名应为小写字母开头的字母、数字或下划线", "A field name is lower-case letters, digits and underscores, starting with a letter"))
		case seen[ff.Name]:
			f.Add(at+"name", i18n.M("字段名重复："+ff.Name, "Duplicate field name: "+ff.Name))
		}
		seen[ff.Name] = true
		text(f, at+"label_zh", ff.LabelZh, maxShort, true)
		text(f, at+"label_en", ff.LabelEn, maxShort, false)
		typ, ok := resolve(FieldTypes, ff.Type)
		if !ok {
			f.Add(at+"type", i18n.M("字段类型应为 text、number、date 或 select", "The field type must be text, number, date or select"))
		}
		ff.Type = typ
		var opts []string
		for _, o := range ff.Options {
			if o = strings.TrimSpace(o); o != "" && !slices.Contains(opts, o) {
				opts = append(opts, o)
			}
		}
		ff.Options = opts
		switch {
		case typ == "select" && len(opts) == 0:
			f.Add(at+"options", i18n.M("选项字段须列出可选值", "A choice field needs its options"))
		case typ != "select" && len(opts) > 0:
			f.Add(at+"options", i18n.M("只有选项字段可以列出可选值", "Only a choice field has options"))
		}
		if ff.Prefill != "" {
			if _, ok := resolve(PrefillFields, ff.Prefill); !ok {
				f.Add(at+"prefill", i18n.M("预填来源应为一企一档的字段："+ff.Prefill, "Prefill must name a registry field: "+ff.Prefill))
			} else {
				ff.Prefill, _ = resolve(PrefillFields, ff.Prefill)
			}
		}
		out = append(out, ff)
	}
	return out
}

// checkMaterials validates the material list; department references are
// checked against the database by the service.
func checkMaterials(in []Material, f errs.Fields) []Material {
	if len(in) > maxItems {
		f.Add("materials", i18n.M(fmt.Sprintf("申请材料不能超过 %d 项", maxItems), fmt.Sprintf("At most %d materials", maxItems)))
	}
	out := make([]Material, 0, len(in))
	seen := map[string]int{}
	for i, m := range in {
		at := fmt.Sprintf("materials[%d].", i)
		m.Seq = i + 1
		m.Name, m.Note, m.SourceRef = strings.TrimSpace(m.Name), strings.TrimSpace(m.Note), strings.TrimSpace(m.SourceRef)
		text(f, at+"name", m.Name, maxShort, true)
		text(f, at+"note", m.Note, maxLong, false)
		if j, dup := seen[MaterialKey(m.Name)]; dup && m.Name != "" {
			f.Add(at+"name", i18n.M(fmt.Sprintf("与第 %d 项材料重复", j+1), fmt.Sprintf("Same material as item %d", j+1)))
		}
		seen[MaterialKey(m.Name)] = i
		var ok bool
		if m.Form, ok = resolve(MaterialForms, m.Form); !ok {
			f.Add(at+"form", i18n.M("材料形式应为原件、复印件或电子", "The form must be original, photocopy or electronic"))
		}
		switch {
		case m.Copies < 0 || m.Copies > 20:
			f.Add(at+"copies", i18n.M("份数应在 0–20 之间", "Copies must be 0–20"))
		case m.Copies == 0 && ok && m.Form != FormElectronic:
			f.Add(at+"copies", i18n.M("纸质材料至少 1 份", "Paper material needs at least 1 copy"))
		}
		if m.Source, ok = resolve(MaterialSources, m.Source); !ok {
			f.Add(at+"source", i18n.M("材料来源应为申请人提供、电子证照共享、部门共享或平台共享",
				"The source must be applicant, licence library, department or platform"))
		}
		switch m.Source {
		case SourceApplicant:
			if m.SourceRef != "" {
				f.Add(at+"source_ref", i18n.M("申请人提供的材料无需填写来源说明", "Material from the applicant has no source reference"))
			}
		case SourceLicense:
			if m.SourceRef == "" {
				f.Add(at+"source_ref", i18n.M("请填写共享的电子证照名称（如营业执照）", "Name the shared certificate (e.g. business licence)"))
			}
		case SourceDepartment:
			m.SourceRef = normCode(m.SourceRef)
			if m.SourceRef == "" {
				f.Add(at+"source_ref", i18n.M("请填写出具该材料的部门编码", "Enter the code of the department that issues it"))
			}
		case SourcePlatform:
			if m.SourceRef == ProfileRef {
				break
			}
			if code, ok := resolve(PrefillFields, m.SourceRef); ok {
				m.SourceRef = code
			} else {
				f.Add(at+"source_ref", i18n.M("平台共享材料应注明一企一档字段或 profile", "Platform material names a registry field or \"profile\""))
			}
		}
		out = append(out, m)
	}
	return out
}
