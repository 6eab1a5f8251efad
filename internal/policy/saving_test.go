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

// taxSaving is 小型微利 as the demo data has it: the formula estimates the
// tax the firm saves in its own return, which the platform never pays.
func taxSaving(code string, mode policy.Mode) policy.Input {
	in := smallProfit(code)
	in.Mode = mode
	in.Benefit = policy.Benefit{Kind: policy.BenefitFormula, Formula: "taxable_income * 0.2", Period: policy.PeriodYear, Saving: true,
		Description: "估算减免额＝年应纳税所得额 × 20%"}
	return in
}

func TestATaxSavingIsShownAsASavingAndNeverPaid(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, policy.Config{})
		firm := w.eligibleFirm() // taxable income 1,500,000 yuan
		auto := w.publish(taxSaving("xwqy-saving", policy.ModeNoApply), "2026-01-01")
		apply := w.publish(taxSaving("gxjs-saving", policy.ModeApply), "2026-01-01")

		t.Run("the match estimates the saving and says it is one", func(t *testing.T) {
			ms, err := w.svc.Matches(owner(firm), firm, "")
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range ms {
				if m.EstimatedBenefitFen == nil || *m.EstimatedBenefitFen != yuan(300_000) || !m.Saving {
					t.Errorf("%s: estimate %v, saving %v; want 300,000 yuan marked as a saving", m.Policy.Code, m.EstimatedBenefitFen, m.Saving)
				}
			}
		})

		t.Run("the simulation says its estimate is revenue forgone", func(t *testing.T) {
			sim, err := w.svc.Simulate(officer(1), policy.SimulateInput{PolicyID: auto.ID, AsOf: "2026-03-02"})
			if err != nil || !sim.Saving || sim.EstimatedPayoutFen != yuan(300_000) {
				t.Errorf("simulation of a saving: %+v %v", sim, err)
			}
			in := techSubsidy("sim-cash")
			cash, err := w.svc.Simulate(officer(1), policy.SimulateInput{Conditions: in.Conditions, Benefit: in.Benefit, AsOf: "2026-03-02"})
			if err != nil || cash.Saving {
				t.Errorf("a cash subsidy simulated as a saving: %+v %v", cash, err)
			}
		})

		t.Run("no run pays it out", func(t *testing.T) {
			_, err := w.svc.StartRun(officer(1), auto.ID, "2026", "")
			var e *errs.Error
			if !errors.As(err, &e) || e.Code != "no_money" {
				t.Errorf("a run of a tax saving: %v", err)
			}
		})

		t.Run("an application asks for no money and is approved at none", func(t *testing.T) {
			if _, err := w.svc.Apply(owner(firm), policy.ApplyInput{PolicyID: apply.ID, EnterpriseID: firm, RequestedFen: yuan(300_000)}); !hasField(err, "requested_yuan") {
				t.Errorf("asked for the saving as money: %v", err)
			}
			form, err := w.svc.PrepareApplication(owner(firm), apply.ID, firm)
			if err != nil || form.EntitledFen != nil {
				t.Errorf("the form offers %v to receive (%v)", form.EntitledFen, err)
			}
			a := w.apply(apply, firm)
			if a.EntitledFen != nil || a.RequestedFen != 0 {
				t.Errorf("entitled %v, requested %d; a saving is nothing to pay", a.EntitledFen, a.RequestedFen)
			}
			if _, err := w.svc.Act(officer(1), a.ID, a.Rev, policy.Action{Name: policy.ActApprove, AmountFen: yuan(1)}); !hasField(err, "amount_yuan") {
				t.Errorf("approved money for a saving: %v", err)
			}
		})

		t.Run("money paid never counts a saving", func(t *testing.T) {
			// Even a payment record that slipped in (an old version, a
			// direct write) is no money paid.
			ctx := sys()
			var runID, itemID int64
			err := d.InTx(ctx, func(tx *db.Tx) error {
				if err := tx.QueryRowContext(ctx, `INSERT INTO policy_runs (policy_id, policy_version, period, as_of, state, eligible, total_fen,
					created_by, created_at) VALUES (?, 1, '2026', '2026-03-02', 'confirmed', 1, ?, 't', ?) RETURNING id`,
					auto.ID, yuan(300_000), w.clock.now()).Scan(&runID); err != nil {
					return err
				}
				if err := tx.QueryRowContext(ctx, `INSERT INTO policy_run_items (run_id, enterprise_id, amount_fen, state) VALUES (?, ?, ?, 'paid')
					RETURNING id`, runID, firm, yuan(300_000)).Scan(&itemID); err != nil {
					return err
				}
				_, err := tx.ExecContext(ctx, `INSERT INTO policy_payments (enterprise_id, policy_id, period, policy_version, run_item_id, amount_fen,
					paid_on, reference, started_on, recorded_by, created_at) VALUES (?, ?, '2026', 1, ?, ?, '2026-03-02', 'X', '2026-03-02', 't', ?)`,
					firm, auto.ID, itemID, yuan(300_000), w.clock.now())
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			ind, err := w.svc.Indicators(officer(1), policy.IndicatorPeriod{From: "2026-03-01", To: "2026-03-31"})
			if err != nil {
				t.Fatal(err)
			}
			if it, _ := ind.Get("money_paid"); it.Value != 0 {
				t.Errorf("money paid %v yuan includes a tax saving", it.Value)
			}
		})
	})
}

func TestASavingNeedsAnAmountToEstimate(t *testing.T) {
	in := smallProfit("saving-none")
	in.Benefit = policy.Benefit{Kind: policy.BenefitNone, Period: policy.PeriodYear, Saving: true}
	if err := in.Validate(); !hasField(err, "benefit.saving") {
		t.Errorf("a saving of nothing: %v", err)
	}
	in.Benefit = policy.Benefit{Kind: policy.BenefitFixed, Amount: money.Yuan{Fen: yuan(100), Valid: true}, Period: policy.PeriodYear, Saving: true}
	in.Tests = nil
	if err := in.Validate(); err != nil {
		t.Errorf("a fixed saving: %v", err)
	}
}

func hasField(err error, field string) bool {
	_, ok := errs.FieldsOf(err)[field]
	return ok
}
