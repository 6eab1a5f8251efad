package calendar

import (
	"cmp"
	"embed"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
)

// embeddedFS holds the State Council schedules built into the binary (see
// the package documentation for the notices they transcribe).
//
//go:embed data/holiday-cn-*.json
var embeddedFS embed.FS

// embeddedTables parses the built-in schedules once; they are part of the
// build, so a bad file is a programming error and panics (the tests load
// them).
var embeddedTables = sync.OnceValue(func() map[int]*yearTable {
	files, err := embeddedFS.ReadDir("data")
	if err != nil {
		panic(fmt.Sprintf("calendar: embedded schedules: %v", err))
	}
	out := map[int]*yearTable{}
	for _, f := range files {
		b, err := embeddedFS.ReadFile("data/" + f.Name())
		if err != nil {
			panic(fmt.Sprintf("calendar: embedded %s: %v", f.Name(), err))
		}
		t, _, err := parseSchedule(b)
		if err != nil {
			panic(fmt.Sprintf("calendar: embedded %s: %v", f.Name(), err))
		}
		t.info.Source = SourceEmbedded
		out[t.year] = t
	}
	return out
})

// Options configure a Calendar.
type Options struct {
	// FallbackWeekends counts Monday–Friday as working days in years that
	// have no schedule, instead of failing with ErrNoSchedule. Every result
	// that used it says so.
	FallbackWeekends bool
}

// Calendar answers working-day questions. It is safe for concurrent use:
// lookups share a read lock; loading a year takes the write lock briefly.
type Calendar struct {
	opts  Options
	mu    sync.RWMutex
	years map[int]*yearTable // immutable tables; replaced, never modified
}

// New returns a calendar holding the built-in 2025 and 2026 schedules.
func New(opts Options) *Calendar {
	return &Calendar{opts: opts, years: maps.Clone(embeddedTables())}
}

// FallbackWeekends reports whether years without a schedule fall back to
// weekends only.
func (c *Calendar) FallbackWeekends() bool { return c.opts.FallbackWeekends }

// Result is a computed date and whether it relied on the weekends-only
// fallback.
type Result struct {
	Date          Date  `json:"date"`
	Fallback      bool  `json:"fallback"`                 // some year involved had no schedule; weekends only were used
	FallbackYears []int `json:"fallback_years,omitempty"` // those years, ascending
}

// DayInfo describes one date.
type DayInfo struct {
	Date     Date   `json:"date"`
	Working  bool   `json:"working"`
	Holiday  bool   `json:"holiday"`        // a statutory holiday or a day of its break (放假)
	Makeup   bool   `json:"makeup"`         // a weekend day made a working day (调休上班)
	Name     string `json:"name,omitempty"` // the festival, for holidays and make-up days
	Fallback bool   `json:"fallback"`       // the year has no schedule; weekends only were used
}

// ErrNoSchedule is matched (errors.Is) by the error for a date in a year
// without a holiday schedule. That error is also an *errs.Error of kind
// errs.ErrInvalid, code "no_holiday_schedule", whose message names the year.
var ErrNoSchedule = errors.New("no holiday schedule")

// ErrClockStopped is matched (errors.Is) by the error of AddWorkingDaysPaused
// when an open pause begins before the deadline is reached: while the clock
// stands still the deadline is not yet fixed. That error is also an
// *errs.Error of kind errs.ErrPrecondition, code "clock_stopped".
var ErrClockStopped = errors.New("clock stopped")

// codedError joins a package sentinel with the bilingual *errs.Error the
// HTTP layers show.
type codedError struct {
	sentinel error
	e        *errs.Error
}

func (e *codedError) Error() string   { return e.e.Error() }
func (e *codedError) Unwrap() []error { return []error{e.sentinel, e.e} }

func noSchedule(year int) error {
	return &codedError{ErrNoSchedule, errs.New(errs.ErrInvalid, "no_holiday_schedule", i18n.M(
		fmt.Sprintf("尚未载入 %d 年的节假日安排（国务院办公厅通常于上一年 11 月发布），无法按工作日计算", year),
		fmt.Sprintf("No holiday schedule is loaded for %d (the State Council usually publishes it in November of the year before), so working days cannot be counted", year)))}
}

func clockStopped(from Date) error {
	return &codedError{ErrClockStopped, errs.New(errs.ErrPrecondition, "clock_stopped", i18n.M(
		fmt.Sprintf("自 %s 起暂停计时，恢复计时后才能确定办结期限", from),
		fmt.Sprintf("The clock has been stopped since %s; the deadline is fixed once it runs again", from)))}
}

func invalidDate(field string, d Date) error {
	return errs.Invalid(field, i18n.M(fmt.Sprintf("日期 %d-%d-%d 无效", d.Year, int(d.Month), d.Day),
		fmt.Sprintf("Date %d-%d-%d is not valid", d.Year, int(d.Month), d.Day)))
}

// view is one computation under the read lock: it finds year tables and
// remembers which years fell back to weekends only.
type view struct {
	c        *Calendar
	fallback []int
}

func (v *view) table(year int) (*yearTable, error) {
	if t := v.c.years[year]; t != nil {
		return t, nil
	}
	if !v.c.opts.FallbackWeekends || year < 1 || year > 9999 {
		return nil, noSchedule(year)
	}
	if !slices.Contains(v.fallback, year) {
		v.fallback = append(v.fallback, year)
	}
	return weekendTable(year), nil
}

func (v *view) result(d Date) Result {
	r := Result{Date: d}
	if len(v.fallback) > 0 {
		r.Fallback = true
		r.FallbackYears = slices.Sorted(slices.Values(v.fallback))
	}
	return r
}

// IsWorkingDay reports whether d is a working day, and whether the answer
// used the weekends-only fallback. It returns ErrNoSchedule for a date in a
// year without a schedule unless the fallback is on.
func (c *Calendar) IsWorkingDay(d Date) (working bool, fallback bool, err error) {
	info, err := c.Day(d)
	return info.Working, info.Fallback, err
}

// Day describes d: working or not, holiday or make-up day and the festival.
// It returns ErrNoSchedule like IsWorkingDay.
func (c *Calendar) Day(d Date) (DayInfo, error) {
	if !d.valid() {
		return DayInfo{}, invalidDate("date", d)
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	v := view{c: c}
	t, err := v.table(d.Year)
	if err != nil {
		return DayInfo{}, err
	}
	doy := d.dayNumber() - t.first
	return DayInfo{
		Date:     d,
		Working:  t.working(doy),
		Holiday:  t.kind[doy] == kindHoliday,
		Makeup:   t.kind[doy] == kindMakeup,
		Name:     t.names[doy],
		Fallback: t.fallback,
	}, nil
}

// LoadYear validates a schedule in the holiday-cn JSON format and applies
// it, replacing the year's schedule (built-in or loaded) in this calendar
// only; SaveYear also stores it. Validation reports every problem at once
// as errs.ErrInvalid field errors: the year is present and plausible, every
// date is a real YYYY-MM-DD date of that year, no date is listed twice, every
// day says isOffDay and has a name, a make-up working day falls on a
// Saturday or Sunday, and there are no more make-up days than weekdays off.
func (c *Calendar) LoadYear(data []byte) (YearInfo, error) {
	t, _, err := parseSchedule(data)
	if err != nil {
		return YearInfo{}, err
	}
	t.info.Source = SourceLoaded
	c.apply(t)
	return t.info.clone(), nil
}

// apply installs year tables (one write lock for all, so readers never see
// half of a LoadStored).
func (c *Calendar) apply(ts ...*yearTable) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.years == nil {
		c.years = map[int]*yearTable{}
	}
	for _, t := range ts {
		c.years[t.year] = t
	}
}

// Years lists the years that have a schedule, ascending.
func (c *Calendar) Years() []YearInfo {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]YearInfo, 0, len(c.years))
	for _, t := range c.years {
		out = append(out, t.info.clone())
	}
	slices.SortFunc(out, func(a, b YearInfo) int { return cmp.Compare(a.Year, b.Year) })
	return out
}

func (y YearInfo) clone() YearInfo {
	y.Papers = slices.Clone(y.Papers)
	return y
}

// setLoaded records who loaded a year and when.
func (t *yearTable) setLoaded(at time.Time, by string) {
	t.info.Source = SourceLoaded
	t.info.LoadedAt = at
	t.info.LoadedBy = by
}
