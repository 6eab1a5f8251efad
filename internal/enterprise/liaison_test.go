package enterprise_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/identity"
)

// account inserts an account row and returns its id.
func account(t *testing.T, d *db.DB, username, name string, role identity.Role, disabled bool) int64 {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	var id int64
	err := d.InTx(ctx, func(tx *db.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO accounts (username, display_name, role, password_hash, password_changed_at, disabled, created_at, updated_at)
			VALUES (?, ?, ?, 'x', ?, ?, ?, ?) RETURNING id`, username, name, string(role), now, disabled, now, now).Scan(&id)
	})
	if err != nil {
		t.Fatalf("account %s: %v", username, err)
	}
	return id
}

// assigner acts as a holder of PermLiaisonAssign with an account.
func assigner(role identity.Role, accountID int64) context.Context {
	return as(role, func(p *identity.Principal) { p.AccountID = accountID })
}

func TestLiaisonIsAssignedReplacedAndRemovedWithAnAuditRecordEach(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		svc := newService(t, d)
		e, _, err := svc.Create(clerk(), machinery(101))
		if err != nil {
			t.Fatal(err)
		}
		liu := account(t, d, "liuyang", "刘洋", identity.RoleLiaison, false)
		chen := account(t, d, "chenxi", "陈曦", identity.RoleLiaison, false)
		admin := account(t, d, "admin1", "郑宇", identity.RoleAdmin, false)

		if _, ok, err := svc.Liaison(clerk(), e.ID); err != nil || ok {
			t.Fatalf("a new firm has a liaison officer: %v %v", ok, err)
		}
		if err := svc.AssignLiaison(assigner(identity.RoleAdmin, admin), e.ID, liu); err != nil {
			t.Fatalf("assign: %v", err)
		}
		o, ok, err := svc.Liaison(clerk(), e.ID)
		if err != nil || !ok || o.AccountID != liu || o.Name() != "刘洋" || o.Username != "liuyang" {
			t.Fatalf("after assigning: %+v %v %v", o, ok, err)
		}
		// The firm sees who serves it.
		if o, ok, err := svc.Liaison(ownerOf(e.ID), e.ID); err != nil || !ok || o.AccountID != liu {
			t.Errorf("the firm's own view: %+v %v %v", o, ok, err)
		}
		var by int64
		if err := d.QueryRowContext(context.Background(), "SELECT assigned_by FROM enterprise_liaisons WHERE enterprise_id = ?", e.ID).Scan(&by); err != nil || by != admin {
			t.Errorf("assigned_by = %d (%v), want %d", by, err, admin)
		}
		// Assigning the same officer again changes nothing and is not audited twice.
		if err := svc.AssignLiaison(assigner(identity.RoleAdmin, admin), e.ID, liu); err != nil {
			t.Fatal(err)
		}
		// A supervisor hands the firm to another officer.
		if err := svc.AssignLiaison(as(identity.RoleSupervisor), e.ID, chen); err != nil {
			t.Fatalf("reassign: %v", err)
		}
		if o, _, _ := svc.Liaison(clerk(), e.ID); o.AccountID != chen {
			t.Errorf("after reassigning: %+v", o)
		}
		if firms, err := svc.LiaisonFirms(clerk(), liu); err != nil || len(firms) != 0 {
			t.Errorf("the first officer still serves %v (%v)", firms, err)
		}
		if firms, err := svc.LiaisonFirms(clerk(), chen); err != nil || !slices.Equal(firms, []int64{e.ID}) {
			t.Errorf("the second officer serves %v (%v)", firms, err)
		}
		if err := svc.AssignLiaison(as(identity.RoleSupervisor), e.ID, 0); err != nil {
			t.Fatalf("remove: %v", err)
		}
		if _, ok, _ := svc.Liaison(clerk(), e.ID); ok {
			t.Error("the pairing survived its removal")
		}
		if err := svc.AssignLiaison(as(identity.RoleSupervisor), e.ID, 0); err != nil {
			t.Errorf("removing an absent pairing: %v", err)
		}

		assigned, _, err := audit.List(as(identity.RoleAuditor), d, audit.Filter{Action: "enterprise.liaison_assign", ObjectID: fmt.Sprint(e.ID)})
		if err != nil || len(assigned) != 2 {
			t.Fatalf("assignment records: %d %v", len(assigned), err)
		}
		details := string(assigned[0].Detail) + string(assigned[1].Detail)
		for _, want := range []string{`"before":null`, fmt.Sprintf(`"account_id":%d`, liu), `"name":"刘洋"`, fmt.Sprintf(`"account_id":%d`, chen), `"name":"陈曦"`} {
			if !strings.Contains(details, want) {
				t.Errorf("assignment records lack %s: %s", want, details)
			}
		}
		removed, _, _ := audit.List(as(identity.RoleAuditor), d, audit.Filter{Action: "enterprise.liaison_remove", ObjectID: fmt.Sprint(e.ID)})
		if len(removed) != 1 || !strings.Contains(string(removed[0].Detail), `"after":null`) || removed[0].Role != string(identity.RoleSupervisor) {
			t.Errorf("removal records: %+v", removed)
		}
	})
}

func TestOnlyAnActiveLiaisonOfficerCanBeAssigned(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		svc := newService(t, d)
		e, _, _ := svc.Create(clerk(), machinery(102))
		reviewer := account(t, d, "zhanglei", "张磊", identity.RoleReviewer, false)
		gone := account(t, d, "wangqiang", "王强", identity.RoleLiaison, true)
		active := account(t, d, "liuyang", "刘洋", identity.RoleLiaison, false)
		for _, c := range []struct {
			name    string
			account int64
			zh, en  string
		}{
			{"a reviewer", reviewer, "亲清特使", "liaison officer role"},
			{"a missing account", 999_999, "不存在", "No such account"},
			{"a disabled liaison officer", gone, "已停用", "disabled"},
		} {
			t.Run(c.name, func(t *testing.T) {
				err := svc.AssignLiaison(as(identity.RoleAdmin), e.ID, c.account)
				if !errors.Is(err, errs.ErrInvalid) {
					t.Fatalf("err = %v, want invalid", err)
				}
				m := errs.FieldsOf(err)["account_id"]
				if !strings.Contains(m.Zh, c.zh) || !strings.Contains(m.En, c.en) {
					t.Errorf("account_id message %+v", m)
				}
			})
		}
		if _, ok, _ := svc.Liaison(clerk(), e.ID); ok {
			t.Error("a refused assignment was stored")
		}
		if err := svc.AssignLiaison(as(identity.RoleAdmin), 999_999, active); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("an unknown enterprise: %v", err)
		}
		officers, err := svc.LiaisonOfficers(as(identity.RoleAdmin))
		if err != nil || len(officers) != 1 || officers[0].AccountID != active {
			t.Errorf("officers to choose from: %+v %v", officers, err)
		}
	})
}

func TestAssigningALiaisonOfficerIsDeniedToOtherRolesAndAudited(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		svc := newService(t, d)
		e, _, _ := svc.Create(clerk(), machinery(103))
		liu := account(t, d, "liuyang", "刘洋", identity.RoleLiaison, false)
		denied := map[string]context.Context{
			"the enterprise itself": ownerOf(e.ID),
			"a liaison officer":     as(identity.RoleLiaison, func(p *identity.Principal) { p.AccountID = liu }),
			"a window clerk":        clerk(),
			"a policy officer":      as(identity.RolePolicyOfficer),
			"anonymous":             identity.WithRequest(context.Background(), identity.Request{ID: "t"}),
		}
		for name, ctx := range denied {
			if err := svc.AssignLiaison(ctx, e.ID, liu); !errors.Is(err, errs.ErrForbidden) {
				t.Errorf("%s assigns: %v", name, err)
			}
		}
		if _, ok, _ := svc.Liaison(clerk(), e.ID); ok {
			t.Error("a denied assignment was stored")
		}
		recs, _, err := audit.List(as(identity.RoleAuditor), d, audit.Filter{Action: "enterprise.liaison_assign", Result: audit.ResultDenied})
		if err != nil || len(recs) != len(denied) {
			t.Errorf("%d denied attempts audited, want %d (%v)", len(recs), len(denied), err)
		}
		if _, err := svc.LiaisonOfficers(clerk()); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("a clerk lists the officers to assign: %v", err)
		}
		// An officer lists its own firms, not another's; a firm none.
		self := as(identity.RoleLiaison, func(p *identity.Principal) { p.AccountID = liu })
		if _, err := svc.LiaisonFirms(self, liu); err != nil {
			t.Errorf("an officer lists its own firms: %v", err)
		}
		if _, err := svc.LiaisonFirms(ownerOf(e.ID), liu); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("a firm lists an officer's firms: %v", err)
		}
		if _, _, err := svc.Liaison(ownerOf(e.ID+1), e.ID); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("another firm reads the pairing: %v", err)
		}
	})
}
