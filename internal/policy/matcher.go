package policy

import (
	"context"

	"github.com/qinqing/qinqing/internal/eligibility"
	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/identity"
)

// LoadingMatcher is the Matcher that reads profiles from the registry on
// every call: one enterprise directly, all of them page by page. It needs
// no memory and no start-up time, and is what a deployment without the
// eligibility index uses; the index answers the same questions from memory.
type LoadingMatcher struct {
	ents *enterprise.Service
	cat  *eligibility.Catalogue
}

// NewLoadingMatcher returns a matcher over the registry.
func NewLoadingMatcher(es *enterprise.Service, cat *eligibility.Catalogue) *LoadingMatcher {
	return &LoadingMatcher{ents: es, cat: cat}
}

// readCtx lets the matcher read every profile whoever asks: the policy
// service decides what the caller may see of the result.
func readCtx(ctx context.Context) context.Context {
	return identity.WithPrincipal(ctx, identity.System("policy-matcher"))
}

// Profile implements Matcher.
func (m *LoadingMatcher) Profile(ctx context.Context, id int64, asOf string) (*eligibility.Profile, error) {
	e, err := m.ents.Get(readCtx(ctx), id)
	if err != nil {
		return nil, err
	}
	return eligibility.FromEnterprise(m.cat, &e, asOf), nil
}

// Scan implements Matcher, reading the registry a page at a time.
func (m *LoadingMatcher) Scan(ctx context.Context, asOf string, fn func(id int64, p *eligibility.Profile) bool) error {
	rctx := readCtx(ctx)
	for page := 1; ; page++ {
		pg, err := m.ents.List(rctx, enterprise.Filter{Page: page, PerPage: 100})
		if err != nil {
			return err
		}
		for i := range pg.Items {
			if !fn(pg.Items[i].ID, eligibility.FromEnterprise(m.cat, &pg.Items[i], asOf)) {
				return nil
			}
		}
		if len(pg.Items) < pg.PerPage {
			return nil
		}
	}
}

// IndexMatcher is the Matcher over the in-memory eligibility index: one
// profile without a query, and whole rules evaluated over bitsets
// (RuleMatcher). An enterprise not yet in the index (created a moment ago
// on another node) is read from the registry.
type IndexMatcher struct {
	x        *eligibility.Index
	fallback *LoadingMatcher
}

// NewIndexMatcher returns a matcher over x, reading from es what x lacks.
func NewIndexMatcher(x *eligibility.Index, es *enterprise.Service) *IndexMatcher {
	return &IndexMatcher{x: x, fallback: NewLoadingMatcher(es, eligibility.Default)}
}

// Profile implements Matcher.
func (m *IndexMatcher) Profile(ctx context.Context, id int64, asOf string) (*eligibility.Profile, error) {
	if p, ok := m.x.Profile(id, asOf); ok {
		return p, nil
	}
	return m.fallback.Profile(ctx, id, asOf)
}

// Scan implements Matcher over the indexed enterprises.
func (m *IndexMatcher) Scan(ctx context.Context, asOf string, fn func(id int64, p *eligibility.Profile) bool) error {
	for _, id := range m.x.Match(&eligibility.Rule{}, asOf).Eligible {
		if err := ctx.Err(); err != nil {
			return err
		}
		p, ok := m.x.Profile(id, asOf)
		if !ok {
			continue // removed meanwhile
		}
		if !fn(id, p) {
			return nil
		}
	}
	return nil
}

// Match implements RuleMatcher.
func (m *IndexMatcher) Match(_ context.Context, r *eligibility.Rule, asOf string) (eligibility.MatchSet, error) {
	return m.x.Match(r, asOf), nil
}

// RuleMatcher is implemented by matchers that evaluate a rule over every
// enterprise at once; the service uses it, when present, to find who is
// eligible without building every profile.
type RuleMatcher interface {
	Match(ctx context.Context, r *eligibility.Rule, asOf string) (eligibility.MatchSet, error)
}

// outcomes evaluates r over every enterprise as of asOf.
func (s *Service) outcomes(ctx context.Context, r *eligibility.Rule, asOf string) (eligibility.MatchSet, error) {
	if rm, ok := s.match.(RuleMatcher); ok {
		return rm.Match(ctx, r, asOf)
	}
	var set eligibility.MatchSet
	err := s.match.Scan(ctx, asOf, func(id int64, p *eligibility.Profile) bool {
		switch r.Outcome(p) {
		case eligibility.Eligible:
			set.Eligible = append(set.Eligible, id)
		case eligibility.Ineligible:
			set.Ineligible = append(set.Ineligible, id)
		default:
			set.Unknown = append(set.Unknown, id)
		}
		return true
	})
	return set, err
}
