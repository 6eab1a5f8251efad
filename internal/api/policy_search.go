package api

import (
	"context"
	"sync"
	"time"

	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/policy"
	"github.com/qinqing/qinqing/internal/search"
)

// policyIndex is the search index of one policy service's policies, built
// on the first search. It follows the policies without a change hook from
// the service: each search compares the revision of every policy the
// caller may see with the one indexed and re-reads those that moved (every
// write bumps a policy's revision), and the whole index is rebuilt when
// the date changes, since the version the public sees can take effect on
// a later day without any write.
type policyIndex struct {
	mu      sync.Mutex
	idx     *search.Policies
	revs    map[int64]int
	builtOn string
}

// policyIndexes holds one index per policy service (one per running
// platform; tests start several).
var policyIndexes sync.Map // *policy.Service → *policyIndex

func (s *Server) policyIndexOf() *policyIndex {
	v, _ := policyIndexes.LoadOrStore(s.Policy, &policyIndex{})
	return v.(*policyIndex)
}

// allPolicies returns every policy the caller may see under f (f's
// paging is ignored), newest first.
func (s *Server) allPolicies(ctx context.Context, f policy.Filter) ([]policy.Policy, error) {
	var out []policy.Policy
	f.PerPage = 100
	for f.Page = 1; ; f.Page++ {
		pg, err := s.Policy.List(ctx, f)
		if err != nil {
			return nil, err
		}
		out = append(out, pg.Items...)
		if f.Page >= pg.Pages() {
			return out, nil
		}
	}
}

type rankedPolicy struct {
	policy policy.Policy
	score  float64
}

// searchPolicies ranks the visible policies that match text, best first.
func (s *Server) searchPolicies(ctx context.Context, text string, visible []policy.Policy) ([]rankedPolicy, error) {
	pi := s.policyIndexOf()
	pi.mu.Lock()
	defer pi.mu.Unlock()
	today := time.Now().In(chinaTime).Format(time.DateOnly)
	// The index reads every policy as the platform, whoever searches.
	sys := identity.WithPrincipal(context.WithoutCancel(ctx), identity.System("search"))
	if pi.idx == nil || pi.builtOn != today {
		idx, err := search.NewPolicyIndex(sys, s.Policy)
		if err != nil {
			return nil, err
		}
		pi.idx, pi.revs, pi.builtOn = idx, map[int64]int{}, today
		all, err := s.allPolicies(sys, policy.Filter{})
		if err != nil {
			return nil, err
		}
		for _, p := range all {
			pi.revs[p.ID] = p.Rev
		}
	}
	for _, p := range visible {
		if rev, ok := pi.revs[p.ID]; !ok || rev != p.Rev {
			if err := pi.idx.Changed(sys, p.ID); err != nil {
				return nil, err
			}
			pi.revs[p.ID] = p.Rev
		}
	}
	byID := make(map[int64]policy.Policy, len(visible))
	for _, p := range visible {
		byID[p.ID] = p
	}
	res := pi.idx.Hits(search.Query{Text: text, Limit: max(pi.idx.Len(), 1)})
	out := make([]rankedPolicy, 0, len(res.Hits))
	for _, h := range res.Hits {
		id, ok := search.PolicyID(h)
		if p, visible := byID[id]; ok && visible {
			out = append(out, rankedPolicy{policy: p, score: h.Score})
		}
	}
	return out, nil
}

// chinaTime is the zone whose date decides which version is in effect.
var chinaTime = time.FixedZone("CST", 8*3600)
