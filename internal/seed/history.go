package seed

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/qinqing/qinqing/internal/calendar"
	"github.com/qinqing/qinqing/internal/casework"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/matter"
	"github.com/qinqing/qinqing/internal/notify"
)

// historyDays is how far back the demo case history reaches.
const historyDays = 180

// historyPerDay is the average number of applications per working day.
const historyPerDay = 5.0

// demoHistory files and works through half a year of applications as
// real people would — through the case service with its clock set to each
// moment — so every indicator has data behind it: on-time and late
// decisions, 补正 and special procedures, refusals, withdrawals, bundles,
// deliveries, ratings and the follow-up of bad ones. The newest cases are
// left open, some at risk or overdue. It does nothing when cases exist.
func demoHistory(ctx context.Context, d *db.DB, s Services, progress func(string, int, int)) error {
	var n int
	if err := d.QueryRowContext(ctx, "SELECT count(*) FROM cases").Scan(&n); err != nil || n > 0 {
		return err
	}
	h, err := newHistory(ctx, d, s)
	if err != nil {
		return err
	}
	defer s.Cases.SetClock(func() time.Time { return time.Now().UTC() })
	today := calendar.DateOf(time.Now())
	start := today.AddDays(-historyDays)
	total := historyDays
	for i := 0; i <= historyDays; i++ {
		day := start.AddDays(i)
		if err := h.day(ctx, day, today); err != nil {
			return fmt.Errorf("demo history %s: %w", day, err)
		}
		progress("case history", i, total)
	}
	s.Cases.SetClock(func() time.Time { return time.Now().UTC() })
	if _, err = s.Cases.Sweep(identity.WithPrincipal(ctx, identity.System("seed"))); err != nil {
		return err
	}
	// The history happened in the past: its SMS and e-mails stay unsent.
	_, err = notify.SkipPending(ctx, d, "demo history")
	return err
}

type history struct {
	d       *db.DB
	s       Services
	r       *rand.Rand
	cal     *calendar.Calendar
	firms   []int64
	owners  map[int64]int64 // enterprise → its demo account
	matters []matter.Matter
	weights []int
	bundles []string
	clerk   *identity.Principal
	super   *identity.Principal
	file    string
	at      time.Time // the case service's clock
}

func newHistory(ctx context.Context, d *db.DB, s Services) (*history, error) {
	h := &history{d: d, s: s, r: rand.New(rand.NewPCG(2026, 11)), cal: calendar.New(calendar.Options{FallbackWeekends: true}),
		owners: map[int64]int64{}}
	s.Cases.SetClock(func() time.Time { return h.at })
	rows, err := d.QueryContext(ctx, "SELECT id FROM enterprises ORDER BY id LIMIT 400")
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		h.firms = append(h.firms, id)
	}
	rows.Close()
	if len(h.firms) == 0 {
		return nil, fmt.Errorf("no enterprises to file for")
	}
	rows, err = d.QueryContext(ctx, "SELECT id, username, role, COALESCE(enterprise_id, 0) FROM accounts WHERE demo = TRUE")
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id, ent int64
		var user, role string
		rows.Scan(&id, &user, &role, &ent)
		switch identity.Role(role) {
		case identity.RoleWindowClerk:
			h.clerk = &identity.Principal{AccountID: id, Username: user, Role: identity.RoleWindowClerk}
		case identity.RoleSupervisor:
			h.super = &identity.Principal{AccountID: id, Username: user, Role: identity.RoleSupervisor}
		case identity.RoleEnterprise:
			h.owners[ent] = id
		}
	}
	rows.Close()
	if h.clerk == nil {
		h.clerk = &identity.Principal{Username: "窗口", Role: identity.RoleWindowClerk}
	}
	if h.super == nil {
		h.super = &identity.Principal{Username: "效能监管", Role: identity.RoleSupervisor}
	}
	all, err := s.Matters.List(ctx, matter.Filter{ActiveOnly: true})
	if err != nil {
		return nil, err
	}
	for _, m := range all {
		w := 1
		switch {
		case len(m.Current.Events) > 0 && (m.Current.Events[0] == "startup" || m.Current.Events[0] == "operation"):
			w = 6
		case m.Current.DepartmentCode == "SCJGJ" || m.Current.DepartmentCode == "SWJ" || m.Current.DepartmentCode == "RSJ":
			w = 4
		}
		h.matters = append(h.matters, m)
		h.weights = append(h.weights, w)
	}
	bundles, err := s.Matters.ListBundles(ctx, true)
	if err != nil {
		return nil, err
	}
	for _, b := range bundles {
		h.bundles = append(h.bundles, b.Code)
		if b.Code == "YJS-QYKB" { // 开办企业 is the most used bundle
			h.bundles = append(h.bundles, b.Code, b.Code)
		}
	}
	h.at = time.Now().UTC()
	f, err := s.Cases.Files().Save(identity.WithPrincipal(ctx, identity.System("seed")), "申请材料.pdf",
		bytes.NewReader([]byte("%PDF-1.4\n% demo application material\n%%EOF\n")))
	if err != nil {
		return nil, err
	}
	h.file = f.ID
	return h, nil
}

// moment sets the service clock to a time of day on a date (China time).
func (h *history) moment(day calendar.Date, hour int) {
	h.at = time.Date(day.Year, day.Month, day.Day, hour-8, h.r.IntN(60), h.r.IntN(60), 0, time.UTC)
}

func (h *history) working(d calendar.Date) bool {
	ok, _, err := h.cal.IsWorkingDay(d)
	return err == nil && ok
}

// after is n working days after d.
func (h *history) after(d calendar.Date, n int) calendar.Date {
	r, err := h.cal.AddWorkingDays(d, n)
	if err != nil {
		return d.AddDays(n)
	}
	return r.Date
}

func (h *history) as(p *identity.Principal) context.Context {
	return identity.WithRequest(identity.WithPrincipal(context.Background(), p), identity.Request{ID: "demo-history", IP: "10.68.0.1"})
}

func (h *history) reviewer(dept string) *identity.Principal {
	return &identity.Principal{Username: dept + "审批", Role: identity.RoleReviewer, DepartmentCode: dept}
}

func (h *history) applicant(ent int64) *identity.Principal {
	return &identity.Principal{AccountID: h.owners[ent], Username: fmt.Sprintf("企业%d", ent), Role: identity.RoleEnterprise, EnterpriseID: ent}
}

// day files the day's applications and works each one through to where
// it would stand today.
func (h *history) day(ctx context.Context, day, today calendar.Date) error {
	if !h.working(day) {
		return nil
	}
	n := int(historyPerDay*0.6) + h.r.IntN(int(historyPerDay*0.8)+1)
	for range n {
		if err := h.one(ctx, day, today); err != nil {
			return err
		}
	}
	return nil
}

func (h *history) pickMatter() matter.Matter {
	total := 0
	for _, w := range h.weights {
		total += w
	}
	x := h.r.IntN(total)
	for i, w := range h.weights {
		if x < w {
			return h.matters[i]
		}
		x -= w
	}
	return h.matters[0]
}

func (h *history) channel() casework.Channel {
	switch x := h.r.IntN(100); {
	case x < 55:
		return casework.ChannelOnline
	case x < 65:
		return casework.ChannelApp
	case x < 88:
		return casework.ChannelWindow
	case x < 97:
		return casework.ChannelServicePoint
	default:
		return casework.ChannelMail
	}
}

// one files one application on day and plays its life up to today.
func (h *history) one(ctx context.Context, day, today calendar.Date) error {
	ent := h.firms[h.r.IntN(len(h.firms))]
	sub := casework.Submission{EnterpriseID: ent, Channel: h.channel(), Form: map[string]string{}, Files: map[int]string{}}
	var spec []casework.Material
	var fields []casework.Field
	cat := casework.MatterCatalogue{Matters: h.s.Matters}
	if h.r.IntN(100) < 6 && len(h.bundles) > 0 {
		sub.BundleCode = h.bundles[h.r.IntN(len(h.bundles))]
		b, err := cat.BundleSpec(ctx, sub.BundleCode)
		if err != nil {
			return err
		}
		spec, fields = b.Materials, b.Fields
	} else {
		m := h.pickMatter()
		sub.MatterCode = m.Code
		sp, err := cat.MatterSpec(ctx, m.Code)
		if err != nil {
			return err
		}
		spec, fields = sp.Materials, sp.Fields
	}
	for _, m := range spec {
		if m.Source == "applicant" || m.Source == "license" {
			sub.Files[m.Seq] = h.file
		}
	}
	for _, f := range fields {
		if f.Required && f.Prefill == "" {
			switch {
			case f.Type == "select" && len(f.Options) > 0:
				sub.Form[f.Name] = f.Options[h.r.IntN(len(f.Options))]
			case f.Type == "number":
				sub.Form[f.Name] = fmt.Sprint(10 + h.r.IntN(200))
			case f.Type == "date":
				sub.Form[f.Name] = day.String()
			default:
				sub.Form[f.Name] = "见申请材料"
			}
		}
	}
	if sub.Channel == casework.ChannelServicePoint {
		sub.Authorization = fmt.Sprintf("授权委托书 %s-%03d", day, h.r.IntN(1000))
	}
	h.moment(day, 9+h.r.IntN(7))
	sys := h.as(identity.System("历史办件"))
	c, err := h.s.Cases.Submit(sys, sub)
	if err != nil {
		return fmt.Errorf("submit %s%s: %w", sub.MatterCode, sub.BundleCode, err)
	}
	age := 0 // working days from filing to today
	for d := day; d.Before(today); d = d.AddDays(1) {
		if h.working(d.AddDays(1)) {
			age++
		}
	}
	return h.live(ctx, c, day, today, age)
}

// act performs an action at a moment, with the case's current version.
func (h *history) act(p *identity.Principal, no string, on calendar.Date, a casework.Action) (casework.Case, error) {
	h.moment(on, 9+h.r.IntN(8))
	ctx := h.as(p)
	c, err := h.s.Cases.Get(h.as(h.super), no)
	if err != nil {
		return c, err
	}
	a.IfVersion = c.Version
	return h.s.Cases.Act(ctx, no, a)
}

// live plays a case's life: acceptance or refusal, perhaps 补正 or a special
// procedure, the department's decision, delivery and the rating — each
// step only if its day is not after today.
func (h *history) live(ctx context.Context, c casework.Case, filed, today calendar.Date, age int) error {
	no := c.No
	x := h.r.IntN(100)
	if age == 0 && x < 60 {
		return nil // filed today and not yet looked at
	}
	acceptOn := filed
	if h.r.IntN(3) == 0 {
		acceptOn = h.after(filed, 1)
	}
	if acceptOn.After(today) {
		return nil
	}
	accepter := h.clerk
	if c.Kind == "single" && h.r.IntN(10) == 0 {
		accepter = h.reviewer(c.Department) // some matters are still taken in at the department's own window
	}
	switch {
	case x < 3:
		_, err := h.act(accepter, no, acceptOn, casework.Action{Name: casework.ActReject,
			Reason: "申请事项不属于本机关职权范围，请向市级主管部门申请", LegalBasis: "《中华人民共和国行政许可法》第三十二条第一款第（二）项"})
		return err
	case x < 6:
		_, err := h.act(h.applicant(c.EnterpriseID), no, acceptOn, casework.Action{Name: casework.ActWithdraw, Opinion: "企业经营计划调整，申请撤回"})
		return err
	case x < 10 && c.Kind == "single":
		// 一次性告知 at the front desk, then the firm supplements.
		c, err := h.act(accepter, no, acceptOn, casework.Action{Name: casework.ActRequestSupplement,
			Missing: []casework.MissingItem{{Name: "法定代表人签字的申请书", Requirement: "原件扫描，须签字"}, {Name: "经营场所使用证明", Requirement: "租赁合同或产权证明"}}})
		if err != nil {
			return err
		}
		back := h.after(acceptOn, 1+h.r.IntN(3))
		if back.After(today) {
			return nil
		}
		if _, err := h.act(h.applicant(c.EnterpriseID), no, back, casework.Action{Name: casework.ActSupplement, Opinion: "已补正"}); err != nil {
			return err
		}
		acceptOn = back
	}
	c, err := h.act(accepter, no, acceptOn, casework.Action{Name: casework.ActAccept})
	if err != nil {
		return err
	}
	if c.Kind == "bundle" {
		for _, s := range c.Subs {
			if err := h.decide(s, acceptOn, today); err != nil {
				return err
			}
		}
		c, err = h.s.Cases.Get(h.as(h.super), no)
		if err != nil {
			return err
		}
	} else if err := h.decide(c, acceptOn, today); err != nil {
		return err
	}
	return h.finish(no, today)
}

// decide has the department work a single case or a sub-case.
func (h *history) decide(c casework.Case, accepted, today calendar.Date) error {
	rev := h.reviewer(c.Department)
	no := c.No
	committed := max(c.CommittedDays, 0)
	on := accepted
	if committed > 0 {
		on = h.after(accepted, h.r.IntN(committed)+1)
	}
	switch x := h.r.IntN(100); {
	case x < 6 && committed > 1:
		// A special procedure stops the clock for a few days.
		if on.After(today) {
			return nil
		}
		if _, err := h.act(rev, no, on, casework.Action{Name: casework.ActSuspend, SpecialType: []string{"检验", "检测", "专家评审", "现场勘验"}[h.r.IntN(4)], Reason: "需现场核查经营条件"}); err != nil {
			return err
		}
		back := h.after(on, 2+h.r.IntN(4))
		if back.After(today) {
			return nil
		}
		if _, err := h.act(rev, no, back, casework.Action{Name: casework.ActResume, Opinion: "核查完毕"}); err != nil {
			return err
		}
		on = h.after(back, 1)
	case x < 12 && committed > 1:
		// The department asks for more, the firm supplies it.
		if on.After(today) {
			return nil
		}
		if _, err := h.act(rev, no, on, casework.Action{Name: casework.ActRequestSupplement,
			Missing: []casework.MissingItem{{Name: "补充说明材料", Requirement: "说明经营场所布局及设备情况"}}}); err != nil {
			return err
		}
		back := h.after(on, 1+h.r.IntN(4))
		if back.After(today) {
			return nil
		}
		if _, err := h.act(h.applicant(c.EnterpriseID), no, back, casework.Action{Name: casework.ActSupplement, Opinion: "已按要求补充"}); err != nil {
			return err
		}
		on = h.after(back, 1)
	case x < 16:
		on = h.after(accepted, committed+1+h.r.IntN(3)) // late
	case x < 19:
		if due := h.after(accepted, committed); due.Before(today) && today.Compare(h.after(due, 15)) < 0 {
			return nil // forgotten in the queue: overdue now, for the supervisors to chase
		}
	}
	if on.After(today) {
		return nil // still in the department's queue
	}
	if h.r.IntN(100) < 4 {
		_, err := h.act(rev, no, on, casework.Action{Name: casework.ActDeny, Reason: "经审查，申请人不符合法定条件",
			LegalBasis: "《中华人民共和国行政许可法》第三十八条第二款"})
		return err
	}
	_, err := h.act(rev, no, on, casework.Action{Name: casework.ActApprove, Opinion: "经审查，符合法定条件，准予办理"})
	return err
}

// finish delivers an approved case and has the applicant rate it.
func (h *history) finish(no string, today calendar.Date) error {
	c, err := h.s.Cases.Get(h.as(h.super), no)
	if err != nil || !c.State.Decided() {
		return err
	}
	decided := c.DecidedOn
	if c.State == casework.Approved {
		on := h.after(decided, h.r.IntN(3))
		if on.After(today) {
			return nil
		}
		a := casework.Action{Name: casework.ActDeliver, DeliveryMethod: "window"}
		if h.r.IntN(10) < 6 {
			a = casework.Action{Name: casework.ActDeliver, DeliveryMethod: "mail", TrackingNo: fmt.Sprintf("EMS%010d", h.r.IntN(1e9)), Address: "按申请人预留地址"}
		}
		if _, err := h.act(h.clerk, no, on, a); err != nil {
			return err
		}
		decided = on
	}
	if h.r.IntN(100) >= 75 {
		return nil
	}
	rateOn := h.after(decided, h.r.IntN(3))
	if rateOn.After(today) {
		return nil
	}
	level := 5
	comment := ""
	switch x := h.r.IntN(100); {
	case x < 58:
	case x < 84:
		level = 4
	case x < 94:
		level = 3
	case x < 99:
		level, comment = 2, []string{"窗口排队时间较长", "补正要求前后说法不一", "办理进度查询不方便", "电话咨询无人接听"}[h.r.IntN(4)]
	default:
		level, comment = 1, "多次补正材料，耽误开业"
	}
	h.moment(rateOn, 10+h.r.IntN(8))
	if _, err := h.s.Cases.Rate(h.as(h.applicant(c.EnterpriseID)), no, level, comment); err != nil {
		return err
	}
	if level > 2 {
		return nil
	}
	return h.followUp(c, rateOn, today)
}

// followUp works a 差评 through contact, rectification and a return visit,
// or an appeal the supervisor decides.
func (h *history) followUp(c casework.Case, rated, today calendar.Date) error {
	ctx := h.as(h.super)
	list, err := h.s.Cases.Rectifications(ctx, "")
	if err != nil {
		return err
	}
	var r casework.Rectification
	for _, x := range list {
		if x.CaseNo == c.No {
			r = x
		}
	}
	if r.ID == 0 {
		return nil
	}
	rev := h.reviewer(r.Department)
	step := func(p *identity.Principal, on calendar.Date, move, note string) bool {
		if on.After(today) {
			return false
		}
		h.moment(on, 10+h.r.IntN(7))
		next, err := h.s.Cases.Rectify(h.as(p), r.ID, move, note, r.Version)
		if err != nil {
			return false
		}
		r = next
		return true
	}
	on := h.after(rated, 1)
	if h.r.IntN(10) == 0 {
		if step(rev, on, "appeal", "经核实，企业反映的问题系对政策理解偏差，已向企业解释") {
			if h.r.IntN(2) == 0 {
				step(h.super, h.after(on, 1), "uphold", "申诉成立，该评价不计入满意度统计")
			} else {
				step(h.super, h.after(on, 1), "overrule", "申诉理由不充分，请按要求整改")
			}
		}
		return nil
	}
	if step(rev, on, "contact", "已电话联系企业核实情况") &&
		step(rev, h.after(on, 1+h.r.IntN(2)), "rectify", "已优化窗口引导和一次性告知清单") {
		step(rev, h.after(on, 3+h.r.IntN(2)), "return_visit", "回访企业，对整改结果表示满意")
	}
	return nil
}
