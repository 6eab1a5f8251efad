package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/qinqing/qinqing/internal/eligibility"
	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/money"
	"github.com/qinqing/qinqing/internal/standards"
)

// choices are the option lists forms and filters need.
type choices struct {
	Sections   []standards.Industry
	Districts  []districtStreets
	Ownerships []enterprise.Option
	Grades     []string
	Tags       []enterprise.TagDef
}

type districtStreets struct {
	District standards.Region
	Streets  []standards.Region
}

// beibei is the host district; it is listed first.
const beibei = "500109"

func (s *Server) choices(ctx context.Context) (choices, error) {
	c := choices{Sections: standards.IndustryChildren(""), Ownerships: enterprise.Ownerships, Grades: enterprise.TaxCreditGrades,
		Districts: regionChoices()}
	tags, err := s.Enterprise.Tags(ctx, true)
	c.Tags = tags
	return c, err
}

// regionChoices are the districts of Chongqing with their streets, the
// host district first.
func regionChoices() []districtStreets {
	var out []districtStreets
	districts := standards.RegionChildren("500000")
	for _, first := range []bool{true, false} {
		for _, d := range districts {
			if (d.Code == beibei) == first {
				out = append(out, districtStreets{District: d, Streets: standards.RegionChildren(d.Code)})
			}
		}
	}
	return out
}

type listData struct {
	Filter  enterprise.Filter
	Page    enterprise.Page
	Choices choices
	Export  bool
	Error   string
}

func (s *Server) enterpriseList(w http.ResponseWriter, r *http.Request) {
	p, ok := s.requireUser(w, r)
	if !ok {
		return
	}
	lang := httpmw.Lang(r)
	f, ferr := enterprise.ParseFilter(r.URL.Query())
	d := listData{Filter: f, Export: p.Can(identity.PermEnterpriseExport)}
	if ferr != nil {
		d.Error = errText(ferr, lang)
		f = enterprise.Filter{}
	}
	page, err := s.Enterprise.List(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Page = page
	if d.Choices, err = s.choices(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "enterprises", i18n.M("企业档案", "Enterprise registry").In(lang), d)
}

// formData backs the create and edit form; Values keeps exactly what the
// user typed so nothing is lost when a field is rejected.
type formData struct {
	ID       int64
	New      bool
	Staff    bool // may edit registered and verified fields
	Values   map[string]string
	TagsOn   map[string]bool
	Errors   map[string]string
	Notices  []string
	Version  int
	Choices  choices
	Verified bool // the shown fiscal year is verified (enterprise users cannot change it)
}

// formFields are the text inputs of the form, by API name.
var formFields = []string{"credit_code", "name", "legal_rep", "registered_on", "region_code", "address", "industry_code",
	"ownership", "registered_capital_wan", "contact_name", "contact_phone", "business_scope", "tax_credit_grade",
	"dishonest_note", "fiscal_year", "employees", "revenue_wan", "assets_wan", "taxable_income_wan", "rd_expense_wan",
	"tech_staff", "exports_wan", "hightech_revenue_wan", "costs_wan", "ip_class1", "ip_class2"}

func (s *Server) enterpriseNew(w http.ResponseWriter, r *http.Request) {
	p, ok := s.requireUser(w, r)
	if !ok {
		return
	}
	if !p.Can(identity.PermEnterpriseWrite) {
		s.fail(w, r, errs.Forbidden())
		return
	}
	ch, err := s.choices(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := formData{New: true, Staff: true, Values: map[string]string{"region_code": beibei + "001"}, TagsOn: map[string]bool{}, Errors: map[string]string{}, Choices: ch}
	s.render(w, r, http.StatusOK, "enterprise_form", i18n.M("新建企业档案", "New enterprise profile").In(httpmw.Lang(r)), d)
}

func (s *Server) enterpriseCreate(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.requireUser(w, r); !ok {
		return
	}
	lang := httpmw.Lang(r)
	in, d, ok := s.readForm(r, true, true)
	if ok {
		e, notices, err := s.Enterprise.Create(r.Context(), in)
		if err == nil {
			s.setFlash(w, flashWithNotices(i18n.M("企业档案已创建", "Enterprise profile created").In(lang), notices, lang))
			redirect(w, r, fmt.Sprintf("/enterprises/%d", e.ID))
			return
		}
		if !s.formError(w, r, err, &d) {
			return
		}
	}
	d.New = true
	s.render(w, r, http.StatusUnprocessableEntity, "enterprise_form", i18n.M("新建企业档案", "New enterprise profile").In(lang), d)
}

// formError puts field errors into the form; other errors render an error
// page and return false.
func (s *Server) formError(w http.ResponseWriter, r *http.Request, err error, d *formData) bool {
	lang := httpmw.Lang(r)
	if f := errs.FieldsOf(err); f != nil {
		for k, m := range f {
			d.Errors[formName(k)] = m.In(lang)
		}
		return true
	}
	var e *errs.Error
	if errors.As(err, &e) && (errors.Is(err, errs.ErrConflict) || errors.Is(err, errs.ErrPrecondition)) {
		d.Errors["_form"] = e.Msg.In(lang)
		if e.Code == "credit_code_taken" {
			d.Errors["credit_code"] = e.Msg.In(lang)
		}
		return true
	}
	s.fail(w, r, err)
	return false
}

// formName maps API field names to the form's, where the form uses 万元.
func formName(apiField string) string {
	if base, ok := strings.CutSuffix(apiField, "_yuan"); ok {
		return base + "_wan"
	}
	return apiField
}

func flashWithNotices(msg string, notices []enterprise.Notice, lang i18n.Lang) string {
	for _, n := range notices {
		msg += "；" + n.Msg.In(lang)
	}
	return msg
}

// readForm turns the posted form into an Input. Staff forms set every
// field; an enterprise user's form only the self-service ones. On a
// create, blank inputs are simply not provided; on an edit a blank number
// clears it.
func (s *Server) readForm(r *http.Request, create, staff bool) (enterprise.Input, formData, bool) {
	lang := httpmw.Lang(r)
	d := formData{Staff: staff, Values: map[string]string{}, TagsOn: map[string]bool{}, Errors: map[string]string{}}
	if err := r.ParseForm(); err != nil {
		d.Errors["_form"] = i18n.M("表单无法解析", "The form could not be read").In(lang)
		return enterprise.Input{}, d, false
	}
	ch, err := s.choices(r.Context())
	if err == nil {
		d.Choices = ch
	}
	for _, f := range formFields {
		d.Values[f] = strings.TrimSpace(r.PostFormValue(f))
	}
	d.Version, _ = strconv.Atoi(r.PostFormValue("version"))
	d.ID, _ = strconv.ParseInt(r.PathValue("id"), 10, 64)
	var in enterprise.Input
	in.Version = d.Version
	str := func(name string, dst *enterprise.Maybe[string]) {
		v := d.Values[name]
		if create && v == "" {
			return
		}
		*dst = enterprise.Some(v)
	}
	// number reads a numeric input with parse; a bad value is a field error.
	number := func(name string, dst *enterprise.Maybe[int64], parse func(string) (int64, error), bad i18n.Msg) {
		v := d.Values[name]
		switch {
		case v == "" && create:
		case v == "":
			*dst = enterprise.Null[int64]()
		default:
			n, err := parse(v)
			if err != nil {
				d.Errors[name] = bad.In(lang)
				return
			}
			*dst = enterprise.Some(n)
		}
	}
	wanMsg := i18n.M("请填写以万元为单位的数字，如 2500 或 0.35", "Enter a number of 万元 (10k yuan), e.g. 2500 or 0.35")
	wan := func(name string, dst *enterprise.Maybe[int64]) { number(name, dst, money.ParseWan, wanMsg) }
	integer := func(name string, dst *enterprise.Maybe[int64]) {
		number(name, dst, func(v string) (int64, error) { return strconv.ParseInt(v, 10, 64) }, i18n.M("请填写整数", "Enter a whole number"))
	}
	str("address", &in.Address)
	str("contact_name", &in.ContactName)
	str("contact_phone", &in.ContactPhone)
	str("business_scope", &in.BusinessScope)
	if staff {
		str("credit_code", &in.CreditCode)
		str("name", &in.Name)
		str("legal_rep", &in.LegalRep)
		str("registered_on", &in.RegisteredOn)
		str("region_code", &in.RegionCode)
		str("industry_code", &in.IndustryCode)
		str("ownership", &in.Ownership)
		str("tax_credit_grade", &in.TaxCreditGrade)
		str("dishonest_note", &in.DishonestNote)
		wan("registered_capital_wan", &in.RegisteredCapitalFen)
		in.Dishonest = enterprise.Some(r.PostFormValue("dishonest") == "on")
		var tags []enterprise.TagInput
		for _, t := range d.Choices.Tags {
			if r.PostFormValue("tag_"+t.Code) == "on" {
				d.TagsOn[t.Code] = true
				tags = append(tags, enterprise.TagInput{Code: t.Code, ValidFrom: r.PostFormValue("tag_" + t.Code + "_from"),
					ValidTo: r.PostFormValue("tag_" + t.Code + "_to"), CertificateNo: r.PostFormValue("tag_" + t.Code + "_cert")})
			}
			for _, suffix := range []string{"_from", "_to", "_cert"} {
				d.Values["tag_"+t.Code+suffix] = r.PostFormValue("tag_" + t.Code + suffix)
			}
		}
		in.Tags = enterprise.Some(tags)
	}
	if v := d.Values["fiscal_year"]; v != "" {
		y, err := strconv.Atoi(v)
		if err != nil {
			d.Errors["fiscal_year"] = i18n.M("请填写四位年份", "Enter a four-digit year").In(lang)
		}
		in.FiscalYear = y
	}
	integer("employees", &in.Employees)
	integer("tech_staff", &in.TechStaff)
	wan("revenue_wan", &in.RevenueFen)
	wan("assets_wan", &in.AssetsFen)
	wan("taxable_income_wan", &in.TaxableIncomeFen)
	wan("rd_expense_wan", &in.RDExpenseFen)
	wan("exports_wan", &in.ExportsFen)
	wan("hightech_revenue_wan", &in.HighTechRevenueFen)
	wan("costs_wan", &in.CostsFen)
	integer("ip_class1", &in.IPClass1)
	integer("ip_class2", &in.IPClass2)
	return in, d, len(d.Errors) == 0
}

type profileData struct {
	E       enterprise.Enterprise
	Facts   []enterprise.Facts
	CanEdit bool
	Staff   bool
	Own     bool
	// Matches is what policy staff and liaison officers see of the firm's
	// policy matches; nil for everyone else (the firm has 为我匹配).
	Matches *firmMatches
	Liaison *liaisonBox // the firm's 亲清特使 (liaison_pages.go)
}

// firmMatches are the live policies a firm fits or may fit once the
// missing facts are known; the ones it does not fit are only counted.
type firmMatches struct {
	EnterpriseID int64
	Eligible     []pvMatch
	Unknown      []pvMatch
	Ineligible   int
	TotalBenefit string // money the firm would receive, yuan
	TotalSaving  string // estimated tax and fee savings, yuan
}

// seesFirmMatches reports whether p is staff who follow up policies with
// firms: policy readers and liaison officers.
func seesFirmMatches(p *identity.Principal) bool {
	return p.Can(identity.PermPolicyRead) || p.Can(identity.PermPolicyPushes)
}

// firmMatchesOf evaluates every live policy for enterprise id as the
// staff view of its profile shows them.
func (s *Server) firmMatchesOf(ctx context.Context, id int64) (*firmMatches, error) {
	ms, err := s.Policy.Matches(ctx, id, "")
	if err != nil {
		return nil, err
	}
	fm := &firmMatches{EnterpriseID: id}
	fm.TotalBenefit, fm.TotalSaving = pvTotals(ms)
	for _, m := range pvMatches(ms, false) {
		switch m.Outcome.Code {
		case string(eligibility.Eligible):
			fm.Eligible = append(fm.Eligible, m)
		case string(eligibility.Unknown):
			fm.Unknown = append(fm.Unknown, m)
		default:
			fm.Ineligible++
		}
	}
	return fm, nil
}

func (s *Server) enterpriseShow(w http.ResponseWriter, r *http.Request) {
	p, ok := s.requireUser(w, r)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.NotFound(w, r)
		return
	}
	e, err := s.Enterprise.Get(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	facts, err := s.Enterprise.FactsHistory(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	own := p.Can(identity.PermEnterpriseOwn) && p.EnterpriseID == id
	d := profileData{E: e, Facts: facts, Staff: p.Can(identity.PermEnterpriseWrite), Own: own}
	d.CanEdit = d.Staff || own
	d.Liaison = s.liaisonBoxOf(r.Context(), p, id)
	if !own && s.Policy != nil && seesFirmMatches(p) {
		if d.Matches, err = s.firmMatchesOf(r.Context(), id); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "enterprise", e.Name, d)
}

func (s *Server) myEnterprise(w http.ResponseWriter, r *http.Request) {
	p, ok := s.requireUser(w, r)
	if !ok {
		return
	}
	if p.EnterpriseID == 0 {
		s.fail(w, r, errs.Forbidden())
		return
	}
	redirect(w, r, fmt.Sprintf("/enterprises/%d", p.EnterpriseID))
}

func (s *Server) enterpriseEdit(w http.ResponseWriter, r *http.Request) {
	p, ok := s.requireUser(w, r)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.NotFound(w, r)
		return
	}
	staff := p.Can(identity.PermEnterpriseWrite)
	if !staff && !(p.Can(identity.PermEnterpriseOwn) && p.EnterpriseID == id) {
		s.fail(w, r, errs.Forbidden())
		return
	}
	e, err := s.Enterprise.Get(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ch, err := s.choices(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := formData{ID: id, Staff: staff, Values: valuesOf(e), TagsOn: map[string]bool{}, Errors: map[string]string{},
		Version: e.Version, Choices: ch, Verified: e.Facts.Verified}
	for _, t := range e.Tags {
		d.TagsOn[t.Code] = true
		d.Values["tag_"+t.Code+"_from"], d.Values["tag_"+t.Code+"_to"], d.Values["tag_"+t.Code+"_cert"] = t.ValidFrom, t.ValidTo, t.CertificateNo
	}
	s.render(w, r, http.StatusOK, "enterprise_form", i18n.M("编辑企业档案", "Edit enterprise profile").In(httpmw.Lang(r)), d)
}

func (s *Server) enterpriseUpdate(w http.ResponseWriter, r *http.Request) {
	p, ok := s.requireUser(w, r)
	if !ok {
		return
	}
	lang := httpmw.Lang(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.NotFound(w, r)
		return
	}
	staff := p.Can(identity.PermEnterpriseWrite)
	in, d, ok := s.readForm(r, false, staff)
	if ok {
		_, notices, err := s.Enterprise.Update(r.Context(), id, in)
		if err == nil {
			s.setFlash(w, flashWithNotices(i18n.M("已保存", "Saved").In(lang), notices, lang))
			redirect(w, r, fmt.Sprintf("/enterprises/%d", id))
			return
		}
		if !s.formError(w, r, err, &d) {
			return
		}
	}
	s.render(w, r, http.StatusUnprocessableEntity, "enterprise_form", i18n.M("编辑企业档案", "Edit enterprise profile").In(lang), d)
}

// valuesOf fills an edit form from a profile.
func valuesOf(e enterprise.Enterprise) map[string]string {
	wan := func(p *int64) string {
		if p == nil {
			return ""
		}
		return money.FormatWanExact(*p)
	}
	num := func(p *int64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatInt(*p, 10)
	}
	v := map[string]string{
		"credit_code": e.CreditCode, "name": e.Name, "legal_rep": e.LegalRep, "registered_on": e.RegisteredOn,
		"region_code": e.RegionCode, "address": e.Address, "industry_code": e.IndustryCode, "ownership": e.Ownership,
		"registered_capital_wan": wan(e.RegisteredCapitalFen), "contact_name": e.ContactName, "contact_phone": e.ContactPhone,
		"business_scope": e.BusinessScope, "tax_credit_grade": e.TaxCreditGrade, "dishonest_note": e.DishonestNote,
		"employees": num(e.Facts.Employees), "revenue_wan": wan(e.Facts.RevenueFen), "assets_wan": wan(e.Facts.AssetsFen),
		"taxable_income_wan": wan(e.Facts.TaxableIncomeFen), "rd_expense_wan": wan(e.Facts.RDExpenseFen),
		"tech_staff": num(e.Facts.TechStaff), "exports_wan": wan(e.Facts.ExportsFen),
		"hightech_revenue_wan": wan(e.Facts.HighTechRevenueFen), "costs_wan": wan(e.Facts.CostsFen),
		"ip_class1": num(e.Facts.IPClass1), "ip_class2": num(e.Facts.IPClass2),
	}
	if e.Facts.FiscalYear != 0 {
		v["fiscal_year"] = strconv.Itoa(e.Facts.FiscalYear)
	}
	if e.Dishonest {
		v["dishonest"] = "on"
	}
	return v
}

// revealContact answers the htmx "show full number" button; the reveal is
// audited by the service.
func (s *Server) revealContact(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.requireUser(w, r); !ok {
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	phone, err := s.Enterprise.RevealContact(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprintf(w, `<span class="revealed">%s</span>`, htmlEscape(phone))
}
