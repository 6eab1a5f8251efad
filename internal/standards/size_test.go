package standards

import (
	"fmt"
	"github.com/qinqing/qinqing/internal/money"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func ptr(v int64) *int64 { return &v }

// testLimit is a lower limit as written in the published table: persons for
// X, 万元 for Y and Z.
type testLimit struct {
	metric string // "X", "Y" or "Z"
	value  int64
}

// sizeTable restates 工信部联企业〔2011〕300号 / 统计上大中小微型企业划分办法（2017）
// independently of the implementation, with one sample code per row.
var sizeTable = []struct {
	row, code string
	tiers     [3][]testLimit // large, medium, small
}{
	{"agriculture", "A0111", [3][]testLimit{{{"Y", 20000}}, {{"Y", 500}}, {{"Y", 50}}}},
	{"industry", "C3670", [3][]testLimit{{{"X", 1000}, {"Y", 40000}}, {{"X", 300}, {"Y", 2000}}, {{"X", 20}, {"Y", 300}}}},
	{"construction", "E4710", [3][]testLimit{{{"Y", 80000}, {"Z", 80000}}, {{"Y", 6000}, {"Z", 5000}}, {{"Y", 300}, {"Z", 300}}}},
	{"wholesale", "F5111", [3][]testLimit{{{"X", 200}, {"Y", 40000}}, {{"X", 20}, {"Y", 5000}}, {{"X", 5}, {"Y", 1000}}}},
	{"retail", "F5211", [3][]testLimit{{{"X", 300}, {"Y", 20000}}, {{"X", 50}, {"Y", 500}}, {{"X", 10}, {"Y", 100}}}},
	{"transport", "G5411", [3][]testLimit{{{"X", 1000}, {"Y", 30000}}, {{"X", 300}, {"Y", 3000}}, {{"X", 20}, {"Y", 200}}}},
	{"warehousing", "G5920", [3][]testLimit{{{"X", 200}, {"Y", 30000}}, {{"X", 100}, {"Y", 1000}}, {{"X", 20}, {"Y", 100}}}},
	{"postal", "G6010", [3][]testLimit{{{"X", 1000}, {"Y", 30000}}, {{"X", 300}, {"Y", 2000}}, {{"X", 20}, {"Y", 100}}}},
	{"accommodation", "H6110", [3][]testLimit{{{"X", 300}, {"Y", 10000}}, {{"X", 100}, {"Y", 2000}}, {{"X", 10}, {"Y", 100}}}},
	{"catering", "H6210", [3][]testLimit{{{"X", 300}, {"Y", 10000}}, {{"X", 100}, {"Y", 2000}}, {{"X", 10}, {"Y", 100}}}},
	{"telecom", "I6311", [3][]testLimit{{{"X", 2000}, {"Y", 100000}}, {{"X", 100}, {"Y", 1000}}, {{"X", 10}, {"Y", 100}}}},
	{"software", "I6513", [3][]testLimit{{{"X", 300}, {"Y", 10000}}, {{"X", 100}, {"Y", 1000}}, {{"X", 10}, {"Y", 50}}}},
	{"real_estate_development", "K7010", [3][]testLimit{{{"Y", 200000}, {"Z", 10000}}, {{"Y", 1000}, {"Z", 5000}}, {{"Y", 100}, {"Z", 2000}}}},
	{"property_management", "K7020", [3][]testLimit{{{"X", 1000}, {"Y", 5000}}, {{"X", 300}, {"Y", 1000}}, {{"X", 100}, {"Y", 500}}}},
	{"leasing_business", "L7111", [3][]testLimit{{{"X", 300}, {"Z", 120000}}, {{"X", 100}, {"Z", 8000}}, {{"X", 10}, {"Z", 100}}}},
	{"other", "M7310", [3][]testLimit{{{"X", 300}}, {{"X", 100}}, {{"X", 10}}}},
}

var tierClasses = [4]SizeClass{SizeLarge, SizeMedium, SizeSmall, SizeMicro}

// inputAt builds an input with every limit of a tier met exactly; the limit
// named by lower (if any) is one unit (1 person or 1 fen) below instead.
func inputAt(code string, limits []testLimit, lower string) SizeInput {
	in := SizeInput{IndustryCode: code}
	for _, l := range limits {
		switch v := l.value; l.metric {
		case "X":
			if lower == "X" {
				v--
			}
			in.Employees = ptr(v)
		case "Y":
			f := v * 1_000_000
			if lower == "Y" {
				f--
			}
			in.RevenueFen = ptr(f)
		case "Z":
			f := v * 1_000_000
			if lower == "Z" {
				f--
			}
			in.AssetsFen = ptr(f)
		}
	}
	return in
}

var metricWords = map[string]string{"X": "employees", "Y": "revenue", "Z": "total assets"}

func TestClassifySizeAtEveryThreshold(t *testing.T) {
	for _, r := range sizeTable {
		for tier, limits := range r.tiers {
			class := tierClasses[tier]
			t.Run(fmt.Sprintf("%s (%s) meeting every %s limit exactly is %s", r.row, r.code, class, class), func(t *testing.T) {
				got := ClassifySize(inputAt(r.code, limits, ""))
				if got.Class != class || got.Row.ID != r.row {
					t.Errorf("got %s in row %q; basis: %s", got.Class, got.Row.ID, got.Basis)
				}
				if !strings.Contains(got.Basis.Zh, "300号") || !strings.Contains(got.Basis.Zh, "→ "+class.Name().Zh) {
					t.Errorf("basis lacks the source or the verdict: %s", got.Basis.Zh)
				}
			})
			for _, l := range limits {
				below := tierClasses[tier+1]
				unit := "1 fen"
				if l.metric == "X" {
					unit = "1 person"
				}
				t.Run(fmt.Sprintf("%s (%s) with %s %s below the %s limit is %s", r.row, r.code, metricWords[l.metric], unit, class, below), func(t *testing.T) {
					got := ClassifySize(inputAt(r.code, limits, l.metric))
					if got.Class != below {
						t.Errorf("got %s; basis: %s", got.Class, got.Basis)
					}
					if len(got.Missing) != 0 {
						t.Errorf("Missing = %v, want none", got.Missing)
					}
				})
			}
		}
	}
}

func TestClassifySizeMissingInputs(t *testing.T) {
	tests := []struct {
		name    string
		in      SizeInput
		class   SizeClass
		missing []string
		basisZh []string // substrings the Chinese basis must contain
	}{
		{
			name:  "industry with 350 employees and 25 million revenue is medium",
			in:    SizeInput{IndustryCode: "C3670", Employees: ptr(350), RevenueFen: ptr(2500 * 1_000_000)},
			class: SizeMedium,
			basisZh: []string{"工业：", "非大型（从业人员 350 人 < 1000 人，营业收入 2500 万元 < 40000 万元）",
				"从业人员 350 人 ≥ 300 人 且 营业收入 2500 万元 ≥ 2000 万元 → 中型"},
		},
		{
			name:    "industry with 350 employees and unknown revenue is unknown",
			in:      SizeInput{IndustryCode: "C3670", Employees: ptr(350)},
			class:   SizeUnknown,
			missing: []string{"revenue"},
			basisZh: []string{"营业收入未知（需 ≥ 2000 万元）", "无法划型"},
		},
		{
			name:    "industry with 5 employees and unknown revenue is micro because micro needs one condition",
			in:      SizeInput{IndustryCode: "C3670", Employees: ptr(5)},
			class:   SizeMicro,
			basisZh: []string{"从业人员 5 人 < 20 人", "微型只须满足所列指标中的一项", "营业收入未知，不影响结论", "工信部联企业〔2011〕300号"},
		},
		{
			name:    "industry with nothing known is unknown and needs both inputs",
			in:      SizeInput{IndustryCode: "C"},
			class:   SizeUnknown,
			missing: []string{"employees", "revenue"},
		},
		{
			name:    "industry with 2000 employees and unknown revenue could be large",
			in:      SizeInput{IndustryCode: "B0610", Employees: ptr(2000)},
			class:   SizeUnknown,
			missing: []string{"revenue"},
			basisZh: []string{"能否达到大型取决于缺失数据"},
		},
		{
			name:  "industry with tiny revenue and unknown employees is micro",
			in:    SizeInput{IndustryCode: "D4411", RevenueFen: ptr(100)},
			class: SizeMicro,
		},
		{
			name:    "agriculture with unknown revenue is unknown",
			in:      SizeInput{IndustryCode: "A", Employees: ptr(5000)},
			class:   SizeUnknown,
			missing: []string{"revenue"},
		},
		{
			name:    "construction with large revenue and unknown assets is unknown",
			in:      SizeInput{IndustryCode: "E", RevenueFen: ptr(90000 * 1_000_000)},
			class:   SizeUnknown,
			missing: []string{"assets"},
		},
		{
			name:    "other industries need only employees, so revenue alone is not enough",
			in:      SizeInput{IndustryCode: "M", RevenueFen: ptr(1)},
			class:   SizeUnknown,
			missing: []string{"employees"},
		},
		{
			name:  "other industries ignore missing revenue and assets",
			in:    SizeInput{IndustryCode: "R8710", Employees: ptr(150)},
			class: SizeMedium,
		},
		{
			name:  "leasing with enough employees but assets below the small limit is micro",
			in:    SizeInput{IndustryCode: "L", Employees: ptr(500), AssetsFen: ptr(99 * 1_000_000)},
			class: SizeMicro,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ClassifySize(tt.in)
			if got.Class != tt.class {
				t.Errorf("Class = %s, want %s; basis: %s", got.Class, tt.class, got.Basis)
			}
			if diff := cmp.Diff(tt.missing, got.Missing); diff != "" {
				t.Errorf("Missing (-want +got):\n%s", diff)
			}
			for _, s := range tt.basisZh {
				if !strings.Contains(got.Basis.Zh, s) {
					t.Errorf("basis %q lacks %q", got.Basis.Zh, s)
				}
			}
			if got.Basis.En == "" {
				t.Error("no English basis")
			}
		})
	}
}

func TestClassifySizeBadIndustry(t *testing.T) {
	tests := []struct {
		name, code, basisZh string
	}{
		{"an empty industry code is unknown", "", "未提供行业代码"},
		{"an industry code not in GB/T 4754-2017 is unknown", "9999", "不是 GB/T 4754-2017 中的有效代码"},
		{"a section spanning several rows is unknown", "G", "涵盖多个划型行业"},
		{"a division spanning several rows is unknown", "70", "涵盖多个划型行业"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ClassifySize(SizeInput{IndustryCode: tt.code, Employees: ptr(5), RevenueFen: ptr(1), AssetsFen: ptr(1)})
			if got.Class != SizeUnknown || got.Row.ID != "" || !strings.Contains(got.Basis.Zh, tt.basisZh) || got.Basis.En == "" {
				t.Errorf("got %+v", got)
			}
		})
	}
	t.Run("a negative input is unknown", func(t *testing.T) {
		got := ClassifySize(SizeInput{IndustryCode: "C3670", Employees: ptr(-1), RevenueFen: ptr(1)})
		if got.Class != SizeUnknown || !strings.Contains(got.Basis.Zh, "负数") {
			t.Errorf("got %+v", got)
		}
	})
}

func TestSizeRowFor(t *testing.T) {
	tests := []struct {
		code, want string
	}{
		{"A", "agriculture"}, {"B0610", "industry"}, {"C", "industry"}, {"D4411", "industry"},
		{"E", "construction"}, {"F51", "wholesale"}, {"F5211", "retail"},
		{"G53", "other"}, {"G5311", "other"}, {"G54", "transport"}, {"G5810", "transport"},
		{"G5910", "transport"}, // 装卸搬运 stays with 交通运输业 in the 2017 measures
		{"G592", "warehousing"}, {"G5990", "warehousing"}, {"G60", "postal"},
		{"H61", "accommodation"}, {"H62", "catering"}, {"I63", "telecom"}, {"I64", "telecom"}, {"I65", "software"},
		{"701", "real_estate_development"}, {"K7010", "real_estate_development"}, {"K7020", "property_management"},
		{"K7030", "other"}, {"K7040", "other"}, {"K7090", "other"}, {"L", "leasing_business"}, {"L72", "leasing_business"},
		{"J66", "other"}, {"M", "other"}, {"N", "other"}, {"O", "other"}, {"Q85", "other"}, {"R", "other"}, {"S", "other"}, {"T", "other"},
	}
	for _, tt := range tests {
		got, ok := SizeRowFor(tt.code)
		if !ok || got.ID != tt.want || got.Name.Zh == "" || got.Codes == "" {
			t.Errorf("SizeRowFor(%q) = %+v, %v; want row %q", tt.code, got, ok, tt.want)
		}
	}
	for _, code := range []string{"", "9999", "F", "G", "G59", "H", "I", "K", "70"} {
		if got, ok := SizeRowFor(code); ok {
			t.Errorf("SizeRowFor(%q) = %+v, want not found", code, got)
		}
	}
}

func TestSizeClassName(t *testing.T) {
	for c, want := range map[SizeClass]string{SizeLarge: "大型", SizeMedium: "中型", SizeSmall: "小型", SizeMicro: "微型", SizeUnknown: "无法划型"} {
		if got := c.Name().Zh; got != want {
			t.Errorf("%s.Name() = %q, want %q", c, got, want)
		}
	}
}

func TestMoneyFormatting(t *testing.T) {
	for fen, want := range map[int64][2]string{
		0:             {"0", "0"},
		2_500_000_000: {"2500", "25,000,000"},
		1_999_999_999: {"1999.999999", "19,999,999.99"},
		1_000_000:     {"1", "10,000"},
		150:           {"0.00015", "1.50"},
	} {
		if got := [2]string{money.FormatWanExact(fen), money.FormatYuanGrouped(fen)}; got != want {
			t.Errorf("format(%d) = %q, want %q", fen, got, want)
		}
	}
}

func TestSizeTableCoversEveryRow(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range sizeTable {
		seen[r.row] = true
		if row, ok := SizeRowFor(r.code); !ok || row.ID != r.row {
			t.Errorf("sample %s maps to %q, want %q", r.code, row.ID, r.row)
		}
	}
	for id, rule := range sizeRules {
		if !seen[id] {
			t.Errorf("row %q has no threshold tests", id)
		}
		if rule.row.ID != id {
			t.Errorf("row %q has ID %q", id, rule.row.ID)
		}
	}
}
