package calendar

import (
	"fmt"

	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
)

// MaxWorkingDays bounds the n of AddWorkingDays: no time limit on the
// platform comes near ten years of working days, so a larger n is a bug or
// a typo.
const MaxWorkingDays = 3650

func checkN(n int) error {
	if n < 0 || n > MaxWorkingDays {
		return errs.Invalid("n", i18n.M(fmt.Sprintf("工作日数 %d 应在 0 到 %d 之间", n, MaxWorkingDays),
			fmt.Sprintf("The number of working days (%d) must be between 0 and %d", n, MaxWorkingDays)))
	}
	return nil
}

// AddWorkingDays returns the N-th working day after start: the day start
// itself never counts, whether or not it is a working day, so n = 1 from a
// Friday is the next Monday (or the make-up Saturday), and n = 0 is start
// itself. n must be 0–MaxWorkingDays. Only the years of the days counted
// need a schedule: 2024-12-31 plus one working day is 2025-01-02 although
// 2024 has none. It returns ErrNoSchedule when a year crossed has no
// schedule and the fallback is off.
func (c *Calendar) AddWorkingDays(start Date, n int) (Result, error) {
	if !start.valid() {
		return Result{}, invalidDate("start", start)
	}
	if err := checkN(n); err != nil {
		return Result{}, err
	}
	if n == 0 {
		return Result{Date: start}, nil
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	v := view{c: c}
	z, err := v.nth(start.dayNumber(), n)
	if err != nil {
		return Result{}, err
	}
	return v.result(fromDayNumber(z)), nil
}

// WorkingDaysBetween counts the working days in (from, to] — after from, up
// to and including to — which is the number of working days a case has used
// on day to when its clock started on from. It is 0 when to is not after
// from, and the inverse of AddWorkingDays:
// WorkingDaysBetween(d, AddWorkingDays(d, n)) == n. The Result's Date is to.
func (c *Calendar) WorkingDaysBetween(from, to Date) (int, Result, error) {
	return c.WorkingDaysAfterExcluding(from, to, nil)
}

// nth returns the day number of the n-th working day after day a (n ≥ 1):
// per year crossed, one subtraction decides whether the year holds it, and
// a binary search in that year's cumulative counts finds it.
func (v *view) nth(a, n int) (int, error) {
	for y := fromDayNumber(a + 1).Year; ; y++ {
		t, err := v.table(y)
		if err != nil {
			return 0, err
		}
		lo := max(a+1, t.first) - t.first
		avail := int(t.cum[t.ndays]) - int(t.cum[lo])
		if n > avail {
			n -= avail
			continue
		}
		// The smallest day i ≥ lo with cum[i+1] ≥ cum[lo]+n is a working
		// day (cum steps up there) and the n-th one after a.
		target := t.cum[lo] + uint16(n)
		i, j := lo, t.ndays-1
		for i < j {
			h := int(uint(i+j) >> 1)
			if t.cum[h+1] >= target {
				j = h
			} else {
				i = h + 1
			}
		}
		return t.first + i, nil
	}
}

// count returns the number of working days in (a, b], day numbers; 0 when
// b ≤ a.
func (v *view) count(a, b int) (int, error) {
	if b <= a {
		return 0, nil
	}
	n := 0
	for y := fromDayNumber(a + 1).Year; ; y++ {
		t, err := v.table(y)
		if err != nil {
			return 0, err
		}
		lo := max(a+1, t.first) - t.first
		hi := min(b, t.last()) - t.first
		n += int(t.cum[hi+1]) - int(t.cum[lo])
		if b <= t.last() {
			return n, nil
		}
	}
}
