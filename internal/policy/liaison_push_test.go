package policy_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/notify"
	"github.com/qinqing/qinqing/internal/policy"
)

// liaisonOfficer creates a liaison officer account and returns a context
// acting as it.
func (w *world) liaisonOfficer(username, name string) (int64, context.Context) {
	w.t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	var id int64
	err := w.d.InTx(ctx, func(tx *db.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO accounts (username, display_name, role, password_hash, password_changed_at, created_at, updated_at)
			VALUES (?, ?, ?, 'x', ?, ?, ?) RETURNING id`, username, name, string(identity.RoleLiaison), now, now, now).Scan(&id)
	})
	if err != nil {
		w.t.Fatalf("account %s: %v", username, err)
	}
	p := &identity.Principal{AccountID: id, Username: username, DisplayName: name, Role: identity.RoleLiaison}
	return id, identity.WithRequest(identity.WithPrincipal(context.Background(), p), identity.Request{ID: "t", IP: "10.0.0.5"})
}

// pair makes officer the liaison of each firm.
func (w *world) pair(officer int64, firms ...int64) {
	w.t.Helper()
	for _, f := range firms {
		if err := w.ents.AssignLiaison(sys(), f, officer); err != nil {
			w.t.Fatalf("pair %d with %d: %v", f, officer, err)
		}
	}
}

func pushedFirms(t *testing.T, ctx context.Context, svc *policy.Service, f policy.PushFilter) []int64 {
	t.Helper()
	xs, err := svc.ListPushes(ctx, f)
	if err != nil {
		t.Fatalf("list pushes: %v", err)
	}
	var out []int64
	for _, x := range xs {
		out = append(out, x.EnterpriseID)
	}
	slices.Sort(out)
	return out
}

func TestALiaisonOfficerSeesOnlyThePushesOfTheFirmsItServes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, policy.Config{})
		a, b, c := w.eligibleFirm(), w.eligibleFirm(), w.eligibleFirm()
		liu, asLiu := w.liaisonOfficer("liuyang", "刘洋")
		chen, asChen := w.liaisonOfficer("chenxi", "陈曦")
		_, asIdle := w.liaisonOfficer("zhaoyi", "赵怡")
		w.pair(liu, a, c)
		w.pair(chen, b)
		w.publish(smallProfit("xwqy"), "2026-01-01")

		for _, tc := range []struct {
			who  string
			ctx  context.Context
			want []int64
		}{
			{"刘洋", asLiu, []int64{a, c}},
			{"陈曦", asChen, []int64{b}},
			{"an officer serving no firm", asIdle, nil},
			{"a policy officer", officer(1), []int64{a, b, c}},
			{"a supervisor", as(identity.RoleSupervisor), []int64{a, b, c}},
		} {
			if got := pushedFirms(t, tc.ctx, w.svc, policy.PushFilter{}); !slices.Equal(got, tc.want) {
				t.Errorf("%s sees pushes to %v, want %v", tc.who, got, tc.want)
			}
		}
		// Asking for another officer's firm shows nothing.
		if got := pushedFirms(t, asLiu, w.svc, policy.PushFilter{EnterpriseID: b}); len(got) != 0 {
			t.Errorf("刘洋 sees 陈曦's firm: %v", got)
		}
		// A firm handed over moves to its new officer's list.
		w.pair(chen, c)
		if got := pushedFirms(t, asChen, w.svc, policy.PushFilter{}); !slices.Equal(got, []int64{b, c}) {
			t.Errorf("after the handover 陈曦 sees %v", got)
		}
		if got := pushedFirms(t, asLiu, w.svc, policy.PushFilter{}); !slices.Equal(got, []int64{a}) {
			t.Errorf("after the handover 刘洋 sees %v", got)
		}
		if !policy.PairedPushesOnly(identity.PrincipalFrom(asLiu)) || policy.PairedPushesOnly(identity.PrincipalFrom(officer(1))) {
			t.Error("PairedPushesOnly does not tell a liaison officer from a policy officer")
		}
	})
}

func TestThePairedLiaisonOfficerIsToldWhenItsFirmsQualify(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, policy.Config{})
		inbox := notify.New(d, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
		read := func(ctx context.Context) []notify.Item {
			t.Helper()
			items, _, err := inbox.Inbox(ctx, 50)
			if err != nil {
				t.Fatal(err)
			}
			var out []notify.Item
			for _, it := range items {
				if it.Kind == "policy.push.liaison" {
					out = append(out, it)
				}
			}
			return out
		}
		a := w.add(firm{name: "重庆北碚甲有限公司", employees: n(80), revenue: n(12_000_000), assets: n(9_000_000), taxable: n(1_500_000)})
		b := w.add(firm{name: "重庆北碚乙有限公司", employees: n(80), revenue: n(12_000_000), assets: n(9_000_000), taxable: n(1_500_000)})
		c := w.add(firm{name: "重庆北碚丙有限公司", employees: n(80), revenue: n(12_000_000), assets: n(9_000_000), taxable: n(1_500_000)})
		late := w.add(firm{name: "重庆北碚丁有限公司", employees: n(500), revenue: n(12_000_000), assets: n(9_000_000), taxable: n(1_500_000)})
		liu, asLiu := w.liaisonOfficer("liuyang", "刘洋")
		chen, asChen := w.liaisonOfficer("chenxi", "陈曦")
		_, asIdle := w.liaisonOfficer("zhaoyi", "赵怡")
		w.pair(liu, a, b)
		w.pair(chen, c, late)

		// On publication: one notice per officer, naming or counting its firms.
		pol := w.publish(smallProfit("xwqy"), "2026-01-01")
		got := read(asLiu)
		if len(got) != 1 {
			t.Fatalf("刘洋 has %d notices, want 1: %+v", len(got), got)
		}
		if n := got[0]; !strings.Contains(n.Title.Zh, "2 家企业新符合政策：小型微利企业所得税优惠") ||
			!strings.Contains(n.Body.Zh, "重庆北碚甲有限公司") || !strings.Contains(n.Body.Zh, "重庆北碚乙有限公司") ||
			!strings.Contains(n.Title.En, "firms you serve now qualify") || n.Link != fmt.Sprintf("/policy-pushes?policy=%d", pol.ID) {
			t.Errorf("刘洋's notice: %+v", n)
		}
		got = read(asChen)
		if len(got) != 1 || got[0].Title.Zh != "企业新符合政策：小型微利企业所得税优惠" || !strings.Contains(got[0].Body.Zh, "重庆北碚丙有限公司在政策发布时") ||
			got[0].Link != fmt.Sprintf("/enterprises/%d#firm-matches", c) {
			t.Errorf("陈曦's notices: %+v", got)
		}
		if got := read(asIdle); len(got) != 0 {
			t.Errorf("an officer serving none of the firms is told: %+v", got)
		}

		// A profile change makes 丁 eligible: its officer is told of that firm.
		if _, _, err := w.ents.Update(sys(), late, enterprise.Input{FiscalYear: 2025, Employees: enterprise.Some[int64](200)}); err != nil {
			t.Fatal(err)
		}
		got = read(asChen)
		if len(got) != 2 {
			t.Fatalf("陈曦 has %d notices after the change, want 2", len(got))
		}
		if n := got[0]; n.Title.Zh != "企业新符合政策：小型微利企业所得税优惠" || !strings.Contains(n.Body.Zh, "重庆北碚丁有限公司在企业档案变更后") ||
			!strings.Contains(n.Title.En, "A firm you serve now qualifies") || n.Link != fmt.Sprintf("/enterprises/%d#firm-matches", late) {
			t.Errorf("the notice after the change: %+v", n)
		}
		if got := read(asLiu); len(got) != 1 {
			t.Errorf("刘洋 is told of another officer's firm: %d notices", len(got))
		}
		// The firm itself is told as before, once.
		var firmNotices int
		_ = d.QueryRowContext(context.Background(), "SELECT count(*) FROM notifications WHERE kind = 'policy.push' AND target_kind = 'enterprise' AND target = ?",
			enterpriseTarget(late)).Scan(&firmNotices)
		if firmNotices != 1 {
			t.Errorf("the firm got %d notices", firmNotices)
		}
	})
}
