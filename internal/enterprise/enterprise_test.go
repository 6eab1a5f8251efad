package enterprise_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/money"
	"github.com/qinqing/qinqing/internal/standards"
)

// code builds a valid credit code for a Beibei enterprise from a 7-digit serial.
func code(serial int) string {
	body := fmt.Sprintf("MA%06d", serial%1_000_000)
	oc, err := standards.OrgCodeCheckChar(body)
	if err != nil {
		panic(err)
	}
	first17 := "91500109" + body + string(oc)
	cc, err := standards.CreditCodeCheckChar(first17)
	if err != nil {
		panic(err)
	}
	return first17 + string(cc)
}

func as(role identity.Role, mods ...func(*identity.Principal)) context.Context {
	p := &identity.Principal{AccountID: 0, Username: string(role) + "1", Role: role}
	for _, m := range mods {
		m(p)
	}
	return identity.WithRequest(identity.WithPrincipal(context.Background(), p), identity.Request{ID: "t", IP: "10.0.0.1"})
}

func clerk() context.Context { return as(identity.RoleWindowClerk) }

func ownerOf(id int64) context.Context {
	return as(identity.RoleEnterprise, func(p *identity.Principal) { p.EnterpriseID = id })
}

func wan(n int64) enterprise.Maybe[int64] { return enterprise.Some(n * money.FenPerWan) }

func newService(t *testing.T, d *db.DB) *enterprise.Service {
	t.Helper()
	if err := enterprise.EnsureDefaultTags(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	return enterprise.NewService(d)
}

func machinery(serial int) enterprise.Input {
	return enterprise.Input{
		CreditCode:   enterprise.Some(code(serial)),
		Name:         enterprise.Some(fmt.Sprintf("重庆北碚精密机械制造有限公司%d", serial)),
		LegalRep:     enterprise.Some("张伟"),
		RegisteredOn: enterprise.Some("2015-06-18"),
		RegionCode:   enterprise.Some("500109001"),
		Address:      enterprise.Some("重庆市北碚区天生街道天生路 392 号"),
		IndustryCode: enterprise.Some("3670"),
		ContactPhone: enterprise.Some("13800238888"),
		FiscalYear:   2025,
		Employees:    enterprise.Some[int64](350),
		RevenueFen:   wan(2500),
		AssetsFen:    wan(8000),
	}
}

func TestCreateDerivesSizeAndAboveScale(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		svc := newService(t, d)
		e, notices, err := svc.Create(clerk(), machinery(1))
		if err != nil {
			t.Fatal(err)
		}
		if len(notices) != 0 {
			t.Errorf("unexpected notices %v", notices)
		}
		if e.Size.Class != standards.SizeMedium || e.Size.Row.ID != "industry" {
			t.Errorf("size = %s (%s), want medium by the industry row", e.Size.Class, e.Size.Basis.Zh)
		}
		if e.AboveScale.Status == nil || !*e.AboveScale.Status {
			t.Errorf("above scale = %v (%s), want true", e.AboveScale.Status, e.AboveScale.Basis.Zh)
		}
		if e.IndustrySection != "C" || e.Facts.FiscalYear != 2025 || !e.Facts.Verified || e.Version != 1 {
			t.Errorf("profile = %+v", e)
		}
		page, err := svc.List(clerk(), enterprise.Filter{Size: "medium"})
		if err != nil || page.Total != 1 {
			t.Errorf("stored size class not filterable: %+v %v", page, err)
		}
	})
}

func TestCreateRejectsBadInputWithEveryFieldError(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		svc := newService(t, d)
		in := machinery(2)
		good := in.CreditCode.V
		bad := good[:17] + string("0123456789ABCDEFGHJKLMNPQRTUWXY"[(strings.IndexByte("0123456789ABCDEFGHJKLMNPQRTUWXY", good[17])+1)%31])
		in.CreditCode = enterprise.Some(bad)
		in.RegionCode = enterprise.Some("110101")
		in.IndustryCode = enterprise.Some("9999")
		in.Employees = enterprise.Some[int64](-1)
		in.ContactPhone = enterprise.Some("12345")
		_, _, err := svc.Create(clerk(), in)
		if !errors.Is(err, errs.ErrInvalid) {
			t.Fatalf("err = %v, want invalid", err)
		}
		fields := errs.FieldsOf(err)
		if m := fields["credit_code"]; !strings.Contains(m.Zh, "第18位") || !strings.Contains(m.Zh, string(good[17])) {
			t.Errorf("credit code message %q does not name position 18 and the expected character %c", m.Zh, good[17])
		}
		for _, k := range []string{"region_code", "industry_code", "employees", "contact_phone"} {
			if _, ok := fields[k]; !ok {
				t.Errorf("no error for %s: %v", k, fields)
			}
		}
		_, _, err = svc.Create(clerk(), enterprise.Input{})
		for _, k := range []string{"credit_code", "name", "region_code", "industry_code"} {
			if _, ok := errs.FieldsOf(err)[k]; !ok {
				t.Errorf("missing required %s not reported: %v", k, err)
			}
		}
		var n int
		d.QueryRowContext(context.Background(), "SELECT count(*) FROM enterprises").Scan(&n)
		if n != 0 {
			t.Errorf("%d rows written by failed creates", n)
		}
	})
}

func TestCreditCodeIsNormalisedVisiblyAndUnique(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		svc := newService(t, d)
		in := machinery(3)
		in.CreditCode = enterprise.Some("  " + strings.ToLower(in.CreditCode.V) + " ")
		e, notices, err := svc.Create(clerk(), in)
		if err != nil {
			t.Fatal(err)
		}
		if e.CreditCode != code(3) || len(notices) != 1 || !strings.Contains(notices[0].Msg.Zh, "规范为") {
			t.Errorf("code %s, notices %v", e.CreditCode, notices)
		}
		_, _, err = svc.Create(clerk(), machinery(3))
		if !errors.Is(err, errs.ErrConflict) {
			t.Errorf("duplicate credit code: %v", err)
		}
	})
}

func TestEnterpriseUsersSeeAndEditOnlyTheirOwnSelfServiceFields(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		svc := newService(t, d)
		a, _, _ := svc.Create(clerk(), machinery(10))
		b, _, _ := svc.Create(clerk(), machinery(11))
		owner := ownerOf(a.ID)
		if _, err := svc.Get(owner, a.ID); err != nil {
			t.Fatalf("own profile: %v", err)
		}
		if _, err := svc.Get(owner, b.ID); !errors.Is(err, errs.ErrForbidden) {
			t.Fatalf("another firm's profile: %v", err)
		}
		if _, err := svc.List(owner, enterprise.Filter{}); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("an enterprise user listed the registry: %v", err)
		}
		got, _, err := svc.Update(owner, a.ID, enterprise.Input{Address: enterprise.Some("重庆市北碚区蔡家岗街道同兴北路 1 号")})
		if err != nil || got.Address != "重庆市北碚区蔡家岗街道同兴北路 1 号" {
			t.Fatalf("own address change: %v", err)
		}
		_, _, err = svc.Update(owner, a.ID, enterprise.Input{Name: enterprise.Some("改名公司"), TaxCreditGrade: enterprise.Some("A")})
		f := errs.FieldsOf(err)
		if _, ok := f["name"]; !ok {
			t.Errorf("an enterprise user renamed itself: %v", err)
		}
		if _, ok := f["tax_credit_grade"]; !ok {
			t.Errorf("an enterprise user set its own tax credit grade: %v", err)
		}
		// 2025 was entered by staff and is verified: the firm cannot change it.
		_, _, err = svc.Update(owner, a.ID, enterprise.Input{FiscalYear: 2025, Employees: enterprise.Some[int64](10)})
		if _, ok := errs.FieldsOf(err)["fiscal_year"]; !ok {
			t.Errorf("an enterprise user changed verified facts: %v", err)
		}
		// 2026 is new: it may report it, unverified.
		got, _, err = svc.Update(owner, a.ID, enterprise.Input{FiscalYear: 2026, Employees: enterprise.Some[int64](15), RevenueFen: wan(200)})
		if err != nil {
			t.Fatalf("self-reported facts: %v", err)
		}
		if got.Facts.FiscalYear != 2026 || got.Facts.Verified || got.Facts.Source != "self" || got.Size.Class != standards.SizeMicro {
			t.Errorf("facts after self report = %+v, size %s", got.Facts, got.Size.Class)
		}
	})
}

func TestStaleVersionIsRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		svc := newService(t, d)
		e, _, _ := svc.Create(clerk(), machinery(20))
		if _, _, err := svc.Update(clerk(), e.ID, enterprise.Input{Version: e.Version, Address: enterprise.Some("新地址一")}); err != nil {
			t.Fatal(err)
		}
		_, _, err := svc.Update(clerk(), e.ID, enterprise.Input{Version: e.Version, Address: enterprise.Some("新地址二")})
		if !errors.Is(err, errs.ErrPrecondition) {
			t.Fatalf("stale update: %v", err)
		}
	})
}

func TestUpdateIsAuditedWithBeforeAndAfter(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		svc := newService(t, d)
		e, _, _ := svc.Create(clerk(), machinery(30))
		if _, _, err := svc.Update(clerk(), e.ID, enterprise.Input{Employees: enterprise.Some[int64](1200), RevenueFen: wan(50000)}); err != nil {
			t.Fatal(err)
		}
		recs, _, err := audit.List(as(identity.RoleAuditor), d, audit.Filter{Action: "enterprise.update", ObjectID: fmt.Sprint(e.ID)})
		if err != nil || len(recs) != 1 {
			t.Fatalf("audit records: %v %v", recs, err)
		}
		detail := string(recs[0].Detail)
		for _, want := range []string{`"before":{`, `"employees":350`, `"employees":1200`, `"size":"medium"`, `"size":"large"`} {
			if !strings.Contains(detail, want) {
				t.Errorf("audit detail %s lacks %s", detail, want)
			}
		}
		if strings.Contains(detail, `"name"`) {
			t.Errorf("unchanged fields in the audit diff: %s", detail)
		}
	})
}

func TestListFilters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		svc := newService(t, d)
		mk := func(serial int, name, region, industry string, emp int64, revWan int64, tags ...enterprise.TagInput) {
			in := machinery(serial)
			in.Name, in.RegionCode, in.IndustryCode = enterprise.Some(name), enterprise.Some(region), enterprise.Some(industry)
			in.Employees, in.RevenueFen = enterprise.Some(emp), wan(revWan)
			if tags != nil {
				in.Tags = enterprise.Some(tags)
			}
			if _, _, err := svc.Create(clerk(), in); err != nil {
				t.Fatal(err)
			}
		}
		mk(40, "重庆北碚汽车零部件有限公司", "500109001", "3670", 400, 30000, enterprise.TagInput{Code: "high_tech", ValidFrom: "2024-01-01", ValidTo: "2026-12-31"})
		mk(41, "重庆缙云摩托车配件有限公司", "500109005", "3752", 50, 800, enterprise.TagInput{Code: "high_tech", ValidFrom: "2020-01-01", ValidTo: "2022-12-31"})
		mk(42, "重庆蔡家软件科技有限公司", "500109008", "6513", 60, 900, enterprise.TagInput{Code: "高新技术企业"})
		mk(43, "重庆渝中贸易有限公司", "500103001", "5176", 8, 600)
		mk(44, "重庆渝北物流有限公司", "500112002", "5431", 30, 900)
		mk(45, "重庆綦江农机有限公司", "500110001", "3572", 30, 900)
		cases := []struct {
			name string
			f    enterprise.Filter
			want int
		}{
			{"everything", enterprise.Filter{}, 6},
			{"綦江 500110 does not match 渝北 500112", enterprise.Filter{Region: "500110"}, 1},
			{"a section letter", enterprise.Filter{Industry: "C"}, 3},
			{"a two-digit division", enterprise.Filter{Industry: "36"}, 1},
			{"a district includes its streets", enterprise.Filter{Region: "500109"}, 3},
			{"a street", enterprise.Filter{Region: "500109005"}, 1},
			{"a name fragment", enterprise.Filter{Q: "摩托车"}, 1},
			{"a credit code prefix", enterprise.Filter{Q: code(42)[:17]}, 1},
			{"a tag valid today only", enterprise.Filter{Tag: "high_tech"}, 2},
			{"a size class", enterprise.Filter{Size: "small"}, 4},
			{"an unknown industry matches nothing", enterprise.Filter{Industry: "ZZ"}, 0},
		}
		for _, c := range cases {
			page, err := svc.List(clerk(), c.f)
			if err != nil {
				t.Fatal(err)
			}
			if page.Total != c.want || len(page.Items) != c.want {
				t.Errorf("%s: total %d, items %d, want %d", c.name, page.Total, len(page.Items), c.want)
			}
		}
		page, _ := svc.List(clerk(), enterprise.Filter{PerPage: 3, Page: 2})
		if page.Total != 6 || len(page.Items) != 3 || page.Pages() != 2 {
			t.Errorf("second page of 3: %+v", page)
		}
	})
}

func TestContactIsMaskedAndRevealIsAudited(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		svc := newService(t, d)
		e, _, _ := svc.Create(clerk(), machinery(50))
		reviewer := as(identity.RoleReviewer)
		got, err := svc.Get(reviewer, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ContactPhone != "138****8888" || !got.ContactMasked {
			t.Errorf("reviewer sees %q", got.ContactPhone)
		}
		phone, err := svc.RevealContact(reviewer, e.ID)
		if err != nil || phone != "13800238888" {
			t.Fatalf("reveal: %q %v", phone, err)
		}
		recs, _, _ := audit.List(as(identity.RoleAuditor), d, audit.Filter{Action: "enterprise.reveal_contact"})
		if len(recs) != 1 || recs[0].Role != "reviewer" {
			t.Errorf("reveal not audited: %+v", recs)
		}
		if _, err := svc.RevealContact(as(identity.RoleBankStaff), e.ID); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("bank staff revealed a contact: %v", err)
		}
		if _, err := svc.RevealContact(as(identity.RoleSupervisor), e.ID); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("a supervisor revealed a contact: %v", err)
		}
	})
}

func TestConstructionIsAboveLimitByQualification(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		svc := newService(t, d)
		in := machinery(60)
		in.IndustryCode = enterprise.Some("4710")
		in.Tags = enterprise.Some([]enterprise.TagInput{{Code: enterprise.TagQualifiedLimit}})
		e, _, err := svc.Create(clerk(), in)
		if err != nil {
			t.Fatal(err)
		}
		if e.AboveScale.Status == nil || !*e.AboveScale.Status {
			t.Errorf("qualified construction firm: %v (%s)", e.AboveScale.Status, e.AboveScale.Basis.Zh)
		}
		_, _, err = svc.Update(clerk(), e.ID, enterprise.Input{Tags: enterprise.Some([]enterprise.TagInput{{Code: "no_such_tag"}})})
		if _, ok := errs.FieldsOf(err)["tags"]; !ok {
			t.Errorf("unknown tag accepted: %v", err)
		}
	})
}

func TestOnlyTagManagersEditTheVocabulary(t *testing.T) {
	d := dbtest.OpenSQLite(t)
	svc := newService(t, d)
	tag := enterprise.TagDef{Code: "gazelle", Name: enterpriseMsg("瞪羚企业", "Gazelle enterprise"), Category: "qualification", Active: true}
	if err := svc.SaveTag(clerk(), tag); !errors.Is(err, errs.ErrForbidden) {
		t.Fatalf("a clerk edited the vocabulary: %v", err)
	}
	if err := svc.SaveTag(as(identity.RoleAdmin), tag); err != nil {
		t.Fatal(err)
	}
	defs, _ := svc.Tags(context.Background(), true)
	if len(defs) != len(enterprise.DefaultTags)+1 {
		t.Errorf("vocabulary has %d entries", len(defs))
	}
}
