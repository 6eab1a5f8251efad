package search

import (
	"context"
	"sync"

	"github.com/qinqing/qinqing/internal/policy"
)

// PolicyFinder ranks policies for the search boxes of the web pages and the
// API, which share one. It builds its index on the first search and follows
// the policies without a hook from the service: each search re-reads the
// policies whose revision moved since they were indexed (every write bumps
// it), and the whole index is rebuilt when the date changes, since a
// published version can take effect on a later day without any write.
type PolicyFinder struct {
	ps *policy.Service

	mu      sync.Mutex
	idx     *Policies
	revs    map[int64]int
	builtOn string
}

// NewPolicyFinder returns a finder over ps.
func NewPolicyFinder(ps *policy.Service) *PolicyFinder { return &PolicyFinder{ps: ps} }

// RankedPolicy is a policy that matched a search, with its score.
type RankedPolicy struct {
	Policy policy.Policy
	Score  float64
}

// AllPolicies returns every policy the caller in ctx may see under f (f's
// paging is ignored), newest first.
func AllPolicies(ctx context.Context, ps *policy.Service, f policy.Filter) ([]policy.Policy, error) {
	var out []policy.Policy
	f.PerPage = 100
	for f.Page = 1; ; f.Page++ {
		pg, err := ps.List(ctx, f)
		if err != nil {
			return nil, err
		}
		out = append(out, pg.Items...)
		if f.Page >= pg.Pages() {
			return out, nil
		}
	}
}

// Rank returns those of visible (what the caller may see) that match text,
// best first.
func (f *PolicyFinder) Rank(ctx context.Context, text string, visible []policy.Policy) ([]RankedPolicy, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	today := f.ps.Today()
	// The index reads every policy as the platform, whoever searches.
	sys := staff(context.WithoutCancel(ctx))
	if f.idx == nil || f.builtOn != today {
		idx, err := NewPolicyIndex(sys, f.ps)
		if err != nil {
			return nil, err
		}
		all, err := AllPolicies(sys, f.ps, policy.Filter{})
		if err != nil {
			return nil, err
		}
		f.idx, f.revs, f.builtOn = idx, make(map[int64]int, len(all)), today
		for _, p := range all {
			f.revs[p.ID] = p.Rev
		}
	}
	byID := make(map[int64]policy.Policy, len(visible))
	for _, p := range visible {
		byID[p.ID] = p
		if rev, ok := f.revs[p.ID]; !ok || rev != p.Rev {
			if err := f.idx.Changed(sys, p.ID); err != nil {
				return nil, err
			}
			f.revs[p.ID] = p.Rev
		}
	}
	res := f.idx.Hits(Query{Text: text, Limit: max(f.idx.Len(), 1)})
	out := make([]RankedPolicy, 0, len(res.Hits))
	for _, h := range res.Hits {
		if id, ok := PolicyID(h); ok {
			if p, seen := byID[id]; seen {
				out = append(out, RankedPolicy{Policy: p, Score: h.Score})
			}
		}
	}
	return out, nil
}
