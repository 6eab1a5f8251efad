package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/qinqing/qinqing/internal/calendar"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
)

// catMaxSchedule bounds an uploaded schedule; a real one is about 5 KB.
const catMaxSchedule = 1 << 20

type catYearRow struct {
	Year, Holidays, MakeupDays int
	Source                     i18n.Msg
	Papers                     []string
	LoadedAt                   string
	LoadedBy                   string
}

type catFieldError struct {
	Field, Msg string
}

type catDeadline struct {
	Start, Deadline string
	Weekday         i18n.Msg
	Days            int
	Fallback        bool
	FallbackYears   string
}

type catCalendarData struct {
	Years        []catYearRow
	NextYear     int
	FallbackOn   bool
	Data         string // the schedule as posted, kept on errors
	UploadErrors []catFieldError
	Start, Days  string
	CalcErrors   map[string]string
	CalcProblem  string
	Result       *catDeadline
}

var catWeekdays = [...]i18n.Msg{i18n.M("星期日", "Sunday"), i18n.M("星期一", "Monday"), i18n.M("星期二", "Tuesday"),
	i18n.M("星期三", "Wednesday"), i18n.M("星期四", "Thursday"), i18n.M("星期五", "Friday"), i18n.M("星期六", "Saturday")}

// catCalendarPage shows the working-day calendar: the years loaded, the
// upload of a new year's State Council schedule and a deadline calculator
// (?start=&working_days=).
func (s *Server) catCalendarPage(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.catRequire(w, r, identity.PermCalendarManage); !ok {
		return
	}
	s.catRenderCalendar(w, r, http.StatusOK, catCalendarData{})
}

func (s *Server) catRenderCalendar(w http.ResponseWriter, r *http.Request, status int, d catCalendarData) {
	lang := httpmw.Lang(r)
	for _, y := range s.Calendar.Years() {
		row := catYearRow{Year: y.Year, Holidays: y.Holidays, MakeupDays: y.MakeupDays, Papers: y.Papers, LoadedBy: y.LoadedBy}
		switch y.Source {
		case calendar.SourceEmbedded:
			row.Source = i18n.M("内置", "Built in")
		case calendar.SourceLoaded:
			row.Source = i18n.M("管理员载入", "Loaded by an administrator")
		default:
			row.Source = i18n.M(y.Source, y.Source)
		}
		if !y.LoadedAt.IsZero() {
			row.LoadedAt = y.LoadedAt.In(s.loc).Format("2006-01-02 15:04")
		}
		d.Years = append(d.Years, row)
		d.NextYear = max(d.NextYear, y.Year+1)
	}
	d.FallbackOn = s.Calendar.FallbackWeekends()
	q := r.URL.Query()
	d.Start, d.Days = strings.TrimSpace(q.Get("start")), strings.TrimSpace(q.Get("working_days"))
	d.CalcErrors = map[string]string{}
	if r.Method == http.MethodGet && (d.Start != "" || d.Days != "") {
		start, err := calendar.ParseDate(d.Start)
		if err != nil {
			d.CalcErrors["start"] = i18n.M("请按 YYYY-MM-DD 填写日期，如 2026-09-30", "Enter a date as YYYY-MM-DD, e.g. 2026-09-30").In(lang)
		}
		n, nerr := strconv.Atoi(d.Days)
		if nerr != nil || n < 0 || n > calendar.MaxWorkingDays {
			d.CalcErrors["working_days"] = i18n.M(fmt.Sprintf("请填写 0–%d 之间的整数", calendar.MaxWorkingDays),
				fmt.Sprintf("Enter a whole number from 0 to %d", calendar.MaxWorkingDays)).In(lang)
		}
		if len(d.CalcErrors) == 0 {
			res, err := s.Calendar.AddWorkingDays(start, n)
			var e *errs.Error
			switch {
			case err == nil:
				dl := catDeadline{Start: start.String(), Deadline: res.Date.String(), Weekday: catWeekdays[res.Date.Weekday()], Days: n,
					Fallback: res.Fallback}
				var ys []string
				for _, y := range res.FallbackYears {
					ys = append(ys, strconv.Itoa(y))
				}
				dl.FallbackYears = strings.Join(ys, "、")
				d.Result = &dl
			case errors.As(err, &e):
				d.CalcProblem = e.Msg.In(lang)
				if f := errs.FieldsOf(err); len(f) > 0 {
					d.CalcProblem = errText(err, lang)
				}
			default:
				s.fail(w, r, err)
				return
			}
		}
	}
	s.render(w, r, status, "catalogue_calendar", i18n.M("工作日历", "Working-day calendar").In(lang), d)
}

// catCalendarUpload stores a year's schedule in the holiday-cn JSON format,
// from a file or pasted text, and shows every problem with it.
func (s *Server) catCalendarUpload(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.catRequire(w, r, identity.PermCalendarManage); !ok {
		return
	}
	lang := httpmw.Lang(r)
	again := func(d catCalendarData) { s.catRenderCalendar(w, r, http.StatusUnprocessableEntity, d) }
	r.Body = http.MaxBytesReader(w, r.Body, catMaxSchedule+64<<10)
	if err := r.ParseMultipartForm(catMaxSchedule + 64<<10); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		again(catCalendarData{UploadErrors: []catFieldError{{"data", i18n.M("上传内容过大（上限 1 MB）", "The upload is too large (limit 1 MB)").In(lang)}}})
		return
	}
	data := []byte(r.PostFormValue("data"))
	if file, hdr, err := r.FormFile("file"); err == nil {
		defer file.Close()
		b, err := io.ReadAll(io.LimitReader(file, catMaxSchedule+1))
		switch {
		case err != nil || len(b) > catMaxSchedule:
			again(catCalendarData{UploadErrors: []catFieldError{{"file", i18n.M("文件过大（上限 1 MB）", "The file is too large (limit 1 MB)").In(lang)}}})
			return
		case strings.ToLower(filepath.Ext(hdr.Filename)) != ".json" || !utf8.Valid(b):
			again(catCalendarData{Data: string(data), UploadErrors: []catFieldError{{"file",
				i18n.M("请上传 UTF-8 编码的 .json 文件（holiday-cn 格式）", "Upload a UTF-8 .json file in the holiday-cn format").In(lang)}}})
			return
		case len(b) > 0:
			data = b
		}
	}
	if len(strings.TrimSpace(string(data))) == 0 {
		again(catCalendarData{UploadErrors: []catFieldError{{"data", i18n.M("请选择文件或粘贴节假日安排 JSON", "Choose a file or paste the schedule JSON").In(lang)}}})
		return
	}
	info, err := s.Calendar.SaveYear(r.Context(), s.DB, data)
	if err != nil {
		f := errs.FieldsOf(err)
		if f == nil {
			s.fail(w, r, err)
			return
		}
		d := catCalendarData{Data: string(data)}
		for k, m := range f {
			d.UploadErrors = append(d.UploadErrors, catFieldError{Field: k, Msg: m.In(lang)})
		}
		slices.SortFunc(d.UploadErrors, func(a, b catFieldError) int { return strings.Compare(a.Field, b.Field) })
		again(d)
		return
	}
	s.setFlash(w, fmt.Sprintf(i18n.M("已载入 %d 年节假日安排：放假 %d 天，调休上班 %d 天", "Loaded the %d schedule: %d days off, %d make-up working days").In(lang),
		info.Year, info.Holidays, info.MakeupDays))
	redirect(w, r, "/admin/calendar")
}
