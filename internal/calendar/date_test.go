package calendar

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/qinqing/qinqing/internal/errs"
)

// day parses a YYYY-MM-DD literal in tests.
func day(tb testing.TB, s string) Date {
	tb.Helper()
	d, err := ParseDate(s)
	if err != nil {
		tb.Fatalf("ParseDate(%q): %v", s, err)
	}
	return d
}

func TestParseDate(t *testing.T) {
	good := []struct {
		name, in string
		want     Date
	}{
		{"an ordinary date parses", "2026-03-09", Date{2026, time.March, 9}},
		{"29 February of a leap year parses", "2028-02-29", Date{2028, time.February, 29}},
		{"the last day of year 9999 parses", "9999-12-31", Date{9999, time.December, 31}},
	}
	for _, tc := range good {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseDate(tc.in)
			if err != nil || got != tc.want {
				t.Fatalf("ParseDate(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
			}
			if got.String() != tc.in {
				t.Errorf("String() = %q, want %q", got.String(), tc.in)
			}
		})
	}
	bad := []struct{ name, in string }{
		{"an empty string is refused", ""},
		{"a date without leading zeros is refused", "2026-3-9"},
		{"a slash-separated date is refused", "2026/03/09"},
		{"a date with a time is refused", "2026-03-09T00:00:00Z"},
		{"30 February is refused", "2026-02-30"},
		{"29 February of a common year is refused", "2026-02-29"},
		{"month 13 is refused", "2026-13-01"},
		{"day zero is refused", "2026-01-00"},
		{"year zero is refused", "0000-01-01"},
		{"a signed number is refused", "+026-01-01"},
		{"surrounding spaces are refused", " 2026-03-09"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseDate(tc.in)
			if !errors.Is(err, errs.ErrInvalid) {
				t.Fatalf("ParseDate(%q) error = %v, want ErrInvalid", tc.in, err)
			}
			var e *errs.Error
			if !errors.As(err, &e) || e.Msg.Zh == "" || e.Msg.En == "" {
				t.Errorf("error %v lacks a bilingual message", err)
			}
		})
	}
}

func TestDateArithmeticAgreesWithPackageTime(t *testing.T) {
	// Every 97th day from 1601 to 2400 and every day of 2024–2027: the day
	// numbers, weekdays and AddDays agree with package time.
	check := func(t *testing.T, tm time.Time) {
		d := Date{tm.Year(), tm.Month(), tm.Day()}
		if got := d.Weekday(); got != tm.Weekday() {
			t.Fatalf("%v.Weekday() = %v, want %v", d, got, tm.Weekday())
		}
		if got, want := d.dayNumber(), int(tm.Unix()/86400); got != want {
			t.Fatalf("%v.dayNumber() = %d, want %d", d, got, want)
		}
		if back := fromDayNumber(d.dayNumber()); back != d {
			t.Fatalf("fromDayNumber(dayNumber(%v)) = %v", d, back)
		}
		for _, n := range []int{1, -1, 365, -366, 1000} {
			next := tm.AddDate(0, 0, n)
			if got, want := d.AddDays(n), (Date{next.Year(), next.Month(), next.Day()}); got != want {
				t.Fatalf("%v.AddDays(%d) = %v, want %v", d, n, got, want)
			}
		}
	}
	t.Run("dates over eight centuries agree", func(t *testing.T) {
		for tm := time.Date(1601, 1, 1, 0, 0, 0, 0, time.UTC); tm.Year() < 2400; tm = tm.AddDate(0, 0, 97) {
			check(t, tm)
		}
	})
	t.Run("every day of 2024 to 2027 agrees", func(t *testing.T) {
		for tm := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC); tm.Year() < 2028; tm = tm.AddDate(0, 0, 1) {
			check(t, tm)
		}
	})
}

func TestDateComparison(t *testing.T) {
	a, b := day(t, "2025-12-31"), day(t, "2026-01-01")
	if !a.Before(b) || a.After(b) || !b.After(a) || a.Equal(b) || !a.Equal(a) {
		t.Error("Before/After/Equal disagree with the calendar order")
	}
	if a.Compare(b) != -1 || b.Compare(a) != 1 || a.Compare(a) != 0 {
		t.Error("Compare disagrees with the calendar order")
	}
	if !(Date{}).IsZero() || a.IsZero() {
		t.Error("IsZero is wrong")
	}
}

func TestDateOfUsesChinaTime(t *testing.T) {
	cases := []struct {
		name string
		at   time.Time
		want string
	}{
		{"16:00 UTC on New Year's Eve is already New Year's Day in China", time.Date(2025, 12, 31, 16, 0, 0, 0, time.UTC), "2026-01-01"},
		{"15:59 UTC is still the same day in China", time.Date(2025, 12, 31, 15, 59, 59, 0, time.UTC), "2025-12-31"},
		{"a time in another zone is converted", time.Date(2026, 3, 9, 20, 0, 0, 0, time.FixedZone("EST", -5*3600)), "2026-03-10"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := DateOf(tc.at).String(); got != tc.want {
				t.Errorf("DateOf(%v) = %s, want %s", tc.at, got, tc.want)
			}
		})
	}
	if got := day(t, "2026-03-09").Time(); !got.Equal(time.Date(2026, 3, 8, 16, 0, 0, 0, time.UTC)) {
		t.Errorf("Time() = %v, want midnight in China", got)
	}
}

func TestDateJSON(t *testing.T) {
	type doc struct {
		Due  Date `json:"due"`
		Opt  Date `json:"opt"`
		Span Span `json:"span"`
	}
	in := doc{Due: day(t, "2026-10-22"), Span: Span{From: day(t, "2026-03-11")}}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"due":"2026-10-22","opt":"","span":{"from":"2026-03-11"}}`
	if string(b) != want {
		t.Errorf("JSON = %s, want %s", b, want)
	}
	var out doc
	if err := json.Unmarshal(b, &out); err != nil || out != in {
		t.Errorf("round trip = %+v, %v; want %+v", out, err, in)
	}
	if err := json.Unmarshal([]byte(`{"due":"2026-02-30"}`), &out); err == nil {
		t.Error("a date that does not exist unmarshalled without error")
	}
	if _, err := json.Marshal(Date{2026, 2, 30}); err == nil {
		t.Error("an invalid Date marshalled without error")
	}
}
