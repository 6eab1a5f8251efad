package calendar

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/qinqing/qinqing/internal/errs"
)

// spans builds pauses from "from..to" or "from.." (still open).
func spans(tb testing.TB, specs ...string) []Span {
	tb.Helper()
	var out []Span
	for _, s := range specs {
		from, to, _ := strings.Cut(s, "..")
		sp := Span{From: day(tb, from)}
		if to != "" {
			sp.To = day(tb, to)
		}
		out = append(out, sp)
	}
	return out
}

func TestAddWorkingDaysPaused(t *testing.T) {
	c := New(Options{})
	// Without pauses, 20 working days from Monday 2026-03-02 end on
	// 2026-03-30: Mar 3–6 (4), 9–13 (9), 16–20 (14), 23–27 (19), 30 (20).
	cases := []struct {
		name   string
		start  string
		n      int
		paused []string
		want   string
	}{
		{"without pauses the deadline is the plain one", "2026-03-02", 20, nil, "2026-03-30"},
		{"a 补正 of 3 working days in the middle moves the deadline by exactly 3 working days", "2026-03-02", 20,
			[]string{"2026-03-11..2026-03-13"},
			// Mar 3–6 (4), 9, 10 (6), [Wed 11 – Fri 13 stopped], 16–20 (11), 23–27 (16), 30 (17), 31 (18), Apr 1 (19), Apr 2 (20)
			"2026-04-02"},
		{"a pause over a weekend only moves nothing", "2026-03-02", 20, []string{"2026-03-07..2026-03-08"}, "2026-03-30"},
		{"a pause on the deadline day itself moves it by one", "2026-03-02", 20, []string{"2026-03-30..2026-03-30"}, "2026-03-31"},
		{"a pause that starts after the deadline changes nothing", "2026-03-02", 20, []string{"2026-03-31..2026-04-10"}, "2026-03-30"},
		{"a pause that ended before the clock started changes nothing", "2026-03-02", 20, []string{"2026-02-24..2026-03-02"}, "2026-03-30"},
		{"overlapping pauses take each working day out once", "2026-03-02", 20,
			[]string{"2026-03-10..2026-03-12", "2026-03-11..2026-03-16"},
			// stopped Mar 10–16 (Tue–Mon: 5 working days): Mar 3–6 (4), 9 (5), 17–20 (9), 23–27 (14),
			// 30 (15), 31 (16), Apr 1 (17), 2 (18), 3 (19), [Apr 4–6 清明], Apr 7 (20)
			"2026-04-07"},
		{"the order of the pauses does not matter", "2026-03-02", 20,
			[]string{"2026-03-11..2026-03-16", "2026-03-10..2026-03-12"}, "2026-04-07"},
		{"adjacent one-day pauses take out two working days", "2026-03-02", 20,
			[]string{"2026-03-10..2026-03-10", "2026-03-11..2026-03-11"},
			// Mar 3–6 (4), 9 (5), 12, 13 (7), 16–20 (12), 23–27 (17), 30 (18), 31 (19), Apr 1 (20)
			"2026-04-01"},
		{"a pause over 中秋 and 国庆 2026 moves the deadline only by the working days inside it", "2026-09-18", 20,
			[]string{"2026-09-29..2026-10-09"},
			// stopped Sep 29, 30, Oct 8, 9 (4 working days; the holidays between do not count twice):
			// Sun Sep 20 (1), 21–24 (5), 28 (6), Sat Oct 10 (7), 12–16 (12), 19–23 (17), 26 (18), 27 (19), 28 (20).
			// Without the pause: 2026-10-22, and Oct 23, 26, 27, 28 are the 4 working days after it.
			"2026-10-28"},
		{"a pause that spans the year boundary", "2025-12-29", 3,
			[]string{"2025-12-31..2026-01-05"},
			// Dec 30 (1), [Dec 31 – Jan 5 stopped: Dec 31, make-up Jan 4, Jan 5], Jan 6 (2), Jan 7 (3)
			"2026-01-07"},
		{"an open pause that starts after the deadline changes nothing", "2026-03-02", 20, []string{"2026-03-31.."}, "2026-03-30"},
		{"n = 0 is the start even with pauses", "2026-03-02", 0, []string{"2026-03-02.."}, "2026-03-02"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			paused := spans(t, tc.paused...)
			r, err := c.AddWorkingDaysPaused(day(t, tc.start), tc.n, paused)
			if err != nil || !cmp.Equal(r, Result{Date: day(t, tc.want)}) {
				t.Fatalf("AddWorkingDaysPaused(%s, %d, %v) = %+v, %v; want %s", tc.start, tc.n, tc.paused, r, err, tc.want)
			}
			if n, _, err := c.WorkingDaysAfterExcluding(day(t, tc.start), r.Date, paused); err != nil || n != tc.n {
				t.Errorf("WorkingDaysAfterExcluding up to the deadline = %d, %v; want %d", n, err, tc.n)
			}
		})
	}
	t.Run("the 3-day 补正 moves the deadline by exactly 3 working days", func(t *testing.T) {
		plain, _ := c.AddWorkingDays(day(t, "2026-03-02"), 20)
		paused, _ := c.AddWorkingDaysPaused(day(t, "2026-03-02"), 20, spans(t, "2026-03-11..2026-03-13"))
		if n, _, _ := c.WorkingDaysBetween(plain.Date, paused.Date); n != 3 {
			t.Errorf("the deadline moved %d working days, want 3", n)
		}
	})
	t.Run("an open pause before the deadline leaves it unfixed", func(t *testing.T) {
		_, err := c.AddWorkingDaysPaused(day(t, "2026-03-02"), 20, spans(t, "2026-03-16.."))
		if !errors.Is(err, ErrClockStopped) || !errors.Is(err, errs.ErrPrecondition) {
			t.Fatalf("err = %v, want ErrClockStopped", err)
		}
		var e *errs.Error
		if !errors.As(err, &e) || !strings.Contains(e.Msg.Zh, "2026-03-16") || !strings.Contains(e.Msg.En, "2026-03-16") {
			t.Errorf("err = %v, want a bilingual message naming 2026-03-16", err)
		}
	})
	t.Run("an open pause merged with an earlier closed one reports when the clock first stopped", func(t *testing.T) {
		_, err := c.AddWorkingDaysPaused(day(t, "2026-03-02"), 20, spans(t, "2026-03-10..2026-03-12", "2026-03-12.."))
		if !errors.Is(err, ErrClockStopped) || !strings.Contains(err.Error(), "2026-03-10") {
			t.Errorf("err = %v, want ErrClockStopped since 2026-03-10", err)
		}
	})
	t.Run("a pause that ends before it starts is a field error", func(t *testing.T) {
		_, err := c.AddWorkingDaysPaused(day(t, "2026-03-02"), 20, spans(t, "2026-03-02..2026-03-04", "2026-03-13..2026-03-11"))
		if _, ok := errs.FieldsOf(err)["paused[1].to"]; !ok || !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("err = %v, want a field error for paused[1].to", err)
		}
	})
}

func TestWorkingDaysAfterExcluding(t *testing.T) {
	c := New(Options{})
	// From Monday 2026-03-02 to Friday 2026-03-20 there are 14 working days:
	// Mar 3–6 (4), 9–13 (9), 16–20 (14).
	cases := []struct {
		name     string
		from, to string
		paused   []string
		want     int
	}{
		{"without pauses every working day counts", "2026-03-02", "2026-03-20", nil, 14},
		{"a closed 补正 takes out its working days", "2026-03-02", "2026-03-20", []string{"2026-03-11..2026-03-13"}, 11},
		{"both ends of a pause are stopped days", "2026-03-02", "2026-03-20", []string{"2026-03-11..2026-03-11"}, 13},
		{"an open pause stops the count from its first day", "2026-03-02", "2026-03-20", []string{"2026-03-16.."},
			// Mar 3–6 (4), 9–13 (9), then stopped
			9},
		{"an open pause that began today has used nothing today", "2026-03-02", "2026-03-16", []string{"2026-03-16.."}, 9},
		{"overlapping pauses take each working day out once", "2026-03-02", "2026-03-20",
			[]string{"2026-03-10..2026-03-12", "2026-03-11..2026-03-16"},
			// 14 − (Mar 10, 11, 12, 13, 16) = 9
			9},
		{"a pause entirely after to changes nothing", "2026-03-02", "2026-03-20", []string{"2026-03-23..2026-03-27"}, 14},
		{"a pause reaching past to is cut at to", "2026-03-02", "2026-03-20", []string{"2026-03-19..2026-03-25"}, 12},
		{"a pause over 春节 2026 takes out only working days", "2026-02-10", "2026-03-02",
			[]string{"2026-02-13..2026-02-25"},
			// Feb 11, 12 (2), [Feb 13, Sat 14, 24, 25 stopped], 26, 27, Sat 28, Mar 2 (6)
			6},
		{"to before from counts zero", "2026-03-20", "2026-03-02", []string{"2026-03-10.."}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n, r, err := c.WorkingDaysAfterExcluding(day(t, tc.from), day(t, tc.to), spans(t, tc.paused...))
			if err != nil || n != tc.want || r.Date != day(t, tc.to) || r.Fallback {
				t.Errorf("WorkingDaysAfterExcluding(%s, %s, %v) = %d, %+v, %v; want %d", tc.from, tc.to, tc.paused, n, r, err, tc.want)
			}
		})
	}
}

// TestPausedAgreesWithTheWalk compares the paused functions with the naive
// day-by-day walk for random limits and random, possibly overlapping or
// open, pauses.
func TestPausedAgreesWithTheWalk(t *testing.T) {
	c := New(Options{FallbackWeekends: true})
	naive := newNaive(t, true)
	rng := rand.New(rand.NewPCG(45, 82))
	first := day(t, "2025-01-01").dayNumber()
	for i := 0; i < 2000; i++ {
		start := fromDayNumber(first + rng.IntN(700))
		n := rng.IntN(60)
		var paused []Span
		for k := rng.IntN(4); k > 0; k-- {
			from := start.AddDays(rng.IntN(90) - 5)
			s := Span{From: from, To: from.AddDays(rng.IntN(20))}
			if rng.IntN(8) == 0 {
				s.To = Date{}
			}
			paused = append(paused, s)
		}
		want, _, _, stopped := naive.addPaused(start, n, paused)
		r, err := c.AddWorkingDaysPaused(start, n, paused)
		switch {
		case stopped:
			if !errors.Is(err, ErrClockStopped) {
				t.Fatalf("AddWorkingDaysPaused(%s, %d, %v) = %+v, %v; the walk meets an open pause", start, n, paused, r, err)
			}
			continue
		case err != nil || r.Date != want:
			t.Fatalf("AddWorkingDaysPaused(%s, %d, %v) = %+v, %v; the walk gives %s", start, n, paused, r, err, want)
		}
		if got, _, err := c.WorkingDaysAfterExcluding(start, r.Date, paused); err != nil || got != n {
			t.Fatalf("WorkingDaysAfterExcluding(%s, %s, %v) = %d, %v; want %d", start, r.Date, paused, got, err, n)
		}
		to := start.AddDays(rng.IntN(120))
		wantN, _ := naive.between(start, to, paused)
		if got, _, err := c.WorkingDaysAfterExcluding(start, to, paused); err != nil || got != wantN {
			t.Fatalf("WorkingDaysAfterExcluding(%s, %s, %v) = %d, %v; the walk counts %d", start, to, paused, got, err, wantN)
		}
	}
}
