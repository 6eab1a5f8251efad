package search

import (
	"math/bits"
	"strings"
	"unicode/utf8"
)

// phraseMatch says where a query phrase occurs in a text.
type phraseMatch struct {
	contains, starts, equals bool
}

// maxPinyinPhrase is the longest compact query (in runes) matched as a
// pinyin phrase: the matcher keeps its positions in one 64-bit set.
const maxPinyinPhrase = 63

// matchPhrase finds the compact query q in the compact text t. A query
// without Latin letters is compared literally; otherwise each Latin letter
// run may also spell Han characters of t by their full pinyin or their
// initials, in any reading ("chongqing" and "cq" both match 重庆), and with
// prefix set the query may end inside a syllable.
func matchPhrase(q []rune, qs string, t string, latin, prefix bool) phraseMatch {
	if !latin || len(q) > maxPinyinPhrase {
		return phraseMatch{
			contains: strings.Contains(t, qs),
			starts:   strings.HasPrefix(t, qs),
			equals:   t == qs,
		}
	}
	var m phraseMatch
	done := uint64(1) << len(q)
	var anyStart, anchored uint64
	first := true
	for i, r := range t {
		anyStart = pinyinStep(q, anyStart|1, r, prefix)
		if first {
			anchored = 1
			first = false
		}
		anchored = pinyinStep(q, anchored, r, prefix)
		if anyStart&done != 0 {
			m.contains = true
		}
		if anchored&done != 0 {
			m.starts = true
			m.equals = i+utf8.RuneLen(r) == len(t)
		}
		if m.contains && anchored&^done == 0 {
			break
		}
	}
	return m
}

// pinyinStep advances the set of query positions reached over one text
// rune: the rune itself, or for a Han rune one of its readings or the
// reading's initial letter.
func pinyinStep(q []rune, states uint64, r rune, prefix bool) uint64 {
	n := len(q)
	var rs []string
	if isHan(r) {
		rs = readings(r)
	}
	var out uint64
	for states != 0 {
		i := bits.TrailingZeros64(states)
		states &= states - 1
		if i >= n {
			continue
		}
		if q[i] == r {
			out |= 1 << (i + 1)
		}
		if rs == nil || !isLatinLower(q[i]) {
			continue
		}
		for _, rd := range rs {
			if rune(rd[0]) == q[i] {
				out |= 1 << (i + 1)
			}
			switch k := syllableAt(q[i:], rd); {
			case k == len(rd) && k > 1:
				out |= 1 << (i + k)
			case prefix && k == n-i && k > 1:
				out |= 1 << n // the query ends inside this syllable
			}
		}
	}
	return out
}

// syllableAt returns how many leading runes of q agree with rd.
func syllableAt(q []rune, rd string) int {
	k := 0
	for k < len(q) && k < len(rd) && q[k] == rune(rd[k]) {
		k++
	}
	return k
}

// phraseSpan returns the runes of compact text t where the pinyin (or
// literal) query q first occurs, for highlighting, or "".
func phraseSpan(q []rune, t string, prefix bool) string {
	tr := []rune(t)
	done := uint64(1) << len(q)
	for s := range tr {
		st := uint64(1)
		for e := s; e < len(tr) && st != 0; e++ {
			st = pinyinStep(q, st, tr[e], prefix)
			if st&done != 0 {
				return string(tr[s : e+1])
			}
		}
	}
	return ""
}
