package servicepoint_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/servicepoint"
)

// uuidRE matches a UUID of version 5 with the RFC 4122 variant.
var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// requiredFields are the required properties of each HSDS 3.0 schema used
// (schema/*.json "required" on the 3.0 branch of openreferral/specification).
var requiredFields = map[string][]string{
	"organization":        {"id", "name", "description"},
	"location":            {"id", "location_type"},
	"address":             {"id", "address_1", "city", "state_province", "postal_code", "country", "address_type"},
	"phone":               {"id", "number"},
	"schedule":            {"id"},
	"service":             {"id", "name", "status"},
	"service_at_location": {"id"},
	"attribute":           {"id", "link_type"},
	"taxonomy_term":       {"id", "name", "description"},
}

type hsdsChecker struct {
	t   *testing.T
	ids map[string]string // id → where first seen
}

// record checks that obj, an HSDS record of schema kind at path, has the
// required fields, that its id is a UUIDv5, and that no two records of
// different kinds share an id.
func (c *hsdsChecker) record(kind, path string, obj map[string]any) {
	c.t.Helper()
	for _, f := range requiredFields[kind] {
		if _, ok := obj[f]; !ok {
			c.t.Errorf("%s (%s) lacks required field %q", path, kind, f)
		}
	}
	id, _ := obj["id"].(string)
	if !uuidRE.MatchString(id) {
		c.t.Errorf("%s id %q is not a version-5 UUID", path, id)
	}
	key := kind + ":" + id
	if kind == "taxonomy_term" {
		return // the same term is nested under every attribute that uses it
	}
	if prev, dup := c.ids[id]; dup {
		c.t.Errorf("%s id %s already used by %s", path, id, prev)
	}
	c.ids[id] = key
}

func list(obj map[string]any, field string) []map[string]any {
	arr, _ := obj[field].([]any)
	out := make([]map[string]any, len(arr))
	for i, v := range arr {
		out[i], _ = v.(map[string]any)
	}
	return out
}

func exportHSDS(t *testing.T, svc *servicepoint.Service) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := svc.ExportHSDS(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestExportHSDS(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		svc := servicepoint.NewService(d, sampleCatalogue)
		if err := servicepoint.EnsureDemo(seedCtx(), d, svc, sampleCatalogue); err != nil {
			t.Fatal(err)
		}
		// An inactive point stays out of the published directory.
		closed, _ := svc.ByCode(context.Background(), "jindaoxia-pianyan")
		in := servicepoint.PointInput{Name: closed.Name, Tier: closed.Tier, StreetCode: closed.StreetCode, Address: closed.Address,
			Services: closed.Services, Active: ptr(false)}
		if _, err := svc.Update(admin(), closed.ID, in); err != nil {
			t.Fatal(err)
		}
		active, _ := svc.List(context.Background(), servicepoint.Filter{ActiveOnly: true})

		out := exportHSDS(t, svc)
		var doc []map[string]any
		if err := json.Unmarshal(out, &doc); err != nil {
			t.Fatalf("export is not a JSON array of objects: %v", err)
		}
		if len(doc) != 1 {
			t.Fatalf("%d organizations, want 1", len(doc))
		}
		c := &hsdsChecker{t: t, ids: map[string]string{}}
		org := doc[0]
		c.record("organization", "organization", org)
		for i, ph := range list(org, "phones") {
			c.record("phone", fmt.Sprintf("organization.phones[%d]", i), ph)
		}

		locations := list(org, "locations")
		if len(locations) != len(active) {
			t.Fatalf("%d locations, want one per active point (%d)", len(locations), len(active))
		}
		locIDs := map[string]string{} // location id → point code
		for i, loc := range locations {
			path := fmt.Sprintf("locations[%d]", i)
			c.record("location", path, loc)
			code := loc["external_identifier"].(string)
			locIDs[loc["id"].(string)] = code
			if loc["location_type"] != "physical" || loc["organization_id"] != org["id"] {
				t.Errorf("%s: type %v, organization %v", path, loc["location_type"], loc["organization_id"])
			}
			if lat, _ := loc["latitude"].(float64); lat < 29.6 || lat > 30.1 {
				t.Errorf("%s latitude %v is not in Beibei", path, loc["latitude"])
			}
			addrs := list(loc, "addresses")
			if len(addrs) != 1 {
				t.Fatalf("%s has %d addresses", path, len(addrs))
			}
			a := addrs[0]
			c.record("address", path+".addresses[0]", a)
			if a["country"] != "CN" || a["city"] != "重庆市" || a["region"] != "北碚区" || a["postal_code"] != "400700" || a["location_id"] != loc["id"] {
				t.Errorf("%s address %v", path, a)
			}
			if l1 := a["address_1"].(string); strings.HasPrefix(l1, "重庆市") || l1 == "" {
				t.Errorf("%s address_1 %q repeats the city or is empty", path, l1)
			}
			for j, ph := range list(loc, "phones") {
				c.record("phone", fmt.Sprintf("%s.phones[%d]", path, j), ph)
			}
			scheds := list(loc, "schedules")
			if len(scheds) == 0 {
				t.Errorf("%s has no schedules", path)
			}
			for j, s := range scheds {
				c.record("schedule", fmt.Sprintf("%s.schedules[%d]", path, j), s)
			}
			tiers := 0
			for j, a := range list(loc, "attributes") {
				ap := fmt.Sprintf("%s.attributes[%d]", path, j)
				c.record("attribute", ap, a)
				term, _ := a["taxonomy_term"].(map[string]any)
				c.record("taxonomy_term", ap+".taxonomy_term", term)
				if id, _ := term["taxonomy_id"].(string); !uuidRE.MatchString(id) || term["taxonomy"] == "" {
					t.Errorf("%s names no taxonomy: %v", ap, term)
				}
				if a["taxonomy_term_id"] != term["id"] || a["link_id"] != loc["id"] {
					t.Errorf("%s links %v / %v", ap, a["taxonomy_term_id"], a["link_id"])
				}
				if a["link_type"] == "service_point_tier" {
					tiers++
				}
			}
			if tiers != 1 {
				t.Errorf("%s has %d tier attributes", path, tiers)
			}
		}
		for _, code := range locIDs {
			if code == "jindaoxia-pianyan" {
				t.Error("the inactive point was exported")
			}
		}

		services := list(org, "services")
		var names []string
		for i, s := range services {
			path := fmt.Sprintf("services[%d]", i)
			c.record("service", path, s)
			names = append(names, s["name"].(string))
			if s["status"] != "active" {
				t.Errorf("%s status %v", path, s["status"])
			}
			for j, a := range list(s, "attributes") {
				c.record("attribute", fmt.Sprintf("%s.attributes[%d]", path, j), a)
			}
			sals := list(s, "service_at_locations")
			if len(sals) == 0 {
				t.Errorf("%s is offered nowhere", path)
			}
			for j, sal := range sals {
				c.record("service_at_location", fmt.Sprintf("%s.service_at_locations[%d]", path, j), sal)
				if _, ok := locIDs[sal["location_id"].(string)]; !ok || sal["service_id"] != s["id"] {
					t.Errorf("%s.service_at_locations[%d] links to %v / %v", path, j, sal["location_id"], sal["service_id"])
				}
			}
		}
		if want := []string{"党务服务", "政务服务", "商务服务", "生活服务"}; !slices.Equal(names, want) {
			t.Errorf("services %v, want %v", names, want)
		}

		// Matters are named through the catalogue when it can name them.
		if !bytes.Contains(out, []byte(`"name":"银行开户预约"`)) {
			t.Error("the export does not name matter YHKH-001")
		}

		// Stable: the same ids on every run, and derived from the code alone.
		if again := exportHSDS(t, svc); !bytes.Equal(out, again) {
			t.Error("two exports of the same network differ")
		}
		const tianshengCentre = "84d36385-d36d-5e10-9ef5-6f8c3206f6b8"
		if locIDs[tianshengCentre] != "tiansheng-centre" {
			t.Errorf("tiansheng-centre's location id changed; ids: %v", locIDs)
		}
	})
}
