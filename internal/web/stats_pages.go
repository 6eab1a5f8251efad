package web

import (
	"encoding/json"
	"html/template"
	"net/http"
	"time"

	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/matter"
	"github.com/qinqing/qinqing/internal/stats"
)

// registerStats adds the indicator page.
func (s *Server) registerStats(mux *http.ServeMux) {
	mux.HandleFunc("GET /stats", s.statsPage)
}

type statsData struct {
	Period      stats.Period
	Report      stats.Report
	Departments []matter.Department
	DeptNames   map[string]string
	ChartJSON   template.JS // JSON for the charts, inside a <script type="application/json">
	Error       string
}

// statsPage shows the government-service indicators, each with its
// formula, as figures, a monthly trend and a comparison of departments.
// The district publishes them, so the page is public.
func (s *Server) statsPage(w http.ResponseWriter, r *http.Request) {
	lang := httpmw.Lang(r)
	q := r.URL.Query()
	now := time.Now().In(s.loc)
	// The last six months unless asked otherwise; a bad period is reported
	// and the same default shown, never the whole history (a full scan).
	recent := stats.Period{From: now.AddDate(0, -5, 0).Format("2006-01"), To: now.Format("2006-01")}
	p := stats.Period{From: q.Get("from"), To: q.Get("to"), Department: q.Get("department")}
	if p.From == "" && p.To == "" {
		p.From, p.To = recent.From, recent.To
	}
	d := statsData{Period: p, DeptNames: map[string]string{}}
	rep, err := s.Stats.GovernmentServices(r.Context(), p)
	if err != nil {
		d.Error = errText(err, lang)
		if rep, err = s.Stats.GovernmentServices(r.Context(), recent); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	d.Report = rep
	if d.Departments, err = s.Matters.Departments(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	for _, dep := range d.Departments {
		d.DeptNames[dep.Code] = i18n.M(dep.Name, dep.NameEn).In(lang)
	}
	chart := stats.JSON(rep, lang)
	payload := map[string]any{"report": chart, "departments": d.DeptNames,
		"labels": map[string]string{
			"applications": i18n.M("申请件数", "Applications").In(lang),
			"rates":        i18n.M("比率（%）", "Rate (%)").In(lang),
			"count":        i18n.M("件数", "Cases").In(lang),
		}}
	b, err := json.Marshal(payload)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// Marshal escapes <, > and & so the JSON cannot end the script element.
	d.ChartJSON = template.JS(b)
	s.render(w, r, http.StatusOK, "stats", i18n.M("政务服务效能指标", "Government-service indicators").In(lang), d)
}
