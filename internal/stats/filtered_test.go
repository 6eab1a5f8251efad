package stats

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qinqing/qinqing/internal/calendar"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/identity"
)

// boundaryDept takes no applications in the synthetic history, so the two
// hand-made cases below are all a report for it counts.
const boundaryDept = "ZWFWZX"

// TestFilteredReportsMatchTheFullScan checks that reading only the rows of
// the period and department in SQL gives, for every period, the very
// report the original full scan gives — on a synthetic history and on two
// cases whose events straddle month boundaries, each counted in the month
// it happened.
func TestFilteredReportsMatchTheFullScan(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := identity.WithPrincipal(context.Background(), identity.System("test"))
		cal := calendar.New(calendar.Options{FallbackWeekends: true})
		fillHistory(t, d, cal, history{rows: 3000, months: 36, end: benchEnd, seed: 3})
		addBoundaryCases(t, d)
		s := New(d, cal)

		periods := []Period{{}, {From: "2025-01", To: "2025-12"}, {From: "2026-02"}, {To: "2024-06"},
			{From: "2026-01", To: "2026-04", Department: boundaryDept}, {From: "2025-01", To: "2025-12", Department: "SCJGJ"},
			{From: "1999-01", To: "1999-12"}}
		for m := (calendar.Date{Year: 2023, Month: time.November, Day: 1}); m.Year < 2027; m = m.AddDays(32) {
			m.Day = 1
			mon := m.String()[:7]
			periods = append(periods, Period{From: mon, To: mon}, Period{From: mon, To: mon, Department: boundaryDept})
		}
		for _, dep := range []string{"SWJ", "RSJ", "GAFJ", "LYJ", "NOSUCH"} {
			periods = append(periods, Period{From: "2024-07", To: "2025-06", Department: dep})
		}
		for _, p := range periods {
			want, err := s.baselineGovernmentServices(ctx, p)
			if err != nil {
				t.Fatalf("%+v: full scan: %v", p, err)
			}
			got, err := s.GovernmentServices(ctx, p)
			if err != nil {
				t.Fatalf("%+v: %v", p, err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%+v: the filtered report differs from the full scan (-full +filtered):\n%s", p, diff)
			}
		}

		// Each event of the boundary cases is counted in its own month.
		type nd = [2]float64 // numerator, denominator
		for _, c := range []struct {
			p    Period
			want map[string]nd
		}{
			{Period{From: "2026-01", To: "2026-01"}, map[string]nd{"applications": {1, 1}, "full_online_rate": {1, 1},
				"one_window_rate": {0, 0}, "on_time_rate": {0, 0}, "satisfaction_rate": {0, 0}, "rectification_rate": {0, 0}}},
			{Period{From: "2026-02", To: "2026-02"}, map[string]nd{"applications": {1, 1}, "full_online_rate": {0, 1},
				"one_window_rate": {1, 2}, "on_time_rate": {0, 0}, "avg_working_days": {0, 0}}},
			{Period{From: "2026-03", To: "2026-03"}, map[string]nd{"applications": {0, 1}, "one_window_rate": {0, 0},
				"on_time_rate": {1, 2}, "avg_working_days": {12 + 22, 2}, "satisfaction_rate": {0, 0}, "rectification_rate": {0, 0}}},
			{Period{From: "2026-04", To: "2026-04"}, map[string]nd{"applications": {0, 1}, "on_time_rate": {0, 0},
				"satisfaction_rate": {0, 1}, "rectification_rate": {1, 1}}},
			{Period{From: "2026-01", To: "2026-04"}, map[string]nd{"applications": {2, 1}, "full_online_rate": {1, 2},
				"one_window_rate": {1, 2}, "on_time_rate": {1, 2}, "avg_working_days": {34, 2}, "satisfaction_rate": {0, 1},
				"rectification_rate": {1, 1}}},
		} {
			c.p.Department = boundaryDept
			rep, err := s.GovernmentServices(ctx, c.p)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]Indicator{}
			for _, in := range rep.Overall {
				got[in.Key] = in
			}
			for key, w := range c.want {
				if in := got[key]; in.Numerator != w[0] || in.Denominator != w[1] {
					t.Errorf("%s to %s: %s = %v / %v, want %v / %v", c.p.From, c.p.To, key, in.Numerator, in.Denominator, w[0], w[1])
				}
			}
		}
	})
}

// addBoundaryCases files two cases of boundaryDept whose events fall in
// different months:
//
//   - A: submitted online Fri 2026-01-30, accepted at the comprehensive
//     window Mon 02-02, 补正 from Thu 02-05 to Tue 02-10 (4 working days),
//     approved Mon 03-02, due 03-03: on time after 16 − 4 = 12 working days
//     (the Spring Festival break 02-15…02-23 and the make-up Saturdays
//     02-14 and 02-28 included); mailed; rated 不满意 on Wed 04-01, its
//     rectification opened at 00:30 China time on 04-01 (still March in
//     UTC) and closed.
//   - B: submitted at the window Fri 02-27, accepted at the department's
//     own window on the make-up Saturday 02-28, denied Tue 03-31 after its
//     due day 03-20: late, 22 working days; rated 非常不满意 on 03-31, the
//     department's appeal upheld, so neither the rating nor its
//     rectification counts.
func addBoundaryCases(t *testing.T, d *db.DB) {
	t.Helper()
	ctx := identity.WithPrincipal(context.Background(), identity.System("test"))
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	err := d.InTx(ctx, func(tx *db.Tx) error {
		var ent, clerk, reviewer int64
		if err := tx.QueryRowContext(ctx, "SELECT min(id) FROM enterprises").Scan(&ent); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, "SELECT id FROM accounts WHERE role = 'window_clerk' ORDER BY id LIMIT 1").Scan(&clerk); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, "SELECT id FROM accounts WHERE role = 'reviewer' ORDER BY id LIMIT 1").Scan(&reviewer); err != nil {
			return err
		}
		for _, c := range []struct {
			no, channel, state, decision, delivery string
			submitted, accepted, decided           string
			acceptedBy                             int64
			due                                    string
		}{
			{"BOUNDARY-A", "online", "delivered", "approved", "mail", "2026-01-30T02:00:00Z", "2026-02-02T01:30:00Z", "2026-03-02T06:00:00Z", clerk, "2026-03-03"},
			{"BOUNDARY-B", "window", "denied", "denied", "", "2026-02-27T03:00:00Z", "2026-02-28T01:00:00Z", "2026-03-31T08:00:00Z", reviewer, "2026-03-20"},
		} {
			sub, acc, dec := utc(c.submitted), utc(c.accepted), utc(c.decided)
			var id int64
			err := tx.QueryRowContext(ctx, `INSERT INTO cases (case_no, query_code, kind, title, enterprise_id, applicant_name, channel,
				filed_by_role, department_code, state, case_type, committed_days, legal_days, submitted_at, submitted_on,
				accepted_at, accepted_on, accepted_by, due_on, decided_at, decided_on, decision, delivery_method, created_at, updated_at)
				VALUES (?, 'ABCDEF', 'single', '边界测试', ?, '边界测试有限公司', ?, 'enterprise', ?, ?, 'promise', 10, 20, ?, ?,
				?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				c.no, ent, c.channel, boundaryDept, c.state, sub, calendar.DateOf(sub).String(),
				acc, calendar.DateOf(acc).String(), c.acceptedBy, c.due, dec, calendar.DateOf(dec).String(), c.decision, c.delivery, sub, dec).Scan(&id)
			if err != nil {
				return fmt.Errorf("case %s: %w", c.no, err)
			}
			level, excluded, rated, rect, state := 2, false, "2026-03-31T16:30:00Z", "2026-03-31T16:30:00Z", "closed"
			if c.no == "BOUNDARY-A" {
				if _, err := tx.ExecContext(ctx, `INSERT INTO case_pauses (case_id, kind, reason, from_on, to_on, started_at, ended_at)
					VALUES (?, 'supplement', '补正材料', '2026-02-05', '2026-02-10', ?, ?)`, id, utc("2026-02-05T02:00:00Z"), utc("2026-02-10T02:00:00Z")); err != nil {
					return err
				}
			} else {
				level, excluded, rated, rect, state = 1, true, "2026-03-31T09:00:00Z", "2026-03-31T09:00:00Z", "upheld"
			}
			var rating int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO ratings (case_id, level, comment, real_name, excluded, rated_at, rated_on)
				VALUES (?, ?, '等待太久', TRUE, ?, ?, ?) RETURNING id`, id, level, excluded, utc(rated), calendar.DateOf(utc(rated)).String()).Scan(&rating); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO rectifications (rating_id, case_id, department_code, state, due_on, created_at, updated_at)
				VALUES (?, ?, ?, ?, '2026-04-08', ?, ?)`, rating, id, boundaryDept, state, utc(rect), utc(rect)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestPeriodRefusesMonthsThatDoNotExist: a month outside 01–12 or with
// letters is a field error, not an empty report.
func TestPeriodRefusesMonthsThatDoNotExist(t *testing.T) {
	for _, p := range []Period{{From: "2026-13"}, {From: "2026-00"}, {To: "abcd-ef"}, {From: "2026-1"}, {From: "2026-02", To: "2026-01"}} {
		if err := p.Validate(); err == nil {
			t.Errorf("%+v accepted", p)
		}
	}
	for _, p := range []Period{{}, {From: "2026-01"}, {From: "2025-12", To: "2026-01"}} {
		if err := p.Validate(); err != nil {
			t.Errorf("%+v: %v", p, err)
		}
	}
}
