package web

import (
	"net/http"
	"strings"

	"github.com/qinqing/qinqing/internal/eligibility"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/policy"
)

// pvChange is a policy whose result a what-if changes.
type pvChange struct {
	Card          pvCard
	Before, After pvOutcome
	Checks        []pvCheck // the explanation after the change
}

type policyMatchData struct {
	EnterpriseID int64
	Eligible     []pvMatch
	Unknown      []pvMatch
	Ineligible   []pvMatch
	TotalBenefit string // money the firm would receive, yuan
	TotalSaving  string // estimated tax and fee savings the firm realises itself, yuan
	// The what-if box.
	WhatAttrs   []pbOption
	WhatAttr    string
	WhatValue   string
	WhatUnit    i18n.Msg
	WhatLabel   i18n.Msg
	WhatError   string
	WhatAsked   bool
	WhatChanges []pvChange
}

// pvTotals adds up the estimates of the eligible matches, money the firm
// would receive apart from tax and fee savings it realises itself (a
// saving is never paid, so it must not swell the money total); "" for a
// total of nothing.
func pvTotals(ms []policy.Match) (benefit, saving string) {
	var money, saved int64
	for _, m := range ms {
		if m.Result.Outcome != eligibility.Eligible || m.EstimatedBenefitFen == nil {
			continue
		}
		if m.Saving {
			saved += *m.EstimatedBenefitFen
		} else {
			money += *m.EstimatedBenefitFen
		}
	}
	if money > 0 {
		benefit = pvYuan(&money)
	}
	if saved > 0 {
		saving = pvYuan(&saved)
	}
	return benefit, saving
}

// pvWhatIfAttrs are the facts an enterprise may try other values of: the
// yearly figures and the qualifications it could reach.
var pvWhatIfAttrs = []string{"employees", "revenue", "assets", "taxable_income", "rd_expense", "tech_staff", "exports",
	"hightech_revenue", "total_costs", "ip_class1", "ip_class2", "registered_capital"}

// policyMatches is 为我匹配: every live policy for the signed-in
// enterprise, eligible first with each condition explained, then those
// waiting for facts the profile lacks (with where to fill them in), then
// the rest; and a what-if box ("如果从业人数为 …").
func (s *Server) policyMatches(w http.ResponseWriter, r *http.Request) {
	p, ok := s.policyRequire(w, r, func(p *identity.Principal) bool { return p.Can(identity.PermEnterpriseOwn) && p.EnterpriseID != 0 })
	if !ok {
		return
	}
	ctx, lang := r.Context(), httpmw.Lang(r)
	ms, err := s.Policy.Matches(ctx, p.EnterpriseID, "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := policyMatchData{EnterpriseID: p.EnterpriseID}
	for _, m := range pvMatches(ms, true) {
		switch m.Outcome.Code {
		case string(eligibility.Eligible):
			d.Eligible = append(d.Eligible, m)
		case string(eligibility.Unknown):
			d.Unknown = append(d.Unknown, m)
		default:
			d.Ineligible = append(d.Ineligible, m)
		}
	}
	d.TotalBenefit, d.TotalSaving = pvTotals(ms)
	for _, n := range pvWhatIfAttrs {
		a, _ := eligibility.Default.Lookup(n)
		d.WhatAttrs = append(d.WhatAttrs, pbOption{Code: n, Label: a.Label})
	}
	q := r.URL.Query()
	d.WhatAttr, d.WhatValue = q.Get("what"), strings.TrimSpace(q.Get("value"))
	a, known := eligibility.Default.Lookup(d.WhatAttr)
	if !known || !containsStr(pvWhatIfAttrs, d.WhatAttr) {
		d.WhatAttr, a = "employees", nil
		a, _ = eligibility.Default.Lookup("employees")
	}
	for i := range d.WhatAttrs {
		d.WhatAttrs[i].Selected = d.WhatAttrs[i].Code == d.WhatAttr
	}
	d.WhatLabel, d.WhatUnit = a.Label, a.Unit
	if a.Type == eligibility.TypeMoney {
		d.WhatUnit = i18n.M("万元", "× 10k yuan")
	}
	status := http.StatusOK
	if d.WhatValue != "" {
		d.WhatAsked = true
		v, err := pvCalcValue(a, d.WhatValue, lang)
		if err == nil {
			var changes []policy.Change
			changes, err = s.Policy.WhatIf(ctx, p.EnterpriseID, map[string]any{d.WhatAttr: v}, "")
			for _, c := range changes {
				d.WhatChanges = append(d.WhatChanges, pvChange{Card: pvCardOf(c.Policy), Before: pvOutcomeOf(c.Before.Outcome),
					After: pvOutcomeOf(c.After.Outcome), Checks: pvChecks(c.After)})
			}
		}
		if err != nil {
			if f := errs.FieldsOf(err); f != nil {
				for _, m := range f {
					d.WhatError = m.In(lang)
				}
			} else if _, isCalc := err.(pvCalcErr); isCalc {
				d.WhatError = err.Error()
			} else {
				s.fail(w, r, err)
				return
			}
			status = http.StatusUnprocessableEntity
		}
	}
	s.render(w, r, status, "policy_matches", i18n.M("为我匹配", "Policies for my enterprise").In(lang), d)
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
