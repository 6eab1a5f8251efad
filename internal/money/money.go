// Package money converts between the storage unit, integer fen (分), and the
// units people and the API use: yuan (元) with up to two decimals, and 万元.
package money

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// FenPerYuan and FenPerWan are the unit sizes in fen.
const (
	FenPerYuan = 100
	FenPerWan  = 1_000_000
)

// ErrFormat is returned for text that is not an amount of yuan.
var ErrFormat = errors.New("not an amount in yuan with at most two decimals")

// ParseYuan parses a decimal amount of yuan ("1234", "-5.5", "1,234.56")
// into fen, exactly, without floating point; "1e6" and sub-fen amounts
// ("1.005") are refused.
func ParseYuan(s string) (int64, error) { return parseFixed(s, 2) }

// ParseWan parses an amount in 万元 (up to six decimals, i.e. exact to the
// fen) into fen.
func ParseWan(s string) (int64, error) { return parseFixed(s, 6) }

// parseFixed parses a decimal number and returns it scaled by 10^places
// as an integer: the fen in an amount whose unit is 10^places fen. Digits
// beyond places must be zeros.
func parseFixed(s string, places int) (int64, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg, s = s[0] == '-', s[1:]
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" && (!hasDot || frac == "") {
		return 0, ErrFormat
	}
	if len(frac) > places {
		if strings.Trim(frac[places:], "0") != "" {
			return 0, ErrFormat
		}
		frac = frac[:places]
	}
	digits := whole + frac + strings.Repeat("0", places-len(frac))
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, ErrFormat
		}
	}
	v, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return 0, ErrFormat
	}
	if neg {
		v = -v
	}
	return v, nil
}

// FormatYuan renders fen as yuan with no trailing zeros: 123456 → "1234.56",
// 120 → "1.2", 100 → "1".
func FormatYuan(fen int64) string {
	sign := ""
	u := uint64(fen)
	if fen < 0 {
		sign = "-"
		u = uint64(-fen)
	}
	s := fmt.Sprintf("%s%d.%02d", sign, u/FenPerYuan, u%FenPerYuan)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// FormatWan renders fen in 万元 with up to two decimals, for the UI.
func FormatWan(fen int64) string {
	// Round half away from zero to 0.01 万元 = 10000 fen.
	q := fen / 10000
	if r := fen % 10000; r >= 5000 {
		q++
	} else if r <= -5000 {
		q--
	}
	return FormatYuan(q)
}

// FormatWanExact renders fen in 万元 with as many decimals as needed (up to
// six), for edit forms that must round-trip exactly.
func FormatWanExact(fen int64) string {
	sign := ""
	u := uint64(fen)
	if fen < 0 {
		sign, u = "-", uint64(-fen)
	}
	s := fmt.Sprintf("%s%d.%06d", sign, u/FenPerWan, u%FenPerWan)
	return strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
}

// FormatYuanGrouped renders fen as yuan with thousands separators and, when
// not whole, two decimals: 1_999_999_999 → "19,999,999.99".
func FormatYuanGrouped(fen int64) string {
	sign := ""
	u := uint64(fen)
	if fen < 0 {
		sign, u = "-", uint64(-fen)
	}
	digits := strconv.FormatUint(u/FenPerYuan, 10)
	var b strings.Builder
	b.WriteString(sign)
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	if frac := u % FenPerYuan; frac != 0 {
		fmt.Fprintf(&b, ".%02d", frac)
	}
	return b.String()
}

// Yuan is an optional amount stored in fen that travels in JSON as a number
// of yuan. A JSON null or a missing field leaves it unset.
type Yuan struct {
	Fen   int64
	Valid bool
}

// YuanOf wraps a fen pointer.
func YuanOf(fen *int64) Yuan {
	if fen == nil {
		return Yuan{}
	}
	return Yuan{Fen: *fen, Valid: true}
}

// Ptr returns the amount as a fen pointer, nil when unset.
func (y Yuan) Ptr() *int64 {
	if !y.Valid {
		return nil
	}
	v := y.Fen
	return &v
}

// MarshalJSON writes the amount as a JSON number of yuan, or null.
func (y Yuan) MarshalJSON() ([]byte, error) {
	if !y.Valid {
		return []byte("null"), nil
	}
	return []byte(FormatYuan(y.Fen)), nil
}

// UnmarshalJSON reads a JSON number (or numeric string) of yuan exactly.
func (y *Yuan) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "null" {
		*y = Yuan{}
		return nil
	}
	if strings.HasPrefix(s, `"`) {
		var str string
		if err := json.Unmarshal(b, &str); err != nil {
			return err
		}
		s = str
	}
	fen, err := ParseYuan(s)
	if err != nil {
		return err
	}
	*y = Yuan{Fen: fen, Valid: true}
	return nil
}
