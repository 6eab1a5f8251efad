package standards

import "testing"

func TestTechSMEStaffPointsBandEdges(t *testing.T) {
	for _, c := range []struct {
		tech, emp, want int64
		ok              bool
	}{
		{30, 100, 20, true}, {299, 1000, 16, true}, // 30 % and 29.9 %
		{25, 100, 16, true}, {249, 1000, 12, true},
		{20, 100, 12, true}, {199, 1000, 8, true},
		{15, 100, 8, true}, {149, 1000, 4, true},
		{10, 100, 4, true}, {99, 1000, 0, true}, // the score route needs this indicator above 0
		{1, 3, 20, true}, // 33.3 %
		{0, 100, 0, true},
		{5, 0, 0, false}, // no employees: no ratio
	} {
		got, ok := TechSMEStaffPoints(c.tech, c.emp)
		if got != c.want || ok != c.ok {
			t.Errorf("staff %d/%d = %d,%v; want %d,%v", c.tech, c.emp, got, ok, c.want, c.ok)
		}
	}
}

func TestTechSMERDPointsBandEdges(t *testing.T) {
	p := func(v int64) *int64 { return &v }
	const wan = 1_000_000 // fen in 1 万元
	for _, c := range []struct {
		name        string
		rd          int64
		sales, cost *int64
		want        int64
		ok          bool
	}{
		{"sales 6%", 6 * wan, p(100 * wan), nil, 50, true},
		{"sales one fen under 6%", 6*wan - 1, p(100 * wan), p(1000 * wan), 40, true},
		{"sales 5%", 5 * wan, p(100 * wan), p(1000 * wan), 40, true},
		{"sales 4%", 4 * wan, p(100 * wan), p(1000 * wan), 30, true},
		{"sales 3%", 3 * wan, p(100 * wan), p(1000 * wan), 20, true},
		{"sales 2%", 2 * wan, p(100 * wan), p(1000 * wan), 10, true},
		{"sales one fen under 2%", 2*wan - 1, p(100 * wan), p(1000 * wan), 0, true},
		{"costs 30% beats sales 3%", 30 * wan, p(1000 * wan), p(100 * wan), 50, true},
		{"costs one fen under 30%", 30*wan - 1, p(10000 * wan), p(100 * wan), 40, true},
		{"costs 25%", 25 * wan, p(10000 * wan), p(100 * wan), 40, true},
		{"costs 20%", 20 * wan, p(10000 * wan), p(100 * wan), 30, true},
		{"costs 15%", 15 * wan, p(10000 * wan), p(100 * wan), 20, true},
		{"costs 10%", 10 * wan, p(10000 * wan), p(100 * wan), 10, true},
		{"costs one fen under 10%", 10*wan - 1, p(10000 * wan), p(100 * wan), 0, true},
		{"sales at maximum decides without costs", 6 * wan, p(100 * wan), nil, 50, true},
		{"sales below maximum: costs could still score more", 5 * wan, p(100 * wan), nil, 40, false},
		{"costs at maximum decides without sales", 30 * wan, nil, p(100 * wan), 50, true},
		{"neither base known", 30 * wan, nil, nil, 0, false},
		{"no revenue: only costs can be used", 10 * wan, p(0), p(100 * wan), 10, true},
		{"no revenue and no costs: 0", 10 * wan, p(0), p(0), 0, true},
	} {
		got, ok := TechSMERDPoints(c.rd, c.sales, c.cost)
		if got != c.want || ok != c.ok {
			t.Errorf("%s: = %d,%v; want %d,%v", c.name, got, ok, c.want, c.ok)
		}
	}
}

func TestTechSMEIPPoints(t *testing.T) {
	for _, c := range []struct{ c1, c2, want int64 }{
		{1, 0, 30}, {3, 9, 30}, {0, 4, 24}, {0, 12, 24}, {0, 3, 18}, {0, 2, 12}, {0, 1, 6}, {0, 0, 0},
	} {
		if got := TechSMEIPPoints(c.c1, c.c2); got != c.want {
			t.Errorf("ip %d/%d = %d; want %d", c.c1, c.c2, got, c.want)
		}
	}
	if TechSMEStaffMax+TechSMERDMax+TechSMEIPMax != 100 {
		t.Error("the indicators must total 100 points")
	}
}
