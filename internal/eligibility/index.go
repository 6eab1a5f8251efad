package eligibility

import (
	"regexp"
	"slices"
	"sync"
)

// Index answers "which enterprises meet this rule" for every enterprise at
// once from memory: a column per attribute (numbers as float64, dates as
// day numbers, codes dictionary-encoded, tags as validity spans per tag),
// evaluated over bitsets in the same three-valued logic as Rule.Evaluate.
// Per enterprise it gives the outcome FromEnterprise + Rule.Outcome would
// give, without a query per row.
//
// Derived attributes that depend only on the profile (size, sme, rd_ratio …)
// are computed once per enterprise when it is loaded, with the catalogue's
// own expressions. Those that depend on the evaluation date — age_years, and
// above_scale through the 限额以上 qualification tag's validity — are
// computed per date when first asked for and kept for a few dates.
//
// It is safe for concurrent use: matches read under a shared lock; Update
// changes one row under the exclusive lock; Load builds a new content aside
// and swaps it in.
type Index struct {
	cat  *Catalogue
	plan *indexPlan

	mu sync.RWMutex
	s  *store

	loadMu  sync.Mutex // one Load at a time
	dirtyMu sync.Mutex
	loading bool
	dirty   map[int64]struct{} // ids updated while a Load was reading

	origin string // tells this index's own notifications apart (Follow)
	chMu   sync.Mutex
	ch     map[any]string // notification channel per *db.DB
}

// MatchSet is every enterprise's outcome for one rule, as enterprise ids in
// ascending order.
type MatchSet struct {
	Eligible, Ineligible, Unknown []int64
}

// indexPlan sorts the catalogue's attributes by how the index holds them.
type indexPlan struct {
	cat *Catalogue
	// static attributes have one column, filled at load: every base
	// attribute but the tag set, and derived ones that depend on neither
	// the date nor the tags.
	static []*Attribute
	// tags is the base set attribute whose members have validity dates.
	tags string
	// tagDep are derived attributes that read the tags but not the date:
	// a static column plus, for the enterprises whose value changes with
	// their tags' validity, the value per date interval.
	tagDep []*Attribute
	// byDate are derived attributes that read the evaluation date; they
	// are computed per date.
	byDate map[string]dateKind
	// chains: per tag- or date-dependent attribute, the derived attributes
	// it is computed through (itself last), in dependency order.
	chains map[string][]*Attribute
}

// chain lists the derived attributes name is computed through, name last,
// in the catalogue's dependency order.
func (p *indexPlan) chain(name string) []*Attribute {
	need := map[string]bool{}
	var walk func(n string)
	walk = func(n string) {
		a := p.cat.byName[n]
		if a == nil || !a.Derived() || need[n] {
			return
		}
		need[n] = true
		for _, in := range a.Inputs {
			walk(in)
		}
	}
	walk(name)
	var out []*Attribute
	for _, a := range p.cat.order {
		if need[a.Name] {
			out = append(out, a)
		}
	}
	return out
}

// derive computes the attributes of chain in p, in order, as Derive would.
func derive(p *Profile, chain []*Attribute) {
	for _, a := range chain {
		if v, ok := a.derive.eval(p); ok {
			p.vals[a.Name] = v
		} else {
			delete(p.vals, a.Name)
		}
	}
}

type dateKind uint8

const (
	// dateGeneric evaluates the catalogue's expression per enterprise.
	dateGeneric dateKind = iota
	// dateByDay reads one base date and the evaluation date (age_years):
	// the expression runs once per distinct date held, not per enterprise.
	dateByDay
)

var asOfRE = regexp.MustCompile(`\bas_of\b`)

func newPlan(cat *Catalogue) *indexPlan {
	p := &indexPlan{cat: cat, byDate: map[string]dateKind{}, chains: map[string][]*Attribute{}}
	byDate, byTags := map[string]bool{}, map[string]bool{}
	for _, a := range cat.order {
		if !a.Derived() {
			switch a.Type {
			case TypeSet:
				if a.Name == "tags" { // FromEnterprise keeps only the tags valid on the date
					p.tags = a.Name
					byTags[a.Name] = true
				}
			default:
				p.static = append(p.static, a)
			}
			continue
		}
		date := asOfRE.MatchString(a.Expr)
		tags := false
		for _, in := range a.Inputs {
			date = date || byDate[in]
			tags = tags || byTags[in]
		}
		switch {
		case date:
			byDate[a.Name] = true
			p.byDate[a.Name] = dateGeneric
			p.chains[a.Name] = p.chain(a.Name)
			if in := cat.BaseInputs(a.Name); len(in) == 1 && cat.byName[in[0]].Type == TypeDate {
				p.byDate[a.Name] = dateByDay
			}
		case tags:
			byTags[a.Name] = true
			p.chains[a.Name] = p.chain(a.Name)
			p.tagDep = append(p.tagDep, a)
			p.static = append(p.static, a)
		default:
			p.static = append(p.static, a)
		}
	}
	return p
}

// NewIndex returns an empty index over cat; call Load to fill it.
func NewIndex(cat *Catalogue) *Index {
	plan := newPlan(cat)
	return &Index{cat: cat, plan: plan, s: newStore(plan), origin: randomToken()}
}

// Len is the number of enterprises in the index.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.s.ids)
}

// Match evaluates r for every enterprise as of asOf (YYYY-MM-DD). An
// asOf that is not a date decides nothing: every enterprise is unknown.
func (x *Index) Match(r *Rule, asOf string) MatchSet {
	x.mu.RLock()
	defer x.mu.RUnlock()
	s := x.s
	n := len(s.ids)
	if r.root == nil {
		return MatchSet{Eligible: slices.Clone(s.ids), Ineligible: []int64{}, Unknown: []int64{}}
	}
	d, ok := s.day(asOf)
	if !ok {
		return MatchSet{Eligible: []int64{}, Ineligible: []int64{}, Unknown: slices.Clone(s.ids)}
	}
	met, notMet := s.eval(r.root, d)
	unknown := fullBitset(n)
	unknown.andNot(met)
	unknown.andNot(notMet)
	return MatchSet{Eligible: met.ids(s.ids), Ineligible: notMet.ids(s.ids), Unknown: unknown.ids(s.ids)}
}

// Profile returns what FromEnterprise would build for enterprise id as of
// asOf, from the index's columns: for explanations and benefit formulas
// without a query. It reports false for an id not in the index or an asOf
// that is not a date.
func (x *Index) Profile(id int64, asOf string) (*Profile, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	row, ok := x.s.row(id)
	if !ok {
		return nil, false
	}
	day, ok := validDay(asOf)
	if !ok {
		return nil, false
	}
	return x.s.profile(row, asOf, day, nil, nil), true
}

// Grouping keys GroupBy accepts besides code and bool attributes: the
// GB/T 2260 district (6 digits) and street or town (9 digits) of
// region_code, and the GB/T 4754-2017 大类 (2 digits) of industry_code.
const (
	GroupStreet   = "street"
	GroupDistrict = "district"
	GroupDivision = "industry_division"
)

// groupPrefixes are the grouping keys that cut a code attribute.
var groupPrefixes = map[string]struct {
	attr string
	n    int
}{
	GroupStreet:   {"region_code", 9},
	GroupDistrict: {"region_code", 6},
	GroupDivision: {"industry_code", 2},
}

// GroupBy counts ids by the value of a code attribute (size,
// industry_section, region_code …), a bool attribute ("true"/"false"), or
// one of GroupStreet, GroupDistrict, GroupDivision; "" counts the unknown.
// Ids not in the index are skipped. It returns nil for an attribute it
// cannot group by, or an asOf that is not a date.
func (x *Index) GroupBy(ids []int64, attr string, asOf string) map[string]int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	s := x.s
	n := 0
	if pre, ok := groupPrefixes[attr]; ok {
		attr, n = pre.attr, pre.n
	}
	a, ok := x.cat.Lookup(attr)
	if !ok || (a.Type != TypeCode && a.Type != TypeBool) {
		return nil
	}
	d, ok := s.day(asOf)
	if !ok {
		return nil
	}
	col := s.column(a, d)
	key := func(row int) string {
		v, known := col.get(row)
		switch {
		case !known:
			return ""
		case a.Type == TypeBool && v.Bool:
			return "true"
		case a.Type == TypeBool:
			return "false"
		case n > 0:
			return prefixKey(v.Str, n)
		}
		return v.Str
	}
	if cc, isCode := col.(*codeColumn); isCode {
		keys := make([]string, len(cc.vals))
		for id := 1; id < len(cc.vals); id++ {
			keys[id] = cc.vals[id]
			if n > 0 {
				keys[id] = prefixKey(cc.vals[id], n)
			}
		}
		key = func(row int) string { return keys[cc.ids[row]] }
	}
	out := map[string]int{}
	for _, id := range ids {
		if row, ok := s.row(id); ok {
			out[key(row)]++
		}
	}
	return out
}

// Bytes estimates the memory the index's content holds.
func (x *Index) Bytes() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.s.bytes()
}

// store is the index's content.
type store struct {
	plan *indexPlan
	ids  []int64 // ascending; row i is enterprise ids[i]
	cols map[string]column
	// tags: per tag code, the spans of the rows holding it, by row.
	tags map[string][]tagSpan
	// vary: per tag-dependent attribute, the enterprises whose value
	// changes with their tags' validity (by id, which survives row shifts).
	vary map[string]map[int64]*varying

	cacheMu sync.Mutex
	days    map[int32]*dayCache
}

// varying is one enterprise's value of a tag-dependent attribute per date
// interval: vals[i] from day from[i] (inclusive) to the next start.
type varying struct {
	from  []int32
	vals  []Value
	known []bool
}

func (v *varying) at(day int32) (Value, bool) {
	i, found := slices.BinarySearch(v.from, day)
	if !found {
		i--
	}
	return v.vals[i], v.known[i]
}

// dayCache holds what depends on the evaluation date.
type dayCache struct {
	asOf string
	n    int32
	tags map[string]bitset
	cols map[string]column
}

// maxDays bounds the dates kept; policies are matched mostly as of today.
const maxDays = 8

func newStore(plan *indexPlan) *store {
	s := &store{plan: plan, cols: map[string]column{}, tags: map[string][]tagSpan{},
		vary: map[string]map[int64]*varying{}, days: map[int32]*dayCache{}}
	for _, a := range plan.static {
		s.cols[a.Name] = newColumn(a)
	}
	for _, a := range plan.tagDep {
		s.vary[a.Name] = map[int64]*varying{}
	}
	return s
}

func (s *store) row(id int64) (int, bool) { return slices.BinarySearch(s.ids, id) }

// day returns the date's cache entry, or false if asOf is not a date.
func (s *store) day(asOf string) (*dayCache, bool) {
	n, ok := validDay(asOf)
	if !ok {
		return nil, false
	}
	s.cacheMu.Lock()
	defer s.cacheMu.Unlock()
	if d, ok := s.days[n]; ok {
		return d, true
	}
	if len(s.days) >= maxDays {
		clear(s.days)
	}
	d := &dayCache{asOf: asOf, n: n, tags: map[string]bitset{}, cols: map[string]column{}}
	s.days[n] = d
	return d, true
}

// dropDays forgets everything computed per date (after a change).
func (s *store) dropDays() {
	s.cacheMu.Lock()
	clear(s.days)
	s.cacheMu.Unlock()
}

// tagSet returns the rows holding tag on the day.
func (s *store) tagSet(tag string, d *dayCache) bitset {
	s.cacheMu.Lock()
	defer s.cacheMu.Unlock()
	if b, ok := d.tags[tag]; ok {
		return b
	}
	b := newBitset(len(s.ids))
	for _, sp := range s.tags[tag] {
		if sp.activeOn(d.n) {
			b.set(int(sp.row))
		}
	}
	d.tags[tag] = b
	return b
}

// column returns a's column as of the day.
func (s *store) column(a *Attribute, d *dayCache) column {
	if _, dated := s.plan.byDate[a.Name]; !dated && s.vary[a.Name] == nil {
		return s.cols[a.Name]
	}
	s.cacheMu.Lock()
	defer s.cacheMu.Unlock()
	if c, ok := d.cols[a.Name]; ok {
		return c
	}
	var c column
	if kind, dated := s.plan.byDate[a.Name]; dated {
		c = s.datedColumn(a, kind, d)
	} else {
		c = s.cols[a.Name].clone()
		for id, v := range s.vary[a.Name] {
			if row, ok := s.row(id); ok {
				val, known := v.at(d.n)
				c.set(row, val, known)
			}
		}
	}
	d.cols[a.Name] = c
	return c
}

// datedColumn computes an attribute that reads the evaluation date.
func (s *store) datedColumn(a *Attribute, kind dateKind, d *dayCache) column {
	n := len(s.ids)
	c := newColumn(a)
	for row := 0; row < n; row++ {
		c.insert(row)
	}
	if kind == dateByDay {
		input := s.plan.cat.BaseInputs(a.Name)[0]
		dates := s.cols[input].(*dateColumn)
		type cell struct {
			v     Value
			known bool
		}
		memo := map[int32]cell{}
		for row, from := range dates.v {
			ce, ok := memo[from]
			if !ok {
				p := NewProfile(s.plan.cat, d.asOf)
				if from != 0 {
					p.vals[input] = Value{Str: dayString(from)}
				}
				derive(p, s.plan.chains[a.Name])
				ce.v, ce.known = p.vals[a.Name]
				memo[from] = ce
			}
			c.set(row, ce.v, ce.known)
		}
		return c
	}
	inputs := s.plan.cat.BaseInputs(a.Name)
	for row := 0; row < n; row++ {
		p := s.profile(row, d.asOf, d.n, inputs, s.plan.chains[a.Name])
		v, ok := p.Get(a.Name)
		c.set(row, v, ok)
	}
	return c
}

// profile rebuilds the profile of row as FromEnterprise would: base values
// from the columns, the tags valid on the day, then Derive. With only set,
// just those base attributes are filled and just the chain is derived
// (enough for one attribute).
func (s *store) profile(row int, asOf string, day int32, only []string, chain []*Attribute) *Profile {
	p := NewProfile(s.plan.cat, asOf)
	for _, a := range s.plan.cat.attrs {
		if a.Derived() || (only != nil && !slices.Contains(only, a.Name)) {
			continue
		}
		if a.Name == s.plan.tags {
			p.vals[a.Name] = Value{Set: s.tagsOf(row, day)}
			continue
		}
		c := s.cols[a.Name]
		if c == nil {
			continue
		}
		if v, ok := c.get(row); ok {
			p.vals[a.Name] = v
		}
	}
	if only == nil {
		p.Derive()
	} else {
		derive(p, chain)
	}
	return p
}

// tagsOf lists the tags row holds on day, sorted; nil when none.
func (s *store) tagsOf(row int, day int32) []string {
	var out []string
	for code, spans := range s.tags {
		i, found := slices.BinarySearchFunc(spans, uint32(row), func(sp tagSpan, r uint32) int { return int(sp.row) - int(r) })
		if found && spans[i].activeOn(day) {
			out = append(out, code)
		}
	}
	slices.Sort(out)
	return out
}

// eval computes the rows where n is met and where it is not met; the rest
// are unknown. all: met where every member is met, not met where any is
// not; any: the reverse; not: swapped — Kleene's logic, as eval in eval.go.
func (s *store) eval(n *cnode, d *dayCache) (met, notMet bitset) {
	rows := len(s.ids)
	switch n.kind {
	case kindLeaf:
		return s.leaf(n.leaf, d)
	case kindNot:
		m, x := s.eval(n.kids[0], d)
		return x, m
	}
	for i, k := range n.kids {
		m, x := s.eval(k, d)
		if i == 0 {
			met, notMet = m, x
			continue
		}
		if n.kind == kindAll {
			met.and(m)
			notMet.or(x)
		} else {
			met.or(m)
			notMet.and(x)
		}
	}
	if met == nil { // a group without members does not compile, but be total
		return newBitset(rows), newBitset(rows)
	}
	return met, notMet
}

// leaf evaluates one comparison; the sets it returns are the caller's.
func (s *store) leaf(l *Leaf, d *dayCache) (met, notMet bitset) {
	n := len(s.ids)
	met, notMet = newBitset(n), newBitset(n)
	a := l.Attr
	if a.Type == TypeSet {
		if a.Name != s.plan.tags {
			// FromEnterprise knows no other set: unknown everywhere, and
			// exists is not met.
			if l.Op == OpExists {
				notMet = fullBitset(n)
			}
			return met, notMet
		}
		switch l.Op {
		case OpExists:
			met = fullBitset(n)
		case OpHasAll:
			met = fullBitset(n)
			for _, t := range l.Strs {
				met.and(s.tagSet(t, d))
			}
		default: // has, has_any
			for _, t := range l.Strs {
				met.or(s.tagSet(t, d))
			}
		}
		notMet = fullBitset(n)
		notMet.andNot(met)
		return met, notMet
	}
	c := s.column(a, d)
	if c == nil {
		if l.Op == OpExists {
			notMet = fullBitset(n)
		}
		return met, notMet
	}
	if l.Op == OpExists {
		split(n, met, notMet, func(row int) (bool, bool) {
			_, known := c.get(row)
			return known, true
		})
		return met, notMet
	}
	c.leaf(l, n, met, notMet)
	return met, notMet
}

// bytes estimates the content's memory.
func (s *store) bytes() int {
	n := 8 * cap(s.ids)
	for _, c := range s.cols {
		n += c.bytes()
	}
	for code, spans := range s.tags {
		n += len(code) + 12*cap(spans)
	}
	for _, m := range s.vary {
		for _, v := range m {
			n += 48 + len(v.from)*(4+56+1)
		}
	}
	return n
}
