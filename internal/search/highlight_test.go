package search

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// render shows segments with matches in brackets.
func render(segs []Segment) string {
	var b strings.Builder
	for _, s := range segs {
		if s.Match {
			b.WriteString("[" + s.Text + "]")
		} else {
			b.WriteString(s.Text)
		}
	}
	return b.String()
}

func TestHighlight(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		terms []string
		want  string
	}{
		{"a Chinese term", "企业设立登记（营业执照）", []string{"营业执照"}, "企业设立登记（[营业执照]）"},
		{"every occurrence", "营业执照正副本，缴回营业执照", []string{"营业执照"}, "[营业执照]正副本，缴回[营业执照]"},
		{"overlapping terms merge", "食品经营许可", []string{"食品", "品经", "经营"}, "[食品经营]许可"},
		{"adjacent terms merge", "食品经营许可", []string{"食品", "经营", "许可"}, "[食品经营许可]"},
		{"at both ends", "许可证与许可", []string{"许可"}, "[许可]证与[许可]"},
		{"Latin ignores case and width", "首次通过ＩＳＯ 9001认证", []string{"iso", "9001"}, "首次通过[ＩＳＯ] [9001]认证"},
		{"Latin words whole only", "local CA 证书 ca", []string{"ca"}, "local [CA] 证书 [ca]"},
		{"Latin next to Chinese", "KTV许可", []string{"ktv"}, "[KTV]许可"},
		{"no match", "排污许可", []string{"执照"}, "排污许可"},
		{"empty terms", "排污许可", []string{"", "  "}, "排污许可"},
		{"four-byte characters", "𠀀营业𠀁执照𠀂", []string{"执照"}, "𠀀营业𠀁[执照]𠀂"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			segs := Highlight(tt.text, tt.terms)
			if got := render(segs); got != tt.want {
				t.Errorf("Highlight(%q, %q) = %q, want %q", tt.text, tt.terms, got, tt.want)
			}
			var joined strings.Builder
			for i, s := range segs {
				if !utf8.ValidString(s.Text) {
					t.Errorf("segment %d %q is not valid UTF-8", i, s.Text)
				}
				if s.Text == "" {
					t.Errorf("segment %d is empty", i)
				}
				if i > 0 && segs[i-1].Match == s.Match {
					t.Errorf("segments %d and %d are both match=%v", i-1, i, s.Match)
				}
				joined.WriteString(s.Text)
			}
			if joined.String() != tt.text {
				t.Errorf("segments join to %q, want the text", joined.String())
			}
		})
	}
}

func TestHighlightKeepsInvalidBytes(t *testing.T) {
	text := "营业\xff执照"
	segs := Highlight(text, []string{"执照"})
	var joined string
	for _, s := range segs {
		joined += s.Text
	}
	if joined != text || render(segs) != "营业\xff[执照]" {
		t.Errorf("got %q", render(segs))
	}
	if Highlight("", []string{"x"}) != nil {
		t.Error("empty text gives segments")
	}
}

func TestMatchedTermsHighlightTheDocument(t *testing.T) {
	ix := newFixtureIndex(t)
	tests := []struct {
		query, id string
		title     string // the title highlighted with the hit's Matched
		matched   []string
	}{
		{"yyzz", "M01", "企业设立登记（[营业执照]）", []string{"营业执照"}},
		{"ying ye zhi zhao", "M01", "企业设立登记（[营业执照]）", []string{"营业执照"}},
		{"执照", "M01", "企业设立登记（营业[执照]）", []string{"执照"}},
		{"营业执照", "M01", "企业设立登记（[营业执照]）", []string{"营业执照"}},
		{"食品 xk", "M05", "[食品]经营[许可]", nil},
		{"spjy", "M05", "[食品经营]许可", []string{"食品经营"}},
		{"xiaofang", "M13", "公众聚集场所投入使用、营业前[消防]安全检查", []string{"消防"}},
		{"chongqing", "M38", "[重庆]市北碚区中小企业发展专项资金申报", []string{"重庆"}},
		{"ktv", "M33", "娱乐场所经营许可", []string{"ktv"}}, // only in a keyword
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			r := ix.Search(Query{Text: tt.query, Limit: 50})
			i := slices.IndexFunc(r.Hits, func(h Hit) bool { return h.ID == tt.id })
			if i < 0 {
				t.Fatalf("%s not found: %v", tt.id, ids(r))
			}
			h := r.Hits[i]
			if got := render(Highlight(titleOf(tt.id), h.Matched)); got != tt.title {
				t.Errorf("title highlighted %q, want %q (matched %q)", got, tt.title, h.Matched)
			}
			if tt.matched != nil && !slices.Equal(h.Matched, tt.matched) {
				t.Errorf("Matched = %q, want %q", h.Matched, tt.matched)
			}
		})
	}
}
