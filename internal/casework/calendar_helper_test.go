package casework_test

import "github.com/qinqing/qinqing/internal/calendar"

var testCal = calendar.New(calendar.Options{})

func calendarAdd(d calendar.Date, n int) (calendar.Date, error) {
	r, err := testCal.AddWorkingDays(d, n)
	return r.Date, err
}
