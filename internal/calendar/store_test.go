package calendar

import (
	"context"
	"encoding/json"
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

func as(role identity.Role, name string) context.Context {
	return identity.WithPrincipal(context.Background(), &identity.Principal{AccountID: 7, Username: name, Role: role})
}

type auditRow struct {
	Actor, Role, Action, ObjectType, ObjectID, Result string
	Detail                                            map[string]any
}

func auditRows(t *testing.T, d *db.DB) []auditRow {
	t.Helper()
	rows, err := d.QueryContext(context.Background(),
		"SELECT actor, role, action, object_type, object_id, result, detail FROM audit_log WHERE action = 'calendar.load_year' ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []auditRow
	for rows.Next() {
		var r auditRow
		var detail string
		if err := rows.Scan(&r.Actor, &r.Role, &r.Action, &r.ObjectType, &r.ObjectID, &r.Result, &detail); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(detail), &r.Detail); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func storedCount(t *testing.T, d *db.DB) int {
	t.Helper()
	var n int
	if err := d.QueryRowContext(context.Background(), "SELECT count(*) FROM holiday_years").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSaveYear(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		t.Run("an administrator saves a year, which applies, persists and is audited", func(t *testing.T) {
			ctx := as(identity.RoleAdmin, "admin")
			c := New(Options{})
			before := time.Now().Add(-time.Second)
			info, err := c.SaveYear(ctx, d, []byte(synthetic2027))
			if err != nil {
				t.Fatal(err)
			}
			if info.Year != 2027 || info.Source != SourceLoaded || info.LoadedBy != "admin" || info.LoadedAt.Before(before) {
				t.Errorf("SaveYear = %+v", info)
			}
			if r, err := c.AddWorkingDays(day(t, "2026-12-31"), 1); err != nil || r.Date != day(t, "2027-01-04") {
				t.Errorf("after SaveYear, AddWorkingDays(2026-12-31, 1) = %+v, %v; want 2027-01-04", r, err)
			}

			// A new calendar (another node, a restart) sees the stored year.
			fresh := New(Options{})
			if _, _, err := fresh.IsWorkingDay(day(t, "2027-01-04")); !errors.Is(err, ErrNoSchedule) {
				t.Fatalf("before LoadStored: err = %v, want ErrNoSchedule", err)
			}
			if err := fresh.LoadStored(context.Background(), d); err != nil {
				t.Fatal(err)
			}
			if w, fb, err := fresh.IsWorkingDay(day(t, "2027-01-01")); err != nil || w || fb {
				t.Errorf("after LoadStored, IsWorkingDay(2027-01-01) = %v, %v, %v; want a holiday", w, fb, err)
			}
			years := fresh.Years()
			if got := years[len(years)-1]; got.Year != 2027 || got.Source != SourceLoaded || got.LoadedBy != "admin" ||
				!got.LoadedAt.Equal(info.LoadedAt) || got.Holidays != 5 || got.MakeupDays != 1 {
				t.Errorf("stored year = %+v, want %+v", got, info)
			}

			recs := auditRows(t, d)
			if len(recs) != 1 {
				t.Fatalf("audit records = %+v, want one", recs)
			}
			r := recs[0]
			if r.Actor != "admin" || r.Role != "admin" || r.ObjectType != "holiday_year" || r.ObjectID != "2027" ||
				r.Result != audit.ResultOK || r.Detail["replaced"] != "" || r.Detail["holidays"] != float64(5) {
				t.Errorf("audit record = %+v", r)
			}
		})
		t.Run("saving the year again replaces the stored row and says so in the audit", func(t *testing.T) {
			ctx := as(identity.RoleAdmin, "admin2")
			c := New(Options{})
			if err := c.LoadStored(ctx, d); err != nil {
				t.Fatal(err)
			}
			amended := strings.Replace(synthetic2027, `"2027-02-09", "isOffDay": true`, `"2027-02-09", "isOffDay": true}, {"name": "春节", "date": "2027-02-10", "isOffDay": true`, 1)
			if _, err := c.SaveYear(ctx, d, []byte(amended)); err != nil {
				t.Fatal(err)
			}
			if n := storedCount(t, d); n != 1 {
				t.Errorf("%d stored rows, want 1", n)
			}
			fresh := New(Options{})
			if err := fresh.LoadStored(context.Background(), d); err != nil {
				t.Fatal(err)
			}
			if w, _, _ := fresh.IsWorkingDay(day(t, "2027-02-10")); w {
				t.Error("the replacement was not stored")
			}
			recs := auditRows(t, d)
			if last := recs[len(recs)-1]; last.Actor != "admin2" || last.Detail["replaced"] != SourceLoaded {
				t.Errorf("audit record = %+v, want replaced=loaded by admin2", last)
			}
		})
		t.Run("a built-in year can be overridden and the override survives a restart", func(t *testing.T) {
			ctx := as(identity.RoleAdmin, "admin")
			c := New(Options{})
			doc := `{"year": 2025, "papers": [], "days": [{"name": "测试", "date": "2025-03-10", "isOffDay": true}]}`
			if _, err := c.SaveYear(ctx, d, []byte(doc)); err != nil {
				t.Fatal(err)
			}
			fresh := New(Options{})
			if err := fresh.LoadStored(context.Background(), d); err != nil {
				t.Fatal(err)
			}
			if w, _, _ := fresh.IsWorkingDay(day(t, "2025-03-10")); w {
				t.Error("the stored 2025 did not override the built-in one")
			}
			recs := auditRows(t, d)
			if last := recs[len(recs)-1]; last.ObjectID != "2025" || last.Detail["replaced"] != SourceEmbedded {
				t.Errorf("audit record = %+v, want replaced=embedded", last)
			}
		})
	})
}

func TestSaveYearPermissions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		refusals := []struct {
			name  string
			ctx   context.Context
			actor string
		}{
			{"a window clerk is refused and the refusal is audited", as(identity.RoleWindowClerk, "clerk"), "clerk"},
			{"an auditor is refused", as(identity.RoleAuditor, "auditor"), "auditor"},
			{"an anonymous caller is refused", context.Background(), "anonymous"},
		}
		for _, tc := range refusals {
			t.Run(tc.name, func(t *testing.T) {
				c := New(Options{})
				_, err := c.SaveYear(tc.ctx, d, []byte(synthetic2027))
				if !errors.Is(err, errs.ErrForbidden) {
					t.Fatalf("err = %v, want ErrForbidden", err)
				}
				if _, _, err := c.IsWorkingDay(day(t, "2027-01-04")); !errors.Is(err, ErrNoSchedule) {
					t.Error("a refused schedule was applied")
				}
				if n := storedCount(t, d); n != 0 {
					t.Errorf("%d stored rows after a refusal", n)
				}
				recs := auditRows(t, d)
				last := recs[len(recs)-1]
				if last.Actor != tc.actor || last.Result != audit.ResultDenied || last.ObjectType != "holiday_year" || last.ObjectID != "2027" {
					t.Errorf("last audit record = %+v, want a denial of %s on 2027", last, tc.actor)
				}
			})
		}
		t.Run("invalid data from an administrator stores and audits nothing", func(t *testing.T) {
			c := New(Options{})
			before := len(auditRows(t, d))
			_, err := c.SaveYear(as(identity.RoleAdmin, "admin"), d, []byte(`{"year": 2027, "days": [{"name": "x", "date": "2027-01-06", "isOffDay": false}]}`))
			if _, ok := errs.FieldsOf(err)["days[0].isOffDay"]; !ok {
				t.Fatalf("err = %v, want a field error for days[0].isOffDay", err)
			}
			if n := storedCount(t, d); n != 0 {
				t.Errorf("%d stored rows after invalid data", n)
			}
			if after := len(auditRows(t, d)); after != before {
				t.Errorf("%d audit records written for invalid data", after-before)
			}
		})
		t.Run("the audit chain is intact after refusals", func(t *testing.T) {
			rep, err := audit.Verify(context.Background(), d, nil)
			if err != nil || !rep.OK {
				t.Errorf("audit.Verify = %v, %v", rep, err)
			}
		})
	})
}

func TestLoadStoredRefusesACorruptRow(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		err := d.InTx(ctx, func(tx *db.Tx) error {
			_, err := tx.ExecContext(ctx, "INSERT INTO holiday_years (year, data, loaded_at, loaded_by) VALUES (?, ?, ?, ?), (?, ?, ?, ?)",
				2027, synthetic2027, time.Now().UTC(), "admin",
				2028, `{"year": 2028, "days": [{"name": "x", "date": "2028-01-05", "isOffDay": false}]}`, time.Now().UTC(), "admin")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		c := New(Options{})
		err = c.LoadStored(ctx, d)
		if err == nil || !strings.Contains(err.Error(), "2028") {
			t.Fatalf("LoadStored: err = %v, want an error naming 2028", err)
		}
		if len(c.Years()) != 2 {
			t.Error("LoadStored applied some years although one was corrupt")
		}
	})
}
