package web

import (
	"context"
	"sync"
	"time"

	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/policy"
	"github.com/qinqing/qinqing/internal/search"
)

// pvSearch is the policy search index behind the supermarket's search box:
// Chinese words, pinyin and initials (xwqy finds 小微企业). It is built on
// the first search and follows the policies without a hook from the
// service: each search re-reads the policies whose revision moved since
// they were indexed (every write bumps it), and the whole index is rebuilt
// when the date changes, since a version can take effect on a later day
// without any write.
type pvSearch struct {
	mu      sync.Mutex
	idx     *search.Policies
	revs    map[int64]int
	builtOn string
}

// pvSearches holds one index per policy service (tests start several
// platforms in one process).
var pvSearches sync.Map // *policy.Service → *pvSearch

// policyAll returns every policy the caller may see under f, newest first.
func (s *Server) policyAll(ctx context.Context, f policy.Filter) ([]policy.Policy, error) {
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

// policySearch ranks the visible policies matching text, best first.
func (s *Server) policySearch(ctx context.Context, text string, visible []policy.Policy) ([]policy.Policy, error) {
	v, _ := pvSearches.LoadOrStore(s.Policy, &pvSearch{})
	ps := v.(*pvSearch)
	ps.mu.Lock()
	defer ps.mu.Unlock()
	today := time.Now().In(s.loc).Format(time.DateOnly)
	// The index reads every policy as the platform; what the caller may
	// see is decided by visible.
	sys := identity.WithPrincipal(context.WithoutCancel(ctx), identity.System("search"))
	if ps.idx == nil || ps.builtOn != today {
		idx, err := search.NewPolicyIndex(sys, s.Policy)
		if err != nil {
			return nil, err
		}
		all, err := s.policyAll(sys, policy.Filter{})
		if err != nil {
			return nil, err
		}
		ps.idx, ps.revs, ps.builtOn = idx, map[int64]int{}, today
		for _, p := range all {
			ps.revs[p.ID] = p.Rev
		}
	}
	byID := make(map[int64]policy.Policy, len(visible))
	for _, p := range visible {
		byID[p.ID] = p
		if rev, ok := ps.revs[p.ID]; !ok || rev != p.Rev {
			if err := ps.idx.Changed(sys, p.ID); err != nil {
				return nil, err
			}
			ps.revs[p.ID] = p.Rev
		}
	}
	res := ps.idx.Hits(search.Query{Text: text, Limit: max(ps.idx.Len(), 1)})
	out := make([]policy.Policy, 0, len(res.Hits))
	for _, h := range res.Hits {
		if id, ok := search.PolicyID(h); ok {
			if p, seen := byID[id]; seen {
				out = append(out, p)
			}
		}
	}
	return out, nil
}
