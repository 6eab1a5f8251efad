package calendar

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// naiveCalendar is the obvious implementation: a map of the schedules'
// days, read straight from the data files, and a walk day by day. It is the
// oracle of the property tests and the baseline of the benchmark.
type naiveCalendar struct {
	offDay   map[Date]bool // true: holiday, false: make-up working day
	years    map[int]bool
	fallback bool
}

func newNaive(tb testing.TB, fallback bool) *naiveCalendar {
	tb.Helper()
	files, err := filepath.Glob("data/holiday-cn-*.json")
	if err != nil || len(files) == 0 {
		tb.Fatalf("no schedule files: %v", err)
	}
	n := &naiveCalendar{offDay: map[Date]bool{}, years: map[int]bool{}, fallback: fallback}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		var doc struct {
			Year int
			Days []struct {
				Date     string
				IsOffDay bool
			}
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			tb.Fatal(err)
		}
		n.years[doc.Year] = true
		for _, d := range doc.Days {
			n.offDay[day(tb, d.Date)] = d.IsOffDay
		}
	}
	return n
}

// working reports whether d is a working day; ok is false for a year
// without a schedule when there is no fallback.
func (n *naiveCalendar) working(d Date) (working, ok bool) {
	if !n.years[d.Year] && !n.fallback {
		return false, false
	}
	if off, listed := n.offDay[d]; listed {
		return !off, true
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday, true
}

func inside(d Date, paused []Span) (in, open bool) {
	for _, s := range paused {
		if !d.Before(s.From) && (s.Open() || !d.After(s.To)) {
			in, open = true, open || s.Open()
		}
	}
	return in, open
}

// addPaused walks from start until it has met k working days outside the
// spans. It returns the years without a schedule it passed, and stopped
// when an open span swallows the rest of the walk.
func (n *naiveCalendar) addPaused(start Date, k int, paused []Span) (d Date, fellBack []int, ok, stopped bool) {
	d = start
	for k > 0 {
		d = d.AddDays(1)
		w, ok := n.working(d)
		if !ok {
			return Date{}, nil, false, false
		}
		if !n.years[d.Year] && !slices.Contains(fellBack, d.Year) {
			fellBack = append(fellBack, d.Year)
		}
		in, open := inside(d, paused)
		if in && open {
			return Date{}, nil, true, true
		}
		if w && !in {
			k--
		}
	}
	return d, fellBack, true, false
}

// between counts working days in (from, to] outside the spans.
func (n *naiveCalendar) between(from, to Date, paused []Span) (count int, ok bool) {
	for d := from.AddDays(1); !d.After(to); d = d.AddDays(1) {
		w, ok := n.working(d)
		if !ok {
			return 0, false
		}
		if in, _ := inside(d, paused); w && !in {
			count++
		}
	}
	return count, true
}
