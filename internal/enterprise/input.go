package enterprise

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/standards"
)

// Input creates a profile or changes part of one. Only Set fields are
// applied. Field errors use the API's field names.
type Input struct {
	CreditCode           Maybe[string]
	Name                 Maybe[string]
	LegalRep             Maybe[string]
	RegisteredOn         Maybe[string]
	RegionCode           Maybe[string]
	Address              Maybe[string]
	IndustryCode         Maybe[string]
	Ownership            Maybe[string]
	RegisteredCapitalFen Maybe[int64]
	ContactName          Maybe[string]
	ContactPhone         Maybe[string]
	BusinessScope        Maybe[string]
	TaxCreditGrade       Maybe[string]
	Dishonest            Maybe[bool]
	DishonestNote        Maybe[string]

	// FiscalYear selects the year the facts below belong to; 0 means the
	// latest year on file, or last year for a firm without facts.
	FiscalYear       int
	Employees        Maybe[int64]
	RevenueFen       Maybe[int64]
	AssetsFen        Maybe[int64]
	TaxableIncomeFen Maybe[int64]
	RDExpenseFen     Maybe[int64]
	TechStaff        Maybe[int64]
	ExportsFen       Maybe[int64]
	// HighTechRevenueFen … IPClass2: see Facts.
	HighTechRevenueFen Maybe[int64]
	CostsFen           Maybe[int64]
	IPClass1           Maybe[int64]
	IPClass2           Maybe[int64]

	// Tags, when Set, replaces the enterprise's whole tag set.
	Tags Maybe[[]TagInput]

	// Version, when not 0, must equal the stored version (optimistic
	// concurrency); a stale version fails with ErrPrecondition.
	Version int
}

// TagInput is one tag assignment.
type TagInput struct {
	Code          string
	ValidFrom     string
	ValidTo       string
	CertificateNo string
}

// Notice is something the caller should show the user without it being an
// error: a normalised input, a legacy-code warning.
type Notice struct {
	Field string
	Msg   i18n.Msg
}

// selfServiceFields are what an enterprise user may change on its own
// profile; everything else is registered or verified information that only
// staff change. Facts are self-service until staff verify the year.
var selfServiceFields = []string{"address", "contact_name", "contact_phone", "business_scope"}

// setFields lists the API names of the profile fields an Input sets.
func (in Input) setFields() []string {
	var out []string
	add := func(set bool, name string) {
		if set {
			out = append(out, name)
		}
	}
	add(in.CreditCode.Set, "credit_code")
	add(in.Name.Set, "name")
	add(in.LegalRep.Set, "legal_rep")
	add(in.RegisteredOn.Set, "registered_on")
	add(in.RegionCode.Set, "region_code")
	add(in.Address.Set, "address")
	add(in.IndustryCode.Set, "industry_code")
	add(in.Ownership.Set, "ownership")
	add(in.RegisteredCapitalFen.Set, "registered_capital_yuan")
	add(in.ContactName.Set, "contact_name")
	add(in.ContactPhone.Set, "contact_phone")
	add(in.BusinessScope.Set, "business_scope")
	add(in.TaxCreditGrade.Set, "tax_credit_grade")
	add(in.Dishonest.Set, "dishonest")
	add(in.DishonestNote.Set, "dishonest_note")
	add(in.Tags.Set, "tags")
	return out
}

func (in Input) factsSet() bool {
	return in.Employees.Set || in.RevenueFen.Set || in.AssetsFen.Set || in.TaxableIncomeFen.Set ||
		in.RDExpenseFen.Set || in.TechStaff.Set || in.ExportsFen.Set || in.HighTechRevenueFen.Set || in.CostsFen.Set ||
		in.IPClass1.Set || in.IPClass2.Set
}

var (
	dateRE   = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	mobileRE = regexp.MustCompile(`^1[3-9]\d{9}$`)
	// Landlines: area code 0xx(x) with 7–8 digits, optional extension; 400/800 lines.
	landRE = regexp.MustCompile(`^(0\d{2,3}-?)?\d{7,8}(-\d{1,6})?$|^[48]00-?\d{3}-?\d{4}$`)
)

// apply merges in into e, validating every set field, and returns the
// notices to show. Field errors are collected in f.
func (in Input) apply(e *Enterprise, f errs.Fields, today string) []Notice {
	var notices []Notice
	str := func(m Maybe[string], dst *string, field string, max int, required bool) {
		if !m.Set {
			return
		}
		v := strings.TrimSpace(m.V)
		if required && v == "" {
			f.Add(field, i18n.M("必填", "Required"))
			return
		}
		if utf8.RuneCountInString(v) > max {
			f.Add(field, i18n.M(fmt.Sprintf("不能超过 %d 个字", max), fmt.Sprintf("At most %d characters", max)))
			return
		}
		*dst = v
	}
	if in.CreditCode.Set {
		cc := standards.ParseCreditCode(in.CreditCode.V)
		switch {
		case !cc.Valid():
			f.Add("credit_code", joinIssues(cc.Errors))
		default:
			e.CreditCode = cc.Code
			if cc.Normalised && strings.TrimSpace(in.CreditCode.V) != "" {
				notices = append(notices, Notice{"credit_code", i18n.M(
					fmt.Sprintf("统一社会信用代码已规范为 %s（原输入 %q）", cc.Code, cc.Input),
					fmt.Sprintf("Credit code normalised to %s (you entered %q)", cc.Code, cc.Input))})
			}
			for _, w := range cc.Warnings {
				notices = append(notices, Notice{"credit_code", i18n.Msg(w.Msg)})
			}
		}
	}
	str(in.Name, &e.Name, "name", 100, true)
	str(in.LegalRep, &e.LegalRep, "legal_rep", 50, false)
	if in.RegisteredOn.Set {
		v := strings.TrimSpace(in.RegisteredOn.V)
		if v == "" {
			e.RegisteredOn = ""
		} else if t, err := time.Parse(time.DateOnly, v); err != nil || !dateRE.MatchString(v) {
			f.Add("registered_on", i18n.M("日期格式应为 YYYY-MM-DD", "Date must be YYYY-MM-DD"))
		} else if v > today {
			f.Add("registered_on", i18n.M("成立日期不能晚于今天", "The registration date cannot be in the future"))
		} else {
			e.RegisteredOn = t.Format(time.DateOnly)
		}
	}
	if in.RegionCode.Set {
		r, ok := standards.LookupRegion(strings.TrimSpace(in.RegionCode.V))
		switch {
		case !ok:
			f.Add("region_code", i18n.M(fmt.Sprintf("区划代码 %q 不是重庆市的有效区县或街道代码", in.RegionCode.V),
				fmt.Sprintf("%q is not a valid Chongqing district or street code", in.RegionCode.V)))
		case r.Level < standards.RegionDistrict:
			f.Add("region_code", i18n.M("请至少选择到区县（最好到街道/镇）", "Choose at least a district (ideally a street or town)"))
		default:
			e.RegionCode = r.Code
		}
	}
	str(in.Address, &e.Address, "address", 200, false)
	if in.IndustryCode.Set {
		ind, ok := standards.LookupIndustry(strings.TrimSpace(in.IndustryCode.V))
		switch {
		case !ok:
			f.Add("industry_code", i18n.M(fmt.Sprintf("%q 不是 GB/T 4754-2017 国民经济行业分类代码", in.IndustryCode.V),
				fmt.Sprintf("%q is not a GB/T 4754-2017 industry code", in.IndustryCode.V)))
		case ind.Level < 2:
			f.Add("industry_code", i18n.M("请至少选择到行业大类（两位代码），最好到小类（四位）", "Choose at least a division (2 digits), ideally a class (4 digits)"))
		default:
			e.IndustryCode, e.IndustrySection = ind.Code, ind.Section
		}
	}
	if in.Ownership.Set {
		v := strings.TrimSpace(in.Ownership.V)
		if v != "" && !slices.ContainsFunc(Ownerships, func(o Option) bool { return o.Code == v }) {
			f.Add("ownership", i18n.M("未知的登记注册类型", "Unknown ownership type"))
		} else {
			e.Ownership = v
		}
	}
	if in.RegisteredCapitalFen.Set {
		if in.RegisteredCapitalFen.Valid && in.RegisteredCapitalFen.V < 0 {
			f.Add("registered_capital_yuan", i18n.M("不能为负数", "Must not be negative"))
		} else {
			e.RegisteredCapitalFen = in.RegisteredCapitalFen.Ptr()
		}
	}
	str(in.ContactName, &e.ContactName, "contact_name", 50, false)
	if in.ContactPhone.Set {
		v := strings.ReplaceAll(strings.TrimSpace(in.ContactPhone.V), " ", "")
		if v != "" && !mobileRE.MatchString(v) && !landRE.MatchString(v) {
			f.Add("contact_phone", i18n.M("请填写 11 位手机号或带区号的固定电话，如 023-68862000", "Enter an 11-digit mobile number or a landline with area code, e.g. 023-68862000"))
		} else {
			e.ContactPhone = v
		}
	}
	str(in.BusinessScope, &e.BusinessScope, "business_scope", 2000, false)
	if in.TaxCreditGrade.Set {
		v := strings.ToUpper(strings.TrimSpace(in.TaxCreditGrade.V))
		if v != "" && !slices.Contains(TaxCreditGrades, v) {
			f.Add("tax_credit_grade", i18n.M("纳税信用级别应为 A、B、M、C 或 D", "Tax credit grade must be A, B, M, C or D"))
		} else {
			e.TaxCreditGrade = v
		}
	}
	if in.Dishonest.Set {
		e.Dishonest = in.Dishonest.Valid && in.Dishonest.V
	}
	str(in.DishonestNote, &e.DishonestNote, "dishonest_note", 500, false)
	return notices
}

// applyFacts merges the fact fields of in into fa.
func (in Input) applyFacts(fa *Facts, f errs.Fields) {
	num := func(m Maybe[int64], dst **int64, field string) {
		if !m.Set {
			return
		}
		if m.Valid && m.V < 0 {
			f.Add(field, i18n.M("不能为负数", "Must not be negative"))
			return
		}
		*dst = m.Ptr()
	}
	num(in.Employees, &fa.Employees, "employees")
	num(in.RevenueFen, &fa.RevenueFen, "revenue_yuan")
	num(in.AssetsFen, &fa.AssetsFen, "assets_yuan")
	num(in.TaxableIncomeFen, &fa.TaxableIncomeFen, "taxable_income_yuan")
	num(in.RDExpenseFen, &fa.RDExpenseFen, "rd_expense_yuan")
	num(in.TechStaff, &fa.TechStaff, "tech_staff")
	num(in.ExportsFen, &fa.ExportsFen, "exports_yuan")
	num(in.HighTechRevenueFen, &fa.HighTechRevenueFen, "hightech_revenue_yuan")
	num(in.CostsFen, &fa.CostsFen, "costs_yuan")
	num(in.IPClass1, &fa.IPClass1, "ip_class1")
	num(in.IPClass2, &fa.IPClass2, "ip_class2")
	if fa.HighTechRevenueFen != nil && fa.RevenueFen != nil && *fa.HighTechRevenueFen > *fa.RevenueFen {
		f.Add("hightech_revenue_yuan", i18n.M("高新技术产品（服务）收入不能多于营业收入", "High-tech revenue cannot exceed revenue"))
	}
	if fa.TechStaff != nil && fa.Employees != nil && *fa.TechStaff > *fa.Employees {
		f.Add("tech_staff", i18n.M("科技人员数不能多于从业人员数", "Tech staff cannot exceed employees"))
	}
}

func joinIssues(issues []standards.CodeIssue) i18n.Msg {
	var zh, en []string
	for _, is := range issues {
		zh = append(zh, is.Msg.Zh)
		en = append(en, is.Msg.En)
	}
	return i18n.M(strings.Join(zh, "；"), strings.Join(en, "; "))
}
