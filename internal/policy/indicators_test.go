package policy_test

import (
	"errors"
	"testing"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/money"
	"github.com/qinqing/qinqing/internal/policy"
)

func TestIndicatorsOnAKnownDataset(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, policy.Config{})
		f1, f2 := w.eligibleFirm(), w.eligibleFirm()
		f3 := w.add(firm{employees: n(250), revenue: n(12_000_000), assets: n(9_000_000), taxable: n(1_500_000)})
		w.add(firm{employees: n(500), revenue: n(12_000_000), assets: n(9_000_000), taxable: n(1_500_000)})
		xwqy := w.publish(smallProfit("xwqy"), "2026-01-01")
		autoIn := smallProfit("wengang-auto")
		autoIn.Mode, autoIn.Shelf = policy.ModeNoApply, policy.ShelfEmployment
		autoIn.Benefit = policy.Benefit{Kind: policy.BenefitFixed, Amount: money.Yuan{Fen: yuan(5000), Valid: true}, Period: policy.PeriodYear}
		autoIn.Conditions = cond(`{"attr":"employees","op":"le","value":100}`)
		autoIn.Tests = nil
		auto := w.publish(autoIn, "2026-01-01")
		// A tax relief reaching only the 500-employee firm: matched, but by
		// no money policy.
		reliefIn := taxSaving("big-relief", policy.ModeNoApply)
		reliefIn.Conditions = cond(`{"attr":"employees","op":"ge","value":400}`)
		reliefIn.Tests = nil
		w.publish(reliefIn, "2026-01-01")
		gone := w.publish(smallProfit("gone"), "2026-01-01")
		if _, err := w.svc.Unpublish(officer(1), gone.ID, gone.Rev); err != nil {
			t.Fatal(err)
		}
		// Applications on Monday 2 March: one approved and paid, one
		// rejected, one still in review.
		a1 := w.act(officer(1), w.apply(xwqy, f1), policy.Action{Name: policy.ActApprove, AmountFen: yuan(20000)})
		w.act(officer(1), w.apply(xwqy, f2), policy.Action{Name: policy.ActReject, Reason: "材料不实"})
		w.apply(xwqy, f3)
		if _, err := w.svc.StartPublicity(officer(1), xwqy.ID, []int64{a1.ID}, 5); err != nil {
			t.Fatal(err)
		}
		run, err := w.svc.StartRun(officer(1), auto.ID, "2026", "2026-03-02")
		if err != nil || run.Eligible != 2 {
			t.Fatalf("run %+v %v", run, err)
		}
		run, err = w.svc.ConfirmRun(officer(2), run.ID, run.Rev)
		if err != nil {
			t.Fatal(err)
		}
		item := run.Items[0]
		if _, err := w.svc.ConfirmAccount(owner(item.EnterpriseID), item.ID, policy.AccountInput{BankName: "重庆银行北碚支行", AccountName: item.EnterpriseName, AccountNo: "310120100012345678"}); err != nil {
			t.Fatal(err)
		}
		w.clock.set("2026-03-06") // 4 working days after the evaluation date
		if _, err := w.svc.Pay(officer(1), policy.PayTarget{RunItemID: item.ID}, policy.PaymentInput{Reference: "GK-A"}); err != nil {
			t.Fatal(err)
		}
		w.clock.set("2026-03-20") // 14 working days after the application
		if _, err := w.svc.Tick(sys(), w.clock.now()); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Pay(officer(1), policy.PayTarget{ApplicationID: a1.ID}, policy.PaymentInput{Reference: "GK-B"}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Indicators(owner(f1), policy.IndicatorPeriod{}); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("an enterprise reads the indicators: %v", err)
		}
		ind, err := w.svc.Indicators(officer(1), policy.IndicatorPeriod{From: "2026-03-01", To: "2026-03-31"})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]float64{
			"policies_live":             3,     // xwqy, wengang-auto and big-relief; gone is unpublished
			"enterprises_matched":       4,     // f1, f2, f3, and the 500-employee firm by the relief
			"enterprises_matched_money": 3,     // f1, f2, f3: the relief pays no money
			"applications":              3,     // submitted in March
			"approval_rate":             50,    // 1 approved of 2 decided
			"money_paid":                25000, // 20,000 + 5,000 yuan
			"median_days_to_payment":    9,     // median of 14 and 4
			"share_no_application":      50,    // 1 of 2 payments
		}
		for key, v := range want {
			it, ok := ind.Get(key)
			if !ok {
				t.Errorf("%s missing", key)
				continue
			}
			if it.Value != v {
				t.Errorf("%s = %v, want %v", key, it.Value, v)
			}
			if it.Formula.Zh == "" || it.Formula.En == "" || it.Name.Zh == "" {
				t.Errorf("%s lacks its formula or name", key)
			}
		}
		if len(ind.Items) != len(want) {
			t.Errorf("%d indicators", len(ind.Items))
		}
		// A period with no data shows dashes, not zero rates.
		empty, err := w.svc.Indicators(officer(1), policy.IndicatorPeriod{From: "2025-01-01", To: "2025-01-31"})
		if err != nil {
			t.Fatal(err)
		}
		if it, _ := empty.Get("approval_rate"); it.Display != "—" || it.Denominator != 0 {
			t.Errorf("empty approval rate %+v", it)
		}
	})
}

func TestIndicatorsCountDecisionsAndTimeToPaymentFromTheApplication(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, policy.Config{ObjectionDays: 15}) // Monday 2 March 2026
		pol := w.publish(smallProfit("xwqy"), "2026-01-01")
		// One approved, one rejected whose 异议 is still pending: two
		// decisions, one approval.
		w.act(officer(1), w.apply(pol, w.eligibleFirm()), policy.Action{Name: policy.ActApprove, AmountFen: yuan(20000)})
		r := w.act(officer(1), w.apply(pol, w.eligibleFirm()), policy.Action{Name: policy.ActReject, Reason: "材料不实"})
		r = w.act(owner(r.EnterpriseID), r, policy.Action{Name: policy.ActObject, Reason: "材料真实"})
		ind, err := w.svc.Indicators(officer(1), policy.IndicatorPeriod{From: "2026-03-01", To: "2026-03-31"})
		if err != nil {
			t.Fatal(err)
		}
		if it, _ := ind.Get("approval_rate"); it.Numerator != 1 || it.Denominator != 2 {
			t.Errorf("approval rate %v/%v, want 1/2: a rejection under 异议 is still a decision", it.Numerator, it.Denominator)
		}

		// A third firm applies on 2 March, is rejected, objects and is
		// upheld on 9 March, then approved and paid: time to payment runs
		// from 2 March, the new review clock from 9 March.
		a := w.act(officer(1), w.apply(pol, w.eligibleFirm()), policy.Action{Name: policy.ActReject, Reason: "材料不实"})
		a = w.act(owner(a.EnterpriseID), a, policy.Action{Name: policy.ActObject, Reason: "材料真实"})
		w.clock.set("2026-03-09")
		a = w.act(officer(2), a, policy.Action{Name: policy.ActDecideObjection, Uphold: true, Opinion: "异议成立"})
		if a.SubmittedOn != "2026-03-02" || a.ReviewFrom != "2026-03-09" || a.DueOn != "2026-03-23" || a.Clock.Used != 0 {
			t.Errorf("upheld: submitted %s, review from %s, due %s, used %d", a.SubmittedOn, a.ReviewFrom, a.DueOn, a.Clock.Used)
		}
		w.toPayable(pol, a)
		pay, err := w.svc.Pay(officer(1), policy.PayTarget{ApplicationID: a.ID}, policy.PaymentInput{Reference: "GK-1"})
		if err != nil {
			t.Fatal(err)
		}
		if pay.StartedOn != "2026-03-02" {
			t.Errorf("payment counted from %s, want the application day 2026-03-02", pay.StartedOn)
		}
		ind, err = w.svc.Indicators(officer(1), policy.IndicatorPeriod{From: "2026-03-01", To: "2026-03-31"})
		if err != nil {
			t.Fatal(err)
		}
		if it, _ := ind.Get("median_days_to_payment"); it.Value != 14 { // 2 March to 20 March
			t.Errorf("median days to payment %v, want 14", it.Value)
		}
		if it, _ := ind.Get("approval_rate"); it.Numerator != 2 || it.Denominator != 3 {
			t.Errorf("approval rate %v/%v, want 2/3", it.Numerator, it.Denominator)
		}
	})
}
