package docs

import (
	"fmt"
	"time"

	"github.com/signintech/gopdf"
)

// Render validates d and renders its instrument as an A4 PDF: issuing
// authority and title centred, document number right-aligned, addressee,
// the body with its legal citation and the particulars of the case, for a
// supplement notice the full list of materials as a table, then the
// issuing authority centred over the date (room left for the seal), the QR
// code of the public progress page captioned 扫码查询办理进度 with the case
// number and query code, and the clerk and enquiry line as a note. Long
// text and lists flow onto further pages, numbered "第 n 页 共 m 页".
//
// It returns Validate's errs.ErrInvalid when d is incomplete.
func Render(d CaseDoc) ([]byte, error) {
	out, err := renderPDF(d)
	if err != nil {
		return nil, fmt.Errorf("render %s %s: %w", d.Kind, d.DocNo, err)
	}
	return out, nil
}

func renderPDF(d CaseDoc) ([]byte, error) {
	if err := Validate(d); err != nil {
		return nil, err
	}
	qr, err := qrImage(d.ProgressURL)
	if err != nil {
		return nil, err
	}
	pdf, r, err := render(d, styles[0], false, qr)
	if err != nil {
		return nil, err
	}
	if r.alone {
		if pdf, err = relayout(d, r, qr); err != nil {
			return nil, err
		}
	}
	out, err := pdf.GetBytesPdfReturnErr()
	if err != nil {
		return nil, fmt.Errorf("write pdf: %w", err)
	}
	return out, nil
}

// relayout handles a closing block that spilled onto a page of its own. A
// notice that just missed one page is tightened if that makes it fit one
// page; otherwise (a long table or reason) the particulars go over with the
// block in the regular style.
func relayout(d CaseDoc, first outcome, qr []byte) (*gopdf.GoPdf, error) {
	if first.pages == 2 {
		for _, st := range styles[1:] {
			pdf, r, err := render(d, st, false, qr)
			if err != nil {
				return nil, err
			}
			if !r.alone && r.pages == 1 {
				return pdf, nil
			}
		}
	}
	pdf, _, err := render(d, styles[0], true, qr)
	return pdf, err
}

// outcome describes a rendering attempt.
type outcome struct {
	alone bool // the closing block had to start a page of its own
	pages int
}

// render lays d out in one style, without compiling the PDF yet, and
// reports whether the closing block (authority, date, seal) ended up alone
// on its page, which GB/T 9704-2012 §7.3.5 tells the typesetter to avoid by
// tightening the text. With keep, the particulars move to a new page with
// the closing block when they would not fit together.
func render(d CaseDoc, st style, keep bool, qr []byte) (*gopdf.GoPdf, outcome, error) {
	pdf, err := newPDF()
	if err != nil {
		return nil, outcome{}, err
	}
	issued, _ := time.ParseInLocation(dateLayout, d.Date, time.FixedZone("CST", 8*3600))
	pdf.SetInfo(gopdf.PdfInfo{
		Title:        d.Kind.Title() + "（" + d.DocNo + "）",
		Author:       d.Issuer,
		Subject:      "办件编号：" + d.CaseNo,
		Creator:      "qinqing",
		CreationDate: issued, // the date of issue, so the same instrument always renders the same
	})
	pdf.SetTextColor(0, 0, 0)

	l := newLayout(pdf, st)
	l.heading(d)
	for _, p := range body(d) {
		l.paragraph(l.bodyPara(p))
	}
	if d.Kind == Supplement {
		l.gap(st.lead / 4)
		l.missingTable(d.Missing)
		l.gap(st.lead / 4)
	}
	for _, p := range afterTable(d) {
		l.paragraph(l.bodyPara(p))
	}
	var tail []para
	for _, f := range facts(d) {
		p := l.bodyPara(f)
		p.align = alignLeft
		tail = append(tail, p)
	}
	if r := remedy(d); r != "" {
		tail = append(tail, l.bodyPara(r))
	}
	block := l.planClosing(d)
	if keep {
		h := block.h + block.noteH
		for _, p := range tail {
			h += l.height(p)
		}
		l.ensure(h)
	}
	for _, p := range tail {
		l.paragraph(p)
	}
	alone, err := l.closing(block, qr)
	if err != nil {
		return nil, outcome{}, err
	}
	l.footers(d.DocNo)
	if l.err != nil {
		return nil, outcome{}, l.err
	}
	return pdf, outcome{alone: alone, pages: pdf.GetNumberOfPages()}, nil
}

// bodyPara is a body paragraph: justified, first line indented two characters.
func (l *layout) bodyPara(text string) para {
	return para{text: text, size: l.body.size, lead: l.body.lead, x: marginLeft, width: textWidth, indent: 2, align: alignJustify}
}

// heading draws the authority, the title, the document number and the addressee.
func (l *layout) heading(d CaseDoc) {
	l.paragraph(para{text: d.Issuer, size: headSize, lead: 28, x: marginLeft, width: textWidth, align: alignCenter})
	l.paragraph(para{text: d.Kind.Title(), size: titleSize, lead: 38, x: marginLeft, width: textWidth, align: alignCenter, tc: 4})
	l.paragraph(para{text: d.DocNo, size: l.body.size, lead: l.body.lead, x: marginLeft, width: textWidth, align: alignRight})
	l.gap(l.body.lead / 2)
	l.paragraph(para{text: d.Applicant + "：", size: l.body.size, lead: l.body.lead, x: marginLeft, width: textWidth, align: alignLeft})
}

// missingTable draws the supplement list: 序号 | 材料名称 | 补正要求, with
// the header row repeated on every page the table reaches.
func (l *layout) missingTable(items []MissingItem) {
	const pad = 3.5
	noW := 3.5 * tableSize
	nameW := (textWidth - noW) * 0.38
	cols := []struct {
		x, w float64
		a    align
	}{
		{marginLeft, noW, alignCenter},
		{marginLeft + noW, nameW, alignLeft},
		{marginLeft + noW + nameW, textWidth - noW - nameW, alignLeft},
	}
	l.setSize(tableSize)
	wrapRow := func(cells []string) ([][]line, float64) {
		lines := make([][]line, len(cells))
		n := 1
		for i, c := range cells {
			lines[i] = l.wrap(c, cols[i].w-2*pad, cols[i].w-2*pad)
			n = max(n, len(lines[i]))
		}
		return lines, float64(n)*tableLead + 2*pad
	}
	draw := func(lines [][]line, h float64, header bool) {
		for i := range lines {
			style := "D"
			if header {
				l.pdf.SetFillColor(232, 232, 232)
				style = "FD"
			}
			l.pdf.RectFromUpperLeftWithStyle(cols[i].x, l.y, cols[i].w, h, style)
			for j, ln := range lines[i] {
				x := cols[i].x + pad
				if cols[i].a == alignCenter || header {
					x += (cols[i].w - 2*pad - ln.w) / 2
				}
				l.draw(x, l.baseline(l.y+pad+float64(j)*tableLead, tableLead), ln.text, 0)
			}
		}
		l.y += h
	}

	head, headH := wrapRow([]string{"序号", "材料名称", "补正要求"})
	for i, it := range items {
		lines, h := wrapRow([]string{fmt.Sprint(i + 1), it.Name, it.Requirement})
		// The header starts the table and every continuation page; never
		// leave it at the foot of a page without a row under it.
		if i == 0 {
			l.ensure(headH + h)
			draw(head, headH, true)
		} else if l.ensure(h) {
			draw(head, headH, true)
		}
		draw(lines, h, false)
	}
}

// box is a rectangle on the page, for collision tests.
type box struct{ x0, y0, x1, y1 float64 }

func (a box) overlaps(b box) bool {
	return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1
}

// closingBlock is the planned geometry of the signature, QR code and note;
// coordinates are relative to the block's top.
type closingBlock struct {
	issuer, date string
	sig          [2]box // issuer and date lines
	qr, caption  box
	captionLines []line
	note         string
	noteH        float64
	h            float64 // height without the note
}

// planClosing places the closing block. The issuing authority is centred
// over the date, the date indented four characters from the right, with
// one blank line above for the seal, which presses on both (GB/T
// 9704-2012 §7.3.5.1). The QR code sits at the left margin with its
// caption beside or under it, wherever that clears the signature (the seal
// is centred on the signature, so clearing it clears the seal's middle
// too). The note (附注, §7.3.7: two characters in, under the date) closes
// the block.
func (l *layout) planClosing(d CaseDoc) closingBlock {
	lead := l.body.lead
	c := closingBlock{issuer: d.Issuer, date: chineseDate(d.Date), note: note(d)}

	l.setSize(noteSize)
	for _, s := range []string{"扫码查询办理进度", "办件编号：" + d.CaseNo, "查询码：" + d.QueryCode} {
		c.captionLines = append(c.captionLines, l.wrap(s, qrCaptionW, qrCaptionW)...)
	}
	var capW float64
	for _, ln := range c.captionLines {
		capW = max(capW, ln.w)
	}
	capH := float64(len(c.captionLines)) * noteLead

	l.setSize(l.body.size)
	dateW, issuerW := l.width(c.date), l.width(c.issuer)
	dateX := textRight - 4*l.body.size - dateW
	issuerX := min(dateX+dateW/2-issuerW/2, textRight-issuerW)
	c.sig = [2]box{
		{issuerX, lead, issuerX + issuerW, 2 * lead},
		{dateX, 2 * lead, dateX + dateW, 3 * lead},
	}

	clear := func(bs ...box) bool {
		for _, b := range bs {
			for _, s := range c.sig {
				if b.overlaps(box{s.x0 - qrGap, s.y0, s.x1, s.y1}) {
					return false
				}
			}
		}
		return true
	}
	// Try the most compact placement first: QR code level with the seal
	// line, then level with the authority; caption beside it, then under it;
	// finally the whole QR block under the date.
	qrAt := func(y float64) box { return box{marginLeft, y, marginLeft + qrSide, y + qrSide} }
	besideOf := func(q box) box { return box{q.x1 + qrGap, q.y1 - capH, q.x1 + qrGap + capW, q.y1} }
	underOf := func(q box) box { return box{marginLeft, q.y1 + qrGap, marginLeft + capW, q.y1 + qrGap + capH} }
	placed := false
	for _, q := range []box{qrAt(qrGap), qrAt(lead)} {
		for _, cb := range []box{besideOf(q), underOf(q)} {
			if !placed && clear(q, cb) {
				c.qr, c.caption, placed = q, cb, true
			}
		}
	}
	if !placed {
		c.qr = qrAt(3*lead + qrGap)
		c.caption = underOf(c.qr)
	}
	c.h = max(3*lead, c.qr.y1, c.caption.y1)
	if c.note != "" {
		c.noteH = lead * float64(len(l.wrap(c.note, textWidth-2*l.body.size, textWidth)))
	}
	return c
}

// closing draws the block planned by planClosing and reports whether it
// had to start a page of its own.
func (l *layout) closing(c closingBlock, qr []byte) (bool, error) {
	img, err := gopdf.ImageHolderByBytes(qr)
	if err != nil {
		return false, fmt.Errorf("qr image: %w", err)
	}
	alone := l.ensure(c.h + c.noteH)
	top := l.y
	l.setSize(l.body.size)
	l.draw(c.sig[0].x0, l.baseline(top+c.sig[0].y0, l.body.lead), c.issuer, 0)
	l.draw(c.sig[1].x0, l.baseline(top+c.sig[1].y0, l.body.lead), c.date, 0)
	if err := l.pdf.ImageByHolder(img, c.qr.x0, top+c.qr.y0, &gopdf.Rect{W: qrSide, H: qrSide}); err != nil {
		return false, fmt.Errorf("place qr image: %w", err)
	}
	l.setSize(noteSize)
	for i, ln := range c.captionLines {
		l.draw(c.caption.x0, l.baseline(top+c.caption.y0+float64(i)*noteLead, noteLead), ln.text, 0)
	}
	l.y = top + c.h
	if c.note != "" {
		l.paragraph(para{text: c.note, size: l.body.size, lead: l.body.lead, x: marginLeft, width: textWidth, indent: 2, align: alignLeft})
	}
	return alone, nil
}
