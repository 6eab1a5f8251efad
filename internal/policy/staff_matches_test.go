package policy_test

import (
	"errors"
	"testing"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/eligibility"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/policy"
)

// TestStaffWhoFollowUpPoliciesSeeAFirmsMatches: liaison officers, policy
// officers and supervisors read any firm's matches (the profile page shows
// them to staff); an enterprise user only its own firm's, and roles with
// no business in policies nothing.
func TestStaffWhoFollowUpPoliciesSeeAFirmsMatches(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, policy.Config{})
		w.publish(smallProfit("xwqy"), "2026-01-01")
		ent := w.add(firm{employees: n(80), revenue: n(12_000_000), assets: n(9_000_000), taxable: n(1_500_000)})
		other := w.add(firm{employees: n(20)})

		for _, role := range []identity.Role{identity.RoleLiaison, identity.RolePolicyOfficer, identity.RoleSupervisor} {
			t.Run(string(role)+" reads the firm's matches", func(t *testing.T) {
				ms, err := w.svc.Matches(as(role), ent, "")
				if err != nil {
					t.Fatal(err)
				}
				if got := outcomes(ms)["xwqy"]; got != eligibility.Eligible {
					t.Errorf("xwqy is %s for the firm, want eligible", got)
				}
			})
		}
		if _, err := w.svc.Matches(owner(ent), ent, ""); err != nil {
			t.Errorf("the firm cannot read its own matches: %v", err)
		}
		if _, err := w.svc.Matches(owner(other), ent, ""); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("another firm reads the matches: %v", err)
		}
		for _, role := range []identity.Role{identity.RoleBankStaff, identity.RoleAuditor, identity.RoleSecurityAdmin} {
			if _, err := w.svc.Matches(as(role), ent, ""); !errors.Is(err, errs.ErrForbidden) {
				t.Errorf("%s reads a firm's matches: %v", role, err)
			}
		}
	})
}
