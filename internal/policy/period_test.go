package policy_test

import (
	"testing"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/money"
	"github.com/qinqing/qinqing/internal/policy"
)

func TestAPeriodMustLieInTheValidityAndHaveBegun(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, policy.Config{}) // today is Monday 2 March 2026
		firm := w.eligibleFirm()
		pol := func(code string, mode policy.Mode, per policy.Period) policy.Policy {
			in := smallProfit(code)
			in.Mode, in.ValidFrom, in.ValidTo, in.Tests = mode, "2025-07-01", "2026-12-31", nil
			in.Benefit = policy.Benefit{Kind: policy.BenefitFixed, Amount: money.Yuan{Fen: yuan(1000), Valid: true}, Period: per}
			return w.publish(in, "2026-01-01")
		}
		yearly, quarterly := pol("yearly", policy.ModeApply, policy.PeriodYear), pol("quarterly", policy.ModeApply, policy.PeriodQuarter)
		monthly, auto := pol("monthly", policy.ModeApply, policy.PeriodMonth), pol("auto", policy.ModeNoApply, policy.PeriodYear)
		for _, tc := range []struct {
			name   string
			pol    policy.Policy
			period string
			ok     bool
		}{
			{"a year before the policy began is refused", yearly, "2024", false},
			{"a year the policy began in part is accepted", yearly, "2025", true},
			{"a year still to come is refused", yearly, "2027", false},
			{"the current year is accepted", yearly, "2026", true},
			{"a quarter before the policy began is refused", quarterly, "2025Q2", false},
			{"a quarter not yet begun is refused", quarterly, "2026Q2", false},
			{"the current quarter is accepted", quarterly, "2026Q1", true},
			{"a month not yet begun is refused", monthly, "2026-04", false},
			{"a month before the policy began is refused", monthly, "2025-06", false},
			{"the current month is accepted", monthly, "2026-03", true},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := w.svc.Apply(owner(firm), policy.ApplyInput{PolicyID: tc.pol.ID, EnterpriseID: firm, Period: tc.period})
				checkPeriodErr(t, err, tc.ok)
			})
		}
		t.Run("a run for a year still to come or before the policy is refused", func(t *testing.T) {
			for _, per := range []string{"2027", "2024"} {
				_, err := w.svc.StartRun(officer(1), auto.ID, per, "")
				checkPeriodErr(t, err, false)
			}
			_, err := w.svc.StartRun(officer(1), auto.ID, "2026", "")
			checkPeriodErr(t, err, true)
		})
	})
}

func checkPeriodErr(t *testing.T, err error, ok bool) {
	t.Helper()
	if ok {
		if err != nil {
			t.Errorf("refused: %v", err)
		}
		return
	}
	m, has := errs.FieldsOf(err)["period"]
	if !has || m.Zh == "" || m.En == "" {
		t.Errorf("want a bilingual error on period, got %v", err)
	}
}
