package stats

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/qinqing/qinqing/internal/calendar"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/identity"
)

// benchEnd is the synthetic history's "today".
var benchEnd = calendar.Date{Year: 2026, Month: time.November, Day: 27}

// benchPeriods are the reports a visitor asks for: a whole year, one month
// (the chart page's granularity), one department's year (SCJGJ is the
// busiest), and everything (what the page falls back to on a bad period).
var benchPeriods = []struct {
	name string
	p    Period
}{
	{"year", Period{From: "2025-01", To: "2025-12"}},
	{"month", Period{From: "2026-10", To: "2026-10"}},
	{"department", Period{From: "2025-01", To: "2025-12", Department: "SCJGJ"}},
	{"all", Period{}},
}

// BenchmarkGovernmentServices fills a database with a synthetic history of
// case rows over 36 months (100,000 rows; with QINQING_BENCH_LARGE=1 also
// 1,000,000) on SQLite and PostgreSQL, and times the indicator report for
// each of benchPeriods with the original full scan (baselineGovernmentServices)
// and with the current code, after checking that both give the same report:
//
//	go test -run '^$' -bench GovernmentServices -benchtime 10x ./internal/stats/
//	QINQING_BENCH_DROP_INDEXES=cases_accepted_facts,cases_decided_facts go test -run '^$' -bench GovernmentServices -benchtime 10x ./internal/stats/
//	QINQING_BENCH_LARGE=1 go test -run '^$' -bench GovernmentServices -benchtime 5x -timeout 2h ./internal/stats/
func BenchmarkGovernmentServices(b *testing.B) {
	sizes := []int{100_000}
	if os.Getenv("QINQING_BENCH_LARGE") == "1" {
		sizes = append(sizes, 1_000_000)
	}
	ctx := identity.WithPrincipal(context.Background(), identity.System("bench"))
	for _, engine := range []struct {
		name string
		open func(testing.TB) *db.DB
	}{{"sqlite", dbtest.OpenSQLite}, {"postgres", dbtest.OpenPostgres}} {
		for _, n := range sizes {
			b.Run(fmt.Sprintf("%s/%dk", engine.name, n/1000), func(b *testing.B) {
				d := engine.open(b)
				cal := calendar.New(calendar.Options{FallbackWeekends: true})
				start := time.Now()
				rows := fillHistory(b, d, cal, history{rows: n, months: 36, end: benchEnd, seed: 1})
				b.Logf("%s: %d case rows written in %s", engine.name, rows, time.Since(start).Round(time.Second))
				dropIndexes(b, d)
				s := New(d, cal)
				for _, q := range benchPeriods {
					old, err := s.baselineGovernmentServices(ctx, q.p)
					if err != nil {
						b.Fatal(err)
					}
					cur, err := s.GovernmentServices(ctx, q.p)
					if err != nil {
						b.Fatal(err)
					}
					if !reflect.DeepEqual(old, cur) {
						b.Fatalf("%s: the reports differ", q.name)
					}
					for _, impl := range []struct {
						name string
						fn   func(context.Context, Period) (Report, error)
					}{{"fullscan", s.baselineGovernmentServices}, {"filtered", s.GovernmentServices}} {
						b.Run(q.name+"/"+impl.name, func(b *testing.B) {
							for b.Loop() {
								if _, err := impl.fn(ctx, q.p); err != nil {
									b.Fatal(err)
								}
							}
						})
					}
				}
			})
		}
	}
}

// dropIndexes drops the indexes named in QINQING_BENCH_DROP_INDEXES
// (comma-separated) and refreshes the planner statistics, so a run can
// show what an index of migration 0007 is worth.
func dropIndexes(b *testing.B, d *db.DB) {
	b.Helper()
	names := os.Getenv("QINQING_BENCH_DROP_INDEXES")
	if names == "" {
		return
	}
	ctx := context.Background()
	for _, name := range strings.Split(names, ",") {
		if _, err := d.Writer().ExecContext(ctx, "DROP INDEX "+strings.TrimSpace(name)); err != nil {
			b.Fatal(err)
		}
	}
	if err := d.Analyze(ctx); err != nil {
		b.Fatal(err)
	}
	if d.Dialect() == db.Postgres {
		if _, err := d.Writer().ExecContext(ctx, "VACUUM ANALYZE cases, case_pauses, ratings, rectifications"); err != nil {
			b.Fatal(err)
		}
	}
}
