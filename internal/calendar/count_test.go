package calendar

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAddWorkingDays(t *testing.T) {
	c := New(Options{})
	cases := []struct {
		name  string
		start string
		n     int
		want  string
	}{
		{"n = 0 returns the start itself", "2026-03-04", 0, "2026-03-04"},
		{"n = 0 returns the start itself even on a holiday", "2026-02-17", 0, "2026-02-17"},
		{"one working day after an ordinary Tuesday is the Wednesday", "2026-03-03", 1, "2026-03-04"},
		{"one working day after a Friday is the Monday", "2026-03-06", 1, "2026-03-09"},
		{"one working day after a Saturday is the Monday", "2026-03-07", 1, "2026-03-09"},
		{"twenty working days in a month without holidays take four weeks", "2026-03-02", 20,
			// Mar 3–6 (4), 9–13 (9), 16–20 (14), 23–27 (19), 30 (20)
			"2026-03-30"},

		// 2026 春节: off 2月15日–23日, make-up 2月14日(周六) and 2月28日(周六).
		{"one working day after the Friday before 春节 2026 is the make-up Saturday", "2026-02-13", 1, "2026-02-14"},
		{"five working days across 春节 2026 skip the whole break", "2026-02-12", 5,
			// Feb 13 (1), Sat 14 make-up (2), [15–23 off], 24 (3), 25 (4), 26 (5)
			"2026-02-26"},
		{"counting from a holiday (初一) starts after the break", "2026-02-17", 1, "2026-02-24"},
		{"three working days from a holiday", "2026-02-17", 3,
			// [18–23 off], Feb 24 (1), 25 (2), 26 (3)
			"2026-02-26"},
		{"counting from a make-up day does not count the make-up day", "2026-02-14", 1, "2026-02-24"},
		{"one working day after the make-up Saturday 2月28日 is the Monday", "2026-02-28", 1, "2026-03-02"},
		{"the make-up Saturday counts as a working day inside a count", "2026-02-27", 2,
			// Sat Feb 28 make-up (1), Mon Mar 2 (2)
			"2026-03-02"},
		{"twenty working days across 春节 2026", "2026-02-10", 20,
			// Feb 11 (1), 12 (2), 13 (3), Sat 14 (4), [15–23], 24 (5), 25 (6), 26 (7), 27 (8), Sat 28 (9),
			// Mar 2 (10), 3 (11), 4 (12), 5 (13), 6 (14), 9 (15), 10 (16), 11 (17), 12 (18), 13 (19), 16 (20)
			"2026-03-16"},

		// 2026 中秋节 9月25日–27日, 国庆节 10月1日–7日, make-up 9月20日(周日) and 10月10日(周六).
		{"five working days across 国庆 2026", "2026-09-29", 5,
			// Sep 30 (1), [Oct 1–7], Oct 8 (2), 9 (3), Sat 10 make-up (4), Mon 12 (5)
			"2026-10-12"},
		{"twenty working days across 中秋 and 国庆 2026", "2026-09-18", 20,
			// Sun Sep 20 make-up (1), 21 (2), 22 (3), 23 (4), 24 (5), [25–27], 28 (6), 29 (7), 30 (8), [Oct 1–7],
			// Oct 8 (9), 9 (10), Sat 10 (11), 12 (12), 13 (13), 14 (14), 15 (15), 16 (16), 19 (17), 20 (18), 21 (19), 22 (20)
			"2026-10-22"},

		// 元旦 at the year boundary: 2026年1月1日–3日 off, 1月4日(周日) make-up.
		{"one working day after 2025-12-31 is the make-up Sunday 2026-01-04", "2025-12-31", 1, "2026-01-04"},
		{"two working days after 2025-12-31 is Monday 2026-01-05", "2025-12-31", 2, "2026-01-05"},
		{"one working day after 2025-12-30 stays in 2025", "2025-12-30", 1, "2025-12-31"},
		{"a start in 2024 needs no 2024 schedule when only 2025 days are counted", "2024-12-31", 1,
			// 2025-01-01 元旦 (off), Jan 2 (1)
			"2025-01-02"},

		// 2025 春节: off 1月28日–2月4日, make-up 1月26日(周日) and 2月8日(周六).
		{"three working days across 春节 2025", "2025-01-24", 3,
			// Sun Jan 26 make-up (1), Mon 27 (2), [Jan 28 – Feb 4], Wed Feb 5 (3)
			"2025-02-05"},
		// 2025 国庆节、中秋节: off 10月1日–8日, make-up 9月28日(周日) and 10月11日(周六).
		{"seven working days across 国庆 2025", "2025-09-26", 7,
			// Sun Sep 28 (1), 29 (2), 30 (3), [Oct 1–8], Thu 9 (4), Fri 10 (5), Sat 11 make-up (6), Mon 13 (7)
			"2025-10-13"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := c.AddWorkingDays(day(t, tc.start), tc.n)
			want := Result{Date: day(t, tc.want)}
			if err != nil || !cmp.Equal(r, want) {
				t.Fatalf("AddWorkingDays(%s, %d) = %+v, %v; want %s", tc.start, tc.n, r, err, tc.want)
			}
			// The count back from the deadline is n again.
			if n, _, err := c.WorkingDaysBetween(day(t, tc.start), r.Date); err != nil || n != tc.n {
				t.Errorf("WorkingDaysBetween(%s, %s) = %d, %v; want %d", tc.start, tc.want, n, err, tc.n)
			}
		})
	}
}

func TestWorkingDaysBetween(t *testing.T) {
	c := New(Options{})
	cases := []struct {
		name     string
		from, to string
		want     int
	}{
		{"the same day has used no working day", "2026-03-04", "2026-03-04", 0},
		{"a to before from counts zero", "2026-03-10", "2026-03-02", 0},
		{"the start day is not counted and the end day is", "2026-03-02", "2026-03-03", 1},
		{"a week counts five", "2026-03-02", "2026-03-09", 5},
		{"the whole 春节 2026 break counts zero", "2026-02-14", "2026-02-23", 0},
		{"the make-up Saturday before 春节 2026 counts", "2026-02-13", "2026-02-23", 1},
		{"the year boundary counts the make-up Sunday", "2025-12-31", "2026-01-04", 1},
		{"the whole of 2026 counts 248 working days", "2025-12-31", "2026-12-31",
			// 365 = 52·7 + 1 days, the extra one a Thursday: 261 weekdays. Holidays
			// on weekdays: 元旦 Jan 1–2 (2), 春节 Feb 16–20, 23 (6), 清明 Apr 6 (1),
			// 劳动 May 1, 4, 5 (3), 端午 Jun 19 (1), 中秋 Sep 25 (1), 国庆 Oct 1, 2,
			// 5, 6, 7 (5): 19. Make-up days: 6. 261 − 19 + 6 = 248.
			248},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n, r, err := c.WorkingDaysBetween(day(t, tc.from), day(t, tc.to))
			if err != nil || n != tc.want || r.Fallback {
				t.Errorf("WorkingDaysBetween(%s, %s) = %d, %+v, %v; want %d", tc.from, tc.to, n, r, err, tc.want)
			}
		})
	}
}

// TestAddAndBetweenAreInverse checks, for many random starts and n, that
// WorkingDaysBetween(start, AddWorkingDays(start, n)) == n, that the day
// before the deadline has used n−1, that the deadline is a working day, and
// that both agree with the naive day-by-day walk, fallback years included.
func TestAddAndBetweenAreInverse(t *testing.T) {
	c := New(Options{FallbackWeekends: true})
	naive := newNaive(t, true)
	rng := rand.New(rand.NewPCG(20260101, 82))
	first := day(t, "2024-11-01").dayNumber()
	for i := 0; i < 3000; i++ {
		start := fromDayNumber(first + rng.IntN(800))
		n := rng.IntN(300)
		if i%10 == 0 {
			n = rng.IntN(MaxWorkingDays + 1)
		}
		r, err := c.AddWorkingDays(start, n)
		if err != nil {
			t.Fatalf("AddWorkingDays(%s, %d): %v", start, n, err)
		}
		want, fellBack, _, _ := naive.addPaused(start, n, nil)
		if r.Date != want || !cmp.Equal(r.FallbackYears, sortedOrNil(fellBack)) || r.Fallback != (len(fellBack) > 0) {
			t.Fatalf("AddWorkingDays(%s, %d) = %+v; the day-by-day walk gives %s, fallback %v", start, n, r, want, fellBack)
		}
		got, _, err := c.WorkingDaysBetween(start, r.Date)
		if err != nil || got != n {
			t.Fatalf("WorkingDaysBetween(%s, AddWorkingDays(%s, %d) = %s) = %d, %v", start, start, n, r.Date, got, err)
		}
		if n > 0 {
			if w, _, _ := c.IsWorkingDay(r.Date); !w {
				t.Fatalf("AddWorkingDays(%s, %d) = %s, not a working day", start, n, r.Date)
			}
			if got, _, _ := c.WorkingDaysBetween(start, r.Date.AddDays(-1)); got != n-1 {
				t.Fatalf("WorkingDaysBetween(%s, %s) = %d, want %d: the deadline is not the first day to reach n", start, r.Date.AddDays(-1), got, n-1)
			}
		}
		end := fromDayNumber(start.dayNumber() + rng.IntN(900) - 100)
		got, _, err = c.WorkingDaysBetween(start, end)
		if wantN, _ := naive.between(start, end, nil); err != nil || got != wantN {
			t.Fatalf("WorkingDaysBetween(%s, %s) = %d, %v; the walk counts %d", start, end, got, err, wantN)
		}
	}
}

func sortedOrNil(years []int) []int {
	if len(years) == 0 {
		return nil
	}
	return slices.Sorted(slices.Values(years))
}

func TestFallbackYearsBelongToOneCall(t *testing.T) {
	c := New(Options{FallbackWeekends: true})
	if _, err := c.AddWorkingDays(day(t, "2026-12-31"), 5); err != nil {
		t.Fatal(err)
	}
	r, err := c.AddWorkingDays(day(t, "2026-03-02"), 5)
	if err != nil || r.Fallback || r.FallbackYears != nil {
		t.Errorf("after a call that fell back, AddWorkingDays(2026-03-02, 5) = %+v, %v; want no fallback", r, err)
	}
}
