package seed_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"sync"
	"testing"
	"time"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/seed"
	"github.com/qinqing/qinqing/internal/standards"
)

const syntheticRows = 20_000

func synthesize(t testing.TB, d *db.DB, n int, s uint64) {
	t.Helper()
	last := 0
	err := seed.Synthetic(sys(), d, n, s, func(done, total int) {
		if total != n || done < last || done > total {
			t.Errorf("progress %d/%d after %d", done, total, last)
		}
		last = done
	})
	if err != nil {
		t.Fatal(err)
	}
	if last != n {
		t.Errorf("last progress %d, want %d", last, n)
	}
}

// tableHash hashes every row of a table in key order, reading values through
// Go types so that both engines hash alike.
func tableHash(t *testing.T, d *db.DB, query string, nInts, nStrs int) string {
	t.Helper()
	rows, err := d.QueryContext(context.Background(), query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	h := sha256.New()
	for rows.Next() {
		vals := make([]any, 0, nInts+nStrs+1)
		ints := make([]sql.NullInt64, nInts)
		strs := make([]sql.NullString, nStrs)
		var at time.Time
		for i := range ints {
			vals = append(vals, &ints[i])
		}
		for i := range strs {
			vals = append(vals, &strs[i])
		}
		vals = append(vals, &at)
		if err := rows.Scan(vals...); err != nil {
			t.Fatal(err)
		}
		writeRow(h, ints, strs, at)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func writeRow(h hash.Hash, ints []sql.NullInt64, strs []sql.NullString, at time.Time) {
	for _, v := range ints {
		fmt.Fprintf(h, "%v:%d|", v.Valid, v.Int64)
	}
	for _, v := range strs {
		fmt.Fprintf(h, "%v:%s|", v.Valid, v.String)
	}
	fmt.Fprintf(h, "%s\n", at.UTC().Format(time.RFC3339Nano))
}

// contentHash covers the enterprises, facts and tags tables. Booleans are
// read as 0/1 via CASE so that both engines agree.
func contentHash(t *testing.T, d *db.DB) string {
	t.Helper()
	b := func(col string) string {
		return "CASE WHEN " + col + " IS NULL THEN NULL WHEN " + col + " THEN 1 ELSE 0 END"
	}
	ent := tableHash(t, d, `SELECT id, registered_capital_fen, `+b("dishonest")+`, facts_year, `+b("above_scale")+`, version,
		credit_code, name, legal_rep, registered_on, region_code, address, industry_code, industry_section, ownership,
		contact_name, contact_phone, business_scope, tax_credit_grade, dishonest_note, size_class, created_at
		FROM enterprises ORDER BY id`, 6, 15)
	facts := tableHash(t, d, `SELECT enterprise_id, fiscal_year, employees, revenue_fen, assets_fen, taxable_income_fen,
		rd_expense_fen, tech_staff, exports_fen, `+b("verified")+`, source, updated_at FROM enterprise_facts ORDER BY enterprise_id, fiscal_year`, 10, 1)
	tags := tableHash(t, d, `SELECT enterprise_id, tag_code, valid_from, valid_to, certificate_no, created_at
		FROM enterprise_tags ORDER BY enterprise_id, tag_code`, 1, 4)
	return ent + facts + tags
}

func TestSynthetic(t *testing.T) {
	var mu sync.Mutex
	hashes := map[db.Dialect]string{}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := sys()
		synthesize(t, d, syntheticRows, 42)

		t.Run("writes the requested number of enterprises with facts and tags", func(t *testing.T) {
			if n := count(t, d, "SELECT count(*) FROM enterprises"); n != syntheticRows {
				t.Errorf("%d enterprises, want %d", n, syntheticRows)
			}
			if n := count(t, d, "SELECT count(*) FROM enterprise_facts"); n < syntheticRows*9/10 {
				t.Errorf("%d fact rows", n)
			}
			if n := count(t, d, "SELECT count(*) FROM enterprise_tags"); n < syntheticRows/10 {
				t.Errorf("%d tag rows", n)
			}
			if n := count(t, d, "SELECT count(*) FROM enterprise_facts WHERE fiscal_year <> 2025"); n != 0 {
				t.Errorf("%d fact rows not for 2025", n)
			}
		})

		t.Run("credit codes are valid and unique", func(t *testing.T) {
			if n := count(t, d, "SELECT count(DISTINCT credit_code) FROM enterprises"); n != syntheticRows {
				t.Errorf("%d distinct credit codes", n)
			}
			rows, err := d.QueryContext(ctx, "SELECT credit_code, region_code FROM enterprises")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			bad := 0
			for rows.Next() {
				var code, region string
				if err := rows.Scan(&code, &region); err != nil {
					t.Fatal(err)
				}
				cc := standards.ParseCreditCode(code)
				if (!cc.Valid() || len(cc.Warnings) > 0 || code[2:8] != region[:6]) && bad < 5 {
					bad++
					t.Errorf("credit code %s (region %s): %v %v", code, region, cc.Errors, cc.Warnings)
				}
			}
		})

		t.Run("regions span Chongqing and industries span the classification", func(t *testing.T) {
			if n := count(t, d, "SELECT count(DISTINCT substr(region_code, 1, 6)) FROM enterprises"); n != 38 {
				t.Errorf("enterprises in %d districts, want all 38", n)
			}
			if n := count(t, d, "SELECT count(DISTINCT region_code) FROM enterprises"); n < 900 {
				t.Errorf("enterprises in %d streets, want most of 1031", n)
			}
			if n := count(t, d, "SELECT count(DISTINCT industry_section) FROM enterprises"); n < 17 {
				t.Errorf("enterprises in %d sections", n)
			}
			manuf := count(t, d, "SELECT count(*) FROM enterprises WHERE industry_section = 'C'")
			trade := count(t, d, "SELECT count(*) FROM enterprises WHERE industry_section = 'F'")
			if manuf < syntheticRows/10 || trade < syntheticRows/5 {
				t.Errorf("%d manufacturers and %d traders of %d", manuf, trade, syntheticRows)
			}
		})

		t.Run("size filters agree with the size rules applied to the stored facts", func(t *testing.T) {
			// Classify every enterprise again from its stored facts.
			rows, err := d.QueryContext(ctx, `SELECT e.industry_code, f.employees, f.revenue_fen, f.assets_fen
				FROM enterprises e LEFT JOIN enterprise_facts f ON f.enterprise_id = e.id`)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]int{}
			for rows.Next() {
				var ind string
				var emp, rev, assets sql.NullInt64
				if err := rows.Scan(&ind, &emp, &rev, &assets); err != nil {
					t.Fatal(err)
				}
				p := func(v sql.NullInt64) *int64 {
					if !v.Valid {
						return nil
					}
					return &v.Int64
				}
				want[string(standards.ClassifySize(standards.SizeInput{IndustryCode: ind, Employees: p(emp), RevenueFen: p(rev), AssetsFen: p(assets)}).Class)]++
			}
			rows.Close()
			svc := enterprise.NewService(d)
			for _, size := range []string{"large", "medium", "small", "micro", "unknown"} {
				page, err := svc.List(ctx, enterprise.Filter{Size: size})
				if err != nil {
					t.Fatal(err)
				}
				if page.Total != min(want[size], enterprise.CountCap) || page.TotalCapped != (want[size] > enterprise.CountCap) {
					t.Errorf("List(size %s) = %d (capped %v), the rules give %d", size, page.Total, page.TotalCapped, want[size])
				}
				if want[size] == 0 {
					t.Errorf("no %s enterprise", size)
				}
			}
			if want["micro"] < syntheticRows/2 {
				t.Errorf("%d micro of %d: most firms should be micro", want["micro"], syntheticRows)
			}
		})

		t.Run("region, industry, tag and 规上 filters return the counts SQL gives", func(t *testing.T) {
			svc := enterprise.NewService(d)
			yes := true
			today := time.Now().In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly)
			for _, c := range []struct {
				f     enterprise.Filter
				query string
				args  []any
			}{
				{enterprise.Filter{Region: "500109"}, "SELECT count(*) FROM enterprises WHERE substr(region_code, 1, 6) = '500109'", nil},
				{enterprise.Filter{Region: "500112"}, "SELECT count(*) FROM enterprises WHERE substr(region_code, 1, 6) = '500112'", nil},
				{enterprise.Filter{Region: "500109", Size: "micro"}, "SELECT count(*) FROM enterprises WHERE substr(region_code, 1, 6) = '500109' AND size_class = 'micro'", nil},
				{enterprise.Filter{Industry: "36"}, "SELECT count(*) FROM enterprises WHERE substr(industry_code, 1, 2) = '36'", nil},
				{enterprise.Filter{Industry: "C", AboveScale: &yes}, `SELECT count(*) FROM enterprises e JOIN enterprise_facts f ON f.enterprise_id = e.id
					WHERE e.industry_section = 'C' AND f.revenue_fen >= 2000000000`, nil},
				{enterprise.Filter{Tag: "small_taxpayer"}, "SELECT count(*) FROM enterprise_tags WHERE tag_code = 'small_taxpayer'", nil},
				{enterprise.Filter{Tag: "high_tech"}, "SELECT count(*) FROM enterprise_tags WHERE tag_code = 'high_tech' AND valid_from <= ? AND valid_to >= ?", []any{today, today}},
			} {
				want := count(t, d, c.query, c.args...)
				page, err := svc.List(ctx, c.f)
				if err != nil {
					t.Fatal(err)
				}
				if page.Total != want || want == 0 {
					t.Errorf("List(%+v) = %d, SQL gives %d", c.f, page.Total, want)
				}
			}
		})

		t.Run("the same seed gives the same rows in another database", func(t *testing.T) {
			other := dbtest.Open(t, dbtest.URL(t, d.Dialect()))
			synthesize(t, other, syntheticRows, 42)
			h := contentHash(t, d)
			if got := contentHash(t, other); got != h {
				t.Error("two databases seeded alike differ")
			}
			mu.Lock()
			hashes[d.Dialect()] = h
			mu.Unlock()
		})

		t.Run("another seed gives other rows", func(t *testing.T) {
			other := dbtest.OpenSQLite(t)
			synthesize(t, other, 1000, 43)
			var a, b string
			q := "SELECT name FROM enterprises WHERE id = 1"
			d.QueryRowContext(ctx, q).Scan(&a)
			other.QueryRowContext(ctx, q).Scan(&b)
			if a == b {
				t.Errorf("seeds 42 and 43 both named enterprise 1 %q", a)
			}
		})

		t.Run("a second run continues the ids with fresh credit codes", func(t *testing.T) {
			synthesize(t, d, 1500, 42)
			if n := count(t, d, "SELECT count(DISTINCT credit_code) FROM enterprises"); n != syntheticRows+1500 {
				t.Errorf("%d distinct credit codes after a second run", n)
			}
			if n := count(t, d, "SELECT max(id) FROM enterprises"); n != syntheticRows+1500 {
				t.Errorf("max id %d", n)
			}
		})

		t.Run("one audit summary is written per run and the chain is intact", func(t *testing.T) {
			if n := count(t, d, "SELECT count(*) FROM audit_log WHERE action = 'seed.synthetic'"); n != 2 {
				t.Errorf("%d seed.synthetic audit records, want 2", n)
			}
			if n := count(t, d, "SELECT count(*) FROM audit_log WHERE action LIKE 'enterprise.%'"); n != 0 {
				t.Errorf("%d enterprise audit records", n)
			}
			rep, err := audit.Verify(ctx, d, nil)
			if err != nil || !rep.OK {
				t.Fatal(rep, err)
			}
		})
	})
	if len(hashes) == 2 && hashes[db.SQLite] != hashes[db.Postgres] {
		t.Error("SQLite and PostgreSQL hold different synthetic rows for the same seed")
	}
}

func TestSyntheticOnTopOfDemo(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		loadDemo(t, d)
		demo := count(t, d, "SELECT count(*) FROM enterprises")
		synthesize(t, d, 3000, 7)
		if n := count(t, d, "SELECT count(*) FROM enterprises"); n != demo+3000 {
			t.Errorf("%d enterprises, want %d", n, demo+3000)
		}
		rep, err := audit.Verify(sys(), d, nil)
		if err != nil || !rep.OK {
			t.Fatal(rep, err)
		}
	})
}

// beibeiCode builds a valid credit code for a Beibei firm from an 8-character body.
func beibeiCode(t *testing.T, body string) string {
	t.Helper()
	oc, err := standards.OrgCodeCheckChar(body)
	if err != nil {
		t.Fatal(err)
	}
	cc, err := standards.CreditCodeCheckChar("91500109" + body + string(oc))
	if err != nil {
		t.Fatal(err)
	}
	return "91500109" + body + string(oc) + string(cc)
}

func TestSyntheticLetsOtherWritersIn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		const n = 30_000
		ctx, cancel := context.WithTimeout(sys(), 2*time.Minute)
		defer cancel()
		svc := enterprise.NewService(d)
		var created int64
		err := seed.Synthetic(ctx, d, n, 5, func(done, total int) {
			if done == 0 || created != 0 {
				return
			}
			// A window clerk registers a firm while the load runs; on SQLite
			// this needs the single writer connection between transactions.
			e, _, err := svc.Create(ctx, enterprise.Input{
				CreditCode: enterprise.Some(beibeiCode(t, "MA5UX001")), Name: enterprise.Some("重庆北碚并发测试机械有限公司"),
				RegionCode: enterprise.Some("500109006"), IndustryCode: enterprise.Some("3670"),
			})
			if err != nil {
				t.Errorf("create during the load: %v", err)
				created = -1
				return
			}
			created = e.ID
		})
		if err != nil {
			t.Fatal(err)
		}
		if created <= n {
			t.Errorf("the firm created during the load got id %d, want one after the synthetic range 1–%d", created, n)
		}
		if got := count(t, d, "SELECT count(*) FROM enterprises"); got != n+1 {
			t.Errorf("%d enterprises, want %d", got, n+1)
		}
	})
}

func TestSyntheticStopsWhenCancelled(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx, cancel := context.WithCancel(sys())
		defer cancel()
		err := seed.Synthetic(ctx, d, 100_000, 1, func(done, total int) {
			if done > 0 {
				cancel()
			}
		})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		written := count(t, d, "SELECT count(*) FROM enterprises")
		if written == 0 || written >= 100_000 {
			t.Errorf("%d enterprises after cancelling, want the committed batches only", written)
		}
		var result string
		if err := d.QueryRowContext(context.Background(), "SELECT result FROM audit_log WHERE action = 'seed.synthetic'").Scan(&result); err != nil || result != audit.ResultFailed {
			t.Errorf("audit result %q (%v), want %q", result, err, audit.ResultFailed)
		}
	})
}

func TestSyntheticRefusesWithoutPermission(t *testing.T) {
	d := dbtest.OpenSQLite(t)
	ctx := identity.WithPrincipal(context.Background(), &identity.Principal{Username: "x", Role: identity.RoleWindowClerk})
	if err := seed.Synthetic(ctx, d, 10, 1, nil); !errors.Is(err, errs.ErrForbidden) {
		t.Errorf("err = %v, want ErrForbidden", err)
	}
}

// TestListCountsUpToTheCap fills more firms than the registry counts and
// checks that the list says "at least" and still pages on.
func TestListCountsUpToTheCap(t *testing.T) {
	d := dbtest.OpenSQLite(t)
	ctx := identity.WithPrincipal(context.Background(), identity.System("seed"))
	if err := seed.Synthetic(ctx, d, enterprise.CountCap+100, 7, func(int, int) {}); err != nil {
		t.Fatal(err)
	}
	svc := enterprise.NewService(d)
	page, err := svc.List(ctx, enterprise.Filter{PerPage: 100})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != enterprise.CountCap || !page.TotalCapped || !page.HasNext() {
		t.Errorf("first page: total %d capped %v next %v", page.Total, page.TotalCapped, page.HasNext())
	}
	last, _ := svc.List(ctx, enterprise.Filter{PerPage: 100, Page: 102})
	if len(last.Items) != 0 || last.HasNext() {
		t.Errorf("past the end: %d items, next %v", len(last.Items), last.HasNext())
	}
	small, _ := svc.List(ctx, enterprise.Filter{Region: "500109001", PerPage: 100})
	if small.TotalCapped || small.Total == 0 {
		t.Errorf("a street's firms: total %d capped %v", small.Total, small.TotalCapped)
	}
}
