package calendar

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/qinqing/qinqing/internal/errs"
)

// dates expands "from..to" (inclusive) or a single date into dates.
func dates(tb testing.TB, specs ...string) []Date {
	tb.Helper()
	var out []Date
	for _, s := range specs {
		from, to, ok := strings.Cut(s, "..")
		if !ok {
			to = from
		}
		for d, end := day(tb, from), day(tb, to); !d.After(end); d = d.AddDays(1) {
			out = append(out, d)
		}
	}
	return out
}

// The schedules below are transcribed by hand from the notices' text, not
// read from the data files, so the test also checks the embedded data.
var notices = []struct {
	year            int
	notice          string
	holidays        []string
	makeup          []string
	holidayNames    map[string]string
	ordinaryRestDay string // an ordinary weekend day
	ordinaryWorkDay string // an ordinary weekday
}{
	{
		year:   2025,
		notice: "国办发明电〔2024〕12号",
		// 元旦 1月1日; 春节 1月28日至2月4日; 清明节 4月4日至6日; 劳动节 5月1日至5日;
		// 端午节 5月31日至6月2日; 国庆节、中秋节 10月1日至8日.
		holidays: []string{"2025-01-01", "2025-01-28..2025-02-04", "2025-04-04..2025-04-06",
			"2025-05-01..2025-05-05", "2025-05-31..2025-06-02", "2025-10-01..2025-10-08"},
		// 1月26日(周日)、2月8日(周六)、4月27日(周日)、9月28日(周日)、10月11日(周六)上班.
		makeup:          []string{"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"},
		holidayNames:    map[string]string{"2025-01-29": "春节", "2025-10-06": "国庆节、中秋节", "2025-02-08": "春节"},
		ordinaryRestDay: "2025-03-08",
		ordinaryWorkDay: "2025-03-10",
	},
	{
		year:   2026,
		notice: "国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）",
		// 元旦 1月1日至3日; 春节 2月15日至23日; 清明节 4月4日至6日; 劳动节 5月1日至5日;
		// 端午节 6月19日至21日; 中秋节 9月25日至27日; 国庆节 10月1日至7日.
		holidays: []string{"2026-01-01..2026-01-03", "2026-02-15..2026-02-23", "2026-04-04..2026-04-06",
			"2026-05-01..2026-05-05", "2026-06-19..2026-06-21", "2026-09-25..2026-09-27", "2026-10-01..2026-10-07"},
		// 1月4日(周日)、2月14日(周六)、2月28日(周六)、5月9日(周六)、9月20日(周日)、10月10日(周六)上班.
		makeup:          []string{"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"},
		holidayNames:    map[string]string{"2026-02-17": "春节", "2026-09-26": "中秋节", "2026-10-10": "国庆节"},
		ordinaryRestDay: "2026-03-07",
		ordinaryWorkDay: "2026-03-09",
	},
}

func TestEmbeddedSchedules(t *testing.T) {
	c := New(Options{})
	for _, n := range notices {
		holidays, makeup := dates(t, n.holidays...), dates(t, n.makeup...)
		t.Run(n.notice+": every holiday is a day off", func(t *testing.T) {
			for _, d := range holidays {
				info, err := c.Day(d)
				if err != nil || info.Working || !info.Holiday || info.Makeup || info.Name == "" || info.Fallback {
					t.Errorf("Day(%s) = %+v, %v; want a named holiday", d, info, err)
				}
			}
		})
		t.Run(n.notice+": every make-up day is a working day", func(t *testing.T) {
			for _, d := range makeup {
				if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
					t.Fatalf("transcription error: make-up day %s is a %v", d, wd)
				}
				working, fallback, err := c.IsWorkingDay(d)
				info, _ := c.Day(d)
				if err != nil || !working || fallback || !info.Makeup || info.Holiday || info.Name == "" {
					t.Errorf("%s: working=%v fallback=%v err=%v info=%+v; want a named make-up working day", d, working, fallback, err, info)
				}
			}
		})
		t.Run(n.notice+": every other day is a working day exactly when it is Monday to Friday", func(t *testing.T) {
			special := map[Date]bool{}
			for _, d := range append(holidays, makeup...) {
				special[d] = true
			}
			for d := (Date{n.year, time.January, 1}); d.Year == n.year; d = d.AddDays(1) {
				if special[d] {
					continue
				}
				wd := d.Weekday()
				want := wd != time.Saturday && wd != time.Sunday
				info, err := c.Day(d)
				if err != nil || info.Working != want || info.Holiday || info.Makeup || info.Name != "" {
					t.Errorf("Day(%s, a %v) = %+v, %v; want working=%v", d, wd, info, err, want)
				}
			}
		})
		t.Run(n.notice+": an ordinary weekend is off and an ordinary weekday works", func(t *testing.T) {
			if w, _, err := c.IsWorkingDay(day(t, n.ordinaryRestDay)); err != nil || w {
				t.Errorf("IsWorkingDay(%s) = %v, %v; want false", n.ordinaryRestDay, w, err)
			}
			if w, _, err := c.IsWorkingDay(day(t, n.ordinaryWorkDay)); err != nil || !w {
				t.Errorf("IsWorkingDay(%s) = %v, %v; want true", n.ordinaryWorkDay, w, err)
			}
		})
		t.Run(n.notice+": days carry their festival's name", func(t *testing.T) {
			for s, want := range n.holidayNames {
				if info, _ := c.Day(day(t, s)); info.Name != want {
					t.Errorf("Day(%s).Name = %q, want %q", s, info.Name, want)
				}
			}
		})
	}
	t.Run("Years lists both built-in years with their counts and notices", func(t *testing.T) {
		want := []YearInfo{
			{Year: 2025, Holidays: 28, MakeupDays: 5, Source: SourceEmbedded, Papers: []string{"https://www.gov.cn/zhengce/zhengceku/202411/content_6986383.htm"}},
			{Year: 2026, Holidays: 33, MakeupDays: 6, Source: SourceEmbedded, Papers: []string{"https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm"}},
		}
		if diff := cmp.Diff(want, c.Years()); diff != "" {
			t.Errorf("Years() mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("Years returns copies that callers cannot use to change the calendar", func(t *testing.T) {
		c.Years()[0].Papers[0] = "changed"
		if c.Years()[0].Papers[0] == "changed" {
			t.Error("a caller changed the calendar through Years()")
		}
	})
}

func TestYearWithoutSchedule(t *testing.T) {
	d2027 := day(t, "2027-03-01")
	t.Run("without the fallback a date in 2027 is ErrNoSchedule naming 2027 in both languages", func(t *testing.T) {
		c := New(Options{})
		_, _, err := c.IsWorkingDay(d2027)
		if !errors.Is(err, ErrNoSchedule) || !errors.Is(err, errs.ErrInvalid) {
			t.Fatalf("err = %v, want ErrNoSchedule and ErrInvalid", err)
		}
		var e *errs.Error
		if !errors.As(err, &e) || e.Code != "no_holiday_schedule" {
			t.Fatalf("err = %#v, want an *errs.Error with code no_holiday_schedule", err)
		}
		if !strings.Contains(e.Msg.Zh, "2027") || !strings.Contains(e.Msg.En, "2027") || !strings.Contains(err.Error(), "2027") {
			t.Errorf("message %+v does not name 2027", e.Msg)
		}
		if _, err := c.Day(d2027); !errors.Is(err, ErrNoSchedule) {
			t.Errorf("Day: err = %v, want ErrNoSchedule", err)
		}
		if _, err := c.AddWorkingDays(day(t, "2026-12-31"), 1); !errors.Is(err, ErrNoSchedule) || !strings.Contains(err.Error(), "2027") {
			t.Errorf("AddWorkingDays into 2027: err = %v, want ErrNoSchedule naming 2027", err)
		}
		if _, _, err := c.WorkingDaysBetween(day(t, "2026-12-01"), day(t, "2027-01-05")); !errors.Is(err, ErrNoSchedule) {
			t.Errorf("WorkingDaysBetween into 2027: err = %v, want ErrNoSchedule", err)
		}
		if _, _, err := c.IsWorkingDay(day(t, "2024-12-31")); !errors.Is(err, ErrNoSchedule) || !strings.Contains(err.Error(), "2024") {
			t.Errorf("a date in 2024: err = %v, want ErrNoSchedule naming 2024", err)
		}
	})
	t.Run("with the fallback a date in 2027 counts weekends only and says so", func(t *testing.T) {
		c := New(Options{FallbackWeekends: true})
		if !c.FallbackWeekends() {
			t.Fatal("FallbackWeekends() = false")
		}
		for _, tc := range []struct {
			date    string
			working bool
		}{
			{"2027-01-01", true}, // a Friday; the real schedule will surely make it 元旦
			{"2027-01-02", false},
			{"2027-03-01", true},
			{"2027-03-06", false},
		} {
			info, err := c.Day(day(t, tc.date))
			if err != nil || info.Working != tc.working || !info.Fallback || info.Holiday || info.Makeup {
				t.Errorf("Day(%s) = %+v, %v; want working=%v with Fallback", tc.date, info, err, tc.working)
			}
		}
		r, err := c.AddWorkingDays(day(t, "2026-12-31"), 1)
		want := Result{Date: day(t, "2027-01-01"), Fallback: true, FallbackYears: []int{2027}}
		if err != nil || !cmp.Equal(r, want) {
			t.Errorf("AddWorkingDays(2026-12-31, 1) = %+v, %v; want %+v", r, err, want)
		}
		// 2026-12-25 is a Friday: Dec 28, 29, 30, 31 (4), Jan 1 (5), Jan 4–8 (10).
		r, err = c.AddWorkingDays(day(t, "2026-12-25"), 10)
		want = Result{Date: day(t, "2027-01-08"), Fallback: true, FallbackYears: []int{2027}}
		if err != nil || !cmp.Equal(r, want) {
			t.Errorf("AddWorkingDays(2026-12-25, 10) = %+v, %v; want %+v", r, err, want)
		}
		// 2024 falls back too: Dec 23–27 (5), 30, 31 (7), then 2025: Jan 2, 3 (9).
		n, r, err := c.WorkingDaysBetween(day(t, "2024-12-20"), day(t, "2025-01-03"))
		if err != nil || n != 9 || !cmp.Equal(r.FallbackYears, []int{2024}) {
			t.Errorf("WorkingDaysBetween(2024-12-20, 2025-01-03) = %d, %+v, %v; want 9 with fallback 2024", n, r, err)
		}
	})
	t.Run("a computation that stays within scheduled years does not fall back", func(t *testing.T) {
		c := New(Options{FallbackWeekends: true})
		r, err := c.AddWorkingDays(day(t, "2026-12-30"), 1)
		if err != nil || r.Date != day(t, "2026-12-31") || r.Fallback || r.FallbackYears != nil {
			t.Errorf("AddWorkingDays(2026-12-30, 1) = %+v, %v; want 2026-12-31 without fallback", r, err)
		}
	})
}

func TestInvalidArguments(t *testing.T) {
	c := New(Options{})
	cases := []struct {
		name  string
		err   error
		field string
	}{
		{"a negative number of working days is refused", second(c.AddWorkingDays(day(t, "2026-03-02"), -1)), "n"},
		{"more than 3650 working days is refused", second(c.AddWorkingDays(day(t, "2026-03-02"), 3651)), "n"},
		{"a start date that does not exist is refused", second(c.AddWorkingDays(Date{2026, 2, 30}, 1)), "start"},
		{"a zero start date is refused", second(c.AddWorkingDays(Date{}, 1)), "start"},
		{"Day refuses a zero date", second(c.Day(Date{})), "date"},
		{"a paused span without a start is refused", second(c.AddWorkingDaysPaused(day(t, "2026-03-02"), 5, []Span{{To: day(t, "2026-03-04")}})), "paused[0].from"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if !errors.Is(tc.err, errs.ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", tc.err)
			}
			if _, ok := errs.FieldsOf(tc.err)[tc.field]; !ok {
				t.Errorf("err = %v, want a message for field %q", tc.err, tc.field)
			}
		})
	}
	t.Run("3650 working days are accepted", func(t *testing.T) {
		c := New(Options{FallbackWeekends: true})
		if _, err := c.AddWorkingDays(day(t, "2026-03-02"), MaxWorkingDays); err != nil {
			t.Errorf("AddWorkingDays(…, %d): %v", MaxWorkingDays, err)
		}
	})
}

func second[T any](_ T, err error) error { return err }

func TestConcurrentReadersAndLoads(t *testing.T) {
	// Run with -race: lookups never see a half-applied year.
	c := New(Options{})
	done := make(chan struct{})
	errc := make(chan error, 4)
	for g := 0; g < 4; g++ {
		go func() {
			for {
				select {
				case <-done:
					errc <- nil
					return
				default:
				}
				r, err := c.AddWorkingDays(Date{2026, time.September, 18}, 20)
				if err != nil || r.Date != (Date{2026, time.October, 22}) {
					errc <- fmt.Errorf("AddWorkingDays = %+v, %v", r, err)
					return
				}
				c.Years()
			}
		}()
	}
	for i := 0; i < 50; i++ {
		if _, err := c.LoadYear([]byte(synthetic2027)); err != nil {
			t.Fatal(err)
		}
	}
	close(done)
	for g := 0; g < 4; g++ {
		if err := <-errc; err != nil {
			t.Error(err)
		}
	}
}
