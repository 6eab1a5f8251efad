package eligibility

import (
	"slices"
	"testing"
)

// TestTechSMEIndicators follows the 科技型中小企业 indicators (国科发政〔2022〕67号)
// from the facts to the derived scores, at band edges and with facts missing.
func TestTechSMEIndicators(t *testing.T) {
	for _, c := range []struct {
		name  string
		vals  map[string]any
		want  map[string]float64 // attribute → value; absent from the map: unknown
		unset []string           // attributes that must be unknown
	}{
		{name: "a full profile at band edges: 30 % staff, 6 % R&D, one invention patent",
			vals: map[string]any{"employees": 100, "tech_staff": 30, "rd_expense": 600_000, "revenue": 10_000_000, "total_costs": 9_000_000, "ip_class1": 1, "ip_class2": 0},
			want: map[string]float64{"tsme_staff_points": 20, "tsme_rd_points": 50, "tsme_ip_points": 30, "tsme_score": 100}},
		{name: "exactly 60: 25 % staff, 3 % R&D over sales, 4 class II rights",
			vals: map[string]any{"employees": 100, "tech_staff": 25, "rd_expense": 300_000, "revenue": 10_000_000, "total_costs": 10_000_000, "ip_class1": 0, "ip_class2": 4},
			want: map[string]float64{"tsme_staff_points": 16, "tsme_rd_points": 20, "tsme_ip_points": 24, "tsme_score": 60}},
		{name: "10 % staff, 4 % R&D, 4 class II rights: 58",
			vals: map[string]any{"employees": 100, "tech_staff": 10, "rd_expense": 400_000, "revenue": 10_000_000, "total_costs": 10_000_000, "ip_class1": 0, "ip_class2": 4},
			want: map[string]float64{"tsme_staff_points": 4, "tsme_rd_points": 30, "tsme_ip_points": 24, "tsme_score": 58}},
		{name: "R&D over costs scores higher than over sales",
			vals: map[string]any{"employees": 50, "tech_staff": 13, "rd_expense": 1_500_000, "revenue": 100_000_000, "total_costs": 10_000_000, "ip_class1": 0, "ip_class2": 3},
			want: map[string]float64{"tsme_staff_points": 16, "tsme_rd_points": 20, "tsme_ip_points": 18, "tsme_score": 54}},
		{name: "one fen under 2 % and under 10 %: no R&D points",
			vals: map[string]any{"employees": 50, "tech_staff": 4, "rd_expense": 199_999.99, "revenue": 10_000_000, "total_costs": 2_000_000, "ip_class1": 0, "ip_class2": 0},
			want: map[string]float64{"tsme_staff_points": 0, "tsme_rd_points": 0, "tsme_ip_points": 0, "tsme_score": 0}},
		{name: "a class I right decides the IP indicator without class II",
			vals: map[string]any{"ip_class1": 2},
			want: map[string]float64{"tsme_ip_points": 30}, unset: []string{"tsme_staff_points", "tsme_rd_points", "tsme_score"}},
		{name: "R&D at the maximum over sales decides without costs",
			vals: map[string]any{"rd_expense": 600_000, "revenue": 10_000_000},
			want: map[string]float64{"tsme_rd_points": 50}, unset: []string{"tsme_score"}},
		{name: "R&D below the maximum over sales waits for costs",
			vals:  map[string]any{"rd_expense": 500_000, "revenue": 10_000_000},
			unset: []string{"tsme_rd_points"}},
		{name: "no class I right and class II unknown",
			vals:  map[string]any{"ip_class1": 0},
			unset: []string{"tsme_ip_points"}},
		{name: "no employees: the staff ratio is undefined",
			vals:  map[string]any{"employees": 0, "tech_staff": 0},
			unset: []string{"tsme_staff_points"}},
		{name: "high-tech revenue share",
			vals: map[string]any{"hightech_revenue": 6_000_000, "revenue": 10_000_000},
			want: map[string]float64{"hightech_revenue_ratio": 60}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := profileOf(t, "2026-06-30", c.vals)
			for name, want := range c.want {
				v, ok := p.Get(name)
				if !ok || v.Num != want {
					t.Errorf("%s = %v (known %v); want %v", name, v.Num, ok, want)
				}
			}
			for _, name := range c.unset {
				if v, ok := p.Get(name); ok {
					t.Errorf("%s = %v; want unknown", name, v.Num)
				}
			}
		})
	}
}

// TestTechSMEMissingFacts checks that an undecided score asks for the facts
// that could decide it, and only those.
func TestTechSMEMissingFacts(t *testing.T) {
	rule := mustParse(t, `{"attr":"tsme_score","op":"ge","value":60}`)
	for _, c := range []struct {
		name string
		vals map[string]any
		want []string
	}{
		{"R&D over sales below the maximum: total costs",
			map[string]any{"employees": 100, "tech_staff": 30, "rd_expense": 300_000, "revenue": 10_000_000, "ip_class1": 1},
			[]string{"total_costs"}},
		{"R&D over sales at the maximum, no IP facts",
			map[string]any{"employees": 100, "tech_staff": 30, "rd_expense": 600_000, "revenue": 10_000_000},
			[]string{"ip_class1", "ip_class2"}},
		{"a class I right: class II is not asked",
			map[string]any{"employees": 100, "rd_expense": 600_000, "revenue": 10_000_000, "ip_class1": 1},
			[]string{"tech_staff"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := evaluate(t, rule, profileOf(t, "2026-06-30", c.vals))
			if res.Outcome != Unknown {
				t.Fatalf("outcome %v; want unknown", res.Outcome)
			}
			got := slices.Clone(res.Missing)
			slices.Sort(got)
			if !slices.Equal(got, c.want) {
				t.Errorf("missing %v; want %v", got, c.want)
			}
		})
	}
}
