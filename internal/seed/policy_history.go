package seed

import (
	"bytes"
	"container/heap"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/qinqing/qinqing/internal/calendar"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/eligibility"
	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/files"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/notify"
	"github.com/qinqing/qinqing/internal/policy"
)

// policyHistoryDays is how far back the demo policy history reaches: the
// demo policies were put on the shelves that many days ago.
const policyHistoryDays = 150

// DemoPolicyHistory puts the demo policies (DemoPolicies) on the shelves
// and plays five months of fulfilment through the policy service, with its
// clock set to each moment, so that every policy indicator has data behind
// it: applications by demo enterprises that were submitted, sent back for
// 补正, approved (large amounts twice), rejected with a reason and objected
// to, publicised, made payable and paid; 公示 batches that ended; a
// 免申即享 run completed with confirmed accounts and payments, and one still
// collecting accounts. The newest applications are left open. The three
// demo enterprise accounts each have applications in several states.
//
// It does nothing when policies exist. The ctx must carry a principal that
// may manage policies (identity.System("seed")). The result is the same on
// every machine for the same day.
func DemoPolicyHistory(ctx context.Context, d *db.DB, s PolicyServices, progress func(step string, done, total int)) (err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("demo policy history: %w", err)
		}
	}()
	if progress == nil {
		progress = func(string, int, int) {}
	}
	if !identity.PrincipalFrom(ctx).Can(identity.PermPolicyManage) {
		return errs.Forbidden()
	}
	var n int
	if err := d.QueryRowContext(ctx, "SELECT count(*) FROM policies").Scan(&n); err != nil || n > 0 {
		return err
	}
	h, err := newPolicyHistory(ctx, d, s)
	if err != nil {
		return err
	}
	defer s.Policies.SetClock(func() time.Time { return time.Now().UTC() })
	if err := h.publish(ctx, progress); err != nil {
		return err
	}
	if err := h.plan(ctx); err != nil {
		return err
	}
	if err := h.play(ctx, progress); err != nil {
		return err
	}
	// The history happened in the past: its SMS and e-mails stay unsent.
	_, err = notify.SkipPending(ctx, d, "demo history")
	return err
}

// PolicyServices are what the policy demo history is played through.
type PolicyServices struct {
	Policies    *policy.Service
	Enterprises *enterprise.Service
	Files       *files.Store
	// Until is the day the history leads up to: it ends the working day
	// before. Zero means today; tests fix it so that the history does not
	// depend on the day they run.
	Until calendar.Date
}

// polHistory is the state of the policy history generator.
type polHistory struct {
	d     *db.DB
	ps    *policy.Service
	ents  *enterprise.Service
	r     *rand.Rand
	cal   *calendar.Calendar
	at    time.Time // the policy service's clock
	start calendar.Date
	today calendar.Date

	defs map[string]DemoPolicy
	ids  map[string]int64 // policy code → id

	officer, checker *identity.Principal           // the two reviewing officers
	owners           map[int64]*identity.Principal // enterprise → its demo account
	files            map[int64]string              // demo account's enterprise → a file it uploaded

	queue   taskQueue
	seq     int
	pending map[int64][]*appPlan // policy → approved applications awaiting 公示
	waiting []*appPlan           // applications in 公示, waiting to become payable
	refs    int                  // payment references issued
}

func newPolicyHistory(ctx context.Context, d *db.DB, s PolicyServices) (*polHistory, error) {
	ps, fs := s.Policies, s.Files
	today := s.Until
	if today.IsZero() {
		today = calendar.DateOf(time.Now())
	}
	h := &polHistory{d: d, ps: ps, ents: s.Enterprises, r: rand.New(rand.NewPCG(2026, 4)), cal: calendar.New(calendar.Options{FallbackWeekends: true}),
		today: today, defs: map[string]DemoPolicy{}, ids: map[string]int64{}, owners: map[int64]*identity.Principal{},
		files: map[int64]string{}, pending: map[int64][]*appPlan{}}
	h.start = h.workday(today.AddDays(-policyHistoryDays))
	ps.SetClock(func() time.Time { return h.at })
	defs, err := DemoPolicies()
	if err != nil {
		return nil, err
	}
	for _, p := range defs {
		h.defs[p.Code] = p
	}
	rows, err := d.QueryContext(ctx, "SELECT id, username, display_name, role, COALESCE(enterprise_id, 0) FROM accounts WHERE demo = TRUE ORDER BY id")
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id, ent int64
		var user, name, role string
		if err := rows.Scan(&id, &user, &name, &role, &ent); err != nil {
			rows.Close()
			return nil, err
		}
		switch identity.Role(role) {
		case identity.RolePolicyOfficer:
			if h.officer == nil {
				h.officer = &identity.Principal{AccountID: id, Username: user, DisplayName: name, Role: identity.RolePolicyOfficer, Demo: true}
			}
		case identity.RoleEnterprise:
			h.owners[ent] = &identity.Principal{AccountID: id, Username: user, DisplayName: name, Role: identity.RoleEnterprise, EnterpriseID: ent, Demo: true}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if h.officer == nil {
		h.officer = &identity.Principal{Username: "政策专员", DisplayName: "政策专员", Role: identity.RolePolicyOfficer}
	}
	// Amounts from 10 万元 need a second officer (policy.Config.SecondApprovalFen).
	h.checker = &identity.Principal{Username: "复核专员", DisplayName: "陈思远", Role: identity.RolePolicyOfficer}
	// Each demo enterprise account uploads the materials it attaches.
	for ent, p := range h.owners {
		f, err := fs.Save(h.as(p), "申请材料.pdf", bytes.NewReader([]byte("%PDF-1.4\n% demo policy application material\n%%EOF\n")))
		if err != nil {
			return nil, err
		}
		h.files[ent] = f.ID
	}
	return h, nil
}

func (h *polHistory) as(p *identity.Principal) context.Context {
	return identity.WithRequest(identity.WithPrincipal(context.Background(), p), identity.Request{ID: "demo-history", IP: "10.68.0.2"})
}

// applicant is who acts for an enterprise: its demo account, or a user of
// the enterprise the demo has no login for.
func (h *polHistory) applicant(ent int64) *identity.Principal {
	if p := h.owners[ent]; p != nil {
		return p
	}
	return &identity.Principal{Username: fmt.Sprintf("企业%d", ent), Role: identity.RoleEnterprise, EnterpriseID: ent}
}

func (h *polHistory) working(d calendar.Date) bool {
	ok, _, err := h.cal.IsWorkingDay(d)
	return err == nil && ok
}

// workday is d, or the next working day after it.
func (h *polHistory) workday(d calendar.Date) calendar.Date {
	for !h.working(d) {
		d = d.AddDays(1)
	}
	return d
}

// after is n working days after d (d itself when n is 0 and d is a working day).
func (h *polHistory) after(d calendar.Date, n int) calendar.Date {
	if n <= 0 {
		return h.workday(d)
	}
	r, err := h.cal.AddWorkingDays(d, n)
	if err != nil {
		return h.workday(d.AddDays(n))
	}
	return r.Date
}

// moment sets the service clock to a time on a date, China time.
func (h *polHistory) moment(d calendar.Date, hour, minute int) {
	h.at = time.Date(d.Year, d.Month, d.Day, hour-8, minute, h.r.IntN(60), 0, time.UTC)
}

// publish creates and publishes every demo policy as the platform, on the
// day the history starts, each in effect from its validity start.
func (h *polHistory) publish(ctx context.Context, progress func(string, int, int)) error {
	defs, _ := DemoPolicies()
	h.moment(h.start, 9, 0)
	for i, p := range defs {
		in, err := policy.ParseInput(p.Raw)
		if err != nil {
			return fmt.Errorf("%s: %w", p.File, err)
		}
		pol, err := h.ps.Create(ctx, in)
		if err != nil {
			return fmt.Errorf("create %s: %w", p.Code, err)
		}
		pol, err = h.ps.Publish(ctx, pol.ID, pol.Rev, p.ValidFrom)
		if err != nil {
			return fmt.Errorf("publish %s: %w", p.Code, err)
		}
		h.ids[p.Code] = pol.ID
		progress("policies", i+1, len(defs))
	}
	return nil
}

// The steps of an application's life after submission. Offsets are in
// working days after the previous step; the pay step counts from the day
// the 公示 ended.
const (
	stepApprove    = "approve"
	stepSecond     = "second"
	stepRequest    = "request"
	stepSupplement = "supplement"
	stepReject     = "reject"
	stepObject     = "object"
	stepDismiss    = "dismiss"
	stepWithdraw   = "withdraw"
	stepPublicise  = "publicise"
	stepPay        = "pay"
)

type step struct {
	kind  string
	after int
}

// appPlan is one application and the rest of its life.
type appPlan struct {
	code      string
	ent       int64
	who       *identity.Principal
	submit    calendar.Date
	requested int64 // fen; 0: what the policy computes
	amount    int64 // fen to approve; 0: the most allowed
	steps     []step
	reason    string // rejection

	app policy.Application
}

// showcaseApps are the demo accounts' own applications, scripted so that
// each account sees several states: index into DemoAccounts' enterprise
// accounts (qiye1, qiye2, qiye3), policy, calendar days ago, amount asked
// (yuan, 0: all), and the steps.
var showcaseApps = []struct {
	who       int
	code      string
	daysAgo   int
	requested int64
	steps     []step
}{
	// 缙驰汽车零部件: a large 规上 manufacturer.
	{0, "bb-znhgz-2025", 120, 1_280_000, []step{{stepApprove, 4}, {stepSecond, 1}, {stepPublicise, 1}, {stepPay, 3}}},
	{0, "bb-ckjl-2025", 12, 0, []step{{stepApprove, 2}, {stepSecond, 1}, {stepPublicise, 1}, {stepPay, 3}}},
	{0, "bb-yftr-2025", 10, 0, []step{{stepRequest, 3}, {stepSupplement, 30}}},
	{0, "bb-jsgz-2025", 45, 2_400_000, []step{{stepApprove, 40}}}, // overdue
	{0, "bb-kjtd-2025", 60, 0, []step{{stepReject, 4}, {stepObject, 5}, {stepDismiss, 60}}},
	{0, "bb-sshb-2025", 6, 0, []step{{stepApprove, 2}, {stepSecond, 10}}},
	// 缙云智联科技: a high-tech software SME.
	{1, "bb-yftr-2025", 100, 0, []step{{stepApprove, 5}, {stepSecond, 1}, {stepPublicise, 2}, {stepPay, 2}}},
	{1, "bb-kjtd-2025", 25, 0, []step{{stepApprove, 3}, {stepPublicise, 1}, {stepPay, 40}}},
	{1, "bb-sysy-2025", 80, 18_600, []step{{stepApprove, 2}, {stepPublicise, 1}, {stepPay, 1}}},
	{1, "bb-zscq-2025", 4, 0, []step{{stepApprove, 1}, {stepPublicise, 9}}}, // approved, its 公示 still to come
	{1, "kjxzxqy-pj-2022", 50, 0, []step{{stepApprove, 6}}},
	{1, "bb-xngx-2025", 14, 12_000, []step{{stepRequest, 2}, {stepSupplement, 3}, {stepApprove, 15}}},
	// 泉禾餐饮: a micro restaurant.
	{2, "bb-sdtx-2025", 90, 36_000, []step{{stepApprove, 3}, {stepPublicise, 1}, {stepPay, 2}}},
	{2, "bb-zhbt-2025", 20, 0, []step{{stepReject, 3}}},
	{2, "cydbdk-xwqy-2025", 5, 0, []step{{stepApprove, 9}}},
	{2, "bb-xngx-2025", 30, 6_000, []step{{stepRequest, 2}, {stepWithdraw, 4}}},
}

// randomPolicies are the 快申快享 policies whose materials the platform
// holds, so any eligible demo enterprise can apply without a login of its
// own uploading files.
var randomPolicies = []string{"bb-zjtx-2025", "bb-xjr-2025", "bb-szhcj-2025", "bb-zngc-2025", "bb-lsgc-2025", "bb-cyfwq-2025"}

var rejectReasons = []string{
	"经核查，该资质为复核延续而非首次认定，本政策仅奖励首次认定，不予通过。",
	"经核查，企业已就同一认定享受市级同类奖励，按“就高不重复”原则不予通过。",
	"经核查，企业纳税地不在北碚区，不符合“注册地和纳税地均在北碚区”的条件，不予通过。",
}

var supplementLists = [][]string{
	{"认定文件扫描件（加盖企业公章）", "法定代表人身份证明书"},
	{"奖励资金使用承诺书（加盖企业公章）"},
	{"近三个月社会保险缴费证明", "收款账户开户许可证或基本存款账户信息"},
}

// plan draws every application of the history.
func (h *polHistory) plan(ctx context.Context) error {
	var firms []int64 // enterprises with a demo account, in DemoAccounts order
	for _, a := range DemoAccounts() {
		if a.Role != identity.RoleEnterprise {
			continue
		}
		var id int64
		if err := h.d.QueryRowContext(ctx, "SELECT id FROM enterprises WHERE credit_code = ?", a.Enterprise).Scan(&id); err != nil {
			return fmt.Errorf("demo enterprise %s: %w", a.Enterprise, err)
		}
		firms = append(firms, id)
	}
	for _, s := range showcaseApps {
		if s.who >= len(firms) {
			continue
		}
		ent := firms[s.who]
		p := &appPlan{code: s.code, ent: ent, who: h.applicant(ent), submit: h.workday(h.today.AddDays(-s.daysAgo)),
			requested: s.requested * 100, steps: s.steps, reason: "经核查，申报的科技人员中有 31 人未在本企业缴纳社会保险，核减后不足以支撑申报金额，且花名册与社保数据不一致，不予通过。"}
		if s.code == "bb-zhbt-2025" {
			p.reason = "经核查，所参加的展会不在区商务委年度重点展会目录内，不符合补助条件，不予通过。"
		}
		h.schedule(p.submit, 10, func(ctx context.Context) error { return h.submit(ctx, p) })
	}
	// Other enterprises apply for the 快申快享 rewards they qualify for.
	rules := make([]*eligibility.Rule, len(randomPolicies))
	for i, code := range randomPolicies {
		r, err := eligibility.Parse(eligibility.Default, h.defs[code].Conditions, "conditions")
		if err != nil {
			return err
		}
		rules[i] = r
	}
	eligibleOn := h.after(h.start, 2)
	days := int(h.today.Time().Sub(eligibleOn.Time()).Hours() / 24)
	var plans []*appPlan
	err := policy.NewLoadingMatcher(h.ents, eligibility.Default).Scan(ctx, eligibleOn.String(), func(ent int64, prof *eligibility.Profile) bool {
		if h.owners[ent] != nil {
			return true // the demo accounts' applications are scripted
		}
		for i, code := range randomPolicies {
			if rules[i].Outcome(prof) != eligibility.Eligible || h.r.IntN(10) >= 8 {
				continue
			}
			plans = append(plans, &appPlan{code: code, ent: ent, who: h.applicant(ent),
				submit: h.workday(eligibleOn.AddDays(h.r.IntN(days))), reason: rejectReasons[h.r.IntN(len(rejectReasons))],
				steps: h.randomSteps()})
		}
		return true
	})
	if err != nil {
		return err
	}
	for _, p := range plans {
		h.schedule(p.submit, 9+h.r.IntN(8), func(ctx context.Context) error { return h.submit(ctx, p) })
	}
	// 免申即享: 高企认定奖励 paid in full early on; 稳岗补贴 for 2026 collecting accounts now.
	h.planRun("bb-gqjl-2025", "once", h.after(h.start, 10), true)
	h.planRun("bb-wgbt-2025", fmt.Sprint(h.today.Year), h.workday(h.today.AddDays(-25)), false)
	// The daily work of the platform: 公示 that ended close before the day's work.
	for d := h.start; !d.After(h.today); d = d.AddDays(1) {
		if h.working(d) {
			day := d
			h.schedule(day, 7, func(ctx context.Context) error { return h.tick(ctx, day) })
			h.schedule(day, 16, func(ctx context.Context) error { return h.publicise(ctx, day) })
		}
	}
	return nil
}

// randomSteps draws the life of an application by another enterprise:
// mostly approved and paid, some after a 补正, some rejected (and objected
// to), a few withdrawn. The random applications are for 快申快享 rewards,
// decided within QINQING_POLICY_FAST_DAYS (3 working days by default): the
// officer's steps fall within it, except that now and then a review runs
// late.
func (h *polHistory) randomSteps() []step {
	const limit = policy.DefaultFastDays
	// within maps a draw of 1 + IntN(n) onto 1…limit; the draws themselves
	// stay as they were, so the rest of the history does not move.
	within := func(days int) int { return 1 + (days-1)%limit }
	review := within(1 + h.r.IntN(7))
	if h.r.IntN(10) == 0 {
		review += 6 // late
	}
	paid := []step{{stepApprove, review}, {stepPublicise, h.r.IntN(3)}, {stepPay, 1 + h.r.IntN(4)}}
	switch x := h.r.IntN(100); {
	case x < 60:
		return paid
	case x < 75:
		return append([]step{{stepRequest, within(1 + h.r.IntN(4))}, {stepSupplement, 2 + h.r.IntN(5)}}, paid...)
	case x < 85:
		return []step{{stepReject, within(2 + h.r.IntN(7))}}
	case x < 93:
		return []step{{stepReject, within(2 + h.r.IntN(7))}, {stepObject, 2 + h.r.IntN(7)}, {stepDismiss, 5 + h.r.IntN(8)}}
	default:
		return []step{{stepRequest, within(1 + h.r.IntN(4))}, {stepWithdraw, 1 + h.r.IntN(5)}}
	}
}

// task is something to do at a moment of the history.
type task struct {
	on   calendar.Date
	hour int
	seq  int
	do   func(ctx context.Context) error
}

type taskQueue []*task

func (q taskQueue) Len() int { return len(q) }
func (q taskQueue) Less(i, j int) bool {
	if c := q[i].on.Compare(q[j].on); c != 0 {
		return c < 0
	}
	if q[i].hour != q[j].hour {
		return q[i].hour < q[j].hour
	}
	return q[i].seq < q[j].seq
}
func (q taskQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *taskQueue) Push(x any)   { *q = append(*q, x.(*task)) }
func (q *taskQueue) Pop() any {
	old := *q
	t := old[len(old)-1]
	*q = old[:len(old)-1]
	return t
}

// schedule queues do for a working day at an hour. The history ends
// yesterday: what falls on today or later has not happened yet and is
// dropped, which leaves the newest applications open.
func (h *polHistory) schedule(on calendar.Date, hour int, do func(ctx context.Context) error) {
	if !on.Before(h.today) {
		return
	}
	h.seq++
	heap.Push(&h.queue, &task{on: on, hour: hour, seq: h.seq, do: do})
}

// play runs the queued tasks in time order.
func (h *polHistory) play(ctx context.Context, progress func(string, int, int)) error {
	total := int(h.today.Time().Sub(h.start.Time()).Hours() / 24)
	done := -1
	for h.queue.Len() > 0 {
		t := heap.Pop(&h.queue).(*task)
		h.moment(t.on, t.hour, h.r.IntN(60))
		if err := t.do(ctx); err != nil {
			return fmt.Errorf("%s: %w", t.on, err)
		}
		if n := int(t.on.Time().Sub(h.start.Time()).Hours() / 24); n != done {
			done = n
			progress("policy history", done, total)
		}
	}
	progress("policy history", total, total)
	return nil
}

// next schedules the plan's next step, counted from day.
func (h *polHistory) next(p *appPlan, day calendar.Date) {
	if len(p.steps) == 0 {
		return
	}
	s := p.steps[0]
	if s.kind == stepPublicise {
		p.steps = p.steps[1:]
		on := h.after(day, max(s.after, 1)) // the day after the decision at the earliest
		h.schedule(on, 12, func(context.Context) error {
			h.pending[p.app.PolicyID] = append(h.pending[p.app.PolicyID], p)
			return nil
		})
		return
	}
	if s.kind == stepPay {
		return // scheduled when the 公示 ends (tick)
	}
	p.steps = p.steps[1:]
	on := h.after(day, s.after)
	if s.kind == stepObject {
		// Within the objection period (policy.Config.ObjectionDays, 15
		// calendar days), online on any day.
		on = day.AddDays(min(s.after, 10))
	}
	h.schedule(on, 9+h.r.IntN(8), func(ctx context.Context) error { return h.act(ctx, p, s.kind, on) })
}

// submit files the application as the enterprise.
func (h *polHistory) submit(_ context.Context, p *appPlan) error {
	def := h.defs[p.code]
	in := policy.ApplyInput{PolicyID: h.ids[p.code], EnterpriseID: p.ent, RequestedFen: p.requested, Files: map[int]string{}}
	for i, m := range def.Materials {
		if m.Source == "applicant" && m.Required {
			in.Files[i] = h.files[p.ent]
		}
	}
	app, err := h.ps.Apply(h.as(p.who), in)
	if err != nil {
		if errors.Is(err, errs.ErrConflict) || errors.Is(err, calendar.ErrNoSchedule) {
			// No longer eligible on the day, applied already, or the
			// deadline falls in a year whose holidays are not loaded yet:
			// the platform refused, and the firm did not apply.
			return nil
		}
		return fmt.Errorf("apply %s for %d: %w", p.code, p.ent, err)
	}
	p.app = app
	h.next(p, p.submit)
	return nil
}

// act takes one step of an application's life on day.
func (h *polHistory) act(_ context.Context, p *appPlan, kind string, day calendar.Date) error {
	var a policy.Action
	who := h.officer
	switch kind {
	case stepApprove:
		a = policy.Action{Name: policy.ActApprove, AmountFen: p.amount, Opinion: "经审核，符合政策条件，材料齐全，同意兑现。"}
		if a.AmountFen == 0 {
			a.AmountFen = p.app.RequestedFen
			if p.app.EntitledFen != nil && (a.AmountFen == 0 || *p.app.EntitledFen < a.AmountFen) {
				a.AmountFen = *p.app.EntitledFen
			}
		}
	case stepSecond:
		who = h.checker
		a = policy.Action{Name: policy.ActSecondApprove, Opinion: "复核无误，同意。"}
	case stepRequest:
		a = policy.Action{Name: policy.ActRequestSupplement, Missing: supplementLists[h.r.IntN(len(supplementLists))]}
	case stepSupplement:
		who = p.who
		a = policy.Action{Name: policy.ActSupplement, Opinion: "已按要求补正。"}
		if f := h.files[p.ent]; f != "" {
			a.Files = map[int]string{}
			for i, m := range h.defs[p.code].Materials {
				if m.Source == "applicant" {
					a.Files[i] = f
					break
				}
			}
		}
	case stepReject:
		a = policy.Action{Name: policy.ActReject, Reason: p.reason}
	case stepObject:
		who = p.who
		a = policy.Action{Name: policy.ActObject, Reason: "我公司对审核意见有异议：相关情况已向主管部门说明，请予以复核。"}
	case stepDismiss:
		a = policy.Action{Name: policy.ActDecideObjection, Opinion: "经复核，原审核意见事实清楚、依据充分，异议不成立，维持不予通过。"}
	case stepWithdraw:
		who = p.who
		a = policy.Action{Name: policy.ActWithdraw, Opinion: "材料准备不及，撤回申请，待条件具备后重新申报。"}
	}
	app, err := h.ps.Act(h.as(who), p.app.ID, p.app.Rev, a)
	if errors.Is(err, calendar.ErrNoSchedule) {
		return nil // the new deadline is in a year without a holiday schedule: refused, the application stays
	}
	if err != nil {
		return fmt.Errorf("%s %s (%s): %w", kind, p.app.No, p.code, err)
	}
	p.app = app
	if app.State == policy.AppSecondApproval && (len(p.steps) == 0 || p.steps[0].kind != stepSecond) {
		p.steps = append([]step{{stepSecond, 1 + h.r.IntN(2)}}, p.steps...)
	}
	h.next(p, day)
	return nil
}

// publicise starts the day's 公示 batches, one per policy, for the
// approvals collected.
func (h *polHistory) publicise(_ context.Context, day calendar.Date) error {
	for _, code := range h.codes() {
		id := h.ids[code]
		ps := h.pending[id]
		if len(ps) == 0 {
			continue
		}
		delete(h.pending, id)
		ids := make([]int64, len(ps))
		for i, p := range ps {
			ids[i] = p.app.ID
		}
		_, err := h.ps.StartPublicity(h.as(h.officer), id, ids, 0)
		if errors.Is(err, calendar.ErrNoSchedule) {
			continue // the 公示 would end in a year without a holiday schedule: the approvals wait
		}
		if err != nil {
			return fmt.Errorf("publicity of %s: %w", code, err)
		}
		h.waiting = append(h.waiting, ps...)
	}
	return nil
}

// codes are the policy codes in file order.
func (h *polHistory) codes() []string {
	defs, _ := DemoPolicies()
	out := make([]string, len(defs))
	for i, p := range defs {
		out[i] = p.Code
	}
	return out
}

// tick closes the 公示 that ended, as the app's worker does each morning,
// and schedules the payment of applications that became payable.
func (h *polHistory) tick(ctx context.Context, day calendar.Date) error {
	if _, err := h.ps.Tick(ctx, h.at); err != nil {
		return err
	}
	var still []*appPlan
	for _, p := range h.waiting {
		app, err := h.ps.GetApplication(h.as(h.officer), p.app.ID)
		if err != nil {
			return err
		}
		p.app = app
		if app.State != policy.AppPayable {
			still = append(still, p)
			continue
		}
		if len(p.steps) > 0 && p.steps[0].kind == stepPay {
			on := h.after(day, p.steps[0].after)
			p.steps = p.steps[1:]
			h.schedule(on, 10+h.r.IntN(6), func(context.Context) error { return h.pay(policy.PayTarget{ApplicationID: p.app.ID}, on) })
		}
	}
	h.waiting = still
	return nil
}

// pay records a disbursement by the treasury on day.
func (h *polHistory) pay(t policy.PayTarget, day calendar.Date) error {
	h.refs++
	ref := fmt.Sprintf("BBGK%d%02d%02d%05d", day.Year, day.Month, day.Day, h.refs)
	_, err := h.ps.Pay(h.as(h.officer), t, policy.PaymentInput{PaidOn: day.String(), Reference: ref})
	if err != nil {
		return fmt.Errorf("pay %+v: %w", t, err)
	}
	return nil
}

// planRun schedules a 免申即享 run: the officer evaluates every enterprise
// and lists the eligible, the reviewing officer confirms the list the next
// working day, enterprises confirm their receiving accounts over the
// following days and are paid a few days later. A run not complete leaves
// some accounts unconfirmed and some confirmed accounts unpaid.
func (h *polHistory) planRun(code, period string, on calendar.Date, complete bool) {
	h.schedule(on, 10, func(ctx context.Context) error {
		run, err := h.ps.StartRun(h.as(h.officer), h.ids[code], period, on.String())
		if err != nil {
			return fmt.Errorf("run %s %s: %w", code, period, err)
		}
		confirm := h.after(on, 1)
		h.schedule(confirm, 15, func(ctx context.Context) error {
			run, err := h.ps.ConfirmRun(h.as(h.checker), run.ID, run.Rev)
			if err != nil {
				return fmt.Errorf("confirm run %s: %w", code, err)
			}
			banks := bankNames()
			for _, it := range run.Items {
				if !complete && h.r.IntN(10) < 3 {
					continue // has not confirmed its account yet
				}
				it := it
				at := h.after(confirm, 1+h.r.IntN(8))
				h.schedule(at, 9+h.r.IntN(9), func(context.Context) error {
					in := policy.AccountInput{BankName: banks[h.r.IntN(len(banks))], AccountName: it.EnterpriseName,
						AccountNo: fmt.Sprintf("5000%015d", h.r.Int64N(1e15))}
					if _, err := h.ps.ConfirmAccount(h.as(h.applicant(it.EnterpriseID)), it.ID, in); err != nil {
						return fmt.Errorf("confirm account of %s: %w", it.EnterpriseName, err)
					}
					pay := h.after(at, 2+h.r.IntN(4))
					h.schedule(pay, 14, func(context.Context) error { return h.pay(policy.PayTarget{RunItemID: it.ID}, pay) })
					return nil
				})
			}
			return nil
		})
		return nil
	})
}

// bankNames are the demo banks' names.
func bankNames() []string {
	var out []string
	for _, in := range Institutions {
		if in.Kind == "bank" {
			out = append(out, in.Name)
		}
	}
	return out
}
