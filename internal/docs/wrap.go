package docs

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Line breaking for mixed Chinese and Latin text: a line may break before
// any CJK character, and between Latin words only at spaces; a Latin word
// longer than a line is cut at the last rune that fits. The basic
// Chinese line-breaking rules (禁则, GB/T 15834-2011《标点符号用法》附录
// and W3C "Requirements for Chinese Text Layout" §3.1.7) keep closing
// punctuation off the start of a line and opening punctuation off its end;
// a character is pushed down with the punctuation rather than letting the
// punctuation hang into the margin.

// noStart lists punctuation that must not begin a line.
const noStart = "，。、；：？！）》」』】〕〉”’·…—～%,.;:?!)]}"

// noEnd lists punctuation that must not end a line.
const noEnd = "（《「『【〔〈“‘([{"

// token is an unbreakable piece of text: a CJK character, a Latin word or a run of spaces.
type token struct {
	s     string
	w     float64
	runes int
	space bool
}

// line is one wrapped line.
type line struct {
	text  string
	w     float64
	runes int
	last  bool // ends a paragraph (not justified)
}

// breaksAnywhere reports whether a line may break on either side of r:
// CJK characters, CJK and general punctuation, full-width forms.
func breaksAnywhere(r rune) bool {
	return r >= 0x2E80 || (r >= 0x2000 && r <= 0x206F)
}

// tokens splits one paragraph (no line breaks) into tokens.
func (l *layout) tokens(s string) []token {
	var out []token
	var word strings.Builder
	var wordW float64
	var wordN int
	flush := func() {
		if word.Len() > 0 {
			out = append(out, token{s: word.String(), w: wordW, runes: wordN})
			word.Reset()
			wordW, wordN = 0, 0
		}
	}
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			flush()
			if n := len(out); n > 0 && out[n-1].space {
				continue // collapse runs of spaces
			}
			out = append(out, token{s: " ", w: l.runeWidth(' '), runes: 1, space: true})
		case breaksAnywhere(r):
			flush()
			out = append(out, token{s: string(r), w: l.runeWidth(r), runes: 1})
		default:
			word.WriteRune(r)
			wordW += l.runeWidth(r)
			wordN++
		}
	}
	flush()
	return out
}

// split cuts a word into single-rune tokens so an over-long word can break anywhere.
func (l *layout) split(t token) []token {
	out := make([]token, 0, t.runes)
	for _, r := range t.s {
		out = append(out, token{s: string(r), w: l.runeWidth(r), runes: 1})
	}
	return out
}

func firstRune(s string) rune { r, _ := utf8.DecodeRuneInString(s); return r }
func lastRune(s string) rune  { r, _ := utf8.DecodeLastRuneInString(s); return r }

func isNoStart(t token) bool { return strings.ContainsRune(noStart, firstRune(t.s)) }
func isNoEnd(t token) bool   { return strings.ContainsRune(noEnd, lastRune(t.s)) }

// wrap breaks text into lines no wider than first (the first line) and
// rest (the others). Explicit line breaks end a paragraph.
func (l *layout) wrap(text string, first, rest float64) []line {
	const eps = 0.01
	var lines []line
	limit := first
	var cur []token
	emit := func(last bool) {
		for len(cur) > 0 && cur[len(cur)-1].space {
			cur = cur[:len(cur)-1]
		}
		var b strings.Builder
		ln := line{last: last}
		for _, t := range cur {
			b.WriteString(t.s)
			ln.w += t.w
			ln.runes += t.runes
		}
		ln.text = b.String()
		lines = append(lines, ln)
		cur = nil
		limit = rest
	}
	width := func() float64 {
		var w float64
		for _, t := range cur {
			w += t.w
		}
		return w
	}

	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		queue := l.tokens(p)
		for len(queue) > 0 {
			t := queue[0]
			queue = queue[1:]
			if t.space && len(cur) == 0 {
				continue // no leading space on a line
			}
			if width()+t.w <= limit+eps {
				cur = append(cur, t)
				continue
			}
			if t.space {
				emit(false)
				continue
			}
			if t.runes > 1 && t.w > rest {
				// A word wider than a whole line: break it by rune.
				queue = append(l.split(t), queue...)
				continue
			}
			if len(cur) == 0 {
				cur = append(cur, t) // a single rune wider than the line; cannot happen at our sizes
				continue
			}
			// Apply the line-breaking rules: carry the last token down with
			// a closing mark, and never leave an opening mark at the end.
			var carry []token
			for next := t; isNoStart(next) && len(cur) > 1 && !cur[len(cur)-1].space; {
				next = cur[len(cur)-1]
				carry = append([]token{next}, carry...)
				cur = cur[:len(cur)-1]
			}
			for len(cur) > 1 && isNoEnd(cur[len(cur)-1]) {
				carry = append([]token{cur[len(cur)-1]}, carry...)
				cur = cur[:len(cur)-1]
			}
			emit(false)
			queue = append(append(carry, t), queue...)
		}
		emit(true)
	}
	return lines
}
