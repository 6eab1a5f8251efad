package docs

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func testLayout(t *testing.T, size float64) *layout {
	t.Helper()
	pdf, err := newPDF()
	if err != nil {
		t.Fatal(err)
	}
	l := newLayout(pdf, styles[0])
	l.setSize(size)
	return l
}

func texts(lines []line) []string {
	var out []string
	for _, l := range lines {
		out = append(out, l.text)
	}
	return out
}

func TestWrapBreaksChineseAtAnyCharacter(t *testing.T) {
	l := testLayout(t, 10)
	em := l.runeWidth('国')
	lines := l.wrap(strings.Repeat("国", 25), 10*em, 10*em)
	got := texts(lines)
	want := []string{strings.Repeat("国", 10), strings.Repeat("国", 10), strings.Repeat("国", 5)}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("lines = %q, want %q", got, want)
	}
	for i, ln := range lines {
		if ln.last != (i == len(lines)-1) {
			t.Errorf("line %d last = %v", i, ln.last)
		}
	}
}

func TestWrapKeepsLatinWordsWhole(t *testing.T) {
	l := testLayout(t, 10)
	text := "Apply via the Chongqing government service portal before 2026-03-20 please"
	lines := l.wrap(text, 100, 100)
	if strings.Join(texts(lines), " ") != text {
		t.Errorf("words lost or split: %q", texts(lines))
	}
	for _, ln := range lines {
		if ln.w > 100+0.01 {
			t.Errorf("line %q is %.2f wide, limit 100", ln.text, ln.w)
		}
		if strings.HasPrefix(ln.text, " ") || strings.HasSuffix(ln.text, " ") {
			t.Errorf("line %q keeps a space at its edge", ln.text)
		}
	}
}

func TestWrapCutsAWordLongerThanALine(t *testing.T) {
	l := testLayout(t, 10)
	word := strings.Repeat("ABCDEFGHIJ", 8)
	lines := l.wrap("网址 "+word+" 结束", 120, 120)
	if got := strings.ReplaceAll(strings.Join(texts(lines), ""), " ", ""); got != "网址"+word+"结束" {
		t.Errorf("runes lost: %q", got)
	}
	for _, ln := range lines {
		if ln.w > 120+0.01 {
			t.Errorf("line %q is %.2f wide, limit 120", ln.text, ln.w)
		}
	}
}

func TestWrapFollowsChineseLineBreakingRules(t *testing.T) {
	l := testLayout(t, 10)
	em := l.runeWidth('国')
	tests := []struct {
		name, text string
	}{
		// The comma would be the 11th character: it may not start line 2.
		{"closing punctuation stays on the line", strings.Repeat("国", 10) + "，国国国"},
		// Two closing marks in a row at the break move together with a character.
		{"a run of closing marks stays together", strings.Repeat("国", 9) + "国）。国国国"},
		// The bracket would be the 10th character: it may not end line 1.
		{"opening punctuation moves down", strings.Repeat("国", 9) + "《国国》国国"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := l.wrap(tt.text, 10*em, 10*em)
			if got := strings.Join(texts(lines), ""); got != tt.text {
				t.Fatalf("runes lost: %q", got)
			}
			for i, ln := range lines {
				first, _ := utf8.DecodeRuneInString(ln.text)
				last, _ := utf8.DecodeLastRuneInString(ln.text)
				if i > 0 && strings.ContainsRune(noStart, first) {
					t.Errorf("line %q starts with %q", ln.text, first)
				}
				if strings.ContainsRune(noEnd, last) {
					t.Errorf("line %q ends with %q", ln.text, last)
				}
				if ln.w > 10*em+0.01 {
					t.Errorf("line %q overflows", ln.text)
				}
			}
		})
	}
}

func TestWrapHonoursLineBreaksAndTheFirstLineIndent(t *testing.T) {
	l := testLayout(t, 10)
	em := l.runeWidth('国')
	lines := l.wrap("国国国国国国\n国国", 4*em, 6*em)
	want := []string{"国国国国", "国国", "国国"}
	if got := texts(lines); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("lines = %q, want %q", got, want)
	}
	if !lines[1].last || lines[0].last {
		t.Errorf("paragraph ends misplaced: %+v", lines)
	}
}
