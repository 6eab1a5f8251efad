package search

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// PolicyDoc is what the policy search index holds of one policy: the text
// people search by and the values the supermarket's shelves filter on.
type PolicyDoc struct {
	ID         int64
	Title      string
	TitleEn    string
	DocumentNo string // 文号, e.g. 财政部 税务总局公告2023年第12号
	Issuer     string // 发文机关
	Summary    string
	Keywords   string // space-separated search words (小微企业 所得税)

	// Facets.
	Level          string // national | municipal | district
	Shelf          string // subsidy, tax, finance, …
	Mode           string // apply | no_apply | fast
	Status         string // draft | published | unpublished …
	DepartmentCode string
}

// PolicySource loads the policies to index: all of them, or one by id
// (found = false when it no longer exists).
type PolicySource interface {
	AllPolicyDocs(ctx context.Context) ([]PolicyDoc, error)
	PolicyDoc(ctx context.Context, id int64) (doc PolicyDoc, found bool, err error)
}

// Policies is the search index of the policy supermarket (政策超市): title
// (weighted highest), then document number, issuer, English title and
// keywords, then the summary, findable by Chinese words, pinyin and pinyin
// initials like the matter catalogue ("xwqy" finds a policy with the
// keyword 小微企业). Facets are level, shelf, mode, status and department.
//
// It is built from a PolicySource and kept current by Changed (wired to the
// policy service's change hook) or rebuilt whole by Refresh.
type Policies struct {
	src PolicySource
	ix  atomic.Pointer[Index]
	// mu orders writers: a Refresh swaps in a new index, and a Changed that
	// ran during it must not be lost.
	mu sync.Mutex
}

// NewPolicies builds the index of every policy src holds.
func NewPolicies(ctx context.Context, src PolicySource) (*Policies, error) {
	p := &Policies{src: src}
	if err := p.Refresh(ctx); err != nil {
		return nil, err
	}
	return p, nil
}

// Refresh rebuilds the index from the source and swaps it in whole;
// searches running meanwhile see the old index.
func (p *Policies) Refresh(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	all, err := p.src.AllPolicyDocs(ctx)
	if err != nil {
		return fmt.Errorf("index policies: %w", err)
	}
	ix := NewIndex()
	docs := make([]Doc, len(all))
	for i, d := range all {
		docs[i] = policyDoc(d)
	}
	ix.PutAll(docs)
	p.ix.Store(ix)
	return nil
}

// Changed re-reads one policy from the source and updates its entry, or
// removes it when the source no longer has it. It is the callback for the
// policy service's change hook; an error leaves the entry as it was.
func (p *Policies) Changed(ctx context.Context, id int64) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	d, found, err := p.src.PolicyDoc(ctx, id)
	if err != nil {
		return fmt.Errorf("index policy %d: %w", id, err)
	}
	if !found {
		p.ix.Load().Delete(policyKey(id))
		return nil
	}
	p.ix.Load().Put(policyDoc(d))
	return nil
}

// Search returns the ids of the policies matching text, best first (at
// most 1,000). An empty text matches nothing; use Find to browse.
func (p *Policies) Search(text string) []int64 {
	if strings.TrimSpace(text) == "" {
		return nil
	}
	ids, _ := p.Find(Query{Text: text, Limit: 1000})
	return ids
}

// Find runs a query with facet filters (level, shelf, mode, status,
// department) and paging, and returns the page's policy ids, best first
// (in title pinyin order for an empty text), and the number of matches.
func (p *Policies) Find(q Query) (ids []int64, total int) {
	res := p.ix.Load().Search(q)
	ids = make([]int64, 0, len(res.Hits))
	for _, h := range res.Hits {
		if id, ok := policyID(h.ID); ok {
			ids = append(ids, id)
		}
	}
	return ids, res.Total
}

// Hits runs a query and returns the raw hits, whose Matched terms a page
// passes to Highlight; PolicyID reads a hit's policy id.
func (p *Policies) Hits(q Query) Result { return p.ix.Load().Search(q) }

// PolicyID returns the policy id of a hit of Policies.Hits.
func PolicyID(h Hit) (int64, bool) { return policyID(h.ID) }

// Len is the number of indexed policies.
func (p *Policies) Len() int { return p.ix.Load().Len() }

func policyKey(id int64) string { return "p:" + strconv.FormatInt(id, 10) }

func policyID(key string) (int64, bool) {
	s, ok := strings.CutPrefix(key, "p:")
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil
}

// policyDoc maps a policy to an index document. The document number,
// issuer and English title go with the keywords: short, exact phrases
// people type whole (财政部 税务总局公告2023年第12号, 财政部).
func policyDoc(d PolicyDoc) Doc {
	var kw []string
	for _, s := range []string{d.DocumentNo, d.Issuer, d.TitleEn} {
		if s = strings.TrimSpace(s); s != "" {
			kw = append(kw, s)
		}
	}
	kw = append(kw, strings.Fields(d.Keywords)...)
	facets := map[string][]string{}
	for k, v := range map[string]string{"level": d.Level, "shelf": d.Shelf, "mode": d.Mode, "status": d.Status, "department": d.DepartmentCode} {
		if v != "" {
			facets[k] = []string{v}
		}
	}
	return Doc{ID: policyKey(d.ID), Title: d.Title, Keywords: kw, Body: d.Summary, Facets: facets}
}
