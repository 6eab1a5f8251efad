package docs

import (
	_ "embed"
	"fmt"
	"slices"
	"sync"

	"github.com/signintech/gopdf"
)

// fontFamily is the family name the embedded font is registered under.
const fontFamily = "wqy"

// wqyMicroHei is WenQuanYi Micro Hei 0.2.0-beta (face 0 of the Debian
// fonts-wqy-microhei collection, extracted unchanged into a standalone
// TTF; see fonts/README.md). gopdf embeds only the glyphs a document uses,
// so the PDFs stay small although the font covers all of GB 2312 and GBK.
//
//go:embed fonts/wqy-microhei.ttf
var wqyMicroHei []byte

// fonts parses the font once per process (about 10 ms and 8 MB of
// allocations). Each document gets a shallow copy of the parsed font with
// its own glyph map; the shared tables are only read afterwards, so
// documents can be rendered concurrently (the race detector agrees, see
// TestRenderIsDeterministicAndSafeForConcurrentUse).
var fonts = sync.OnceValues(parseFont)

func parseFont() (*gopdf.FontContainer, error) {
	fc := &gopdf.FontContainer{}
	if err := fc.AddTTFFontData(fontFamily, wqyMicroHei); err != nil {
		return nil, fmt.Errorf("parse embedded font: %w", err)
	}
	return fc, nil
}

// newPDF starts an A4 document with the embedded font registered.
func newPDF() (*gopdf.GoPdf, error) {
	fc, err := fonts()
	if err != nil {
		return nil, err
	}
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4, Unit: gopdf.UnitPT})
	if err := pdf.AddTTFFontFromFontContainer(fontFamily, fc); err != nil {
		return nil, fmt.Errorf("add font: %w", err)
	}
	if err := pdf.SetFont(fontFamily, "", styles[0].size); err != nil {
		return nil, fmt.Errorf("set font: %w", err)
	}
	return pdf, nil
}

// glyphChecker reports whether the embedded font can draw a rune. gopdf
// would silently print a space for a missing glyph, which on an official
// instrument could turn an enterprise name into a different one.
type glyphChecker struct {
	pdf  *gopdf.GoPdf
	seen map[rune]bool
}

func newGlyphChecker() (*glyphChecker, error) {
	pdf, err := newPDF()
	if err != nil {
		return nil, err
	}
	return &glyphChecker{pdf: pdf, seen: map[rune]bool{}}, nil
}

// missing returns the runes of s the font lacks, in order, without repeats.
// Line breaks and tabs are layout, not glyphs.
func (g *glyphChecker) missing(s string) []rune {
	var out []rune
	for _, r := range s {
		if r == '\n' || r == '\t' || r == '\r' {
			continue
		}
		ok, known := g.seen[r]
		if !known {
			has, err := g.pdf.IsCurrFontContainGlyph(r)
			ok = err == nil && has
			g.seen[r] = ok
		}
		if !ok && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}
