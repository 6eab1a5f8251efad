package matter_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/matter"
)

func TestMaterialKeyIgnoresBracketsSpacesAndFormWords(t *testing.T) {
	for _, group := range [][]string{
		{"营业执照", "营业执照（副本）复印件", "营业执照复印件", " 营业执照 （原件） ", "营业执照[副本]", "营业执照正副本", "营业执照原件及复印件"},
		{"法定代表人身份证", "法定代表人身份证复印件", "法定代表人身份证（复印件）", "法定代表人身份证(原件)"},
		{"ISO9001认证证书", "ＩＳＯ９００１认证证书", "iso9001认证证书扫描件"},
	} {
		for _, name := range group[1:] {
			if a, b := matter.MaterialKey(group[0]), matter.MaterialKey(name); a != b {
				t.Errorf("%q → %q but %q → %q", group[0], a, name, b)
			}
		}
	}
	for _, pair := range [][2]string{{"营业执照", "食品经营许可证"}, {"法定代表人身份证", "经办人身份证"}, {"原件", "复印件"}} {
		if matter.MaterialKey(pair[0]) == matter.MaterialKey(pair[1]) {
			t.Errorf("%q and %q are different materials", pair[0], pair[1])
		}
	}
}

func TestBundleMaterialsAreListedOnceWithMergedRequirements(t *testing.T) {
	a := matter.Version{MatterCode: "A", Materials: []matter.Material{
		{Name: "申请书", Required: true, Form: "original", Copies: 1, Source: "applicant"},
		{Name: "营业执照（副本）复印件", Required: false, Form: "copy", Copies: 1, Source: "applicant"},
		{Name: "场所证明", Required: true, Form: "copy", Copies: 1, Source: "applicant"},
	}}
	b := matter.Version{MatterCode: "B", Materials: []matter.Material{
		{Name: "营业执照", Required: true, Form: "electronic", Source: "license", SourceRef: "营业执照"},
		{Name: "场所证明（原件）", Required: true, Form: "original", Copies: 2, Source: "applicant"},
	}}
	c := matter.Version{MatterCode: "C", Materials: []matter.Material{
		{Name: "申请书", Required: true, Form: "electronic", Source: "applicant"},
	}}
	got := matter.Bundle{Members: []matter.Version{a, b, c}}.Materials()
	if len(got) != 3 {
		t.Fatalf("%d materials, want 申请书, 营业执照, 场所证明: %+v", len(got), got)
	}
	app, lic, site := got[0], got[1], got[2]
	if app.Name != "申请书" || !slices.Equal(app.Members, []string{"A", "C"}) || app.Form != "original" {
		t.Errorf("申请书 = %+v", app)
	}
	if lic.Name != "营业执照" || !lic.Required || !slices.Equal(lic.RequiredBy, []string{"B"}) || !slices.Equal(lic.Members, []string{"A", "B"}) ||
		lic.Source != matter.SourceLicense || lic.SourceRef != "营业执照" {
		t.Errorf("营业执照 = %+v: want required (by B), shared from the licence library", lic)
	}
	if site.Form != "original" || site.Copies != 2 || !slices.Equal(site.RequiredBy, []string{"A", "B"}) {
		t.Errorf("场所证明 = %+v: want the strictest form and most copies", site)
	}
	fl := matter.Bundle{Members: []matter.Version{a, b, c}, CommittedLimitDays: 2}.Flags()
	if fl.ZeroMaterials || fl.Instant {
		t.Errorf("flags = %+v", fl)
	}
}

func TestStartingABusinessBundleListsSharedMaterialsOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := demoService(t, d)
		b, err := s.GetBundle(anonymous(), "YJS-QYKB")
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Members) != 6 || b.Members[0].Name != "有限责任公司设立登记" || b.Members[5].Name != "企业银行开户预约" {
			t.Fatalf("members = %v", b.MemberCodes())
		}
		mats := b.Materials()
		total := 0
		for _, m := range b.Members {
			total += len(m.Materials)
		}
		seen := map[string]int{}
		for _, m := range mats {
			seen[m.Key]++
		}
		for k, n := range seen {
			if n > 1 {
				t.Errorf("material %s listed %d times", k, n)
			}
		}
		byName := map[string]matter.BundleMaterial{}
		for _, m := range mats {
			byName[m.Name] = m
		}
		lic := byName["营业执照"]
		if len(lic.Members) < 4 || !lic.Required || lic.Source != matter.SourceLicense {
			t.Errorf("营业执照 = %+v: want it once, shared, for the later members", lic)
		}
		agent := byName["经办人身份证"]
		if len(agent.Members) < 4 {
			t.Errorf("经办人身份证 = %+v", agent)
		}
		if len(mats) >= total {
			t.Errorf("%d merged materials from %d: nothing de-duplicated", len(mats), total)
		}
		form := b.MergedForm()
		if form[0].Name != "delivery" {
			t.Errorf("the bundle's own fields come first: %v", form[0])
		}
		names := map[string]int{}
		for _, f := range form {
			names[f.Name]++
			if names[f.Name] > 1 {
				t.Errorf("form field %s asked twice", f.Name)
			}
		}
		if fl := b.Flags(); !fl.MaxOneVisit || fl.Instant || fl.FullOnline {
			t.Errorf("flags = %+v: one visit (the bank), not fully online, a 2-day bundle", fl)
		}
	})
}

func TestBundleEditsAreValidatedVersionedAndAudited(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		m1, _ := s.Create(admin(), sample("01"))
		m2, _ := s.Create(admin(), sample("02"))
		var hooked []string
		s.OnBundleChange(func(_ context.Context, code string) { hooked = append(hooked, code) })

		_, err := s.CreateBundle(admin(), matter.BundleInput{Code: "x", LeadDepartmentCode: "NOPE", MemberCodes: []string{m1.Code, m1.Code, "NOPE"},
			Events: []string{"开矿"}, CommittedLimitDays: -1})
		fields := errs.FieldsOf(err)
		for _, k := range []string{"code", "name", "lead_department_code", "members", "events", "committed_limit_days"} {
			if _, ok := fields[k]; !ok {
				t.Errorf("no error for %s: %v", k, fields)
			}
		}
		in := matter.BundleInput{Code: "yjs-test", Name: "测试一件事", LeadDepartmentCode: "SCJGJ", CommittedLimitDays: 3,
			MemberCodes: []string{m2.Code, m1.Code}, Events: []string{"企业开办"}}
		if _, err := s.CreateBundle(as("window_clerk"), in); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("clerk creates a bundle: %v", err)
		}
		b, err := s.CreateBundle(admin(), in)
		if err != nil {
			t.Fatal(err)
		}
		if b.Code != "YJS-TEST" || b.Version != 1 || !b.Active || !slices.Equal(b.MemberCodes(), []string{m2.Code, m1.Code}) || b.Events[0] != "startup" {
			t.Errorf("bundle = %+v", b)
		}
		if _, err := s.CreateBundle(admin(), in); errs.FieldsOf(err)["code"].Zh == "" {
			t.Errorf("duplicate code: %v", err)
		}
		// The members now show the flag and the filter finds them.
		got, _ := s.Get(anonymous(), m1.Code)
		if !slices.Equal(got.InBundles, []string{"YJS-TEST"}) {
			t.Errorf("InBundles = %v", got.InBundles)
		}
		if l, _ := s.List(anonymous(), matter.Filter{Flag: "in_bundle"}); len(l) != 2 {
			t.Errorf("in_bundle lists %d", len(l))
		}
		if err := s.SetActive(admin(), m1.Code, false); !errors.Is(err, errs.ErrConflict) {
			t.Errorf("withdrawing a bundle member: %v", err)
		}

		edit := b.Input()
		edit.CommittedLimitDays = 2
		b2, err := s.UpdateBundle(admin(), b.Code, edit, 1)
		if err != nil || b2.Version != 2 || b2.CommittedLimitDays != 2 {
			t.Fatalf("update: %+v %v", b2, err)
		}
		if _, err := s.UpdateBundle(admin(), b.Code, edit, 1); !errors.Is(err, errs.ErrPrecondition) {
			t.Errorf("stale bundle edit: %v", err)
		}
		b3, err := s.UpdateBundle(admin(), b.Code, edit, 2)
		if err != nil || b3.Version != 2 {
			t.Errorf("identical bundle edit made version %d (%v)", b3.Version, err)
		}
		if err := s.SetBundleActive(admin(), b.Code, false); err != nil {
			t.Fatal(err)
		}
		if l, _ := s.ListBundles(anonymous(), true); len(l) != 0 {
			t.Errorf("an inactive bundle is listed as active")
		}
		if err := s.SetActive(admin(), m1.Code, false); err != nil {
			t.Errorf("a member of an inactive bundle can be withdrawn: %v", err)
		}
		if err := s.SetBundleActive(admin(), b.Code, true); !errors.Is(err, errs.ErrConflict) {
			t.Errorf("activating a bundle with a withdrawn member: %v", err)
		}
		recs := records(t, d, "bundle", "YJS-TEST")
		var actions []string
		for _, r := range recs {
			actions = append(actions, r.Action+"/"+r.Result)
		}
		if !slices.Equal(actions, []string{"bundle.deactivate/ok", "bundle.update/ok", "bundle.create/ok", "bundle.create/denied"}) {
			t.Errorf("audit actions %v", actions)
		}
		if !slices.Equal(hooked, []string{"YJS-TEST", "YJS-TEST", "YJS-TEST"}) {
			t.Errorf("bundle hooks %v", hooked)
		}
	})
}
