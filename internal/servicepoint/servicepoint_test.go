package servicepoint_test

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/servicepoint"
)

func TestCreateGetAndByCode(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		svc := servicepoint.NewService(d, sampleCatalogue)
		in := streetCentre("Tiansheng-Centre")
		in.StreetCode = "500109001000" // a 12-digit 统计用区划代码 is accepted
		in.Services = []string{"life", "party", "government", "business", "party"}
		in.Matters = []string{" QYKB-001", "GSDJ-001", "QYKB-001"}
		p, err := svc.Create(admin(), in)
		if err != nil {
			t.Fatal(err)
		}
		if p.ID == 0 || p.Code != "tiansheng-centre" || p.StreetCode != "500109001" || !p.Active {
			t.Errorf("created %+v, want id set, code lower-cased, 9-digit street, active", p)
		}
		if want := []string{"party", "government", "business", "life"}; !slices.Equal(p.Services, want) {
			t.Errorf("services = %v, want canonical order %v", p.Services, want)
		}
		if want := []string{"GSDJ-001", "QYKB-001"}; !slices.Equal(p.Matters, want) {
			t.Errorf("matters = %v, want %v", p.Matters, want)
		}
		if p.Lat == nil || *p.Lat != 29.823 || *p.Lng != 106.4215 {
			t.Errorf("coordinates = %v, %v, want 29.823, 106.4215 exactly", p.Lat, p.Lng)
		}
		if p.CreatedAt.IsZero() || !p.CreatedAt.Equal(p.UpdatedAt) {
			t.Errorf("timestamps %v / %v", p.CreatedAt, p.UpdatedAt)
		}

		// Reading is public: no principal at all.
		anon := context.Background()
		got, err := svc.Get(anon, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(p, got); diff != "" {
			t.Errorf("Get differs from Create (-created +got):\n%s", diff)
		}
		byCode, err := svc.ByCode(anon, " TIANSHENG-centre ")
		if err != nil || byCode.ID != p.ID {
			t.Errorf("ByCode = %d, %v; want %d", byCode.ID, err, p.ID)
		}
		if _, err := svc.Get(anon, p.ID+1000); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("Get(unknown) error = %v, want ErrNotFound", err)
		}
		if _, err := svc.ByCode(anon, "nowhere"); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("ByCode(unknown) error = %v, want ErrNotFound", err)
		}

		_, err = svc.Create(admin(), streetCentre("tiansheng-centre"))
		if !errors.Is(err, errs.ErrConflict) {
			t.Errorf("second point with the same code: error = %v, want ErrConflict", err)
		}
	})
}

func TestCreateReportsEveryInvalidFieldAtOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		svc := servicepoint.NewService(d, sampleCatalogue)
		bad := servicepoint.PointInput{
			Code: "天生-中心", Name: "", Tier: "district", AgencyKind: "bank", StreetCode: "500109",
			Address: "", Lat: ptr(106.42), Lng: ptr(29.82), Phone: "6828-10", Services: []string{"party", "tea"},
			Matters: []string{"QYKB-001", "NOPE-404"},
		}
		_, err := svc.Create(admin(), bad)
		if !errors.Is(err, errs.ErrInvalid) {
			t.Fatalf("error = %v, want ErrInvalid", err)
		}
		fields := errs.FieldsOf(err)
		for _, f := range []string{"code", "name", "tier", "agency_kind", "street_code", "address", "lat", "lng", "phone", "services", "matters"} {
			if _, ok := fields[f]; !ok {
				t.Errorf("no error for %s; got %v", f, fields)
			}
		}
		if n := len(auditTrail(t, d)); n != 0 {
			t.Errorf("an invalid create wrote %d audit records", n)
		}
	})
}

func TestValidationCases(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		svc := servicepoint.NewService(d, sampleCatalogue)
		cases := []struct {
			name  string
			edit  func(*servicepoint.PointInput)
			field string // "" means valid
		}{
			{"a street in another Chongqing district is valid", func(in *servicepoint.PointInput) { in.StreetCode = "500112002" }, ""},
			{"an unknown street is refused", func(in *servicepoint.PointInput) { in.StreetCode = "500109999" }, "street_code"},
			{"a district is not a street", func(in *servicepoint.PointInput) { in.StreetCode = "500109" }, "street_code"},
			{"a street outside Chongqing is refused", func(in *servicepoint.PointInput) { in.StreetCode = "110101001" }, "street_code"},
			{"latitude without longitude is refused", func(in *servicepoint.PointInput) { in.Lng = nil }, "coordinates"},
			{"no coordinates at all are fine", func(in *servicepoint.PointInput) { in.Lat, in.Lng = nil, nil }, ""},
			{"a latitude outside Chongqing is refused", func(in *servicepoint.PointInput) { in.Lat = ptr(39.9) }, "lat"},
			{"NaN is refused", func(in *servicepoint.PointInput) { in.Lng = ptr(math.NaN()) }, "lng"},
			{"a mobile phone is fine", func(in *servicepoint.PointInput) { in.Phone = "138 2300 1234" }, ""},
			{"a 400 line is fine", func(in *servicepoint.PointInput) { in.Phone = "400-820-8820" }, ""},
			{"a phone without digits enough is refused", func(in *servicepoint.PointInput) { in.Phone = "68-1" }, "phone"},
			{"no services is refused", func(in *servicepoint.PointInput) { in.Services = nil }, "services"},
			{"an agency point needs a kind", func(in *servicepoint.PointInput) { in.Tier = "agency" }, "agency_kind"},
			{"an agency point with a kind is fine", func(in *servicepoint.PointInput) { in.Tier, in.AgencyKind = "agency", "post" }, ""},
			{"an unknown agency kind is refused", func(in *servicepoint.PointInput) { in.Tier, in.AgencyKind = "agency", "casino" }, "agency_kind"},
			{"a code with a trailing hyphen is refused", func(in *servicepoint.PointInput) { in.Code = "centre-" }, "code"},
			{"a name of 101 characters is refused", func(in *servicepoint.PointInput) { in.Name = strings.Repeat("中", 101) }, "name"},
		}
		for i, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				in := streetCentre("case-" + string(rune('a'+i)) + "-point")
				c.edit(&in)
				_, err := svc.Create(admin(), in)
				if c.field == "" {
					if err != nil {
						t.Fatalf("error = %v, want none", err)
					}
					return
				}
				if _, ok := errs.FieldsOf(err)[c.field]; !ok {
					t.Fatalf("error = %v, want one on %s", err, c.field)
				}
			})
		}
	})
}

func TestNilMatterLookupSkipsTheCatalogueCheck(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		svc := servicepoint.NewService(d, nil)
		in := streetCentre("loose-centre")
		in.Matters = []string{"ANY-CODE"}
		p, err := svc.Create(admin(), in)
		if err != nil || !slices.Equal(p.Matters, []string{"ANY-CODE"}) {
			t.Fatalf("Create = %v, %v; want the code kept", p.Matters, err)
		}
	})
}

func TestUpdate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		svc := servicepoint.NewService(d, sampleCatalogue)
		p, err := svc.Create(admin(), streetCentre("tiansheng-centre"))
		if err != nil {
			t.Fatal(err)
		}
		in := streetCentre("")
		in.Hours = "工作日 8:30-12:00 14:00-18:00"
		in.Services = []string{"government", "life"}
		in.Active = ptr(false)
		in.Matters = nil // unchanged
		up, err := svc.Update(admin(), p.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if up.Code != p.Code || up.Hours != in.Hours || up.Active || !slices.Equal(up.Services, []string{"government", "life"}) {
			t.Errorf("updated %+v", up)
		}
		if !slices.Equal(up.Matters, p.Matters) {
			t.Errorf("matters = %v, want unchanged %v", up.Matters, p.Matters)
		}
		if !up.UpdatedAt.After(p.UpdatedAt) && !up.UpdatedAt.Equal(p.UpdatedAt) {
			t.Errorf("updated_at went back: %v < %v", up.UpdatedAt, p.UpdatedAt)
		}

		// Matters replace when given; Active stays when nil.
		in.Active, in.Matters = nil, []string{"YHKH-001"}
		up, err = svc.Update(admin(), p.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if up.Active || !slices.Equal(up.Matters, []string{"YHKH-001"}) {
			t.Errorf("after second update active=%v matters=%v, want inactive, [YHKH-001]", up.Active, up.Matters)
		}

		in.Code = "renamed-centre"
		_, err = svc.Update(admin(), p.ID, in)
		if _, ok := errs.FieldsOf(err)["code"]; !ok {
			t.Errorf("changing the code: error = %v, want a code field error", err)
		}
		if _, err := svc.Update(admin(), p.ID+99, streetCentre("")); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("update of unknown id: error = %v, want ErrNotFound", err)
		}

		before := len(auditTrail(t, d))
		in.Code = ""
		if _, err := svc.Update(admin(), p.ID, in); err != nil {
			t.Fatal(err)
		}
		if after := len(auditTrail(t, d)); after != before {
			t.Errorf("an update that changed nothing wrote %d audit records", after-before)
		}
	})
}

func TestPermissions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		svc := servicepoint.NewService(d, sampleCatalogue)
		p, err := svc.Create(admin(), streetCentre("tiansheng-centre"))
		if err != nil {
			t.Fatal(err)
		}

		for _, ctx := range []context.Context{as(identity.RoleWindowClerk), as(identity.RoleAgent), context.Background()} {
			if _, err := svc.Create(ctx, streetCentre("other-centre")); !errors.Is(err, errs.ErrForbidden) {
				t.Errorf("create by %v: error = %v, want ErrForbidden", identity.PrincipalFrom(ctx), err)
			}
		}
		clerk := as(identity.RoleWindowClerk)
		in := streetCentre("")
		in.Name = "改名"
		if _, err := svc.Update(clerk, p.ID, in); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("update by clerk: error = %v, want ErrForbidden", err)
		}
		if err := svc.SetMatters(clerk, p.ID, nil); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("set matters by clerk: error = %v, want ErrForbidden", err)
		}
		if got, _ := svc.Get(context.Background(), p.ID); got.Name != p.Name || len(got.Matters) != 2 {
			t.Errorf("refused edits changed the point: %+v", got)
		}

		// Anonymous reading works.
		if ps, err := svc.List(context.Background(), servicepoint.Filter{}); err != nil || len(ps) != 1 {
			t.Errorf("anonymous List = %d points, %v", len(ps), err)
		}

		in.Name = "天生街道公共服务中心（新址）"
		if _, err := svc.Update(admin(), p.ID, in); err != nil {
			t.Fatal(err)
		}

		trail := auditTrail(t, d)
		var got []string
		for _, r := range trail {
			got = append(got, r.Action+" "+r.Result+" "+r.Actor)
		}
		want := []string{
			"service_point.create ok admin1",
			"service_point.create denied window_clerk1",
			"service_point.create denied agent1",
			"service_point.create denied anonymous",
			"service_point.update denied window_clerk1",
			"service_point.set_matters denied window_clerk1",
			"service_point.update ok admin1",
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("audit trail (-want +got):\n%s", diff)
		}
		created := trail[0].Detail["after"].(map[string]any)
		if created["code"] != "tiansheng-centre" || created["tier"] != "street" {
			t.Errorf("create record after = %v", created)
		}
		upd := trail[len(trail)-1].Detail
		wantDetail := map[string]any{
			"before": map[string]any{"name": "天生街道公共服务中心"},
			"after":  map[string]any{"name": "天生街道公共服务中心（新址）"},
		}
		if diff := cmp.Diff(wantDetail, upd); diff != "" {
			t.Errorf("update record detail (-want +got):\n%s", diff)
		}
		if rep, err := audit.Verify(context.Background(), d, nil); err != nil || !rep.OK {
			t.Errorf("audit chain: %v, %v", rep, err)
		}
	})
}

func TestSetMatters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		svc := servicepoint.NewService(d, sampleCatalogue)
		p, err := svc.Create(admin(), streetCentre("tiansheng-centre"))
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.SetMatters(admin(), p.ID, []string{"YHKH-001", "NOPE"}); !errors.Is(err, errs.ErrInvalid) {
			t.Fatalf("unknown code: error = %v, want ErrInvalid", err)
		}
		if err := svc.SetMatters(admin(), p.ID, []string{"YHKH-001", "GTDJ-001", "YHKH-001"}); err != nil {
			t.Fatal(err)
		}
		got, _ := svc.Get(context.Background(), p.ID)
		if want := []string{"GTDJ-001", "YHKH-001"}; !slices.Equal(got.Matters, want) {
			t.Errorf("matters = %v, want %v", got.Matters, want)
		}
		if err := svc.SetMatters(admin(), p.ID, []string{"GTDJ-001", "YHKH-001"}); err != nil {
			t.Fatal(err)
		}
		trail := auditTrail(t, d)
		last := trail[len(trail)-1]
		if len(trail) != 2 || last.Action != "service_point.set_matters" {
			t.Fatalf("audit trail %+v, want create + one set_matters (the repeat is not recorded)", trail)
		}
		wantDetail := map[string]any{"before": []any{"GSDJ-001", "QYKB-001"}, "after": []any{"GTDJ-001", "YHKH-001"}}
		if diff := cmp.Diff(wantDetail, last.Detail); diff != "" {
			t.Errorf("set_matters detail (-want +got):\n%s", diff)
		}
		if err := svc.SetMatters(admin(), p.ID+50, nil); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("unknown point: error = %v, want ErrNotFound", err)
		}
	})
}
