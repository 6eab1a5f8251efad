package docs

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/qinqing/qinqing/internal/errs"
)

func mustRender(t testing.TB, d CaseDoc) []byte {
	t.Helper()
	b, err := Render(d)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("output is not a PDF: %q", b[:min(len(b), 16)])
	}
	return b
}

func TestRenderPrintsTheInstrumentInChinese(t *testing.T) {
	common := func(d CaseDoc) []string {
		return []string{
			d.Issuer,
			d.Kind.Title(),
			d.DocNo,
			d.Applicant + "：",
			"你单位于2026年3月2日提交的" + d.MatterName + "申请",
			"办件编号：" + d.CaseNo,
			"统一社会信用代码：" + d.CreditCode,
			"事项编码：" + d.MatterCode,
			"申报方式：" + d.Channel,
			"2026年3月3日",
			"扫码查询办理进度",
			"查询码：" + d.QueryCode,
			"（经办人：李晓明；咨询电话：023-68862000）",
		}
	}
	tests := []struct {
		kind Kind
		want []string
	}{
		{Acceptance, []string{
			"受理部门：重庆市北碚区市场监督管理局",
			"你单位于2026年3月2日提交的食品经营许可（新办）申请，经审查，申请材料齐全、符合法定形式，" +
				"根据《中华人民共和国行政许可法》第三十二条第一款第（五）项的规定，决定予以受理。",
			"承诺办结时限为10个工作日，预计于2026年3月17日前办结（补正、听证、检验检测等特别程序时间不计入办理时限）。",
		}},
		{Rejection, []string{
			"承办部门：重庆市北碚区市场监督管理局",
			"经审查，不符合受理条件。根据《中华人民共和国行政许可法》第三十二条第一款的规定，本机关决定不予受理。",
			"不予受理理由：申请事项依法不属于本机关职权范围，应当向重庆市市场监督管理局提出申请。",
			"法律依据：《中华人民共和国行政许可法》第三十二条第一款第（二）项。",
			"如不服本决定，可以自收到本决定书之日起六十日内依法申请行政复议，或者自收到本决定书之日起六个月内依法向人民法院提起行政诉讼" +
				"（《中华人民共和国行政复议法》第二十条、《中华人民共和国行政诉讼法》第四十六条）。",
		}},
		{Supplement, []string{
			"经审查，申请材料不齐全。根据《中华人民共和国行政许可法》第三十二条第一款第（四）项的规定，现一次性告知需要补正的全部内容如下：",
			"序号材料名称补正要求",
			"1营业执照副本复印件未提交；请提交加盖公章的复印件",
			"2法定代表人身份证明身份证复印件已过有效期，请提交有效期内的身份证复印件",
			"3食品安全管理制度缺少进货查验记录制度、从业人员健康管理制度，请补充完整后加盖公章",
			"以上为需要补正的全部内容。请你单位于2026年3月20日前按照上述要求一次性提交全部补正材料。",
		}},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			d := sample(tt.kind)
			p := readPDF(t, mustRender(t, d))
			for _, w := range append(common(d), tt.want...) {
				if !strings.Contains(p.text, w) {
					t.Errorf("extracted text lacks %q\n--- text ---\n%s", w, p.text)
				}
			}
			if p.pages != 1 {
				t.Errorf("a typical %s fills %d pages, want 1", tt.kind, p.pages)
			}
			assertWithinTextBlock(t, p)
		})
	}
}

func TestRejectionPrintsTheRemedyGiven(t *testing.T) {
	d := sample(Rejection)
	d.Remedy = "如不服本决定，可以自收到本决定书之日起六十日内向重庆市北碚区人民政府申请行政复议"
	p := readPDF(t, mustRender(t, d))
	if !strings.Contains(p.text, d.Remedy+"。") {
		t.Errorf("custom remedy missing:\n%s", p.text)
	}
	if strings.Contains(p.text, "第四十六条") {
		t.Errorf("default remedy printed although a remedy was given")
	}
}

func TestQRCodeDecodedFromThePDFIsTheProgressURL(t *testing.T) {
	for _, k := range []Kind{Acceptance, Rejection, Supplement} {
		t.Run(string(k), func(t *testing.T) {
			d := sample(k)
			d.ProgressURL += "&lang=zh-CN&k=" + string(k)
			b := mustRender(t, d)
			imgs, err := pdfImages(b)
			if err != nil {
				t.Fatal(err)
			}
			if len(imgs) != 1 {
				t.Fatalf("found %d images in the PDF, want the QR code only", len(imgs))
			}
			got, err := decodeQR(imgs[0].img)
			if err != nil {
				t.Fatalf("decode QR from PDF image object %d: %v\n%s", imgs[0].obj, err, imgs[0].dict)
			}
			if got != d.ProgressURL {
				t.Errorf("QR code = %q, want %q", got, d.ProgressURL)
			}
			p := readPDF(t, b)
			if last := p.draws[len(p.draws)-1]; last != 1 {
				t.Errorf("last page paints %d images, want 1 (the QR code next to the signature)", last)
			}
		})
	}
}

// longReason returns a reason of exactly n runes mixing Chinese, numbers and Latin identifiers.
func longReason(n int) string {
	const unit = "申请人提交的建设工程规划许可证（编号 JSGH-2026-000815）载明的建设规模为12000平方米，与现场核查情况不一致；"
	s := strings.Repeat(unit, n/utf8.RuneCountInString(unit)+1)
	r := []rune(s)[:n]
	for r[len(r)-1] == ' ' {
		r[len(r)-1] = '查'
	}
	return string(r)
}

func TestLongReasonWrapsWithinTheMargins(t *testing.T) {
	d := sample(Rejection)
	d.Reason = longReason(300)
	if n := utf8.RuneCountInString(d.Reason); n != 300 {
		t.Fatalf("reason has %d runes", n)
	}
	p := readPDF(t, mustRender(t, d))
	// A space where a line breaks is dropped, as in any typesetting; every
	// other rune must come through in order.
	noSpace := func(s string) string { return strings.ReplaceAll(s, " ", "") }
	if !strings.Contains(noSpace(p.text), noSpace("不予受理理由："+sentence(d.Reason))) {
		t.Fatalf("reason lost or altered in the PDF:\n%s", p.text)
	}
	assertWithinTextBlock(t, p)

	// Latin identifiers break only at spaces: every occurrence of the
	// number sits whole inside one line.
	const word = "JSGH-2026-000815"
	var whole int
	for _, r := range p.runs {
		whole += strings.Count(r.text, word)
	}
	if want := strings.Count(d.Reason, word); whole != want {
		t.Errorf("%q appears whole on %d lines, want %d: a Latin word was split", word, whole, want)
	}
	// The reason spans several lines, none starting with closing punctuation.
	start, end := -1, -1
	for i, r := range p.runs {
		switch {
		case strings.HasPrefix(r.text, "不予受理理由："):
			start = i
		case strings.HasPrefix(r.text, "法律依据："):
			end = i
		}
		if first, _ := utf8.DecodeRuneInString(r.text); strings.ContainsRune(noStart, first) {
			t.Errorf("line starts with %q: %q", first, r.text)
		}
	}
	// Lines are filled: the paragraph takes as many lines as its width
	// needs, give or take the words and punctuation pushed down.
	pdf, err := newPDF()
	if err != nil {
		t.Fatal(err)
	}
	if err := pdf.SetFontSize(styles[0].size); err != nil {
		t.Fatal(err)
	}
	w, err := pdf.MeasureTextWidth("　　不予受理理由：" + sentence(d.Reason))
	if err != nil {
		t.Fatal(err)
	}
	need := int(math.Ceil(w / textWidth))
	if lines := end - start; start < 0 || lines < need || lines > need+1 {
		t.Errorf("the reason took %d lines, want %d or %d", lines, need, need+1)
	}
}

func TestThirtyMissingItemsFlowOntoASecondPage(t *testing.T) {
	d := sample(Supplement)
	d.Missing = manyMissing(30)
	p := readPDF(t, mustRender(t, d))
	if p.pages < 2 {
		t.Fatalf("30 items fit on %d page", p.pages)
	}
	for i, m := range d.Missing {
		if row := fmt.Sprint(i+1) + m.Name + m.Requirement; !strings.Contains(p.text, row) {
			t.Errorf("row %d missing: %q", i+1, row)
		}
	}
	for n := 1; n <= p.pages; n++ {
		page := p.onPage(n)
		if strings.Contains(page, "补正材料") && !strings.Contains(page, "序号材料名称补正要求") {
			t.Errorf("page %d continues the table without its header row", n)
		}
		if foot := fmt.Sprintf("%s　第 %d 页 共 %d 页", d.DocNo, n, p.pages); !strings.Contains(page, foot) {
			t.Errorf("page %d lacks the footer %q", n, foot)
		}
	}
	assertWithinTextBlock(t, p)
}

// The closing block (authority, date, seal, QR code) never stands alone on
// a page (GB/T 9704-2012 §7.3.5): whatever the length of the list or the
// reason, body text precedes the signature on the last page.
func TestClosingBlockNeverStandsAlone(t *testing.T) {
	check := func(t *testing.T, d CaseDoc) {
		t.Helper()
		p := readPDF(t, mustRender(t, d))
		last := p.onPage(p.pages)
		sig := strings.Index(last, d.Issuer+chineseDate(d.Date))
		if sig <= 0 {
			t.Errorf("%d pages; the signature is alone on the last page: %q", p.pages, last)
		}
	}
	for n := 1; n <= 40; n++ {
		t.Run(fmt.Sprintf("%d missing items", n), func(t *testing.T) {
			d := sample(Supplement)
			d.Missing = manyMissing(n)
			check(t, d)
		})
	}
	for n := 20; n <= 1000; n += 35 {
		t.Run(fmt.Sprintf("reason of %d characters", n), func(t *testing.T) {
			d := sample(Rejection)
			d.Reason = longReason(n)
			check(t, d)
		})
	}
}

func TestRenderIsDeterministicAndSafeForConcurrentUse(t *testing.T) {
	want := mustRender(t, sample(Supplement))
	var wg sync.WaitGroup
	outs := make([][]byte, 8)
	for i := range outs {
		wg.Go(func() {
			b, err := Render(sample(Supplement))
			if err != nil {
				t.Error(err)
			}
			outs[i] = b
		})
	}
	wg.Wait()
	for i, b := range outs {
		if !bytes.Equal(b, want) {
			t.Errorf("render %d differs from the first (%d vs %d bytes)", i, len(b), len(want))
		}
	}
}

func TestRenderRefusesAnIncompleteInstrument(t *testing.T) {
	d := sample(Acceptance)
	d.DueDate = ""
	_, err := Render(d)
	if !errors.Is(err, errs.ErrInvalid) {
		t.Fatalf("Render with no due date: err = %v, want ErrInvalid", err)
	}
	if _, ok := errs.FieldsOf(err)["due_date"]; !ok {
		t.Errorf("fields = %v, want due_date", errs.FieldsOf(err))
	}
}

// assertWithinTextBlock checks that every line of text lies inside the
// 156 mm × 225 mm text block, except the page footers which sit under it.
func assertWithinTextBlock(t *testing.T, p parsed) {
	t.Helper()
	const eps = 0.05
	pdf, err := newPDF() // measures with the embedded font
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range p.runs {
		if err := pdf.SetFontSize(r.size); err != nil {
			t.Fatal(err)
		}
		w, err := pdf.MeasureTextWidth(r.text)
		if err != nil {
			t.Fatal(err)
		}
		// The reader does not know CID widths: it reports every rune of a
		// run at the run's start plus the character spacing so far. The run
		// thus ends at the last rune's x plus the natural width of the text.
		// (A reader that did advance by glyph widths would only make this
		// bound stricter.)
		left, right := r.x, r.xLast+w
		top := pageH - r.y - ascentRatio*r.size // distance from the top of the page
		bottom := pageH - r.y + (1-ascentRatio)*r.size
		if left < marginLeft-eps || right > textRight+eps {
			t.Errorf("page %d: %q spans x %.2f–%.2f, outside the margins %.2f–%.2f", r.page, r.text, left, right, marginLeft, textRight)
		}
		if strings.Contains(r.text, " 页 共 ") {
			if top < bodyBottom {
				t.Errorf("page %d: footer %q inside the text block", r.page, r.text)
			}
			continue
		}
		if top < marginTop-eps || bottom > bodyBottom+eps {
			t.Errorf("page %d: %q spans y %.2f–%.2f, outside the text block %.2f–%.2f", r.page, r.text, top, bottom, marginTop, bodyBottom)
		}
	}
}

func TestNoticeThatJustMissesOnePageIsTightenedOntoIt(t *testing.T) {
	for n := 3; n <= 15; n++ {
		d := sample(Supplement)
		d.Missing = manyMissing(n)
		qr, err := qrImage(d.ProgressURL)
		if err != nil {
			t.Fatal(err)
		}
		_, first, err := render(d, styles[0], false, qr)
		if err != nil {
			t.Fatal(err)
		}
		if !first.alone || first.pages != 2 {
			continue
		}
		p := readPDF(t, mustRender(t, d))
		if p.pages != 1 {
			t.Fatalf("%d items: %d pages after tightening, want 1", n, p.pages)
		}
		for _, r := range p.runs {
			if strings.HasPrefix(r.text, "承办部门：") && r.size >= styles[0].size {
				t.Errorf("%d items: body still set at %.1f pt", n, r.size)
			}
		}
		return
	}
	t.Fatal("no list length between 3 and 15 items spills the signature onto page 2; adjust the test")
}

// The only font is the embedded one: a viewer without Chinese fonts shows
// the same glyphs.
func TestTheOnlyFontIsEmbedded(t *testing.T) {
	dicts, streams, err := pdfObjects(mustRender(t, sample(Supplement)))
	if err != nil {
		t.Fatal(err)
	}
	var fonts, files int
	for _, d := range dicts {
		if m := regexp.MustCompile(`/BaseFont\s*/(\S+)`).FindStringSubmatch(d); m != nil {
			fonts++
			if m[1] != fontFamily {
				t.Errorf("unexpected font %q", m[1])
			}
		}
		if m := regexp.MustCompile(`/FontFile2\s+(\d+)\s+0\s+R`).FindStringSubmatch(d); m != nil {
			files++
			var n int
			fmt.Sscan(m[1], &n)
			if len(streams[n]) == 0 {
				t.Errorf("font file object %d is empty", n)
			}
		}
	}
	if fonts == 0 || files != 1 {
		t.Errorf("%d font dictionaries, %d embedded font files; want the one embedded font", fonts, files)
	}
}
