package eligibility

import (
	"maps"
	"math"
	"math/bits"
	"slices"
	"strings"
	"time"
)

// bitset is a dense set of rows, one bit each: at a million enterprises a set
// is 125 KiB, so the whole-population sets that rule evaluation combines
// stay cheap to AND and OR without a compressed representation.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

// fullBitset has rows 0..n-1.
func fullBitset(n int) bitset {
	b := newBitset(n)
	for i := range b {
		b[i] = math.MaxUint64
	}
	if r := n % 64; r != 0 {
		b[len(b)-1] = 1<<r - 1
	}
	return b
}

func (b bitset) set(i int)      { b[i>>6] |= 1 << (uint(i) & 63) }
func (b bitset) has(i int) bool { return b[i>>6]&(1<<(uint(i)&63)) != 0 }

func (b bitset) and(o bitset) {
	for i := range b {
		b[i] &= o[i]
	}
}

func (b bitset) or(o bitset) {
	for i := range b {
		b[i] |= o[i]
	}
}

func (b bitset) andNot(o bitset) {
	for i := range b {
		b[i] &^= o[i]
	}
}

func (b bitset) count() int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}

// ids lists the enterprise ids of the rows in b, ascending (rows are in id
// order).
func (b bitset) ids(rowIDs []int64) []int64 {
	out := make([]int64, 0, b.count())
	for wi, w := range b {
		for w != 0 {
			t := bits.TrailingZeros64(w)
			out = append(out, rowIDs[wi*64+t])
			w &= w - 1
		}
	}
	return out
}

// split fills met and notMet from pred over rows 0..n-1; pred reports
// (holds, known). It writes whole words, so the sets need not be zeroed.
func split(n int, met, notMet bitset, pred func(row int) (holds, known bool)) {
	for w := range met {
		var m, x uint64
		base := w * 64
		for i := base; i < min(base+64, n); i++ {
			h, k := pred(i)
			if !k {
				continue
			}
			if h {
				m |= 1 << uint(i-base)
			} else {
				x |= 1 << uint(i-base)
			}
		}
		met[w], notMet[w] = m, x
	}
}

// column holds one attribute's value for every row. Unknown is a value of
// its own in each representation (NaN, 0, the empty code), which makes the
// separate known-bitmap of a textbook column store unnecessary.
type column interface {
	get(row int) (Value, bool)
	set(row int, v Value, known bool)
	insert(row int) // a new unknown cell at row, shifting the rest down
	remove(row int)
	clone() column
	// leaf splits the rows whose value is known into those that satisfy
	// the comparison and those that do not.
	leaf(l *Leaf, n int, met, notMet bitset)
	bytes() int
}

// numColumn holds numbers, money (fen) and percents; NaN is unknown (a
// derived value is never NaN: Derive drops non-finite results).
type numColumn struct{ v []float64 }

func (c *numColumn) get(row int) (Value, bool) {
	x := c.v[row]
	return Value{Num: x}, x == x
}

func (c *numColumn) set(row int, v Value, known bool) {
	if known {
		c.v[row] = v.Num
	} else {
		c.v[row] = math.NaN()
	}
}

func (c *numColumn) insert(row int) { c.v = slices.Insert(c.v, row, math.NaN()) }
func (c *numColumn) remove(row int) { c.v = slices.Delete(c.v, row, row+1) }
func (c *numColumn) clone() column  { return &numColumn{v: slices.Clone(c.v)} }
func (c *numColumn) bytes() int     { return 8 * cap(c.v) }

func (c *numColumn) leaf(l *Leaf, n int, met, notMet bitset) {
	ops := l.Nums
	inf := math.Inf(1)
	// The order comparisons are closed intervals: x < a is x ≤ the float
	// just below a, exactly, since both are float64.
	switch l.Op {
	case OpLt:
		between(c.v, met, notMet, -inf, math.Nextafter(ops[0], -inf))
	case OpLe:
		between(c.v, met, notMet, -inf, ops[0])
	case OpGt:
		between(c.v, met, notMet, math.Nextafter(ops[0], inf), inf)
	case OpGe:
		between(c.v, met, notMet, ops[0], inf)
	case OpBetween:
		between(c.v, met, notMet, ops[0], ops[1])
	case OpEq:
		between(c.v, met, notMet, ops[0], ops[0])
	default:
		v := c.v
		split(n, met, notMet, func(i int) (bool, bool) {
			x := v[i]
			return compare(l.Op, x, ops), x == x
		})
	}
}

// between splits the known values of v into those in [lo, hi] and the rest.
func between(v []float64, met, notMet bitset, lo, hi float64) {
	for w := range met {
		var m, x uint64
		base := w * 64
		end := min(base+64, len(v))
		for i, f := range v[base:end] {
			bit := uint64(1) << uint(i)
			switch {
			case f >= lo && f <= hi:
				m |= bit
			case f == f: // known, outside
				x |= bit
			}
		}
		met[w], notMet[w] = m, x
	}
}

// dateColumn holds dates as yyyymmdd, which orders as the YYYY-MM-DD text
// does; 0 is unknown.
type dateColumn struct{ v []int32 }

// dayNumber reads YYYY-MM-DD as yyyymmdd; ok is false for anything else.
func dayNumber(s string) (int32, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	var n int32
	for i := 0; i < 10; i++ {
		if i == 4 || i == 7 {
			continue
		}
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int32(c-'0')
	}
	return n, true
}

// dayString writes yyyymmdd back as YYYY-MM-DD.
func dayString(n int32) string {
	b := [10]byte{byte('0' + n/10000000), byte('0' + n/1000000%10), byte('0' + n/100000%10), byte('0' + n/10000%10), '-',
		byte('0' + n/1000%10), byte('0' + n/100%10), '-', byte('0' + n/10%10), byte('0' + n%10)}
	return string(b[:])
}

func (c *dateColumn) get(row int) (Value, bool) {
	if c.v[row] == 0 {
		return Value{}, false
	}
	return Value{Str: dayString(c.v[row])}, true
}

func (c *dateColumn) set(row int, v Value, known bool) {
	c.v[row] = 0
	if known {
		// The registry stores dates it has validated as YYYY-MM-DD; anything
		// else cannot be compared as a date and stays unknown.
		c.v[row], _ = dayNumber(v.Str)
	}
}

func (c *dateColumn) insert(row int) { c.v = slices.Insert(c.v, row, 0) }
func (c *dateColumn) remove(row int) { c.v = slices.Delete(c.v, row, row+1) }
func (c *dateColumn) clone() column  { return &dateColumn{v: slices.Clone(c.v)} }
func (c *dateColumn) bytes() int     { return 4 * cap(c.v) }

func (c *dateColumn) leaf(l *Leaf, n int, met, notMet bitset) {
	ops := make([]float64, len(l.Strs))
	for i, s := range l.Strs {
		d, _ := dayNumber(s) // Compile checked the format
		ops[i] = float64(d)
	}
	v := c.v
	split(n, met, notMet, func(i int) (bool, bool) {
		if v[i] == 0 {
			return false, false
		}
		return compare(l.Op, float64(v[i]), ops), true
	})
}

// boolColumn holds 0 unknown, 1 false, 2 true.
type boolColumn struct{ v []uint8 }

func (c *boolColumn) get(row int) (Value, bool) {
	return Value{Bool: c.v[row] == 2}, c.v[row] != 0
}

func (c *boolColumn) set(row int, v Value, known bool) {
	switch {
	case !known:
		c.v[row] = 0
	case v.Bool:
		c.v[row] = 2
	default:
		c.v[row] = 1
	}
}

func (c *boolColumn) insert(row int) { c.v = slices.Insert(c.v, row, 0) }
func (c *boolColumn) remove(row int) { c.v = slices.Delete(c.v, row, row+1) }
func (c *boolColumn) clone() column  { return &boolColumn{v: slices.Clone(c.v)} }
func (c *boolColumn) bytes() int     { return cap(c.v) }

func (c *boolColumn) leaf(l *Leaf, n int, met, notMet bitset) {
	truth := [3]bool{false, l.holds(Value{Bool: false}), l.holds(Value{Bool: true})}
	v := c.v
	split(n, met, notMet, func(i int) (bool, bool) { return truth[v[i]], v[i] != 0 })
}

// dictThreshold is the dictionary size above which a code column that holds
// mostly distinct values (the credit code) stops keeping a dictionary: its
// map would cost more than the strings themselves.
const dictThreshold = 4096

// codeColumn dictionary-encodes codes: row → code number, 0 unknown. A
// comparison is decided once per distinct code, then per row by a table
// lookup; a prefix over industries or regions costs no more than eq.
type codeColumn struct {
	ids   []uint32
	vals  []string // vals[0] is unused (unknown)
	index map[string]uint32
}

func newCodeColumn() *codeColumn {
	return &codeColumn{vals: []string{""}, index: map[string]uint32{}}
}

func (c *codeColumn) code(s string) uint32 {
	if id, ok := c.index[s]; ok {
		return id
	}
	id := uint32(len(c.vals))
	c.vals = append(c.vals, s)
	c.index[s] = id
	return id
}

func (c *codeColumn) get(row int) (Value, bool) {
	id := c.ids[row]
	return Value{Str: c.vals[id]}, id != 0
}

func (c *codeColumn) set(row int, v Value, known bool) {
	if !known || v.Str == "" {
		c.ids[row] = 0
		return
	}
	c.ids[row] = c.code(v.Str)
}

func (c *codeColumn) insert(row int) { c.ids = slices.Insert(c.ids, row, 0) }
func (c *codeColumn) remove(row int) { c.ids = slices.Delete(c.ids, row, row+1) }

func (c *codeColumn) clone() column {
	// A clone may add codes (a per-date column), so it gets its own
	// dictionary; code columns that are cloned have few values.
	return &codeColumn{ids: slices.Clone(c.ids), vals: slices.Clone(c.vals), index: maps.Clone(c.index)}
}

func (c *codeColumn) bytes() int {
	n := 4 * cap(c.ids)
	for _, s := range c.vals {
		n += len(s) + 16 + 24 // string header, map entry (approximate)
	}
	return n
}

func (c *codeColumn) leaf(l *Leaf, n int, met, notMet bitset) {
	holds := make([]bool, len(c.vals))
	for id := 1; id < len(c.vals); id++ {
		holds[id] = l.holds(Value{Str: c.vals[id]})
	}
	for w := range met {
		var m, x uint64
		base := w * 64
		for i, id := range c.ids[base:min(base+64, n)] {
			bit := uint64(1) << uint(i)
			switch {
			case holds[id]:
				m |= bit
			case id != 0:
				x |= bit
			}
		}
		met[w], notMet[w] = m, x
	}
}

// textColumn holds codes that are nearly all distinct (the credit code) in
// one byte arena; an empty string is unknown. Rewritten rows leave their old
// bytes behind until the next full Load.
type textColumn struct {
	arena []byte
	off   []uint32
	n     []uint16
}

func (c *textColumn) str(row int) string {
	return string(c.arena[c.off[row] : c.off[row]+uint32(c.n[row])])
}

func (c *textColumn) get(row int) (Value, bool) {
	return Value{Str: c.str(row)}, c.n[row] != 0
}

func (c *textColumn) set(row int, v Value, known bool) {
	if !known || v.Str == "" || len(v.Str) > math.MaxUint16 {
		c.n[row] = 0
		return
	}
	c.off[row] = uint32(len(c.arena))
	c.n[row] = uint16(len(v.Str))
	c.arena = append(c.arena, v.Str...)
}

func (c *textColumn) insert(row int) {
	c.off = slices.Insert(c.off, row, 0)
	c.n = slices.Insert(c.n, row, 0)
}

func (c *textColumn) remove(row int) {
	c.off = slices.Delete(c.off, row, row+1)
	c.n = slices.Delete(c.n, row, row+1)
}

func (c *textColumn) clone() column {
	return &textColumn{arena: c.arena, off: slices.Clone(c.off), n: slices.Clone(c.n)}
}

func (c *textColumn) bytes() int { return cap(c.arena) + 4*cap(c.off) + 2*cap(c.n) }

func (c *textColumn) leaf(l *Leaf, n int, met, notMet bitset) {
	split(n, met, notMet, func(i int) (bool, bool) {
		if c.n[i] == 0 {
			return false, false
		}
		return l.holds(Value{Str: c.str(i)}), true
	})
}

// toText turns a dictionary column into a text column.
func (c *codeColumn) toText() *textColumn {
	t := &textColumn{off: make([]uint32, len(c.ids)), n: make([]uint16, len(c.ids))}
	for row, id := range c.ids {
		t.set(row, Value{Str: c.vals[id]}, id != 0)
	}
	return t
}

// newColumn returns an empty column for a's type, or nil for a set.
func newColumn(a *Attribute) column {
	switch a.Type {
	case TypeNumber, TypeMoney, TypePercent:
		return &numColumn{}
	case TypeDate:
		return &dateColumn{}
	case TypeBool:
		return &boolColumn{}
	case TypeCode:
		return newCodeColumn()
	}
	return nil
}

// tagSpan is one tag held by the enterprise in row, valid from..to
// (yyyymmdd, inclusive; 0 and openEnd when the registry leaves them open).
type tagSpan struct {
	row      uint32
	from, to int32
}

const openEnd = int32(99991231)

// spanOf reads a tag's validity as Tag.ActiveOn compares it.
func spanOf(validFrom, validTo string) (from, to int32) {
	from, to = 0, openEnd
	if validFrom != "" {
		from, _ = dayNumber(validFrom)
	}
	if validTo != "" {
		if d, ok := dayNumber(validTo); ok {
			to = d
		} else {
			to = -1 // an unreadable end date: never active (the registry refuses them)
		}
	}
	return from, to
}

func (s tagSpan) activeOn(day int32) bool { return s.from <= day && day <= s.to }

// validDay reads an evaluation date, accepting only real calendar dates.
func validDay(asOf string) (int32, bool) {
	d, ok := dayNumber(asOf)
	if !ok {
		return 0, false
	}
	if _, err := time.Parse(time.DateOnly, asOf); err != nil {
		return 0, false
	}
	return d, true
}

// prefixKey cuts a code to its first n characters ("" if shorter).
func prefixKey(s string, n int) string {
	if len(s) < n {
		return ""
	}
	return strings.Clone(s[:n])
}
