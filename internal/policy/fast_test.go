package policy_test

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qinqing/qinqing/internal/calendar"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/notify"
	"github.com/qinqing/qinqing/internal/policy"
)

// fastReward is smallProfit on the fast track: the licence comes from the
// registry, the optional 情况说明 may stay, nothing is required of the
// applicant; the guide gives 10 working days.
func fastReward(code string) policy.Input {
	in := smallProfit(code)
	in.Mode = policy.ModeFast
	return in
}

// withConfig returns a second world on the same database and registry
// whose policy service runs under cfg.
func (w *world) withConfig(cfg policy.Config) *world {
	w.t.Helper()
	log := slog.New(slog.DiscardHandler)
	v := &world{t: w.t, d: w.d, ents: w.ents, clock: w.clock, n: w.n}
	v.svc = policy.NewService(w.d, calendar.New(calendar.Options{}), w.ents, notify.New(w.d, nil, log), nil, cfg, log)
	v.svc.SetClock(w.clock.now)
	return v
}

func TestAFastPolicyRequiresNothingOfTheApplicant(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, policy.Config{})

		t.Run("saving a fast policy that requires an applicant's material is refused at that material", func(t *testing.T) {
			in := fastReward("fast-contract")
			in.Materials = append(in.Materials, policy.Material{Name: "贷款合同", Required: true, Source: "applicant"})
			_, err := w.svc.Create(officer(1), in)
			m, ok := errs.FieldsOf(err)["materials[2].source"]
			if !ok {
				t.Fatalf("a required applicant material was saved on a fast policy: %v", err)
			}
			if !strings.Contains(m.Zh, "贷款合同") || !strings.Contains(m.Zh, "快申快享") || !strings.Contains(m.En, "贷款合同") || !strings.Contains(m.En, "fast-track") {
				t.Errorf("the error does not name the material in both languages: %+v", m)
			}
			for field := range errs.FieldsOf(err) {
				if field != "materials[2].source" {
					t.Errorf("another field is blamed too: %s", field)
				}
			}
		})

		t.Run("the same material required under the apply mode is saved", func(t *testing.T) {
			in := smallProfit("apply-contract")
			in.Materials = append(in.Materials, policy.Material{Name: "贷款合同", Required: true, Source: "applicant"})
			p, err := w.svc.Create(officer(1), in)
			if err != nil {
				t.Fatal(err)
			}
			t.Run("and switching it to fast in a new draft is refused", func(t *testing.T) {
				in.Mode = policy.ModeFast
				_, err := w.svc.Update(officer(1), p.ID, p.Rev, in)
				if !hasField(err, "materials[2].source") {
					t.Errorf("a draft switched to fast kept its required applicant material: %v", err)
				}
			})
		})

		t.Run("an optional applicant material and the registry's materials are allowed", func(t *testing.T) {
			if _, err := w.svc.Create(officer(1), fastReward("fast-ok")); err != nil {
				t.Errorf("a fast policy asking nothing was refused: %v", err)
			}
		})
	})
}

// TestTheDemoFastPoliciesRequireNothingOfTheApplicant checks the demo
// 政策超市's 快申快享 policies against the rule they are saved under.
func TestTheDemoFastPoliciesRequireNothingOfTheApplicant(t *testing.T) {
	files, err := filepath.Glob("../seed/data/policies/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no demo policies: %v", err)
	}
	fast := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		in, err := policy.ParseInput(b)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if in.Mode != policy.ModeFast {
			continue
		}
		fast++
		if err := in.Validate(); err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
		}
	}
	if fast == 0 {
		t.Error("the demo has no 快申快享 policy")
	}
}

// TestAFastApplicationIsDueWithinTheFastLimit submits on Thursday 30 April
// 2026, before the 劳动节 holiday (1–5 May off, Saturday 9 May worked):
// three working days end on Friday 8 May, four on the make-up Saturday.
func TestAFastApplicationIsDueWithinTheFastLimit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		base := newWorld(t, d, policy.Config{})
		for i, tc := range []struct {
			name     string
			fastDays int // 0: the default
			guide    int
			wantDays int
			wantDue  string
		}{
			{"the default fast limit of 3 working days shortens a 10-day guide", 0, 10, 3, "2026-05-08"},
			{"a configured fast limit of 4 working days ends on the make-up Saturday", 4, 10, 4, "2026-05-09"},
			{"a guide shorter than the fast limit keeps its own", 0, 2, 2, "2026-05-07"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				w := base.withConfig(policy.Config{FastDays: tc.fastDays})
				w.n = base.n
				defer func() { base.n = w.n }()
				in := fastReward(fmt.Sprintf("fast-limit-%d", i))
				in.Guide.TimeLimitDays = tc.guide
				pol := w.publish(in, "2026-01-01")
				w.clock.set("2026-04-30")
				ent := w.eligibleFirm()
				form, err := w.svc.PrepareApplication(owner(ent), pol.ID, ent)
				if err != nil {
					t.Fatal(err)
				}
				if form.TimeLimitDays != tc.wantDays {
					t.Errorf("the confirmation promises %d working days, want %d", form.TimeLimitDays, tc.wantDays)
				}
				a := w.apply(pol, ent)
				if a.PolicyMode != policy.ModeFast || a.TimeLimitDays != tc.wantDays || a.DueOn != tc.wantDue || a.Clock.Due != tc.wantDue {
					t.Errorf("mode %s, limit %d, due %s (clock %s); want fast, %d, %s", a.PolicyMode, a.TimeLimitDays, a.DueOn, a.Clock.Due, tc.wantDays, tc.wantDue)
				}
			})
		}
		t.Run("an apply-mode policy submitted the same day keeps its guide's 10 working days", func(t *testing.T) {
			w := base
			pol := w.publish(smallProfit("apply-10"), "2026-01-01")
			w.clock.set("2026-04-30")
			a := w.apply(pol, w.eligibleFirm())
			if a.PolicyMode != policy.ModeApply || a.TimeLimitDays != 10 || a.DueOn != "2026-05-18" {
				t.Errorf("mode %s, limit %d, due %s; want apply, 10, 2026-05-18", a.PolicyMode, a.TimeLimitDays, a.DueOn)
			}
		})
	})
}

func TestAFastApplicationIsForTheComputedAmount(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, policy.Config{SecondApprovalFen: yuan(20000)})
		pol := w.publish(fastReward("fast-amount"), "2026-01-01")

		for _, requested := range []int64{yuan(10000), yuan(30000)} {
			ent := w.eligibleFirm()
			_, err := w.svc.Apply(owner(ent), policy.ApplyInput{PolicyID: pol.ID, EnterpriseID: ent, RequestedFen: requested})
			m, ok := errs.FieldsOf(err)["requested_yuan"]
			if !ok || m.Zh != "快申快享按政策核定金额兑现，无需填写申请金额" || m.En == "" {
				t.Errorf("requesting %d fen of a 20000-yuan fast reward: %v", requested, err)
			}
		}

		exact := w.eligibleFirm()
		a, err := w.svc.Apply(owner(exact), policy.ApplyInput{PolicyID: pol.ID, EnterpriseID: exact, RequestedFen: yuan(20000)})
		if err != nil || a.RequestedFen != yuan(20000) {
			t.Fatalf("requesting exactly the computed amount: %v", err)
		}
		plain := w.apply(pol, w.eligibleFirm())
		if plain.RequestedFen != yuan(20000) || plain.EntitledFen == nil || *plain.EntitledFen != yuan(20000) {
			t.Errorf("an application without an amount requests %d fen, want the computed 20000 yuan", plain.RequestedFen)
		}

		t.Run("approved without an amount it is approved at the computed amount, and the second approval threshold still applies", func(t *testing.T) {
			got := w.act(officer(1), plain, policy.Action{Name: policy.ActApprove})
			if got.ApprovedFen == nil || *got.ApprovedFen != yuan(20000) || got.State != policy.AppSecondApproval {
				t.Errorf("approved %v in state %s, want 20000 yuan awaiting a second approval", got.ApprovedFen, got.State)
			}
		})

		t.Run("an apply-mode policy still takes a smaller amount", func(t *testing.T) {
			apply := w.publish(smallProfit("apply-amount"), "2026-01-01")
			ent := w.eligibleFirm()
			a, err := w.svc.Apply(owner(ent), policy.ApplyInput{PolicyID: apply.ID, EnterpriseID: ent, RequestedFen: yuan(10000)})
			if err != nil || a.RequestedFen != yuan(10000) || a.PolicyMode != policy.ModeApply {
				t.Errorf("a smaller amount under the apply mode: %v", err)
			}
		})

		t.Run("a formula the registry cannot compute keeps the firm off the fast track", func(t *testing.T) {
			in := fastReward("fast-formula")
			in.Benefit = policy.Benefit{Kind: policy.BenefitFormula, Formula: "rd_expense * 0.25", Period: policy.PeriodYear, Description: "研发费用的25%"}
			pol := w.publish(in, "2026-01-01")
			ent := w.eligibleFirm() // no 研发费用 on record
			_, err := w.svc.Apply(owner(ent), policy.ApplyInput{PolicyID: pol.ID, EnterpriseID: ent})
			var e *errs.Error
			if !errors.Is(err, errs.ErrConflict) || !errors.As(err, &e) || e.Code != "fast_amount_unknown" || !strings.Contains(e.Msg.Zh, "研发费用") {
				t.Errorf("a fast application whose amount cannot be computed: %v", err)
			}
		})
	})
}
