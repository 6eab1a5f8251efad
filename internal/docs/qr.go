package docs

import (
	"fmt"

	"github.com/skip2/go-qrcode"
)

// QR code geometry.
const (
	qrSide     = 24 * mm // printed size; modules stay ≥ 0.4 mm up to the 256-byte URL cap
	qrModulePx = 4       // pixels per module in the embedded PNG
	qrCaptionW = 62 * mm // widest caption line before it wraps
	qrGap      = 6.0     // space between the code, its caption and the signature
)

// qrImage encodes url as a PNG QR code at level M (15 % of the symbol may
// be damaged — a crease or a stray stamp) with its four-module quiet zone.
// The PNG is embedded as is, so the PDF carries exactly this bitmap.
func qrImage(url string) ([]byte, error) {
	q, err := qrcode.New(url, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("qr code: %w", err)
	}
	png, err := q.PNG(-qrModulePx)
	if err != nil {
		return nil, fmt.Errorf("qr code: %w", err)
	}
	return png, nil
}
