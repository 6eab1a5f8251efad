package policy_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/money"
	"github.com/qinqing/qinqing/internal/policy"
)

// whileHeld runs write in a transaction that stays open while act starts,
// then commits, and returns act's error: act must see the committed write
// whether it reads before or after the commit.
func whileHeld(t *testing.T, d *db.DB, write func(ctx context.Context, tx *db.Tx) error, act func() error) error {
	t.Helper()
	held, release, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		done <- d.InTx(sys(), func(tx *db.Tx) error {
			if err := write(sys(), tx); err != nil {
				return err
			}
			close(held)
			<-release
			return nil
		})
	}()
	select {
	case <-held:
	case err := <-done:
		t.Fatalf("hold: %v", err)
	}
	got := make(chan error, 1)
	go func() { got <- act() }()
	// Let act reach the row the open transaction holds (this orders the
	// two, it measures nothing).
	time.Sleep(300 * time.Millisecond)
	close(release)
	if err := <-done; err != nil {
		t.Fatalf("hold: %v", err)
	}
	return <-got
}

func (w *world) autoRun() (policy.Policy, policy.Run) {
	w.t.Helper()
	in := smallProfit("auto")
	in.Mode, in.Tests = policy.ModeNoApply, nil
	in.Benefit = policy.Benefit{Kind: policy.BenefitFixed, Amount: money.Yuan{Fen: yuan(5000), Valid: true}, Period: policy.PeriodYear}
	pol := w.publish(in, "2026-01-01")
	w.eligibleFirm()
	run, err := w.svc.StartRun(officer(1), pol.ID, "2026", "")
	if err != nil || len(run.Items) != 1 {
		w.t.Fatalf("run %+v: %v", run, err)
	}
	return pol, run
}

func TestAnAccountCannotBeConfirmedOverAPaymentInFlight(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, policy.Config{})
		_, run := w.autoRun()
		run, err := w.svc.ConfirmRun(officer(2), run.ID, run.Rev)
		if err != nil {
			t.Fatal(err)
		}
		it := run.Items[0]
		acct := policy.AccountInput{BankName: "重庆银行北碚支行", AccountName: it.EnterpriseName, AccountNo: "310120100012345678"}
		if _, err := w.svc.ConfirmAccount(owner(it.EnterpriseID), it.ID, acct); err != nil {
			t.Fatal(err)
		}
		// The payment marks the item paid while the firm changes its account.
		acct.AccountNo = "310120100087654321"
		err = whileHeld(t, d, func(ctx context.Context, tx *db.Tx) error {
			_, err := tx.ExecContext(ctx, "UPDATE policy_run_items SET state = 'paid' WHERE id = ?", it.ID)
			return err
		}, func() error {
			_, err := w.svc.ConfirmAccount(owner(it.EnterpriseID), it.ID, acct)
			return err
		})
		if !errors.Is(err, errs.ErrConflict) {
			t.Errorf("an account changed over a payment: %v", err)
		}
		got, err := w.svc.GetRunItem(officer(1), it.ID)
		if err != nil || got.State != "paid" || got.AccountMasked != "**** **** 5678" {
			t.Errorf("after the payment the item is %s with account %s (%v)", got.State, got.AccountMasked, err)
		}
	})
}

func TestARunBeingConfirmedIsNotRelisted(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, policy.Config{})
		pol, run := w.autoRun()
		w.eligibleFirm() // would join a relisting
		err := whileHeld(t, d, func(ctx context.Context, tx *db.Tx) error {
			_, err := tx.ExecContext(ctx, "UPDATE policy_runs SET state = 'confirmed', confirmed_by = 'x', rev = rev + 1 WHERE id = ?", run.ID)
			return err
		}, func() error {
			_, err := w.svc.StartRun(officer(1), pol.ID, "2026", "")
			return err
		})
		if !errors.Is(err, errs.ErrConflict) {
			t.Errorf("a confirmed run was relisted: %v", err)
		}
		got, err := w.svc.GetRun(officer(1), run.ID)
		if err != nil || got.State != "confirmed" || len(got.Items) != 1 || got.Items[0].ID != run.Items[0].ID {
			t.Errorf("after confirmation the run is %s with %d items (%v)", got.State, len(got.Items), err)
		}
	})
}
