package calendar

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
)

// Span is a period during which a case's clock was stopped — for 补正 from
// the day the supplement was requested (From) to the day it came in (To),
// for a special procedure from its start to its end. Both days are inside
// the span: no working day from From to To counts, and the clock runs again
// from the day after To. A zero To means the clock is still stopped.
type Span struct {
	From Date `json:"from"`
	To   Date `json:"to,omitzero"` // inclusive; zero while the clock is still stopped
}

// Open reports whether the clock is still stopped.
func (s Span) Open() bool { return s.To.IsZero() }

// interval is a span as inclusive day numbers.
type interval struct {
	lo, hi int
	open   bool
	from   Date // the first original From merged into it, for messages
}

// mergeSpans validates spans and returns them as sorted, disjoint day
// intervals clipped to (after, upTo]. Overlapping and adjacent spans merge,
// so no working day is taken out twice. An open span runs to upTo.
func mergeSpans(paused []Span, after, upTo int) ([]interval, error) {
	var f errs.Fields // allocated on the first problem only: this runs for every row of a case list
	bad := func(field string, m i18n.Msg) {
		if f == nil {
			f = errs.Fields{}
		}
		f.Add(field, m)
	}
	ivs := make([]interval, 0, len(paused))
	for i, s := range paused {
		switch {
		case !s.From.valid():
			bad(fmt.Sprintf("paused[%d].from", i), i18n.M("暂停计时的开始日期无效", "The date the clock stopped is missing or invalid"))
			continue
		case !s.Open() && !s.To.valid():
			bad(fmt.Sprintf("paused[%d].to", i), i18n.M("恢复计时的日期无效", "The date the clock restarted is invalid"))
			continue
		case !s.Open() && s.To.Before(s.From):
			bad(fmt.Sprintf("paused[%d].to", i), i18n.M(fmt.Sprintf("恢复计时日期 %s 早于暂停日期 %s", s.To, s.From),
				fmt.Sprintf("The clock restarts (%s) before it stopped (%s)", s.To, s.From)))
			continue
		}
		iv := interval{lo: max(s.From.dayNumber(), after+1), hi: upTo, open: s.Open(), from: s.From}
		if !iv.open {
			iv.hi = min(s.To.dayNumber(), upTo)
		}
		if iv.lo <= iv.hi {
			ivs = append(ivs, iv)
		}
	}
	if f != nil {
		return nil, f.Err()
	}
	slices.SortFunc(ivs, func(a, b interval) int { return cmp.Compare(a.lo, b.lo) })
	out := ivs[:0] // merge in place
	for _, iv := range ivs {
		if n := len(out); n > 0 && iv.lo <= out[n-1].hi+1 {
			last := &out[n-1]
			last.hi = max(last.hi, iv.hi)
			last.open = last.open || iv.open
			continue
		}
		out = append(out, iv)
	}
	return out, nil
}

// WorkingDaysAfterExcluding counts the working days in (from, to] that fall
// outside every paused span: the working days a case has used by day to
// when its clock started on from and stood still during the spans. An open
// span stops the count from its From up to to. It is 0 when to is not after
// from. The Result's Date is to.
func (c *Calendar) WorkingDaysAfterExcluding(from, to Date, paused []Span) (int, Result, error) {
	if !from.valid() {
		return 0, Result{}, invalidDate("from", from)
	}
	if !to.valid() {
		return 0, Result{}, invalidDate("to", to)
	}
	a, b := from.dayNumber(), to.dayNumber()
	ivs, err := mergeSpans(paused, a, b)
	if err != nil {
		return 0, Result{}, err
	}
	if b <= a {
		return 0, Result{Date: to}, nil
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	v := view{c: c}
	n, err := v.count(a, b)
	if err != nil {
		return 0, Result{}, err
	}
	for _, iv := range ivs {
		k, err := v.count(iv.lo-1, iv.hi)
		if err != nil {
			return 0, Result{}, err
		}
		n -= k
	}
	return n, v.result(to), nil
}

// AddWorkingDaysPaused returns the deadline of an n-working-day limit that
// started on start when the clock stood still during the paused spans: the
// n-th working day after start that lies outside every span. Each span
// therefore moves the deadline by the working days inside it that fall
// before the deadline; spans that begin after the deadline change nothing.
// If an open span begins on or before the deadline, the deadline is not
// fixed yet and the error matches ErrClockStopped. n = 0 returns start.
func (c *Calendar) AddWorkingDaysPaused(start Date, n int, paused []Span) (Result, error) {
	if !start.valid() {
		return Result{}, invalidDate("start", start)
	}
	if err := checkN(n); err != nil {
		return Result{}, err
	}
	cur := start.dayNumber()
	ivs, err := mergeSpans(paused, cur, math.MaxInt32)
	if err != nil {
		return Result{}, err
	}
	if n == 0 {
		return Result{Date: start}, nil
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	v := view{c: c}
	for _, iv := range ivs {
		// Where the deadline would fall if this were the last stop; a stop
		// that begins after it does not matter. (It never lies beyond the
		// true deadline, so computing it needs no year the answer does not.)
		z, err := v.nth(cur, n)
		if err != nil {
			return Result{}, err
		}
		if z < iv.lo {
			return v.result(fromDayNumber(z)), nil
		}
		if iv.open {
			return Result{}, clockStopped(iv.from)
		}
		used, err := v.count(cur, iv.lo-1)
		if err != nil {
			return Result{}, err
		}
		n -= used // stays ≥ 1: the n-th working day was not before the stop
		cur = iv.hi
	}
	z, err := v.nth(cur, n)
	if err != nil {
		return Result{}, err
	}
	return v.result(fromDayNumber(z)), nil
}
