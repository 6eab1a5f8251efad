package eligibility_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/eligibility"
	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/seed"
)

// benchRule is a realistic policy rule with the PostgreSQL query a
// developer would write for its eligible firms ($1 is the evaluation date).
type benchRule struct {
	name, cond, sql string
}

// latestFacts joins each enterprise's latest fiscal year (facts_year is kept
// by the registry on every write).
const latestFacts = `FROM enterprises e JOIN enterprise_facts f ON f.enterprise_id = e.id AND f.fiscal_year = e.facts_year `

// tagValid selects the tags of e valid on $1; a rule adds its codes.
const tagValid = `SELECT 1 FROM enterprise_tags t WHERE t.enterprise_id = e.id
		  AND (t.valid_from IS NULL OR t.valid_from <= $1) AND (t.valid_to IS NULL OR t.valid_to >= $1)`

var benchRules = []benchRule{
	{
		// 小型微利企业: 年度应纳税所得额不超过300万元、从业人数不超过300人、资产总额
		// 不超过5000万元，从事国家非限制和禁止行业 (财政部 税务总局公告2023年第12号;
		// 企业所得税法实施条例第九十二条), as the demo policy has it.
		name: "xwqy",
		cond: `{"all":[{"attr":"taxable_income","op":"le","value":3000000},{"attr":"employees","op":"le","value":300},
		  {"attr":"assets","op":"le","value":50000000},{"not":{"attr":"tags","op":"has","value":"restricted_industry"}}]}`,
		sql: `SELECT e.id ` + latestFacts + `WHERE f.taxable_income_fen <= 300000000 AND f.employees <= 300
		  AND f.assets_fen <= 5000000000 AND NOT EXISTS (` + tagValid + ` AND t.tag_code = 'restricted_industry')
		  ORDER BY e.id`,
	},
	{
		// 科技型中小企业 (国科发政〔2022〕67号 第六、七条): scale limits, not restricted,
		// not dishonest, and a direct route or a score of 60 with tech staff
		// scoring. The query spells out the indicator bands; an unknown fact
		// leaves a score NULL, which no comparison passes (GREATEST would
		// skip a NULL, so the better R&D measure is taken only when both are
		// known or one is at the maximum).
		name: "kxzx",
		cond: `{"all":[{"attr":"employees","op":"le","value":500},{"attr":"revenue","op":"le","value":200000000},
		  {"attr":"assets","op":"le","value":200000000},{"not":{"attr":"tags","op":"has","value":"restricted_industry"}},
		  {"attr":"dishonest","op":"eq","value":false},{"any":[
		   {"attr":"tags","op":"has_any","value":["high_tech","national_sci_award","provincial_rd_center","standard_setter"]},
		   {"all":[{"attr":"tsme_score","op":"ge","value":60},{"attr":"tsme_staff_points","op":"gt","value":0}]}]}]}`,
		sql: `SELECT x.id FROM (SELECT e.id, e.dishonest, f.employees, f.revenue_fen, f.assets_fen, f.rd_expense_fen AS rd,
		    CASE WHEN f.employees IS NULL OR f.employees <= 0 OR f.tech_staff IS NULL THEN NULL
		      WHEN f.tech_staff * 100 >= 30 * f.employees THEN 20 WHEN f.tech_staff * 100 >= 25 * f.employees THEN 16
		      WHEN f.tech_staff * 100 >= 20 * f.employees THEN 12 WHEN f.tech_staff * 100 >= 15 * f.employees THEN 8
		      WHEN f.tech_staff * 100 >= 10 * f.employees THEN 4 ELSE 0 END AS staff,
		    CASE WHEN f.revenue_fen IS NULL THEN NULL WHEN f.revenue_fen <= 0 THEN 0
		      WHEN f.rd_expense_fen * 100 >= 6 * f.revenue_fen THEN 50 WHEN f.rd_expense_fen * 100 >= 5 * f.revenue_fen THEN 40
		      WHEN f.rd_expense_fen * 100 >= 4 * f.revenue_fen THEN 30 WHEN f.rd_expense_fen * 100 >= 3 * f.revenue_fen THEN 20
		      WHEN f.rd_expense_fen * 100 >= 2 * f.revenue_fen THEN 10 ELSE 0 END AS by_sales,
		    CASE WHEN f.costs_fen IS NULL THEN NULL WHEN f.costs_fen <= 0 THEN 0
		      WHEN f.rd_expense_fen * 100 >= 30 * f.costs_fen THEN 50 WHEN f.rd_expense_fen * 100 >= 25 * f.costs_fen THEN 40
		      WHEN f.rd_expense_fen * 100 >= 20 * f.costs_fen THEN 30 WHEN f.rd_expense_fen * 100 >= 15 * f.costs_fen THEN 20
		      WHEN f.rd_expense_fen * 100 >= 10 * f.costs_fen THEN 10 ELSE 0 END AS by_costs,
		    CASE WHEN f.ip_class1 >= 1 THEN 30 WHEN f.ip_class1 IS NULL OR f.ip_class2 IS NULL THEN NULL
		      WHEN f.ip_class2 >= 4 THEN 24 ELSE f.ip_class2 * 6 END AS ip
		  ` + latestFacts + `) x JOIN enterprises e ON e.id = x.id
		  WHERE x.employees <= 500 AND x.revenue_fen <= 20000000000 AND x.assets_fen <= 20000000000 AND NOT x.dishonest
		  AND NOT EXISTS (` + tagValid + ` AND t.tag_code = 'restricted_industry')
		  AND (EXISTS (` + tagValid + ` AND t.tag_code IN ('high_tech', 'national_sci_award', 'provincial_rd_center', 'standard_setter'))
		   OR (x.staff > 0 AND x.staff + x.ip + CASE WHEN x.rd IS NULL THEN NULL WHEN x.by_sales = 50 OR x.by_costs = 50 THEN 50
		     WHEN x.by_sales IS NULL OR x.by_costs IS NULL THEN NULL ELSE GREATEST(x.by_sales, x.by_costs) END >= 60))
		  ORDER BY x.id`,
	},
	{
		// 高新技术企业认定管理办法 (国科发火〔2016〕32号) 第十一条: registered a year
		// or more (一), tech staff ≥ 10 % (四), R&D ≥ 5/4/3 % of revenue by band (五).
		name: "gaoqi",
		cond: `{"all":[{"attr":"age_years","op":"ge","value":1},{"attr":"tech_staff_ratio","op":"ge","value":10},{"any":[
		  {"all":[{"attr":"revenue","op":"le","value":50000000},{"attr":"rd_ratio","op":"ge","value":5}]},
		  {"all":[{"attr":"revenue","op":"gt","value":50000000},{"attr":"revenue","op":"le","value":200000000},{"attr":"rd_ratio","op":"ge","value":4}]},
		  {"all":[{"attr":"revenue","op":"gt","value":200000000},{"attr":"rd_ratio","op":"ge","value":3}]}]}]}`,
		sql: `SELECT e.id ` + latestFacts + `WHERE e.registered_on::date + interval '1 year' <= $1::date
		  AND f.employees > 0 AND f.tech_staff * 100 >= 10 * f.employees AND f.revenue_fen > 0 AND (
		   (f.revenue_fen <= 5000000000 AND f.rd_expense_fen * 100 >= 5 * f.revenue_fen) OR
		   (f.revenue_fen > 5000000000 AND f.revenue_fen <= 20000000000 AND f.rd_expense_fen * 100 >= 4 * f.revenue_fen) OR
		   (f.revenue_fen > 20000000000 AND f.rd_expense_fen * 100 >= 3 * f.revenue_fen))
		  ORDER BY e.id`,
	},
	{
		// A tech-support policy: a valid 高新技术企业 or 科技型中小企业 recognition,
		// not on the dishonesty list, 纳税信用 A or B.
		name: "tags",
		cond: `{"all":[{"attr":"tags","op":"has_any","value":["high_tech","tech_sme"]},{"attr":"dishonest","op":"eq","value":false},
		  {"attr":"tax_credit_grade","op":"in","value":["A","B"]}]}`,
		sql: `SELECT e.id FROM enterprises e WHERE NOT e.dishonest AND e.tax_credit_grade IN ('A', 'B') AND EXISTS (
		  SELECT 1 FROM enterprise_tags t WHERE t.enterprise_id = e.id AND t.tag_code IN ('high_tech', 'tech_sme')
		  AND (t.valid_from IS NULL OR t.valid_from <= $1) AND (t.valid_to IS NULL OR t.valid_to >= $1)) ORDER BY e.id`,
	},
	{
		// A district policy: small and micro firms registered in Beibei (GB/T 2260 500109).
		name: "region-size",
		cond: `{"all":[{"attr":"region_code","op":"prefix","value":"500109"},{"attr":"size","op":"in","value":["small","micro"]}]}`,
		sql: `SELECT e.id FROM enterprises e WHERE $1::text IS NOT NULL AND e.region_code LIKE '500109%'
		  AND e.size_class IN ('small', 'micro') ORDER BY e.id`,
	},
}

// BenchmarkIndex answers "which enterprises meet this policy" for 100,000
// synthetic enterprises (1,000,000 with QINQING_BENCH_LARGE=1) on
// PostgreSQL, three ways in the same run, for four realistic rules:
//
//   - index:  Index.Match over the in-memory columns (all three outcomes);
//   - perrow: FromEnterprise + Rule.Outcome per enterprise, with every
//     enterprise already in memory (no SQL);
//   - sql:    a hand-written PostgreSQL query for the eligible ids.
//
// It also times Load, a first match on a new evaluation date (which
// computes the date-dependent columns), and measures the index's memory per
// enterprise (runtime.MemStats) beside prebuilt per-enterprise profiles.
// The three answers' eligible sets are checked to be the same. A summary
// table is printed at the end.
//
//	QINQING_TEST_POSTGRES=require go test -run '^$' -bench Index -benchtime 20x -timeout 30m ./internal/eligibility/
//	QINQING_BENCH_LARGE=1 QINQING_TEST_POSTGRES=require go test -run '^$' -bench Index -benchtime 5x -timeout 120m ./internal/eligibility/
func BenchmarkIndex(b *testing.B) {
	n := 100_000
	if os.Getenv("QINQING_BENCH_LARGE") == "1" {
		n = 1_000_000
	}
	ctx := sysCtx()
	d := dbtest.OpenPostgres(b)
	start := time.Now()
	if err := seed.Synthetic(ctx, d, n, 42, nil); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d enterprises in %v", n, time.Since(start).Round(time.Millisecond))
	const asOf = "2026-06-30"
	summary := &strings.Builder{}
	fmt.Fprintf(summary, "\neligibility index benchmark: %d enterprises, PostgreSQL, GOMAXPROCS=%d, as of %s\n", n, runtime.GOMAXPROCS(0), asOf)

	var x *eligibility.Index
	var heapPer float64
	b.Run(fmt.Sprintf("n=%d/load", n), func(b *testing.B) {
		for b.Loop() {
			x = nil
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			x = eligibility.NewIndex(eligibility.Default)
			if err := x.Load(ctx, d, nil); err != nil {
				b.Fatal(err)
			}
			runtime.GC()
			runtime.ReadMemStats(&after)
			heapPer = float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(n)
		}
		b.ReportMetric(heapPer, "heapB/enterprise")
		b.ReportMetric(float64(x.Bytes())/float64(n), "estB/enterprise")
		fmt.Fprintf(summary, "load: %v per Load; index heap %.0f B/enterprise (own estimate %.0f B)\n",
			(b.Elapsed() / time.Duration(b.N)).Round(time.Millisecond), heapPer, float64(x.Bytes())/float64(n))
	})
	if x == nil {
		b.Fatal("no index loaded")
	}

	firms := benchEnterprises(b, d)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	profiles := make([]*eligibility.Profile, len(firms))
	for i := range firms {
		profiles[i] = eligibility.FromEnterprise(eligibility.Default, &firms[i], asOf)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	fmt.Fprintf(summary, "prebuilt profiles (the alternative to the index's columns): %.0f B/enterprise\n",
		float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/float64(n))
	fmt.Fprintf(summary, "%-12s %9s %12s %12s %12s %12s %14s\n", "rule", "eligible", "index", "perrow", "outcome", "sql", "index new date")

	for _, br := range benchRules {
		rule := compileRule(b, eligibility.Default, br.cond)
		want := x.Match(rule, asOf).Eligible
		times := map[string]time.Duration{}
		timed := func(name string, fn func(b *testing.B) []int64) {
			b.Run(fmt.Sprintf("n=%d/%s/%s", n, br.name, name), func(b *testing.B) {
				var got []int64
				for b.Loop() {
					got = fn(b)
				}
				if !slices.Equal(got, want) {
					b.Errorf("%s/%s: %d eligible, the index has %d", br.name, name, len(got), len(want))
				}
				b.ReportMetric(float64(len(got)), "eligible")
				times[name] = b.Elapsed() / time.Duration(b.N)
			})
		}
		timed("index", func(b *testing.B) []int64 { return x.Match(rule, asOf).Eligible })
		timed("perrow", func(b *testing.B) []int64 {
			var out []int64
			for i := range firms {
				if rule.Outcome(eligibility.FromEnterprise(eligibility.Default, &firms[i], asOf)) == eligibility.Eligible {
					out = append(out, firms[i].ID)
				}
			}
			return out
		})
		timed("outcome", func(b *testing.B) []int64 {
			var out []int64
			for i, p := range profiles {
				if rule.Outcome(p) == eligibility.Eligible {
					out = append(out, firms[i].ID)
				}
			}
			return out
		})
		timed("sql", func(b *testing.B) []int64 { return benchQuery(b, d, br.sql, asOf) })
		day := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
		b.Run(fmt.Sprintf("n=%d/%s/index-new-date", n, br.name), func(b *testing.B) {
			for b.Loop() {
				day = day.AddDate(0, 0, 1) // a date not seen before: date columns are computed
				x.Match(rule, day.Format(time.DateOnly))
			}
			times["newdate"] = b.Elapsed() / time.Duration(b.N)
		})
		ms := func(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/1e6) }
		fmt.Fprintf(summary, "%-12s %9d %12s %12s %12s %12s %14s\n", br.name, len(want),
			ms(times["index"]), ms(times["perrow"]), ms(times["outcome"]), ms(times["sql"]), ms(times["newdate"]))
	}
	fmt.Print(summary.String())
}

// benchEnterprises reads every enterprise as the registry would give it
// (latest facts, all tags), for the per-enterprise baseline.
func benchEnterprises(b *testing.B, d *db.DB) []enterprise.Enterprise {
	b.Helper()
	ctx := context.Background()
	rows, err := d.QueryContext(ctx, `SELECT id, credit_code, COALESCE(registered_on, ''), region_code, industry_code,
		industry_section, ownership, registered_capital_fen, tax_credit_grade, dishonest FROM enterprises ORDER BY id`)
	if err != nil {
		b.Fatal(err)
	}
	var out []enterprise.Enterprise
	for rows.Next() {
		var e enterprise.Enterprise
		var capital sql.NullInt64
		if err := rows.Scan(&e.ID, &e.CreditCode, &e.RegisteredOn, &e.RegionCode, &e.IndustryCode, &e.IndustrySection,
			&e.Ownership, &capital, &e.TaxCreditGrade, &e.Dishonest); err != nil {
			b.Fatal(err)
		}
		e.RegisteredCapitalFen = ptr(capital)
		out = append(out, e)
	}
	rows.Close()
	at := func(id int64) *enterprise.Enterprise {
		i, ok := slices.BinarySearchFunc(out, id, func(e enterprise.Enterprise, id int64) int { return int(e.ID - id) })
		if !ok {
			b.Fatalf("enterprise %d not read", id)
		}
		return &out[i]
	}
	rows, err = d.QueryContext(ctx, `SELECT enterprise_id, fiscal_year, employees, revenue_fen, assets_fen, taxable_income_fen,
		rd_expense_fen, tech_staff, exports_fen, hightech_revenue_fen, costs_fen, ip_class1, ip_class2
		FROM enterprise_facts ORDER BY enterprise_id, fiscal_year DESC`)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var year int
		var v [11]sql.NullInt64
		if err := rows.Scan(&id, &year, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9], &v[10]); err != nil {
			b.Fatal(err)
		}
		if e := at(id); e.Facts.FiscalYear == 0 {
			e.Facts = enterprise.Facts{FiscalYear: year, Employees: ptr(v[0]), RevenueFen: ptr(v[1]), AssetsFen: ptr(v[2]),
				TaxableIncomeFen: ptr(v[3]), RDExpenseFen: ptr(v[4]), TechStaff: ptr(v[5]), ExportsFen: ptr(v[6]),
				HighTechRevenueFen: ptr(v[7]), CostsFen: ptr(v[8]), IPClass1: ptr(v[9]), IPClass2: ptr(v[10])}
		}
	}
	rows.Close()
	rows, err = d.QueryContext(ctx, `SELECT enterprise_id, tag_code, COALESCE(valid_from, ''), COALESCE(valid_to, '') FROM enterprise_tags`)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var t enterprise.Tag
		if err := rows.Scan(&id, &t.Code, &t.ValidFrom, &t.ValidTo); err != nil {
			b.Fatal(err)
		}
		e := at(id)
		e.Tags = append(e.Tags, t)
	}
	rows.Close()
	return out
}

func ptr(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	return &n.Int64
}

func benchQuery(b *testing.B, d *db.DB, query, asOf string) []int64 {
	rows, err := d.QueryContext(context.Background(), query, asOf)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			b.Fatal(err)
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	return out
}
