package policy

import (
	"context"
	"slices"

	"github.com/qinqing/qinqing/internal/eligibility"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
)

// Match is one policy's result for one enterprise (or calculator visitor).
type Match struct {
	Policy Policy             // with Current the version in effect on the date asked
	Result eligibility.Result // outcome, every condition explained, what is missing
	// EstimatedBenefitFen is what the firm would get (fixed or formula,
	// within the cap); nil when the benefit is not money or cannot be
	// computed from what is known.
	EstimatedBenefitFen *int64
	// Saving says the estimate is a tax or fee saving the firm realises
	// itself, not money the platform pays (Benefit.Saving).
	Saving bool
}

// Change is a policy whose result a what-if changes.
type Change struct {
	Policy Policy
	Before eligibility.Result
	After  eligibility.Result
}

// CalcResult is the public calculator's state after the answers so far.
type CalcResult struct {
	Matches []Match
	// Next is the base attribute missing from the most still-unknown
	// policies — the one question worth asking next; nil when nothing
	// more would decide anything.
	Next *eligibility.Attribute
	// NextPolicies is how many unknown policies Next would help decide.
	NextPolicies int
	Asked        int // answers given (including "don't know")
	Remaining    int // distinct attributes still missing across unknown policies
}

// canSee reports whether p may see matches of enterprise id: its own users
// and staff who read the registry.
func canSee(p *identity.Principal, id int64) bool {
	return p.Can(identity.PermEnterpriseRead) || (p.Can(identity.PermEnterpriseOwn) && p.EnterpriseID == id)
}

// Matches evaluates every policy in effect on asOf (YYYY-MM-DD; today when
// empty) for one enterprise: eligible first, then unknown by fewest missing
// facts, then ineligible, each with its explanation and estimated benefit.
func (s *Service) Matches(ctx context.Context, enterpriseID int64, asOf string) ([]Match, error) {
	if !canSee(identity.PrincipalFrom(ctx), enterpriseID) {
		return nil, s.deny(ctx, "policy.matches", "enterprise", idStr(enterpriseID))
	}
	asOf, err := s.asOf(asOf)
	if err != nil {
		return nil, err
	}
	p, err := s.match.Profile(ctx, enterpriseID, asOf)
	if err != nil {
		return nil, err
	}
	pols, err := s.livePolicies(ctx, asOf)
	if err != nil {
		return nil, err
	}
	return evaluateAll(pols, p), nil
}

// asOf checks a date parameter, defaulting to today.
func (s *Service) asOf(d string) (string, error) {
	if d == "" {
		return s.today().String(), nil
	}
	if !isDate(d) {
		return "", errs.Invalid("as_of", i18n.M("日期格式须为 YYYY-MM-DD", "Dates are written YYYY-MM-DD"))
	}
	return d, nil
}

func evaluateAll(pols []live, p *eligibility.Profile) []Match {
	out := make([]Match, 0, len(pols))
	for _, l := range pols {
		m := Match{Policy: l.policy, Result: l.version.rule.Evaluate(p), Saving: l.version.Benefit.Saving}
		if m.Result.Outcome != eligibility.Ineligible && l.version.Benefit.Kind != BenefitNone {
			if fen, _, ok := l.version.Entitlement(p); ok {
				m.EstimatedBenefitFen = &fen
			}
		}
		out = append(out, m)
	}
	sortMatches(out)
	return out
}

var outcomeRank = map[eligibility.Outcome]int{eligibility.Eligible: 0, eligibility.Unknown: 1, eligibility.Ineligible: 2}

// sortMatches orders eligible first (largest benefit first), then unknown
// by fewest missing facts, then ineligible; ties by policy id.
func sortMatches(ms []Match) {
	slices.SortStableFunc(ms, func(a, b Match) int {
		if d := outcomeRank[a.Result.Outcome] - outcomeRank[b.Result.Outcome]; d != 0 {
			return d
		}
		if a.Result.Outcome == eligibility.Unknown {
			if d := len(a.Result.Missing) - len(b.Result.Missing); d != 0 {
				return d
			}
		}
		if a.Result.Outcome == eligibility.Eligible {
			av, bv := benefitOf(a), benefitOf(b)
			if av != bv {
				if av > bv {
					return -1
				}
				return 1
			}
		}
		switch {
		case a.Policy.ID < b.Policy.ID:
			return -1
		case a.Policy.ID > b.Policy.ID:
			return 1
		}
		return 0
	})
}

func benefitOf(m Match) int64 {
	if m.EstimatedBenefitFen == nil {
		return -1
	}
	return *m.EstimatedBenefitFen
}

// WhatIf applies changes (attribute → value in external units; nil forgets
// a value) to an enterprise's profile as of asOf and returns the policies
// whose outcome changes, with both explanations.
func (s *Service) WhatIf(ctx context.Context, enterpriseID int64, changes map[string]any, asOf string) ([]Change, error) {
	if !canSee(identity.PrincipalFrom(ctx), enterpriseID) {
		return nil, s.deny(ctx, "policy.what_if", "enterprise", idStr(enterpriseID))
	}
	asOf, err := s.asOf(asOf)
	if err != nil {
		return nil, err
	}
	before, err := s.match.Profile(ctx, enterpriseID, asOf)
	if err != nil {
		return nil, err
	}
	after := before.Clone()
	if err := after.Apply(changes, "changes"); err != nil {
		return nil, err
	}
	pols, err := s.livePolicies(ctx, asOf)
	if err != nil {
		return nil, err
	}
	var out []Change
	for _, l := range pols {
		b, a := l.version.rule.Evaluate(before), l.version.rule.Evaluate(after)
		if a.Outcome != b.Outcome {
			out = append(out, Change{Policy: l.policy, Before: b, After: a})
		}
	}
	return out, nil
}

// Calculate is the public 政策计算器: answers (attribute → value in
// external units; an explicit nil means "don't know") make a profile as of
// asOf, every live policy is evaluated, and Next names the one base
// attribute that the most still-unknown policies need. Only attributes the
// rules read are ever asked, one at a time; each answer removes a question,
// so the questions run out.
func (s *Service) Calculate(ctx context.Context, answers map[string]any, asOf string) (CalcResult, error) {
	asOf, err := s.asOf(asOf)
	if err != nil {
		return CalcResult{}, err
	}
	given := map[string]any{}
	skipped := map[string]bool{}
	for k, v := range answers {
		if v == nil {
			if _, ok := s.cat.Lookup(k); !ok {
				return CalcResult{}, errs.Invalid("answers."+k, i18n.M("未知属性 “"+k+"”", "unknown attribute “"+k+"”"))
			}
			skipped[k] = true
			continue
		}
		given[k] = v
	}
	p, err := eligibility.ProfileOf(s.cat, asOf, given, "answers")
	if err != nil {
		return CalcResult{}, err
	}
	pols, err := s.livePolicies(ctx, asOf)
	if err != nil {
		return CalcResult{}, err
	}
	res := CalcResult{Matches: evaluateAll(pols, p), Asked: len(answers)}
	need := map[string]int{}
	for _, m := range res.Matches {
		if m.Result.Outcome != eligibility.Unknown {
			continue
		}
		for _, a := range m.Result.Missing {
			if !skipped[a] {
				need[a]++
			}
		}
	}
	res.Remaining = len(need)
	for _, a := range s.cat.Attributes() { // catalogue order breaks ties
		if n := need[a.Name]; n > res.NextPolicies {
			res.Next, res.NextPolicies = a, n
		}
	}
	return res, nil
}
