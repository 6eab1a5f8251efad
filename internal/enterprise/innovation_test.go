package enterprise_test

import (
	"errors"
	"testing"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/errs"
)

// TestInnovationFactsAreStoredAndChecked covers the facts the technology
// policies are decided on: high-tech revenue, total costs and IP counts.
func TestInnovationFactsAreStoredAndChecked(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		svc := newService(t, d)
		in := machinery(31)
		in.RevenueFen, in.HighTechRevenueFen, in.CostsFen = wan(8000), wan(8000), wan(7100)
		in.IPClass1, in.IPClass2 = enterprise.Some[int64](2), enterprise.Some[int64](0)
		e, _, err := svc.Create(clerk(), in)
		if err != nil {
			t.Fatal(err)
		}
		got, err := svc.Get(clerk(), e.ID)
		if err != nil {
			t.Fatal(err)
		}
		f := got.Facts
		if f.HighTechRevenueFen == nil || *f.HighTechRevenueFen != 8000*1_000_000 || f.CostsFen == nil || *f.CostsFen != 7100*1_000_000 ||
			f.IPClass1 == nil || *f.IPClass1 != 2 || f.IPClass2 == nil || *f.IPClass2 != 0 {
			t.Errorf("stored facts = %+v", f)
		}

		// High-tech revenue above revenue (by a fen) and negative counts are refused, naming each field.
		bad := enterprise.Input{Version: got.Version, HighTechRevenueFen: enterprise.Some[int64](8000*1_000_000 + 1),
			IPClass2: enterprise.Some[int64](-1), CostsFen: enterprise.Some[int64](-5)}
		_, _, err = svc.Update(clerk(), e.ID, bad)
		if !errors.Is(err, errs.ErrInvalid) {
			t.Fatalf("err = %v, want invalid", err)
		}
		for _, k := range []string{"hightech_revenue_yuan", "ip_class2", "costs_yuan"} {
			if _, ok := errs.FieldsOf(err)[k]; !ok {
				t.Errorf("no error for %s: %v", k, errs.FieldsOf(err))
			}
		}

		// Clearing a fact makes it unknown again.
		_, _, err = svc.Update(clerk(), e.ID, enterprise.Input{Version: got.Version, IPClass1: enterprise.Maybe[int64]{Set: true}})
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := svc.Get(clerk(), e.ID); got.Facts.IPClass1 != nil || got.Facts.IPClass2 == nil {
			t.Errorf("after clearing class I: %+v", got.Facts)
		}
	})
}
