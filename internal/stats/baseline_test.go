package stats

// The indicator computation as it was before the period and department
// filters moved into SQL, kept here (and only here) as the baseline that
// bench_test.go measures against and filtered_test.go checks the new path
// against. Do not "improve" it: its value is that it is the old code.

import (
	"context"
	"fmt"

	"github.com/qinqing/qinqing/internal/calendar"
	"github.com/qinqing/qinqing/internal/i18n"
)

// baselineGovernmentServices is the original GovernmentServices.
func (s *Service) baselineGovernmentServices(ctx context.Context, p Period) (Report, error) {
	if err := p.Validate(); err != nil {
		return Report{}, err
	}
	rep := Report{Period: p}
	catalogue, err := s.baselineCatalogue(ctx, p.Department)
	if err != nil {
		return Report{}, err
	}
	facts, err := s.baselineCaseFacts(ctx, p)
	if err != nil {
		return Report{}, err
	}
	rep.Overall = append(catalogue, facts.indicators("")...)
	for _, m := range facts.months() {
		rep.ByMonth = append(rep.ByMonth, Group{Key: m, Indicators: facts.monthIndicators(m)})
	}
	for _, d := range facts.departments() {
		inds, err := s.baselineCatalogue(ctx, d)
		if err != nil {
			return Report{}, err
		}
		rep.ByDepartment = append(rep.ByDepartment, Group{Key: d, Indicators: append(inds, facts.indicators(d)...)})
	}
	return rep, nil
}

// baselineCatalogue is the original catalogue: one pair of queries per call.
func (s *Service) baselineCatalogue(ctx context.Context, dept string) ([]Indicator, error) {
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

// baselineCaseFacts is the original caseFacts, kept verbatim apart from its
// name: it reads every case row of the database and filters the period in Go.
func (s *Service) baselineCaseFacts(ctx context.Context, p Period) (*facts, error) {
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
	pauses, err := s.baselinePausesOf(ctx)
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

// baselinePausesOf is the original pausesOf: every row of case_pauses.
func (s *Service) baselinePausesOf(ctx context.Context) (map[int64][]calendar.Span, error) {
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
