package calendar

import "testing"

// BenchmarkAddWorkingDays compares the cumulative-count tables with the
// naive day-by-day walk over a map, for a 20-working-day limit from starts
// spread over 2025 and 2026 (many of them crossing a holiday break).
func BenchmarkAddWorkingDays(b *testing.B) {
	c := New(Options{})
	naive := newNaive(b, false)
	var starts []Date
	for d := day(b, "2025-01-01"); d.Before(day(b, "2026-11-30")); d = d.AddDays(1) {
		starts = append(starts, d)
	}
	b.Run("tables", func(b *testing.B) {
		i := 0
		for b.Loop() {
			if _, err := c.AddWorkingDays(starts[i%len(starts)], 20); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("naive day-by-day", func(b *testing.B) {
		i := 0
		for b.Loop() {
			if _, _, ok, _ := naive.addPaused(starts[i%len(starts)], 20, nil); !ok {
				b.Fatal("no schedule")
			}
			i++
		}
	})
	b.Run("tables, parallel readers", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				if _, err := c.AddWorkingDays(starts[i%len(starts)], 20); err != nil {
					b.Error(err)
					return
				}
				i++
			}
		})
	})
}

// BenchmarkWorkingDaysAfterExcluding measures the "days used" of a case
// with two pauses, as a case list computes for every row.
func BenchmarkWorkingDaysAfterExcluding(b *testing.B) {
	c := New(Options{})
	from, to := day(b, "2026-02-02"), day(b, "2026-04-30")
	paused := []Span{{From: day(b, "2026-02-10"), To: day(b, "2026-02-26")}, {From: day(b, "2026-03-20")}}
	for b.Loop() {
		if _, _, err := c.WorkingDaysAfterExcluding(from, to, paused); err != nil {
			b.Fatal(err)
		}
	}
}
