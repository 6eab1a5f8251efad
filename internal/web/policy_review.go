package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/qinqing/qinqing/internal/calendar"
	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/money"
	"github.com/qinqing/qinqing/internal/policy"
)

type policyQueueData struct {
	Rows               []pvQueueRow
	State              string
	States             []pvOpt
	Queue              bool
	Total, Page, Pages int
	HasNext            bool
}

// pvQueueRow is an application in the review queue. A 快申快享 one is
// marked and, while the viewer may approve it, offers approval at the
// computed amount in one click.
type pvQueueRow struct {
	pvAppRow
	Fast         bool
	QuickApprove bool
	Entitled     string // the computed amount, yuan; "" when the policy pays none
}

func pvQueueRowOf(p *identity.Principal, a policy.Application, actions []string) pvQueueRow {
	row := pvQueueRow{pvAppRow: pvAppRowOf(a), Fast: a.PolicyMode == policy.ModeFast, Entitled: pvYuan(a.EntitledFen)}
	row.QuickApprove = row.Fast && p.Can(identity.PermPolicyReview) && slices.Contains(actions, policy.ActApprove)
	return row
}

// policyReviewQueue is the officer's work: applications waiting for a
// decision, most urgent deadline first with its colour, or every
// application in a chosen state. 快申快享 applications are marked and can
// be approved at the computed amount from the list.
func (s *Server) policyReviewQueue(w http.ResponseWriter, r *http.Request) {
	p, ok := s.policyRequire(w, r, policyStaff)
	if !ok {
		return
	}
	ctx, lang := r.Context(), httpmw.Lang(r)
	q := r.URL.Query()
	d := policyQueueData{State: q.Get("state")}
	if d.State != "" && !pvValid(policy.AppStates, d.State) {
		d.State = ""
	}
	d.Queue = d.State == ""
	d.States = pvOpts(policy.AppStates, d.State)
	pg, err := s.Policy.ListApplications(ctx, policy.AppFilter{State: policy.AppState(d.State), Queue: d.Queue, Page: max(atoiDefault(q.Get("page"), 1), 1), PerPage: 50})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, a := range pg.Items {
		d.Rows = append(d.Rows, pvQueueRowOf(p, a, s.Policy.AvailableActions(p, a)))
	}
	d.Total, d.Page, d.Pages, d.HasNext = pg.Total, pg.Page, max(pg.Pages(), 1), pg.Page < pg.Pages()
	s.render(w, r, http.StatusOK, "policy_queue", i18n.M("政策兑现审核", "Policy application review").In(lang), d)
}

type policyPublicityAdminData struct {
	Approved []pvAppRow // approved and waiting for 公示, by policy
	Batches  []pvBatch
	Days     int
	Errors   map[string]string
	Values   map[string]string
	Payable  []pvAppRow
}

// policyPublicityAdmin is 公示 management: the approved applications that
// may enter a 公示, the batches with their windows, and what is payable.
func (s *Server) policyPublicityAdmin(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.policyRequire(w, r, policyStaff); !ok {
		return
	}
	s.renderPublicityAdmin(w, r, http.StatusOK, nil, nil)
}

func (s *Server) renderPublicityAdmin(w http.ResponseWriter, r *http.Request, status int, values, errsOut map[string]string) {
	ctx, lang := r.Context(), httpmw.Lang(r)
	d := policyPublicityAdminData{Days: s.Policy.Config().PublicityDays, Errors: errsOut, Values: values}
	for _, st := range []struct {
		state policy.AppState
		dst   *[]pvAppRow
	}{{policy.AppApproved, &d.Approved}, {policy.AppPayable, &d.Payable}} {
		pg, err := s.Policy.ListApplications(ctx, policy.AppFilter{State: st.state, PerPage: 100})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, a := range pg.Items {
			*st.dst = append(*st.dst, pvAppRowOf(a))
		}
	}
	bs, err := s.Policy.ListPublicity(ctx, policy.PublicityFilter{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, b := range bs {
		pb := pvBatch{PublicityBatch: b, IsOpen: b.State == "open"}
		for _, it := range b.Items {
			pb.Items = append(pb.Items, pvBatchItem{PublicityItem: it, Amount: money.FormatYuanGrouped(it.AmountFen)})
		}
		d.Batches = append(d.Batches, pb)
	}
	s.render(w, r, status, "policy_publicity_admin", i18n.M("公示管理", "Publicity").In(lang), d)
}

// policyPublicityStart puts the chosen approved applications of one policy
// into a 公示.
func (s *Server) policyPublicityStart(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.policyRequire(w, r, func(p *identity.Principal) bool { return p.Can(identity.PermPolicyReview) }); !ok {
		return
	}
	ctx, lang := r.Context(), httpmw.Lang(r)
	if err := r.ParseForm(); err != nil {
		s.renderPublicityAdmin(w, r, http.StatusBadRequest, nil, map[string]string{"_form": i18n.M("表单无法解析", "The form could not be read").In(lang)})
		return
	}
	values := map[string]string{"days": strings.TrimSpace(r.PostFormValue("days"))}
	days := 0
	if values["days"] != "" {
		n, err := strconv.Atoi(values["days"])
		if err != nil {
			s.renderPublicityAdmin(w, r, http.StatusUnprocessableEntity, values, map[string]string{"days": i18n.M("请填写整数（工作日）", "Enter a whole number of working days").In(lang)})
			return
		}
		days = n
	}
	// One 公示 per policy: the chosen applications are grouped by policy.
	byPolicy := map[int64][]int64{}
	var order []int64
	for _, v := range r.PostForm["application"] {
		pid, aid, ok := strings.Cut(v, ":")
		p, err1 := strconv.ParseInt(pid, 10, 64)
		a, err2 := strconv.ParseInt(aid, 10, 64)
		if !ok || err1 != nil || err2 != nil {
			continue
		}
		if _, seen := byPolicy[p]; !seen {
			order = append(order, p)
		}
		byPolicy[p] = append(byPolicy[p], a)
	}
	if len(order) == 0 {
		s.renderPublicityAdmin(w, r, http.StatusUnprocessableEntity, values, map[string]string{"applications": i18n.M("请选择要公示的申请", "Choose the applications to publicise").In(lang)})
		return
	}
	var started []string
	for _, pid := range order {
		b, err := s.Policy.StartPublicity(ctx, pid, byPolicy[pid], days)
		if err != nil {
			fields, ok := pvFormErrors(err, lang)
			if !ok {
				s.fail(w, r, err)
				return
			}
			s.renderPublicityAdmin(w, r, http.StatusUnprocessableEntity, values, fields)
			return
		}
		started = append(started, fmt.Sprintf("%s（%s 至 %s）", b.PolicyTitle, b.StartsOn, b.EndsOn))
	}
	s.setFlash(w, i18n.M("已开始公示：", "Publicity started: ").In(lang)+strings.Join(started, "；"))
	redirect(w, r, "/admin/policy-publicity")
}

type policyRunsData struct {
	Policies []pvRunPolicy
	Errors   map[string]string
	Values   map[string]string
}

type pvRunPolicy struct {
	Card   pvCard
	Period string
	Runs   []pvRun
}

type pvRun struct {
	policy.Run
	Total string
}

// policyRuns lists the 免申即享 policies with their runs and a form to
// start one for a period.
func (s *Server) policyRuns(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.policyRequire(w, r, policyStaff); !ok {
		return
	}
	s.renderRuns(w, r, http.StatusOK, nil, nil)
}

func (s *Server) renderRuns(w http.ResponseWriter, r *http.Request, status int, values, errsOut map[string]string) {
	ctx, lang := r.Context(), httpmw.Lang(r)
	pg, err := s.Policy.List(ctx, policy.Filter{Mode: policy.ModeNoApply, Status: policy.StatusPublished, PerPage: 100})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := policyRunsData{Errors: errsOut, Values: values}
	if d.Values == nil {
		d.Values = map[string]string{}
	}
	for _, pol := range pg.Items {
		if pol.Current.Benefit.Kind == policy.BenefitNone {
			continue
		}
		rp := pvRunPolicy{Card: pvCardOf(pol), Period: policy.PeriodOf(pol.Current.Benefit.Period, calendar.DateOf(time.Now()))}
		runs, err := s.Policy.ListRuns(ctx, pol.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, run := range runs {
			rp.Runs = append(rp.Runs, pvRun{Run: run, Total: money.FormatYuanGrouped(run.TotalFen)})
		}
		d.Policies = append(d.Policies, rp)
	}
	s.render(w, r, status, "policy_runs", i18n.M("免申即享兑现", "Paid without application").In(lang), d)
}

// policyRunStart evaluates every enterprise for a 免申即享 policy and lists
// the eligible ones for the officer to check.
func (s *Server) policyRunStart(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.policyRequire(w, r, policyEditor); !ok {
		return
	}
	ctx, lang := r.Context(), httpmw.Lang(r)
	pid, _ := strconv.ParseInt(r.PostFormValue("policy"), 10, 64)
	values := map[string]string{"policy": r.PostFormValue("policy"), "period": strings.TrimSpace(r.PostFormValue("period"))}
	run, err := s.Policy.StartRun(ctx, pid, values["period"], "")
	if err != nil {
		fields, ok := pvFormErrors(err, lang)
		if !ok {
			s.fail(w, r, err)
			return
		}
		s.renderRuns(w, r, http.StatusUnprocessableEntity, values, fields)
		return
	}
	s.setFlash(w, i18n.M(fmt.Sprintf("已生成名单：%d 家企业符合条件，合计 %s 元。请核对后确认。", run.Eligible, money.FormatYuanGrouped(run.TotalFen)),
		fmt.Sprintf("List made: %d enterprises qualify, %s yuan in all. Check it, then confirm.", run.Eligible, money.FormatYuanGrouped(run.TotalFen))).In(lang))
	redirect(w, r, fmt.Sprintf("/admin/policy-runs/%d", run.ID))
}

type policyRunData struct {
	Run    pvRun
	Items  []pvRunItem
	Review bool
	Errors map[string]string
	Values map[string]string
	ItemID int64 // the item a payment form error belongs to
}

type pvRunItem struct {
	policy.RunItem
	Amount string
	Paid   string
	State  i18n.Msg
}

var pvRunItemStates = []policy.Option{
	{Code: "listed", Name: i18n.M("待企业确认收款账户", "Waiting for the account")},
	{Code: "account_confirmed", Name: i18n.M("账户已确认，待拨付", "Account confirmed, to pay")},
	{Code: "paid", Name: i18n.M("已拨付", "Paid")},
}

func pvRunItemOf(it policy.RunItem) pvRunItem {
	out := pvRunItem{RunItem: it, Amount: money.FormatYuanGrouped(it.AmountFen), State: policy.Label(pvRunItemStates, it.State)}
	if it.Payment != nil {
		out.Paid = money.FormatYuanGrouped(it.Payment.AmountFen) + " · " + it.Payment.PaidOn + " · " + it.Payment.Reference
	}
	return out
}

// policyRunShow is one run: the list, its confirmation and the payments.
func (s *Server) policyRunShow(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.policyRequire(w, r, policyStaff); !ok {
		return
	}
	s.renderRun(w, r, http.StatusOK, nil, nil, 0)
}

func (s *Server) renderRun(w http.ResponseWriter, r *http.Request, status int, values, errsOut map[string]string, item int64) {
	ctx, lang := r.Context(), httpmw.Lang(r)
	id, err := policyPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	run, err := s.Policy.GetRun(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := policyRunData{Run: pvRun{Run: run, Total: money.FormatYuanGrouped(run.TotalFen)}, Review: identity.PrincipalFrom(ctx).Can(identity.PermPolicyReview),
		Errors: errsOut, Values: values, ItemID: item}
	for _, it := range run.Items {
		d.Items = append(d.Items, pvRunItemOf(it))
	}
	s.render(w, r, status, "policy_run", i18n.M("免申即享名单：", "No-application list: ").In(lang)+run.PolicyTitle+" "+run.Period, d)
}

// policyRunAct confirms a run's list or records the payment of one item.
func (s *Server) policyRunAct(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.policyRequire(w, r, func(p *identity.Principal) bool { return p.Can(identity.PermPolicyReview) }); !ok {
		return
	}
	ctx, lang := r.Context(), httpmw.Lang(r)
	id, err := policyPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	switch r.PathValue("action") {
	case "confirm":
		rev, _ := strconv.Atoi(r.PostFormValue("rev"))
		if _, err := s.Policy.ConfirmRun(ctx, id, rev); err != nil {
			fields, ok := pvFormErrors(err, lang)
			if !ok {
				s.fail(w, r, err)
				return
			}
			s.renderRun(w, r, http.StatusUnprocessableEntity, nil, fields, 0)
			return
		}
		s.setFlash(w, i18n.M("名单已确认，已通知企业确认收款账户", "List confirmed; the enterprises are asked for their accounts").In(lang))
	case "pay":
		item, _ := strconv.ParseInt(r.PostFormValue("item"), 10, 64)
		values := map[string]string{"paid_on": strings.TrimSpace(r.PostFormValue("paid_on")), "reference": strings.TrimSpace(r.PostFormValue("reference"))}
		pay, err := s.Policy.Pay(ctx, policy.PayTarget{RunItemID: item}, policy.PaymentInput{PaidOn: values["paid_on"], Reference: values["reference"]})
		if err != nil {
			fields, ok := pvFormErrors(err, lang)
			if !ok {
				s.fail(w, r, err)
				return
			}
			s.renderRun(w, r, http.StatusUnprocessableEntity, values, fields, item)
			return
		}
		s.setFlash(w, i18n.M("已记录拨付 "+money.FormatYuanGrouped(pay.AmountFen)+" 元", "Payment of "+money.FormatYuanGrouped(pay.AmountFen)+" yuan recorded").In(lang))
	default:
		s.NotFound(w, r)
		return
	}
	redirect(w, r, fmt.Sprintf("/admin/policy-runs/%d", id))
}

type policyPayoutsData struct {
	Items  []pvRunItem
	Errors map[string]string
	Values map[string]string
	ItemID int64
	IV, IE map[int64]map[string]string // values and errors of the item whose form was posted
}

// policyMyPayouts lists what 免申即享 runs owe or paid the enterprise, with
// the account confirmation each still needs.
func (s *Server) policyMyPayouts(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.policyRequire(w, r, func(p *identity.Principal) bool { return p.Can(identity.PermEnterpriseOwn) && p.EnterpriseID != 0 }); !ok {
		return
	}
	s.renderPayouts(w, r, http.StatusOK, nil, nil, 0)
}

func (s *Server) renderPayouts(w http.ResponseWriter, r *http.Request, status int, values, errsOut map[string]string, item int64) {
	ctx, lang := r.Context(), httpmw.Lang(r)
	p := identity.PrincipalFrom(ctx)
	items, err := s.Policy.RunItemsFor(ctx, p.EnterpriseID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := policyPayoutsData{Errors: errsOut, Values: values, ItemID: item,
		IV: map[int64]map[string]string{item: values}, IE: map[int64]map[string]string{item: errsOut}}
	for _, it := range items {
		d.Items = append(d.Items, pvRunItemOf(it))
	}
	s.render(w, r, status, "policy_payouts", i18n.M("免申即享 · 确认收款账户", "Paid without applying · confirm your account").In(lang), d)
}

// policyConfirmPayout records the enterprise's receiving account for one
// item of a confirmed run.
func (s *Server) policyConfirmPayout(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.policyRequire(w, r, func(p *identity.Principal) bool { return p.Can(identity.PermEnterpriseOwn) && p.EnterpriseID != 0 }); !ok {
		return
	}
	ctx, lang := r.Context(), httpmw.Lang(r)
	item, err := policyPathID(r, "item")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	values := map[string]string{"bank_name": strings.TrimSpace(r.PostFormValue("bank_name")), "account_name": strings.TrimSpace(r.PostFormValue("account_name")),
		"account_no": strings.TrimSpace(r.PostFormValue("account_no"))}
	_, err = s.Policy.ConfirmAccount(ctx, item, policy.AccountInput{BankName: values["bank_name"], AccountName: values["account_name"], AccountNo: values["account_no"]})
	if err != nil {
		fields, ok := pvFormErrors(err, lang)
		if !ok {
			s.fail(w, r, err)
			return
		}
		values["account_no"] = "" // never echo a full account number
		s.renderPayouts(w, r, http.StatusUnprocessableEntity, values, fields, item)
		return
	}
	s.setFlash(w, i18n.M("收款账户已确认，拨付后会通知您", "Account confirmed; you will be told when it is paid").In(lang))
	redirect(w, r, "/my/policy-payouts")
}

// policyRunItemLink is where a 免申即享 notice points: the enterprise's
// account confirmation, or the run for policy staff.
func (s *Server) policyRunItemLink(w http.ResponseWriter, r *http.Request) {
	p, ok := s.requireUser(w, r)
	if !ok {
		return
	}
	id, err := policyPathID(r, "item")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	it, err := s.Policy.GetRunItem(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if policyStaff(p) {
		redirect(w, r, fmt.Sprintf("/admin/policy-runs/%d", it.RunID))
		return
	}
	redirect(w, r, fmt.Sprintf("/my/policy-payouts#item-%d", it.ID))
}
