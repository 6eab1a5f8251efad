package api

import (
	"net/http"
	"strings"

	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/policy"
)

type indicatorJSON struct {
	Key         string   `json:"key"`
	Name        string   `json:"name"`
	Value       *float64 `json:"value"` // null when a ratio has no data
	Unit        string   `json:"unit"`
	Display     string   `json:"display"`
	Formula     string   `json:"formula"`
	Numerator   float64  `json:"numerator"`
	Denominator float64  `json:"denominator"`
}

// policyStats computes the policy supermarket's indicators for ?from= to
// ?to= (YYYY-MM-DD; this year so far by default), each with its formula.
// Policy staff and supervisors.
func (s *Server) policyStats(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireLogin(r); err != nil {
		return err
	}
	q := r.URL.Query()
	ind, err := s.Policy.Indicators(r.Context(), policy.IndicatorPeriod{From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to"))})
	if err != nil {
		return err
	}
	lang := httpmw.Lang(r)
	items := make([]indicatorJSON, 0, len(ind.Items))
	for _, it := range ind.Items {
		j := indicatorJSON{Key: it.Key, Name: it.Name.In(lang), Unit: it.Unit.In(lang), Display: it.Display, Formula: it.Formula.In(lang),
			Numerator: it.Numerator, Denominator: it.Denominator}
		if !(it.Display == "—" && it.Value == 0) {
			v := it.Value
			j.Value = &v
		}
		items = append(items, j)
	}
	writeJSON(w, http.StatusOK, map[string]any{"from": ind.Period.From, "to": ind.Period.To, "items": items})
	return nil
}
