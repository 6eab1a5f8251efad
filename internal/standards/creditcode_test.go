package standards

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Every code below was checked with an independent Python implementation of
// GB 32100-2015 and GB 11714-1997 before being written here.

func TestParseCreditCodeValid(t *testing.T) {
	tests := []struct {
		name, code string
		dept, cat  string
	}{
		{"a published example code is valid", "91350100M000100Y43", "工商（市场监管）", "企业"},
		{"Huawei's code is valid", "914403001922038216", "工商（市场监管）", "企业"},
		{"Tencent's code with an organisation check X is valid", "9144030071526726XG", "工商（市场监管）", "企业"},
		{"a Hangzhou enterprise code is valid", "91330100716105852F", "工商（市场监管）", "企业"},
		{"a Guizhou enterprise code is valid", "91520000214434146R", "工商（市场监管）", "企业"},
		{"a Beijing enterprise code is valid", "91110000100006485K", "工商（市场监管）", "企业"},
		{"an organisation check of 11 is written 0", "91500109100000040U", "工商（市场监管）", "企业"},
		{"an organisation check of 10 is written X", "9150010910000018XF", "工商（市场监管）", "企业"},
		{"a check sum of 31 is written 0", "915001091000002190", "工商（市场监管）", "企业"},
		{"an individual business with letters in the body is valid", "92500109MA5U1A2B9K", "工商（市场监管）", "个体工商户"},
		{"a farmers' cooperative is valid", "93500109100000040M", "工商（市场监管）", "农民专业合作社"},
		{"a private non-enterprise unit is valid", "52500000MJP000013J", "民政", "民办非企业单位"},
		{"the other authority with category 1 is valid", "Y15001091000000406", "其他", "其他"},
		{"a township collective economic organisation is valid", "N35001091000000408", "农业", "乡镇级集体经济组织"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ParseCreditCode(tt.code)
			if !c.Valid() || len(c.Warnings) != 0 {
				t.Fatalf("ParseCreditCode(%q): errors %v, warnings %v", tt.code, c.Errors, c.Warnings)
			}
			if c.Normalised || c.Code != tt.code {
				t.Errorf("Code = %q, Normalised = %v; want %q unchanged", c.Code, c.Normalised, tt.code)
			}
			if c.Department.Zh != tt.dept || c.Category.Zh != tt.cat {
				t.Errorf("Department, Category = %q, %q; want %q, %q", c.Department.Zh, c.Category.Zh, tt.dept, tt.cat)
			}
			if c.RegionCode != tt.code[2:8] || c.OrgCode != tt.code[8:17] {
				t.Errorf("RegionCode, OrgCode = %q, %q", c.RegionCode, c.OrgCode)
			}
		})
	}
}

func TestParseCreditCodeNormalisation(t *testing.T) {
	tests := []struct{ name, in string }{
		{"lower-case letters are upper-cased", "91350100m000100y43"},
		{"surrounding spaces and tabs are trimmed", " \t91350100M000100Y43\n"},
		{"full-width characters are folded to half-width", "９１３５０１００Ｍ０００１００Ｙ４３"},
		{"full-width lower case and ideographic spaces are folded, upper-cased and trimmed", "\u3000９１３５０１００ｍ０００１００ｙ４３\u3000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ParseCreditCode(tt.in)
			if c.Code != "91350100M000100Y43" || !c.Normalised || c.Input != tt.in || !c.Valid() {
				t.Errorf("ParseCreditCode(%q) = Code %q, Normalised %v, Errors %v", tt.in, c.Code, c.Normalised, c.Errors)
			}
		})
	}
	t.Run("inner spaces are not removed but reported", func(t *testing.T) {
		c := ParseCreditCode("91350100 M000100Y43")
		if got := rules(c.Errors); !cmp.Equal(got, []string{"length", "charset@9"}) {
			t.Errorf("errors = %v", got)
		}
	})
}

// rules lists issues as "rule" or "rule@pos" for compact comparison.
func rules(is []CodeIssue) []string {
	var out []string
	for _, i := range is {
		s := i.Rule
		if i.Pos != 0 {
			s += "@" + strconv.Itoa(i.Pos)
		}
		out = append(out, s)
	}
	return out
}

func TestParseCreditCodeErrors(t *testing.T) {
	tests := []struct {
		name       string
		code       string
		errors     []string
		warnings   []string
		wantZh     string // first error's Chinese message, if checked
		wantEn     string // first error's English message, if checked
		department string
	}{
		{
			name: "a wrong check character names the expected and actual characters", code: "91110000600037664H",
			errors: []string{"check@18"}, warnings: []string{"org_check@17"},
			wantZh: "第18位校验码应为 1，实际为 H", wantEn: "check character (position 18) should be 1, got H",
		},
		{
			name: "a failed organisation-code check is only a warning", code: "91500109100000041Y",
			warnings: []string{"org_check@17"},
		},
		{
			name: "a forbidden letter is reported with its position", code: "9150010I100000040U",
			errors: []string{"charset@8"},
			wantZh: "第8位字符 'I' 不是统一社会信用代码允许的字符（不使用 I、O、Z、S、V）",
			wantEn: "character 8 ('I') is not allowed in a unified social credit code (I, O, Z, S and V are never used)",
		},
		{
			name: "every bad character is reported and the checksum is skipped", code: "91500O09S000000-0U",
			errors: []string{"charset@6", "charset@9", "charset@16"},
		},
		{
			name: "a Chinese character is not allowed", code: "91500109中00000040U",
			errors: []string{"charset@9"},
			wantZh: "第9位字符 '中' 不是统一社会信用代码允许的字符（只允许数字 0–9 和除 I、O、Z、S、V 以外的大写字母）",
		},
		{
			name: "a short code reports the length found", code: "9150010910000004",
			errors: []string{"length"},
			wantZh: "统一社会信用代码应为 18 位，实际为 16 位", wantEn: "a unified social credit code has 18 characters, got 16",
			department: "工商（市场监管）",
		},
		{
			name: "a long code reports the length found", code: "91500109100000040U1",
			errors: []string{"length"}, wantZh: "统一社会信用代码应为 18 位，实际为 19 位",
		},
		{
			name: "an empty code reports length zero", code: "   ",
			errors: []string{"length"}, wantZh: "统一社会信用代码应为 18 位，实际为 0 位",
		},
		{
			name: "a wrong length and a bad character are both reported", code: "91S0",
			errors: []string{"length", "charset@3"},
		},
		{
			name: "an unassigned registration authority is an error", code: "B1500109100000040R",
			errors: []string{"dept@1"},
			wantZh: "第1位登记管理部门码 'B' 无效（允许 1、2、3、4、5、6、7、8、9、A、N、Y）",
		},
		{
			name: "a category not allowed for the authority names both", code: "94500109100000040J",
			errors: []string{"category@2"}, department: "工商（市场监管）",
			wantZh: "第2位机构类别码 '4' 不适用于第1位登记管理部门码 '9'（工商（市场监管））；允许的机构类别码为 1、2、3",
			wantEn: "position 2 (organisation category) '4' is not allowed with position 1 (registration authority) '9' (industry and commerce (market regulation)); allowed: 1, 2, 3",
		},
		{
			name: "the other authority allows only category 1", code: "Y25001091000000403",
			errors: []string{"category@2"}, department: "其他",
		},
		{
			name: "a letter in the region code is an error", code: "9150A109100000040P",
			errors: []string{"region@5"},
		},
		{
			name: "a category error and a wrong check character are both reported", code: "94500109100000040U",
			errors: []string{"category@2", "check@18"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ParseCreditCode(tt.code)
			if diff := cmp.Diff(tt.errors, rules(c.Errors)); diff != "" {
				t.Errorf("errors (-want +got):\n%s\n%v", diff, c.Errors)
			}
			if diff := cmp.Diff(tt.warnings, rules(c.Warnings)); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
			if c.Valid() != (len(tt.errors) == 0) {
				t.Errorf("Valid() = %v", c.Valid())
			}
			if tt.wantZh != "" && c.Errors[0].Msg.Zh != tt.wantZh {
				t.Errorf("message zh = %q\nwant %q", c.Errors[0].Msg.Zh, tt.wantZh)
			}
			if tt.wantEn != "" && c.Errors[0].Msg.En != tt.wantEn {
				t.Errorf("message en = %q\nwant %q", c.Errors[0].Msg.En, tt.wantEn)
			}
			if tt.department != "" && c.Department.Zh != tt.department {
				t.Errorf("Department = %q, want %q", c.Department.Zh, tt.department)
			}
			for _, i := range append(c.Errors, c.Warnings...) {
				if i.Msg.Zh == "" || i.Msg.En == "" {
					t.Errorf("issue %+v lacks a message", i)
				}
			}
		})
	}
}

func TestParseCreditCodeOrgWarningMessage(t *testing.T) {
	c := ParseCreditCode("91500109100000041Y")
	want := "第17位（主体标识码的组织机构代码校验码，GB 11714-1997）应为 0，实际为 1；可能是历史遗留代码，请核实"
	if len(c.Warnings) != 1 || c.Warnings[0].Msg.Zh != want {
		t.Errorf("warnings = %v, want %q", c.Warnings, want)
	}
}

func TestEveryAllowedCategoryPairIsAccepted(t *testing.T) {
	allowed := map[byte]string{
		'1': "1239", '2': "19", '3': "123459", '4': "19", '5': "1239", '6': "129",
		'7': "129", '8': "19", '9': "123", 'A': "19", 'N': "1239", 'Y': "1",
	}
	for d := range len(creditAlphabet) {
		for k := range len(creditAlphabet) {
			dept, cat := creditAlphabet[d], creditAlphabet[k]
			first17 := string([]byte{dept, cat}) + "500109100000040"
			check, err := CreditCodeCheckChar(first17)
			if err != nil {
				t.Fatal(err)
			}
			c := ParseCreditCode(first17 + string(check))
			cats, deptOK := allowed[dept]
			want := deptOK && strings.IndexByte(cats, cat) >= 0
			if c.Valid() != want {
				t.Errorf("pair %c%c: Valid() = %v, want %v (%v)", dept, cat, c.Valid(), want, c.Errors)
			}
		}
	}
}

func TestCreditCodeCheckChar(t *testing.T) {
	for _, code := range []string{"91350100M000100Y43", "9144030071526726XG", "915001091000002190"} {
		got, err := CreditCodeCheckChar(code[:17])
		if err != nil || got != code[17] {
			t.Errorf("CreditCodeCheckChar(%q) = %c, %v; want %c", code[:17], got, err, code[17])
		}
	}
	t.Run("a wrong length is an error", func(t *testing.T) {
		_, err := CreditCodeCheckChar("9135010")
		var issue CodeIssue
		if !errors.As(err, &issue) || issue.Rule != "length" || issue.Msg.Zh == "" {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("a character outside the set is an error naming its position", func(t *testing.T) {
		_, err := CreditCodeCheckChar("91350100M000100Ya")
		var issue CodeIssue
		if !errors.As(err, &issue) || issue.Rule != "charset" || issue.Pos != 17 {
			t.Errorf("err = %v", err)
		}
	})
}

func TestOrgCodeCheckChar(t *testing.T) {
	tests := []struct {
		body string
		want byte
	}{
		{"71526726", 'X'}, // Tencent, 10 → X
		{"19220382", '1'}, // Huawei
		{"10000004", '0'}, // 11 → 0
		{"10000018", 'X'},
		{"D2143569", 'X'},
		{"MA5U1A2B", '9'},
	}
	for _, tt := range tests {
		got, err := OrgCodeCheckChar(tt.body)
		if err != nil || got != tt.want {
			t.Errorf("OrgCodeCheckChar(%q) = %q, %v; want %q", tt.body, got, err, tt.want)
		}
	}
	for _, bad := range []string{"1234567", "123456789", "1234567a", "1234-567"} {
		if _, err := OrgCodeCheckChar(bad); err == nil {
			t.Errorf("OrgCodeCheckChar(%q) succeeded, want an error", bad)
		}
	}
}

func FuzzParseCreditCode(f *testing.F) {
	for _, s := range []string{
		"91350100M000100Y43", "9144030071526726XG", "915001091000002190", "91110000600037664H",
		"", " ", "９１３５０１００Ｍ０００１００Ｙ４３", "91500109中00000040U", "\xff\xfe", "B1500109100000040R",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := ParseCreditCode(s)
		if c.Input != s || c.Normalised != (c.Code != s) {
			t.Fatalf("Input/Normalised inconsistent: %+v", c)
		}
		n := len([]rune(c.Code))
		for _, i := range append(c.Errors, c.Warnings...) {
			if i.Pos < 0 || i.Pos > n || i.Rule == "" || i.Msg.Zh == "" || i.Msg.En == "" {
				t.Fatalf("bad issue %+v for %q", i, c.Code)
			}
		}
		if !c.Valid() {
			return
		}
		if len(c.Code) != 18 {
			t.Fatalf("valid code %q is not 18 bytes", c.Code)
		}
		want, err := CreditCodeCheckChar(c.Code[:17])
		if err != nil || want != c.Code[17] {
			t.Fatalf("valid code %q: check char recomputes as %c, %v", c.Code, want, err)
		}
		if c.Department.Zh == "" || c.Category.Zh == "" {
			t.Fatalf("valid code %q lacks department or category", c.Code)
		}
	})
}
