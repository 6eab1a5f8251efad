package app_test

import (
	"testing"

	"github.com/qinqing/qinqing/internal/app/apptest"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
)

func TestThePolicyServiceTakesItsDeploymentSettings(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, d db.Dialect) {
		s := apptest.Start(t, d, apptest.WithEnv("QINQING_POLICY_SECOND_APPROVAL_YUAN", "50000"),
			apptest.WithEnv("QINQING_POLICY_PUBLICITY_DAYS", "7"), apptest.WithEnv("QINQING_POLICY_OBJECTION_DAYS", "30"))
		c := s.Main.Policy.Config()
		if c.SecondApprovalFen != 50_000*100 || c.PublicityDays != 7 || c.ObjectionDays != 30 {
			t.Errorf("policy service runs with second approval %d fen, publicity %d days, objection %d days; want 50,000 yuan, 7, 30",
				c.SecondApprovalFen, c.PublicityDays, c.ObjectionDays)
		}
	})
}
