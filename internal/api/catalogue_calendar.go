package api

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/qinqing/qinqing/internal/calendar"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
)

// deadlineJSON is the answer of the deadline calculator; the fallback
// years appear only when the weekends-only fallback was used.
type deadlineJSON struct {
	Deadline      calendar.Date `json:"deadline"`
	Fallback      bool          `json:"fallback"`
	FallbackYears []int         `json:"fallback_years,omitempty"`
}

// calendarDeadline computes start plus N working days under the holiday
// calendar. A year without a schedule is a 422 naming the year, unless the
// instance falls back to weekends only (and then says so).
func (s *Server) calendarDeadline(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := errs.Fields{}
	start, err := calendar.ParseDate(strings.TrimSpace(q.Get("start")))
	if err != nil {
		f.Add("start", i18n.M("起算日应为 YYYY-MM-DD 格式的日期", "start must be a date written YYYY-MM-DD"))
	}
	n, err := strconv.Atoi(strings.TrimSpace(q.Get("working_days")))
	if err != nil || n < 0 || n > calendar.MaxWorkingDays {
		f.Add("working_days", i18n.M(fmt.Sprintf("工作日数应为 0–%d 的整数", calendar.MaxWorkingDays),
			fmt.Sprintf("working_days must be a whole number from 0 to %d", calendar.MaxWorkingDays)))
	}
	if err := f.Err(); err != nil {
		return err
	}
	res, err := s.Calendar.AddWorkingDays(start, n)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, deadlineJSON{Deadline: res.Date, Fallback: res.Fallback, FallbackYears: res.FallbackYears})
	return nil
}

// calendarYears lists the years with a holiday schedule. Who loaded a year
// is shown only to those who may load one.
func (s *Server) calendarYears(w http.ResponseWriter, r *http.Request) error {
	years := s.Calendar.Years()
	if !identity.PrincipalFrom(r.Context()).Can(identity.PermCalendarManage) {
		for i := range years {
			years[i].LoadedBy = ""
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": years, "fallback_weekends": s.Calendar.FallbackWeekends()})
	return nil
}

// saveCalendarYear stores a year's State Council schedule, sent as the
// holiday-cn JSON document itself, replacing the year's schedule.
func (s *Server) saveCalendarYear(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireLogin(r); err != nil {
		return err
	}
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return errs.New(errBadRequest, "unsupported_media_type", i18n.M("请求体应为 application/json", "Request body must be application/json"))
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		return badRequest("body_too_large", i18n.M("请求体过大或读取失败", "Request body too large or unreadable"))
	}
	info, err := s.Calendar.SaveYear(r.Context(), s.DB, body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, info)
	return nil
}
