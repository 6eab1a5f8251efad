package search

import (
	"math"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

const (
	// maxQueryRunes bounds the text a query analyses: a search box is for
	// words, and every Han bigram of a query is one clause to evaluate.
	maxQueryRunes = 64
	// maxChunkBytes bounds one pinyin chunk of a Latin run (the full
	// pinyin of a seven-character word fits).
	maxChunkBytes = 36
	// maxPrefixTerms bounds the terms an unfinished last word expands to.
	maxPrefixTerms = 200
)

// queryGroup is a piece of a query that becomes one unit of matching: a
// run of Han characters, or Latin words separated only by white space
// (which are read together, so "ying ye zhi zhao" is one pinyin phrase).
type queryGroup struct {
	han   []rune
	words [][]rune
	boost []string // gse words of three or more characters in han
}

// parsedQuery is the index-independent analysis of a query text.
type parsedQuery struct {
	groups  []queryGroup
	compact []rune // the phrase, for title matching
	latin   bool   // compact has Latin letters (read as words or pinyin)
	// prefix says that the last word may be unfinished (the text ends in
	// it, not in a space), so it may match as a prefix.
	prefix bool
}

func parseQuery(text string) parsedQuery {
	if utf8.RuneCountInString(text) > maxQueryRunes {
		text = string([]rune(text)[:maxQueryRunes])
	}
	var pq parsedQuery
	spans := scan(text)
	for i, s := range spans {
		switch s.kind {
		case spanHan:
			g := queryGroup{han: s.runes}
			if len(s.runes) >= 3 {
				g.boost = hanWords(string(s.runes), 3)
			}
			pq.groups = append(pq.groups, g)
		case spanWord:
			n := len(pq.groups)
			if i > 0 && spans[i-1].kind == spanWord && s.spaceBefore && n > 0 {
				pq.groups[n-1].words = append(pq.groups[n-1].words, s.runes)
			} else {
				pq.groups = append(pq.groups, queryGroup{words: [][]rune{s.runes}})
			}
		}
		pq.compact = append(pq.compact, s.runes...)
	}
	for _, r := range pq.compact {
		pq.latin = pq.latin || isLatinLower(r)
	}
	if n := len(spans); n > 0 && spans[n-1].kind == spanWord {
		last, _ := utf8.DecodeLastRuneInString(text)
		pq.prefix = isWordRune(normRune(last))
	}
	return pq
}

// clause is one thing a document may match: any of its alternative terms
// (a bigram; or every Han term spelled "yyzz"). A boost clause adds to
// the score but not to coverage.
type clause struct {
	alts  []int32
	boost bool
}

// unit is the clauses of one query group.
type unit struct {
	clauses  []clause
	required int // clauses that count towards coverage
}

// dedupe returns ids without repeats, in first-seen order.
func dedupe(ids []int32) []int32 {
	out := ids[:0:0]
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// compile turns a parsed query into units against the index vocabulary.
// The caller holds the read lock.
func (ix *Index) compile(pq parsedQuery) []unit {
	var units []unit
	for gi, g := range pq.groups {
		var u unit
		if g.han != nil {
			u = ix.hanUnit(g)
		} else {
			u = ix.latinUnit(g.words, pq.prefix && gi == len(pq.groups)-1)
		}
		if u.required > 0 {
			units = append(units, u)
		}
	}
	return units
}

func (ix *Index) lookup(term string) []int32 {
	if id, ok := ix.terms[term]; ok {
		return []int32{id}
	}
	return nil
}

// hanUnit matches a Han run by its character bigrams, each a clause, so
// that any substring of two or more characters matches and a document with
// more of the run ranks higher; a single character matches itself. gse's
// longer words add to the score of documents that have them whole.
func (ix *Index) hanUnit(g queryGroup) unit {
	var u unit
	if len(g.han) == 1 {
		u.clauses = []clause{{alts: ix.lookup(string(g.han))}}
		u.required = 1
		return u
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(g.han); i++ {
		bg := string(g.han[i : i+2])
		if seen[bg] {
			continue
		}
		seen[bg] = true
		u.clauses = append(u.clauses, clause{alts: ix.lookup(bg)})
		u.required++
	}
	for _, w := range g.boost {
		if !seen[w] {
			seen[w] = true
			if alts := ix.lookup(w); alts != nil {
				u.clauses = append(u.clauses, clause{alts: alts, boost: true})
			}
		}
	}
	return u
}

// latinUnit reads a run of Latin words as index words or as pinyin. The
// run is joined ("ying ye zhi zhao" → "yingyezhizhao") and cut into the
// fewest chunks that each are a Latin term of the index (on word
// boundaries) or the full pinyin or initials of Han terms; each chunk is a
// clause. If the joined run cannot be cut, each word is cut on its own and
// a word that cannot be cut is a clause that matches nothing.
func (ix *Index) latinUnit(words [][]rune, prefix bool) unit {
	clauses, ok := ix.segmentLatin(words, prefix)
	if !ok {
		clauses = nil
		for i, w := range words {
			cs, ok := ix.segmentLatin([][]rune{w}, prefix && i == len(words)-1)
			if !ok {
				cs = []clause{{}}
			}
			clauses = append(clauses, cs...)
		}
	}
	return unit{clauses: clauses, required: len(clauses)}
}

// chunkStep records how the segmentation reached a state.
type chunkStep struct {
	prev int // previous state
	alts []int32
}

// segmentLatin cuts the joined words into chunks by dynamic programming
// over byte positions. The costs make whole words and multi-character Han
// terms preferred: a chunk costs 1, a chunk that only spells single
// characters 2 ("qian" alone is many characters), an unfinished last
// chunk matched only as a prefix 1.5 (with prefix set, the last chunk
// always also stands for the longer spellings it begins: "yyz" is 营运证
// and 营业执照). A chunk of initials may overlap the previous chunk of
// initials by its last letter (cost 1.2), so that a run of three
// characters that is no word (企业设: "qys") is reached as "qy" + "ys".
func (ix *Index) segmentLatin(words [][]rune, prefix bool) ([]clause, bool) {
	var b strings.Builder
	cuts := []int{0}
	for _, w := range words {
		for i, r := range w {
			if i > 0 && isDigit(r) != isDigit(w[i-1]) {
				cuts = append(cuts, b.Len())
			}
			b.WriteRune(r)
		}
		cuts = append(cuts, b.Len())
	}
	s := b.String()
	n := len(s)
	if n == 0 {
		return nil, false
	}
	bound := make([]bool, n+1)
	for _, c := range cuts {
		bound[c] = true
	}
	// State 2*p+k: p bytes consumed, k = 1 if the last chunk was initials.
	cost := make([]float64, 2*(n+1))
	steps := make([]chunkStep, 2*(n+1))
	for i := range cost {
		cost[i] = math.Inf(1)
	}
	cost[0] = 0
	relax := func(from, end int, initials bool, c float64, alts []int32) {
		to := 2 * end
		if initials {
			to++
		}
		if c < cost[to] {
			cost[to] = c
			steps[to] = chunkStep{prev: from, alts: alts}
		}
	}
	for p := 0; p < n; p++ {
		for k := 0; k < 2; k++ {
			from := 2*p + k
			c := cost[from]
			if math.IsInf(c, 1) {
				continue
			}
			for e := p + 1; e <= n && e-p <= maxChunkBytes; e++ {
				alts, cc, initials := ix.chunkTerms(s[p:e], bound[p] && bound[e])
				if prefix && e == n && e-p >= 2 {
					// The last chunk also stands for the words it begins.
					if more := ix.prefixTerms(s[p:], bound[p]); more != nil {
						if alts == nil {
							cc, initials = 1.5, false
						}
						alts = append(alts, more...)
					}
				}
				if alts != nil {
					relax(from, e, initials, c+cc, alts)
				}
			}
			if k == 1 && p > 0 {
				// Overlap: reuse the previous chunk's last initial.
				for e := p + 1; e <= n && e-p < maxChunkBytes; e++ {
					if alts := ix.initKeys[s[p-1:e]]; alts != nil {
						relax(from, e, true, c+1.2, alts)
					}
				}
			}
		}
	}
	end := 2 * n
	if cost[end+1] < cost[end] {
		end++
	}
	if math.IsInf(cost[end], 1) {
		return nil, false
	}
	var clauses []clause
	for st := end; st != 0; st = steps[st].prev {
		clauses = append(clauses, clause{alts: dedupe(steps[st].alts)})
	}
	for i, j := 0, len(clauses)-1; i < j; i, j = i+1, j-1 {
		clauses[i], clauses[j] = clauses[j], clauses[i]
	}
	return clauses, true
}

// chunkTerms returns the terms a chunk of a Latin run can mean, the cost
// of the chunk, and whether it spells initials.
func (ix *Index) chunkTerms(chunk string, onWordBoundary bool) (alts []int32, cost float64, initials bool) {
	cost = math.Inf(1)
	if onWordBoundary {
		if r, _ := utf8.DecodeRuneInString(chunk); !isHan(r) {
			if id, ok := ix.terms[chunk]; ok {
				alts = append(alts, id)
				cost = 1
			}
		}
	}
	if len(chunk) < 2 {
		return alts, cost, false
	}
	if ids := ix.initKeys[chunk]; ids != nil {
		alts = append(alts, ids...)
		cost, initials = 1, true
	}
	if ids := ix.fullKeys[chunk]; ids != nil {
		alts = append(alts, ids...)
		c := 2.0
		for _, id := range ids {
			if utf8.RuneCountInString(ix.termStr[id]) > 1 {
				c = 1
				break
			}
		}
		cost = min(cost, c)
	}
	return alts, cost, initials
}

// prefixTerms returns the terms spelled by keys that start with p (Latin
// terms only when p starts a word), at most maxPrefixTerms of them.
func (ix *Index) prefixTerms(p string, wordStart bool) []int32 {
	keys := ix.sortedKeys()
	var alts []int32
	seen := map[int32]bool{}
	add := func(ids ...int32) {
		for _, id := range ids {
			if !seen[id] && len(alts) < maxPrefixTerms {
				seen[id] = true
				alts = append(alts, id)
			}
		}
	}
	for i := sort.SearchStrings(keys, p); i < len(keys) && strings.HasPrefix(keys[i], p) && len(alts) < maxPrefixTerms; i++ {
		k := keys[i]
		add(ix.initKeys[k]...)
		add(ix.fullKeys[k]...)
		if wordStart {
			if id, ok := ix.terms[k]; ok {
				if r, _ := utf8.DecodeRuneInString(k); !isHan(r) {
					add(id)
				}
			}
		}
	}
	return alts
}
