package seed_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/qinqing/qinqing/internal/auth"
	"github.com/qinqing/qinqing/internal/calendar"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/notify"
	"github.com/qinqing/qinqing/internal/policy"
	"github.com/qinqing/qinqing/internal/seed"
)

// TestDemoLiaisonOfficerServesFirmsAndFollowsTheirPushes: the demo liaison
// officer serves the demo enterprise accounts' firms and the 规上 firms of
// two streets, and the pushes of the demo policy history to those firms
// are in its list and its inbox.
func TestDemoLiaisonOfficerServesFirmsAndFollowsTheirPushes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ent := enterprise.NewService(d)
		au := auth.NewService(d, auth.Config{Demo: true, MFA: auth.MFAOff}, nil)
		if err := seed.Demo(sys(), d, ent, au, nil); err != nil {
			t.Fatal(err)
		}
		var liaison int64
		if err := d.QueryRowContext(context.Background(), "SELECT id FROM accounts WHERE username = 'liaison'").Scan(&liaison); err != nil {
			t.Fatal(err)
		}
		firms, err := ent.LiaisonFirms(sys(), liaison)
		if err != nil {
			t.Fatal(err)
		}
		var want []int64
		for _, a := range seed.DemoAccounts() {
			if a.Role == identity.RoleEnterprise {
				e, err := ent.GetByCreditCode(sys(), a.Enterprise)
				if err != nil {
					t.Fatal(err)
				}
				want = append(want, e.ID)
			}
		}
		yes := true
		for _, street := range seed.DemoLiaisonStreets {
			page, err := ent.List(sys(), enterprise.Filter{Region: street, AboveScale: &yes, PerPage: 100})
			if err != nil {
				t.Fatal(err)
			}
			if page.Total == 0 {
				t.Errorf("street %s has no 规上 firm for the officer to serve", street)
			}
			for _, e := range page.Items {
				want = append(want, e.ID)
			}
		}
		slices.Sort(want)
		want = slices.Compact(want)
		if !slices.Equal(firms, want) {
			t.Fatalf("the demo officer serves %v, want %v", firms, want)
		}

		s := policyServices(t, d, ent)
		s.Until = calendar.Date{Year: 2026, Month: time.November, Day: 20}
		if err := seed.DemoPolicyHistory(sys(), d, s, nil); err != nil {
			t.Fatal(err)
		}
		p := &identity.Principal{AccountID: liaison, Username: "liaison", Role: identity.RoleLiaison}
		ctx := identity.WithPrincipal(context.Background(), p)
		pushes, err := s.Policies.ListPushes(ctx, policy.PushFilter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if len(pushes) == 0 {
			t.Fatal("the demo officer sees no push")
		}
		served := map[int64]bool{}
		for _, x := range pushes {
			if !slices.Contains(firms, x.EnterpriseID) {
				t.Errorf("the officer sees a push to firm %d it does not serve", x.EnterpriseID)
			}
			served[x.EnterpriseID] = true
		}
		t.Logf("the demo officer serves %d firms; %d pushes to %d of them", len(firms), len(pushes), len(served))
		if len(served) < 3 {
			t.Errorf("pushes to only %d of the officer's firms", len(served))
		}
		items, _, err := notify.New(d, nil, nil).Inbox(ctx, 200)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(items, func(it notify.Item) bool { return it.Kind == "policy.push.liaison" }) {
			t.Error("the officer's inbox has no notice of its firms' pushes")
		}
	})
}
