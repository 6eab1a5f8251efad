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
