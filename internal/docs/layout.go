package docs

import (
	"fmt"
	"strings"

	"github.com/signintech/gopdf"
)

// Page geometry after GB/T 9704-2012《党政机关公文格式》§5.2: A4, top margin
// 37 mm, left (binding) margin 28 mm, a 156 mm × 225 mm text block. Units
// are PDF points.
const (
	mm           = 72 / 25.4
	pageH        = 841.89
	marginTop    = 37 * mm
	marginLeft   = 28 * mm
	textWidth    = 156 * mm
	textRight    = marginLeft + textWidth
	bodyBottom   = marginTop + 225*mm
	footerBase   = pageH - 18*mm // baseline of the page number, below the text block
	ascentRatio  = 0.88          // CJK ideographs of the font rise ~0.88 em above the baseline
	maxCharSpace = 0.2           // widest extra spacing (em) between runes when justifying; looser lines stay ragged
)

// Type sizes. GB/T 9704-2012 sets 公文 bodies in 三号 (16 pt), but a
// notice with its seal block and QR code should fit one page in the common
// case, so the body is 四号 (14 pt), a size usual on printed notice forms.
// Titles stay 二号 (22 pt), tables 小四 (12 pt), notes 五号 (10.5 pt).
const (
	titleSize = 22.0
	headSize  = 18.0
	tableSize = 12.0
	tableLead = 17.0
	noteSize  = 10.5
	noteLead  = 14.0
)

// style is the body size and line pitch of one rendering attempt.
type style struct{ size, lead float64 }

// styles are the body styles, regular first. The tighter ones are used
// only to pull a notice that just misses one page back onto one page
// (see relayout).
var styles = []style{{14, 23}, {13, 21}, {12, 19}}

// layout places text on pages top-down. y is the top of the next line box.
type layout struct {
	pdf    *gopdf.GoPdf
	body   style
	y      float64
	size   float64
	widths map[rune]float64 // advance width at 1 pt
	err    error            // first drawing error; later calls are no-ops
}

func newLayout(pdf *gopdf.GoPdf, body style) *layout {
	l := &layout{pdf: pdf, body: body, widths: map[rune]float64{}, size: body.size}
	l.fail(pdf.SetFontSize(body.size))
	l.newPage()
	return l
}

func (l *layout) fail(err error) {
	if l.err == nil && err != nil {
		l.err = err
	}
}

// newPage starts a page; each page's content stream begins in the default
// graphics state, so the stroke settings are set again.
func (l *layout) newPage() {
	l.pdf.AddPage()
	l.pdf.SetLineWidth(0.5)
	l.pdf.SetStrokeColor(0, 0, 0)
	l.y = marginTop
}

// ensure starts a new page unless h more points fit above the bottom
// margin, and reports whether it did.
func (l *layout) ensure(h float64) bool {
	if l.y+h > bodyBottom && l.y > marginTop {
		l.newPage()
		return true
	}
	return false
}

func (l *layout) setSize(size float64) {
	if l.size == size {
		return
	}
	l.size = size
	l.fail(l.pdf.SetFontSize(size))
}

// runeWidth is the advance of r at the current size, measured with the
// embedded font and cached per rune.
func (l *layout) runeWidth(r rune) float64 {
	w, ok := l.widths[r]
	if !ok {
		m, err := l.pdf.MeasureTextWidth(string(r))
		l.fail(err)
		w = m / l.size
		l.widths[r] = w
	}
	return w * l.size
}

func (l *layout) width(s string) float64 {
	var w float64
	for _, r := range s {
		w += l.runeWidth(r)
	}
	return w
}

// baseline is where text of the current size sits in a line box of height lead.
func (l *layout) baseline(top, lead float64) float64 {
	return top + (lead-l.size)/2 + ascentRatio*l.size
}

// draw writes s with its baseline at (x, base), spacing runes by tc extra points.
func (l *layout) draw(x, base float64, s string, tc float64) {
	if s == "" || l.err != nil {
		return
	}
	if tc != 0 {
		l.fail(l.pdf.SetCharSpacing(tc))
	}
	l.pdf.SetXY(x, base)
	l.fail(l.pdf.Text(s))
	if tc != 0 {
		l.fail(l.pdf.SetCharSpacing(0))
	}
}

// align places a line within its box.
type align int

const (
	alignJustify align = iota // flush left and right, last line flush left
	alignLeft
	alignCenter
	alignRight
)

// para is a block of wrapped text.
type para struct {
	text   string
	size   float64
	lead   float64
	x      float64 // left edge of the block
	width  float64 // width of the block
	indent float64 // first-line indent, in em
	hang   float64 // indent of the following lines, in em
	align  align
	tc     float64 // fixed extra spacing between runes (titles)
}

// paragraph wraps and draws p from l.y, breaking pages between lines. A
// line break in the text starts a new paragraph with its own indent.
func (l *layout) paragraph(p para) {
	for _, s := range strings.Split(strings.ReplaceAll(p.text, "\r\n", "\n"), "\n") {
		q := p
		q.text = s
		l.oneParagraph(q)
	}
}

func (l *layout) oneParagraph(p para) {
	l.setSize(p.size)
	first := p.width - p.indent*p.size
	rest := p.width - p.hang*p.size
	for i, ln := range l.wrap(p.text, first, rest) {
		l.ensure(p.lead)
		x, limit := p.x+p.hang*p.size, rest
		if i == 0 {
			x, limit = p.x+p.indent*p.size, first
		}
		w := ln.w + p.tc*float64(ln.runes-1)
		tc := p.tc
		switch p.align {
		case alignJustify:
			if !ln.last && ln.runes > 1 {
				if extra := (limit - ln.w) / float64(ln.runes-1); extra > 0 && extra <= maxCharSpace*p.size {
					tc = extra
				}
			}
		case alignCenter:
			x += (limit - w) / 2
		case alignRight:
			x += limit - w
		}
		l.draw(x, l.baseline(l.y, p.lead), ln.text, tc)
		l.y += p.lead
	}
}

// height is the space paragraph(p) takes when it does not break across pages.
func (l *layout) height(p para) float64 {
	l.setSize(p.size)
	var n int
	for _, s := range strings.Split(strings.ReplaceAll(p.text, "\r\n", "\n"), "\n") {
		n += len(l.wrap(s, p.width-p.indent*p.size, p.width-p.hang*p.size))
	}
	return p.lead * float64(n)
}

// gap advances by h points of blank space (dropped at the top of a page).
func (l *layout) gap(h float64) {
	if l.y > marginTop {
		l.y += h
	}
}

// footers numbers the pages of a multi-page instrument so a missing page
// shows; docNo ties loose pages to the document.
func (l *layout) footers(docNo string) {
	n := l.pdf.GetNumberOfPages()
	if n < 2 {
		return
	}
	l.setSize(noteSize)
	for i := 1; i <= n; i++ {
		l.fail(l.pdf.SetPage(i))
		s := fmt.Sprintf("%s　第 %d 页 共 %d 页", docNo, i, n)
		l.draw(marginLeft+(textWidth-l.width(s))/2, footerBase, s, 0)
	}
}
