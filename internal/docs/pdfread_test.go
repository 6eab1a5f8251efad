package docs

// Readers that take a rendered PDF apart the way a third party would, so
// the tests assert on what is in the file rather than on what the renderer
// meant to draw.
//
// Text comes from github.com/ledongthuc/pdf, which decodes each string
// through the font's ToUnicode CMap: if a string survives extraction
// exactly, it was written with real glyph ids of the embedded font (tofu or
// a substituted space would not map back to the right character).
//
// The QR code is read from the raw bytes: ledongthuc/pdf cannot decode the
// PNG predictors gopdf uses for images, so pdfImages below is a small
// reader for image XObjects — it finds every "/Subtype /Image" object,
// inflates its FlateDecode stream, undoes the PNG row filters (PDF
// Predictor ≥ 10), unpacks 1–8-bit samples and maps /Indexed palettes —
// giving back the bitmap a viewer would paint, which gozxing then decodes.

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"image"
	"image/color"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ledongthuc/pdf"
	"github.com/makiuchi-d/gozxing"
	gozxingqr "github.com/makiuchi-d/gozxing/qrcode"
)

// run is a piece of text drawn by one text-showing operator.
type run struct {
	page       int
	x, y, size float64 // start of the baseline (PDF coordinates, origin bottom-left) and font size
	xLast      float64 // x of the last rune; runes advance by the character spacing
	text       string
}

// parsed is a rendered PDF read back.
type parsed struct {
	pages int
	runs  []run
	text  string // all text in drawing order, without separators
	draws []int  // per page, how many XObjects the content stream paints ("Do")
}

func readPDF(t testing.TB, b []byte) parsed {
	t.Helper()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("open pdf: %v", err)
	}
	out := parsed{pages: r.NumPage()}
	var all strings.Builder
	for i := 1; i <= r.NumPage(); i++ {
		p := r.Page(i)
		var cur *run
		flush := func() {
			if cur != nil && cur.text != "" {
				out.runs = append(out.runs, *cur)
				all.WriteString(cur.text)
			}
			cur = nil
		}
		for _, c := range p.Content().Text {
			// ledongthuc/pdf emits one U+FFFD after every string it decodes
			// through a 2-byte CMap; it marks the end of a run.
			if c.S == "\uFFFD" {
				flush()
				continue
			}
			// The reader does not know CID widths, so the runes of one run
			// share x except for character spacing (Tc); a jump or a new
			// baseline starts a new run.
			if cur != nil && (c.Y != cur.y || c.FontSize != cur.size || c.X < cur.xLast || c.X-cur.xLast > 0.3*c.FontSize) {
				flush()
			}
			if cur == nil {
				cur = &run{page: i, x: c.X, y: c.Y, size: c.FontSize, xLast: c.X}
			}
			cur.xLast = c.X
			cur.text += c.S
		}
		flush()

		draws := 0
		pdf.Interpret(p.V.Key("Contents"), func(stk *pdf.Stack, op string) {
			n := stk.Len()
			for range n {
				stk.Pop()
			}
			if op == "Do" {
				draws++
			}
		})
		out.draws = append(out.draws, draws)
	}
	out.text = all.String()
	return out
}

// onPage returns the text drawn on page n.
func (p parsed) onPage(n int) string {
	var b strings.Builder
	for _, r := range p.runs {
		if r.page == n {
			b.WriteString(r.text)
		}
	}
	return b.String()
}

// pdfImage is an image XObject decoded to grey levels.
type pdfImage struct {
	obj  int
	img  *image.Gray
	dict string
}

var (
	objStart   = regexp.MustCompile(`(\d+) 0 obj\s*<<`)
	intKey     = func(dict, key string) (int, bool) { return intIn(dict, `/`+key+`\s+(\d+)`) }
	indexedRef = regexp.MustCompile(`/ColorSpace\s*\[\s*/Indexed\s*/DeviceRGB\s+(\d+)\s+(\d+)\s+0\s+R\s*\]`)
)

func intIn(s, pattern string) (int, bool) {
	m := regexp.MustCompile(pattern).FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(m[1])
	return n, err == nil
}

// pdfObjects maps object numbers to their dictionary text and stream bytes
// (nil for objects without a stream). Good enough for gopdf's output: no
// object streams, no indirect /Length.
func pdfObjects(b []byte) (map[int]string, map[int][]byte, error) {
	dicts, streams := map[int]string{}, map[int][]byte{}
	for _, m := range objStart.FindAllSubmatchIndex(b, -1) {
		num, _ := strconv.Atoi(string(b[m[2]:m[3]]))
		start := m[1] - 2
		depth, i := 0, start
		for ; i < len(b)-1; i++ {
			if b[i] == '<' && b[i+1] == '<' {
				depth++
				i++
			} else if b[i] == '>' && b[i+1] == '>' {
				depth--
				i++
				if depth == 0 {
					break
				}
			}
		}
		if depth != 0 {
			return nil, nil, fmt.Errorf("object %d: unterminated dictionary", num)
		}
		dict := string(b[start : i+1])
		dicts[num] = dict
		rest := bytes.TrimLeft(b[i+1:], " \r\n\t")
		if !bytes.HasPrefix(rest, []byte("stream")) {
			continue
		}
		rest = rest[len("stream"):]
		rest = bytes.TrimPrefix(rest, []byte("\r"))
		rest = bytes.TrimPrefix(rest, []byte("\n"))
		n, ok := intKey(dict, "Length")
		if !ok || n > len(rest) {
			return nil, nil, fmt.Errorf("object %d: bad /Length", num)
		}
		streams[num] = rest[:n]
	}
	return dicts, streams, nil
}

func pdfImages(b []byte) ([]pdfImage, error) {
	dicts, streams, err := pdfObjects(b)
	if err != nil {
		return nil, err
	}
	var out []pdfImage
	for num, dict := range dicts {
		if !regexp.MustCompile(`/Subtype\s*/Image`).MatchString(dict) {
			continue
		}
		img, err := decodeImage(dict, streams[num], dicts, streams)
		if err != nil {
			return nil, fmt.Errorf("image object %d: %w", num, err)
		}
		out = append(out, pdfImage{obj: num, img: img, dict: dict})
	}
	return out, nil
}

func decodeImage(dict string, data []byte, dicts map[int]string, streams map[int][]byte) (*image.Gray, error) {
	w, okW := intKey(dict, "Width")
	h, okH := intKey(dict, "Height")
	bpc, okB := intKey(dict, "BitsPerComponent")
	if !okW || !okH || !okB {
		return nil, fmt.Errorf("missing /Width, /Height or /BitsPerComponent")
	}
	if strings.Contains(dict, "/SMask") {
		return nil, fmt.Errorf("soft masks are not supported")
	}
	colors := 1
	var palette []byte
	switch {
	case indexedRef.MatchString(dict):
		m := indexedRef.FindStringSubmatch(dict)
		ref, _ := strconv.Atoi(m[2])
		pal, err := streamData(dicts[ref], streams[ref])
		if err != nil {
			return nil, fmt.Errorf("palette: %w", err)
		}
		palette = pal
	case strings.Contains(dict, "/DeviceRGB"):
		colors = 3
	case strings.Contains(dict, "/DeviceGray"):
	default:
		return nil, fmt.Errorf("unsupported colour space in %s", dict)
	}
	raw, err := streamData(dict, data)
	if err != nil {
		return nil, err
	}
	if pred, ok := intKey(dict, "Predictor"); ok && pred >= 10 {
		raw, err = unPNG(raw, (colors*bpc*w+7)/8, max(1, colors*bpc/8))
		if err != nil {
			return nil, err
		}
	}
	rowBytes := (colors*bpc*w + 7) / 8
	if len(raw) < rowBytes*h {
		return nil, fmt.Errorf("%d bytes of pixels, need %d", len(raw), rowBytes*h)
	}
	img := image.NewGray(image.Rect(0, 0, w, h))
	maxV := (1 << bpc) - 1
	for y := range h {
		row := raw[y*rowBytes : (y+1)*rowBytes]
		for x := range w {
			var comp [3]int
			for c := range colors {
				bit := (x*colors + c) * bpc
				v := int(row[bit/8])
				if bpc < 8 {
					v = (v >> (8 - bpc - bit%8)) & maxV
				}
				comp[c] = v
			}
			var lum int
			switch {
			case palette != nil:
				i := comp[0] * 3
				if i+2 >= len(palette) {
					return nil, fmt.Errorf("palette index %d out of range", comp[0])
				}
				lum = (int(palette[i]) + int(palette[i+1]) + int(palette[i+2])) / 3
			case colors == 3:
				lum = (comp[0] + comp[1] + comp[2]) * 255 / (3 * maxV)
			default:
				lum = comp[0] * 255 / maxV
			}
			img.SetGray(x, y, color.Gray{Y: uint8(lum)})
		}
	}
	return img, nil
}

// streamData applies the stream's /Filter (none or FlateDecode).
func streamData(dict string, data []byte) ([]byte, error) {
	if !strings.Contains(dict, "/Filter") {
		return data, nil
	}
	if !regexp.MustCompile(`/Filter\s*/FlateDecode`).MatchString(dict) {
		return nil, fmt.Errorf("unsupported filter in %s", dict)
	}
	zr, err := zlib.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

// unPNG reverses the PNG row filters (RFC 2083 §6): each row is a filter
// byte followed by rowBytes filtered bytes; bpp is bytes per pixel (≥ 1).
func unPNG(data []byte, rowBytes, bpp int) ([]byte, error) {
	var out []byte
	prev := make([]byte, rowBytes)
	for len(data) > 0 {
		if len(data) < rowBytes+1 {
			return nil, fmt.Errorf("truncated PNG row")
		}
		f, row := data[0], append([]byte(nil), data[1:rowBytes+1]...)
		data = data[rowBytes+1:]
		for i := range row {
			var a, c byte
			if i >= bpp {
				a, c = row[i-bpp], prev[i-bpp]
			}
			b := prev[i]
			switch f {
			case 0:
			case 1:
				row[i] += a
			case 2:
				row[i] += b
			case 3:
				row[i] += byte((int(a) + int(b)) / 2)
			case 4:
				row[i] += paeth(a, b, c)
			default:
				return nil, fmt.Errorf("PNG filter %d", f)
			}
		}
		out = append(out, row...)
		prev = row
	}
	return out, nil
}

func paeth(a, b, c byte) byte {
	p := int(a) + int(b) - int(c)
	pa, pb, pc := abs(p-int(a)), abs(p-int(b)), abs(p-int(c))
	switch {
	case pa <= pb && pa <= pc:
		return a
	case pb <= pc:
		return b
	}
	return c
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// decodeQR reads a QR code from a bitmap with gozxing.
func decodeQR(img image.Image) (string, error) {
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	res, err := gozxingqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}
