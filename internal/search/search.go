package search

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// Query is a search request.
type Query struct {
	Text string
	// Filters keeps documents that have, for every key, at least one of
	// the listed facet values (AND across keys, OR within a key). A key
	// with no values does not filter.
	Filters map[string][]string
	Limit   int // hits per page; DefaultLimit if not positive
	Offset  int // hits to skip
}

// DefaultLimit is the page size of a query that does not set one.
const DefaultLimit = 20

// Hit is one matching document.
type Hit struct {
	ID    string
	Score float64
	// Matched lists the terms of the document that the query matched,
	// longest first, for Highlight; a term inside a longer matched term is
	// left out.
	Matched []string
}

// Result is one page of hits and the number of matching documents.
type Result struct {
	Hits  []Hit
	Total int
}

// Scoring constants. BM25 per field, weighted by fieldWeight and summed;
// then the score is multiplied by 1 + the phrase bonuses below and by the
// square of the document's coverage of the query: the idf-weighted share
// of the query's clauses it matches.
const (
	k1 = 1.2

	bonusTitleContains   = 1.0 // the whole query occurs in the title
	bonusTitleStarts     = 0.5 // … at its start
	bonusTitleEquals     = 0.5 // … and is the whole title
	bonusKeywordEquals   = 1.0 // the query is one of the keywords
	bonusKeywordContains = 0.5 // … or occurs in one
	bonusBodyContains    = 0.25

	// minCoverage drops documents that match less than this share of what
	// the best document matches: for 营业执照, a document with only 营业
	// (one of three bigrams) when others have the whole phrase.
	minCoverage = 0.5
)

// Search returns the documents matching q.Text and q.Filters, best first.
//
// A text with Chinese characters matches their character bigrams (any
// substring of two or more characters is found) and single characters on
// their own. Latin words match index words, full pinyin and pinyin
// initials of Han terms: "yyzz", "yingyezhizhao", "ying ye zhi zhao" and
// "营业执照" all find 营业执照; the last word, if the text does not end in a
// space, may also be unfinished ("yyz"). Documents are ranked by BM25 over
// title, keywords and body (weights 3, 2, 1), raised when the whole query
// occurs in the title (more at its start, most as the whole title), in a
// keyword or in the body, and lowered when they match only part of the
// query; ties go to the shorter title, then by title pinyin, title and ID.
//
// An empty (or all white space) text lists the documents that pass the
// filters in title pinyin order. A text with nothing searchable in it,
// such as punctuation alone, matches nothing.
func (ix *Index) Search(q Query) Result {
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	offset := max(q.Offset, 0)
	browse := strings.TrimSpace(q.Text) == ""
	var pq parsedQuery
	if !browse {
		pq = parseQuery(q.Text)
		if len(pq.groups) == 0 {
			return Result{}
		}
	}

	ix.mu.RLock()
	defer ix.mu.RUnlock()
	filter, none := ix.filterSet(q.Filters)
	if none {
		return Result{}
	}
	if browse {
		return ix.browse(filter, offset, limit)
	}
	units := ix.compile(pq)
	if len(units) == 0 {
		return Result{}
	}
	cands := ix.score(units, filter)
	if len(cands) == 0 {
		return Result{}
	}
	res := Result{Total: len(cands)}
	if offset >= len(cands) {
		return res
	}
	top := ix.rank(cands, pq, offset+min(limit, len(cands)))
	for _, c := range top[offset:] {
		res.Hits = append(res.Hits, Hit{ID: ix.docs[c.slot].id, Score: c.score, Matched: ix.matched(c.slot, units, pq)})
	}
	return res
}

// filterSet returns the slots that pass the filters, nil for no filter,
// and none = true when no document can pass. The caller holds the read
// lock.
func (ix *Index) filterSet(filters map[string][]string) (set *bitset, none bool) {
	for key, values := range filters {
		if len(values) == 0 {
			continue
		}
		union := &bitset{}
		for _, v := range values {
			if b := ix.facets[key][v]; b != nil {
				union.or(b)
			}
		}
		if set == nil {
			set = union
		} else {
			set.and(union)
		}
		if set.empty() {
			return nil, true
		}
	}
	return set, false
}

func (b *bitset) or(o *bitset) {
	for len(b.w) < len(o.w) {
		b.w = append(b.w, 0)
	}
	for i, w := range o.w {
		b.w[i] |= w
	}
}

func (b *bitset) and(o *bitset) {
	for i := range b.w {
		if i < len(o.w) {
			b.w[i] &= o.w[i]
		} else {
			b.w[i] = 0
		}
	}
}

// browse lists the documents in the filter in title pinyin order.
func (ix *Index) browse(filter *bitset, offset, limit int) Result {
	var res Result
	for _, slot := range ix.order {
		if filter != nil && !filter.has(slot) {
			continue
		}
		if res.Total >= offset && len(res.Hits) < limit {
			res.Hits = append(res.Hits, Hit{ID: ix.docs[slot].id})
		}
		res.Total++
	}
	return res
}

// candidate is a matching document and its score.
type candidate struct {
	slot     int32
	score    float64
	coverage float64
	// full has bit f set when every clause of the query matched field f:
	// only then can the whole query occur in that field as a phrase.
	full uint8
}

// scratch holds per-search arrays indexed by slot, reused across searches.
type scratch struct {
	score, clauseMax, coverage []float64
	clauseFields               []uint8             // fields the current clause matched
	fieldClauses               [numFields][]uint16 // clauses matched per field
	touched, clauseTouched     []int32
}

var scratchPool = sync.Pool{New: func() any { return &scratch{} }}

func (s *scratch) grow(n int) {
	if len(s.score) < n {
		s.score = make([]float64, n)
		s.clauseMax = make([]float64, n)
		s.coverage = make([]float64, n)
		s.clauseFields = make([]uint8, n)
		for f := range numFields {
			s.fieldClauses[f] = make([]uint16, n)
		}
	}
}

// score evaluates the clauses over the postings and returns the documents
// that pass the filter and cover enough of the query.
func (ix *Index) score(units []unit, filter *bitset) []candidate {
	s := scratchPool.Get().(*scratch)
	defer scratchPool.Put(s)
	s.grow(len(ix.docs))
	s.touched, s.clauseTouched = s.touched[:0], s.clauseTouched[:0]

	avg := ix.avgFieldLen()
	// Coverage weighs each clause by its idf, so that missing a common word
	// (办理) costs less than missing a rare one; a clause that matches
	// nothing weighs as much as a term can.
	total := 0.0
	required := 0
	for _, u := range units {
		for _, c := range u.clauses {
			if !c.boost {
				total += ix.clauseWeight(c)
				required++
			}
		}
	}
	for _, u := range units {
		for _, c := range u.clauses {
			share := 0.0
			if !c.boost {
				share = ix.clauseWeight(c) / total
			}
			for _, t := range c.alts {
				ps := ix.postings[t]
				idf := ix.idf(len(ps))
				for _, p := range ps {
					if filter != nil && !filter.has(p.doc) {
						continue
					}
					v := idf * ix.fieldScore(p, &avg)
					if s.clauseMax[p.doc] == 0 {
						s.clauseTouched = append(s.clauseTouched, p.doc)
					}
					s.clauseMax[p.doc] = max(s.clauseMax[p.doc], v)
					for f := range numFields {
						if p.tf[f] > 0 {
							s.clauseFields[p.doc] |= 1 << f
						}
					}
				}
			}
			for _, d := range s.clauseTouched {
				if s.score[d] == 0 {
					s.touched = append(s.touched, d)
				}
				s.score[d] += s.clauseMax[d]
				s.coverage[d] += share
				if !c.boost {
					for f := range numFields {
						if s.clauseFields[d]&(1<<f) != 0 {
							s.fieldClauses[f][d]++
						}
					}
				}
				s.clauseMax[d], s.clauseFields[d] = 0, 0
			}
			s.clauseTouched = s.clauseTouched[:0]
		}
	}
	best := 0.0
	for _, d := range s.touched {
		best = max(best, s.coverage[d])
	}
	var cands []candidate
	for _, d := range s.touched {
		if cov := s.coverage[d]; cov > 0 && cov >= minCoverage*best-1e-9 {
			c := candidate{slot: d, score: s.score[d], coverage: cov}
			for f := range numFields {
				if int(s.fieldClauses[f][d]) == required {
					c.full |= 1 << f
				}
			}
			cands = append(cands, c)
		}
		s.score[d], s.coverage[d] = 0, 0
		for f := range numFields {
			s.fieldClauses[f][d] = 0
		}
	}
	return cands
}

// clauseWeight is the idf a clause would have as one term: that of the
// sum of its alternatives' document frequencies (a pinyin chunk that
// spells many terms is common, however rare each of them).
func (ix *Index) clauseWeight(c clause) float64 {
	df := 0
	for _, t := range c.alts {
		df += len(ix.postings[t])
	}
	return ix.idf(min(df, len(ix.byID)))
}

// avgFieldLen returns the average length of each field.
func (ix *Index) avgFieldLen() (avg [numFields]float64) {
	if n := float64(len(ix.byID)); n > 0 {
		for f := range numFields {
			avg[f] = float64(ix.lenSum[f]) / n
		}
	}
	return avg
}

// idf is BM25's inverse document frequency of a term in df documents.
func (ix *Index) idf(df int) float64 {
	n, d := float64(len(ix.byID)), float64(df)
	return math.Log(1 + (n-d+0.5)/(d+0.5))
}

// fieldScore is the weighted sum over fields of BM25's term-frequency part.
func (ix *Index) fieldScore(p posting, avg *[numFields]float64) float64 {
	lens := &ix.fieldLen[p.doc]
	var v float64
	for f := range numFields {
		if p.tf[f] == 0 {
			continue
		}
		tf := float64(p.tf[f])
		norm := 1 - fieldB[f]
		if avg[f] > 0 {
			norm += fieldB[f] * float64(lens[f]) / avg[f]
		}
		v += fieldWeight[f] * tf * (k1 + 1) / (tf + k1*norm)
	}
	return v
}

// maxBonus returns the largest bonus factor a candidate can get: phrase
// bonuses only for the fields that every clause matched.
func maxBonus(full uint8) float64 {
	f := 1.0
	if full&(1<<fieldTitle) != 0 {
		f += bonusTitleContains + bonusTitleStarts + bonusTitleEquals
	}
	if full&(1<<fieldKeywords) != 0 {
		f += bonusKeywordEquals
	}
	if full&(1<<fieldBody) != 0 {
		f += bonusBodyContains
	}
	return f
}

// bonusFactor returns 1 + the phrase bonuses of a candidate.
func (ix *Index) bonusFactor(c candidate, pq parsedQuery, qs string) float64 {
	e := ix.docs[c.slot]
	bonus := 0.0
	if c.full&(1<<fieldTitle) != 0 {
		m := matchPhrase(pq.compact, qs, e.titleC, pq.latin, pq.prefix)
		if m.contains {
			bonus += bonusTitleContains
		}
		if m.starts {
			bonus += bonusTitleStarts
		}
		if m.equals {
			bonus += bonusTitleEquals
		}
	}
	if c.full&(1<<fieldKeywords) != 0 {
		kw := 0.0
		for _, k := range e.keywordsC {
			km := matchPhrase(pq.compact, qs, k, pq.latin, pq.prefix)
			switch {
			case km.equals:
				kw = bonusKeywordEquals
			case km.contains:
				kw = max(kw, bonusKeywordContains)
			}
		}
		bonus += kw
	}
	if c.full&(1<<fieldBody) != 0 && strings.Contains(e.bodyC, qs) {
		bonus += bonusBodyContains
	}
	return 1 + bonus
}

// rank returns the best k candidates in order. Phrase matching is the
// costly part of scoring, so candidates are taken best first by their
// score without bonuses, and the taking stops once no bonus could lift the
// next one into the k best.
func (ix *Index) rank(cands []candidate, pq parsedQuery, k int) []candidate {
	qs := string(pq.compact)
	for i := range cands {
		c := &cands[i]
		c.score *= c.coverage * c.coverage
	}
	// By the most a candidate can score, best on top.
	bound := func(c candidate) float64 { return c.score * maxBonus(c.full) }
	byBound := heapOf[candidate]{s: cands, less: func(a, b candidate) bool { return bound(a) > bound(b) }}
	byBound.init()
	// The k best so far, worst on top.
	top := heapOf[candidate]{s: make([]candidate, 0, min(k, len(cands))), less: func(a, b candidate) bool { return rankCmp(ix, a, b) > 0 }}
	for len(byBound.s) > 0 {
		c := byBound.pop()
		if len(top.s) == k && bound(c) < top.s[0].score {
			break
		}
		if c.full != 0 {
			c.score *= ix.bonusFactor(c, pq, qs)
		}
		if len(top.s) < k {
			top.push(c)
		} else if rankCmp(ix, c, top.s[0]) < 0 {
			top.s[0] = c
			top.down(0)
		}
	}
	slices.SortFunc(top.s, func(a, b candidate) int { return rankCmp(ix, a, b) })
	return top.s
}

// heapOf is a binary heap with the least element, by less, on top.
type heapOf[T any] struct {
	s    []T
	less func(a, b T) bool
}

func (h *heapOf[T]) init() {
	for i := len(h.s)/2 - 1; i >= 0; i-- {
		h.down(i)
	}
}

func (h *heapOf[T]) push(x T) {
	h.s = append(h.s, x)
	for i := len(h.s) - 1; i > 0; {
		p := (i - 1) / 2
		if !h.less(h.s[i], h.s[p]) {
			break
		}
		h.s[i], h.s[p] = h.s[p], h.s[i]
		i = p
	}
}

func (h *heapOf[T]) pop() T {
	n := len(h.s) - 1
	h.s[0], h.s[n] = h.s[n], h.s[0]
	x := h.s[n]
	h.s = h.s[:n]
	h.down(0)
	return x
}

func (h *heapOf[T]) down(i int) {
	for {
		l, m := 2*i+1, i
		if l < len(h.s) && h.less(h.s[l], h.s[m]) {
			m = l
		}
		if r := l + 1; r < len(h.s) && h.less(h.s[r], h.s[m]) {
			m = r
		}
		if m == i {
			return
		}
		h.s[i], h.s[m] = h.s[m], h.s[i]
		i = m
	}
}

// rankCmp orders candidates best first: score, then shorter title, then
// the browse order.
func rankCmp(ix *Index, a, b candidate) int {
	if c := cmp.Compare(b.score, a.score); c != 0 {
		return c
	}
	ea, eb := ix.docs[a.slot], ix.docs[b.slot]
	if c := cmp.Compare(ea.titleLen, eb.titleLen); c != 0 {
		return c
	}
	return browseCmp(ea, eb)
}

// matched returns the terms of a document that the query matched, for
// highlighting: for each clause the alternative that scores best in the
// document (so "xk" highlights the 许可 of the title, not a 相适 of the body
// that a rarer reading of 适 also spells), and the stretch of the title that
// the whole query spells.
func (ix *Index) matched(slot int32, units []unit, pq parsedQuery) []string {
	e := ix.docs[slot]
	avg := ix.avgFieldLen()
	var terms []string
	for _, u := range units {
		for _, c := range u.clauses {
			best, bestScore := int32(-1), 0.0
			for _, t := range c.alts {
				if _, ok := slices.BinarySearch(e.terms, t); !ok {
					continue
				}
				ps := ix.postings[t]
				i, _ := slices.BinarySearchFunc(ps, slot, func(p posting, s int32) int { return cmp.Compare(p.doc, s) })
				if v := ix.idf(len(ps)) * ix.fieldScore(ps[i], &avg); v > bestScore {
					best, bestScore = t, v
				}
			}
			if best >= 0 {
				terms = append(terms, ix.termStr[best])
			}
		}
	}
	if len(pq.compact) <= maxPinyinPhrase {
		if span := phraseSpan(pq.compact, e.titleC, pq.prefix); span != "" {
			terms = append(terms, span)
		}
	}
	slices.SortFunc(terms, func(a, b string) int {
		if c := cmp.Compare(utf8.RuneCountInString(b), utf8.RuneCountInString(a)); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	terms = slices.Compact(terms)
	out := terms[:0]
	for _, t := range terms {
		inside := false
		for _, longer := range out {
			if strings.Contains(longer, t) {
				inside = true
				break
			}
		}
		if !inside {
			out = append(out, t)
		}
	}
	return out
}
