package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/qinqing/qinqing/internal/eligibility"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/money"
	"github.com/qinqing/qinqing/internal/policy"
)

// registerPolicy adds the policy supermarket's pages: the public shelves,
// calculator and 公示, the enterprise's matches and applications, and the
// policy officer's editor, review and payment pages.
func (s *Server) registerPolicy(mux *http.ServeMux) {
	mux.HandleFunc("GET /policy-builder/row", s.pbRowFragment)
	mux.HandleFunc("POST /policy-builder", s.pbCommandFragment)

	mux.HandleFunc("GET /policies", s.policyHome)
	mux.HandleFunc("GET /policies/calculator", s.policyCalculator)
	mux.HandleFunc("GET /policies/publicity", s.policyPublicityList)
	mux.HandleFunc("POST /policies/publicity/{batch}/objections", s.policyPublicityObject())
	mux.HandleFunc("GET /policies/{id}", s.policyShow)
	mux.HandleFunc("GET /policies/{id}/apply", s.policyApplyPage)
	mux.HandleFunc("POST /policies/{id}/apply", s.policyApplySubmit)

	mux.HandleFunc("GET /my/policies", s.policyMatches)
	mux.HandleFunc("GET /my/policy-applications", s.policyMyApplications)
	mux.HandleFunc("GET /my/policy-payouts", s.policyMyPayouts)
	mux.HandleFunc("POST /my/policy-payouts/{item}", s.policyConfirmPayout)
	mux.HandleFunc("GET /policy-runs/items/{item}", s.policyRunItemLink)
	mux.HandleFunc("GET /policy-applications/{id}", s.policyApplicationShow)
	mux.HandleFunc("POST /policy-applications/{id}/actions", s.policyApplicationAct)
	mux.HandleFunc("GET /policy-applications/{id}/files/{seq}", s.policyApplicationFile)

	mux.HandleFunc("GET /admin/policies", s.policyAdminList)
	mux.HandleFunc("GET /admin/policies/new", s.policyNew)
	mux.HandleFunc("POST /admin/policies", s.policyCreate)
	mux.HandleFunc("POST /admin/policies/simulate", s.policySimulatePanel)
	mux.HandleFunc("GET /admin/policies/{id}/edit", s.policyEdit)
	mux.HandleFunc("POST /admin/policies/{id}", s.policySave)
	mux.HandleFunc("POST /admin/policies/{id}/publish", s.policyPublish)
	mux.HandleFunc("POST /admin/policies/{id}/unpublish", s.policyUnpublish)
	mux.HandleFunc("GET /admin/policy-applications", s.policyReviewQueue)
	mux.HandleFunc("GET /admin/policy-publicity", s.policyPublicityAdmin)
	mux.HandleFunc("POST /admin/policy-publicity", s.policyPublicityStart)
	mux.HandleFunc("POST /policy-applications/{id}/payment", s.policyRecordPayment)
	mux.HandleFunc("GET /admin/policy-runs", s.policyRuns)
	mux.HandleFunc("POST /admin/policy-runs", s.policyRunStart)
	mux.HandleFunc("GET /admin/policy-runs/{id}", s.policyRunShow)
	mux.HandleFunc("POST /admin/policy-runs/{id}/{action}", s.policyRunAct)
	mux.HandleFunc("GET /stats/policy", s.policyStats)
	mux.HandleFunc("GET /policy-pushes", s.policyPushes)
}

// policyEditor reports whether p writes policy rules.
func policyEditor(p *identity.Principal) bool {
	return p.Can(identity.PermPolicyManage)
}

// policyStaff reports whether p sees drafts, every application and the
// officer's pages (read-only without the review permission).
func policyStaff(p *identity.Principal) bool {
	return p.Can(identity.PermPolicyManage) || p.Can(identity.PermPolicyReview) || p.Can(identity.PermPolicyRead)
}

// policyRequire lets through a signed-in user for whom ok holds; anonymous
// visitors go to sign in, anyone else gets 403 (recorded by the service
// when it is asked).
func (s *Server) policyRequire(w http.ResponseWriter, r *http.Request, ok func(*identity.Principal) bool) (*identity.Principal, bool) {
	p, signed := s.requireUser(w, r)
	if !signed {
		return nil, false
	}
	if !ok(p) {
		s.fail(w, r, errs.Forbidden())
		return nil, false
	}
	return p, true
}

// policyID reads the {id} path value.
func policyPathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.NotFound(i18n.M("页面", "Page"))
	}
	return id, nil
}

// pvCheck is one explained condition as pages show it: ✓ satisfied, ✗ not
// satisfied, ? not known yet.
type pvCheck struct {
	Mark   string // ok, bad, unknown
	Symbol string
	Text   i18n.Msg
}

// pvChecks turns an evaluation into marks. A negated comparison is
// satisfied when it is not met.
func pvChecks(res eligibility.Result) []pvCheck {
	out := make([]pvCheck, 0, len(res.Checks))
	for _, c := range res.Checks {
		ch := pvCheck{Text: c.Text}
		switch {
		case c.Result == eligibility.TruthUnknown:
			ch.Mark, ch.Symbol = "unknown", "?"
		case (c.Result == eligibility.Met) != c.Negated:
			ch.Mark, ch.Symbol = "ok", "✓"
		default:
			ch.Mark, ch.Symbol = "bad", "✗"
		}
		out = append(out, ch)
	}
	return out
}

// pvMissing is a fact that would decide an unknown result, with where the
// enterprise can fill it in.
type pvMissing struct {
	Attr  string
	Label i18n.Msg
	Field string // the enterprise form's field, "" when staff must set it
}

// pvFormField maps a base attribute to the enterprise edit form's field.
var pvFormField = map[string]string{
	"employees": "employees", "tech_staff": "tech_staff", "revenue": "revenue_wan", "assets": "assets_wan",
	"taxable_income": "taxable_income_wan", "rd_expense": "rd_expense_wan", "exports": "exports_wan", "fiscal_year": "fiscal_year",
	"hightech_revenue": "hightech_revenue_wan", "total_costs": "costs_wan", "ip_class1": "ip_class1", "ip_class2": "ip_class2",
}

func pvMissingOf(names []string) []pvMissing {
	out := make([]pvMissing, 0, len(names))
	for _, n := range names {
		m := pvMissing{Attr: n, Label: i18n.M(n, n), Field: pvFormField[n]}
		if a, ok := eligibility.Default.Lookup(n); ok {
			m.Label = a.Label
		}
		out = append(out, m)
	}
	return out
}

// pvOutcome names an outcome with its mark.
type pvOutcome struct {
	Code   string
	Label  i18n.Msg
	Symbol string
}

func pvOutcomeOf(o eligibility.Outcome) pvOutcome {
	sym := map[eligibility.Outcome]string{eligibility.Eligible: "✓", eligibility.Ineligible: "✗", eligibility.Unknown: "?"}[o]
	return pvOutcome{Code: string(o), Label: policy.OutcomeLabel(o), Symbol: sym}
}

// pvYuan renders an optional amount in fen as yuan with separators.
func pvYuan(fen *int64) string {
	if fen == nil {
		return ""
	}
	return money.FormatYuanGrouped(*fen)
}

// pvBenefit describes a version's benefit in words: the amount or
// formula, the cap and the period.
func pvBenefit(v policy.Version) i18n.Msg {
	b := v.Benefit
	var zh, en []string
	switch b.Kind {
	case policy.BenefitFixed:
		y := money.FormatYuanGrouped(b.Amount.Fen)
		zh, en = append(zh, y+" 元"), append(en, y+" yuan")
	case policy.BenefitFormula:
		zh, en = append(zh, "按公式 "+b.Formula+" 计算（元）"), append(en, "computed as "+b.Formula+" (yuan)")
	}
	if b.Cap.Valid {
		y := money.FormatYuanGrouped(b.Cap.Fen)
		zh, en = append(zh, "最高 "+y+" 元"), append(en, "at most "+y+" yuan")
	}
	if b.Kind != policy.BenefitNone && b.Period != "" && b.Period != policy.PeriodOnce {
		p := policy.Label(policy.Periods, string(b.Period))
		zh, en = append(zh, p.Zh), append(en, strings.ToLower(p.En))
	}
	if b.Description != "" {
		zh, en = append(zh, b.Description), append(en, b.Description)
	}
	if len(zh) == 0 {
		return i18n.M("非资金类支持", "Support other than money")
	}
	return i18n.M(strings.Join(zh, "；"), strings.Join(en, "; "))
}

// pvCard is a policy on a shelf or in a list.
type pvCard struct {
	ID         int64
	Code       string
	Title      string
	TitleEn    string
	DocumentNo string
	Issuer     string
	Level      i18n.Msg
	Shelf      i18n.Msg
	Mode       i18n.Msg
	ModeCode   string
	Summary    string
	Benefit    i18n.Msg
	Validity   i18n.Msg
	Status     i18n.Msg
	StatusCode string
	Version    int
	Published  int
	HasDraft   bool
}

func pvCardOf(p policy.Policy) pvCard {
	v := p.Current
	return pvCard{ID: p.ID, Code: p.Code, Title: v.Title, TitleEn: v.TitleEn, DocumentNo: v.DocumentNo, Issuer: v.Issuer,
		Level: policy.Label(policy.Levels, string(v.Level)), Shelf: policy.Label(policy.Shelves, string(v.Shelf)),
		Mode: policy.Label(policy.Modes, string(v.Mode)), ModeCode: string(v.Mode), Summary: v.Summary, Benefit: pvBenefit(v),
		Validity: pvValidity(v), Status: policy.Label(policy.Statuses, string(p.Status)), StatusCode: string(p.Status),
		Version: v.Number, Published: p.Published, HasDraft: p.HasDraft()}
}

// pvValidity renders a validity period.
func pvValidity(v policy.Version) i18n.Msg {
	if v.ValidTo == "" {
		return i18n.M(v.ValidFrom+" 起长期有效", "from "+v.ValidFrom+", open-ended")
	}
	return i18n.M(v.ValidFrom+" 至 "+v.ValidTo, v.ValidFrom+" to "+v.ValidTo)
}

// pvOptions marks the chosen code among options.
type pvOpt struct {
	Code     string
	Name     i18n.Msg
	Selected bool
}

func pvOpts(opts []policy.Option, chosen string) []pvOpt {
	out := make([]pvOpt, len(opts))
	for i, o := range opts {
		out[i] = pvOpt{Code: o.Code, Name: o.Name, Selected: o.Code == chosen}
	}
	return out
}

func pvValid(opts []policy.Option, code string) bool {
	return slices.ContainsFunc(opts, func(o policy.Option) bool { return o.Code == code })
}

// pvFormErrors turns a service error a form can show into messages by
// field ("_form" for one without a field): invalid input, a conflict, a
// stale version. ok is false for anything else (not found, forbidden,
// internal), which the caller hands to fail.
func pvFormErrors(err error, lang i18n.Lang) (map[string]string, bool) {
	var e *errs.Error
	if !errors.As(err, &e) {
		return nil, false
	}
	switch {
	case errors.Is(err, errs.ErrInvalid), errors.Is(err, errs.ErrConflict), errors.Is(err, errs.ErrPrecondition),
		errors.Is(err, errs.ErrPreconditionRequired):
	default:
		return nil, false
	}
	out := map[string]string{}
	for k, m := range e.Fields {
		out[k] = m.In(lang)
	}
	if len(out) == 0 {
		out["_form"] = e.Msg.In(lang)
	}
	return out, true
}
