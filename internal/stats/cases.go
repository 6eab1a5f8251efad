package stats

import (
	"context"
	"fmt"
	"math"
	"strconv"
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

// caseFacts reads the case data of the period. Each kind of event is
// selected by its own date column (submitted_on, accepted_on, decided_on,
// rated_on, created_at), so the period and the department go into the SQL
// and the indexes of migration 0007 find the rows; counts are summed per
// department and day by the database, and only decisions come back one row
// each, because their working days need the calendar. The month of every
// row is still checked here: SQL bounds only narrow what is read, the
// months are decided exactly as before.
func (s *Service) caseFacts(ctx context.Context, p Period) (*facts, error) {
	f := &facts{period: p, overall: map[string]*tally{"": {}}, monthly: map[string]*tally{}}
	for _, step := range []func(context.Context, *facts) error{s.applicationFacts, s.acceptanceFacts, s.decisionFacts, s.ratingFacts, s.rectificationFacts} {
		if err := step(ctx, f); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// filter is the WHERE conditions and arguments of the period on a date
// column and of the department.
func (f *facts) filter(dateCol string) (string, []any) {
	var cond string
	var args []any
	lo, hi, ok := dayBounds(f.period)
	if ok {
		if lo != "" {
			cond, args = cond+" AND "+dateCol+" >= ?", append(args, lo)
		}
		if hi != "" {
			cond, args = cond+" AND "+dateCol+" < ?", append(args, hi)
		}
	}
	cond, args = f.departmentFilter(cond, args, ok && (lo != "" || hi != ""))
	return cond, args
}

// departmentFilter adds the department condition. When the period bounds
// a date, the date's index is what narrows the rows and the department is
// checked on its entries: the condition is then written as an expression
// that no index matches, because SQLite, with the sampled statistics it
// gathers on open, takes the department for the more selective condition
// and would read, through cases_department_state, every case the
// department ever had (a quarter of all cases for market regulation).
func (f *facts) departmentFilter(cond string, args []any, dated bool) (string, []any) {
	switch {
	case f.period.Department == "":
		return cond, args
	case dated:
		return cond + " AND k.department_code || '' = ?", append(args, f.period.Department)
	default:
		return cond + " AND k.department_code = ?", append(args, f.period.Department)
	}
}

// dayBounds turns the period into days for SQL: the first day of From and
// the first day of the month after To ("" where the period is open). ok is
// false for a month Validate lets through but that is not a calendar month
// ("2026-13"); such a period is then filtered in Go only. The bounds are
// whole YYYY-MM-DD dates, compared with dates of the same form, so the
// comparison orders them alike under any collation.
func dayBounds(p Period) (lo, hi string, ok bool) {
	if p.From != "" {
		y, m, ok := parseMonth(p.From)
		if !ok {
			return "", "", false
		}
		lo = fmt.Sprintf("%04d-%02d-01", y, m)
	}
	if p.To != "" {
		y, m, ok := parseMonth(p.To)
		if !ok {
			return "", "", false
		}
		if m == 12 {
			y, m = y+1, 0
		}
		hi = fmt.Sprintf("%04d-%02d-01", y, m+1)
	}
	return lo, hi, true
}

func parseMonth(s string) (year, month int, ok bool) {
	if len(s) != 7 || s[4] != '-' {
		return 0, 0, false
	}
	for i, c := range []byte(s) {
		if i != 4 && (c < '0' || c > '9') {
			return 0, 0, false
		}
	}
	year, _ = strconv.Atoi(s[:4])
	month, _ = strconv.Atoi(s[5:])
	return year, month, year >= 1 && month >= 1 && month <= 12
}

// applicationFacts counts applications (single cases and bundle parents)
// by submission month.
func (s *Service) applicationFacts(ctx context.Context, f *facts) error {
	cond, args := f.filter("k.submitted_on")
	rows, err := s.db.QueryContext(ctx, `SELECT k.department_code, k.submitted_on, count(*),
		SUM(CASE WHEN k.channel IN ('online', 'app') AND k.delivery_method <> 'window' AND k.state <> 'withdrawn' THEN 1 ELSE 0 END)
		FROM cases k WHERE k.kind <> 'sub'`+cond+` GROUP BY k.department_code, k.submitted_on`, args...)
	if err != nil {
		return fmt.Errorf("application facts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var dept, on string
		var n, noVisit float64
		if err := rows.Scan(&dept, &on, &n, &noVisit); err != nil {
			return err
		}
		m := month(on)
		if !inPeriod(f.period, m) {
			continue
		}
		for _, t := range f.of(dept, m) {
			t.applications += n
			t.onlineNoVisit += noVisit
		}
	}
	return rows.Err()
}

// acceptanceFacts counts acceptances by the month of acceptance: at the
// comprehensive window (a window clerk) or at a department window (a
// reviewer). Grouping by the accepting account instead of joining the
// accounts keeps the query on the cases index.
func (s *Service) acceptanceFacts(ctx context.Context, f *facts) error {
	clerks := map[int64]bool{}
	rows, err := s.db.QueryContext(ctx, "SELECT id FROM accounts WHERE role = 'window_clerk'")
	if err != nil {
		return fmt.Errorf("acceptance facts: %w", err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		clerks[id] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	cond, args := f.filter("k.accepted_on")
	rows, err = s.db.QueryContext(ctx, `SELECT k.department_code, k.accepted_on, COALESCE(k.accepted_by, 0), count(*) FROM cases k
		WHERE k.kind <> 'sub' AND k.accepted_on IS NOT NULL`+cond+` GROUP BY k.department_code, k.accepted_on, k.accepted_by`, args...)
	if err != nil {
		return fmt.Errorf("acceptance facts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var dept, on string
		var by int64
		var n float64
		if err := rows.Scan(&dept, &on, &by, &n); err != nil {
			return err
		}
		m := month(on)
		if !inPeriod(f.period, m) {
			continue
		}
		for _, t := range f.of(dept, m) {
			t.accepted += n
			if clerks[by] {
				t.acceptedAtOneWindow += n
			}
		}
	}
	return rows.Err()
}

// decisionConds selects the decisions after acceptance: single cases and
// sub-cases (each department's own work), by the month of decision.
const decisionConds = `k.kind <> 'bundle' AND k.decision IN ('approved', 'denied') AND k.accepted_on IS NOT NULL`

// decisionFacts counts decisions, those on time and the working days they
// took, less the clock stops of exactly the cases decided in the period.
func (s *Service) decisionFacts(ctx context.Context, f *facts) error {
	cond, args := f.filter("k.decided_on")
	pauses, err := s.pausesOf(ctx, cond, args)
	if err != nil {
		return err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT k.id, k.department_code, k.accepted_on, k.decided_on, COALESCE(k.due_on, '') FROM cases k
		WHERE `+decisionConds+cond, args...)
	if err != nil {
		return fmt.Errorf("decision facts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var dept, acc, dec, due string
		if err := rows.Scan(&id, &dept, &acc, &dec, &due); err != nil {
			return err
		}
		if !inPeriod(f.period, month(dec)) {
			continue
		}
		accepted, _ := calendar.ParseDate(acc)
		decided, _ := calendar.ParseDate(dec)
		dueOn, _ := calendar.ParseDate(due)
		used, _, err := s.cal.WorkingDaysAfterExcluding(accepted, decided, pauses[id])
		if err != nil {
			return err
		}
		for _, t := range f.of(dept, decided.String()[:7]) {
			t.decided++
			t.workingDays += float64(used)
			if dueOn.IsZero() || !decided.After(dueOn) {
				t.onTime++
			}
		}
	}
	return rows.Err()
}

// pausesOf loads the clock stops of the decisions the conditions select.
func (s *Service) pausesOf(ctx context.Context, cond string, args []any) (map[int64][]calendar.Span, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT p.case_id, p.from_on, COALESCE(p.to_on, '') FROM case_pauses p
		JOIN cases k ON k.id = p.case_id WHERE `+decisionConds+cond, args...)
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

// ratingFacts counts ratings by the month they were given, for the case's
// department.
func (s *Service) ratingFacts(ctx context.Context, f *facts) error {
	cond, args := f.filter("r.rated_on")
	rows, err := s.db.QueryContext(ctx, `SELECT k.department_code, r.rated_on, count(*), SUM(CASE WHEN r.level >= 3 THEN 1 ELSE 0 END)
		FROM ratings r JOIN cases k ON k.id = r.case_id WHERE r.excluded = FALSE`+cond+` GROUP BY k.department_code, r.rated_on`, args...)
	if err != nil {
		return fmt.Errorf("rating facts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var dept, on string
		var n, satisfied float64
		if err := rows.Scan(&dept, &on, &n, &satisfied); err != nil {
			return err
		}
		m := month(on)
		if !inPeriod(f.period, m) {
			continue
		}
		for _, t := range f.of(dept, m) {
			t.ratings += n
			t.satisfied += satisfied
		}
	}
	return rows.Err()
}

// rectificationFacts counts 差评 follow-ups by the month they opened;
// upheld appeals are not 差评. created_at is a timestamp and the month is
// China's, so SQL narrows to the period widened by a day on each side and
// the month is decided here.
func (s *Service) rectificationFacts(ctx context.Context, f *facts) error {
	var cond string
	var args []any
	lo, hi, ok := dayBounds(f.period)
	if ok {
		if lo != "" {
			d, _ := calendar.ParseDate(lo)
			cond, args = cond+" AND r.created_at >= ?", append(args, d.AddDays(-1).Time().UTC())
		}
		if hi != "" {
			d, _ := calendar.ParseDate(hi)
			cond, args = cond+" AND r.created_at < ?", append(args, d.AddDays(1).Time().UTC())
		}
	}
	cond, args = f.departmentFilter(cond, args, ok && (lo != "" || hi != ""))
	rows, err := s.db.QueryContext(ctx, `SELECT r.department_code, r.created_at, r.state FROM rectifications r JOIN cases k ON k.id = r.case_id
		WHERE r.state <> 'upheld'`+cond, args...)
	if err != nil {
		return fmt.Errorf("rectification facts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var dept, state string
		var created any
		if err := rows.Scan(&dept, &created, &state); err != nil {
			return err
		}
		m := monthOfTime(created)
		if !inPeriod(f.period, m) {
			continue
		}
		for _, t := range f.of(dept, m) {
			t.badRatings++
			if state == "closed" {
				t.rectified++
			}
		}
	}
	return rows.Err()
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
