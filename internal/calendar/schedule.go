package calendar

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
)

// Sources of a year's schedule.
const (
	SourceEmbedded = "embedded" // built into the binary
	SourceLoaded   = "loaded"   // loaded by an administrator (LoadYear, SaveYear, LoadStored)
)

// Years a schedule may be loaded for.
const (
	minScheduleYear = 2000
	maxScheduleYear = 2100
)

// YearInfo describes one year's schedule.
type YearInfo struct {
	Year       int       `json:"year"`
	Holidays   int       `json:"holidays"`    // days the schedule marks as off (放假), weekends inside a break included
	MakeupDays int       `json:"makeup_days"` // weekend days the schedule makes working days (调休上班)
	Source     string    `json:"source"`      // SourceEmbedded or SourceLoaded
	Papers     []string  `json:"papers"`      // the State Council notices it follows
	LoadedAt   time.Time `json:"loaded_at,omitzero"`
	LoadedBy   string    `json:"loaded_by,omitempty"`
}

// day kinds in a yearTable.
const (
	kindOrdinary uint8 = iota
	kindHoliday
	kindMakeup
)

// yearTable is one year's working days, immutable once built. cum[i] is the
// number of working days among the year's first i days, so the working days
// from day-of-year a to b inclusive are cum[b+1]-cum[a].
type yearTable struct {
	year     int
	first    int // day number of 1 January
	ndays    int
	cum      [367]uint16
	kind     [366]uint8
	names    map[int]string // day of year → festival name
	info     YearInfo
	fallback bool // weekends only, no schedule
}

func (t *yearTable) last() int { return t.first + t.ndays - 1 }

func (t *yearTable) working(doy int) bool { return t.cum[doy+1] > t.cum[doy] }

// newTable builds a year from its marked days: kind by day of year.
func newTable(year int, kinds map[int]uint8, names map[int]string) *yearTable {
	t := &yearTable{year: year, first: Date{year, time.January, 1}.dayNumber(), ndays: daysInYear(year), names: names}
	for doy := 0; doy < t.ndays; doy++ {
		k := kinds[doy]
		t.kind[doy] = k
		wd := weekdayOf(t.first + doy)
		work := wd != time.Saturday && wd != time.Sunday
		switch k {
		case kindHoliday:
			work = false
		case kindMakeup:
			work = true
		}
		t.cum[doy+1] = t.cum[doy]
		if work {
			t.cum[doy+1]++
		}
	}
	return t
}

// weekendTables caches the weekends-only years used by the fallback; they
// depend on nothing but the year.
var weekendTables sync.Map // int → *yearTable

func weekendTable(year int) *yearTable {
	if t, ok := weekendTables.Load(year); ok {
		return t.(*yearTable)
	}
	t := newTable(year, nil, nil)
	t.fallback = true
	v, _ := weekendTables.LoadOrStore(year, t)
	return v.(*yearTable)
}

// scheduleDoc is the holiday-cn JSON format
// (https://github.com/NateScarlet/holiday-cn): isOffDay true marks a
// statutory holiday (放假), false a make-up working day (调休上班).
type scheduleDoc struct {
	Year   int           `json:"year"`
	Papers []string      `json:"papers"`
	Days   []scheduleDay `json:"days"`
}

type scheduleDay struct {
	Name     string `json:"name"`
	Date     string `json:"date"`
	IsOffDay *bool  `json:"isOffDay"`
}

// maxScheduleBytes bounds a schedule document; a real one is about 5 KB.
const maxScheduleBytes = 1 << 20

var weekdayZh = [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

// parseSchedule validates a holiday-cn document and builds its year. Every
// problem is reported at once as a field error of errs.ErrInvalid; fields
// are named after the JSON ("year", "days[3].date", "papers[0]").
func parseSchedule(data []byte) (*yearTable, scheduleDoc, error) {
	var doc scheduleDoc
	f := errs.Fields{}
	if len(data) > maxScheduleBytes {
		f.Add("data", i18n.M("节假日安排文件过大（上限 1 MB）", "The schedule document is too large (limit 1 MB)"))
		return nil, doc, f.Err()
	}
	if err := json.Unmarshal(bytes.TrimPrefix(data, []byte("\ufeff")), &doc); err != nil {
		f.Add("data", i18n.M("不是有效的节假日安排 JSON："+jsonProblem(err), "Not a valid holiday schedule JSON document: "+jsonProblem(err)))
		return nil, doc, f.Err()
	}
	switch {
	case doc.Year == 0:
		f.Add("year", i18n.M("缺少年份（year）", "The year is missing"))
	case doc.Year < minScheduleYear || doc.Year > maxScheduleYear:
		f.Add("year", i18n.M(fmt.Sprintf("年份 %d 不在 %d–%d 之间", doc.Year, minScheduleYear, maxScheduleYear),
			fmt.Sprintf("Year %d is outside %d–%d", doc.Year, minScheduleYear, maxScheduleYear)))
	}
	for i, p := range doc.Papers {
		if u, err := url.Parse(p); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			f.Add(fmt.Sprintf("papers[%d]", i), i18n.M(fmt.Sprintf("%q 不是通知文件的网址", p), fmt.Sprintf("%q is not the web address of a notice", p)))
		}
	}
	if len(doc.Days) == 0 {
		f.Add("days", i18n.M("安排中没有任何放假或调休日期", "The schedule lists no days"))
	}
	kinds := map[int]uint8{}
	names := map[int]string{}
	seen := map[Date]int{}
	makeups, weekdayOffs := 0, 0
	for i, day := range doc.Days {
		field := func(name string) string { return fmt.Sprintf("days[%d].%s", i, name) }
		if strings.TrimSpace(day.Name) == "" {
			f.Add(field("name"), i18n.M("缺少节日名称", "The festival name is missing"))
		}
		if day.IsOffDay == nil {
			f.Add(field("isOffDay"), i18n.M("缺少 isOffDay（true 为放假，false 为调休上班）", "isOffDay is missing (true: holiday, false: make-up working day)"))
		}
		d, err := ParseDate(day.Date)
		if err != nil {
			f.Add(field("date"), i18n.M(fmt.Sprintf("日期 %q 无效，应为 YYYY-MM-DD", day.Date), fmt.Sprintf("Date %q is not a valid YYYY-MM-DD date", day.Date)))
			continue
		}
		if doc.Year != 0 && d.Year != doc.Year {
			msg := i18n.M(fmt.Sprintf("日期 %s 不在 %d 年内", d, doc.Year), fmt.Sprintf("Date %s is not in %d", d, doc.Year))
			if d.Year == doc.Year-1 && d.Month == time.December {
				// A 元旦 break can begin in late December (the 2019 notice
				// began it on 2018-12-30); those days belong to the
				// previous year's calendar and are loaded with it.
				msg = i18n.M(fmt.Sprintf("日期 %s 属于 %d 年，请将其加入 %d 年的节假日安排后载入该年", d, d.Year, d.Year),
					fmt.Sprintf("Date %s is in %d: add it to the %d schedule and load that year", d, d.Year, d.Year))
			}
			f.Add(field("date"), msg)
			continue
		}
		if j, dup := seen[d]; dup {
			f.Add(field("date"), i18n.M(fmt.Sprintf("日期 %s 重复（与 days[%d] 相同）", d, j), fmt.Sprintf("Date %s is listed twice (also days[%d])", d, j)))
			continue
		}
		seen[d] = i
		if day.IsOffDay == nil {
			continue
		}
		wd := d.Weekday()
		weekend := wd == time.Saturday || wd == time.Sunday
		doy := d.dayNumber() - Date{d.Year, time.January, 1}.dayNumber()
		if *day.IsOffDay {
			// A holiday on a weekend is normal: notices list whole breaks
			// (2026-01-03, a Saturday, is part of 元旦).
			kinds[doy] = kindHoliday
			if !weekend {
				weekdayOffs++
			}
		} else {
			// 调休 moves a working day onto a weekend; a make-up day on a
			// weekday would change nothing and means the data is wrong.
			if !weekend {
				f.Add(field("isOffDay"), i18n.M(fmt.Sprintf("调休上班日 %s 是%s，调休上班日只能是周六或周日", d, weekdayZh[wd]),
					fmt.Sprintf("Make-up working day %s is a %s; make-up days fall on a Saturday or Sunday", d, wd)))
				continue
			}
			kinds[doy] = kindMakeup
			makeups++
		}
		names[doy] = strings.TrimSpace(day.Name)
	}
	if len(doc.Days) > 0 && len(f) == 0 {
		switch {
		case weekdayOffs == 0:
			f.Add("days", i18n.M("安排中没有工作日放假（isOffDay 为 true 的周一至周五）", "The schedule gives no weekday off (isOffDay true on Monday–Friday)"))
		case makeups > weekdayOffs:
			// Every make-up day pays back a weekday taken off, so there are
			// never more of them than weekday holidays.
			f.Add("days", i18n.M(fmt.Sprintf("调休上班日（%d 天）多于工作日放假（%d 天），安排不合理", makeups, weekdayOffs),
				fmt.Sprintf("More make-up working days (%d) than weekdays off (%d); the schedule makes no sense", makeups, weekdayOffs)))
		}
	}
	if err := f.Err(); err != nil {
		return nil, doc, err
	}
	t := newTable(doc.Year, kinds, names)
	holidays := 0
	for _, k := range kinds {
		if k == kindHoliday {
			holidays++
		}
	}
	t.info = YearInfo{Year: doc.Year, Holidays: holidays, MakeupDays: makeups, Papers: slices.Clone(doc.Papers)}
	if t.info.Papers == nil {
		t.info.Papers = []string{}
	}
	return t, doc, nil
}

// jsonProblem describes a decoding error without Go type names.
func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("field %q has the wrong type (%s)", te.Field, te.Value)
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("syntax error at byte %d", se.Offset)
	}
	return err.Error()
}

// canonical re-encodes a validated document, days in date order, as it is
// stored: the stored text is exactly what was applied.
func canonical(doc scheduleDoc) ([]byte, error) {
	days := slices.Clone(doc.Days)
	slices.SortStableFunc(days, func(a, b scheduleDay) int { return strings.Compare(a.Date, b.Date) })
	out := scheduleDoc{Year: doc.Year, Papers: doc.Papers, Days: days}
	if out.Papers == nil {
		out.Papers = []string{}
	}
	return json.MarshalIndent(out, "", "  ")
}
