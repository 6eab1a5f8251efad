package matter_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/matter"
)

func TestCreateStoresVersionOneWithNormalisedElements(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		var hooked []string
		s.OnChange(func(_ context.Context, code string) { hooked = append(hooked, code) })
		in := sample("01")
		in.Code = " " + in.Code + " "
		m, err := s.Create(admin(), in)
		if err != nil {
			t.Fatal(err)
		}
		v := m.Current
		if m.Code != "01240100000150010901" || m.Versions != 1 || v.Version != 1 || !m.Active {
			t.Errorf("matter = %s v%d/%d active %v", m.Code, v.Version, m.Versions, m.Active)
		}
		if v.Type != "permit" || v.CaseType != matter.CasePromise || v.FeeFen != nil {
			t.Errorf("type %q case %q fee %v: labels should become codes and a 0 fee free", v.Type, v.CaseType, v.FeeFen)
		}
		if len(v.Events) != 2 || v.Events[0] != "operation" || v.Events[1] != "food" {
			t.Errorf("events = %v", v.Events)
		}
		if len(v.Materials) != 3 || v.Materials[0].Form != matter.FormOriginal || v.Materials[2].Seq != 3 {
			t.Errorf("materials = %+v", v.Materials)
		}
		if v.CreatedBy != "admin1" || v.CreatedAt.IsZero() {
			t.Errorf("created by %q at %v", v.CreatedBy, v.CreatedAt)
		}
		if len(hooked) != 1 || hooked[0] != m.Code {
			t.Errorf("OnChange saw %v", hooked)
		}
		got, err := s.Get(anonymous(), m.Code)
		if err != nil || got.Current.Name != in.Name || len(got.Current.FormFields) != 2 || got.Current.FormFields[1].Options[1] != "乙" {
			t.Errorf("Get = %+v, %v", got.Current, err)
		}
	})
}

func TestUpdateMakesANewVersionAndLeavesTheOldOneAlone(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		m, err := s.Create(admin(), sample("01"))
		if err != nil {
			t.Fatal(err)
		}
		v1 := m.Current
		in := m.Input()
		in.CommittedLimitDays = 3
		in.Materials = append(in.Materials, matter.Material{Name: "场所平面图", Required: true, Form: "copy", Copies: 2, Source: "applicant"})
		in.ChangeNote = "压缩承诺时限"
		m2, err := s.Update(admin(), m.Code, in, 1)
		if err != nil {
			t.Fatal(err)
		}
		if m2.Versions != 2 || m2.Current.Version != 2 || m2.Current.CommittedLimitDays != 3 || len(m2.Current.Materials) != 4 {
			t.Fatalf("after update: v%d committed %d materials %d", m2.Current.Version, m2.Current.CommittedLimitDays, len(m2.Current.Materials))
		}
		old, err := s.Version(anonymous(), m.Code, 1)
		if err != nil {
			t.Fatal(err)
		}
		if old.CommittedLimitDays != 5 || len(old.Materials) != 3 || old.Name != v1.Name || !old.CreatedAt.Equal(v1.CreatedAt) {
			t.Errorf("version 1 changed: committed %d, %d materials", old.CommittedLimitDays, len(old.Materials))
		}
		hist, err := s.Versions(anonymous(), m.Code)
		if err != nil || len(hist) != 2 || hist[0].Version != 2 || hist[1].Version != 1 || hist[0].ChangeNote != "压缩承诺时限" {
			t.Errorf("history = %d versions, %v", len(hist), err)
		}
		if _, err := s.Version(anonymous(), m.Code, 3); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("version 3: err = %v, want not found", err)
		}
	})
}

func TestIdenticalUpdateMakesNoVersion(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		m, err := s.Create(admin(), sample("01"))
		if err != nil {
			t.Fatal(err)
		}
		calls := 0
		s.OnChange(func(context.Context, string) { calls++ })
		in := m.Input()
		in.ChangeNote = "只改了说明"
		in.Type = "行政许可" // a label for the same code is the same content
		same, err := s.Update(admin(), m.Code, in, 1)
		if err != nil {
			t.Fatal(err)
		}
		if same.Versions != 1 || calls != 0 {
			t.Errorf("identical update made version %d, %d hook calls", same.Versions, calls)
		}
		if n := count(t, d, "SELECT count(*) FROM matter_versions WHERE matter_code = ?", m.Code); n != 1 {
			t.Errorf("%d versions stored", n)
		}
		if recs := records(t, d, "matter", m.Code); len(recs) != 1 || recs[0].Action != "matter.create" {
			t.Errorf("audit records %v, want only the create", recs)
		}
	})
}

func TestStaleVersionIsRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		m, _ := s.Create(admin(), sample("01"))
		in := m.Input()
		in.CommittedLimitDays = 4
		if _, err := s.Update(admin(), m.Code, in, 1); err != nil {
			t.Fatal(err)
		}
		in.CommittedLimitDays = 2
		_, err := s.Update(admin(), m.Code, in, 1)
		var e *errs.Error
		if !errors.Is(err, errs.ErrPrecondition) || !errors.As(err, &e) || e.Code != "stale_version" {
			t.Fatalf("err = %v, want stale version", err)
		}
		got, _ := s.Get(anonymous(), m.Code)
		if got.Versions != 2 || got.Current.CommittedLimitDays != 4 {
			t.Errorf("stale edit landed: v%d committed %d", got.Versions, got.Current.CommittedLimitDays)
		}
	})
}

func TestCodesCannotChangeAndUnknownMattersAreNotFound(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		m, _ := s.Create(admin(), sample("01"))
		in := m.Input()
		in.Code = m.BasicCode + "50010999"
		_, err := s.Update(admin(), m.Code, in, 1)
		if _, ok := errs.FieldsOf(err)["code"]; !ok {
			t.Errorf("changing the code: %v", err)
		}
		if _, err := s.Get(anonymous(), "NOPE"); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("Get unknown: %v", err)
		}
		if _, err := s.Update(admin(), "NOPE", in, 1); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("Update unknown: %v", err)
		}
	})
}

func TestStoredVersionsCannotBeRewritten(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		m, _ := s.Create(admin(), sample("01"))
		ctx := context.Background()
		for _, q := range []string{
			"UPDATE matter_versions SET name = 'x' WHERE matter_code = ?",
			"DELETE FROM matter_versions WHERE matter_code = ?",
			"UPDATE matter_materials SET name = 'x' WHERE matter_code = ?",
			"DELETE FROM matter_materials WHERE matter_code = ?",
		} {
			err := d.InTx(ctx, func(tx *db.Tx) error { _, err := tx.ExecContext(ctx, q, m.Code); return err })
			if err == nil {
				t.Errorf("%s succeeded", q)
			}
		}
	})
}

func TestAnyoneReadsOnlyCatalogueManagersEdit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		m, err := s.Create(admin(), sample("01"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Get(anonymous(), m.Code); err != nil {
			t.Errorf("anonymous Get: %v", err)
		}
		if l, err := s.List(anonymous(), matter.Filter{}); err != nil || len(l) != 1 {
			t.Errorf("anonymous List: %d, %v", len(l), err)
		}
		if deps, err := s.Departments(anonymous()); err != nil || len(deps) != 33 || deps[0].Code != "FGW" {
			t.Errorf("Departments: %d, %v", len(deps), err)
		}
		clerk := as(identity.RoleWindowClerk)
		in := m.Input()
		in.CommittedLimitDays = 1
		attempts := []struct {
			action string
			run    func(context.Context) error
		}{
			{"matter.create", func(ctx context.Context) error { _, err := s.Create(ctx, sample("02")); return err }},
			{"matter.update", func(ctx context.Context) error { _, err := s.Update(ctx, m.Code, in, 1); return err }},
			{"matter.deactivate", func(ctx context.Context) error { return s.SetActive(ctx, m.Code, false) }},
		}
		for _, a := range attempts {
			for _, ctx := range []context.Context{clerk, anonymous()} {
				if err := a.run(ctx); !errors.Is(err, errs.ErrForbidden) {
					t.Errorf("%s by %v: err = %v, want forbidden", a.action, identity.PrincipalFrom(ctx), err)
				}
			}
		}
		denied, _, err := audit.List(as(identity.RoleAuditor), d, audit.Filter{Result: audit.ResultDenied, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		byClerk := map[string]bool{}
		for _, r := range denied {
			if r.Actor == "window_clerk1" {
				byClerk[r.Action] = true
			}
		}
		for _, a := range attempts {
			if !byClerk[a.action] {
				t.Errorf("the clerk's denied %s is not audited (%v)", a.action, byClerk)
			}
		}
		if got, _ := s.Get(anonymous(), m.Code); got.Versions != 1 || !got.Active {
			t.Errorf("a refused edit changed the matter: %+v", got)
		}
	})
}

func TestCreateAndUpdateAreAuditedWithBeforeAndAfter(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		m, _ := s.Create(admin(), sample("01"))
		in := m.Input()
		in.CommittedLimitDays, in.Visits = 2, 0
		if _, err := s.Update(admin(), m.Code, in, 1); err != nil {
			t.Fatal(err)
		}
		if err := s.SetActive(admin(), m.Code, false); err != nil {
			t.Fatal(err)
		}
		recs := records(t, d, "matter", m.Code)
		if len(recs) != 3 {
			t.Fatalf("%d audit records, want create, update, deactivate", len(recs))
		}
		deact, upd, cre := recs[0], recs[1], recs[2]
		if cre.Action != "matter.create" || cre.Actor != "admin1" || deact.Action != "matter.deactivate" {
			t.Errorf("actions %s %s %s", cre.Action, upd.Action, deact.Action)
		}
		var created struct {
			After map[string]any `json:"after"`
		}
		if err := json.Unmarshal(cre.Detail, &created); err != nil || created.After["name"] != m.Current.Name || created.After["legal_basis"] == nil {
			t.Errorf("create detail %s", cre.Detail)
		}
		var updated struct {
			Version       int
			Before, After map[string]any
		}
		if err := json.Unmarshal(upd.Detail, &updated); err != nil {
			t.Fatal(err)
		}
		if updated.Version != 2 || updated.Before["committed_limit_days"] != 5.0 || updated.After["committed_limit_days"] != 2.0 ||
			updated.Before["visits"] != 1.0 || updated.After["visits"] != 0.0 || len(updated.After) != 2 {
			t.Errorf("update detail %s: want only the two changed elements", upd.Detail)
		}
		if got, _ := s.Get(anonymous(), m.Code); got.Active {
			t.Errorf("still active")
		}
		if l, _ := s.List(anonymous(), matter.Filter{ActiveOnly: true}); len(l) != 0 {
			t.Errorf("ActiveOnly lists a withdrawn matter")
		}
	})
}
