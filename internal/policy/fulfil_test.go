package policy_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/money"
	"github.com/qinqing/qinqing/internal/policy"
)

// eligibleFirm meets 小型微利 with room to spare.
func (w *world) eligibleFirm() int64 {
	return w.add(firm{employees: n(80), revenue: n(12_000_000), assets: n(9_000_000), taxable: n(1_500_000)})
}

func (w *world) apply(pol policy.Policy, ent int64) policy.Application {
	w.t.Helper()
	a, err := w.svc.Apply(owner(ent), policy.ApplyInput{PolicyID: pol.ID, EnterpriseID: ent})
	if err != nil {
		w.t.Fatalf("apply: %v", err)
	}
	return a
}

func (w *world) act(ctx context.Context, a policy.Application, act policy.Action) policy.Application {
	w.t.Helper()
	got, err := w.svc.Act(ctx, a.ID, a.Rev, act)
	if err != nil {
		w.t.Fatalf("%s: %v", act.Name, err)
	}
	return got
}

// toPayable approves, publicises and lets the window pass.
func (w *world) toPayable(pol policy.Policy, a policy.Application) policy.Application {
	w.t.Helper()
	a = w.act(officer(1), a, policy.Action{Name: policy.ActApprove, AmountFen: *a.EntitledFen})
	if _, err := w.svc.StartPublicity(officer(1), pol.ID, []int64{a.ID}, 5); err != nil {
		w.t.Fatal(err)
	}
	w.clock.set("2026-03-20")
	if _, err := w.svc.Tick(sys(), w.clock.now()); err != nil {
		w.t.Fatal(err)
	}
	got, err := w.svc.GetApplication(officer(1), a.ID)
	if err != nil || got.State != policy.AppPayable {
		w.t.Fatalf("after publicity: %s, %v", got.State, err)
	}
	return got
}

func TestApplyPrefillsAsksOnlyApplicantMaterialsAndRefusesTheIneligible(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, policy.Config{})
		pol := w.publish(smallProfit("xwqy"), "2026-01-01")
		ok := w.eligibleFirm()
		big := w.add(firm{employees: n(80), revenue: n(12_000_000), assets: n(9_000_000), taxable: n(3_000_001)})
		form, err := w.svc.PrepareApplication(owner(ok), pol.ID, ok)
		if err != nil {
			t.Fatal(err)
		}
		if form.Fields[0].Name != "name" || !strings.HasPrefix(form.Fields[0].Value, "重庆北碚测试制造有限公司") || form.Period != "2026" {
			t.Errorf("form %+v", form)
		}
		if *form.EntitledFen != yuan(20000) || form.Result.Outcome != "eligible" {
			t.Errorf("entitled %v outcome %s", form.EntitledFen, form.Result.Outcome)
		}
		// The platform holds the licence: uploading it is refused.
		_, err = w.svc.Apply(owner(ok), policy.ApplyInput{PolicyID: pol.ID, EnterpriseID: ok, Files: map[int]string{0: "abc"}})
		if _, has := errs.FieldsOf(err)["files.0"]; !has {
			t.Errorf("a profile material was accepted as upload: %v", err)
		}
		_, err = w.svc.Apply(owner(big), policy.ApplyInput{PolicyID: pol.ID, EnterpriseID: big})
		var e *errs.Error
		if !errors.As(err, &e) || e.Code != "not_eligible" || !strings.Contains(e.Msg.Zh, "年应纳税所得额") {
			t.Errorf("ineligible firm: %v", err)
		}
		if _, err := w.svc.Apply(owner(big), policy.ApplyInput{PolicyID: pol.ID, EnterpriseID: ok}); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("applied for another firm: %v", err)
		}
		a := w.apply(pol, ok)
		if a.State != policy.AppInReview || a.PolicyVersion != 1 || a.RequestedFen != yuan(20000) || a.Form["credit_code"] == "" {
			t.Errorf("application %+v", a)
		}
		if a.Clock.Due != "2026-03-16" || a.Clock.Limit != 10 { // 10 working days after Monday 2 March
			t.Errorf("clock %+v", a.Clock)
		}
		if _, err := w.svc.Apply(owner(ok), policy.ApplyInput{PolicyID: pol.ID, EnterpriseID: ok}); !errors.Is(err, errs.ErrConflict) {
			t.Errorf("second application for the same period: %v", err)
		}
		if _, err := w.svc.Apply(owner(ok), policy.ApplyInput{PolicyID: pol.ID, EnterpriseID: ok, Period: "2026Q1"}); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("a quarter for a yearly benefit: %v", err)
		}
		noApply := smallProfit("xwqy-auto")
		noApply.Mode = policy.ModeNoApply
		auto := w.publish(noApply, "2026-01-01")
		if _, err := w.svc.Apply(owner(ok), policy.ApplyInput{PolicyID: auto.ID, EnterpriseID: ok}); !errors.Is(err, errs.ErrConflict) {
			t.Errorf("applied for a no-application policy: %v", err)
		}
	})
}

func TestAnEnterpriseSeesOnlyItsOwnApplications(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, policy.Config{})
		pol := w.publish(smallProfit("xwqy"), "2026-01-01")
		a, b := w.eligibleFirm(), w.eligibleFirm()
		appA, appB := w.apply(pol, a), w.apply(pol, b)
		pg, err := w.svc.ListApplications(owner(a), policy.AppFilter{EnterpriseID: b})
		if err != nil {
			t.Fatal(err)
		}
		if pg.Total != 1 || pg.Items[0].ID != appA.ID {
			t.Errorf("enterprise A lists %+v", pg.Items)
		}
		if _, err := w.svc.GetApplication(owner(a), appB.ID); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("enterprise A reads B's application: %v", err)
		}
		if _, err := w.svc.Act(owner(a), appB.ID, appB.Rev, policy.Action{Name: policy.ActWithdraw}); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("enterprise A withdraws B's application: %v", err)
		}
		if pg, _ := w.svc.ListApplications(officer(1), policy.AppFilter{}); pg.Total != 2 {
			t.Errorf("the officer sees %d", pg.Total)
		}
		if _, err := w.svc.ListApplications(anonymous(), policy.AppFilter{}); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("anonymous lists applications: %v", err)
		}
		if _, err := w.svc.ListApplications(as(identity.RoleBankStaff), policy.AppFilter{}); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("bank staff list applications: %v", err)
		}
		// The audit trail records the refused reads.
		var denied int
		if err := d.QueryRowContext(context.Background(), "SELECT count(*) FROM audit_log WHERE result = 'denied' AND action LIKE 'policy.%'").Scan(&denied); err != nil {
			t.Fatal(err)
		}
		if denied < 4 {
			t.Errorf("%d denials audited", denied)
		}
	})
}

func TestApprovalAmountIsBoundedAndLargeAmountsNeedAnotherOfficer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, policy.Config{SecondApprovalFen: yuan(20000)})
		pol := w.publish(smallProfit("xwqy"), "2026-01-01")
		a := w.apply(pol, w.eligibleFirm())
		if _, err := w.svc.Act(officer(1), a.ID, a.Rev, policy.Action{Name: policy.ActApprove, AmountFen: yuan(20000) + 1}); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("approved above the policy's amount: %v", err)
		}
		if _, err := w.svc.Act(officer(1), a.ID, 0, policy.Action{Name: policy.ActApprove, AmountFen: yuan(100)}); !errors.Is(err, errs.ErrPreconditionRequired) {
			t.Errorf("no revision: %v", err)
		}
		if _, err := w.svc.Act(owner(a.EnterpriseID), a.ID, a.Rev, policy.Action{Name: policy.ActApprove, AmountFen: yuan(100)}); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("the applicant approved itself: %v", err)
		}
		a = w.act(officer(1), a, policy.Action{Name: policy.ActApprove, AmountFen: yuan(20000), Opinion: "材料齐全"})
		if a.State != policy.AppSecondApproval || a.FirstApprover != "policy1" {
			t.Fatalf("at the threshold: %s by %q", a.State, a.FirstApprover)
		}
		if acts := w.svc.AvailableActions(identity.PrincipalFrom(officer(1)), a); contains(acts, policy.ActSecondApprove) {
			t.Errorf("the first approver is offered the second approval: %v", acts)
		}
		_, err := w.svc.Act(officer(1), a.ID, a.Rev, policy.Action{Name: policy.ActSecondApprove})
		if !errors.Is(err, errs.ErrForbidden) || !errors.Is(err, policy.ErrSameApprover) && !strings.Contains(err.Error(), "another officer") {
			t.Errorf("self second approval: %v", err)
		}
		a = w.act(officer(2), a, policy.Action{Name: policy.ActSecondApprove, Opinion: "复核同意"})
		if a.State != policy.AppApproved || *a.ApprovedFen != yuan(20000) {
			t.Errorf("after the second officer: %s", a.State)
		}
		// Just below the threshold one approval suffices.
		b := w.apply(pol, w.eligibleFirm())
		b = w.act(officer(1), b, policy.Action{Name: policy.ActApprove, AmountFen: yuan(20000) - 1})
		if b.State != policy.AppApproved {
			t.Errorf("below the threshold: %s", b.State)
		}
		steps := []string{}
		for _, s := range a.Steps {
			steps = append(steps, s.Action+":"+s.Actor)
		}
		if strings.Join(steps, ",") != "submit:qiye"+strconv.FormatInt(a.EnterpriseID, 10)+",approve:政策专员1,second_approve:政策专员2" {
			t.Errorf("steps %v", steps)
		}
	})
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func TestHundredParallelApprovalsMakeOneAndHundredParallelPaymentsPayOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, policy.Config{})
		pol := w.publish(smallProfit("xwqy"), "2026-01-01")
		a := w.apply(pol, w.eligibleFirm())
		var wg sync.WaitGroup
		var mu sync.Mutex
		okCount, stale := 0, 0
		for i := 0; i < 100; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				_, err := w.svc.Act(officer(1+i%5), a.ID, a.Rev, policy.Action{Name: policy.ActApprove, AmountFen: yuan(20000)})
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					okCount++
				case errors.Is(err, errs.ErrPrecondition):
					stale++
				default:
					t.Errorf("approval %d: %v", i, err)
				}
			}(i)
		}
		wg.Wait()
		if okCount != 1 || stale != 99 {
			t.Fatalf("%d approvals succeeded, %d were stale", okCount, stale)
		}
		var approvals int
		if err := d.QueryRowContext(context.Background(), "SELECT count(*) FROM policy_application_steps WHERE application_id = ? AND action = 'approve'", a.ID).Scan(&approvals); err != nil {
			t.Fatal(err)
		}
		if approvals != 1 {
			t.Errorf("%d approval steps recorded", approvals)
		}
		a, _ = w.svc.GetApplication(officer(1), a.ID)
		if _, err := w.svc.StartPublicity(officer(1), pol.ID, []int64{a.ID}, 5); err != nil {
			t.Fatal(err)
		}
		w.clock.set("2026-03-20")
		if _, err := w.svc.Tick(sys(), w.clock.now()); err != nil {
			t.Fatal(err)
		}
		paid, conflicts := 0, 0
		for i := 0; i < 100; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				_, err := w.svc.Pay(officer(1), policy.PayTarget{ApplicationID: a.ID}, policy.PaymentInput{PaidOn: "2026-03-20", Reference: "GK2026032000" + string(rune('A'+i%26))})
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					paid++
				case errors.Is(err, errs.ErrConflict):
					conflicts++
				default:
					t.Errorf("payment %d: %v", i, err)
				}
			}(i)
		}
		wg.Wait()
		var rows int
		if err := d.QueryRowContext(context.Background(), "SELECT count(*) FROM policy_payments").Scan(&rows); err != nil {
			t.Fatal(err)
		}
		if paid != 1 || conflicts != 99 || rows != 1 {
			t.Errorf("%d payments succeeded, %d conflicts, %d rows", paid, conflicts, rows)
		}
		got, _ := w.svc.GetApplication(owner(a.EnterpriseID), a.ID)
		if got.State != policy.AppPaid || got.Payment == nil || got.Payment.AmountFen != yuan(20000) {
			t.Errorf("the enterprise sees %s, %+v", got.State, got.Payment)
		}
	})
}

func TestTheDatabaseRefusesASecondPaymentForTheSamePeriodEvenDirectly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, policy.Config{})
		pol := w.publish(smallProfit("xwqy"), "2026-01-01")
		a := w.toPayable(pol, w.apply(pol, w.eligibleFirm()))
		if _, err := w.svc.Pay(officer(1), policy.PayTarget{ApplicationID: a.ID}, policy.PaymentInput{Reference: "GK001"}); err != nil {
			t.Fatal(err)
		}
		insert := func(period string, viaApp bool) error {
			app := any(nil)
			if viaApp {
				app = a.ID
			}
			return d.InTx(context.Background(), func(tx *db.Tx) error {
				_, err := tx.ExecContext(context.Background(), `INSERT INTO policy_payments (enterprise_id, policy_id, period, policy_version, application_id,
					amount_fen, paid_on, reference, started_on, recorded_by, created_at) VALUES (?, ?, ?, 1, ?, 100, '2026-03-20', 'X', '2026-03-02', 'sql', ?)`,
					a.EnterpriseID, pol.ID, period, app, w.clock.now())
				return err
			})
		}
		if err := insert("2026", true); !db.IsUniqueViolation(err) {
			t.Errorf("a second payment for 2026 by SQL: %v", err)
		}
		if err := insert("2027", true); err != nil {
			t.Errorf("the next year's payment is refused: %v", err)
		}
		if err := insert("2028", false); err == nil {
			t.Error("a payment naming neither an application nor a run item is accepted")
		}
		if _, err := w.svc.Pay(officer(1), policy.PayTarget{ApplicationID: a.ID}, policy.PaymentInput{Reference: "GK002"}); !errors.Is(err, errs.ErrConflict) {
			t.Errorf("paying again: %v", err)
		}
	})
}

func TestSupplementStopsTheClock(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, policy.Config{})
		pol := w.publish(smallProfit("xwqy"), "2026-01-01")
		a := w.apply(pol, w.eligibleFirm()) // Monday 2 March; 10 working days: due Monday 16 March
		w.clock.set("2026-03-04")           // Wednesday; Tuesday 3 March counted
		if _, err := w.svc.Act(officer(1), a.ID, a.Rev, policy.Action{Name: policy.ActRequestSupplement}); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("a supplement request without a list: %v", err)
		}
		a = w.act(officer(1), a, policy.Action{Name: policy.ActRequestSupplement, Missing: []string{"2025年度财务报表", " "}})
		if a.State != policy.AppSupplement || strings.Join(a.Missing, "|") != "2025年度财务报表" || !a.Clock.Paused {
			t.Fatalf("after the request: %s %v %+v", a.State, a.Missing, a.Clock)
		}
		w.clock.set("2026-03-11") // a week later
		paused, err := w.svc.GetApplication(officer(1), a.ID)
		if err != nil {
			t.Fatal(err)
		}
		// The day of the request is inside the stop (as for 补正 of cases).
		if paused.Clock.Used != 1 {
			t.Errorf("the clock ran while paused: %+v", paused.Clock)
		}
		if pg, _ := w.svc.ListApplications(officer(1), policy.AppFilter{Queue: true}); pg.Total != 0 {
			t.Errorf("a paused application is in the review queue")
		}
		a = w.act(owner(a.EnterpriseID), paused, policy.Action{Name: policy.ActSupplement})
		// Paused Wed 4 to Wed 11 March inclusive: 6 working days do not count,
		// so the deadline moves from 16 to 24 March.
		if a.State != policy.AppInReview || a.DueOn != "2026-03-24" || a.Clock.Due != "2026-03-24" || a.Clock.Used != 1 {
			t.Errorf("after the supplement: %s due %s clock %+v", a.State, a.DueOn, a.Clock)
		}
		if pg, _ := w.svc.ListApplications(officer(1), policy.AppFilter{Queue: true}); pg.Total != 1 || pg.Items[0].Clock.Left != 9 {
			t.Errorf("queue %+v", pg.Items)
		}
	})
}

func TestQueueIsOrderedByWorkingDayDeadline(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, policy.Config{})
		slow := smallProfit("slow")
		slow.Guide.TimeLimitDays = 20
		pSlow := w.publish(slow, "2026-01-01")
		pFast := w.publish(smallProfit("fast"), "2026-01-01")
		first := w.apply(pSlow, w.eligibleFirm())
		w.clock.set("2026-03-03")
		second := w.apply(pFast, w.eligibleFirm())
		pg, err := w.svc.ListApplications(officer(1), policy.AppFilter{Queue: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(pg.Items) != 2 || pg.Items[0].ID != second.ID || pg.Items[1].ID != first.ID {
			t.Errorf("queue order %v, %v", pg.Items[0].DueOn, pg.Items[1].DueOn)
		}
	})
}

func TestPublicityWithoutObjectionMakesThePaymentDue(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, policy.Config{})
		pol := w.publish(smallProfit("xwqy"), "2026-01-01")
		a := w.apply(pol, w.eligibleFirm())
		if _, err := w.svc.StartPublicity(officer(1), pol.ID, []int64{a.ID}, 5); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("an unapproved application entered publicity: %v", err)
		}
		a = w.act(officer(1), a, policy.Action{Name: policy.ActApprove, AmountFen: yuan(15000)})
		b, err := w.svc.StartPublicity(officer(1), pol.ID, []int64{a.ID}, 5)
		if err != nil {
			t.Fatal(err)
		}
		if b.EndsOn != "2026-03-09" || len(b.Items) != 1 || b.Items[0].AmountFen != yuan(15000) || b.Items[0].PolicyTitle != "小型微利企业所得税优惠" {
			t.Fatalf("batch %+v", b)
		}
		pub, err := w.svc.ListPublicity(anonymous(), policy.PublicityFilter{Open: true})
		if err != nil || len(pub) != 1 || !strings.HasPrefix(pub[0].Items[0].EnterpriseName, "重庆北碚") {
			t.Fatalf("public list %+v %v", pub, err)
		}
		w.clock.set("2026-03-09") // the last day: still open
		if rep, _ := w.svc.Tick(sys(), w.clock.now()); rep.Payable != 0 {
			t.Errorf("closed on its last day")
		}
		w.clock.set("2026-03-10")
		rep, err := w.svc.Tick(sys(), w.clock.now())
		if err != nil || rep.PublicityClosed != 1 || rep.Payable != 1 {
			t.Fatalf("tick %+v %v", rep, err)
		}
		if rep, _ := w.svc.Tick(sys(), w.clock.now()); rep.PublicityClosed != 0 {
			t.Errorf("a second tick closed again")
		}
		got, _ := w.svc.GetApplication(owner(a.EnterpriseID), a.ID)
		if got.State != policy.AppPayable {
			t.Errorf("after the window: %s", got.State)
		}
		if _, err := w.svc.ObjectToPublicity(anonymous(), b.ID, a.ID, policy.ObjectionInput{Name: "张某", Contact: "139", Reason: "迟到"}); !errors.Is(err, errs.ErrConflict) {
			t.Errorf("an objection after the window: %v", err)
		}
	})
}

func TestPublicityObjectionHoldsTheApplicationUntilAnOfficerDecides(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, policy.Config{})
		pol := w.publish(smallProfit("xwqy"), "2026-01-01")
		a := w.act(officer(1), w.apply(pol, w.eligibleFirm()), policy.Action{Name: policy.ActApprove, AmountFen: yuan(20000)})
		c := w.act(officer(1), w.apply(pol, w.eligibleFirm()), policy.Action{Name: policy.ActApprove, AmountFen: yuan(20000)})
		b, err := w.svc.StartPublicity(officer(1), pol.ID, []int64{a.ID, c.ID}, 5)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.ObjectToPublicity(anonymous(), b.ID, a.ID, policy.ObjectionInput{}); len(errs.FieldsOf(err)) != 3 {
			t.Errorf("an empty objection: %v", err)
		}
		for _, app := range []policy.Application{a, c} {
			if _, err := w.svc.ObjectToPublicity(anonymous(), b.ID, app.ID, policy.ObjectionInput{Name: "李某", Contact: "13912345678",
				Reason: "该企业实际从业人数超过300人"}); err != nil {
				t.Fatal(err)
			}
		}
		held, _ := w.svc.GetApplication(officer(1), a.ID)
		if held.State != policy.AppOnHold {
			t.Fatalf("after the objection: %s", held.State)
		}
		objs, err := w.svc.Objections(officer(1), a.ID)
		if err != nil || len(objs) != 1 || objs[0].Contact != "13912345678" {
			t.Errorf("objections %+v %v", objs, err)
		}
		if _, err := w.svc.Objections(owner(a.EnterpriseID), a.ID); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("the applicant reads the objector's contact: %v", err)
		}
		w.clock.set("2026-03-20")
		rep, _ := w.svc.Tick(sys(), w.clock.now())
		if rep.Payable != 0 {
			t.Errorf("an application on hold became payable")
		}
		// Dismissed after the window: payable. Upheld: reviewed again.
		a = w.act(officer(2), held, policy.Action{Name: policy.ActDecideObjection, Uphold: false, Opinion: "经核实，从业人数为80人"})
		if a.State != policy.AppPayable {
			t.Errorf("dismissed: %s", a.State)
		}
		c, _ = w.svc.GetApplication(officer(1), c.ID)
		c = w.act(officer(2), c, policy.Action{Name: policy.ActDecideObjection, Uphold: true, Opinion: "异议属实，重新审核"})
		if c.State != policy.AppInReview || c.ApprovedFen != nil {
			t.Errorf("upheld: %s %v", c.State, c.ApprovedFen)
		}
		objs, _ = w.svc.Objections(officer(1), c.ID)
		if objs[0].State != "upheld" || objs[0].DecidedBy != "政策专员2" {
			t.Errorf("objection after decision %+v", objs[0])
		}
	})
}

func TestARejectedApplicantMayObjectOnceWithinThePeriod(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, policy.Config{ObjectionDays: 15})
		pol := w.publish(smallProfit("xwqy"), "2026-01-01")
		a := w.apply(pol, w.eligibleFirm())
		if _, err := w.svc.Act(officer(1), a.ID, a.Rev, policy.Action{Name: policy.ActReject}); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("a rejection without a reason: %v", err)
		}
		a = w.act(officer(1), a, policy.Action{Name: policy.ActReject, Reason: "2025年度纳税申报表显示亏损"})
		if a.ObjectionUntil != "2026-03-17" {
			t.Errorf("objection until %s", a.ObjectionUntil)
		}
		a = w.act(owner(a.EnterpriseID), a, policy.Action{Name: policy.ActObject, Reason: "申报表已更正"})
		if a.State != policy.AppObjected {
			t.Fatalf("after objecting: %s", a.State)
		}
		a = w.act(officer(2), a, policy.Action{Name: policy.ActDecideObjection, Uphold: false, Opinion: "更正后仍不符合"})
		if a.State != policy.AppRejected || a.ObjectionUntil != "" {
			t.Errorf("dismissed: %s until %q", a.State, a.ObjectionUntil)
		}
		if _, err := w.svc.Act(owner(a.EnterpriseID), a.ID, a.Rev, policy.Action{Name: policy.ActObject, Reason: "再次异议"}); !errors.Is(err, errs.ErrConflict) {
			t.Errorf("a second objection: %v", err)
		}
		// Too late: the day after the period.
		b := w.act(officer(1), w.apply(pol, w.eligibleFirm()), policy.Action{Name: policy.ActReject, Reason: "材料不实"})
		w.clock.set("2026-03-18")
		if _, err := w.svc.Act(owner(b.EnterpriseID), b.ID, b.Rev, policy.Action{Name: policy.ActObject, Reason: "晚了"}); !errors.Is(err, errs.ErrConflict) {
			t.Errorf("an objection after the period: %v", err)
		}
		// Upheld: reviewed again on a fresh clock.
		w.clock.set("2026-03-17")
		b = w.act(owner(b.EnterpriseID), b, policy.Action{Name: policy.ActObject, Reason: "材料真实"})
		b = w.act(officer(1), b, policy.Action{Name: policy.ActDecideObjection, Uphold: true, Opinion: "异议成立"})
		if b.State != policy.AppInReview || b.DueOn != "2026-03-31" {
			t.Errorf("upheld: %s due %s", b.State, b.DueOn)
		}
	})
}

func TestWithdrawBeforeDecisionOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, policy.Config{})
		pol := w.publish(smallProfit("xwqy"), "2026-01-01")
		ent := w.eligibleFirm()
		a := w.act(owner(ent), w.apply(pol, ent), policy.Action{Name: policy.ActWithdraw})
		if a.State != policy.AppWithdrawn {
			t.Fatalf("withdrawn: %s", a.State)
		}
		b := w.apply(pol, ent) // a withdrawn application does not block a new one
		b = w.act(officer(1), b, policy.Action{Name: policy.ActApprove, AmountFen: yuan(100)})
		if _, err := w.svc.Act(owner(ent), b.ID, b.Rev, policy.Action{Name: policy.ActWithdraw}); !errors.Is(err, errs.ErrConflict) {
			t.Errorf("withdrew an approved application: %v", err)
		}
	})
}

func TestNoApplyRunEndToEnd(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, policy.Config{})
		in := smallProfit("yfjl-auto")
		in.Mode = policy.ModeNoApply
		in.Benefit = policy.Benefit{Kind: policy.BenefitFormula, Formula: "rd_expense * 0.1", Cap: money.Yuan{Fen: yuan(50000), Valid: true}, Period: policy.PeriodYear}
		in.Tests = nil
		pol := w.publish(in, "2026-01-01")
		a := w.add(firm{employees: n(80), revenue: n(12_000_000), assets: n(9_000_000), taxable: n(1_500_000), rd: n(200_000)})   // 20,000
		b := w.add(firm{employees: n(80), revenue: n(12_000_000), assets: n(9_000_000), taxable: n(1_500_000), rd: n(2_000_000)}) // capped 50,000
		w.add(firm{employees: n(80), revenue: n(12_000_000), assets: n(9_000_000), taxable: n(1_500_000)})                        // amount unknown
		w.add(firm{employees: n(900), revenue: n(12_000_000), assets: n(9_000_000), taxable: n(1_500_000), rd: n(200_000)})       // ineligible
		if _, err := w.svc.StartRun(owner(a), pol.ID, "2026", ""); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("an enterprise started a run: %v", err)
		}
		run, err := w.svc.StartRun(officer(1), pol.ID, "2026", "2026-03-02")
		if err != nil {
			t.Fatal(err)
		}
		if run.Eligible != 2 || run.TotalFen != yuan(70000) || len(run.Items) != 2 || run.Items[0].EnterpriseID != a || run.Items[1].AmountFen != yuan(50000) {
			t.Fatalf("run %+v", run)
		}
		if _, err := w.svc.ConfirmAccount(owner(a), run.Items[0].ID, policy.AccountInput{BankName: "重庆农村商业银行", AccountName: run.Items[0].EnterpriseName, AccountNo: "6228480402564890018"}); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("an account confirmed before the list: %v", err)
		}
		run, err = w.svc.ConfirmRun(officer(2), run.ID, run.Rev)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.StartRun(officer(1), pol.ID, "2026", ""); !errors.Is(err, errs.ErrConflict) {
			t.Errorf("a confirmed list was redone: %v", err)
		}
		mine, err := w.svc.RunItemsFor(owner(a), a)
		if err != nil || len(mine) != 1 || mine[0].AmountFen != yuan(20000) {
			t.Fatalf("the firm sees %+v %v", mine, err)
		}
		if _, err := w.svc.RunItemsFor(owner(a), b); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("a firm sees another's items: %v", err)
		}
		item := mine[0]
		if _, err := w.svc.ConfirmAccount(owner(b), item.ID, policy.AccountInput{BankName: "x", AccountName: item.EnterpriseName, AccountNo: "6228480402564890018"}); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("another firm confirmed the account: %v", err)
		}
		if _, err := w.svc.Pay(officer(1), policy.PayTarget{RunItemID: item.ID}, policy.PaymentInput{Reference: "GK1"}); !errors.Is(err, errs.ErrConflict) {
			t.Errorf("paid before the account was confirmed: %v", err)
		}
		got, err := w.svc.ConfirmAccount(owner(a), item.ID, policy.AccountInput{BankName: "重庆农村商业银行北碚支行", AccountName: item.EnterpriseName, AccountNo: "6228 4804 0256 4890 018"})
		if err != nil {
			t.Fatal(err)
		}
		if got.State != "account_confirmed" || got.AccountMasked != "**** **** 0018" {
			t.Errorf("item %+v", got)
		}
		w.clock.set("2026-03-06")
		pay, err := w.svc.Pay(officer(1), policy.PayTarget{RunItemID: item.ID}, policy.PaymentInput{Reference: "GK20260306001"})
		if err != nil {
			t.Fatal(err)
		}
		if pay.AmountFen != yuan(20000) || pay.StartedOn != "2026-03-02" || pay.ApplicationID != 0 || pay.PaidOn != "2026-03-06" {
			t.Errorf("payment %+v", pay)
		}
		if _, err := w.svc.Pay(officer(1), policy.PayTarget{RunItemID: item.ID}, policy.PaymentInput{Reference: "GK2"}); !errors.Is(err, errs.ErrConflict) {
			t.Errorf("paid twice: %v", err)
		}
		mine, _ = w.svc.RunItemsFor(owner(a), a)
		if mine[0].State != "paid" || mine[0].Payment == nil || mine[0].Payment.Reference != "GK20260306001" {
			t.Errorf("the firm sees %+v", mine[0])
		}
		var stored string
		if err := d.QueryRowContext(context.Background(), "SELECT account_no FROM policy_run_items WHERE id = ?", item.ID).Scan(&stored); err != nil || stored != "6228480402564890018" {
			t.Errorf("stored account %q %v", stored, err)
		}
		var applications int
		if err := d.QueryRowContext(context.Background(), "SELECT count(*) FROM policy_applications").Scan(&applications); err != nil || applications != 0 {
			t.Errorf("%d applications were needed", applications)
		}
	})
}

func TestRegistryFieldsInTheFormCannotBeChangedByTheApplicant(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, policy.Config{})
		pol := w.publish(smallProfit("xwqy"), "2026-01-01")
		firm := w.eligibleFirm()
		form, err := w.svc.PrepareApplication(owner(firm), pol.ID, firm)
		if err != nil {
			t.Fatal(err)
		}
		name := form.Fields[0].Value
		_, err = w.svc.Apply(owner(firm), policy.ApplyInput{PolicyID: pol.ID, EnterpriseID: firm,
			Form: map[string]string{"name": "重庆另一家公司", "credit_code": "91500109MA00000000", "legal_rep": "王芳"}})
		fields := errs.FieldsOf(err)
		for _, f := range []string{"form.name", "form.credit_code"} {
			if m, ok := fields[f]; !ok || m.Zh == "" || m.En == "" {
				t.Errorf("changing %s was not refused: %v", f, err)
			}
		}
		if _, ok := fields["form.legal_rep"]; ok {
			t.Error("the registry's own value was refused")
		}
		a, err := w.svc.Apply(owner(firm), policy.ApplyInput{PolicyID: pol.ID, EnterpriseID: firm,
			Form: map[string]string{"name": " " + name + " ", "contact_name": "张三"}})
		if err != nil {
			t.Fatal(err)
		}
		if a.Form["name"] != name || a.Form["contact_name"] != "张三" || a.Form["credit_code"] != creditCode(1) {
			t.Errorf("stored form %v", a.Form)
		}
	})
}

func TestApprovingAPolicyThatPaysNoMoneyIsFinal(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, policy.Config{})
		service := smallProfit("service")
		service.Benefit = policy.Benefit{Kind: policy.BenefitNone, Period: policy.PeriodYear, Description: "入库评价"}
		for _, pol := range []policy.Policy{w.publish(service, "2026-01-01"), w.publish(taxSaving("saving", policy.ModeApply), "2026-01-01")} {
			t.Run(pol.Code, func(t *testing.T) {
				a := w.act(officer(1), w.apply(pol, w.eligibleFirm()), policy.Action{Name: policy.ActApprove})
				if a.State != policy.AppGranted || a.State.Label().Zh != "已核准（无资金兑付）" || a.DecidedOn != "2026-03-02" || a.Clock.Status != "done" {
					t.Errorf("approved: %s (%s), decided %q, clock %s", a.State, a.State.Label().Zh, a.DecidedOn, a.Clock.Status)
				}
				if acts := w.svc.AvailableActions(identity.PrincipalFrom(officer(2)), a); len(acts) != 0 {
					t.Errorf("actions left on a final approval: %v", acts)
				}
				if _, err := w.svc.StartPublicity(officer(1), pol.ID, []int64{a.ID}, 5); !errors.Is(err, errs.ErrInvalid) {
					t.Errorf("publicised an approval with nothing to pay: %v", err)
				}
				if _, err := w.svc.Pay(officer(1), policy.PayTarget{ApplicationID: a.ID}, policy.PaymentInput{Reference: "X"}); !errors.Is(err, errs.ErrConflict) {
					t.Errorf("paid an approval with nothing to pay: %v", err)
				}
			})
		}
	})
}

func TestApprovingWithoutAnAmountApprovesWhatThePolicyComputes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, policy.Config{SecondApprovalFen: yuan(100_000)})
		in := smallProfit("xwqy-formula")
		in.Benefit = policy.Benefit{Kind: policy.BenefitFormula, Formula: "taxable_income * 0.01", Cap: money.Yuan{Fen: yuan(12_000), Valid: true},
			Period: policy.PeriodYear}
		in.Tests = nil
		pol := w.publish(in, "2026-01-01")
		// 1,500,000 yuan × 1% = 15,000, capped at 12,000.
		a := w.act(officer(1), w.apply(pol, w.eligibleFirm()), policy.Action{Name: policy.ActApprove})
		if a.State != policy.AppApproved || a.ApprovedFen == nil || *a.ApprovedFen != yuan(12_000) {
			t.Errorf("approved without an amount: %s at %v, want 12,000 yuan (the cap)", a.State, a.ApprovedFen)
		}
		// No more than was asked for.
		firm := w.eligibleFirm()
		b, err := w.svc.Apply(owner(firm), policy.ApplyInput{PolicyID: pol.ID, EnterpriseID: firm, RequestedFen: yuan(5_000)})
		if err != nil {
			t.Fatal(err)
		}
		b = w.act(officer(1), b, policy.Action{Name: policy.ActApprove})
		if b.ApprovedFen == nil || *b.ApprovedFen != yuan(5_000) {
			t.Errorf("approved %v, want the 5,000 yuan requested", b.ApprovedFen)
		}
	})
}
