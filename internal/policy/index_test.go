package policy_test

import (
	"reflect"
	"testing"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/policy"
)

// The eligibility index and the registry-reading matcher must give the
// service the same answers; and a profile change must reach the index
// before the push hook reads it.
func TestIndexMatcherAgreesWithTheLoadingMatcher(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, policy.Config{})
		w.add(firm{region: "500109001", employees: n(80), revenue: n(10_000_000), assets: n(5_000_000), taxable: n(1_000_000), rd: n(500_000)})
		w.add(firm{region: "500109001", employees: n(40), revenue: n(10_000_000), assets: n(5_000_000), taxable: n(1_000_000), rd: n(5_000_000)})
		third := w.add(firm{region: "500109002", employees: n(80), revenue: n(10_000_000), assets: n(5_000_000), taxable: n(4_000_000), rd: n(100_000)})
		w.add(firm{region: "500109002", employees: n(80), assets: n(5_000_000), rd: n(100_000)})
		w.add(firm{region: "500109002", industry: "6513", employees: n(80), revenue: n(10_000_000), assets: n(5_000_000), taxable: n(5_000_000), rd: n(900_000)})
		x := w.indexed()
		in := techSubsidy("yfbz")
		sim := func(w *world) policy.Simulation {
			s, err := w.svc.Simulate(officer(1), policy.SimulateInput{Conditions: in.Conditions, Benefit: in.Benefit, AsOf: "2026-03-02"})
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		loading, indexed := sim(w), sim(x)
		if !reflect.DeepEqual(loading, indexed) {
			t.Errorf("index simulation\n%+v\nloading simulation\n%+v", indexed, loading)
		}
		if indexed.Eligible != 2 || indexed.Unknown != 1 || indexed.Ineligible != 2 {
			t.Errorf("simulation %+v", indexed)
		}
		auto := smallProfit("xwqy-auto")
		auto.Mode, auto.Tests = policy.ModeNoApply, nil
		pol := x.publish(auto, "2026-01-01")
		count := func(q string, args ...any) int {
			var c int
			if err := d.QueryRowContext(t.Context(), q, args...).Scan(&c); err != nil {
				t.Fatal(err)
			}
			return c
		}
		if c := count("SELECT count(*) FROM policy_pushes"); c != 2 {
			t.Errorf("%d pushes on publish", c)
		}
		if _, _, err := x.ents.Update(sys(), third, enterprise.Input{FiscalYear: 2025, TaxableIncomeFen: enterprise.Some(yuan(2_000_000))}); err != nil {
			t.Fatal(err)
		}
		if c := count("SELECT count(*) FROM policy_pushes WHERE enterprise_id = ?", third); c != 1 {
			t.Errorf("the firm that became eligible was pushed %d times", c)
		}
		r, err := x.svc.StartRun(officer(1), pol.ID, "2026", "2026-03-02")
		if err != nil || r.Eligible != 3 || r.TotalFen != yuan(60000) {
			t.Errorf("run over the index %+v %v", r, err)
		}
		ind, err := x.svc.Indicators(officer(1), policy.IndicatorPeriod{From: "2026-03-01", To: "2026-03-31"})
		if err != nil {
			t.Fatal(err)
		}
		if it, _ := ind.Get("enterprises_matched"); it.Value != 3 {
			t.Errorf("matched %v", it.Value)
		}
	})
}
