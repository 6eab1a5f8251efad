package search

import (
	"cmp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

// Doc is one searchable document of a catalogue.
type Doc struct {
	ID       string              // unique within the index, e.g. a matter code
	Title    string              // weighted highest
	Keywords []string            // aliases and abbreviations, weighted high
	Body     string              // description, materials, department name …
	Facets   map[string][]string // values to filter on, e.g. {"department": {"SCJGJ"}}
}

// The fields of a document and their weights in scoring.
const (
	fieldTitle = iota
	fieldKeywords
	fieldBody
	numFields
)

var (
	fieldWeight = [numFields]float64{3, 2, 1}
	// fieldB is BM25's length normalisation per field: keyword lists are
	// short and their length says little about a document.
	fieldB = [numFields]float64{0.75, 0.5, 0.75}
)

// Index is an in-memory inverted index over a catalogue: thousands of
// documents, rebuilt at start and updated on change. It is safe for
// concurrent use; searches share a read lock, and Put analyses the document
// before it takes the write lock, so a write holds searches up only while
// postings are spliced.
type Index struct {
	mu   sync.RWMutex
	docs []*docEntry // by slot; nil where free
	// fieldLen repeats each slot's field lengths next to each other for
	// the scoring loop.
	fieldLen [][numFields]int32
	free     []int32
	byID     map[string]int32
	order    []int32 // slots by title pinyin, title, ID: the browse order

	terms     map[string]int32 // term → term id
	termStr   []string         // term id → term
	postings  [][]posting      // term id → postings sorted by slot
	freeTerms []int32

	// Pinyin spellings of the Han terms: full pinyin and initials.
	fullKeys map[string][]int32
	initKeys map[string][]int32

	facets map[string]map[string]*bitset // key → value → slots
	lenSum [numFields]int64

	// prefixKeys is the sorted list of spellings and Latin terms, for
	// prefix matching of the last word typed. Writers mark it stale; the
	// first search after that rebuilds it under keysMu while holding the
	// read lock, which keeps the maps it reads still.
	prefixKeys atomic.Pointer[[]string]
	keysStale  atomic.Bool
	keysMu     sync.Mutex
}

// posting is one document's term frequencies in each field.
type posting struct {
	doc int32
	tf  [numFields]uint16
}

// docEntry is what the index keeps of a document.
type docEntry struct {
	id       string
	title    string
	titleLen int    // in runes, for the shorter-title-first tie-break
	sortKey  string // title pinyin
	// Compact forms (normalized, Han and word runes only) for phrase
	// matching: the title, each keyword and the body.
	titleC    string
	keywordsC []string
	bodyC     string
	fieldLen  [numFields]int32
	terms     []int32 // sorted ids of the document's terms
	facets    map[string][]string
}

// NewIndex returns an empty index. It is cheap; the segmentation
// dictionary is loaded once per process on first use (see Preload).
func NewIndex() *Index {
	ix := &Index{
		byID:     map[string]int32{},
		terms:    map[string]int32{},
		fullKeys: map[string][]int32{},
		initKeys: map[string][]int32{},
		facets:   map[string]map[string]*bitset{},
	}
	ix.keysStale.Store(true)
	return ix
}

// Len returns the number of documents in the index.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.byID)
}

// analyzedDoc is a document analysed outside the index lock.
type analyzedDoc struct {
	entry *docEntry
	tf    map[string][numFields]uint16
}

func analyzeDoc(d Doc) analyzedDoc {
	e := &docEntry{
		id:       d.ID,
		title:    d.Title,
		titleLen: utf8.RuneCountInString(d.Title),
		sortKey:  sortKey(d.Title),
		titleC:   string(compact(d.Title)),
		bodyC:    string(compact(d.Body)),
	}
	for _, k := range d.Keywords {
		if c := compact(k); len(c) > 0 {
			e.keywordsC = append(e.keywordsC, string(c))
		}
	}
	if len(d.Facets) > 0 {
		e.facets = make(map[string][]string, len(d.Facets))
		for k, vs := range d.Facets {
			e.facets[k] = slices.Clone(vs)
		}
	}
	tf := map[string][numFields]uint16{}
	// Keywords are joined by a line break so that no bigram spans two.
	texts := [numFields]string{d.Title, strings.Join(d.Keywords, "\n"), d.Body}
	for f, text := range texts {
		e.fieldLen[f] = int32(analyzeText(text, func(term string) {
			v := tf[term]
			if v[f] < 1<<16-1 {
				v[f]++
			}
			tf[term] = v
		}))
	}
	return analyzedDoc{entry: e, tf: tf}
}

// Put adds a document, or replaces the one with the same ID.
func (ix *Index) Put(d Doc) {
	a := analyzeDoc(d)
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.put(a)
}

// PutAll adds or replaces many documents, as when the index is built at
// start: it analyses them on all cores, then adds them under one lock.
// Of documents with the same ID the last wins.
func (ix *Index) PutAll(docs []Doc) {
	analyzed := make([]analyzedDoc, len(docs))
	workers := min(runtime.GOMAXPROCS(0), len(docs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(docs) {
					return
				}
				analyzed[i] = analyzeDoc(docs[i])
			}
		})
	}
	wg.Wait()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for _, a := range analyzed {
		ix.put(a)
	}
}

// put adds an analysed document, replacing one with its ID. The caller
// holds the write lock.
func (ix *Index) put(a analyzedDoc) {
	if slot, ok := ix.byID[a.entry.id]; ok {
		ix.remove(slot)
	}
	var slot int32
	if n := len(ix.free); n > 0 {
		slot, ix.free = ix.free[n-1], ix.free[:n-1]
		ix.docs[slot] = a.entry
		ix.fieldLen[slot] = a.entry.fieldLen
	} else {
		slot = int32(len(ix.docs))
		ix.docs = append(ix.docs, a.entry)
		ix.fieldLen = append(ix.fieldLen, a.entry.fieldLen)
	}
	e := a.entry
	ix.byID[e.id] = slot
	e.terms = make([]int32, 0, len(a.tf))
	for term, tf := range a.tf {
		id := ix.termID(term)
		e.terms = append(e.terms, id)
		ps := ix.postings[id]
		p := posting{doc: slot, tf: tf}
		if n := len(ps); n == 0 || ps[n-1].doc < slot {
			ix.postings[id] = append(ps, p)
			continue
		}
		i, _ := slices.BinarySearchFunc(ps, slot, func(p posting, s int32) int { return cmp.Compare(p.doc, s) })
		ix.postings[id] = slices.Insert(ps, i, p)
	}
	slices.Sort(e.terms)
	for f := range numFields {
		ix.lenSum[f] += int64(e.fieldLen[f])
	}
	for k, vs := range e.facets {
		byValue := ix.facets[k]
		if byValue == nil {
			byValue = map[string]*bitset{}
			ix.facets[k] = byValue
		}
		for _, v := range vs {
			b := byValue[v]
			if b == nil {
				b = &bitset{}
				byValue[v] = b
			}
			b.set(slot)
		}
	}
	i, _ := slices.BinarySearchFunc(ix.order, e, func(s int32, e *docEntry) int { return browseCmp(ix.docs[s], e) })
	ix.order = slices.Insert(ix.order, i, slot)
}

// Delete removes the document with the given ID, if there is one.
func (ix *Index) Delete(id string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if slot, ok := ix.byID[id]; ok {
		ix.remove(slot)
	}
}

// remove takes a document out of every structure. The caller holds the
// write lock.
func (ix *Index) remove(slot int32) {
	e := ix.docs[slot]
	for _, id := range e.terms {
		ps := ix.postings[id]
		if i, ok := slices.BinarySearchFunc(ps, slot, func(p posting, s int32) int { return cmp.Compare(p.doc, s) }); ok {
			ps = slices.Delete(ps, i, i+1)
		}
		ix.postings[id] = ps
		if len(ps) == 0 {
			ix.dropTerm(id)
		}
	}
	for f := range numFields {
		ix.lenSum[f] -= int64(e.fieldLen[f])
	}
	for k, vs := range e.facets {
		for _, v := range vs {
			if b := ix.facets[k][v]; b != nil {
				b.clear(slot)
				if b.empty() {
					delete(ix.facets[k], v)
				}
			}
		}
		if len(ix.facets[k]) == 0 {
			delete(ix.facets, k)
		}
	}
	i, found := slices.BinarySearchFunc(ix.order, e, func(s int32, e *docEntry) int { return browseCmp(ix.docs[s], e) })
	for ; found && i < len(ix.order); i++ {
		if ix.order[i] == slot {
			ix.order = slices.Delete(ix.order, i, i+1)
			break
		}
	}
	delete(ix.byID, e.id)
	ix.docs[slot] = nil
	ix.free = append(ix.free, slot)
}

// browseCmp orders documents by title pinyin, then title, then ID.
func browseCmp(a, b *docEntry) int {
	if c := strings.Compare(a.sortKey, b.sortKey); c != 0 {
		return c
	}
	if c := strings.Compare(a.title, b.title); c != 0 {
		return c
	}
	return strings.Compare(a.id, b.id)
}

// termID returns the id of a term, adding the term and its pinyin
// spellings to the vocabulary if it is new. The caller holds the write lock.
func (ix *Index) termID(term string) int32 {
	if id, ok := ix.terms[term]; ok {
		return id
	}
	var id int32
	if n := len(ix.freeTerms); n > 0 {
		id, ix.freeTerms = ix.freeTerms[n-1], ix.freeTerms[:n-1]
		ix.termStr[id] = term
	} else {
		id = int32(len(ix.termStr))
		ix.termStr = append(ix.termStr, term)
		ix.postings = append(ix.postings, nil)
	}
	ix.terms[term] = id
	full, initials := termSpellings(term)
	for _, k := range full {
		ix.fullKeys[k] = append(ix.fullKeys[k], id)
	}
	for _, k := range initials {
		ix.initKeys[k] = append(ix.initKeys[k], id)
	}
	ix.keysStale.Store(true)
	return id
}

// dropTerm removes a term that no document holds any more, so that the
// vocabulary does not grow with edits. The caller holds the write lock.
func (ix *Index) dropTerm(id int32) {
	term := ix.termStr[id]
	full, initials := termSpellings(term)
	for _, k := range full {
		ix.fullKeys[k] = removeID(ix.fullKeys[k], id)
		if len(ix.fullKeys[k]) == 0 {
			delete(ix.fullKeys, k)
		}
	}
	for _, k := range initials {
		ix.initKeys[k] = removeID(ix.initKeys[k], id)
		if len(ix.initKeys[k]) == 0 {
			delete(ix.initKeys, k)
		}
	}
	delete(ix.terms, term)
	ix.termStr[id] = ""
	ix.postings[id] = nil
	ix.freeTerms = append(ix.freeTerms, id)
	ix.keysStale.Store(true)
}

func removeID(ids []int32, id int32) []int32 {
	if i := slices.Index(ids, id); i >= 0 {
		return slices.Delete(ids, i, i+1)
	}
	return ids
}

// termSpellings returns the pinyin spellings of an index term: full pinyin
// and initials for a Han term of two or more characters, the full readings
// alone for a single character (a lone initial letter would match too much
// to be useful), none for a Latin word.
func termSpellings(term string) (full, initials []string) {
	r, size := utf8.DecodeRuneInString(term)
	if !isHan(r) {
		return nil, nil
	}
	if size == len(term) {
		return readings(r), nil
	}
	return pinyinKeys([]rune(term))
}

// sortedKeys returns every spelling and Latin term in order, for prefix
// lookups. The caller holds the read lock.
func (ix *Index) sortedKeys() []string {
	if !ix.keysStale.Load() {
		if p := ix.prefixKeys.Load(); p != nil {
			return *p
		}
	}
	ix.keysMu.Lock()
	defer ix.keysMu.Unlock()
	if p := ix.prefixKeys.Load(); p != nil && !ix.keysStale.Load() {
		return *p
	}
	keys := make([]string, 0, len(ix.fullKeys)+len(ix.initKeys))
	for k := range ix.fullKeys {
		keys = append(keys, k)
	}
	for k := range ix.initKeys {
		keys = append(keys, k)
	}
	for t := range ix.terms {
		if r, _ := utf8.DecodeRuneInString(t); !isHan(r) {
			keys = append(keys, t)
		}
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	ix.prefixKeys.Store(&keys)
	ix.keysStale.Store(false)
	return keys
}

// bitset is a set of document slots.
type bitset struct{ w []uint64 }

func (b *bitset) set(i int32) {
	for int(i>>6) >= len(b.w) {
		b.w = append(b.w, 0)
	}
	b.w[i>>6] |= 1 << (i & 63)
}

func (b *bitset) clear(i int32) {
	if int(i>>6) < len(b.w) {
		b.w[i>>6] &^= 1 << (i & 63)
	}
}

func (b *bitset) has(i int32) bool {
	return int(i>>6) < len(b.w) && b.w[i>>6]&(1<<(i&63)) != 0
}

func (b *bitset) empty() bool {
	for _, w := range b.w {
		if w != 0 {
			return false
		}
	}
	return true
}
