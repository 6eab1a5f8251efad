package api

import (
	"net/http"
	"strings"

	"github.com/qinqing/qinqing/internal/eligibility"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/money"
)

// policyMatches evaluates every policy in effect on ?as_of= (today when
// absent) for one enterprise: eligible first, then unknown by fewest
// missing facts, then ineligible; each with every condition explained and
// the estimated benefit. An enterprise sees only its own; staff who read
// the registry any.
func (s *Server) policyMatches(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireLogin(r); err != nil {
		return err
	}
	id, err := pathID(r, "id", enterpriseWhat)
	if err != nil {
		return err
	}
	ms, err := s.Policy.Matches(r.Context(), id, strings.TrimSpace(r.URL.Query().Get("as_of")))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, matchesJSON(ms, httpmw.Lang(r)))
	return nil
}

type whatIfRequest struct {
	EnterpriseID int64          `json:"enterprise_id"`
	Changes      map[string]any `json:"changes"`
	AsOf         string         `json:"as_of"`
}

// whatIfJSON is a policy whose result a what-if changes, with the
// explanation after the change.
type whatIfJSON struct {
	PolicyID   int64           `json:"policy_id"`
	Title      string          `json:"title"`
	Before     string          `json:"before"`
	After      string          `json:"after"`
	Conditions []conditionJSON `json:"conditions"`
	Missing    []string        `json:"missing"`
}

// whatIf applies changes (attribute → value in condition units: yuan,
// percent, YYYY-MM-DD, a list of tags; null forgets a value) to an
// enterprise's profile and lists the policies whose result changes.
// Derived attributes follow: more employees may change the size class.
func (s *Server) whatIf(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireLogin(r); err != nil {
		return err
	}
	var req whatIfRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	bad := errs.Fields{}
	if req.EnterpriseID <= 0 {
		bad.Add("enterprise_id", i18n.M("请指明企业", "Name the enterprise"))
	}
	if len(req.Changes) == 0 {
		bad.Add("changes", i18n.M("请至少改变一项属性", "Change at least one attribute"))
	}
	if err := bad.Err(); err != nil {
		return err
	}
	cs, err := s.Policy.WhatIf(r.Context(), req.EnterpriseID, req.Changes, strings.TrimSpace(req.AsOf))
	if err != nil {
		return err
	}
	lang := httpmw.Lang(r)
	out := make([]whatIfJSON, 0, len(cs))
	for _, c := range cs {
		out = append(out, whatIfJSON{PolicyID: c.Policy.ID, Title: c.Policy.Current.Title, Before: string(c.Before.Outcome),
			After: string(c.After.Outcome), Conditions: conditionsOf(c.After.Checks, lang), Missing: missingOf(c.After)})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type calculatorRequest struct {
	Answers map[string]any `json:"answers"`
	AsOf    string         `json:"as_of"`
}

// questionJSON is the calculator's next question.
type questionJSON struct {
	Attr     string       `json:"attr"`
	Type     string       `json:"type"`
	Label    string       `json:"label"`
	Question string       `json:"question"`
	Unit     string       `json:"unit"`
	Options  []optionJSON `json:"options"`
	// Policies is how many still-undecided policies the answer helps decide.
	Policies int `json:"policies"`
}

type calculatorJSON struct {
	AsOf    string      `json:"as_of"`
	Matches []matchJSON `json:"matches"`
	// Next is the one question worth asking next; null when no answer
	// would decide anything more.
	Next      *questionJSON `json:"next"`
	Asked     int           `json:"asked"`
	Remaining int           `json:"remaining"`
	Eligible  int           `json:"eligible"`
	// EstimatedTotalYuan sums the estimated money of the eligible policies
	// whose amount is known; EstimatedSavingYuan the estimated tax and fee
	// savings (reliefs the firm realises itself, never paid out).
	EstimatedTotalYuan  money.Yuan `json:"estimated_total_yuan"`
	EstimatedSavingYuan money.Yuan `json:"estimated_saving_yuan"`
}

// policyCalculator is the public 政策计算器: no sign-in. The visitor's
// answers so far (attribute → value in condition units; null for "don't
// know") are evaluated against every policy in effect, and the next
// question is the one attribute the most undecided policies still need —
// only what the rules actually read is ever asked, one at a time.
func (s *Server) policyCalculator(w http.ResponseWriter, r *http.Request) error {
	var req calculatorRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	if req.Answers == nil {
		req.Answers = map[string]any{}
	}
	res, err := s.Policy.Calculate(r.Context(), req.Answers, strings.TrimSpace(req.AsOf))
	if err != nil {
		return err
	}
	lang := httpmw.Lang(r)
	out := calculatorJSON{Matches: matchesJSON(res.Matches, lang), Asked: res.Asked, Remaining: res.Remaining,
		EstimatedTotalYuan: money.Yuan{Valid: true}, EstimatedSavingYuan: money.Yuan{Valid: true}}
	for _, m := range res.Matches {
		out.AsOf = m.Result.AsOf
		if m.Result.Outcome == eligibility.Eligible {
			out.Eligible++
			switch {
			case m.EstimatedBenefitFen == nil:
			case m.Saving:
				out.EstimatedSavingYuan.Fen += *m.EstimatedBenefitFen
			default:
				out.EstimatedTotalYuan.Fen += *m.EstimatedBenefitFen
			}
		}
	}
	if out.AsOf == "" { // no policy in effect
		out.AsOf = strings.TrimSpace(req.AsOf)
		if out.AsOf == "" {
			out.AsOf = s.Policy.Today()
		}
	}
	if a := res.Next; a != nil {
		q := &questionJSON{Attr: a.Name, Type: string(a.Type), Label: a.Label.In(lang), Question: a.Question.In(lang), Unit: a.Unit.In(lang),
			Options: []optionJSON{}, Policies: res.NextPolicies}
		if q.Question == "" {
			q.Question = a.Label.In(lang)
		}
		for _, o := range a.Options {
			q.Options = append(q.Options, optionJSON{Code: o.Code, Name: o.Name.In(lang)})
		}
		out.Next = q
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
