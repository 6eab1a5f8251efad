package eligibility

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current explanations")

// explainCase is one profile evaluated against a golden rule.
type explainCase struct {
	Name    string         `json:"name"`
	AsOf    string         `json:"as_of"`
	Profile map[string]any `json:"profile"`
}

// goldenRule is a realistic rule with the profiles its explanation is
// checked on.
type goldenRule struct {
	file  string
	title string
	rule  string
	cases []explainCase
}

// goldenCheck is a Check as the API carries it, with the sentence in both
// languages.
type goldenCheck struct {
	Check
	Zh string `json:"zh"`
	En string `json:"en"`
}

type goldenResult struct {
	explainCase
	Outcome Outcome       `json:"outcome"`
	Missing []string      `json:"missing"`
	Checks  []goldenCheck `json:"checks"`
}

type goldenFile struct {
	Title   string          `json:"title"`
	Rule    json.RawMessage `json:"rule"`
	Results []goldenResult  `json:"results"`
}

var goldenRules = []goldenRule{
	{
		// 财政部 税务总局公告2023年第12号 第三条 with the definition of
		// 财税〔2019〕13号 第二条: 从事国家非限制和禁止行业，年度应纳税所得额不超过
		// 300万元、从业人数不超过300人、资产总额不超过5000万元. The restricted
		// and prohibited industries are listed by product in 《产业结构调整
		// 指导目录》, not by industry code; the exclusion of GB/T 4754-2017
		// 大类 16 (烟草制品业) stands here for such a list as an officer would
		// encode it.
		file:  "xwqy",
		title: "小型微利企业减免企业所得税",
		rule: `{"all":[
			{"attr":"taxable_income","op":"le","value":3000000},
			{"attr":"employees","op":"le","value":300},
			{"attr":"assets","op":"le","value":50000000},
			{"not":{"attr":"industry_code","op":"prefix","value":["16"]}}]}`,
		cases: []explainCase{
			{"应纳税所得额恰为300万元", "2026-06-30", map[string]any{"taxable_income": 3000000, "employees": 300, "assets": 50000000, "industry_code": "3670"}},
			{"应纳税所得额多1元", "2026-06-30", map[string]any{"taxable_income": 3000001, "employees": 300, "assets": 50000000, "industry_code": "3670"}},
			{"从业人数与资产总额未知", "2026-06-30", map[string]any{"taxable_income": 1234567.89, "industry_code": "3670"}},
			{"烟草制品业", "2026-06-30", map[string]any{"taxable_income": 800000, "employees": 50, "assets": 9000000, "industry_code": "1610"}},
		},
	},
	{
		// 《高新技术企业认定管理办法》(国科发火〔2016〕32号) 第十一条: (一) 注册成立
		// 一年以上; (四) 科技人员占职工总数不低于10%; (五) 研发费用占销售收入：
		// 5,000万元（含）以下不低于5%，5,000万元至2亿元（含）不低于4%，2亿元以上
		// 不低于3%.
		file:  "gxjs",
		title: "高新技术企业认定",
		rule: `{"all":[
			{"attr":"age_years","op":"ge","value":1},
			{"attr":"tech_staff_ratio","op":"ge","value":10},
			{"any":[
				{"all":[{"attr":"revenue","op":"le","value":50000000},{"attr":"rd_ratio","op":"ge","value":5}]},
				{"all":[{"attr":"revenue","op":"gt","value":50000000},{"attr":"revenue","op":"le","value":200000000},{"attr":"rd_ratio","op":"ge","value":4}]},
				{"all":[{"attr":"revenue","op":"gt","value":200000000},{"attr":"rd_ratio","op":"ge","value":3}]}]}]}`,
		cases: []explainCase{
			{"销售收入5000万元、研发费用恰为5%", "2026-06-30", map[string]any{"registered_on": "2024-03-01", "employees": 100, "tech_staff": 10, "revenue": 50000000, "rd_expense": 2500000}},
			{"研发费用比5%少100元", "2026-06-30", map[string]any{"registered_on": "2024-03-01", "employees": 100, "tech_staff": 10, "revenue": 50000000, "rd_expense": 2499900}},
			{"销售收入多1分钱，适用4%", "2026-06-30", map[string]any{"registered_on": "2024-03-01", "employees": 100, "tech_staff": 10, "revenue": 50000000.01, "rd_expense": 2000000.01}},
			{"成立不满一年", "2026-06-30", map[string]any{"registered_on": "2025-07-01", "employees": 100, "tech_staff": 12, "revenue": 300000000, "rd_expense": 9000000}},
			{"研发费用未知", "2026-06-30", map[string]any{"registered_on": "2020-02-29", "employees": 80, "tech_staff": 20, "revenue": 150000000}},
		},
	},
	{
		// 《科技型中小企业评价办法》(国科发政〔2022〕67号) 第六条（二）: 职工总数
		// 不超过500人、年销售收入不超过2亿元、资产总额不超过2亿元; 第七条（一）:
		// 持有有效期内高新技术企业资格证书的可直接确认. The score route of 第六条
		// （五）is assessed on application and has no attribute here.
		file:  "kjxzx",
		title: "科技型中小企业（直接确认）",
		rule: `{"all":[
			{"attr":"employees","op":"le","value":500},
			{"attr":"revenue","op":"le","value":200000000},
			{"attr":"assets","op":"le","value":200000000},
			{"attr":"dishonest","op":"eq","value":false},
			{"attr":"tags","op":"has","value":"high_tech"}]}`,
		cases: []explainCase{
			{"三项指标恰在上限且持有高企证书", "2026-06-30", map[string]any{"employees": 500, "revenue": 200000000, "assets": 200000000, "dishonest": false, "tags": []any{"high_tech", "specialized"}}},
			{"职工501人", "2026-06-30", map[string]any{"employees": 501, "revenue": 200000000, "assets": 200000000, "dishonest": false, "tags": []any{"high_tech"}}},
			{"没有高企证书", "2026-06-30", map[string]any{"employees": 120, "revenue": 30000000, "assets": 20000000, "dishonest": false, "tags": []any{}}},
			{"失信情况未知", "2026-06-30", map[string]any{"employees": 120, "revenue": 30000000, "assets": 20000000, "tags": []any{"high_tech"}}},
		},
	},
	{
		// Every operator, as a requirement and under “not”, to read the
		// sentences side by side.
		file:  "wording",
		title: "每个运算符的说明文字",
		rule: `{"any":[{"all":[
			{"attr":"employees","op":"eq","value":300},
			{"attr":"employees","op":"ne","value":300},
			{"attr":"employees","op":"lt","value":300},
			{"attr":"employees","op":"le","value":300},
			{"attr":"employees","op":"gt","value":300},
			{"attr":"employees","op":"ge","value":300},
			{"attr":"employees","op":"in","value":[100,200]},
			{"attr":"employees","op":"not_in","value":[100,200]},
			{"attr":"employees","op":"between","value":[20,300]},
			{"attr":"revenue","op":"between","value":[50000000.01,200000000]},
			{"attr":"taxable_income","op":"gt","value":12345.67},
			{"attr":"rd_ratio","op":"ge","value":5},
			{"attr":"registered_on","op":"lt","value":"2023-01-01"},
			{"attr":"registered_on","op":"le","value":"2023-01-01"},
			{"attr":"registered_on","op":"gt","value":"2023-01-01"},
			{"attr":"registered_on","op":"ge","value":"2023-01-01"},
			{"attr":"registered_on","op":"between","value":["2023-01-01","2023-12-31"]},
			{"attr":"industry_code","op":"prefix","value":["16","70"]},
			{"attr":"industry_code","op":"in","value":["3670","3660"]},
			{"attr":"size","op":"in","value":["small","micro"]},
			{"attr":"size","op":"eq","value":"medium"},
			{"attr":"dishonest","op":"eq","value":false},
			{"attr":"tags","op":"has","value":"high_tech"},
			{"attr":"tags","op":"has_any","value":["high_tech","tech_sme"]},
			{"attr":"tags","op":"has_all","value":["high_tech","tech_sme"]},
			{"attr":"assets","op":"exists"}]},
			{"not":{"any":[
			{"attr":"employees","op":"eq","value":300},
			{"attr":"employees","op":"lt","value":300},
			{"attr":"employees","op":"le","value":300},
			{"attr":"employees","op":"in","value":[100,200]},
			{"attr":"employees","op":"between","value":[20,300]},
			{"attr":"registered_on","op":"ge","value":"2023-01-01"},
			{"attr":"registered_on","op":"between","value":["2023-01-01","2023-12-31"]},
			{"attr":"industry_code","op":"prefix","value":"16"},
			{"attr":"dishonest","op":"eq","value":true},
			{"attr":"tags","op":"has","value":"high_tech"},
			{"attr":"tags","op":"has_any","value":["high_tech","tech_sme"]},
			{"attr":"tags","op":"has_all","value":["high_tech","tech_sme"]},
			{"attr":"assets","op":"exists"}]}}]}`,
		cases: []explainCase{
			{"一家北碚制造企业", "2026-06-30", map[string]any{"employees": 250, "revenue": 49999999.99, "taxable_income": 12345.67,
				"rd_expense": 2499999.99, "registered_on": "2023-01-01", "industry_code": "3670", "dishonest": false, "tags": []any{"tech_sme"}}},
		},
	},
}

// TestGoldenExplanations compares the explanation of realistic rules, in
// both languages, with testdata/*.golden; go test -update rewrites them.
func TestGoldenExplanations(t *testing.T) {
	for _, g := range goldenRules {
		t.Run(g.file, func(t *testing.T) {
			r := mustParse(t, g.rule)
			out := goldenFile{Title: g.title, Rule: json.RawMessage(mustJSON(r))}
			for _, c := range g.cases {
				res := evaluate(t, r, profileOf(t, c.AsOf, c.Profile))
				gr := goldenResult{explainCase: c, Outcome: res.Outcome, Missing: res.Missing, Checks: []goldenCheck{}}
				if gr.Missing == nil {
					gr.Missing = []string{}
				}
				for _, ch := range res.Checks {
					gr.Checks = append(gr.Checks, goldenCheck{Check: ch, Zh: ch.Text.Zh, En: ch.Text.En})
					checkSentence(t, ch)
				}
				out.Results = append(out.Results, gr)
			}
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(out); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", g.file+".golden")
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), buf.String()); diff != "" {
				t.Errorf("%s differs (-want +got; go test -update rewrites it):\n%s", path, diff)
			}
		})
	}
}

// checkSentence holds every explanation to what a reader needs: the label,
// the requirement, the actual value and a verdict that agrees with the
// result and the negation, in both languages.
func checkSentence(t *testing.T, c Check) {
	t.Helper()
	zh, en := c.Text.Zh, c.Text.En
	if !strings.HasPrefix(zh, c.Label.Zh+" 须") || !strings.HasPrefix(en, c.Label.En+" must ") {
		t.Errorf("%s: the sentence does not start with the label and a requirement: %q / %q", c.Path, zh, en)
	}
	wantZh, wantEn := "（待补充）", "(to be supplied)"
	switch {
	case c.Result == TruthUnknown:
	case (c.Result == Met) != c.Negated:
		wantZh, wantEn = "（符合）", "(satisfied)"
	default:
		wantZh, wantEn = "（不符合）", "(not satisfied)"
	}
	if !strings.HasSuffix(zh, wantZh) || !strings.HasSuffix(en, wantEn) {
		t.Errorf("%s: verdict should be %s: %q / %q", c.Path, wantZh, zh, en)
	}
	if !strings.Contains(zh, "；实际：") || !strings.Contains(en, "; actual: ") {
		t.Errorf("%s: no actual value: %q / %q", c.Path, zh, en)
	}
	for _, odd := range []string{"不得", "以此", "  ", "%!", "<nil>"} {
		if strings.Contains(zh, odd) || strings.Contains(en, odd) {
			t.Errorf("%s: %q in %q / %q", c.Path, odd, zh, en)
		}
	}
}

// TestSentencesForPeople pins the wording of a few sentences a firm reads.
func TestSentencesForPeople(t *testing.T) {
	p := profileOf(t, "2026-06-30", map[string]any{"industry_code": "3670", "taxable_income": 3000000.01,
		"revenue": 50000000, "rd_expense": 2499999.5, "tags": []any{"high_tech", "specialized"}, "employees": 12})
	for _, c := range []struct{ rule, zh, en string }{
		{`{"not":{"attr":"industry_code","op":"prefix","value":"16"}}`,
			"行业代码 须不以 16 开头；实际：3670（符合）", "Industry code must not start with 16; actual: 3670 (satisfied)"},
		{`{"not":{"attr":"industry_code","op":"prefix","value":["16","70"]}}`,
			"行业代码 须不以 16 或 70 开头；实际：3670（符合）", "Industry code must not start with 16 or 70; actual: 3670 (satisfied)"},
		{`{"attr":"taxable_income","op":"le","value":3000000}`,
			"年应纳税所得额 须不超过 300 万元；实际：300.000001 万元（不符合）", "Annual taxable income must be at most 3,000,000 yuan; actual: 3,000,000.01 yuan (not satisfied)"},
		{`{"attr":"rd_ratio","op":"ge","value":5}`,
			"研发费用占营业收入比例 须不低于 5%；实际：4.999999%（不符合）", "R&D expense as % of revenue must be at least 5%; actual: 4.999999% (not satisfied)"},
		{`{"attr":"tags","op":"has_all","value":["high_tech","tech_sme"]}`,
			"资质与认定 须同时持有 高新技术企业、科技型中小企业；实际：高新技术企业、专精特新中小企业（不符合）",
			"Qualifications and recognitions must include all of High and new technology enterprise and Technology-based SME; actual: High and new technology enterprise, Specialised and sophisticated SME (not satisfied)"},
		{`{"not":{"attr":"tags","op":"has","value":"restricted_industry"}}`,
			"资质与认定 须未持有 国家限制或禁止类行业；实际：高新技术企业、专精特新中小企业（符合）",
			"Qualifications and recognitions must not include Restricted or prohibited industry; actual: High and new technology enterprise, Specialised and sophisticated SME (satisfied)"},
		{`{"attr":"tags","op":"has","value":"custom_local_tag"}`, // an administrator's own tag has no built-in name
			"资质与认定 须持有 custom_local_tag；实际：高新技术企业、专精特新中小企业（不符合）",
			"Qualifications and recognitions must include custom_local_tag; actual: High and new technology enterprise, Specialised and sophisticated SME (not satisfied)"},
		{`{"attr":"size","op":"in","value":["small","micro"]}`,
			"企业规模 须为 小型、微型 之一；实际：微型（符合）", "Size class must be one of Small, Micro; actual: Micro (satisfied)"},
		{`{"attr":"assets","op":"le","value":50000000}`,
			"资产总额 须不超过 5000 万元；实际：未知（待补充）", "Total assets must be at most 50,000,000 yuan; actual: unknown (to be supplied)"},
		{`{"attr":"employees","op":"between","value":[20,300]}`,
			"从业人数 须在 20 人 至 300 人 之间（含两端）；实际：12 人（不符合）", "Employees must be between 20 persons and 300 persons inclusive; actual: 12 persons (not satisfied)"},
		{`{"not":{"attr":"employees","op":"between","value":[20,300]}}`,
			"从业人数 须低于 20 人 或超过 300 人；实际：12 人（符合）", "Employees must be less than 20 persons or more than 300 persons; actual: 12 persons (satisfied)"},
	} {
		res := mustParse(t, c.rule).Evaluate(p)
		if got := res.Checks[0].Text; got.Zh != c.zh || got.En != c.en {
			t.Errorf("%s:\n got %q\n     %q\nwant %q\n     %q", c.rule, got.Zh, got.En, c.zh, c.en)
		}
	}
}
