package stats

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/qinqing/qinqing/internal/calendar"
	"github.com/qinqing/qinqing/internal/i18n"
)

// tally counts one group's case facts.
type tally struct {
	applications, onlineNoVisit   float64 // applications submitted; of them online with no visit to collect
	accepted, acceptedAtOneWindow float64 // acceptances; of them at the comprehensive window
	decided, onTime               float64 // decisions after acceptance; of them on time
	workingDays                   float64 // working days from acceptance to decision, summed
	ratings, satisfied            float64 // ratings (not excluded); of them 基本满意 or better
	badRatings, rectified         float64 // 差评 followed up (appeals upheld excluded); of them closed
}

// facts holds tallies per month and per department.
type facts struct {
	period  Period
	overall map[string]*tally // by department, "" = all
	monthly map[string]*tally // by month
}

func (f *facts) of(dept, mon string) []*tally {
	get := func(m map[string]*tally, k string) *tally {
		if m[k] == nil {
			m[k] = &tally{}
		}
		return m[k]
	}
	out := []*tally{get(f.overall, "")}
	if dept != "" {
		out = append(out, get(f.overall, dept))
	}
	if mon != "" {
		out = append(out, get(f.monthly, mon))
	}
	return out
}

// caseFacts reads the case data of the period.
func (s *Service) caseFacts(ctx context.Context, p Period) (*facts, error) {
	f := &facts{period: p, overall: map[string]*tally{"": {}}, monthly: map[string]*tally{}}
	deptCond, deptArgs := "", []any{}
	if p.Department != "" {
		deptCond, deptArgs = " AND k.department_code = ?", []any{p.Department}
	}
	// Applications (single cases and bundle parents) by submission month.
	rows, err := s.db.QueryContext(ctx, `SELECT k.department_code, k.submitted_on, k.channel, k.delivery_method, k.state
		FROM cases k WHERE k.kind <> 'sub'`+deptCond, deptArgs...)
	if err != nil {
		return nil, fmt.Errorf("application facts: %w", err)
	}
	for rows.Next() {
		var dept, on, channel, delivery, state string
		if err := rows.Scan(&dept, &on, &channel, &delivery, &state); err != nil {
			rows.Close()
			return nil, err
		}
		m := month(on)
		if !inPeriod(p, m) {
			continue
		}
		for _, t := range f.of(dept, m) {
			t.applications++
			if (channel == "online" || channel == "app") && delivery != "window" && state != "withdrawn" {
				t.onlineNoVisit++
			}
		}
	}
	rows.Close()

	// Acceptances by the month of acceptance: at the comprehensive window
	// (a window clerk) or at a department window (a reviewer).
	rows, err = s.db.QueryContext(ctx, `SELECT k.department_code, k.accepted_on, COALESCE(a.role, '') FROM cases k
		LEFT JOIN accounts a ON a.id = k.accepted_by WHERE k.kind <> 'sub' AND k.accepted_on IS NOT NULL`+deptCond, deptArgs...)
	if err != nil {
		return nil, fmt.Errorf("acceptance facts: %w", err)
	}
	for rows.Next() {
		var dept, on, role string
		if err := rows.Scan(&dept, &on, &role); err != nil {
			rows.Close()
			return nil, err
		}
		m := month(on)
		if !inPeriod(p, m) {
			continue
		}
		for _, t := range f.of(dept, m) {
			t.accepted++
			if role == "window_clerk" {
				t.acceptedAtOneWindow++
			}
		}
	}
	rows.Close()

	// Decisions after acceptance (single cases and sub-cases: each
	// department's own work) by the month of decision.
	type decided struct {
		id                 int64
		dept               string
		accepted, dec, due calendar.Date
	}
	var ds []decided
	rows, err = s.db.QueryContext(ctx, `SELECT k.id, k.department_code, k.accepted_on, k.decided_on, COALESCE(k.due_on, '') FROM cases k
		WHERE k.kind <> 'bundle' AND k.decision IN ('approved', 'denied') AND k.accepted_on IS NOT NULL`+deptCond, deptArgs...)
	if err != nil {
		return nil, fmt.Errorf("decision facts: %w", err)
	}
	for rows.Next() {
		var d decided
		var acc, dec, due string
		if err := rows.Scan(&d.id, &d.dept, &acc, &dec, &due); err != nil {
			rows.Close()
			return nil, err
		}
		if !inPeriod(p, month(dec)) {
			continue
		}
		d.accepted, _ = calendar.ParseDate(acc)
		d.dec, _ = calendar.ParseDate(dec)
		d.due, _ = calendar.ParseDate(due)
		ds = append(ds, d)
	}
	rows.Close()
	pauses, err := s.pausesOf(ctx)
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		used, _, err := s.cal.WorkingDaysAfterExcluding(d.accepted, d.dec, pauses[d.id])
		if err != nil {
			return nil, err
		}
		for _, t := range f.of(d.dept, d.dec.String()[:7]) {
			t.decided++
			t.workingDays += float64(used)
			if d.due.IsZero() || !d.dec.After(d.due) {
				t.onTime++
			}
		}
	}

	// Ratings by the month they were given, for the case's department.
	rows, err = s.db.QueryContext(ctx, `SELECT k.department_code, r.rated_on, r.level FROM ratings r JOIN cases k ON k.id = r.case_id
		WHERE r.excluded = FALSE`+deptCond, deptArgs...)
	if err != nil {
		return nil, fmt.Errorf("rating facts: %w", err)
	}
	for rows.Next() {
		var dept, on string
		var level int
		if err := rows.Scan(&dept, &on, &level); err != nil {
			rows.Close()
			return nil, err
		}
		if !inPeriod(p, month(on)) {
			continue
		}
		for _, t := range f.of(dept, month(on)) {
			t.ratings++
			if level >= 3 {
				t.satisfied++
			}
		}
	}
	rows.Close()

	// 差评 follow-ups by the month they opened; upheld appeals are not 差评.
	rows, err = s.db.QueryContext(ctx, `SELECT r.department_code, r.created_at, r.state FROM rectifications r JOIN cases k ON k.id = r.case_id
		WHERE r.state <> 'upheld'`+deptCond, deptArgs...)
	if err != nil {
		return nil, fmt.Errorf("rectification facts: %w", err)
	}
	for rows.Next() {
		var dept, state string
		var created any
		if err := rows.Scan(&dept, &created, &state); err != nil {
			rows.Close()
			return nil, err
		}
		m := monthOfTime(created)
		if !inPeriod(p, m) {
			continue
		}
		for _, t := range f.of(dept, m) {
			t.badRatings++
			if state == "closed" {
				t.rectified++
			}
		}
	}
	rows.Close()
	return f, nil
}

// pausesOf loads every case's clock stops.
func (s *Service) pausesOf(ctx context.Context) (map[int64][]calendar.Span, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT case_id, from_on, COALESCE(to_on, '') FROM case_pauses")
	if err != nil {
		return nil, fmt.Errorf("pauses: %w", err)
	}
	defer rows.Close()
	out := map[int64][]calendar.Span{}
	for rows.Next() {
		var id int64
		var from, to string
		if err := rows.Scan(&id, &from, &to); err != nil {
			return nil, err
		}
		f, _ := calendar.ParseDate(from)
		t, _ := calendar.ParseDate(to)
		out[id] = append(out[id], calendar.Span{From: f, To: t})
	}
	return out, rows.Err()
}

func (f *facts) months() []string { return sortedKeys(f.monthly) }

func (f *facts) departments() []string {
	var out []string
	for _, k := range sortedKeys(f.overall) {
		if k != "" {
			out = append(out, k)
		}
	}
	return out
}

func (f *facts) indicators(dept string) []Indicator {
	t := f.overall[dept]
	if t == nil {
		t = &tally{}
	}
	return t.indicators()
}

func (f *facts) monthIndicators(m string) []Indicator { return f.monthly[m].indicators() }

func (t *tally) indicators() []Indicator {
	avg := Indicator{Key: "avg_working_days", Name: i18n.M("平均办理时长（工作日）", "Average working days to decision"),
		Formula: i18n.M("Σ（受理次日至办结日的工作日数，扣除补正和特别程序）÷ 办结件数", "Σ working days from acceptance to decision, less 补正 and special procedures ÷ decisions"),
		Unit:    "days", Numerator: t.workingDays, Denominator: t.decided}
	if t.decided > 0 {
		v := math.Round(100*t.workingDays/t.decided) / 100
		avg.Value = &v
	}
	return []Indicator{
		count("applications", i18n.M("申请件数", "Applications"), i18n.M("期间提交的办件（一件事计一件）", "Applications submitted in the period (a bundle counts once)"), t.applications),
		ratio("full_online_rate", i18n.M("全流程网上办理率", "Fully online rate"),
			i18n.M("网上或移动端申请且无须到现场取件的件数 ÷ 申请件数", "Applications made online or in the app and not collected in person ÷ applications"), t.onlineNoVisit, t.applications),
		ratio("one_window_rate", i18n.M("一窗分类受理率", "One-window acceptance rate"),
			i18n.M("综合窗口受理件数 ÷ 受理件数（其余为部门专窗受理）", "Applications accepted at the comprehensive window ÷ acceptances (the rest at department windows)"), t.acceptedAtOneWindow, t.accepted),
		ratio("on_time_rate", i18n.M("按时办结率", "On-time completion rate"),
			i18n.M("在承诺时限内办结的件数 ÷ 办结件数", "Decisions within the committed limit ÷ decisions"), t.onTime, t.decided),
		avg,
		ratio("satisfaction_rate", i18n.M("满意率", "Satisfaction rate"),
			i18n.M("“非常满意”“满意”“基本满意”评价数 ÷ 评价总数（申诉成立的除外）", "Ratings of fairly satisfied or better ÷ ratings (upheld appeals excluded)"), t.satisfied, t.ratings),
		ratio("rectification_rate", i18n.M("差评整改率", "Bad-rating rectification rate"),
			i18n.M("已整改并回访的差评数 ÷ 差评数（申诉成立的除外）", "Bad ratings rectified with a return visit ÷ bad ratings (upheld appeals excluded)"), t.rectified, t.badRatings),
	}
}

// monthOfTime is the China month of a scanned timestamp.
func monthOfTime(v any) string {
	if t, ok := v.(time.Time); ok {
		return t.In(chinaTZ).Format("2006-01")
	}
	if s, ok := v.(string); ok {
		return month(s)
	}
	return ""
}

var chinaTZ = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}()
