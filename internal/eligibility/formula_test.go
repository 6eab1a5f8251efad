package eligibility

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/qinqing/qinqing/internal/errs"
)

func mustFormula(t *testing.T, src string) *Formula {
	t.Helper()
	f, err := CompileFormula(Default, src, "benefit.formula")
	if err != nil {
		t.Fatalf("CompileFormula(%q): %v", src, err)
	}
	return f
}

func TestFormulaAmounts(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		vals    map[string]any
		wantFen int64
	}{
		{"10 % of R&D under the cap", "min(rd_expense * 0.1, 500000)", map[string]any{"rd_expense": 3_000_000}, 30_000_000},
		{"10 % of R&D exactly at the cap", "min(rd_expense * 0.1, 500000)", map[string]any{"rd_expense": 5_000_000}, 50_000_000},
		{"10 % of R&D one fen over the cap's base", "min(rd_expense * 0.1, 500000)", map[string]any{"rd_expense": 5_000_000.01}, 50_000_000},
		{"10 % of R&D capped", "min(rd_expense * 0.1, 500000)", map[string]any{"rd_expense": 6_000_000}, 50_000_000},
		{"half a fen rounds up: 10 % of 12345.65 yuan is 1234.57", "rd_expense * 0.1", map[string]any{"rd_expense": 12345.65}, 123457},
		{"half a fen rounds up: 15 % of 0.10 yuan is 0.02", "rd_expense * 0.15", map[string]any{"rd_expense": 0.10}, 2},
		{"under half a fen rounds down: 5 % of 1234567.89 yuan", "taxable_income * 0.05", map[string]any{"taxable_income": 1_234_567.89}, 6_172_839},
		{"a third of a yuan", "revenue / 3", map[string]any{"revenue": 1}, 33},
		{"percent attributes read as percent", "revenue * rd_ratio / 100", map[string]any{"revenue": 50_000_000, "rd_expense": 2_345_678.91}, 234_567_891},
		{"a fixed amount per head with a floor", "max(employees * 2000, 10000)", map[string]any{"employees": 3}, 1_000_000},
		{"a conditional amount", "employees > 100 ? 200000 : 100000", map[string]any{"employees": 101}, 20_000_000},
		{"a conditional amount at its edge", "employees > 100 ? 200000 : 100000", map[string]any{"employees": 100}, 10_000_000},
		{"a whole number", "100000", nil, 10_000_000},
		{"a negative amount is nothing", "revenue - 1000000", map[string]any{"revenue": 10}, 0},
		{"floor and round", "floor(revenue / 10000) * 100 + round(0.4)", map[string]any{"revenue": 123456}, 120_000},
		{"a large amount stays exact", "assets * 0.01", map[string]any{"assets": 987_654_321_098.76}, 987_654_321_099},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustFormula(t, tt.src)
			fen, missing, ok := f.Eval(profileOf(t, "2026-06-30", tt.vals))
			if !ok || missing != nil || fen != tt.wantFen {
				t.Errorf("Eval = %d, %v, %v; want %d fen", fen, missing, ok, tt.wantFen)
			}
		})
	}
}

func TestFormulaCannotCompute(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		vals    map[string]any
		missing []string
	}{
		{"a missing input", "min(rd_expense * 0.1, 500000)", nil, []string{"rd_expense"}},
		{"every missing input, in catalogue order", "tech_staff * 1000 + rd_expense * 0.1 + employees", map[string]any{"employees": 3}, []string{"rd_expense", "tech_staff"}},
		{"a derived input names its base inputs", "revenue * rd_ratio", map[string]any{"rd_expense": 1}, []string{"revenue"}},
		{"a ratio over zero names itself", "rd_ratio * 1000", map[string]any{"revenue": 0, "rd_expense": 1}, []string{"rd_ratio"}},
		{"a division by zero is not an amount", "rd_expense / employees", map[string]any{"rd_expense": 1, "employees": 0}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fen, missing, ok := mustFormula(t, tt.src).Eval(profileOf(t, "2026-06-30", tt.vals))
			if ok || fen != 0 || !slices.Equal(missing, tt.missing) {
				t.Errorf("Eval = %d, %v, %v; want not ok, missing %v", fen, missing, ok, tt.missing)
			}
		})
	}
}

func TestFormulaRefusals(t *testing.T) {
	for _, c := range []struct{ name, src, mention string }{
		{"an unknown identifier", "profit * 0.1", "profit"},
		{"a bool attribute", "dishonest * 1", "dishonest"},
		{"a code attribute", "industry_code * 1", "industry_code"},
		{"a text result", `"100000"`, ""},
		{"a bool result", "employees > 3", ""},
		{"a list result", "[1, 2]", ""},
		{"a function outside the allowed set", `len("abc")`, "len"},
		{"the current time", "now()", "now"},
		{"unbalanced parentheses", "min(rd_expense", ""},
		{"nothing", "", ""},
	} {
		t.Run("refuses "+c.name, func(t *testing.T) {
			_, err := CompileFormula(Default, c.src, "benefit.formula")
			msg, ok := errs.FieldsOf(err)["benefit.formula"]
			if !errors.Is(err, errs.ErrInvalid) || !ok || msg.Zh == "" || msg.En == "" {
				t.Fatalf("got %v", err)
			}
			if c.mention != "" && !strings.Contains(msg.En, c.mention) {
				t.Errorf("message does not name %q: %s", c.mention, msg.En)
			}
		})
	}
}

func TestFormulaAttributes(t *testing.T) {
	f := mustFormula(t, "min(rd_expense * 0.1, tech_staff * 1000 + rd_expense)")
	if got := f.Attributes(); !slices.Equal(got, []string{"rd_expense", "tech_staff"}) {
		t.Errorf("Attributes() = %v", got)
	}
	if f.Source() != "min(rd_expense * 0.1, tech_staff * 1000 + rd_expense)" || !strings.Contains(f.String(), f.Source()) {
		t.Errorf("Source() = %q, String() = %q", f.Source(), f.String())
	}
}

func TestRoundFen(t *testing.T) {
	for yuan, want := range map[float64]int64{
		0.005: 1, 0.0049: 0, -0.005: -1, 1234.565: 123457, 1.005: 101, 2.675: 268, 0: 0,
		12_345_678_901.23: 1_234_567_890_123, // beyond the snap, whole fen stay exact
	} {
		if got := roundFen(yuan); got != want {
			t.Errorf("roundFen(%v) = %d, want %d", yuan, got, want)
		}
	}
}
