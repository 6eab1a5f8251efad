package auth

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/qinqing/qinqing/internal/i18n"
)

// PasswordPolicy holds the configurable password rules.
//
// Every account: at least MinLength characters (ASVS 2.1.1 asks ≥ 12), at most
// 128, not a common password (ASVS 2.1.7), not the username. Staff accounts
// additionally follow the 等保 level-3 profile (GB/T 22239-2019 8.1.4.1 身份鉴别:
// 口令具有复杂度要求并定期更换): characters from at least StaffClasses of the four
// classes (upper, lower, digit, symbol), rotation every StaffRotationDays, and
// no reuse of the last StaffHistory passwords.
type PasswordPolicy struct {
	MinLength         int
	StaffClasses      int
	StaffRotationDays int
	StaffHistory      int
}

// DefaultPasswordPolicy is the policy when nothing is configured.
var DefaultPasswordPolicy = PasswordPolicy{MinLength: 12, StaffClasses: 3, StaffRotationDays: 90, StaffHistory: 5}

//go:embed data/common-passwords.txt.gz
var commonGz []byte

var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	zr, err := gzip.NewReader(bytes.NewReader(commonGz))
	if err != nil {
		panic(err)
	}
	set := make(map[string]struct{}, 32000)
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" {
			set[w] = struct{}{}
		}
	}
	return set
})

// isCommon reports whether pw is a common password, or one dressed up with a
// few leading or trailing digits and symbols ("Password1234!").
func isCommon(pw string) bool {
	set := commonPasswords()
	lower := strings.ToLower(pw)
	if _, ok := set[lower]; ok {
		return true
	}
	core := strings.TrimFunc(lower, func(r rune) bool { return !unicode.IsLetter(r) })
	if len(core) >= 4 && len(lower)-len(core) <= 6 {
		if _, ok := set[core]; ok {
			return true
		}
	}
	return isTrivialPattern(lower)
}

// isTrivialPattern catches one repeated character or a run of consecutive
// characters ("aaaaaaaaaaaa", "123456789012", "abcdefghijkl").
func isTrivialPattern(s string) bool {
	rs := []rune(s)
	if len(rs) < 2 {
		return true
	}
	same, asc, desc := true, true, true
	for i := 1; i < len(rs); i++ {
		d := rs[i] - rs[i-1]
		same = same && d == 0
		asc = asc && (d == 1 || (rs[i-1] == '9' && rs[i] == '0'))
		desc = desc && d == -1
	}
	return same || asc || desc
}

// Check returns every rule pw breaks for an account with this username and
// staff status; nil means acceptable.
func (p PasswordPolicy) Check(username, pw string, staff bool) []i18n.Msg {
	var out []i18n.Msg
	n := utf8.RuneCountInString(pw)
	if n < p.MinLength {
		out = append(out, i18n.M(
			"密码至少需要 "+strconv.Itoa(p.MinLength)+" 个字符（当前 "+strconv.Itoa(n)+" 个）",
			"Password must have at least "+strconv.Itoa(p.MinLength)+" characters (has "+strconv.Itoa(n)+")"))
	}
	if n > 128 {
		out = append(out, i18n.M("密码不能超过 128 个字符", "Password must not exceed 128 characters"))
	}
	if username != "" && strings.Contains(strings.ToLower(pw), strings.ToLower(username)) {
		out = append(out, i18n.M("密码不能包含用户名", "Password must not contain the username"))
	}
	if isCommon(pw) {
		out = append(out, i18n.M("密码过于常见或规律性太强，请换一个", "Password is too common or predictable"))
	}
	if staff {
		if c := charClasses(pw); c < p.StaffClasses {
			out = append(out, i18n.M(
				"工作人员密码需包含大写字母、小写字母、数字、符号中的至少 "+strconv.Itoa(p.StaffClasses)+" 类（当前 "+strconv.Itoa(c)+" 类）",
				"Staff passwords need at least "+strconv.Itoa(p.StaffClasses)+" of: upper case, lower case, digits, symbols (has "+strconv.Itoa(c)+")"))
		}
	}
	return out
}

func charClasses(pw string) int {
	var up, low, dig, sym bool
	for _, r := range pw {
		switch {
		case unicode.IsUpper(r):
			up = true
		case unicode.IsLower(r):
			low = true
		case unicode.IsDigit(r):
			dig = true
		default:
			sym = true
		}
	}
	n := 0
	for _, b := range []bool{up, low, dig, sym} {
		if b {
			n++
		}
	}
	return n
}
