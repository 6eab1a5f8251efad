// Package stats computes the indicators that show how well the platform's
// services work, from live data, each with the formula it uses shown next
// to its value — so that a number can be checked, not just believed.
package stats

import (
	"context"
	"fmt"
	"sort"

	"github.com/qinqing/qinqing/internal/calendar"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
)

// Indicator is one measured value with its definition.
type Indicator struct {
	Key         string   `json:"key"`
	Name        i18n.Msg `json:"-"`
	Formula     i18n.Msg `json:"-"`
	Unit        string   `json:"unit"` // percent, count, days
	Numerator   float64  `json:"numerator"`
	Denominator float64  `json:"denominator"`
	Value       *float64 `json:"value"` // nil when the denominator is 0
}

func ratio(key string, name, formula i18n.Msg, num, den float64) Indicator {
	ind := Indicator{Key: key, Name: name, Formula: formula, Unit: "percent", Numerator: num, Denominator: den}
	if den > 0 {
		v := 100 * num / den
		ind.Value = &v
	}
	return ind
}

func count(key string, name, formula i18n.Msg, n float64) Indicator {
	return Indicator{Key: key, Name: name, Formula: formula, Unit: "count", Numerator: n, Denominator: 1, Value: &n}
}

// Period is a range of months, inclusive, as YYYY-MM.
type Period struct {
	From, To   string
	Department string // empty: the whole district
}

// Validate checks the period.
func (p Period) Validate() error {
	f := errs.Fields{}
	for name, v := range map[string]string{"from": p.From, "to": p.To} {
		if _, _, ok := parseMonth(v); v != "" && !ok {
			f.Add(name, i18n.M("月份应为 YYYY-MM，月份为 01–12", "Months are YYYY-MM with a month from 01 to 12"))
		}
	}
	if p.From != "" && p.To != "" && p.To < p.From {
		f.Add("to", i18n.M("结束月份早于开始月份", "The end month is before the start"))
	}
	return f.Err()
}

// Report is the government-services indicators for a period, overall, per
// month and per department.
type Report struct {
	Period       Period
	Overall      []Indicator
	ByMonth      []Group
	ByDepartment []Group
}

// Group is the indicators of one month or one department.
type Group struct {
	Key        string // YYYY-MM or a department code
	Indicators []Indicator
}

// Service computes indicators.
type Service struct {
	db  *db.DB
	cal *calendar.Calendar
}

// New returns the indicator service.
func New(d *db.DB, cal *calendar.Calendar) *Service { return &Service{db: d, cal: cal} }

// GovernmentServices computes the 政务服务 indicators. The catalogue
// indicators (time-limit compression and the matter counts) describe the
// catalogue as it is now; the others count cases by the month their event
// happened (submitted, decided, rated) within the period.
func (s *Service) GovernmentServices(ctx context.Context, p Period) (Report, error) {
	if err := p.Validate(); err != nil {
		return Report{}, err
	}
	rep := Report{Period: p}
	catalogue, err := s.catalogue(ctx, p.Department)
	if err != nil {
		return Report{}, err
	}
	facts, err := s.caseFacts(ctx, p)
	if err != nil {
		return Report{}, err
	}
	rep.Overall = append(catalogue, facts.indicators("")...)
	for _, m := range facts.months() {
		rep.ByMonth = append(rep.ByMonth, Group{Key: m, Indicators: facts.monthIndicators(m)})
	}
	for _, d := range facts.departments() {
		inds, err := s.catalogue(ctx, d)
		if err != nil {
			return Report{}, err
		}
		rep.ByDepartment = append(rep.ByDepartment, Group{Key: d, Indicators: append(inds, facts.indicators(d)...)})
	}
	return rep, nil
}

// catalogue computes the indicators of the matter catalogue.
func (s *Service) catalogue(ctx context.Context, dept string) ([]Indicator, error) {
	cond, args := "m.active = TRUE", []any{}
	if dept != "" {
		cond, args = cond+" AND m.department_code = ?", append(args, dept)
	}
	var legal, committed, zeroVisit, maxOne, zeroMat, fullOnline, total float64
	err := s.db.QueryRowContext(ctx, `SELECT
		COALESCE(SUM(CASE WHEN v.legal_limit_days > 0 THEN v.legal_limit_days ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN v.legal_limit_days > 0 THEN v.committed_limit_days ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN m.zero_visit THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN m.max_one_visit THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN m.zero_materials THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN m.full_online THEN 1 ELSE 0 END), 0),
		count(*)
		FROM matters m JOIN matter_versions v ON v.matter_code = m.code AND v.version = m.current_version WHERE `+cond, args...).
		Scan(&legal, &committed, &zeroVisit, &maxOne, &zeroMat, &fullOnline, &total)
	if err != nil {
		return nil, fmt.Errorf("catalogue indicators: %w", err)
	}
	var bundles float64
	bcond, bargs := "active = TRUE", []any{}
	if dept != "" {
		bcond, bargs = bcond+" AND lead_department_code = ?", append(bargs, dept)
	}
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM bundles WHERE "+bcond, bargs...).Scan(&bundles); err != nil {
		return nil, fmt.Errorf("bundle count: %w", err)
	}
	compression := ratio("time_limit_compression",
		i18n.M("审批时限压缩率", "Time-limit compression"),
		i18n.M("1 − Σ承诺办结时限 ÷ Σ法定办结时限（在用事项，法定时限大于 0 的）", "1 − Σ committed limit ÷ Σ statutory limit (active matters with a statutory limit)"),
		legal-committed, legal)
	return []Indicator{
		compression,
		count("matters", i18n.M("在用事项数", "Active matters"), i18n.M("目录中启用的事项数", "Active matters in the catalogue"), total),
		count("zero_visit_matters", i18n.M("零跑腿事项数", "Zero-visit matters"), i18n.M("到现场次数为 0 的在用事项数", "Active matters needing no visit"), zeroVisit),
		count("max_one_visit_matters", i18n.M("最多跑一次事项数", "At-most-one-visit matters"), i18n.M("到现场次数 ≤ 1 的在用事项数", "Active matters needing at most one visit"), maxOne),
		count("full_online_matters", i18n.M("全程网办事项数", "Fully online matters"), i18n.M("网上办理深度为 4 的在用事项数", "Active matters at online depth 4"), fullOnline),
		count("zero_material_matters", i18n.M("零材料事项数", "Zero-material matters"), i18n.M("无须申请人提交任何必需材料的在用事项数", "Active matters the applicant provides no required material for"), zeroMat),
		count("bundles", i18n.M("一件事数", "One-thing bundles"), i18n.M("启用的“一件事一次办”主题数", "Active bundles"), bundles),
	}, nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func month(date string) string {
	if len(date) >= 7 {
		return date[:7]
	}
	return ""
}

func inPeriod(p Period, m string) bool {
	return m != "" && (p.From == "" || m >= p.From) && (p.To == "" || m <= p.To)
}
