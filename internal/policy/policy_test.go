package policy_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/eligibility"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/money"
	"github.com/qinqing/qinqing/internal/policy"
)

func TestDecodeInputTakesTheAgreedJSONAndRefusesUnknownFields(t *testing.T) {
	body := `{"code":"xwqy-sds-2023","title":"小型微利企业减免企业所得税","title_en":"Income tax relief",
	 "document_no":"财政部 税务总局公告2023年第12号","issuer":"财政部 税务总局","level":"national","shelf":"tax","mode":"no_apply",
	 "department_code":"SWJ","contact_name":"陈静","contact_phone":"023-68863366","valid_from":"2023-01-01","valid_to":"2027-12-31",
	 "summary":"减按25%计入应纳税所得额","full_text":"……","keywords":"小微 所得税",
	 "guide":{"beneficiaries":"小型微利企业","conditions":"年应纳税所得额不超过300万元","time_limit_days":15,"address":"新华路 88 号","phone":"023-68863366"},
	 "benefit":{"kind":"formula","amount_yuan":null,"formula":"min(rd_expense * 0.1, 500000)","cap_yuan":500000,"period":"year","description":"按研发费用10%补助"},
	 "materials":[{"name":"申请表","required":true,"source":"applicant"},{"name":"营业执照","required":true,"source":"profile"}],
	 "conditions":{"all":[{"attr":"taxable_income","op":"le","value":3000000}]},
	 "tests":[{"name":"恰为300万元","as_of":"2026-06-30","profile":{"taxable_income":3000000,"rd_expense":1000000},"expect":"eligible","benefit_yuan":100000}]}`
	in, err := policy.ParseInput([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if err := in.Validate(); err != nil {
		t.Fatalf("the agreed example does not validate: %v", err)
	}
	if in.Benefit.Cap.Fen != 500000*100 || in.Guide.TimeLimitDays != 15 || in.Mode != policy.ModeNoApply || len(in.Materials) != 2 {
		t.Errorf("decoded wrongly: %+v", in)
	}
	_, err = policy.ParseInput([]byte(strings.Replace(body, `"keywords"`, `"keyword"`, 1)))
	if !errors.Is(err, errs.ErrInvalid) {
		t.Errorf("an unknown field is accepted: %v", err)
	}
}

func TestValidateNamesEveryBadFieldBilingually(t *testing.T) {
	in := smallProfit("Bad Code!")
	in.Title, in.Level, in.Shelf, in.Mode, in.ValidTo = "", "galactic", "", "sometimes", "2020-01-01"
	in.Benefit = policy.Benefit{Kind: policy.BenefitFormula, Formula: "rd_expense *", Period: "decade"}
	in.Materials = append(in.Materials, policy.Material{Name: "", Source: "ether"})
	in.Conditions = cond(`{"all":[{"attr":"employees","op":"le","value":300},{"attr":"shoe_size","op":"eq","value":42}]}`)
	err := in.Validate()
	fields := errs.FieldsOf(err)
	for _, f := range []string{"code", "title", "level", "shelf", "mode", "valid_to", "benefit.formula", "benefit.period",
		"materials[2].name", "materials[2].source", "conditions.all[1].attr"} {
		m, ok := fields[f]
		if !ok {
			t.Errorf("no error for %s (got %v)", f, err)
			continue
		}
		if m.Zh == "" || m.En == "" {
			t.Errorf("%s: message not bilingual: %+v", f, m)
		}
	}
}

func TestAFailingPolicyTestIsAFieldErrorSayingExpectedAndActual(t *testing.T) {
	in := smallProfit("xwqy-sds-2023")
	in.Tests = append(in.Tests, policy.TestCase{Name: "应纳税所得额 301 万元也符合（错误的预期）", AsOf: "2026-06-30",
		Profile: map[string]any{"taxable_income": 3010000, "employees": 10, "assets": 1000000}, Expect: eligibility.Eligible})
	fields := errs.FieldsOf(in.Validate())
	m, ok := fields["tests[2]"]
	if !ok || len(fields) != 1 {
		t.Fatalf("fields = %v", fields)
	}
	for _, want := range []string{"预期 符合", "实际 不符合", "年应纳税所得额"} {
		if !strings.Contains(m.Zh, want) {
			t.Errorf("message %q lacks %q", m.Zh, want)
		}
	}
	if !strings.Contains(m.En, "expected eligible but got ineligible") {
		t.Errorf("English message %q", m.En)
	}
}

func TestBenefitTestsCheckTheFormulaWithinTheCap(t *testing.T) {
	in := smallProfit("yfjl-2026")
	in.Benefit = policy.Benefit{Kind: policy.BenefitFormula, Formula: "rd_expense * 0.1", Cap: money.Yuan{Fen: yuan(500000), Valid: true}, Period: policy.PeriodYear}
	in.Tests = []policy.TestCase{
		{Name: "研发费用100万元得10万元", AsOf: "2026-06-30", Profile: map[string]any{"taxable_income": 1000000, "employees": 50, "assets": 1000000, "rd_expense": 1000000},
			Expect: eligibility.Eligible, Benefit: money.Yuan{Fen: yuan(100000), Valid: true}},
		{Name: "研发费用1亿元封顶50万元", AsOf: "2026-06-30", Profile: map[string]any{"taxable_income": 1000000, "employees": 50, "assets": 1000000, "rd_expense": 100000000},
			Expect: eligibility.Eligible, Benefit: money.Yuan{Fen: yuan(500000), Valid: true}},
	}
	if err := in.Validate(); err != nil {
		t.Fatal(err)
	}
	in.Tests[1].Benefit = money.Yuan{Fen: yuan(10000000), Valid: true}
	if m := errs.FieldsOf(in.Validate())["tests[1]"]; !strings.Contains(m.Zh, "预期兑现金额 10000000 元，实际 500000 元") {
		t.Errorf("cap not applied or message wrong: %q", m.Zh)
	}
}

func TestVersions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, policy.Config{})
		ctx := officer(1)
		p, err := w.svc.Create(ctx, smallProfit("xwqy-sds-2023"))
		if err != nil {
			t.Fatal(err)
		}
		if p.Status != policy.StatusDraft || p.Latest != 1 || p.Published != 0 || p.Current.State != policy.VersionDraft {
			t.Fatalf("new policy %+v", p)
		}
		if _, err := w.svc.Get(anonymous(), p.ID); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("the public sees a draft: %v", err)
		}
		// Editing a draft rewrites it; a stale revision is refused.
		edit := smallProfit("xwqy-sds-2023")
		edit.Summary = "草稿修改"
		p2, err := w.svc.Update(ctx, p.ID, p.Rev, edit)
		if err != nil {
			t.Fatal(err)
		}
		if p2.Latest != 1 || p2.Current.Summary != "草稿修改" {
			t.Errorf("draft edit made %+v", p2)
		}
		if _, err := w.svc.Update(ctx, p.ID, p.Rev, edit); !errors.Is(err, errs.ErrPrecondition) {
			t.Errorf("stale update: %v", err)
		}
		// A version taking effect after the policy's last valid day would
		// never apply.
		if _, err := w.svc.Publish(ctx, p.ID, p2.Rev, "2028-01-01"); errs.FieldsOf(err)["effective_from"].Zh == "" {
			t.Errorf("publishing effective after valid_to: %v", err)
		}
		p3, err := w.svc.Publish(ctx, p.ID, p2.Rev, "2026-01-01")
		if err != nil {
			t.Fatal(err)
		}
		firm := w.add(firm{employees: n(50), revenue: n(10_000_000), assets: n(8_000_000), taxable: n(2_000_000)})
		app, err := w.svc.Apply(owner(firm), policy.ApplyInput{PolicyID: p.ID, EnterpriseID: firm})
		if err != nil {
			t.Fatal(err)
		}
		// Version 2 tightens the income limit from 1 April; version 1 stays.
		v2 := smallProfit("xwqy-sds-2023")
		v2.Conditions = cond(`{"all":[{"attr":"taxable_income","op":"le","value":1000000},{"attr":"employees","op":"le","value":300},{"attr":"assets","op":"le","value":50000000}]}`)
		v2.Tests = nil
		p4, err := w.svc.Update(ctx, p.ID, p3.Rev, v2)
		if err != nil {
			t.Fatal(err)
		}
		if p4.Latest != 2 || p4.Published != 1 || !p4.HasDraft() {
			t.Fatalf("editing a published policy made %+v", p4)
		}
		if _, err := w.svc.Publish(ctx, p.ID, p4.Rev, "2025-12-31"); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("a version effective before the previous one: %v", err)
		}
		if _, err := w.svc.Publish(ctx, p.ID, p4.Rev, "2026-04-01"); err != nil {
			t.Fatal(err)
		}
		match := func(asOf string) eligibility.Outcome {
			ms, err := w.svc.Matches(owner(firm), firm, asOf)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range ms {
				if m.Policy.ID == p.ID {
					return m.Result.Outcome
				}
			}
			t.Fatalf("policy missing from matches on %s", asOf)
			return ""
		}
		if got := match("2026-03-31"); got != eligibility.Eligible {
			t.Errorf("on 31 March (version 1) the firm is %s", got)
		}
		if got := match("2026-04-01"); got != eligibility.Ineligible {
			t.Errorf("on 1 April (version 2) the firm is %s", got)
		}
		// The application keeps the version it was filed under.
		got, err := w.svc.GetApplication(officer(1), app.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.PolicyVersion != 1 {
			t.Errorf("application moved to version %d", got.PolicyVersion)
		}
		w.clock.set("2026-04-02")
		done, err := w.svc.Act(officer(1), app.ID, got.Rev, policy.Action{Name: policy.ActApprove, AmountFen: yuan(20000)})
		if err != nil {
			t.Fatal(err)
		}
		if done.State != policy.AppApproved || done.PolicyVersion != 1 {
			t.Errorf("decided under version %d, state %s", done.PolicyVersion, done.State)
		}
		vs, err := w.svc.Versions(anonymous(), p.ID)
		if err != nil || len(vs) != 2 || vs[0].EffectiveFrom != "2026-04-01" || vs[1].EffectiveFrom != "2026-01-01" {
			t.Errorf("versions %+v, %v", vs, err)
		}
		// A published version never changes, whatever the path.
		_, err = d.Writer().ExecContext(context.Background(), d.Rebind("UPDATE policy_versions SET title = 'x' WHERE policy_id = ? AND number = 1"), p.ID)
		if err == nil {
			t.Error("the database let a published version change")
		}
		_, err = d.Writer().ExecContext(context.Background(), d.Rebind("DELETE FROM policy_versions WHERE policy_id = ? AND number = 1"), p.ID)
		if err == nil {
			t.Error("the database let a published version be deleted")
		}
	})
}

func TestCodeIsUniqueAndDepartmentMustExist(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, policy.Config{})
		if _, err := w.svc.Create(officer(1), smallProfit("xwqy")); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Create(officer(1), smallProfit("xwqy")); !errors.Is(err, errs.ErrConflict) {
			t.Errorf("duplicate code: %v", err)
		}
		in := smallProfit("other")
		in.Department = "NOPE"
		if _, ok := errs.FieldsOf(mustErr(w.svc.Create(officer(1), in)))["department_code"]; !ok {
			t.Error("an unknown department is accepted")
		}
	})
}

func mustErr[T any](_ T, err error) error { return err }

func TestOnlyPolicyOfficersWritePolicies(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, policy.Config{})
		for _, ctx := range []context.Context{anonymous(), owner(1), as(identity.RoleAdmin), as(identity.RoleSupervisor), as(identity.RoleLiaison)} {
			if _, err := w.svc.Create(ctx, smallProfit("xwqy")); !errors.Is(err, errs.ErrForbidden) {
				t.Errorf("%v created a policy: %v", identity.PrincipalFrom(ctx), err)
			}
		}
		p := w.publish(smallProfit("xwqy"), "2026-01-01")
		if _, err := w.svc.Unpublish(owner(1), p.ID, p.Rev); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("an enterprise unpublished: %v", err)
		}
	})
}

func TestListShowsThePublicOnlyLivePoliciesAndFilters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, policy.Config{})
		w.publish(smallProfit("xwqy"), "2026-01-01")
		if _, err := w.svc.Create(officer(1), smallProfit("draft-only")); err != nil {
			t.Fatal(err)
		}
		expired := smallProfit("expired")
		expired.ValidFrom, expired.ValidTo, expired.Tests = "2020-01-01", "2022-12-31", nil
		expired.Shelf = policy.ShelfSubsidy
		w.publish(expired, "2020-01-01")
		gone := w.publish(smallProfit("gone"), "2026-01-01")
		if _, err := w.svc.Unpublish(officer(1), gone.ID, gone.Rev); err != nil {
			t.Fatal(err)
		}
		codes := func(ctx context.Context, f policy.Filter) []string {
			pg, err := w.svc.List(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, p := range pg.Items {
				out = append(out, p.Code)
			}
			return out
		}
		if got := codes(anonymous(), policy.Filter{}); strings.Join(got, ",") != "xwqy" {
			t.Errorf("public sees %v", got)
		}
		if got := codes(officer(1), policy.Filter{}); len(got) != 4 {
			t.Errorf("staff see %v", got)
		}
		if got := codes(officer(1), policy.Filter{Status: policy.StatusDraft}); strings.Join(got, ",") != "draft-only" {
			t.Errorf("drafts %v", got)
		}
		if got := codes(anonymous(), policy.Filter{Q: "所得税 小微"}); len(got) != 1 {
			t.Errorf("search finds %v", got)
		}
		if got := codes(anonymous(), policy.Filter{Q: "贷款"}); len(got) != 0 {
			t.Errorf("search finds %v", got)
		}
		if got := codes(officer(1), policy.Filter{Shelf: policy.ShelfSubsidy}); strings.Join(got, ",") != "expired" {
			t.Errorf("shelf filter %v", got)
		}
	})
}
