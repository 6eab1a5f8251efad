package stats

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/qinqing/qinqing/internal/calendar"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/matter"
	"github.com/qinqing/qinqing/internal/seed"
)

// history describes a synthetic case history: rows of cases (sub-cases
// included) spread evenly over the working days of months ending on end.
type history struct {
	rows   int
	months int
	end    calendar.Date // the history's "today": later events have not happened yet
	seed   uint64
}

// The columns the synthetic writer fills, in the order of its row slices.
var (
	caseCols = []string{"id", "case_no", "query_code", "kind", "parent_id", "matter_code", "matter_version", "bundle_code",
		"title", "enterprise_id", "applicant_name", "contact_name", "contact_phone", "channel", "filed_by", "filed_by_role",
		"service_point_code", "authorization_note", "department_code", "state", "form", "case_type", "committed_days",
		"legal_days", "submitted_at", "submitted_on", "accepted_at", "accepted_on", "accepted_by", "accept_doc_no", "due_on",
		"decided_at", "decided_on", "decision", "decision_note", "legal_basis", "certificate_name", "certificate_no",
		"delivery_method", "delivery_address", "tracking_no", "delivered_at", "deadline_status", "version", "created_at", "updated_at"}
	pauseCols  = []string{"case_id", "kind", "special_type", "reason", "from_on", "to_on", "started_at", "ended_at"}
	ratingCols = []string{"id", "case_id", "level", "comment", "rated_by", "real_name", "excluded", "rated_at", "rated_on"}
	rectCols   = []string{"rating_id", "case_id", "department_code", "state", "due_on", "contact_note", "rectify_note",
		"return_visit_note", "closed_on", "version", "created_at", "updated_at"}
)

// synth generates the rows. Its proportions follow the demo history of
// internal/seed/history.go, which plays the same life through the case
// service: 3 % refused at the front desk, 3 % withdrawn, 6 % of decisions
// after a special procedure and 6 % after 补正, about 4 % late, 4 % denied,
// 6 % of applications 一件事 bundles, 75 % of decided cases rated.
type synth struct {
	h        history
	cal      *calendar.Calendar
	r        *rand.Rand
	firms    []firm
	depts    []string
	weights  []int
	clerk    int64
	reviewer map[string]int64 // department → a reviewer account
	forms    []string
	nextCase int64
	nextRate int64

	cases, pauses, ratings, rects [][]any
}

type firm struct {
	id   int64
	name string
}

// fillHistory seeds the departments, the demo catalogue, a few thousand
// enterprises and accounts, then writes the case history straight into
// the tables, bypassing the case service (which writes about a hundred
// cases a second: far too slow for a million). It returns the number of
// case rows written.
func fillHistory(tb testing.TB, d *db.DB, cal *calendar.Calendar, h history) int {
	tb.Helper()
	ctx := identity.WithPrincipal(context.Background(), identity.System("bench"))
	if err := seed.LoadOrgs(ctx, d); err != nil {
		tb.Fatal(err)
	}
	if err := matter.EnsureDemo(ctx, d, matter.NewService(d)); err != nil {
		tb.Fatal(err)
	}
	if err := seed.Synthetic(ctx, d, 3000, 7, nil); err != nil {
		tb.Fatal(err)
	}
	s := &synth{h: h, cal: cal, r: rand.New(rand.NewPCG(h.seed, 2026)), reviewer: map[string]int64{}, nextCase: 1, nextRate: 1}
	rows, err := d.QueryContext(ctx, "SELECT id, name FROM enterprises ORDER BY id")
	if err != nil {
		tb.Fatal(err)
	}
	for rows.Next() {
		var f firm
		if err := rows.Scan(&f.id, &f.name); err != nil {
			tb.Fatal(err)
		}
		s.firms = append(s.firms, f)
	}
	rows.Close()
	// About thirty departments take applications; market regulation,
	// tax and human resources take most (as in the demo history's weights).
	big := map[string]int{"SCJGJ": 24, "SWJ": 12, "RSJ": 10, "GAFJ": 6, "ZJW": 5, "WJW": 5, "GJJZX": 4, "SWW": 3, "WLW": 3, "GHZYJ": 3}
	for _, dep := range seed.Departments {
		if dep.Code == "ZWFWZX" || dep.Code == "SJJ" || dep.Code == "JGSWJ" {
			continue // no licensing of their own
		}
		w := big[dep.Code]
		if w == 0 {
			w = 1
		}
		s.depts = append(s.depts, dep.Code)
		s.weights = append(s.weights, w)
	}
	now := time.Now()
	err = d.InTx(ctx, func(tx *db.Tx) error {
		add := func(user, role string, dept any) (int64, error) {
			var id int64
			err := tx.QueryRowContext(ctx, `INSERT INTO accounts (username, role, department_code, password_hash, password_changed_at, created_at, updated_at)
				VALUES (?, ?, ?, 'x', ?, ?, ?) RETURNING id`, user, role, dept, now, now, now).Scan(&id)
			return id, err
		}
		var err error
		if s.clerk, err = add("bench-clerk", "window_clerk", nil); err != nil {
			return err
		}
		for _, dep := range s.depts {
			if s.reviewer[dep], err = add("bench-"+strings.ToLower(dep), "reviewer", dep); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	for i := range 64 {
		f := s.firms[i%len(s.firms)]
		b, _ := json.Marshal(map[string]string{"name": f.name, "legal_rep": "张三", "address": "重庆市北碚区天生路 " + fmt.Sprint(i+1) + " 号",
			"contact_phone": fmt.Sprintf("1380000%04d", i), "business_scope": "软件开发；信息技术咨询服务；数据处理和存储支持服务",
			"company_kind": "有限责任公司（自然人投资或控股）", "employees": fmt.Sprint(5 + i)})
		s.forms = append(s.forms, string(b))
	}

	start := calendar.Date{Year: h.end.Year, Month: h.end.Month, Day: 1}
	for range h.months - 1 {
		start = start.AddDays(-1)
		start.Day = 1
	}
	var days []calendar.Date
	for day := start; !day.After(h.end); day = day.AddDays(1) {
		if s.working(day) {
			days = append(days, day)
		}
	}
	written := 0
	for i, day := range days {
		target := h.rows * (i + 1) / len(days)
		for written < target {
			written += s.application(day)
		}
		if len(s.cases) >= 20_000 || i == len(days)-1 {
			s.flush(tb, ctx, d)
		}
	}
	if err := d.Analyze(ctx); err != nil {
		tb.Fatal(err)
	}
	if d.Dialect() == db.Postgres {
		// A live database has been vacuumed (index-only scans need the
		// visibility map) and its identities continue after the history.
		for _, q := range []string{"VACUUM ANALYZE cases, case_pauses, ratings, rectifications",
			"SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT max(id) FROM cases))",
			"SELECT setval(pg_get_serial_sequence('ratings', 'id'), (SELECT COALESCE(max(id), 1) FROM ratings))"} {
			if _, err := d.Writer().ExecContext(ctx, q); err != nil {
				tb.Fatalf("%s: %v", q, err)
			}
		}
	}
	return written
}

func (s *synth) working(d calendar.Date) bool {
	ok, _, err := s.cal.IsWorkingDay(d)
	return err == nil && ok
}

// after is n working days after d.
func (s *synth) after(d calendar.Date, n int) calendar.Date {
	r, err := s.cal.AddWorkingDays(d, n)
	if err != nil {
		panic(err)
	}
	return r.Date
}

// at is a moment in office hours of a day, China time.
func (s *synth) at(d calendar.Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 1+s.r.IntN(8), s.r.IntN(60), s.r.IntN(60), 0, time.UTC)
}

func (s *synth) dept() string {
	total := 0
	for _, w := range s.weights {
		total += w
	}
	x := s.r.IntN(total)
	for i, w := range s.weights {
		if x < w {
			return s.depts[i]
		}
		x -= w
	}
	return s.depts[0]
}

func (s *synth) channel() string {
	switch x := s.r.IntN(100); {
	case x < 55:
		return "online"
	case x < 65:
		return "app"
	case x < 88:
		return "window"
	case x < 97:
		return "service_point"
	default:
		return "mail"
	}
}

// kase is one case row being generated.
type kase struct {
	id, parent              int64
	kind, dept, channel     string
	committed               int
	submitted               calendar.Date
	accepted, decided, due  calendar.Date
	acceptedBy              int64
	state, decision         string
	deliveredOn             calendar.Date
	delivery                string
	firm                    firm
	matterCode, bundleCode  string
	submittedAt, acceptedAt time.Time
}

// application files one application on day, plays its life up to the
// history's end and returns the number of case rows it made.
func (s *synth) application(day calendar.Date) int {
	app := kase{id: s.nextCase, kind: "single", dept: s.dept(), channel: s.channel(), submitted: day,
		firm: s.firms[s.r.IntN(len(s.firms))], committed: []int{0, 1, 3, 5, 5, 10, 10, 15, 20}[s.r.IntN(9)]}
	s.nextCase++
	app.submittedAt = s.at(day)
	app.matterCode = fmt.Sprintf("%s-%03d", app.dept, s.r.IntN(40))
	var subs []*kase
	if s.r.IntN(100) < 6 {
		app.kind, app.dept, app.bundleCode, app.matterCode, app.committed = "bundle", "SCJGJ", "YJS-QYKB", "", 3
		for _, dep := range []string{"SCJGJ", "GAFJ", "SWJ", "RSJ"} {
			sub := app
			sub.id, sub.parent, sub.kind, sub.dept, sub.matterCode = s.nextCase, app.id, "sub", dep, fmt.Sprintf("%s-%03d", dep, s.r.IntN(40))
			s.nextCase++
			subs = append(subs, &sub)
		}
	}
	end := s.h.end
	x := s.r.IntN(100)
	acceptOn := day
	if s.r.IntN(3) == 0 {
		acceptOn = s.after(day, 1)
	}
	switch {
	case acceptOn.After(end):
		app.state = "submitted"
	case x < 3:
		app.state, app.decision, app.decided = "not_accepted", "not_accepted", acceptOn
	case x < 6:
		app.state, app.decided = "withdrawn", acceptOn
	default:
		if x < 10 && app.kind == "single" { // 补正 at the front desk: no clock runs yet
			acceptOn = s.after(acceptOn, 1+s.r.IntN(3))
		}
		if acceptOn.After(end) {
			app.state = "supplement_requested"
			break
		}
		app.accepted, app.acceptedAt, app.acceptedBy = acceptOn, s.at(acceptOn), s.clerk
		if app.kind == "single" && s.r.IntN(10) == 0 {
			app.acceptedBy = s.reviewer[app.dept] // taken in at the department's own window
		}
	}
	for _, sub := range subs {
		sub.state, sub.decided = app.state, app.decided
		sub.accepted, sub.acceptedAt = app.accepted, app.acceptedAt
	}
	if !app.accepted.IsZero() {
		if app.kind == "bundle" {
			// The parent is decided once every member is: denied if any was.
			app.state, app.due = "in_review", s.after(app.accepted, app.committed)
			all, denied := true, false
			var last calendar.Date
			for _, sub := range subs {
				s.decide(sub)
				if sub.decision == "" {
					all = false
					continue
				}
				denied = denied || sub.decision == "denied"
				if last.Before(sub.decided) {
					last = sub.decided
				}
			}
			if all {
				app.decided, app.state, app.decision = last, "approved", "approved"
				if denied {
					app.state, app.decision = "denied", "denied"
				}
			}
		} else {
			s.decide(&app)
		}
	}
	if app.state == "approved" {
		if on := s.after(app.decided, s.r.IntN(3)); !on.After(end) {
			app.state, app.deliveredOn, app.delivery = "delivered", on, "window"
			if s.r.IntN(10) < 6 {
				app.delivery = "mail"
			}
			for _, sub := range subs {
				sub.state, sub.deliveredOn, sub.delivery = "delivered", on, app.delivery
			}
		}
	}
	s.addCase(&app)
	for _, sub := range subs {
		s.addCase(sub)
	}
	s.rate(&app)
	return 1 + len(subs)
}

// decide has the department work an accepted single case or sub-case:
// on time, late, after a special procedure or 补正, or not yet.
func (s *synth) decide(c *kase) {
	end := s.h.end
	c.state = "in_review"
	on := c.accepted
	if c.committed > 0 {
		on = s.after(c.accepted, s.r.IntN(c.committed)+1)
	}
	var spans []calendar.Span
	switch x := s.r.IntN(100); {
	case x < 12 && c.committed > 1:
		kind := "special"
		if x >= 6 {
			kind = "supplement"
		}
		from := on
		to := s.after(from, 1+s.r.IntN(5))
		if from.After(end) {
			break
		}
		if to.After(end) { // still stopped
			c.state = map[string]string{"special": "suspended", "supplement": "supplement_requested"}[kind]
			s.pause(c.id, kind, from, calendar.Date{})
			c.due = s.after(c.accepted, c.committed)
			return
		}
		s.pause(c.id, kind, from, to)
		spans = append(spans, calendar.Span{From: from, To: to})
		on = s.after(to, 1)
	case x < 16:
		on = s.after(c.accepted, c.committed+1+s.r.IntN(3)) // late
	case x < 18:
		on = s.after(c.accepted, c.committed+5+s.r.IntN(20)) // forgotten in the queue for a while
	}
	due, err := s.cal.AddWorkingDaysPaused(c.accepted, c.committed, spans)
	if err != nil {
		panic(err)
	}
	c.due = due.Date
	if on.After(end) {
		return
	}
	c.decided, c.state, c.decision = on, "approved", "approved"
	if s.r.IntN(100) < 4 {
		c.state, c.decision = "denied", "denied"
	}
}

func (s *synth) pause(caseID int64, kind string, from, to calendar.Date) {
	special, reason := "", "补正材料"
	if kind == "special" {
		special, reason = []string{"检验", "检测", "专家评审", "现场勘验"}[s.r.IntN(4)], "需现场核查经营条件"
	}
	var toOn, endedAt any
	if !to.IsZero() {
		toOn, endedAt = to.String(), s.at(to)
	}
	s.pauses = append(s.pauses, []any{caseID, kind, special, reason, from.String(), toOn, s.at(from), endedAt})
}

func (s *synth) addCase(c *kase) {
	var parent, matterCode, matterVersion, bundleCode, acceptedAt, acceptedOn, acceptedBy, due, decidedAt, decidedOn, deliveredAt any
	if c.parent != 0 {
		parent = c.parent
	}
	if c.matterCode != "" {
		matterCode, matterVersion = c.matterCode, 1
	}
	if c.bundleCode != "" {
		bundleCode = c.bundleCode
	}
	title := "企业开办一件事"
	if c.kind != "bundle" {
		title = c.dept + "行政许可事项 " + c.matterCode
	}
	acceptDoc, certName, certNo, tracking, address, note, status := "", "", "", "", "", "", "none"
	updated := c.submittedAt
	if !c.accepted.IsZero() {
		acceptedAt, acceptedOn, due = c.acceptedAt, c.accepted.String(), c.due.String()
		acceptDoc, status, updated = fmt.Sprintf("北碚受〔%d〕%06d号", c.accepted.Year, c.id), "green", c.acceptedAt
		if c.acceptedBy != 0 && c.kind != "sub" {
			acceptedBy = c.acceptedBy
		}
	}
	if !c.decided.IsZero() {
		at := s.at(c.decided)
		decidedAt, decidedOn, status, updated = at, c.decided.String(), "done", at
		switch c.decision {
		case "approved":
			note, certName, certNo = "经审查，符合法定条件，准予办理", "许可证", fmt.Sprintf("CQBB%08d", c.id)
		case "denied":
			note = "经审查，申请人不符合法定条件"
		case "not_accepted":
			note = "申请事项不属于本机关职权范围"
		}
	}
	if !c.deliveredOn.IsZero() {
		at := s.at(c.deliveredOn)
		deliveredAt, updated = at, at
		if c.delivery == "mail" {
			tracking, address = fmt.Sprintf("EMS%010d", c.id), "按申请人预留地址"
		}
	}
	role := map[string]string{"online": "enterprise", "app": "enterprise", "window": "window_clerk", "mail": "window_clerk", "service_point": "agent"}[c.channel]
	s.cases = append(s.cases, []any{c.id, fmt.Sprintf("500109-%s-%08d", strings.ReplaceAll(c.submitted.String(), "-", ""), c.id),
		"ABCDEF", c.kind, parent, matterCode, matterVersion, bundleCode, title, c.firm.id, c.firm.name, "李四", "13800000001",
		c.channel, nil, role, nil, "", c.dept, c.state, s.forms[c.id%int64(len(s.forms))], "promise", c.committed, 2 * c.committed,
		c.submittedAt, c.submitted.String(), acceptedAt, acceptedOn, acceptedBy, acceptDoc, due, decidedAt, decidedOn, c.decision,
		note, "", certName, certNo, c.delivery, address, tracking, deliveredAt, status, 3, c.submittedAt, updated})
}

// rate has the applicant rate most decided applications within a few
// days; a 差评 opens a rectification that is usually closed.
func (s *synth) rate(c *kase) {
	if c.decided.IsZero() || s.r.IntN(100) >= 75 {
		return
	}
	last := c.decided
	if !c.deliveredOn.IsZero() {
		last = c.deliveredOn
	}
	on := s.after(last, s.r.IntN(3))
	if on.After(s.h.end) {
		return
	}
	level, comment := 5, ""
	switch x := s.r.IntN(100); {
	case x < 58:
	case x < 84:
		level = 4
	case x < 94:
		level = 3
	case x < 99:
		level, comment = 2, "窗口排队时间较长"
	default:
		level, comment = 1, "多次补正材料，耽误开业"
	}
	at := s.at(on)
	id := s.nextRate
	s.nextRate++
	state, closed, excluded := "open", any(nil), false
	if level <= 2 && s.after(on, 5).Before(s.h.end) {
		switch x := s.r.IntN(100); {
		case x < 80:
			state, closed = "closed", s.after(on, 4).String()
		case x < 85:
			state, closed, excluded = "upheld", s.after(on, 2).String(), true
		case x < 90:
			state = "appealed"
		case x < 95:
			state = "rectified"
		default:
			state = "contacted"
		}
	}
	s.ratings = append(s.ratings, []any{id, c.id, level, comment, nil, true, excluded, at, on.String()})
	if level <= 2 {
		s.rects = append(s.rects, []any{id, c.id, c.dept, state, s.after(on, 5).String(), "", "", "", closed, 1, at, at})
	}
}

// flush writes the generated rows in one transaction: COPY on PostgreSQL,
// multi-row INSERTs on SQLite.
func (s *synth) flush(tb testing.TB, ctx context.Context, d *db.DB) {
	tb.Helper()
	tables := []struct {
		name string
		cols []string
		rows [][]any
	}{{"cases", caseCols, s.cases}, {"case_pauses", pauseCols, s.pauses}, {"ratings", ratingCols, s.ratings}, {"rectifications", rectCols, s.rects}}
	var err error
	if d.Dialect() == db.Postgres {
		err = copyRows(ctx, d, func(tx pgx.Tx) error {
			for _, t := range tables {
				if _, err := tx.CopyFrom(ctx, pgx.Identifier{t.name}, t.cols, pgx.CopyFromRows(t.rows)); err != nil {
					return fmt.Errorf("copy into %s: %w", t.name, err)
				}
			}
			return nil
		})
	} else {
		err = d.InTx(ctx, func(tx *db.Tx) error {
			for _, t := range tables {
				if err := insertRows(ctx, tx, t.name, t.cols, t.rows); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err != nil {
		tb.Fatal(err)
	}
	s.cases, s.pauses, s.ratings, s.rects = s.cases[:0], s.pauses[:0], s.ratings[:0], s.rects[:0]
}

// insertRows writes rows with multi-row INSERTs of at most ~8,000 parameters.
func insertRows(ctx context.Context, tx *db.Tx, table string, cols []string, rows [][]any) error {
	per := max(1, 8000/len(cols))
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?,", len(cols)), ",") + ")"
	for len(rows) > 0 {
		n := min(per, len(rows))
		args := make([]any, 0, n*len(cols))
		for _, r := range rows[:n] {
			args = append(args, r...)
		}
		q := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES " + strings.TrimSuffix(strings.Repeat(tuple+",", n), ",")
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("insert into %s: %w", table, err)
		}
		rows = rows[n:]
	}
	return nil
}

// copyRows runs fn in a pgx transaction on a connection of the write pool.
func copyRows(ctx context.Context, d *db.DB, fn func(tx pgx.Tx) error) error {
	conn, err := d.Writer().Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("copy needs a pgx connection, have %T", dc)
		}
		tx, err := sc.Conn().Begin(ctx)
		if err != nil {
			return err
		}
		defer func() { _ = tx.Rollback(ctx) }() // a no-op after Commit
		if err := fn(tx); err != nil {
			return err
		}
		return tx.Commit(ctx)
	})
}
