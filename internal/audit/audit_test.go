package audit_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/identity"
)

func actorCtx() context.Context {
	ctx := identity.WithPrincipal(context.Background(), &identity.Principal{AccountID: 0, Username: "clerk1", Role: identity.RoleWindowClerk})
	return identity.WithRequest(ctx, identity.Request{ID: "req-1", IP: "10.0.0.8"})
}

func writeN(t *testing.T, d *db.DB, n int) {
	t.Helper()
	ctx := actorCtx()
	for i := range n {
		ev := audit.Event{Action: "enterprise.update", ObjectType: "enterprise", ObjectID: string(rune('0' + i)),
			Detail: map[string]any{"before": map[string]any{"name": "旧名称"}, "after": map[string]any{"name": "新名称"}}}
		if err := audit.WriteAlone(ctx, d, ev); err != nil {
			t.Fatal(err)
		}
	}
}

// tamper runs SQL as someone with direct database access would: with the
// append-only triggers out of the way.
func tamper(t *testing.T, d *db.DB, stmts ...string) {
	t.Helper()
	ctx := context.Background()
	err := d.InTx(ctx, func(tx *db.Tx) error {
		pre := []string{"DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"}
		if d.Dialect() == db.Postgres {
			pre = []string{"ALTER TABLE audit_log DISABLE TRIGGER USER"}
		}
		for _, s := range append(pre, stmts...) {
			if _, err := tx.ExecContext(ctx, s); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("tamper: %v", err)
	}
}

func TestVerifyAcceptsAnIntactChain(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		writeN(t, d, 5)
		rep, err := audit.Verify(context.Background(), d, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.OK || rep.Checked != 5 {
			t.Errorf("report = %+v, want OK with 5 records", rep)
		}
	})
}

func TestVerifyAcceptsAnEmptyChain(t *testing.T) {
	d := dbtest.OpenSQLite(t)
	rep, err := audit.Verify(context.Background(), d, nil)
	if err != nil || !rep.OK {
		t.Fatalf("empty chain: %+v, %v", rep, err)
	}
}

func TestVerifyNamesTheFirstBrokenRecord(t *testing.T) {
	cases := []struct {
		name   string
		stmts  []string
		broken int64
		reason string
	}{
		{"an edited detail", []string{`UPDATE audit_log SET detail = '{"after":{"name":"篡改"}}' WHERE id = 3`}, 3, "edited"},
		{"an edited actor", []string{`UPDATE audit_log SET actor = 'someone' WHERE id = 2`}, 2, "edited"},
		{"a deleted record", []string{`DELETE FROM audit_log WHERE id = 3`}, 3, "deleted"},
		{"records cut off the end", []string{`DELETE FROM audit_log WHERE id >= 4`}, 4, "removed"},
		{"an inserted record", []string{
			`UPDATE audit_log SET id = id + 100 WHERE id >= 3`,
			`UPDATE audit_log SET id = id - 99 WHERE id >= 103`,
			`INSERT INTO audit_log (id, at, actor, role, ip, action, object_type, object_id, result, request_id, detail, prev_hash, hash)
			 SELECT 3, at, actor, role, ip, 'forged', object_type, object_id, result, request_id, detail, prev_hash, hash FROM audit_log WHERE id = 2`,
		}, 3, ""},
		{"two swapped records", []string{
			`UPDATE audit_log SET id = 100 WHERE id = 2`,
			`UPDATE audit_log SET id = 2 WHERE id = 3`,
			`UPDATE audit_log SET id = 3 WHERE id = 100`,
		}, 2, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, d *db.DB) {
				writeN(t, d, 5)
				tamper(t, d, c.stmts...)
				rep, err := audit.Verify(context.Background(), d, nil)
				if err != nil {
					t.Fatal(err)
				}
				if rep.OK {
					t.Fatalf("tampering with %s was not detected", c.name)
				}
				if rep.BrokenID != c.broken {
					t.Errorf("first broken record = %d (%s), want %d", rep.BrokenID, rep.Reason, c.broken)
				}
				if !strings.Contains(rep.Reason, c.reason) {
					t.Errorf("reason %q does not mention %q", rep.Reason, c.reason)
				}
			})
		})
	}
}

func TestRecordsCarryActorRequestAndDetail(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		writeN(t, d, 1)
		ctx := identity.WithPrincipal(context.Background(), &identity.Principal{Username: "auditor1", Role: identity.RoleAuditor})
		recs, total, err := audit.List(ctx, d, audit.Filter{Action: "enterprise."})
		if err != nil {
			t.Fatal(err)
		}
		if total != 1 || len(recs) != 1 {
			t.Fatalf("got %d records (total %d)", len(recs), total)
		}
		r := recs[0]
		if r.Actor != "clerk1" || r.Role != "window_clerk" || r.IP != "10.0.0.8" || r.RequestID != "req-1" || r.Result != "ok" {
			t.Errorf("record = %+v", r)
		}
		if !strings.Contains(string(r.Detail), "新名称") || r.At.IsZero() || time.Since(r.At) > time.Minute {
			t.Errorf("detail or time wrong: %s %v", r.Detail, r.At)
		}
	})
}

func TestOnlyAuditorsListAndDenialsAreRecorded(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := identity.WithPrincipal(context.Background(), &identity.Principal{Username: "admin1", Role: identity.RoleAdmin})
		if _, _, err := audit.List(ctx, d, audit.Filter{}); err == nil || !errsIsForbidden(err) {
			t.Fatalf("admin listed the audit trail: %v", err)
		}
		actx := identity.WithPrincipal(context.Background(), &identity.Principal{Username: "auditor1", Role: identity.RoleAuditor})
		recs, _, err := audit.List(actx, d, audit.Filter{Result: audit.ResultDenied})
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 1 || recs[0].Actor != "admin1" || recs[0].Action != "audit.list" {
			t.Errorf("denied attempt not recorded: %+v", recs)
		}
	})
}

func errsIsForbidden(err error) bool { return errors.Is(err, errs.ErrForbidden) }
