package stats

import "github.com/qinqing/qinqing/internal/i18n"

// IndicatorJSON is an indicator in one language.
type IndicatorJSON struct {
	Key         string   `json:"key"`
	Name        string   `json:"name"`
	Formula     string   `json:"formula"`
	Unit        string   `json:"unit"`
	Value       *float64 `json:"value"`
	Numerator   float64  `json:"numerator"`
	Denominator float64  `json:"denominator"`
}

// GroupJSON is a month's or a department's indicators.
type GroupJSON struct {
	Key        string          `json:"key"`
	Indicators []IndicatorJSON `json:"indicators"`
}

// indicatorsJSON renders indicators in a language.
func indicatorsJSON(inds []Indicator, lang i18n.Lang) []IndicatorJSON {
	out := make([]IndicatorJSON, 0, len(inds))
	for _, in := range inds {
		out = append(out, IndicatorJSON{Key: in.Key, Name: in.Name.In(lang), Formula: in.Formula.In(lang), Unit: in.Unit,
			Value: in.Value, Numerator: in.Numerator, Denominator: in.Denominator})
	}
	return out
}

// ReportJSON is the indicator report as the API and the chart page send it.
type ReportJSON struct {
	From         string          `json:"from,omitempty"`
	To           string          `json:"to,omitempty"`
	Department   string          `json:"department,omitempty"`
	Indicators   []IndicatorJSON `json:"indicators"`
	ByMonth      []GroupJSON     `json:"by_month"`
	ByDepartment []GroupJSON     `json:"by_department"`
}

// JSON renders a report in a language.
func JSON(r Report, lang i18n.Lang) ReportJSON {
	out := ReportJSON{From: r.Period.From, To: r.Period.To, Department: r.Period.Department, Indicators: indicatorsJSON(r.Overall, lang),
		ByMonth: []GroupJSON{}, ByDepartment: []GroupJSON{}}
	for _, g := range r.ByMonth {
		out.ByMonth = append(out.ByMonth, GroupJSON{Key: g.Key, Indicators: indicatorsJSON(g.Indicators, lang)})
	}
	for _, g := range r.ByDepartment {
		out.ByDepartment = append(out.ByDepartment, GroupJSON{Key: g.Key, Indicators: indicatorsJSON(g.Indicators, lang)})
	}
	return out
}
