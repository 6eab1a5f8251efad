package eligibility_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/eligibility"
	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/seed"
	"github.com/qinqing/qinqing/internal/standards"
)

// indexDates are the evaluation dates the index is checked at: around tag
// validity windows (高新技术企业 certificates from Q4, 科技型中小企业 in 2026),
// a 29 February, and a date before most firms existed.
var indexDates = []string{"2005-03-01", "2023-06-30", "2024-02-29", "2025-12-31", "2026-06-30", "2027-02-28"}

func sysCtx() context.Context {
	return identity.WithPrincipal(context.Background(), identity.System("test"))
}

// testCreditCode builds a valid GB 32100 code for a hand-made firm.
func testCreditCode(t testing.TB, n int) string {
	t.Helper()
	body := fmt.Sprintf("TX%06d", n)
	oc, err := standards.OrgCodeCheckChar(body)
	if err != nil {
		t.Fatal(err)
	}
	first17 := "91500109" + body + string(oc)
	cc, err := standards.CreditCodeCheckChar(first17)
	if err != nil {
		t.Fatal(err)
	}
	return first17 + string(cc)
}

func wan(n int64) enterprise.Maybe[int64] { return enterprise.Some(n * 1_000_000) }

// edgeFirms are hand-made profiles at the edges the synthetic data rarely
// reaches: missing registration date and facts, 29 February, zero revenue
// (ratios unknown), tags with windows around the test dates, 限额以上
// construction, a dishonest firm, thresholds of 小型微利 exactly.
func edgeFirms(t testing.TB) []enterprise.Input {
	base := func(n int, industry, region string) enterprise.Input {
		return enterprise.Input{
			CreditCode:   enterprise.Some(testCreditCode(t, n)),
			Name:         enterprise.Some(fmt.Sprintf("重庆缙云边界测试企业%d有限公司", n)),
			RegionCode:   enterprise.Some(region),
			IndustryCode: enterprise.Some(industry),
		}
	}
	var out []enterprise.Input
	// No registration date, no facts, no tags.
	out = append(out, base(1, "3670", "500109001"))
	// Registered on 29 February; exactly the 小型微利 thresholds.
	in := base(2, "3670", "500109002")
	in.RegisteredOn = enterprise.Some("2020-02-29")
	in.FiscalYear, in.Employees, in.AssetsFen, in.TaxableIncomeFen = 2025, enterprise.Some[int64](300), wan(5000), wan(300)
	in.RevenueFen = wan(4000)
	out = append(out, in)
	// One yuan over the taxable-income threshold; zero revenue → ratios unknown.
	in = base(3, "6513", "500109003")
	in.RegisteredOn = enterprise.Some("2024-02-29")
	in.FiscalYear, in.Employees, in.RevenueFen, in.TaxableIncomeFen = 2025, enterprise.Some[int64](12), enterprise.Some[int64](0), enterprise.Some[int64](300_000_100)
	in.RDExpenseFen, in.TechStaff = wan(10), enterprise.Some[int64](3)
	out = append(out, in)
	// Construction firm with the 限额以上 qualification from 2024-07-01 to 2026-06-30.
	in = base(4, "4710", "500109004")
	in.RegisteredOn = enterprise.Some("2010-05-20")
	in.FiscalYear, in.Employees, in.RevenueFen, in.AssetsFen = 2025, enterprise.Some[int64](80), wan(3000), wan(6000)
	in.Tags = enterprise.Some([]enterprise.TagInput{{Code: enterprise.TagQualifiedLimit, ValidFrom: "2024-07-01", ValidTo: "2026-06-30"}})
	out = append(out, in)
	// Real-estate developer with an open-ended qualification; 高企 expiring on a test date.
	in = base(5, "7010", "500109005")
	in.RegisteredOn = enterprise.Some("2001-01-01")
	in.FiscalYear, in.Employees, in.RevenueFen = 2025, enterprise.Some[int64](40), wan(20000)
	in.Tags = enterprise.Some([]enterprise.TagInput{{Code: enterprise.TagQualifiedLimit},
		{Code: "high_tech", ValidFrom: "2023-06-30", ValidTo: "2025-12-31"}})
	out = append(out, in)
	// Dishonest, grade D, high-tech with R&D ratio exactly 5 %, tech staff exactly 10 %.
	in = base(6, "3911", "500109006")
	in.RegisteredOn = enterprise.Some("2018-12-31")
	in.TaxCreditGrade, in.Dishonest = enterprise.Some("D"), enterprise.Some(true)
	in.FiscalYear, in.Employees, in.TechStaff = 2025, enterprise.Some[int64](200), enterprise.Some[int64](20)
	in.RevenueFen, in.RDExpenseFen, in.ExportsFen = wan(4000), wan(200), wan(400)
	in.Tags = enterprise.Some([]enterprise.TagInput{{Code: "high_tech", ValidFrom: "2024-12-01", ValidTo: "2027-11-30"},
		{Code: "tech_sme", ValidFrom: "2026-04-01", ValidTo: "2026-12-31"}, {Code: "specialized"}})
	out = append(out, in)
	// Facts without revenue (size decided by employees alone or not at all).
	in = base(7, "5191", "500109007")
	in.RegisteredOn = enterprise.Some("2026-06-30")
	in.FiscalYear, in.Employees = 2025, enterprise.Some[int64](5)
	out = append(out, in)
	// Another district, registered capital, ownership.
	in = base(8, "6311", "500112002")
	in.RegisteredOn, in.Ownership = enterprise.Some("1999-03-01"), enterprise.Some("joint_stock")
	in.RegisteredCapitalFen = wan(1000)
	in.FiscalYear, in.Employees, in.RevenueFen, in.AssetsFen = 2025, enterprise.Some[int64](1200), wan(900000), wan(500000)
	out = append(out, in)
	// 科技型中小企业 score exactly 60 (16 + 20 + 24), high-tech revenue exactly 60 %.
	in = base(9, "6513", "500109008")
	in.RegisteredOn = enterprise.Some("2021-03-15")
	in.FiscalYear, in.Employees, in.TechStaff = 2025, enterprise.Some[int64](100), enterprise.Some[int64](25)
	in.RevenueFen, in.RDExpenseFen, in.CostsFen, in.HighTechRevenueFen = wan(1000), wan(30), wan(1000), wan(600)
	in.IPClass1, in.IPClass2 = enterprise.Some[int64](0), enterprise.Some[int64](4)
	out = append(out, in)
	// A class I right without a class II count; R&D at the maximum over
	// sales without costs: both indicators decided with a fact missing.
	in = base(10, "7320", "500109009")
	in.RegisteredOn = enterprise.Some("2023-09-01")
	in.FiscalYear, in.Employees, in.TechStaff = 2025, enterprise.Some[int64](40), enterprise.Some[int64](3)
	in.RevenueFen, in.RDExpenseFen, in.IPClass1 = wan(500), wan(30), enterprise.Some[int64](1)
	out = append(out, in)
	return out
}

// populate fills d with synthetic firms, the edge firms, and an older fiscal
// year for some firms (the index must read the latest).
func populate(t *testing.T, d *db.DB, n int) *enterprise.Service {
	t.Helper()
	ctx := sysCtx()
	if err := seed.Synthetic(ctx, d, n, 20261127, nil); err != nil {
		t.Fatal(err)
	}
	es := enterprise.NewService(d)
	for _, in := range edgeFirms(t) {
		if _, _, err := es.Create(ctx, in); err != nil {
			t.Fatalf("create %s: %v", in.Name.V, err)
		}
	}
	page, err := es.List(ctx, enterprise.Filter{PerPage: 5})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range page.Items {
		if _, _, err := es.Update(ctx, e.ID, enterprise.Input{FiscalYear: 2023, Employees: enterprise.Some[int64](9999), RevenueFen: wan(1)}); err != nil {
			t.Fatal(err)
		}
	}
	return es
}

// allEnterprises reads every profile through the registry's own service,
// independently of the index's loader.
func allEnterprises(t *testing.T, es *enterprise.Service) []enterprise.Enterprise {
	t.Helper()
	var out []enterprise.Enterprise
	for p := 1; ; p++ {
		page, err := es.List(sysCtx(), enterprise.Filter{Page: p, PerPage: 100})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page.Items...)
		if !page.HasNext() {
			return out
		}
	}
}

func compileRule(t testing.TB, cat *eligibility.Catalogue, src string) *eligibility.Rule {
	t.Helper()
	r, err := eligibility.Parse(cat, []byte(src), "conditions")
	if err != nil {
		t.Fatalf("rule %s: %v", src, err)
	}
	return r
}

// handRules cover every operator on every type, every derived attribute,
// and nesting of not/any/all, with real policies' shapes among them.
var handRules = []string{
	`{}`,
	// 小型微利企业 (财政部 税务总局公告2023年第12号; 企业所得税法实施条例第九十二条).
	`{"all":[{"attr":"taxable_income","op":"le","value":3000000},{"attr":"employees","op":"le","value":300},
	  {"attr":"assets","op":"le","value":50000000},{"not":{"attr":"industry_code","op":"prefix","value":["16","70","66"]}}]}`,
	// 高新技术企业 R&D bands (国科发火〔2016〕32号 第十一条).
	`{"all":[{"attr":"tech_staff_ratio","op":"ge","value":10},{"attr":"age_years","op":"ge","value":1},{"any":[
	  {"all":[{"attr":"revenue","op":"le","value":50000000},{"attr":"rd_ratio","op":"ge","value":5}]},
	  {"all":[{"attr":"revenue","op":"gt","value":50000000},{"attr":"revenue","op":"le","value":200000000},{"attr":"rd_ratio","op":"ge","value":4}]},
	  {"all":[{"attr":"revenue","op":"gt","value":200000000},{"attr":"rd_ratio","op":"ge","value":3}]}]}]}`,
	`{"all":[{"attr":"tags","op":"has_any","value":["high_tech","tech_sme"]},{"attr":"dishonest","op":"eq","value":false},
	  {"attr":"tax_credit_grade","op":"in","value":["A","B"]}]}`,
	`{"all":[{"attr":"region_code","op":"prefix","value":"500109"},{"attr":"size","op":"in","value":["small","micro"]}]}`,
	`{"attr":"above_scale","op":"eq","value":true}`,
	`{"attr":"above_scale","op":"ne","value":true}`,
	`{"not":{"attr":"above_scale","op":"exists"}}`,
	`{"attr":"sme","op":"eq","value":true}`,
	`{"attr":"small_micro","op":"ne","value":false}`,
	`{"attr":"age_years","op":"between","value":[0,3]}`,
	`{"attr":"age_years","op":"lt","value":0}`,
	`{"attr":"age_years","op":"in","value":[1,2,5]}`,
	`{"attr":"age_years","op":"exists"}`,
	`{"attr":"registered_on","op":"le","value":"2020-02-29"}`,
	`{"attr":"registered_on","op":"between","value":["2015-01-01","2024-02-29"]}`,
	`{"attr":"registered_on","op":"ne","value":"2020-02-29"}`,
	`{"attr":"registered_on","op":"exists"}`,
	`{"attr":"rd_ratio","op":"gt","value":3}`,
	`{"attr":"export_ratio","op":"ge","value":10}`,
	`{"attr":"tech_staff_ratio","op":"eq","value":10}`,
	`{"attr":"employees","op":"not_in","value":[300,5]}`,
	`{"attr":"employees","op":"ne","value":300}`,
	`{"attr":"registered_capital","op":"ge","value":1000000}`,
	`{"attr":"fiscal_year","op":"eq","value":2025}`,
	`{"attr":"exports","op":"exists"}`,
	`{"attr":"credit_code","op":"prefix","value":"91500109TX"}`,
	`{"attr":"credit_code","op":"exists"}`,
	`{"attr":"industry_section","op":"in","value":["C","E","K"]}`,
	`{"attr":"industry_code","op":"eq","value":"3670"}`,
	`{"attr":"ownership","op":"not_in","value":["private","limited"]}`,
	`{"attr":"size","op":"ne","value":"micro"}`,
	`{"attr":"tags","op":"has","value":"qualified_limit"}`,
	`{"attr":"tags","op":"has_all","value":["high_tech","specialized"]}`,
	`{"attr":"tags","op":"exists"}`,
	`{"not":{"attr":"tags","op":"has_any","value":["startup","small_taxpayer"]}}`,
	`{"any":[{"attr":"dishonest","op":"eq","value":true},{"not":{"any":[{"attr":"revenue","op":"lt","value":1000000},
	  {"all":[{"attr":"size","op":"eq","value":"medium"},{"not":{"attr":"rd_expense","op":"exists"}}]}]}}]}`,
	`{"not":{"all":[{"attr":"taxable_income","op":"le","value":3000000},{"not":{"attr":"employees","op":"gt","value":300}}]}}`,
	// 科技型中小企业 score route and direct route (国科发政〔2022〕67号 第六、七条).
	`{"all":[{"attr":"employees","op":"le","value":500},{"any":[{"attr":"tags","op":"has_any","value":["high_tech","provincial_rd_center"]},
	  {"all":[{"attr":"tsme_score","op":"ge","value":60},{"attr":"tsme_staff_points","op":"gt","value":0}]}]}]}`,
	`{"attr":"tsme_rd_points","op":"in","value":[40,50]}`,
	`{"attr":"tsme_ip_points","op":"between","value":[12,24]}`,
	`{"all":[{"attr":"hightech_revenue_ratio","op":"ge","value":60},{"any":[{"attr":"ip_class1","op":"ge","value":1},{"attr":"ip_class2","op":"ge","value":1}]}]}`,
	`{"attr":"total_costs","op":"exists"}`,
}

// ruleGen draws random rules over the values the data actually holds, so
// that comparisons split the population rather than match all or nothing.
type ruleGen struct {
	r       *rand.Rand
	cat     *eligibility.Catalogue
	samples map[string][]eligibility.Value
}

func newRuleGen(seed uint64, cat *eligibility.Catalogue, profiles []*eligibility.Profile) *ruleGen {
	g := &ruleGen{r: rand.New(rand.NewPCG(seed, 1)), cat: cat, samples: map[string][]eligibility.Value{}}
	for _, p := range profiles {
		for _, name := range p.Known() {
			if len(g.samples[name]) < 400 {
				v, _ := p.Get(name)
				g.samples[name] = append(g.samples[name], v)
			}
		}
	}
	return g
}

func (g *ruleGen) node(depth int) eligibility.Node {
	k := g.r.IntN(10)
	switch {
	case depth < 3 && k < 2:
		return eligibility.Node{All: g.nodes(depth)}
	case depth < 3 && k < 4:
		return eligibility.Node{Any: g.nodes(depth)}
	case depth < 3 && k < 5:
		n := g.node(depth + 1)
		return eligibility.Node{Not: &n}
	}
	return g.leaf()
}

func (g *ruleGen) nodes(depth int) []eligibility.Node {
	out := make([]eligibility.Node, 1+g.r.IntN(3))
	for i := range out {
		out[i] = g.node(depth + 1)
	}
	return out
}

// sample returns an observed value of a in external units, sometimes nudged
// to sit just beside it.
func (g *ruleGen) sample(a *eligibility.Attribute) any {
	vals := g.samples[a.Name]
	switch a.Type {
	case eligibility.TypeNumber, eligibility.TypeMoney, eligibility.TypePercent:
		x := 0.0
		if len(vals) > 0 {
			x = vals[g.r.IntN(len(vals))].Num
		}
		if a.Type == eligibility.TypeMoney {
			x = float64(int64(x)) / 100
		}
		switch g.r.IntN(5) {
		case 0:
			x++
		case 1:
			x--
		}
		return x
	case eligibility.TypeBool:
		return g.r.IntN(2) == 0
	case eligibility.TypeDate:
		if len(vals) == 0 || g.r.IntN(5) == 0 {
			return indexDates[g.r.IntN(len(indexDates))]
		}
		return vals[g.r.IntN(len(vals))].Str
	case eligibility.TypeSet:
		tags := []string{"high_tech", "tech_sme", "specialized", "small_taxpayer", "startup", "qualified_limit", "integrity_alliance", "listed"}
		return tags[g.r.IntN(len(tags))]
	}
	if len(a.Options) > 0 {
		return a.Options[g.r.IntN(len(a.Options))].Code
	}
	if len(vals) == 0 {
		return "X"
	}
	return vals[g.r.IntN(len(vals))].Str
}

func (g *ruleGen) leaf() eligibility.Node {
	attrs := g.cat.Attributes()
	a := attrs[g.r.IntN(len(attrs))]
	ops := eligibility.Ops(a.Type)
	op := ops[g.r.IntN(len(ops))]
	var v any
	switch op {
	case eligibility.OpExists:
		return eligibility.Node{Attr: a.Name, Op: op}
	case eligibility.OpIn, eligibility.OpNotIn, eligibility.OpHasAny, eligibility.OpHasAll:
		list := make([]any, 1+g.r.IntN(3))
		for i := range list {
			list[i] = g.sample(a)
		}
		v = list
	case eligibility.OpBetween:
		lo, hi := g.sample(a), g.sample(a)
		if fmt.Sprint(lo) > fmt.Sprint(hi) && a.Type == eligibility.TypeDate ||
			a.Type != eligibility.TypeDate && lo.(float64) > hi.(float64) {
			lo, hi = hi, lo
		}
		v = []any{lo, hi}
	case eligibility.OpPrefix:
		s := g.sample(a).(string)
		if a.Name == "region_code" || a.Name == "industry_code" || a.Name == "credit_code" {
			if vals := g.samples[a.Name]; len(vals) > 0 {
				s = vals[g.r.IntN(len(vals))].Str
			}
		}
		v = s[:1+g.r.IntN(len(s))]
	default:
		v = g.sample(a)
	}
	raw, _ := json.Marshal(v)
	return eligibility.Node{Attr: a.Name, Op: op, Value: raw}
}

func (g *ruleGen) rule(t testing.TB) *eligibility.Rule {
	n := g.node(0)
	r, err := eligibility.Compile(g.cat, n, "conditions")
	if err != nil {
		raw, _ := json.Marshal(n)
		t.Fatalf("random rule %s does not compile: %v", raw, err)
	}
	return r
}

// wantMatch is the per-enterprise answer the index must equal.
func wantMatch(r *eligibility.Rule, ids []int64, profiles []*eligibility.Profile) eligibility.MatchSet {
	out := eligibility.MatchSet{Eligible: []int64{}, Ineligible: []int64{}, Unknown: []int64{}}
	for i, p := range profiles {
		switch r.Outcome(p) {
		case eligibility.Eligible:
			out.Eligible = append(out.Eligible, ids[i])
		case eligibility.Ineligible:
			out.Ineligible = append(out.Ineligible, ids[i])
		default:
			out.Unknown = append(out.Unknown, ids[i])
		}
	}
	return out
}

// checkIndex compares the index with per-enterprise evaluation of every
// hand-written rule and nRandom random ones at every test date, its
// profiles with FromEnterprise's, and its groupings with counts made from
// those profiles.
func checkIndex(t *testing.T, x *eligibility.Index, cat *eligibility.Catalogue, es *enterprise.Service, nRandom int, extra ...string) {
	t.Helper()
	firms := allEnterprises(t, es)
	if x.Len() != len(firms) {
		t.Fatalf("index holds %d enterprises, registry %d", x.Len(), len(firms))
	}
	ids := make([]int64, len(firms))
	for i, e := range firms {
		ids[i] = e.ID
	}
	var rules []*eligibility.Rule
	for _, src := range append(slices.Clone(handRules), extra...) {
		rules = append(rules, compileRule(t, cat, src))
	}
	gen := newRuleGen(uint64(len(firms)), cat, func() []*eligibility.Profile {
		var ps []*eligibility.Profile
		for i := range firms {
			ps = append(ps, eligibility.FromEnterprise(cat, &firms[i], "2026-06-30"))
		}
		return ps
	}())
	for range nRandom {
		rules = append(rules, gen.rule(t))
	}
	totals := map[string]int{}
	for _, date := range indexDates {
		profiles := make([]*eligibility.Profile, len(firms))
		for i := range firms {
			profiles[i] = eligibility.FromEnterprise(cat, &firms[i], date)
		}
		for i, p := range profiles {
			got, ok := x.Profile(ids[i], date)
			if !ok {
				t.Fatalf("Profile(%d, %s): not found", ids[i], date)
			}
			if want, got := profileValues(p), profileValues(got); !reflect.DeepEqual(want, got) {
				t.Fatalf("Profile(%d, %s) differs from FromEnterprise (-want +got):\n%s", ids[i], date, cmp.Diff(want, got))
			}
		}
		for _, r := range rules {
			want := wantMatch(r, ids, profiles)
			got := x.Match(r, date)
			if !slices.Equal(want.Eligible, got.Eligible) || !slices.Equal(want.Ineligible, got.Ineligible) || !slices.Equal(want.Unknown, got.Unknown) {
				raw, _ := json.Marshal(r.Tree())
				t.Fatalf("as of %s, rule %s: index differs from per-enterprise evaluation (-want +got):\n%s", date, raw, cmp.Diff(want, got))
			}
			totals["eligible"] += len(got.Eligible)
			totals["ineligible"] += len(got.Ineligible)
			totals["unknown"] += len(got.Unknown)
			if len(got.Eligible) > 0 && len(got.Eligible) < len(ids) {
				totals["split"]++
			}
		}
		// Groupings of the 小型微利 matches.
		r := rules[1]
		elig := x.Match(r, date).Eligible
		for _, key := range []string{eligibility.GroupStreet, eligibility.GroupDistrict, eligibility.GroupDivision, "size", "industry_section", "above_scale"} {
			want := map[string]int{}
			for i, p := range profiles {
				if _, ok := slices.BinarySearch(elig, ids[i]); ok {
					want[groupKey(p, key)]++
				}
			}
			if diff := cmp.Diff(want, x.GroupBy(elig, key, date)); diff != "" {
				t.Errorf("GroupBy(%s) as of %s (-want +got):\n%s", key, date, diff)
			}
		}
	}
	// The rules must split the population, or the comparison proves little.
	if totals["eligible"] == 0 || totals["ineligible"] == 0 || totals["unknown"] == 0 || totals["split"] < len(rules) {
		t.Errorf("rules do not exercise all outcomes: %v over %d rules × %d dates", totals, len(rules), len(indexDates))
	}
	t.Logf("%d enterprises, %d rules × %d dates: %v", len(ids), len(rules), len(indexDates), totals)
}

// profileValues flattens a profile for comparison.
func profileValues(p *eligibility.Profile) map[string]eligibility.Value {
	out := map[string]eligibility.Value{}
	for _, name := range p.Known() {
		v, _ := p.Get(name)
		out[name] = v
	}
	return out
}

func groupKey(p *eligibility.Profile, key string) string {
	cut := map[string]struct {
		attr string
		n    int
	}{eligibility.GroupStreet: {"region_code", 9}, eligibility.GroupDistrict: {"region_code", 6}, eligibility.GroupDivision: {"industry_code", 2}}
	attr, n := key, 0
	if c, ok := cut[key]; ok {
		attr, n = c.attr, c.n
	}
	v, ok := p.Get(attr)
	switch {
	case !ok:
		return ""
	case attr == "above_scale":
		return strconv.FormatBool(v.Bool)
	case n > 0 && len(v.Str) < n:
		return ""
	case n > 0:
		return v.Str[:n]
	}
	return v.Str
}

func TestIndexMatchesPerEnterpriseEvaluation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		es := populate(t, d, 3000)
		x := eligibility.NewIndex(eligibility.Default)
		var calls, last, lastTotal int
		if err := x.Load(sysCtx(), d, func(done, total int) { calls, last, lastTotal = calls+1, done, total }); err != nil {
			t.Fatal(err)
		}
		if last != x.Len() || lastTotal != x.Len() || calls < 1 {
			t.Errorf("progress ended at %d/%d after %d calls, index has %d", last, lastTotal, calls, x.Len())
		}
		checkIndex(t, x, eligibility.Default, es, 300)
		if per := x.Bytes() / x.Len(); per > 1024 {
			t.Errorf("index holds %d bytes per enterprise, want under 1 KiB", per)
		}
	})
}

// extendedCatalogue adds derived attributes that exercise the index's
// general paths: one reading the date and a fact (evaluated per
// enterprise), one reading the tags and a ratio (per validity interval).
func extendedCatalogue(t *testing.T) *eligibility.Catalogue {
	t.Helper()
	var attrs []*eligibility.Attribute
	for _, a := range eligibility.Default.Attributes() {
		c := *a
		attrs = append(attrs, &c)
	}
	attrs = append(attrs,
		&eligibility.Attribute{Name: "young_small", Type: eligibility.TypeBool, Label: eligibility.Default.Attributes()[0].Label,
			Expr: "age_years < 3 && employees < 50", Inputs: []string{"age_years", "employees"}},
		&eligibility.Attribute{Name: "certified_rd", Type: eligibility.TypeBool, Label: eligibility.Default.Attributes()[0].Label,
			Expr: `"high_tech" in tags && rd_ratio >= 3`, Inputs: []string{"tags", "rd_ratio"}},
		&eligibility.Attribute{Name: "age_months", Type: eligibility.TypeNumber, Label: eligibility.Default.Attributes()[0].Label,
			Expr: "years_between(registered_on, as_of) * 12", Inputs: []string{"registered_on"}},
	)
	cat, err := eligibility.NewCatalogue(attrs)
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

func TestIndexDerivedAttributesOfOtherCatalogues(t *testing.T) {
	d := dbtest.OpenSQLite(t)
	es := populate(t, d, 1500)
	cat := extendedCatalogue(t)
	x := eligibility.NewIndex(cat)
	if err := x.Load(sysCtx(), d, nil); err != nil {
		t.Fatal(err)
	}
	checkIndex(t, x, cat, es, 150,
		`{"attr":"young_small","op":"eq","value":true}`,
		`{"not":{"attr":"certified_rd","op":"eq","value":false}}`,
		`{"attr":"age_months","op":"between","value":[12,60]}`)
}

// tagsOf turns a profile's tags into the service's input.
func tagsOf(e enterprise.Enterprise) []enterprise.TagInput {
	var out []enterprise.TagInput
	for _, t := range e.Tags {
		out = append(out, enterprise.TagInput{Code: t.Code, ValidFrom: t.ValidFrom, ValidTo: t.ValidTo})
	}
	return out
}

func TestIndexFollowsChanges(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := sysCtx()
		es := populate(t, d, 800)
		x := eligibility.NewIndex(eligibility.Default)
		x.Attach(es, d)
		if err := x.Load(ctx, d, nil); err != nil {
			t.Fatal(err)
		}
		xwqy := compileRule(t, eligibility.Default, handRules[1])
		const date = "2026-06-30"
		firm, err := es.GetByCreditCode(ctx, testCreditCode(t, 2)) // exactly at the thresholds
		if err != nil {
			t.Fatal(err)
		}
		in := func(ids []int64) bool { _, ok := slices.BinarySearch(ids, firm.ID); return ok }

		t.Run("a change through the registry moves the firm between sets", func(t *testing.T) {
			if m := x.Match(xwqy, date); !in(m.Eligible) {
				t.Fatalf("firm %d at the thresholds is not eligible", firm.ID)
			}
			if _, _, err := es.Update(ctx, firm.ID, enterprise.Input{TaxableIncomeFen: enterprise.Some[int64](300_000_001)}); err != nil {
				t.Fatal(err)
			}
			if m := x.Match(xwqy, date); !in(m.Ineligible) {
				t.Errorf("one fen over the threshold, firm %d is not ineligible", firm.ID)
			}
			if _, _, err := es.Update(ctx, firm.ID, enterprise.Input{TaxableIncomeFen: enterprise.Null[int64]()}); err != nil {
				t.Fatal(err)
			}
			m := x.Match(xwqy, date)
			if !in(m.Unknown) {
				t.Errorf("without taxable income, firm %d is not unknown", firm.ID)
			}
			p, _ := x.Profile(firm.ID, date)
			if _, known := p.Get("taxable_income"); known {
				t.Error("the profile still has the removed taxable income")
			}
		})

		t.Run("a tag added with a validity window counts only inside it", func(t *testing.T) {
			rule := compileRule(t, eligibility.Default, `{"attr":"tags","op":"has","value":"little_giant"}`)
			tags := append(tagsOf(firm), enterprise.TagInput{Code: "little_giant", ValidFrom: "2026-07-01", ValidTo: "2029-06-30"})
			if _, _, err := es.Update(ctx, firm.ID, enterprise.Input{Tags: enterprise.Some(tags)}); err != nil {
				t.Fatal(err)
			}
			if !in(x.Match(rule, "2026-07-01").Eligible) || !in(x.Match(rule, "2026-06-30").Ineligible) || !in(x.Match(rule, "2029-07-01").Ineligible) {
				t.Error("the new tag does not count from its first to its last day only")
			}
		})

		t.Run("a removed enterprise leaves, and one inserted among others lands in order", func(t *testing.T) {
			ids := x.Match(xwqy, date)
			all := slices.Concat(ids.Eligible, ids.Ineligible, ids.Unknown)
			slices.Sort(all)
			victim := all[len(all)/2]
			// Keep the row to put it back under the same id afterwards.
			var cols = "id, credit_code, name, legal_rep, registered_on, region_code, address, industry_code, industry_section, ownership, registered_capital_fen, contact_name, contact_phone, business_scope, tax_credit_grade, dishonest, dishonest_note, facts_year, size_class, above_scale, created_at, updated_at, version"
			err := d.InTx(ctx, func(tx *db.Tx) error {
				if _, err := tx.ExecContext(ctx, "CREATE TEMPORARY TABLE kept AS SELECT "+cols+" FROM enterprises WHERE id = ?", victim); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, "CREATE TEMPORARY TABLE kept_facts AS SELECT * FROM enterprise_facts WHERE enterprise_id = ?", victim); err != nil {
					return err
				}
				_, err := tx.ExecContext(ctx, "DELETE FROM enterprises WHERE id = ?", victim)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			n := x.Len()
			if err := x.Update(ctx, d, victim); err != nil {
				t.Fatal(err)
			}
			if x.Len() != n-1 {
				t.Fatalf("after removing %d the index holds %d, want %d", victim, x.Len(), n-1)
			}
			if _, ok := x.Profile(victim, date); ok {
				t.Fatalf("removed enterprise %d still has a profile", victim)
			}
			err = d.InTx(ctx, func(tx *db.Tx) error {
				if _, err := tx.ExecContext(ctx, "INSERT INTO enterprises ("+cols+") SELECT "+cols+" FROM kept"); err != nil {
					return err
				}
				_, err := tx.ExecContext(ctx, "INSERT INTO enterprise_facts SELECT * FROM kept_facts")
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if err := x.Update(ctx, d, victim); err != nil {
				t.Fatal(err)
			}
			if x.Len() != n {
				t.Fatalf("after re-inserting %d the index holds %d, want %d", victim, x.Len(), n)
			}
			// Another firm edited after the shift must still be found at its row.
			if _, _, err := es.Update(ctx, all[len(all)/2+1], enterprise.Input{Employees: enterprise.Some[int64](301)}); err != nil {
				t.Fatal(err)
			}
			checkIndex(t, x, eligibility.Default, es, 60)
		})
	})
}

// TestIndexFollowsAnotherNode runs two nodes on one PostgreSQL database: a
// change made through the registry on the first reaches the index of the
// second within a second, also after the second lost its connection.
func TestIndexFollowsAnotherNode(t *testing.T) {
	url := dbtest.PostgresSchemaURL(t)
	d1, d2 := dbtest.Open(t, url), dbtest.Open(t, url)
	ctx := sysCtx()
	es := populate(t, d1, 300)
	x1, x2 := eligibility.NewIndex(eligibility.Default), eligibility.NewIndex(eligibility.Default)
	x1.Attach(es, d1)
	for _, x := range []*eligibility.Index{x1, x2} {
		if err := x.Load(ctx, d1, nil); err != nil {
			t.Fatal(err)
		}
	}
	fctx, stop := context.WithCancel(ctx)
	followed := make(chan error, 1)
	go func() { followed <- x2.Follow(fctx, d2) }()
	t.Cleanup(func() {
		stop()
		if err := <-followed; err != nil {
			t.Errorf("Follow returned %v", err)
		}
	})

	firm, err := es.GetByCreditCode(ctx, testCreditCode(t, 2))
	if err != nil {
		t.Fatal(err)
	}
	employeesOn := func(x *eligibility.Index) float64 {
		p, ok := x.Profile(firm.ID, "2026-06-30")
		if !ok {
			return -1
		}
		v, _ := p.Get("employees")
		return v.Num
	}
	// change sets the firm's employees and reports how long the second node
	// took to see them (or false after the timeout).
	change := func(n int64, timeout time.Duration) (time.Duration, bool) {
		start := time.Now()
		if _, _, err := es.Update(ctx, firm.ID, enterprise.Input{Employees: enterprise.Some(n)}); err != nil {
			t.Fatal(err)
		}
		if employeesOn(x1) != float64(n) {
			t.Fatalf("the first node's own index does not show %d employees", n)
		}
		for time.Since(start) < timeout {
			if employeesOn(x2) == float64(n) {
				return time.Since(start), true
			}
			time.Sleep(5 * time.Millisecond)
		}
		return timeout, false
	}
	// Follow starts listening asynchronously: wait until a change gets through.
	waitListening := func(base int64) {
		t.Helper()
		for i := int64(0); i < 100; i++ {
			if _, ok := change(base+i, 200*time.Millisecond); ok {
				return
			}
		}
		t.Fatal("the second node never heard of a change")
	}
	waitListening(1000)
	took, ok := change(42, time.Second)
	if !ok {
		t.Fatal("a change on the first node did not reach the second within a second")
	}
	t.Logf("change reached the other node in %v", took)
	size := compileRule(t, eligibility.Default, `{"attr":"size","op":"eq","value":"micro"}`)
	if diff := cmp.Diff(x1.Match(size, "2026-06-30"), x2.Match(size, "2026-06-30")); diff != "" {
		t.Errorf("the two nodes disagree (-first +second):\n%s", diff)
	}

	t.Run("after losing its connection the follower reconnects and catches up", func(t *testing.T) {
		admin, err := db.Open(ctx, dbtest.PostgresURL())
		if err != nil {
			t.Fatal(err)
		}
		defer admin.Close()
		var killed int
		if err := admin.QueryRowContext(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
			WHERE datname = current_database() AND query = ?`, `LISTEN "qinqing_enterprise.`+schemaOf(t, d2)+`"`).Scan(&killed); err != nil {
			t.Fatal(err)
		}
		if killed != 1 {
			t.Fatalf("terminated %d listening connections, want 1", killed)
		}
		// Changed while nobody listens: the reload after reconnecting must bring it.
		if _, _, err := es.Update(ctx, firm.ID, enterprise.Input{Employees: enterprise.Some[int64](77)}); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(10 * time.Second)
		for employeesOn(x2) != 77 && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if got := employeesOn(x2); got != 77 {
			t.Fatalf("after reconnecting the follower shows %v employees, want 77", got)
		}
		waitListening(2000)
	})
}

func schemaOf(t *testing.T, d *db.DB) string {
	var s string
	if err := d.QueryRowContext(context.Background(), "SELECT current_schema()").Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestIndexEdgeCases(t *testing.T) {
	d := dbtest.OpenSQLite(t)
	x := eligibility.NewIndex(eligibility.Default)
	if err := x.Load(sysCtx(), d, nil); err != nil {
		t.Fatal(err)
	}
	r := compileRule(t, eligibility.Default, handRules[1])
	if m := x.Match(r, "2026-06-30"); x.Len() != 0 || len(m.Eligible)+len(m.Ineligible)+len(m.Unknown) != 0 {
		t.Errorf("an empty index matched %+v", m)
	}
	populate(t, d, 50)
	if err := x.Load(sysCtx(), d, nil); err != nil {
		t.Fatal(err)
	}
	m := x.Match(r, "2026-02-30")
	if len(m.Unknown) != x.Len() || len(m.Eligible)+len(m.Ineligible) != 0 {
		t.Errorf("as of a date that does not exist: %d eligible, %d ineligible, %d unknown of %d",
			len(m.Eligible), len(m.Ineligible), len(m.Unknown), x.Len())
	}
	if _, ok := x.Profile(1, "not a date"); ok {
		t.Error("Profile accepted a date that is not one")
	}
	if _, ok := x.Profile(-5, "2026-06-30"); ok {
		t.Error("Profile found an enterprise that does not exist")
	}
	if g := x.GroupBy(nil, "employees", "2026-06-30"); g != nil {
		t.Errorf("GroupBy on a number gave %v, want nil", g)
	}
	if err := x.Follow(sysCtx(), d); err != nil {
		t.Errorf("Follow on SQLite: %v", err)
	}
}

// TestIndexConcurrentUse matches, groups and explains while the registry
// changes firms and the index reloads; run with -race.
func TestIndexConcurrentUse(t *testing.T) {
	d := dbtest.OpenSQLite(t)
	ctx := sysCtx()
	es := populate(t, d, 400)
	x := eligibility.NewIndex(eligibility.Default)
	x.Attach(es, d)
	if err := x.Load(ctx, d, nil); err != nil {
		t.Fatal(err)
	}
	rules := []*eligibility.Rule{compileRule(t, eligibility.Default, handRules[1]), compileRule(t, eligibility.Default, handRules[2]),
		compileRule(t, eligibility.Default, handRules[5])}
	firms := allEnterprises(t, es)
	stop := make(chan struct{})
	var readers sync.WaitGroup
	for g := range 4 {
		readers.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				date := indexDates[(g+i)%len(indexDates)]
				m := x.Match(rules[i%len(rules)], date)
				if n := len(m.Eligible) + len(m.Ineligible) + len(m.Unknown); n < len(firms)-1 || n > len(firms)+1 {
					t.Errorf("a match covered %d enterprises of %d", n, len(firms))
					return
				}
				x.GroupBy(m.Eligible, eligibility.GroupStreet, date)
				x.Profile(firms[i%len(firms)].ID, date)
			}
		})
	}
	for i := range 40 {
		e := firms[i*7%len(firms)]
		in := enterprise.Input{Employees: enterprise.Some(int64(10 + i)), Tags: enterprise.Some(append(tagsOf(e),
			enterprise.TagInput{Code: "little_giant", ValidFrom: "2024-01-01", ValidTo: "2026-12-31"}))}
		if _, _, err := es.Update(ctx, e.ID, in); err != nil {
			t.Fatal(err)
		}
		if i == 20 {
			if err := x.Load(ctx, d, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	close(stop)
	readers.Wait()
	checkIndex(t, x, eligibility.Default, es, 30)
}
