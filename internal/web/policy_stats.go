package web

import (
	"encoding/json"
	"html/template"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/money"
	"github.com/qinqing/qinqing/internal/policy"
)

type pvIndicator struct {
	Key     string
	Name    i18n.Msg
	Display string
	Formula i18n.Msg
	Detail  string // numerator / denominator of a ratio
}

type policyStatsData struct {
	From, To  string
	Items     []pvIndicator
	Months    []pvMonth
	ChartJSON template.JS
	Error     string
}

type pvMonth struct {
	Month        string  `json:"month"`
	Applications float64 `json:"applications"`
	Paid         float64 `json:"paid_yuan"`
	Approval     float64 `json:"approval_rate"`
	Decided      bool    `json:"decided"`
}

// pvStatsMonths is how many months the trend chart covers.
const pvStatsMonths = 6

// policyStats is the policy supermarket's indicators page: each figure
// with the formula it is computed by, for a period, and a monthly trend
// of applications, approvals and money paid (ECharts; the table carries
// the same numbers for screen readers and print).
func (s *Server) policyStats(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.policyRequire(w, r, policyStaff); !ok {
		return
	}
	ctx, lang := r.Context(), httpmw.Lang(r)
	q := r.URL.Query()
	d := policyStatsData{From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to"))}
	ind, err := s.Policy.Indicators(ctx, policy.IndicatorPeriod{From: d.From, To: d.To})
	if err != nil {
		fields, ok := pvFormErrors(err, lang)
		if !ok {
			s.fail(w, r, err)
			return
		}
		for _, m := range fields {
			d.Error = m
		}
		if ind, err = s.Policy.Indicators(ctx, policy.IndicatorPeriod{}); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	d.From, d.To = ind.Period.From, ind.Period.To
	for _, it := range ind.Items {
		d.Items = append(d.Items, pvIndicatorOf(it, lang))
	}
	// The trend: one period per month, the last ending today.
	now := time.Now().In(s.loc)
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, s.loc)
	for i := pvStatsMonths - 1; i >= 0; i-- {
		start := first.AddDate(0, -i, 0)
		end := start.AddDate(0, 1, -1)
		if end.After(now) {
			end = now
		}
		mi, err := s.Policy.Indicators(ctx, policy.IndicatorPeriod{From: start.Format(time.DateOnly), To: end.Format(time.DateOnly)})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		m := pvMonth{Month: start.Format("2006-01")}
		if it, ok := mi.Get("applications"); ok {
			m.Applications = it.Value
		}
		if it, ok := mi.Get("money_paid"); ok {
			m.Paid = it.Value
		}
		if it, ok := mi.Get("approval_rate"); ok && it.Denominator > 0 {
			m.Approval, m.Decided = math.Round(it.Value*10)/10, true
		}
		d.Months = append(d.Months, m)
	}
	payload := map[string]any{"months": d.Months, "labels": map[string]string{
		"applications": i18n.M("兑现申请数", "Applications").In(lang),
		"paid":         i18n.M("兑现金额（元）", "Money paid (yuan)").In(lang),
		"approval":     i18n.M("审核通过率（%）", "Approval rate (%)").In(lang),
	}}
	b, err := json.Marshal(payload)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// Marshal escapes <, > and & so the JSON cannot end the script element.
	d.ChartJSON = template.JS(b)
	s.render(w, r, http.StatusOK, "policy_stats", i18n.M("政策兑现指标", "Policy supermarket indicators").In(lang), d)
}

func pvIndicatorOf(it policy.Indicator, lang i18n.Lang) pvIndicator {
	out := pvIndicator{Key: it.Key, Name: it.Name, Display: it.Display, Formula: it.Formula}
	switch {
	case it.Key == "money_paid":
		out.Display = money.FormatYuanGrouped(int64(math.Round(it.Value*100))) + " " + it.Unit.In(lang)
	case it.Display != "—" && !it.Unit.IsZero() && it.Unit.Zh != "%":
		out.Display += " " + it.Unit.In(lang)
	}
	if it.Denominator > 0 && it.Unit.Zh == "%" {
		out.Detail = strconv.FormatFloat(it.Numerator, 'f', -1, 64) + " / " + strconv.FormatFloat(it.Denominator, 'f', -1, 64)
	}
	return out
}
