package servicepoint

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// openingSpan is one weekly opening span read from a point's hours.
type openingSpan struct {
	Days     []string // RFC 5545 BYDAY codes, e.g. MO, TU
	Opens    string   // HH:MM, Beijing time
	Closes   string   // HH:MM, Beijing time
	Workdays bool     // "工作日": follows the State Council holiday schedule (调休) rather than the weekday
}

var (
	rruleDays   = []string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"}
	zhDays      = map[string]int{"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
	dayRangeRE  = regexp.MustCompile(`(?:周|星期)([一二三四五六日天])(?:\s*[至到~\-－—]\s*(?:周|星期)?([一二三四五六日天]))?`)
	timeRangeRE = regexp.MustCompile(`(\d{1,2})[:：](\d{2})\s*[-–—~至到]\s*(\d{1,2})[:：](\d{2})`)
)

// parseHours reads opening hours written the usual way — "工作日
// 9:00-12:00 14:00-17:30", "周一至周五 9:00-17:00；周六 9:00-12:00",
// "每天 8:30-17:30" — into weekly spans. ok is false when any part does not
// follow that shape; the text then stands only as a description.
func parseHours(hours string) (spans []openingSpan, ok bool) {
	segments := strings.FieldsFunc(hours, func(r rune) bool { return r == '；' || r == ';' || r == '，' || r == ',' || r == '\n' })
	var days []string // a segment without days ("…，14:00-17:30") continues the previous one's
	workdays := false
	for _, seg := range segments {
		if strings.TrimSpace(seg) == "" {
			continue
		}
		switch {
		case strings.Contains(seg, "工作日"):
			days, workdays = rruleDays[:5], true
		case strings.Contains(seg, "每天") || strings.Contains(seg, "每日"):
			days, workdays = rruleDays, false
		default:
			m := dayRangeRE.FindStringSubmatch(seg)
			if m == nil {
				if days == nil {
					return nil, false
				}
				break
			}
			from, to := zhDays[m[1]], zhDays[m[1]]
			if m[2] != "" {
				to = zhDays[m[2]]
			}
			if to < from {
				return nil, false
			}
			days, workdays = rruleDays[from:to+1], false
		}
		ranges := timeRangeRE.FindAllStringSubmatch(seg, -1)
		if len(ranges) == 0 {
			return nil, false
		}
		for _, r := range ranges {
			opens, ok1 := clock(r[1], r[2])
			closes, ok2 := clock(r[3], r[4])
			if !ok1 || !ok2 || closes <= opens {
				return nil, false
			}
			spans = append(spans, openingSpan{Days: days, Opens: opens, Closes: closes, Workdays: workdays})
		}
	}
	return spans, len(spans) > 0
}

// clock formats h:m as HH:MM, reporting whether it is a time of day.
func clock(h, m string) (string, bool) {
	hh, _ := strconv.Atoi(h)
	mm, _ := strconv.Atoi(m)
	if hh > 24 || mm > 59 || (hh == 24 && mm != 0) {
		return "", false
	}
	return fmt.Sprintf("%02d:%02d", hh, mm), true
}

// hsdsSchedules turns a point's hours into HSDS schedules: one weekly
// RRULE-style schedule per opening span when the hours parse, else one
// schedule holding the text.
func hsdsSchedules(p Point, locationID string) []hsdsSchedule {
	if p.Hours == "" {
		return nil
	}
	spans, ok := parseHours(p.Hours)
	if !ok {
		return []hsdsSchedule{{ID: hsdsID("schedule", p.Code), LocationID: locationID, Description: p.Hours}}
	}
	beijing := 8
	out := make([]hsdsSchedule, len(spans))
	for i, sp := range spans {
		out[i] = hsdsSchedule{
			ID: hsdsID("schedule", fmt.Sprintf("%s:%d", p.Code, i)), LocationID: locationID, Freq: "WEEKLY",
			Byday: strings.Join(sp.Days, ","), Timezone: &beijing, OpensAt: sp.Opens + "+08:00", ClosesAt: sp.Closes + "+08:00",
			Description: p.Hours,
		}
		if sp.Workdays {
			out[i].Notes = "工作日按国务院办公厅节假日安排：法定节假日休息，调休上班日照常办公。Working days follow the State Council holiday schedule."
		}
	}
	return out
}
