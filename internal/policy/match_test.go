package policy_test

import (
	"context"
	"errors"
	"strconv"
	"testing"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/eligibility"
	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/money"
	"github.com/qinqing/qinqing/internal/policy"
)

// techSubsidy pays 10 % of R&D within 300,000 yuan to small or micro
// manufacturers (a district-style rule over derived attributes).
func techSubsidy(code string) policy.Input {
	in := smallProfit(code)
	in.Title, in.Shelf, in.Level, in.Department = "规上工业企业研发投入补助", policy.ShelfTech, policy.LevelDistrict, "KJJ"
	in.Benefit = policy.Benefit{Kind: policy.BenefitFormula, Formula: "rd_expense * 0.1", Cap: money.Yuan{Fen: yuan(300000), Valid: true}, Period: policy.PeriodYear}
	in.Conditions = cond(`{"all":[{"attr":"industry_section","op":"eq","value":"C"},{"attr":"rd_ratio","op":"ge","value":3}]}`)
	in.Tests = nil
	return in
}

func outcomes(ms []policy.Match) map[string]eligibility.Outcome {
	out := map[string]eligibility.Outcome{}
	for _, m := range ms {
		out[m.Policy.Code] = m.Result.Outcome
	}
	return out
}

func TestMatchesOrderEligibleThenUnknownByFewestMissingThenIneligible(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, policy.Config{})
		w.publish(smallProfit("xwqy"), "2026-01-01")
		w.publish(techSubsidy("yfbz"), "2026-01-01")
		hire := smallProfit("wengang")
		hire.Conditions = cond(`{"all":[{"attr":"employees","op":"ge","value":1000},{"attr":"dishonest","op":"eq","value":false}]}`)
		hire.Tests = nil
		w.publish(hire, "2026-01-01")
		unknown := smallProfit("gaoqi")
		unknown.Conditions = cond(`{"all":[{"attr":"tech_staff_ratio","op":"ge","value":10},{"attr":"taxable_income","op":"le","value":3000000}]}`)
		unknown.Tests = nil
		w.publish(unknown, "2026-01-01")
		// Revenue 12m, R&D 600k: ratio 5 % → 60,000 yuan; no tech-staff count.
		ent := w.add(firm{employees: n(80), revenue: n(12_000_000), assets: n(9_000_000), taxable: n(1_500_000), rd: n(600_000)})
		ms, err := w.svc.Matches(owner(ent), ent, "2026-03-02")
		if err != nil {
			t.Fatal(err)
		}
		var order []string
		for _, m := range ms {
			order = append(order, m.Policy.Code+":"+string(m.Result.Outcome))
		}
		want := []string{"yfbz:eligible", "xwqy:eligible", "gaoqi:unknown", "wengang:ineligible"}
		if len(order) != 4 || order[0] != want[0] || order[1] != want[1] || order[2] != want[2] || order[3] != want[3] {
			t.Fatalf("order %v, want %v", order, want)
		}
		if *ms[0].EstimatedBenefitFen != yuan(60000) || *ms[1].EstimatedBenefitFen != yuan(20000) || ms[3].EstimatedBenefitFen != nil {
			t.Errorf("benefits %v %v", *ms[0].EstimatedBenefitFen, *ms[1].EstimatedBenefitFen)
		}
		if len(ms[2].Result.Missing) != 1 || ms[2].Result.Missing[0] != "tech_staff" {
			t.Errorf("missing %v", ms[2].Result.Missing)
		}
		if _, err := w.svc.Matches(owner(ent+1), ent, ""); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("another firm sees the matches: %v", err)
		}
		if _, err := w.svc.Matches(anonymous(), ent, ""); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("anonymous sees the matches: %v", err)
		}
	})
}

func TestSmallProfitThresholdsOnBothSides(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, policy.Config{})
		w.publish(smallProfit("xwqy"), "2026-01-01")
		cases := []struct {
			name                       string
			taxable, employees, assets int64
			want                       eligibility.Outcome
		}{
			{"income exactly 300万", 3_000_000, 300, 50_000_000, eligibility.Eligible},
			{"income one yuan more", 3_000_001, 300, 50_000_000, eligibility.Ineligible},
			{"301 employees", 3_000_000, 301, 50_000_000, eligibility.Ineligible},
			{"assets one yuan over 5000万", 3_000_000, 300, 50_000_001, eligibility.Ineligible},
		}
		for _, c := range cases {
			ent := w.add(firm{employees: n(c.employees), revenue: n(40_000_000), assets: n(c.assets), taxable: n(c.taxable)})
			ms, err := w.svc.Matches(owner(ent), ent, "2026-06-30")
			if err != nil {
				t.Fatal(err)
			}
			if got := outcomes(ms)["xwqy"]; got != c.want {
				t.Errorf("%s: %s, want %s", c.name, got, c.want)
			}
		}
	})
}

func TestWhatIfReturnsOnlyPoliciesWhoseResultChanges(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, policy.Config{})
		w.publish(smallProfit("xwqy"), "2026-01-01")
		w.publish(techSubsidy("yfbz"), "2026-01-01")
		ent := w.add(firm{employees: n(80), revenue: n(12_000_000), assets: n(9_000_000), taxable: n(1_500_000), rd: n(100_000)})
		// More employees leave both results as they are below 300…
		ch, err := w.svc.WhatIf(owner(ent), ent, map[string]any{"employees": 200}, "")
		if err != nil || len(ch) != 0 {
			t.Fatalf("200 employees changes %v (%v)", ch, err)
		}
		// …but 301 loses 小型微利; R&D of 400,000 yuan wins the subsidy.
		ch, err = w.svc.WhatIf(owner(ent), ent, map[string]any{"employees": 301, "rd_expense": 400000}, "")
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, c := range ch {
			got[c.Policy.Code] = string(c.Before.Outcome) + "→" + string(c.After.Outcome)
		}
		if len(got) != 2 || got["xwqy"] != "eligible→ineligible" || got["yfbz"] != "ineligible→eligible" {
			t.Errorf("changes %v", got)
		}
		if _, err := w.svc.WhatIf(owner(ent), ent, map[string]any{"employees": "many"}, ""); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("a bad value: %v", err)
		}
	})
}

func TestCalculatorAsksOnlyWhatRulesNeedOneAtATimeAndConverges(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, policy.Config{})
		w.publish(smallProfit("xwqy"), "2026-01-01")
		w.publish(techSubsidy("yfbz"), "2026-01-01")
		needed := map[string]bool{}
		for _, a := range []string{"taxable_income", "employees", "assets", "industry_section", "rd_expense", "revenue", "industry_code"} {
			needed[a] = true
		}
		// A visitor answering truthfully for a small manufacturer.
		truth := map[string]any{"taxable_income": 1500000, "employees": 80, "assets": 9000000, "industry_section": "C",
			"industry_code": "3670", "rd_expense": 600000, "revenue": 12000000}
		answers := map[string]any{}
		asked := []string{}
		for step := 0; ; step++ {
			res, err := w.svc.Calculate(anonymous(), answers, "2026-03-02")
			if err != nil {
				t.Fatal(err)
			}
			if res.Next == nil {
				if res.Remaining != 0 {
					t.Errorf("stopped with %d attributes still missing", res.Remaining)
				}
				got := outcomes(res.Matches)
				if got["xwqy"] != eligibility.Eligible || got["yfbz"] != eligibility.Eligible {
					t.Errorf("final %v after %v", got, asked)
				}
				break
			}
			if step > len(needed) {
				t.Fatalf("does not converge: asked %v", asked)
			}
			name := res.Next.Name
			if !needed[name] {
				t.Fatalf("asked %s, which no rule needs", name)
			}
			if _, dup := answers[name]; dup {
				t.Fatalf("asked %s twice", name)
			}
			if res.Next.Question.Zh == "" {
				t.Errorf("%s has no question", name)
			}
			asked = append(asked, name)
			answers[name] = truth[name]
		}
		if len(asked) > len(needed) {
			t.Errorf("asked %v", asked)
		}
		// "Don't know" is never asked again.
		res, err := w.svc.Calculate(anonymous(), map[string]any{"taxable_income": nil}, "2026-03-02")
		if err != nil {
			t.Fatal(err)
		}
		if res.Next == nil || res.Next.Name == "taxable_income" {
			t.Errorf("after don't know, next is %v", res.Next)
		}
	})
}

func TestSimulateCountsBreaksDownAndEstimatesPayout(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, policy.Config{})
		w.add(firm{region: "500109001", industry: "3670", employees: n(80), revenue: n(10_000_000), assets: n(5_000_000), rd: n(500_000)})   // 50,000
		w.add(firm{region: "500109001", industry: "3670", employees: n(40), revenue: n(10_000_000), assets: n(5_000_000), rd: n(5_000_000)}) // capped 300,000
		w.add(firm{region: "500109002", industry: "3670", employees: n(80), revenue: n(10_000_000), assets: n(5_000_000), rd: n(100_000)})   // ratio 1 %
		w.add(firm{region: "500109002", industry: "3670", employees: n(80), assets: n(5_000_000), rd: n(100_000)})                           // no revenue: unknown
		w.add(firm{region: "500109002", industry: "6513", employees: n(80), revenue: n(10_000_000), assets: n(5_000_000), rd: n(900_000)})   // not manufacturing
		in := techSubsidy("yfbz")
		if _, err := w.svc.Simulate(owner(1), policy.SimulateInput{Conditions: in.Conditions, Benefit: in.Benefit}); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("an enterprise simulated: %v", err)
		}
		sim, err := w.svc.Simulate(officer(1), policy.SimulateInput{Conditions: in.Conditions, Benefit: in.Benefit, AsOf: "2026-03-02"})
		if err != nil {
			t.Fatal(err)
		}
		if sim.Eligible != 2 || sim.Ineligible != 2 || sim.Unknown != 1 || sim.EstimatedPayoutFen != yuan(350000) {
			t.Errorf("simulation %+v", sim)
		}
		if len(sim.ByStreet) != 2 || sim.ByStreet[0].Key != "500109001" || sim.ByStreet[0].Eligible != 2 || sim.ByStreet[0].PayoutFen != yuan(350000) ||
			sim.ByStreet[1].Unknown != 1 || sim.ByStreet[0].Label.Zh == "500109001" {
			t.Errorf("by street %+v", sim.ByStreet)
		}
		if len(sim.BySize) == 0 || len(sim.ByIndustry) != 1 || sim.ByIndustry[0].Key != "C" {
			t.Errorf("by size %+v by industry %+v", sim.BySize, sim.ByIndustry)
		}
		if len(sim.Sample) != 2 || sim.Sample[0].Name == "" || *sim.Sample[1].AmountFen != yuan(300000) {
			t.Errorf("sample %+v", sim.Sample)
		}
		p, err := w.svc.Create(officer(1), in)
		if err != nil {
			t.Fatal(err)
		}
		byID, err := w.svc.Simulate(officer(1), policy.SimulateInput{PolicyID: p.ID, AsOf: "2026-03-02"})
		if err != nil || byID.Eligible != 2 || byID.EstimatedPayoutFen != sim.EstimatedPayoutFen {
			t.Errorf("by policy id %+v %v", byID, err)
		}
	})
}

func TestPushOnPublishAndOnProfileChangeWithoutDuplicates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, policy.Config{})
		a := w.eligibleFirm()
		b := w.add(firm{employees: n(500), revenue: n(12_000_000), assets: n(9_000_000), taxable: n(1_500_000)})
		pol := w.publish(smallProfit("xwqy"), "2026-01-01")
		count := func(ent int64) (pushes, notices int) {
			ctx := context.Background()
			if err := d.QueryRowContext(ctx, "SELECT count(*) FROM policy_pushes WHERE enterprise_id = ?", ent).Scan(&pushes); err != nil {
				t.Fatal(err)
			}
			if err := d.QueryRowContext(ctx, "SELECT count(*) FROM notifications WHERE kind = 'policy.push' AND target_kind = 'enterprise' AND target = ?",
				enterpriseTarget(ent)).Scan(&notices); err != nil {
				t.Fatal(err)
			}
			return
		}
		if p, nt := count(a); p != 1 || nt != 1 {
			t.Errorf("eligible firm: %d pushes, %d notices", p, nt)
		}
		if p, _ := count(b); p != 0 {
			t.Errorf("ineligible firm pushed")
		}
		// Firm b shrinks to 200 employees: newly eligible, pushed once.
		if _, _, err := w.ents.Update(sys(), b, enterprise.Input{FiscalYear: 2025, Employees: enterprise.Some[int64](200)}); err != nil {
			t.Fatal(err)
		}
		if p, nt := count(b); p != 1 || nt != 1 {
			t.Errorf("after the change: %d pushes, %d notices", p, nt)
		}
		// Another change that keeps it eligible, and a new version: no repeats.
		if _, _, err := w.ents.Update(sys(), b, enterprise.Input{FiscalYear: 2025, Employees: enterprise.Some[int64](190)}); err != nil {
			t.Fatal(err)
		}
		cur, _ := w.svc.Get(officer(1), pol.ID)
		next := smallProfit("xwqy")
		next.Summary = "第二版"
		cur, err := w.svc.Update(officer(1), pol.ID, cur.Rev, next)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Publish(officer(1), pol.ID, cur.Rev, "2026-03-02"); err != nil {
			t.Fatal(err)
		}
		for _, ent := range []int64{a, b} {
			if p, nt := count(ent); p != 1 || nt != 1 {
				t.Errorf("firm %d: %d pushes, %d notices", ent, p, nt)
			}
		}
		// A supervisor lists them; an enterprise only its own.
		all, err := w.svc.ListPushes(as(identity.RoleSupervisor), policy.PushFilter{})
		if err != nil || len(all) != 2 || all[0].PolicyTitle == "" || all[0].Reason != policy.PushProfileChanged || all[1].Reason != policy.PushPublished {
			t.Errorf("supervisor sees %+v %v", all, err)
		}
		mine, _ := w.svc.ListPushes(owner(a), policy.PushFilter{})
		if len(mine) != 1 || mine[0].EnterpriseID != a {
			t.Errorf("firm a sees %+v", mine)
		}
		if _, err := w.svc.ListPushes(as(identity.RoleBankStaff), policy.PushFilter{}); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("bank staff list pushes: %v", err)
		}
	})
}

func TestAVersionPublishedForLaterIsPushedWhenItTakesEffect(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, policy.Config{})
		ent := w.eligibleFirm()
		w.publish(smallProfit("xwqy"), "2026-04-01")
		var pushes int
		_ = d.QueryRowContext(context.Background(), "SELECT count(*) FROM policy_pushes").Scan(&pushes)
		if pushes != 0 {
			t.Fatalf("pushed before it takes effect")
		}
		w.clock.set("2026-04-01")
		rep, err := w.svc.Tick(sys(), w.clock.now())
		if err != nil || rep.Pushed != 1 {
			t.Errorf("tick %+v %v", rep, err)
		}
		if rep, _ := w.svc.Tick(sys(), w.clock.now()); rep.Pushed != 0 {
			t.Errorf("pushed again")
		}
		_ = ent
	})
}

func enterpriseTarget(id int64) string { return strconv.FormatInt(id, 10) }
