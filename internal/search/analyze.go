package search

import (
	"unicode"
	"unicode/utf8"
)

// normRune folds a rune the way both the index and queries see it:
// full-width ASCII (ＡＢＣ１２３) to ASCII, the ideographic space to a space,
// and upper to lower case. It maps one rune to one rune, so positions in a
// normalized text are positions in the original (Highlight relies on that).
func normRune(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		r -= 0xFEE0
	case r == 0x3000:
		r = ' '
	}
	return unicode.ToLower(r)
}

// isHan reports whether r is a Chinese character.
func isHan(r rune) bool {
	if r >= 0x4E00 && r <= 0x9FFF { // the common block, all Han
		return true
	}
	return r >= 0x2E80 && unicode.Is(unicode.Han, r)
}

// isWordRune reports whether r belongs to a Latin-style word: letters of
// other scripts and digits. Everything that is neither this nor Han
// separates tokens.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z'
	}
	return !isHan(r) && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func isLatinLower(r rune) bool { return r >= 'a' && r <= 'z' }

// spanKind classifies a piece of scanned text.
type spanKind uint8

const (
	spanHan  spanKind = iota + 1 // a run of Chinese characters
	spanWord                     // a Latin word or number
)

// span is a run of normalized text of one kind. spaceBefore says that only
// white space (no punctuation) separates it from the previous span.
type span struct {
	kind        spanKind
	runes       []rune
	spaceBefore bool
}

// scan splits normalized text into Han runs and words; punctuation and
// white space only separate them.
func scan(text string) []span {
	var spans []span
	var cur []rune
	var curKind spanKind
	onlySpace := true // nothing but white space since the last span
	flush := func() {
		if len(cur) > 0 {
			spans = append(spans, span{kind: curKind, runes: cur, spaceBefore: onlySpace && len(spans) > 0})
			cur = nil
			onlySpace = true
		}
	}
	for _, r := range text {
		r = normRune(r)
		var k spanKind
		switch {
		case isHan(r):
			k = spanHan
		case isWordRune(r):
			k = spanWord
		}
		if k != curKind {
			flush()
			curKind = k
		}
		if k == 0 {
			onlySpace = onlySpace && unicode.IsSpace(r)
			continue
		}
		cur = append(cur, r)
	}
	flush()
	return spans
}

// compact returns the normalized text with everything but Han characters
// and word runes removed: the form in which phrases are compared, so that
// "食品 经营" and "食品经营" are the same phrase.
func compact(text string) []rune {
	out := make([]rune, 0, len(text)/2)
	for _, r := range text {
		r = normRune(r)
		if isHan(r) || isWordRune(r) {
			out = append(out, r)
		}
	}
	return out
}

// wordParts returns the letter and digit parts of a mixed word
// ("iso9001" → "iso", "9001"), or nil if the word is not mixed.
func wordParts(w []rune) []string {
	var parts []string
	from := 0
	for i := 1; i <= len(w); i++ {
		if i == len(w) || isDigit(w[i]) != isDigit(w[i-1]) {
			parts = append(parts, string(w[from:i]))
			from = i
		}
	}
	if len(parts) < 2 {
		return nil
	}
	return parts
}

// analyzeText calls add for every index term of a text, once per
// occurrence, and returns the text's length in tokens (Han characters plus
// words). The terms of a Han run are its characters, its character bigrams
// and gse's search-mode words of three or more characters (two-character
// words are bigrams already); a word gives itself and, when it mixes
// letters and digits, its parts.
func analyzeText(text string, add func(term string)) int {
	n := 0
	for _, s := range scan(text) {
		switch s.kind {
		case spanHan:
			n += len(s.runes)
			for i, r := range s.runes {
				add(string(r))
				if i+1 < len(s.runes) {
					add(string(s.runes[i : i+2]))
				}
			}
			if len(s.runes) >= 3 {
				for _, w := range hanWords(string(s.runes), 3) {
					add(w)
				}
			}
		case spanWord:
			n++
			add(string(s.runes))
			for _, p := range wordParts(s.runes) {
				add(p)
			}
		}
	}
	return n
}

// Tokens returns the analysis of a text, for tests and debugging: the
// distinct terms the index stores for it, in order of appearance — for each
// Han run gse's search-mode words, then the character bigrams and the
// single characters; Latin words lower-cased and numbers — followed by the
// pinyin keys under which the multi-character Han terms are found: full
// pinyin without tones ("yingyezhizhao") and initials ("yyzz"), the common
// reading first, then those of other readings of polyphonic characters.
func Tokens(text string) []string {
	var out []string
	seen := map[string]bool{}
	addTo := func(list *[]string, t string) {
		if !seen[t] {
			seen[t] = true
			*list = append(*list, t)
		}
	}
	var multi []string
	for _, s := range scan(text) {
		switch s.kind {
		case spanHan:
			if len(s.runes) >= 2 {
				for _, w := range hanWords(string(s.runes), 2) {
					addTo(&out, w)
				}
			}
			for i := 0; i+1 < len(s.runes); i++ {
				addTo(&out, string(s.runes[i:i+2]))
			}
			for _, r := range s.runes {
				addTo(&out, string(r))
			}
		case spanWord:
			addTo(&out, string(s.runes))
			for _, p := range wordParts(s.runes) {
				addTo(&out, p)
			}
		}
	}
	for _, t := range out {
		if allHan(t) && utf8.RuneCountInString(t) >= 2 {
			multi = append(multi, t)
		}
	}
	for _, t := range multi {
		full, initials := pinyinKeys([]rune(t))
		for _, k := range full {
			addTo(&out, k)
		}
		for _, k := range initials {
			addTo(&out, k)
		}
	}
	return out
}
