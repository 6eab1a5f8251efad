package matter_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/matter"
)

func TestEnsureDemoLoadsTheCatalogueOnceOnBothEngines(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		changed := 0
		s.OnChange(func(context.Context, string) { changed++ })
		start := time.Now()
		if err := matter.EnsureDemo(system(), d, s); err != nil {
			t.Fatal(err)
		}
		t.Logf("first load: %v", time.Since(start).Round(time.Millisecond))
		all, err := s.List(anonymous(), matter.Filter{ActiveOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		bundles, err := s.ListBundles(anonymous(), true)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) < 150 || len(bundles) < 5 {
			t.Fatalf("%d matters and %d bundles, want at least 150 and 5", len(all), len(bundles))
		}
		if changed != len(matter.DemoCatalogue()) {
			t.Errorf("%d change hooks for %d matters", changed, len(matter.DemoCatalogue()))
		}
		audited := count(t, d, "SELECT count(*) FROM audit_log")
		versions := count(t, d, "SELECT count(*) FROM matter_versions")

		start = time.Now()
		if err := matter.EnsureDemo(system(), d, s); err != nil {
			t.Fatal(err)
		}
		t.Logf("second load (nothing to do): %v", time.Since(start).Round(time.Millisecond))
		if a, v := count(t, d, "SELECT count(*) FROM audit_log"), count(t, d, "SELECT count(*) FROM matter_versions"); a != audited || v != versions {
			t.Errorf("second run wrote %d audit records and %d versions", a-audited, v-versions)
		}
		if changed != len(matter.DemoCatalogue()) {
			t.Errorf("the second run ran %d more change hooks", changed-len(matter.DemoCatalogue()))
		}

		// Per-department and per-flag counts, for the record.
		perDept, perFlag := map[string]int{}, map[string]int{}
		for _, m := range all {
			perDept[m.DepartmentCode]++
			for _, f := range m.Current.Flags().List() {
				perFlag[f]++
			}
		}
		inBundle, _ := s.List(anonymous(), matter.Filter{Flag: matter.FlagInBundle})
		perFlag[matter.FlagInBundle] = len(inBundle)
		for _, f := range matter.FlagOptions {
			got, err := s.List(anonymous(), matter.Filter{Flag: f.Code})
			if err != nil || len(got) != perFlag[f.Code] {
				t.Errorf("filter %s lists %d, flags say %d (%v)", f.Code, len(got), perFlag[f.Code], err)
			}
		}
		var b strings.Builder
		for _, dep := range matter.DemoDepartmentCodes() {
			fmt.Fprintf(&b, "%s=%d ", dep, perDept[dep])
		}
		t.Logf("matters per department: %s", b.String())
		t.Logf("matters per flag: %v; bundles %d", perFlag, len(bundles))
	})
}

func TestEnsureDemoNeedsPermissionAndDepartments(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := matter.NewService(d) // no departments loaded
		if err := matter.EnsureDemo(admin(), d, s); !errors.Is(err, errs.ErrConflict) {
			t.Errorf("without departments: %v", err)
		}
		if err := matter.EnsureDemo(as("window_clerk"), d, s); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("as a clerk: %v", err)
		}
		if n := count(t, d, "SELECT count(*) FROM matters"); n != 0 {
			t.Errorf("%d matters written", n)
		}
	})
}
