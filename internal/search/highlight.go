package search

// Segment is a piece of a highlighted text: templates print Text escaped
// and wrap it in <mark> when Match is set.
type Segment struct {
	Text  string
	Match bool
}

// Highlight cuts text into segments that alternate between plain text and
// occurrences of the terms (typically Hit.Matched). Matching ignores case
// and full-width forms; a term that begins or ends with a Latin letter or
// digit matches only whole words there ("ca" not inside "local"), while
// Chinese terms match anywhere. Overlapping and adjacent occurrences merge.
// Segments are cut between runes, so each is valid UTF-8 if the text is,
// and together they are exactly text.
func Highlight(text string, terms []string) []Segment {
	if text == "" {
		return nil
	}
	type pos struct {
		r   rune // normalized
		off int  // byte offset in text
	}
	runes := make([]pos, 0, len(text))
	for off, r := range text {
		runes = append(runes, pos{normRune(r), off})
	}
	marked := make([]bool, len(runes))
	found := false
	for _, term := range terms {
		var t []rune
		for _, r := range term {
			t = append(t, normRune(r))
		}
		if len(t) == 0 {
			continue
		}
		wordStart, wordEnd := isWordRune(t[0]), isWordRune(t[len(t)-1])
	next:
		for i := 0; i+len(t) <= len(runes); i++ {
			for j, r := range t {
				if runes[i+j].r != r {
					continue next
				}
			}
			if wordStart && i > 0 && isWordRune(runes[i-1].r) {
				continue
			}
			if end := i + len(t); wordEnd && end < len(runes) && isWordRune(runes[end].r) {
				continue
			}
			for j := range t {
				marked[i+j] = true
			}
			found = true
		}
	}
	if !found {
		return []Segment{{Text: text}}
	}
	var segs []Segment
	from := 0
	for i := 1; i <= len(runes); i++ {
		if i == len(runes) || marked[i] != marked[from] {
			end := len(text)
			if i < len(runes) {
				end = runes[i].off
			}
			segs = append(segs, Segment{Text: text[runes[from].off:end], Match: marked[from]})
			from = i
		}
	}
	return segs
}
