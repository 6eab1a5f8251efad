package servicepoint_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/servicepoint"
)

// smallNetwork creates six points across tiers, streets and districts.
func smallNetwork(t *testing.T, svc *servicepoint.Service) {
	t.Helper()
	pts := []servicepoint.PointInput{
		{Code: "bank-cqrcb", Name: "重庆农商行北碚支行营业部", Tier: "agency", AgencyKind: "bank", StreetCode: "500109002",
			Address: "北京路 88 号", Services: []string{"business"}, Matters: []string{"YHKH-001", "QYKB-001"}},
		{Code: "park-caijia", Name: "蔡家组团产业园党群服务中心", Tier: "park", StreetCode: "500109006",
			Address: "嘉运大道 166 号", Services: []string{"party", "business"}, Matters: []string{"QYKB-001"}},
		{Code: "tiansheng-b", Name: "天生街道双元社区便民服务中心", Tier: "community", StreetCode: "500109001",
			Address: "双元路 3 号", Services: []string{"party", "government", "life"}, Matters: []string{"SBDJ-001"}},
		{Code: "tiansheng-a", Name: "天生街道天生社区便民服务中心", Tier: "community", StreetCode: "500109001",
			Address: "天生二路 3 号", Services: []string{"party", "government", "life"}, Matters: []string{"SBDJ-001"}, Active: ptr(false)},
		{Code: "chaoyang-centre", Name: "朝阳街道公共服务中心", Tier: "street", StreetCode: "500109002",
			Address: "朝阳路 25 号", Services: []string{"party", "government", "business", "life"}, Matters: []string{"QYKB-001", "SBDJ-001", "YHKH-001"}},
		{Code: "shuanglonghu-centre", Name: "双龙湖街道公共服务中心", Tier: "street", StreetCode: "500112002",
			Address: "双龙大道 1 号", Services: []string{"party", "government", "business", "life"}, Matters: []string{"QYKB-001"}},
		{Code: "tiansheng-centre", Name: "天生街道公共服务中心", Tier: "street", StreetCode: "500109001",
			Address: "天生路 85 号", Services: []string{"party", "government", "business", "life"}, Matters: []string{"QYKB-001", "SBDJ-001"}},
	}
	for _, in := range pts {
		if _, err := svc.Create(admin(), in); err != nil {
			t.Fatalf("create %s: %v", in.Code, err)
		}
	}
}

func TestListFiltersAndOrder(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		svc := servicepoint.NewService(d, sampleCatalogue)
		smallNetwork(t, svc)
		anon := context.Background()
		cases := []struct {
			name string
			f    servicepoint.Filter
			want []string
		}{
			{"everything, by tier then street then name", servicepoint.Filter{},
				[]string{"tiansheng-centre", "chaoyang-centre", "shuanglonghu-centre", "tiansheng-b", "tiansheng-a", "park-caijia", "bank-cqrcb"}},
			{"one tier", servicepoint.Filter{Tier: "community"}, []string{"tiansheng-b", "tiansheng-a"}},
			{"one street", servicepoint.Filter{Street: "500109002"}, []string{"chaoyang-centre", "bank-cqrcb"}},
			{"the district of Beibei", servicepoint.Filter{Street: "500109"},
				[]string{"tiansheng-centre", "chaoyang-centre", "tiansheng-b", "tiansheng-a", "park-caijia", "bank-cqrcb"}},
			{"another district", servicepoint.Filter{Street: "500112"}, []string{"shuanglonghu-centre"}},
			{"a service", servicepoint.Filter{Service: "business"},
				[]string{"tiansheng-centre", "chaoyang-centre", "shuanglonghu-centre", "park-caijia", "bank-cqrcb"}},
			{"a matter", servicepoint.Filter{Matter: "YHKH-001"}, []string{"chaoyang-centre", "bank-cqrcb"}},
			{"active only", servicepoint.Filter{Tier: "community", ActiveOnly: true}, []string{"tiansheng-b"}},
			{"every filter at once", servicepoint.Filter{Tier: "street", Street: "500109", Service: "life", Matter: "SBDJ-001", ActiveOnly: true},
				[]string{"tiansheng-centre", "chaoyang-centre"}},
			{"nothing matches", servicepoint.Filter{Matter: "GTDJ-001"}, []string{}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				got, err := svc.List(anon, c.f)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(c.want, codes(got)); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
			})
		}

		all, _ := svc.List(anon, servicepoint.Filter{Tier: "agency"})
		if len(all) != 1 || len(all[0].Matters) != 2 || all[0].AgencyKind != "bank" {
			t.Errorf("List loads matters and kind: %+v", all)
		}

		_, err := svc.List(anon, servicepoint.Filter{Tier: "palace", Street: "999999", Service: "tea"})
		fields := errs.FieldsOf(err)
		if !errors.Is(err, errs.ErrInvalid) || len(fields) != 3 {
			t.Errorf("bad filter: error = %v, want ErrInvalid on tier, street and service", err)
		}
	})
}

func TestPointsForMatterAndAccepts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		svc := servicepoint.NewService(d, sampleCatalogue)
		smallNetwork(t, svc)
		anon := context.Background()

		got, err := svc.PointsForMatter(anon, "SBDJ-001")
		if err != nil {
			t.Fatal(err)
		}
		// tiansheng-a accepts it too but is inactive.
		if diff := cmp.Diff([]string{"tiansheng-centre", "chaoyang-centre", "tiansheng-b"}, codes(got)); diff != "" {
			t.Errorf("PointsForMatter (-want +got):\n%s", diff)
		}

		cases := []struct {
			point, matter string
			want          bool
		}{
			{"bank-cqrcb", "YHKH-001", true},
			{"BANK-CQRCB", "YHKH-001", true},
			{"bank-cqrcb", "SBDJ-001", false},
			{"tiansheng-a", "SBDJ-001", false}, // inactive points accept nothing
			{"tiansheng-b", "SBDJ-001", true},
		}
		for _, c := range cases {
			ok, err := svc.Accepts(anon, c.point, c.matter)
			if err != nil || ok != c.want {
				t.Errorf("Accepts(%s, %s) = %v, %v; want %v", c.point, c.matter, ok, err, c.want)
			}
		}
		if _, err := svc.Accepts(anon, "no-such-point", "SBDJ-001"); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("Accepts for an unknown point: error = %v, want ErrNotFound", err)
		}

		// Taking a matter away shows at once.
		bank, _ := svc.ByCode(anon, "bank-cqrcb")
		if err := svc.SetMatters(admin(), bank.ID, []string{"QYKB-001"}); err != nil {
			t.Fatal(err)
		}
		if ok, _ := svc.Accepts(anon, "bank-cqrcb", "YHKH-001"); ok {
			t.Error("the bank still accepts YHKH-001 after it was removed")
		}
	})
}
