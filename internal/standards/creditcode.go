package standards

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// creditAlphabet is the 31-symbol character set of the unified social credit
// code, valued 0–30 in this order; I, O, Z, S and V are never used.
// Source: GB 32100-2015 §4.1 and 附录B (代码字符集).
const creditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditCodeLen is the length of a unified social credit code (GB 32100-2015 §4.1).
const creditCodeLen = 18

// creditWeights are the position weights W_i = 3^(i−1) mod 31 for i = 1..17
// used by the check character. Source: GB 32100-2015 §4.3 / 附录B.
var creditWeights = [creditCodeLen - 1]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// orgWeights are the weights of the 8 body characters of an organisation code.
// Source: GB 11714-1997 §5 (校验码计算).
var orgWeights = [8]int{3, 7, 9, 10, 5, 8, 4, 2}

// CodeIssue is one problem found in a credit code or organisation code.
type CodeIssue struct {
	Pos  int    // 1-based character position; 0 means the whole code.
	Rule string // Stable rule id: "length", "charset", "dept", "category", "region", "check" or "org_check".
	Msg  Msg    // What is wrong, in both languages.
}

// Error returns the English message so that a CodeIssue can be used as an error.
func (i CodeIssue) Error() string { return i.Msg.En }

// CreditCode is the result of parsing a unified social credit code (GB 32100-2015).
type CreditCode struct {
	Input      string      // The text as given.
	Code       string      // Normalised: trimmed, upper-cased, full-width ASCII folded to half-width.
	Normalised bool        // Code != Input; callers must show the normalised form to the user.
	Errors     []CodeIssue // Violations of GB 32100-2015; any error makes the code invalid.
	Warnings   []CodeIssue // Non-fatal findings, e.g. a failed GB 11714 check on positions 9–17 (legacy codes).
	Department Msg         // 登记管理部门 named by position 1, when valid.
	Category   Msg         // 机构类别 named by position 2, when valid for the department.
	RegionCode string      // Positions 3–8: 登记管理机关行政区划码 (GB/T 2260), when the length is 18.
	OrgCode    string      // Positions 9–17: 主体标识码 (GB 11714 organisation code), when the length is 18.
}

// Valid reports whether the code has no errors (warnings do not count).
func (c CreditCode) Valid() bool { return len(c.Errors) == 0 }

// ParseCreditCode normalises s and checks it against GB 32100-2015, reporting
// every independent error it can find.
func ParseCreditCode(s string) CreditCode {
	c := CreditCode{Input: s, Code: normaliseCreditCode(s)}
	c.Normalised = c.Code != c.Input
	rs := []rune(c.Code)
	n := len(rs)

	// GB 32100-2015 §4.1: the code has exactly 18 characters.
	if n != creditCodeLen {
		c.Errors = append(c.Errors, CodeIssue{Rule: "length", Msg: Msg{
			Zh: fmt.Sprintf("统一社会信用代码应为 18 位，实际为 %d 位", n),
			En: fmt.Sprintf("a unified social credit code has 18 characters, got %d", n),
		}})
	}

	// GB 32100-2015 §4.1 / 附录B: every character comes from the 31-symbol set.
	charsetOK := true
	for i, r := range rs {
		if creditValue(r) < 0 {
			charsetOK = false
			c.Errors = append(c.Errors, charsetIssue(i+1, r))
		}
	}

	// GB 32100-2015 §4.2: position 1 is the registration authority and
	// position 2 the organisation category allowed under it.
	if n >= 1 && creditValue(rs[0]) >= 0 {
		d, ok := creditDepartments[byte(rs[0])]
		if !ok {
			c.Errors = append(c.Errors, CodeIssue{Pos: 1, Rule: "dept", Msg: Msg{
				Zh: fmt.Sprintf("第1位登记管理部门码 '%c' 无效（允许 %s）", rs[0], listChars(creditDepartmentOrder, "、")),
				En: fmt.Sprintf("position 1 (registration authority) '%c' is not a valid code (allowed: %s)", rs[0], listChars(creditDepartmentOrder, ", ")),
			}})
		} else {
			c.Department = d.name
			if n >= 2 && creditValue(rs[1]) >= 0 {
				if cat, ok := d.categories[byte(rs[1])]; ok {
					c.Category = cat
				} else {
					c.Errors = append(c.Errors, CodeIssue{Pos: 2, Rule: "category", Msg: Msg{
						Zh: fmt.Sprintf("第2位机构类别码 '%c' 不适用于第1位登记管理部门码 '%c'（%s）；允许的机构类别码为 %s",
							rs[1], rs[0], d.name.Zh, listChars(d.order, "、")),
						En: fmt.Sprintf("position 2 (organisation category) '%c' is not allowed with position 1 (registration authority) '%c' (%s); allowed: %s",
							rs[1], rs[0], d.name.En, listChars(d.order, ", ")),
					}})
				}
			}
		}
	}

	// GB 32100-2015 §4.2: positions 3–8 are the registering authority's
	// administrative division code, which GB/T 2260 writes in digits only.
	for i := 2; i < 8 && i < n; i++ {
		r := rs[i]
		if creditValue(r) >= 0 && (r < '0' || r > '9') {
			c.Errors = append(c.Errors, CodeIssue{Pos: i + 1, Rule: "region", Msg: Msg{
				Zh: fmt.Sprintf("第%d位字符 '%c' 无效：第3–8位为登记管理机关行政区划码（GB/T 2260），只能是数字", i+1, r),
				En: fmt.Sprintf("character %d ('%c') is invalid: positions 3–8 are the registering authority's administrative division code (GB/T 2260) and must be digits", i+1, r),
			}})
		}
	}

	if n != creditCodeLen {
		return c
	}
	c.RegionCode = string(rs[2:8])
	c.OrgCode = string(rs[8:17])
	if !charsetOK {
		return c // the checksums are meaningless until every character is valid
	}

	// GB 32100-2015 §4.3: position 18 is the check character.
	if want, _ := CreditCodeCheckChar(string(rs[:17])); rune(want) != rs[17] {
		c.Errors = append(c.Errors, CodeIssue{Pos: 18, Rule: "check", Msg: Msg{
			Zh: fmt.Sprintf("第18位校验码应为 %c，实际为 %c", want, rs[17]),
			En: fmt.Sprintf("check character (position 18) should be %c, got %c", want, rs[17]),
		}})
	}

	// GB 32100-2015 §4.2 and GB 11714-1997: positions 9–17 are an organisation
	// code whose own check character is position 17. Codes converted from
	// legacy registrations may fail it, so a failure is only a warning.
	if want, err := OrgCodeCheckChar(string(rs[8:16])); err == nil && rune(want) != rs[16] {
		c.Warnings = append(c.Warnings, CodeIssue{Pos: 17, Rule: "org_check", Msg: Msg{
			Zh: fmt.Sprintf("第17位（主体标识码的组织机构代码校验码，GB 11714-1997）应为 %c，实际为 %c；可能是历史遗留代码，请核实", want, rs[16]),
			En: fmt.Sprintf("position 17 (organisation code check character, GB 11714-1997) should be %c, got %c; this may be a legacy code, please verify", want, rs[16]),
		}})
	}
	return c
}

// CreditCodeCheckChar computes the check character (position 18) for the first
// 17 characters of a unified social credit code, which must already be
// normalised (upper case, half-width).
func CreditCodeCheckChar(first17 string) (byte, error) {
	rs := []rune(first17)
	if len(rs) != creditCodeLen-1 {
		return 0, CodeIssue{Rule: "length", Msg: Msg{
			Zh: fmt.Sprintf("计算校验码需要前 17 位，实际为 %d 位", len(rs)),
			En: fmt.Sprintf("the check character needs the first 17 characters, got %d", len(rs)),
		}}
	}
	// GB 32100-2015 §4.3: C18 = 31 − (Σ value(C_i)·W_i mod 31); 31 maps to 0.
	sum := 0
	for i, r := range rs {
		v := creditValue(r)
		if v < 0 {
			return 0, charsetIssue(i+1, r)
		}
		sum += v * creditWeights[i]
	}
	c := 31 - sum%31
	if c == 31 {
		c = 0
	}
	return creditAlphabet[c], nil
}

// OrgCodeCheckChar computes the GB 11714-1997 check character for the 8 body
// characters of an organisation code (digits and upper-case letters).
func OrgCodeCheckChar(body8 string) (byte, error) {
	rs := []rune(body8)
	if len(rs) != len(orgWeights) {
		return 0, CodeIssue{Rule: "length", Msg: Msg{
			Zh: fmt.Sprintf("组织机构代码本体应为 8 位，实际为 %d 位", len(rs)),
			En: fmt.Sprintf("an organisation code body has 8 characters, got %d", len(rs)),
		}}
	}
	// GB 11714-1997 §5: digits take their value and letters A=10 … Z=35;
	// C9 = 11 − (Σ value·W_i mod 11); 10 is written X and 11 is written 0.
	sum := 0
	for i, r := range rs {
		var v int
		switch {
		case r >= '0' && r <= '9':
			v = int(r - '0')
		case r >= 'A' && r <= 'Z':
			v = int(r-'A') + 10
		default:
			return 0, CodeIssue{Pos: i + 1, Rule: "charset", Msg: Msg{
				Zh: fmt.Sprintf("组织机构代码第%d位字符 %s 无效（只允许数字和大写拉丁字母）", i+1, quoteChar(r)),
				En: fmt.Sprintf("organisation code character %d (%s) is invalid (only digits and upper-case Latin letters are allowed)", i+1, quoteChar(r)),
			}}
		}
		sum += v * orgWeights[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 'X', nil
	case 11:
		return '0', nil
	default:
		return byte('0' + c), nil
	}
}

// creditValue returns the GB 32100-2015 value (0–30) of r, or −1 if r is not
// in the code's character set.
func creditValue(r rune) int {
	if r > unicode.MaxASCII {
		return -1
	}
	return strings.IndexByte(creditAlphabet, byte(r))
}

// charsetIssue describes a character outside the credit-code character set at
// 1-based position pos.
func charsetIssue(pos int, r rune) CodeIssue {
	switch r {
	case 'I', 'O', 'Z', 'S', 'V':
		return CodeIssue{Pos: pos, Rule: "charset", Msg: Msg{
			Zh: fmt.Sprintf("第%d位字符 %s 不是统一社会信用代码允许的字符（不使用 I、O、Z、S、V）", pos, quoteChar(r)),
			En: fmt.Sprintf("character %d (%s) is not allowed in a unified social credit code (I, O, Z, S and V are never used)", pos, quoteChar(r)),
		}}
	}
	return CodeIssue{Pos: pos, Rule: "charset", Msg: Msg{
		Zh: fmt.Sprintf("第%d位字符 %s 不是统一社会信用代码允许的字符（只允许数字 0–9 和除 I、O、Z、S、V 以外的大写字母）", pos, quoteChar(r)),
		En: fmt.Sprintf("character %d (%s) is not allowed in a unified social credit code (only digits 0–9 and upper-case letters other than I, O, Z, S, V)", pos, quoteChar(r)),
	}}
}

// normaliseCreditCode folds full-width ASCII (U+FF01–U+FF5E) and the
// ideographic space to half-width, upper-cases ASCII letters and trims
// surrounding white space. Inner characters are never removed.
func normaliseCreditCode(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\u3000':
			r = ' '
		case r >= '\uFF01' && r <= '\uFF5E':
			r -= 0xFEE0
		}
		if r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return strings.TrimSpace(b.String())
}

// quoteChar renders r for a message: 'X' when printable, otherwise an escaped
// Go rune literal.
func quoteChar(r rune) string {
	if unicode.IsPrint(r) && r != '\'' {
		return "'" + string(r) + "'"
	}
	return strconv.QuoteRuneToASCII(r)
}

// listChars joins the characters of s with sep.
func listChars(s, sep string) string {
	parts := make([]string, len(s))
	for i := range len(s) {
		parts[i] = s[i : i+1]
	}
	return strings.Join(parts, sep)
}
