package seed

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/identity"
)

// BenchmarkSynthetic times 200,000 synthetic enterprises (or
// QINQING_SEED_BENCH_ROWS) per engine and writer, each iteration on a fresh
// database, and reports rows per second:
//
//	go test -run '^$' -bench Synthetic -benchtime 1x ./internal/seed/
func BenchmarkSynthetic(b *testing.B) {
	rows := 200_000
	if v := os.Getenv("QINQING_SEED_BENCH_ROWS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			b.Fatalf("QINQING_SEED_BENCH_ROWS=%q is not a positive number", v)
		}
		rows = n
	}
	ctx := identity.WithPrincipal(context.Background(), identity.System("seed"))
	for _, c := range []struct {
		name string
		open func(testing.TB) *db.DB
		kind writerKind
	}{
		{"sqlite/multirow", dbtest.OpenSQLite, writerSQL},
		{"postgres/multirow", dbtest.OpenPostgres, writerSQL},
		{"postgres/copy", dbtest.OpenPostgres, writerCopy},
	} {
		b.Run(c.name, func(b *testing.B) {
			var elapsed time.Duration
			for b.Loop() {
				b.StopTimer()
				d := c.open(b)
				b.StartTimer()
				start := time.Now()
				if err := synthetic(ctx, d, rows, 42, nil, c.kind); err != nil {
					b.Fatal(err)
				}
				elapsed += time.Since(start)
			}
			b.ReportMetric(float64(rows*b.N)/elapsed.Seconds(), "rows/s")
		})
	}
}

// BenchmarkGenerate times row generation alone (no database).
func BenchmarkGenerate(b *testing.B) {
	for b.Loop() {
		if _, err := genChunk(42, 0, chunkRows, 1); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(chunkRows*b.N)/b.Elapsed().Seconds(), "rows/s")
}
