package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/qinqing/qinqing/internal/eligibility"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/money"
	"github.com/qinqing/qinqing/internal/policy"
)

// pvBlankRows is how many empty material and test rows the editor offers.
const pvBlankRows = 2

// pvTextFields are the editor's single-value inputs, named as the
// service's error paths name them.
var pvTextFields = []string{"code", "title", "title_en", "document_no", "issuer", "level", "shelf", "mode", "department_code",
	"contact_name", "contact_phone", "valid_from", "valid_to", "summary", "full_text", "keywords",
	"guide.beneficiaries", "guide.conditions", "guide.time_limit_days", "guide.address", "guide.phone",
	"benefit.kind", "benefit.amount_yuan", "benefit.formula", "benefit.cap_yuan", "benefit.period", "benefit.description",
	"benefit.saving"} // a checkbox: "on" or ""

// pvMaterialRow is one row of the materials editor.
type pvMaterialRow struct {
	I        int
	Name     string
	Required bool
	Source   string
	Errors   map[string]string
}

// pvTestRow is one of the policy's own tests: a profile written one fact a
// line ("taxable_income = 3000000", money in yuan) and the expected result.
type pvTestRow struct {
	I       int
	Name    string
	AsOf    string
	Profile string
	Expect  string
	Benefit string
	Error   string
	Result  *pvTestResult
}

// pvTestResult is how a test ran against the saved version.
type pvTestResult struct {
	Passed  bool
	Got     pvOutcome
	Message i18n.Msg
	Benefit string
}

func (r pvTestRow) blank() bool {
	return strings.TrimSpace(r.Name) == "" && strings.TrimSpace(r.Profile) == ""
}

// policyForm backs the policy editor; everything stays as typed.
type policyForm struct {
	ID        int64
	Rev       int
	New       bool
	Code      string
	Status    i18n.Msg
	StatusRaw string
	Latest    int
	Published int
	HasDraft  bool
	Values    map[string]string
	Materials []pvMaterialRow
	Tests     []pvTestRow
	Builder   *pbForm
	Errors    map[string]string
	Extra     []string
	Stale     bool
	TestsRun  int
	TestsFail int

	Levels, Shelves, Modes, Kinds, Periods, Sources, Expects []pvOpt
	Depts                                                    []catOption
	Versions                                                 []pvVersion

	index pvIndex
}

// pvVersion is one row of the version history.
type pvVersion struct {
	Number        int
	State         string
	EffectiveFrom string
	CreatedBy     string
	CreatedAt     string
	PublishedBy   string
	Title         string
}

func (s *Server) policyFormBase(r *http.Request) (*policyForm, error) {
	depts, err := s.catDepartments(r.Context())
	if err != nil {
		return nil, err
	}
	f := &policyForm{Values: map[string]string{}, Errors: map[string]string{}, Depts: depts.Options(), Builder: pbNew("cond", "conditions")}
	return f, nil
}

// options fills the choice lists with the current values marked.
func (f *policyForm) options() {
	f.Levels = pvOpts(policy.Levels, f.Values["level"])
	f.Shelves = pvOpts(policy.Shelves, f.Values["shelf"])
	f.Modes = pvOpts(policy.Modes, f.Values["mode"])
	f.Kinds = pvOpts(policy.BenefitKinds, f.Values["benefit.kind"])
	f.Periods = pvOpts(policy.Periods, f.Values["benefit.period"])
	f.Sources = pvOpts(policy.MaterialSources, "")
	f.Expects = []pvOpt{{Code: "eligible", Name: policy.OutcomeLabel(eligibility.Eligible)},
		{Code: "ineligible", Name: policy.OutcomeLabel(eligibility.Ineligible)}, {Code: "unknown", Name: policy.OutcomeLabel(eligibility.Unknown)}}
	for len(f.Materials) == 0 || !pvMaterialBlank(f.Materials[len(f.Materials)-1]) {
		f.Materials = append(f.Materials, pvMaterialRow{I: len(f.Materials), Required: true, Source: "applicant", Errors: map[string]string{}})
	}
	for len(f.Tests) == 0 || !f.Tests[len(f.Tests)-1].blank() {
		f.Tests = append(f.Tests, pvTestRow{I: len(f.Tests), Expect: "eligible"})
	}
}

func pvMaterialBlank(m pvMaterialRow) bool { return strings.TrimSpace(m.Name) == "" }

// fill puts a stored definition into the form.
func (f *policyForm) fill(in policy.Input) {
	yuan := func(y money.Yuan) string {
		if !y.Valid {
			return ""
		}
		return money.FormatYuan(y.Fen)
	}
	limit := ""
	if in.Guide.TimeLimitDays != 0 {
		limit = strconv.Itoa(in.Guide.TimeLimitDays)
	}
	f.Values = map[string]string{"code": in.Code, "title": in.Title, "title_en": in.TitleEn, "document_no": in.DocumentNo,
		"issuer": in.Issuer, "level": string(in.Level), "shelf": string(in.Shelf), "mode": string(in.Mode), "department_code": in.Department,
		"contact_name": in.ContactName, "contact_phone": in.ContactPhone, "valid_from": in.ValidFrom, "valid_to": in.ValidTo,
		"summary": in.Summary, "full_text": in.FullText, "keywords": in.Keywords,
		"guide.beneficiaries": in.Guide.Beneficiaries, "guide.conditions": in.Guide.Conditions, "guide.time_limit_days": limit,
		"guide.address": in.Guide.Address, "guide.phone": in.Guide.Phone,
		"benefit.kind": string(in.Benefit.Kind), "benefit.amount_yuan": yuan(in.Benefit.Amount), "benefit.formula": in.Benefit.Formula,
		"benefit.cap_yuan": yuan(in.Benefit.Cap), "benefit.period": string(in.Benefit.Period), "benefit.description": in.Benefit.Description}
	if in.Benefit.Saving {
		f.Values["benefit.saving"] = "on"
	}
	f.Materials = nil
	for i, m := range in.Materials {
		f.Materials = append(f.Materials, pvMaterialRow{I: i, Name: m.Name, Required: m.Required, Source: m.Source, Errors: map[string]string{}})
	}
	f.Tests = nil
	for i, t := range in.Tests {
		row := pvTestRow{I: i, Name: t.Name, AsOf: t.AsOf, Profile: pvProfileText(t.Profile), Expect: string(t.Expect)}
		if t.Benefit.Valid {
			row.Benefit = money.FormatYuan(t.Benefit.Fen)
		}
		f.Tests = append(f.Tests, row)
	}
	f.Builder = pbFromNode("cond", "conditions", in.Conditions)
}

// pvProfileText writes a test profile one fact a line, in catalogue order.
func pvProfileText(p map[string]any) string {
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	order := map[string]int{}
	for i, a := range eligibility.Default.Attributes() {
		order[a.Name] = i
	}
	sort.SliceStable(keys, func(i, j int) bool { return order[keys[i]] < order[keys[j]] })
	var b strings.Builder
	for _, k := range keys {
		v := p[k]
		var text string
		switch x := v.(type) {
		case []any:
			parts := make([]string, len(x))
			for i, e := range x {
				parts[i] = fmt.Sprint(e)
			}
			text = strings.Join(parts, ", ")
		case float64:
			text = strconv.FormatFloat(x, 'f', -1, 64)
		default:
			text = fmt.Sprint(x)
		}
		fmt.Fprintf(&b, "%s = %s\n", k, text)
	}
	return strings.TrimRight(b.String(), "\n")
}

// pvLabelToAttr lets a test profile name an attribute by its Chinese or
// English label too.
func pvLabelToAttr(key string) (string, bool) {
	key = strings.TrimSpace(key)
	if _, ok := eligibility.Default.Lookup(key); ok {
		return key, true
	}
	for _, a := range eligibility.Default.Attributes() {
		if a.Label.Zh == key || strings.EqualFold(a.Label.En, key) {
			return a.Name, true
		}
	}
	return "", false
}

// pvParseProfile reads "attr = value" lines into a test profile in the
// catalogue's external units (money in yuan). Values stay strings: the
// catalogue reads strings of every type, and a set is written with commas.
func pvParseProfile(text string, lang i18n.Lang) (map[string]any, string) {
	out := map[string]any{}
	var bad []string
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(strings.Replace(line, "＝", "=", 1), "=")
		if !ok {
			k, v, ok = strings.Cut(strings.Replace(line, "：", ":", 1), ":")
		}
		attr, known := pvLabelToAttr(k)
		if !ok || !known {
			bad = append(bad, fmt.Sprintf(i18n.M("第 %d 行", "line %d").In(lang), n+1))
			continue
		}
		v = strings.TrimSpace(v)
		if a, _ := eligibility.Default.Lookup(attr); a.Type == eligibility.TypeSet {
			var list []any
			for _, s := range pbSplit(v) {
				list = append(list, s)
			}
			if list == nil {
				list = []any{}
			}
			out[attr] = list
			continue
		}
		if a, _ := eligibility.Default.Lookup(attr); a.Type == eligibility.TypeBool {
			switch v {
			case "true", "是", "yes":
				out[attr] = true
			case "false", "否", "no":
				out[attr] = false
			default:
				out[attr] = v
			}
			continue
		}
		if a, _ := eligibility.Default.Lookup(attr); a.Type == eligibility.TypeNumber || a.Type == eligibility.TypeMoney || a.Type == eligibility.TypePercent {
			out[attr] = json.Number(v)
			continue
		}
		out[attr] = v
	}
	if len(bad) > 0 {
		return out, i18n.M("无法识别（每行写“属性 = 取值”，属性用英文名或中文名）：", "Not understood (write “attribute = value” per line): ").In(lang) + strings.Join(bad, "、")
	}
	return out, ""
}

// read parses the posted editor into the form (as typed) and an input.
func (f *policyForm) read(form url.Values, lang i18n.Lang) (policy.Input, bool) {
	for _, k := range pvTextFields {
		f.Values[k] = strings.TrimSpace(form.Get(k))
	}
	f.Rev, _ = strconv.Atoi(form.Get("rev"))
	in := policy.Input{Code: f.Values["code"], Title: f.Values["title"], TitleEn: f.Values["title_en"], DocumentNo: f.Values["document_no"],
		Issuer: f.Values["issuer"], Level: policy.Level(f.Values["level"]), Shelf: policy.Shelf(f.Values["shelf"]), Mode: policy.Mode(f.Values["mode"]),
		Department: f.Values["department_code"], ContactName: f.Values["contact_name"], ContactPhone: f.Values["contact_phone"],
		ValidFrom: f.Values["valid_from"], ValidTo: f.Values["valid_to"], Summary: f.Values["summary"], FullText: f.Values["full_text"],
		Keywords: f.Values["keywords"],
		Guide: policy.Guide{Beneficiaries: f.Values["guide.beneficiaries"], Conditions: f.Values["guide.conditions"],
			Address: f.Values["guide.address"], Phone: f.Values["guide.phone"]},
		Benefit: policy.Benefit{Kind: policy.BenefitKind(f.Values["benefit.kind"]), Formula: f.Values["benefit.formula"],
			Period: policy.Period(f.Values["benefit.period"]), Description: f.Values["benefit.description"],
			Saving: f.Values["benefit.saving"] != ""},
		Materials: []policy.Material{}, Tests: []policy.TestCase{}}
	if v := f.Values["guide.time_limit_days"]; v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			f.Errors["guide.time_limit_days"] = i18n.M("请填写整数（工作日）", "Enter a whole number of working days").In(lang)
		}
		in.Guide.TimeLimitDays = n
	}
	for _, m := range []struct {
		key string
		dst *money.Yuan
	}{{"benefit.amount_yuan", &in.Benefit.Amount}, {"benefit.cap_yuan", &in.Benefit.Cap}} {
		if v := f.Values[m.key]; v != "" {
			fen, err := money.ParseYuan(v)
			if err != nil {
				f.Errors[m.key] = i18n.M("请填写以元为单位的金额，最多两位小数", "Enter an amount in yuan with at most two decimals").In(lang)
				continue
			}
			*m.dst = money.Yuan{Fen: fen, Valid: true}
		}
	}
	rows := min(max(atoiDefault(form.Get("material_rows"), 0), 0), 200)
	f.Materials = nil
	var matIndex []int
	for i := range rows {
		at := func(k string) string { return strings.TrimSpace(form.Get(fmt.Sprintf("materials[%d].%s", i, k))) }
		row := pvMaterialRow{I: i, Name: at("name"), Required: at("required") == "on", Source: at("source"), Errors: map[string]string{}}
		f.Materials = append(f.Materials, row)
		if pvMaterialBlank(row) {
			continue
		}
		in.Materials = append(in.Materials, policy.Material{Name: row.Name, Required: row.Required, Source: row.Source})
		matIndex = append(matIndex, i)
	}
	trows := min(max(atoiDefault(form.Get("test_rows"), 0), 0), 200)
	f.Tests = nil
	var testIndex []int
	for i := range trows {
		at := func(k string) string { return strings.TrimSpace(form.Get(fmt.Sprintf("tests[%d].%s", i, k))) }
		row := pvTestRow{I: i, Name: at("name"), AsOf: at("as_of"), Profile: form.Get(fmt.Sprintf("tests[%d].profile", i)), Expect: at("expect"), Benefit: at("benefit_yuan")}
		if row.blank() {
			f.Tests = append(f.Tests, row)
			continue
		}
		tc := policy.TestCase{Name: row.Name, AsOf: row.AsOf, Expect: eligibility.Outcome(row.Expect)}
		prof, msg := pvParseProfile(row.Profile, lang)
		tc.Profile = prof
		if msg != "" {
			row.Error = msg
			f.Errors["tests"] = i18n.M("测试用例有误，请看标红的行", "Some tests need correcting (rows in red)").In(lang)
		}
		if row.Benefit != "" {
			fen, err := money.ParseYuan(row.Benefit)
			if err != nil {
				row.Error = i18n.M("预期兑现金额须为以元为单位的金额", "The expected benefit is an amount in yuan").In(lang)
				f.Errors["tests"] = i18n.M("测试用例有误，请看标红的行", "Some tests need correcting (rows in red)").In(lang)
			} else {
				tc.Benefit = money.Yuan{Fen: fen, Valid: true}
			}
		}
		f.Tests = append(f.Tests, row)
		in.Tests = append(in.Tests, tc)
		testIndex = append(testIndex, i)
	}
	f.Builder = pbRead(form, "cond", "conditions")
	n, paths, ok := f.Builder.Node(lang)
	in.Conditions = n
	f.index = pvIndex{materials: matIndex, tests: testIndex, paths: paths}
	return in, ok && len(f.Errors) == 0
}

// pvIndex maps the service's positions back to the form's rows.
type pvIndex struct {
	materials []int
	tests     []int
	paths     pbRowPaths
}

var pvIndexedRE = regexp.MustCompile(`^(materials|tests)\[(\d+)\](?:\.(\w+))?`)

// place puts the service's errors next to what caused them: fields at
// their inputs, conditions on their builder rows, materials and tests on
// their rows. It reports false for an error a form cannot show.
func (f *policyForm) place(err error, lang i18n.Lang) bool {
	fields, ok := pvFormErrors(err, lang)
	if !ok {
		return false
	}
	if errors.Is(err, errs.ErrPrecondition) {
		f.Stale = true
	}
	var cond errs.Fields
	var e *errs.Error
	if errors.As(err, &e) {
		for k, m := range e.Fields {
			if k == "conditions" || strings.HasPrefix(k, "conditions.") {
				if cond == nil {
					cond = errs.Fields{}
				}
				cond[k] = m
			}
		}
	}
	if cond != nil {
		f.Builder.placeErrors(cond.Err(), f.index.paths, lang)
		f.Errors["conditions"] = i18n.M("条件有误，请看标红的条件", "Some conditions need correcting (in red)").In(lang)
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		msg := fields[k]
		if k == "conditions" || strings.HasPrefix(k, "conditions.") {
			continue
		}
		if m := pvIndexedRE.FindStringSubmatch(k); m != nil {
			n, _ := strconv.Atoi(m[2])
			if m[1] == "materials" && n < len(f.index.materials) {
				row := &f.Materials[f.index.materials[n]]
				part := m[3]
				if part == "" {
					part = "name"
				}
				if _, had := row.Errors[part]; !had {
					row.Errors[part] = msg
				}
				f.Errors["materials"] = i18n.M("申请材料有误，请看标红的行", "Some materials need correcting (rows in red)").In(lang)
				continue
			}
			if m[1] == "tests" && n < len(f.index.tests) {
				row := &f.Tests[f.index.tests[n]]
				if row.Error == "" {
					row.Error = msg
				}
				f.Errors["tests"] = i18n.M("测试用例未通过或有误，请看标红的行", "Some tests fail or need correcting (rows in red)").In(lang)
				continue
			}
		}
		if slices.Contains(pvTextFields, k) || k == "_form" {
			if _, had := f.Errors[k]; !had {
				f.Errors[k] = msg
			}
			continue
		}
		f.Extra = append(f.Extra, k+"："+msg)
	}
	return true
}

// policyAdminRow is a policy in the officer's list.
type policyAdminData struct {
	Cards              []pvCard
	Status             string
	Statuses           []pvOpt
	Q                  string
	Total, Page, Pages int
	HasNext            bool
	Editor             bool
}

// policyAdminList is the officer's list of every policy, drafts included,
// newest first, with its status and versions.
func (s *Server) policyAdminList(w http.ResponseWriter, r *http.Request) {
	p, ok := s.policyRequire(w, r, policyStaff)
	if !ok {
		return
	}
	ctx, lang := r.Context(), httpmw.Lang(r)
	q := r.URL.Query()
	d := policyAdminData{Status: q.Get("status"), Q: strings.TrimSpace(q.Get("q")), Editor: policyEditor(p)}
	if d.Status != "" && !pvValid(policy.Statuses, d.Status) {
		d.Status = ""
	}
	d.Statuses = pvOpts(policy.Statuses, d.Status)
	pg, err := s.Policy.List(ctx, policy.Filter{Q: d.Q, Status: policy.Status(d.Status), Page: max(atoiDefault(q.Get("page"), 1), 1), PerPage: 50})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, pol := range pg.Items {
		d.Cards = append(d.Cards, pvCardOf(pol))
	}
	d.Total, d.Page, d.Pages, d.HasNext = pg.Total, pg.Page, max(pg.Pages(), 1), pg.Page < pg.Pages()
	s.render(w, r, http.StatusOK, "policy_admin", i18n.M("政策管理", "Policies").In(lang), d)
}

// policyNew is the editor for a new policy.
func (s *Server) policyNew(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.policyRequire(w, r, policyEditor); !ok {
		return
	}
	f, err := s.policyFormBase(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f.New = true
	f.Values["level"], f.Values["mode"], f.Values["benefit.kind"], f.Values["benefit.period"] = "district", "apply", "fixed", "once"
	s.renderPolicyForm(w, r, http.StatusOK, f)
}

func (s *Server) renderPolicyForm(w http.ResponseWriter, r *http.Request, status int, f *policyForm) {
	lang := httpmw.Lang(r)
	f.options()
	f.Builder.prepare(lang, s.pbTagOptions(r))
	title := i18n.M("新建政策", "New policy").In(lang)
	if !f.New {
		title = i18n.M("编辑政策：", "Edit policy: ").In(lang) + f.Values["title"]
	}
	s.render(w, r, status, "policy_edit", title, f)
}

// policyEdit opens the newest version of a policy in the editor, with its
// tests run and its version history.
func (s *Server) policyEdit(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.policyRequire(w, r, policyStaff); !ok {
		return
	}
	id, err := policyPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f, err := s.policyFormBase(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pol, err := s.Policy.Get(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f.fill(pol.Current.Input)
	if err := s.policyFormState(r, f, pol); err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderPolicyForm(w, r, http.StatusOK, f)
}

// policyFormState adds what the stored policy says: revision, status,
// versions and how its tests run now.
func (s *Server) policyFormState(r *http.Request, f *policyForm, pol policy.Policy) error {
	ctx := r.Context()
	f.ID, f.Code, f.Latest, f.Published, f.HasDraft = pol.ID, pol.Code, pol.Latest, pol.Published, pol.HasDraft()
	if f.Rev == 0 {
		f.Rev = pol.Rev
	}
	f.Status, f.StatusRaw = policy.Label(policy.Statuses, string(pol.Status)), string(pol.Status)
	vs, err := s.Policy.Versions(ctx, pol.ID)
	if err != nil {
		return err
	}
	f.Versions = nil
	for _, v := range vs {
		f.Versions = append(f.Versions, pvVersion{Number: v.Number, State: string(v.State), EffectiveFrom: v.EffectiveFrom, CreatedBy: v.CreatedBy,
			CreatedAt: v.CreatedAt.In(s.loc).Format("2006-01-02 15:04"), PublishedBy: v.PublishedBy, Title: v.Title})
	}
	results, err := s.Policy.RunTests(ctx, pol.Current.Input)
	if err != nil {
		return nil // a stored version always compiles; nothing to show otherwise
	}
	ti := 0
	for i := range f.Tests {
		if f.Tests[i].blank() || ti >= len(results) {
			continue
		}
		res := results[ti]
		ti++
		tr := &pvTestResult{Passed: res.Passed, Got: pvOutcomeOf(res.Got), Message: res.Message}
		if res.Benefit != nil && res.Benefit.Valid {
			tr.Benefit = money.FormatYuan(res.Benefit.Fen)
		}
		f.Tests[i].Result = tr
		f.TestsRun++
		if !res.Passed {
			f.TestsFail++
		}
	}
	return nil
}

// pvBuilderCommand applies a builder button or a "more rows" button of
// the no-JavaScript editor: the form comes back as typed, nothing saved.
func (f *policyForm) command(form url.Values) bool {
	if cmd := form.Get("cond.cmd"); cmd != "" {
		f.Builder.command(cmd)
		return true
	}
	switch form.Get("more") {
	case "materials":
		f.Materials = append(f.Materials, pvMaterialRow{I: len(f.Materials), Required: true, Source: "applicant", Errors: map[string]string{}})
		return true
	case "tests":
		f.Tests = append(f.Tests, pvTestRow{I: len(f.Tests), Expect: "eligible"})
		return true
	}
	return false
}

// policyCreate saves a new policy as draft version 1.
func (s *Server) policyCreate(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.policyRequire(w, r, policyEditor); !ok {
		return
	}
	ctx, lang := r.Context(), httpmw.Lang(r)
	f, err := s.policyFormBase(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f.New = true
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, errs.Invalid("form", i18n.M("表单无法解析", "The form could not be read")))
		return
	}
	in, ok := f.read(r.PostForm, lang)
	if f.command(r.PostForm) {
		f.clearErrors()
		s.renderPolicyForm(w, r, http.StatusOK, f)
		return
	}
	if !ok {
		// Show the service's checks too, so every problem is listed at once.
		f.Builder.Compile(lang)
		if err := in.Validate(); err != nil {
			f.place(err, lang)
		}
		s.renderPolicyForm(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	pol, err := s.Policy.Create(ctx, in)
	if err != nil {
		if !f.place(err, lang) {
			s.fail(w, r, err)
			return
		}
		s.renderPolicyForm(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	s.setFlash(w, pvSavedMsg(pol, len(in.Tests)).In(lang))
	redirect(w, r, fmt.Sprintf("/admin/policies/%d/edit", pol.ID))
}

func pvSavedMsg(pol policy.Policy, tests int) i18n.Msg {
	return i18n.M(fmt.Sprintf("已保存为第 %d 版（草稿），%d 项测试全部通过", pol.Latest, tests),
		fmt.Sprintf("Saved as draft version %d; all %d tests pass", pol.Latest, tests))
}

func (f *policyForm) clearErrors() {
	f.Errors = map[string]string{}
	for i := range f.Materials {
		f.Materials[i].Errors = map[string]string{}
	}
	for i := range f.Tests {
		f.Tests[i].Error = ""
	}
	for i := range f.Builder.Rows {
		f.Builder.Rows[i].Errors = map[string]string{}
	}
	f.Builder.Extra = nil
}

// policySave saves the editor: the draft is rewritten, or a published
// version gets a new draft after it. Tests run on save; a failing test is
// shown on its row and nothing is saved.
func (s *Server) policySave(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.policyRequire(w, r, policyEditor); !ok {
		return
	}
	ctx, lang := r.Context(), httpmw.Lang(r)
	id, err := policyPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pol, err := s.Policy.Get(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f, err := s.policyFormBase(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, errs.Invalid("form", i18n.M("表单无法解析", "The form could not be read")))
		return
	}
	in, ok := f.read(r.PostForm, lang)
	in.Code = pol.Code
	f.Values["code"] = pol.Code
	state := func() {
		if err := s.policyFormState(r, f, pol); err != nil {
			s.Log.Warn("policy form state", "err", err)
		}
	}
	if f.command(r.PostForm) {
		f.clearErrors()
		state()
		s.renderPolicyForm(w, r, http.StatusOK, f)
		return
	}
	if !ok {
		f.Builder.Compile(lang)
		if err := in.Validate(); err != nil {
			f.place(err, lang)
		}
		state()
		s.renderPolicyForm(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	out, err := s.Policy.Update(ctx, id, f.Rev, in)
	if err != nil {
		if !f.place(err, lang) {
			s.fail(w, r, err)
			return
		}
		status := http.StatusUnprocessableEntity
		if f.Stale {
			status = http.StatusConflict
		}
		rev := f.Rev
		state()
		f.Rev = rev // keep the stale revision: saving again must not silently win
		s.renderPolicyForm(w, r, status, f)
		return
	}
	s.setFlash(w, pvSavedMsg(out, len(in.Tests)).In(lang))
	redirect(w, r, fmt.Sprintf("/admin/policies/%d/edit", id))
}

// policyPublish publishes the newest draft (or puts an unpublished policy
// back on the shelves) from the given date.
func (s *Server) policyPublish(w http.ResponseWriter, r *http.Request) {
	s.policyLifecycle(w, r, func(id int64, rev int) (policy.Policy, error) {
		return s.Policy.Publish(r.Context(), id, rev, strings.TrimSpace(r.PostFormValue("effective_from")))
	}, i18n.M("已发布", "Published"))
}

// policyUnpublish takes a policy off the shelves.
func (s *Server) policyUnpublish(w http.ResponseWriter, r *http.Request) {
	s.policyLifecycle(w, r, func(id int64, rev int) (policy.Policy, error) {
		return s.Policy.Unpublish(r.Context(), id, rev)
	}, i18n.M("已下架", "Taken off the shelves"))
}

func (s *Server) policyLifecycle(w http.ResponseWriter, r *http.Request, act func(int64, int) (policy.Policy, error), done i18n.Msg) {
	if _, ok := s.policyRequire(w, r, policyEditor); !ok {
		return
	}
	lang := httpmw.Lang(r)
	id, err := policyPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rev, _ := strconv.Atoi(r.PostFormValue("rev"))
	out, err := act(id, rev)
	if err == nil {
		s.setFlash(w, i18n.M(fmt.Sprintf("%s（第 %d 版）", done.Zh, out.Published), fmt.Sprintf("%s (version %d)", done.En, out.Published)).In(lang))
		redirect(w, r, fmt.Sprintf("/admin/policies/%d/edit", id))
		return
	}
	fields, ok := pvFormErrors(err, lang)
	if !ok {
		s.fail(w, r, err)
		return
	}
	msgs := make([]string, 0, len(fields))
	for k, m := range fields {
		if k == "_form" || k == "effective_from" {
			msgs = append(msgs, m)
		} else {
			msgs = append(msgs, k+"："+m)
		}
	}
	slices.Sort(msgs)
	s.setFlash(w, i18n.M("未能完成：", "Not done: ").In(lang)+strings.Join(msgs, "；"))
	redirect(w, r, fmt.Sprintf("/admin/policies/%d/edit", id))
}

// pvSim is the editor's live panel.
type pvSim struct {
	OK         bool
	Error      string
	AsOf       string
	Eligible   int
	Unknown    int
	Ineligible int
	Payout     string
	PayoutUnk  int
	Saving     bool // the payout is tax or fee revenue forgone, not money paid
	ByStreet   []pvBucket
	ByIndustry []pvBucket
	BySize     []pvBucket
	Sample     []pvSample
}

type pvBucket struct {
	Label    i18n.Msg
	Eligible int
	Unknown  int
	Payout   string
}

type pvSample struct {
	ID     int64
	Name   string
	Amount string
}

// policySimulatePanel answers the editor's live panel: how many
// enterprises the conditions being edited reach today, by street, industry
// and size, and what the benefit would cost.
func (s *Server) policySimulatePanel(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.policyRequire(w, r, policyEditor); !ok {
		return
	}
	lang := httpmw.Lang(r)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, errs.Invalid("form", i18n.M("表单无法解析", "The form could not be read")))
		return
	}
	f := &policyForm{Values: map[string]string{}, Errors: map[string]string{}}
	in, _ := f.read(r.PostForm, lang)
	sim := pvSim{}
	if _, ok := f.Builder.Compile(lang); !ok {
		sim.Error = i18n.M("条件尚未填写完整或有误，修正后自动统计", "The conditions are incomplete or wrong; the count follows once they are fixed").In(lang)
		s.renderFragment(w, r, "policy_sim", sim)
		return
	}
	b := in.Benefit
	if b.Kind == policy.BenefitFormula && b.Formula == "" || b.Kind == policy.BenefitFixed && !b.Amount.Valid {
		b.Kind = policy.BenefitNone
	}
	if b.Period == "" {
		b.Period = policy.PeriodOnce
	}
	res, err := s.Policy.Simulate(r.Context(), policy.SimulateInput{Conditions: in.Conditions, Benefit: b, SampleSize: 10})
	if err != nil {
		if fields, ok := pvFormErrors(err, lang); ok {
			var msgs []string
			for _, m := range fields {
				msgs = append(msgs, m)
			}
			slices.Sort(msgs)
			sim.Error = strings.Join(msgs, "；")
			s.renderFragment(w, r, "policy_sim", sim)
			return
		}
		s.fail(w, r, err)
		return
	}
	sim = pvSim{OK: true, AsOf: res.AsOf, Eligible: res.Eligible, Unknown: res.Unknown, Ineligible: res.Ineligible,
		Payout: money.FormatYuanGrouped(res.EstimatedPayoutFen), PayoutUnk: res.PayoutUnknown, Saving: res.Saving}
	conv := func(bs []policy.Bucket) []pvBucket {
		out := make([]pvBucket, 0, len(bs))
		for _, b := range bs {
			if b.Eligible == 0 && b.Unknown == 0 {
				continue
			}
			out = append(out, pvBucket{Label: b.Label, Eligible: b.Eligible, Unknown: b.Unknown, Payout: money.FormatYuanGrouped(b.PayoutFen)})
		}
		return out
	}
	sim.ByStreet, sim.ByIndustry, sim.BySize = conv(res.ByStreet), conv(res.ByIndustry), conv(res.BySize)
	for _, smp := range res.Sample {
		sim.Sample = append(sim.Sample, pvSample{ID: smp.EnterpriseID, Name: smp.Name, Amount: pvYuan(smp.AmountFen)})
	}
	s.renderFragment(w, r, "policy_sim", sim)
}
