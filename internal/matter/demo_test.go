package matter_test

import (
	"slices"
	"testing"

	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/matter"
	"github.com/qinqing/qinqing/internal/seed"
)

func seedDepartments() map[string]seed.Department {
	out := map[string]seed.Department{}
	for _, d := range seed.Departments {
		out[d.Code] = d
	}
	return out
}

func TestEveryDemoMatterPassesValidation(t *testing.T) {
	cat := matter.DemoCatalogue()
	if len(cat) < 150 {
		t.Errorf("demo catalogue has %d matters, want at least 150", len(cat))
	}
	deps := seedDepartments()
	codes := map[string]string{}
	for _, in := range cat {
		if err := in.Validate(); err != nil {
			t.Errorf("%s %s: %v", in.Code, in.Name, errs.FieldsOf(err))
		}
		if prev, dup := codes[in.Code]; dup {
			t.Errorf("code %s used by %s and %s", in.Code, prev, in.Name)
		}
		codes[in.Code] = in.Name
		if _, ok := deps[in.DepartmentCode]; !ok {
			t.Errorf("%s: department %s is not in seed.Departments", in.Name, in.DepartmentCode)
		}
		for _, m := range in.Materials {
			if m.Source == matter.SourceDepartment {
				if _, ok := deps[m.SourceRef]; !ok {
					t.Errorf("%s: material %s comes from unknown department %s", in.Name, m.Name, m.SourceRef)
				}
			}
		}
	}
}

func TestDemoDepartmentsMatchTheSeed(t *testing.T) {
	deps := seedDepartments()
	for _, code := range matter.DemoDepartmentCodes() {
		d, ok := deps[code]
		if !ok {
			t.Errorf("demo department %s is not in seed.Departments", code)
			continue
		}
		if got := matter.DemoDepartmentPhone(code); got != d.Phone {
			t.Errorf("%s phone %s, seed has %s", code, got, d.Phone)
		}
	}
}

func TestDemoBundlesReferToDemoMatters(t *testing.T) {
	codes := map[string]bool{}
	for _, in := range matter.DemoCatalogue() {
		codes[in.Code] = true
	}
	bundles := matter.DemoBundles()
	if len(bundles) < 5 {
		t.Errorf("%d demo bundles, want at least 5", len(bundles))
	}
	for _, b := range bundles {
		for _, c := range b.MemberCodes {
			if !codes[c] {
				t.Errorf("bundle %s: member %s is not a demo matter", b.Code, c)
			}
		}
		if distinct := slices.Compact(slices.Sorted(slices.Values(b.MemberCodes))); len(distinct) != len(b.MemberCodes) || len(distinct) < 2 {
			t.Errorf("bundle %s members %v: want at least 2, none twice", b.Code, b.MemberCodes)
		}
	}
}
