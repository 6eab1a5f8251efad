package standards

import (
	"strconv"
	"strings"
)

// fenPerWan is the number of fen in 1 万元 (10,000 yuan × 100 fen).
const fenPerWan int64 = 1_000_000

// fenPerYuan is the number of fen in 1 yuan.
const fenPerYuan int64 = 100

// wan converts an amount in 万元 to fen.
func wan(n int64) int64 { return n * fenPerWan }

// formatWan renders a non-negative amount in fen as 万元 without rounding,
// e.g. 2_500_000_000 → "2500" and 1_999_999_999 → "1999.999999".
func formatWan(fen int64) string {
	s := strconv.FormatInt(fen/fenPerWan, 10)
	if frac := fen % fenPerWan; frac != 0 {
		f := strconv.FormatInt(frac+fenPerWan, 10)[1:] // zero-padded to 6 digits
		s += "." + strings.TrimRight(f, "0")
	}
	return s
}

// formatYuan renders a non-negative amount in fen as yuan with thousands
// separators and, if not whole, two decimals, e.g. 1_999_999_999 → "19,999,999.99".
func formatYuan(fen int64) string {
	digits := strconv.FormatInt(fen/fenPerYuan, 10)
	var b strings.Builder
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	if frac := fen % fenPerYuan; frac != 0 {
		b.WriteString("." + strconv.FormatInt(frac+fenPerYuan, 10)[1:])
	}
	return b.String()
}
