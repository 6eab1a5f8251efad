package servicepoint_test

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/servicepoint"
	"github.com/qinqing/qinqing/internal/standards"
)

func TestEnsureDemo(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		svc := servicepoint.NewService(d, sampleCatalogue)
		if err := servicepoint.EnsureDemo(seedCtx(), d, svc, sampleCatalogue); err != nil {
			t.Fatal(err)
		}
		anon := context.Background()
		all, err := svc.List(anon, servicepoint.Filter{Street: "500109"})
		if err != nil {
			t.Fatal(err)
		}

		t.Run("every Beibei street has a centre and at least two communities", func(t *testing.T) {
			streets := standards.RegionChildren("500109")
			if len(streets) != 17 {
				t.Fatalf("Beibei has %d streets in the standards data, want 17", len(streets))
			}
			for _, s := range streets {
				centres, _ := svc.List(anon, servicepoint.Filter{Street: s.Code, Tier: servicepoint.TierStreet})
				communities, _ := svc.List(anon, servicepoint.Filter{Street: s.Code, Tier: servicepoint.TierCommunity})
				if len(centres) != 1 || len(communities) < 2 {
					t.Errorf("%s %s: %d centres, %d communities", s.Code, s.Name, len(centres), len(communities))
				}
			}
		})

		t.Run("there are parks and banks, post offices and incubators", func(t *testing.T) {
			kinds := map[string]int{}
			for _, p := range all {
				kinds[p.Tier+"/"+p.AgencyKind]++
			}
			for _, k := range []string{"park/", "agency/bank", "agency/post", "agency/incubator", "agency/association"} {
				if kinds[k] == 0 {
					t.Errorf("no %s point; have %v", k, kinds)
				}
			}
		})

		t.Run("every point stands near its street centre", func(t *testing.T) {
			centre := map[string]servicepoint.Point{}
			for _, p := range all {
				if p.Tier == servicepoint.TierStreet {
					centre[p.StreetCode] = p
				}
			}
			for _, p := range all {
				c := centre[p.StreetCode]
				if p.Lat == nil || *p.Lat < 29.7 || *p.Lat > 30.05 || *p.Lng < 106.3 || *p.Lng > 106.7 {
					t.Errorf("%s at %v, %v: outside Beibei", p.Code, p.Lat, p.Lng)
					continue
				}
				// 0.03° is about 3 km at this latitude.
				if math.Abs(*p.Lat-*c.Lat) > 0.03 || math.Abs(*p.Lng-*c.Lng) > 0.03 {
					t.Errorf("%s is far from %s", p.Code, c.Code)
				}
			}
		})

		t.Run("services follow the tier", func(t *testing.T) {
			for _, p := range all {
				switch p.Tier {
				case servicepoint.TierStreet:
					if len(p.Services) != 4 {
						t.Errorf("%s offers %v", p.Code, p.Services)
					}
				case servicepoint.TierCommunity:
					if !slices.Equal(p.Services, []string{"party", "government", "life"}) {
						t.Errorf("%s offers %v", p.Code, p.Services)
					}
				case servicepoint.TierPark:
					if !slices.Equal(p.Services, []string{"party", "business"}) {
						t.Errorf("%s offers %v", p.Code, p.Services)
					}
				default:
					if !p.Offers("business") {
						t.Errorf("%s offers %v", p.Code, p.Services)
					}
				}
			}
		})

		t.Run("matters are assigned by what the point is", func(t *testing.T) {
			want := map[string][]string{
				"tiansheng-centre":     {"GSDJ-001", "GSDJ-002", "GTDJ-001", "GXQY-001", "JYDJ-001", "QYKB-001", "SBDJ-001", "SPJY-001", "YHKH-001", "ZLZY-001", "ZZYJ-001"},
				"tiansheng-shuangyuan": {"GTDJ-001", "JYDJ-001", "SBDJ-001"},
				"park-caijia":          {"GSDJ-001", "GSDJ-002", "GTDJ-001", "GXQY-001", "QYKB-001", "SBDJ-001", "SPJY-001", "ZLZY-001"},
				"bank-cqrcb-beibei":    {"GSDJ-001", "GTDJ-001", "QYKB-001", "YHKH-001", "ZLZY-001"},
				"post-beibei":          {"ZZYJ-001"},
				"incubator-swu-park":   {"GSDJ-001", "GSDJ-002", "GTDJ-001", "GXQY-001", "QYKB-001", "ZLZY-001"},
			}
			for code, matters := range want {
				p, err := svc.ByCode(anon, code)
				if err != nil {
					t.Fatalf("%s: %v", code, err)
				}
				if !slices.Equal(p.Matters, matters) {
					t.Errorf("%s takes in %v, want %v", code, p.Matters, matters)
				}
			}
			banks, _ := svc.PointsForMatter(anon, "YHKH-001")
			hazard, _ := svc.PointsForMatter(anon, "WHPJY-001")
			if len(banks) != 17+3 || len(hazard) != 0 {
				t.Errorf("YHKH-001 at %v; WHPJY-001 at %v", codes(banks), codes(hazard))
			}
		})

		t.Run("a second run changes nothing", func(t *testing.T) {
			trail := len(auditTrail(t, d))
			if err := servicepoint.EnsureDemo(seedCtx(), d, svc, sampleCatalogue); err != nil {
				t.Fatal(err)
			}
			again, _ := svc.List(anon, servicepoint.Filter{})
			if len(again) != len(all) || len(auditTrail(t, d)) != trail {
				t.Errorf("second run: %d points (was %d), %d audit records (was %d)", len(again), len(all), len(auditTrail(t, d)), trail)
			}
		})

		t.Run("it refuses a caller that may not edit the network", func(t *testing.T) {
			err := servicepoint.EnsureDemo(as(identity.RoleWindowClerk), d, svc, sampleCatalogue)
			if !errors.Is(err, errs.ErrForbidden) {
				t.Errorf("error = %v, want ErrForbidden", err)
			}
		})
		t.Logf("demo network: %d points", len(all))
	})
}
