package search

import (
	"strings"
	"sync"

	"github.com/mozillazg/go-pinyin"
)

// Readings of Chinese characters come from go-pinyin, which gives every
// reading of a polyphonic character (重: zhong, chong, tong), the common one
// first. The search matches any reading, because go-pinyin knows readings
// per character, not per word: its common reading of 重 in 重庆 would be
// zhong. A small table of words fixes the reading used where one reading
// must be chosen (sorting titles, the first key listed by Tokens).

const (
	tableLo = 0x3400 // CJK Extension A
	tableHi = 0x9FFF // end of the CJK Unified Ideographs block

	// maxReadings bounds the readings kept per character: beyond the third
	// or fourth they are rare literary readings that only add noise.
	maxReadings = 4
	// maxVariants bounds the pinyin spellings indexed for one term; past it
	// only the spellings that change one character's reading are kept.
	maxVariants = 16
)

// readingTable holds the readings of the common blocks, computed once
// (about 50 ms) because go-pinyin converts with regular expressions.
var readingTable = sync.OnceValue(func() [][]string {
	t := make([][]string, tableHi-tableLo+1)
	for r := rune(tableLo); r <= tableHi; r++ {
		t[r-tableLo] = computeReadings(r)
	}
	return t
})

// readings returns the toneless pinyin readings of r, common first (ü is
// written v, as pinyin keyboards type it), or nil if r has none.
func readings(r rune) []string {
	if r >= tableLo && r <= tableHi {
		return readingTable()[r-tableLo]
	}
	if !isHan(r) {
		return nil
	}
	return computeReadings(r)
}

func computeReadings(r rune) []string {
	a := pinyin.NewArgs()
	a.Heteronym = true
	var out []string
	for _, p := range pinyin.SinglePinyin(r, a) {
		if p == "" || len(out) == maxReadings || strings.IndexFunc(p, func(c rune) bool { return !isLatinLower(c) }) >= 0 {
			continue
		}
		dup := false
		for _, o := range out {
			dup = dup || o == p
		}
		if !dup {
			out = append(out, p)
		}
	}
	return out
}

// wordReadings fixes the reading of polyphonic characters in words common
// in the platform's catalogues, where go-pinyin's common reading is wrong.
var wordReadings = map[string][2]string{
	"重庆": {"chong", "qing"},
	"银行": {"yin", "hang"},
	"行业": {"hang", "ye"},
	"行长": {"hang", "zhang"},
	"重新": {"chong", "xin"},
	"重复": {"chong", "fu"},
	"重建": {"chong", "jian"},
	"还款": {"huan", "kuan"},
	"偿还": {"chang", "huan"},
	"归还": {"gui", "huan"},
	"退还": {"tui", "huan"},
	"供给": {"gong", "ji"},
	"给付": {"ji", "fu"},
	"会计": {"kuai", "ji"},
	"利率": {"li", "lv"},
	"税率": {"shui", "lv"},
	"费率": {"fei", "lv"},
	"汇率": {"hui", "lv"},
	"调解": {"tiao", "jie"},
	"调整": {"tiao", "zheng"},
	"调剂": {"tiao", "ji"},
	"长期": {"chang", "qi"},
	"长江": {"chang", "jiang"},
	"着力": {"zhuo", "li"},
	"单位": {"dan", "wei"},
	"朝阳": {"chao", "yang"},
}

// primaryReadings returns one reading per rune of a Han term (the common
// one, or the word table's), or nil if a rune has no reading.
func primaryReadings(term []rune) []string {
	out := make([]string, len(term))
	for i, r := range term {
		rs := readings(r)
		if len(rs) == 0 {
			return nil
		}
		out[i] = rs[0]
	}
	for i := 0; i+1 < len(term); i++ {
		if w, ok := wordReadings[string(term[i:i+2])]; ok {
			out[i], out[i+1] = w[0], w[1]
		}
	}
	return out
}

// pinyinKeys returns the spellings under which a Han term is found: full
// pinyin joined without separators and initials, the primary reading first.
// It returns nil for a term with a character that has no reading.
func pinyinKeys(term []rune) (full, initials []string) {
	prim := primaryReadings(term)
	if prim == nil {
		return nil, nil
	}
	syll := make([][]string, len(term))
	letters := make([][]string, len(term))
	for i, r := range term {
		syll[i] = withFirst(prim[i], readings(r))
		var ls []string
		for _, s := range syll[i] {
			ls = appendUnique(ls, s[:1])
		}
		letters[i] = ls
	}
	return spellings(syll), spellings(letters)
}

// withFirst returns rs reordered so that first comes first.
func withFirst(first string, rs []string) []string {
	out := append(make([]string, 0, len(rs)+1), first)
	for _, r := range rs {
		if r != first {
			out = append(out, r)
		}
	}
	return out
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// spellings joins one choice per position: every combination while there
// are at most maxVariants, else the all-first spelling and those that
// change a single position. The all-first spelling comes first.
func spellings(choices [][]string) []string {
	n := 1
	for _, c := range choices {
		n *= len(c)
		if n > maxVariants {
			break
		}
	}
	var out []string
	if n <= maxVariants {
		idx := make([]int, len(choices))
		var b strings.Builder
		for {
			b.Reset()
			for i, c := range choices {
				b.WriteString(c[idx[i]])
			}
			out = appendUnique(out, b.String())
			i := len(idx) - 1
			for i >= 0 {
				idx[i]++
				if idx[i] < len(choices[i]) {
					break
				}
				idx[i] = 0
				i--
			}
			if i < 0 {
				return out
			}
		}
	}
	first := make([]string, len(choices))
	for i, c := range choices {
		first[i] = c[0]
	}
	out = append(out, strings.Join(first, ""))
	for i, c := range choices {
		for _, alt := range c[1:] {
			save := first[i]
			first[i] = alt
			out = appendUnique(out, strings.Join(first, ""))
			first[i] = save
		}
	}
	return out
}

// sortKey returns the key that orders titles by pinyin, as Chinese
// catalogues are ordered: each Han character's reading followed by a byte
// below the letters (so 阿 "a" sorts before 安 "an"), Latin words and digits
// as they are, punctuation ignored.
func sortKey(title string) string {
	var b strings.Builder
	for _, s := range scan(title) {
		if s.kind == spanWord {
			b.WriteString(string(s.runes))
			b.WriteByte(1)
			continue
		}
		prim := primaryReadings(s.runes)
		for i, r := range s.runes {
			if prim != nil {
				b.WriteString(prim[i])
			} else if rs := readings(r); len(rs) > 0 {
				b.WriteString(rs[0])
			} else {
				b.WriteRune(r)
			}
			b.WriteByte(1)
		}
	}
	return b.String()
}
