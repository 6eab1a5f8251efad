package eligibility

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/standards"
)

// mustParse compiles a condition tree written in JSON.
func mustParse(t testing.TB, src string) *Rule {
	t.Helper()
	r, err := Parse(Default, []byte(src), "conditions")
	if err != nil {
		t.Fatalf("Parse(%s): %v", src, err)
	}
	return r
}

// profileOf builds a profile from values in external units.
func profileOf(t testing.TB, asOf string, vals map[string]any) *Profile {
	t.Helper()
	p, err := ProfileOf(Default, asOf, vals, "profile")
	if err != nil {
		t.Fatalf("ProfileOf(%v): %v", vals, err)
	}
	return p
}

// leafRule is a rule of one comparison.
func leafRule(t testing.TB, attr string, op Op, value string) *Rule {
	t.Helper()
	src := fmt.Sprintf(`{"attr":%q,"op":%q}`, attr, op)
	if value != "" {
		src = fmt.Sprintf(`{"attr":%q,"op":%q,"value":%s}`, attr, op, value)
	}
	return mustParse(t, src)
}

// evaluate checks that the explained and the fast evaluation agree, that a
// decided result lists nothing missing and an unknown one something, and
// returns the explained result.
func evaluate(t testing.TB, r *Rule, p *Profile) Result {
	t.Helper()
	res := r.Evaluate(p)
	if fast := r.Outcome(p); fast != res.Outcome {
		t.Errorf("Outcome() = %s but Evaluate().Outcome = %s", fast, res.Outcome)
	}
	if (res.Outcome == Unknown) != (len(res.Missing) > 0) {
		t.Errorf("outcome %s with missing %v", res.Outcome, res.Missing)
	}
	return res
}

func truthOf(o Outcome) Truth {
	switch o {
	case Eligible:
		return Met
	case Ineligible:
		return NotMet
	}
	return TruthUnknown
}

// TestEveryOperatorOnEveryType checks each operator each type allows on both
// sides of its edge, and unknown for a missing value (except exists).
func TestEveryOperatorOnEveryType(t *testing.T) {
	type side struct {
		val  any // nil: attribute missing
		want Truth
	}
	tests := []struct {
		attr  string
		op    Op
		value string
		sides []side
	}{
		// number: employees
		{"employees", OpEq, `300`, []side{{300, Met}, {301, NotMet}, {299, NotMet}, {nil, TruthUnknown}}},
		{"employees", OpNe, `300`, []side{{300, NotMet}, {299, Met}, {nil, TruthUnknown}}},
		{"employees", OpLt, `300`, []side{{299, Met}, {300, NotMet}, {nil, TruthUnknown}}},
		{"employees", OpLe, `300`, []side{{300, Met}, {301, NotMet}, {nil, TruthUnknown}}},
		{"employees", OpGt, `300`, []side{{301, Met}, {300, NotMet}, {nil, TruthUnknown}}},
		{"employees", OpGe, `300`, []side{{300, Met}, {299, NotMet}, {nil, TruthUnknown}}},
		{"employees", OpIn, `[10, 20]`, []side{{20, Met}, {15, NotMet}, {nil, TruthUnknown}}},
		{"employees", OpNotIn, `[10, 20]`, []side{{15, Met}, {10, NotMet}, {nil, TruthUnknown}}},
		{"employees", OpBetween, `[20, 300]`, []side{{20, Met}, {300, Met}, {19, NotMet}, {301, NotMet}, {nil, TruthUnknown}}},
		{"employees", OpBetween, `[300, 300]`, []side{{300, Met}, {301, NotMet}}},
		{"employees", OpExists, ``, []side{{0, Met}, {nil, NotMet}}},
		{"employees", OpExists, `true`, []side{{0, Met}, {nil, NotMet}}},
		// money: yuan in conditions, exact to the fen
		{"taxable_income", OpEq, `0.01`, []side{{0.01, Met}, {0.02, NotMet}, {0, NotMet}, {nil, TruthUnknown}}},
		{"taxable_income", OpNe, `3000000`, []side{{3000000, NotMet}, {"3000000.01", Met}, {nil, TruthUnknown}}},
		{"taxable_income", OpLt, `3000000`, []side{{2999999.99, Met}, {3000000, NotMet}, {nil, TruthUnknown}}},
		{"taxable_income", OpLe, `3000000`, []side{{3000000, Met}, {3000000.01, NotMet}, {"3,000,000.00", Met}, {nil, TruthUnknown}}},
		{"taxable_income", OpGt, `3000000`, []side{{3000000.01, Met}, {3000000, NotMet}, {nil, TruthUnknown}}},
		{"taxable_income", OpGe, `3000000.00`, []side{{3000000, Met}, {2999999.99, NotMet}, {nil, TruthUnknown}}},
		{"taxable_income", OpIn, `[100, 200.5]`, []side{{200.5, Met}, {200.51, NotMet}, {nil, TruthUnknown}}},
		{"taxable_income", OpNotIn, `[100, 200.5]`, []side{{200.49, Met}, {100, NotMet}, {nil, TruthUnknown}}},
		{"taxable_income", OpBetween, `[1000000, 3000000]`, []side{{1000000, Met}, {3000000, Met}, {999999.99, NotMet}, {3000000.01, NotMet}, {nil, TruthUnknown}}},
		{"taxable_income", OpExists, ``, []side{{0, Met}, {nil, NotMet}}},
		// date: YYYY-MM-DD
		{"registered_on", OpEq, `"2023-01-01"`, []side{{"2023-01-01", Met}, {"2023-01-02", NotMet}, {nil, TruthUnknown}}},
		{"registered_on", OpNe, `"2023-01-01"`, []side{{"2023-01-01", NotMet}, {"2022-12-31", Met}, {nil, TruthUnknown}}},
		{"registered_on", OpLt, `"2023-01-01"`, []side{{"2022-12-31", Met}, {"2023-01-01", NotMet}, {nil, TruthUnknown}}},
		{"registered_on", OpLe, `"2023-01-01"`, []side{{"2023-01-01", Met}, {"2023-01-02", NotMet}, {nil, TruthUnknown}}},
		{"registered_on", OpGt, `"2023-01-01"`, []side{{"2023-01-02", Met}, {"2023-01-01", NotMet}, {nil, TruthUnknown}}},
		{"registered_on", OpGe, `"2023-01-01"`, []side{{"2023-01-01", Met}, {"2022-12-31", NotMet}, {nil, TruthUnknown}}},
		{"registered_on", OpBetween, `["2023-01-01", "2023-12-31"]`, []side{{"2023-01-01", Met}, {"2023-12-31", Met}, {"2022-12-31", NotMet}, {"2024-01-01", NotMet}, {nil, TruthUnknown}}},
		{"registered_on", OpExists, ``, []side{{"2023-01-01", Met}, {nil, NotMet}}},
		// code: open vocabulary
		{"industry_code", OpEq, `"3670"`, []side{{"3670", Met}, {"367", NotMet}, {nil, TruthUnknown}}},
		{"industry_code", OpNe, `"3670"`, []side{{"3670", NotMet}, {"3671", Met}, {nil, TruthUnknown}}},
		{"industry_code", OpIn, `["3670", "3660"]`, []side{{"3660", Met}, {"3650", NotMet}, {nil, TruthUnknown}}},
		{"industry_code", OpNotIn, `["3670", "3660"]`, []side{{"3650", Met}, {"3670", NotMet}, {nil, TruthUnknown}}},
		{"industry_code", OpPrefix, `"16"`, []side{{"1610", Met}, {"16", Met}, {"1", NotMet}, {"3616", NotMet}, {nil, TruthUnknown}}},
		{"industry_code", OpPrefix, `["16", "70"]`, []side{{"7010", Met}, {"1620", Met}, {"3670", NotMet}, {nil, TruthUnknown}}},
		{"industry_code", OpPrefix, `["16"]`, []side{{"1610", Met}, {"1710", NotMet}}},
		{"industry_code", OpExists, ``, []side{{"3670", Met}, {nil, NotMet}}},
		// code: closed vocabulary
		{"tax_credit_grade", OpEq, `"A"`, []side{{"A", Met}, {"B", NotMet}, {nil, TruthUnknown}}},
		{"tax_credit_grade", OpIn, `["A", "B"]`, []side{{"B", Met}, {"M", NotMet}, {nil, TruthUnknown}}},
		{"tax_credit_grade", OpNotIn, `["C", "D"]`, []side{{"M", Met}, {"D", NotMet}, {nil, TruthUnknown}}},
		// bool
		{"dishonest", OpEq, `false`, []side{{false, Met}, {true, NotMet}, {nil, TruthUnknown}}},
		{"dishonest", OpEq, `true`, []side{{true, Met}, {false, NotMet}, {nil, TruthUnknown}}},
		{"dishonest", OpNe, `true`, []side{{false, Met}, {true, NotMet}, {nil, TruthUnknown}}},
		{"dishonest", OpExists, ``, []side{{false, Met}, {nil, NotMet}}},
		// set
		{"tags", OpHas, `"high_tech"`, []side{{[]any{"high_tech", "specialized"}, Met}, {[]any{"specialized"}, NotMet}, {[]any{}, NotMet}, {nil, TruthUnknown}}},
		{"tags", OpHasAny, `["high_tech", "tech_sme"]`, []side{{[]any{"tech_sme"}, Met}, {[]any{"specialized"}, NotMet}, {[]any{}, NotMet}, {nil, TruthUnknown}}},
		{"tags", OpHasAll, `["high_tech", "tech_sme"]`, []side{{[]any{"tech_sme", "high_tech", "x"}, Met}, {[]any{"tech_sme"}, NotMet}, {[]any{}, NotMet}, {nil, TruthUnknown}}},
		{"tags", OpExists, ``, []side{{[]any{}, Met}, {nil, NotMet}}},
	}
	covered := map[Type]map[Op]bool{}
	for _, tt := range tests {
		a, _ := Default.Lookup(tt.attr)
		if covered[a.Type] == nil {
			covered[a.Type] = map[Op]bool{}
		}
		covered[a.Type][tt.op] = true
		r := leafRule(t, tt.attr, tt.op, tt.value)
		for _, s := range tt.sides {
			t.Run(fmt.Sprintf("%s %s %s with %v is %s", tt.attr, tt.op, tt.value, s.val, s.want), func(t *testing.T) {
				vals := map[string]any{}
				if s.val != nil {
					vals[tt.attr] = s.val
				}
				res := evaluate(t, r, profileOf(t, "2026-06-30", vals))
				if got := truthOf(res.Outcome); got != s.want {
					t.Fatalf("outcome %s, want %s; %s", res.Outcome, s.want, res.Checks[0].Text.Zh)
				}
				if len(res.Checks) != 1 || res.Checks[0].Result != s.want {
					t.Fatalf("checks %+v", res.Checks)
				}
				if s.want == TruthUnknown && !slices.Equal(res.Missing, []string{tt.attr}) {
					t.Errorf("missing %v, want [%s]", res.Missing, tt.attr)
				}
			})
		}
	}
	// Percent is covered by TestPercentBoundariesAreExact; every other
	// type must have had every operator it allows tried above.
	for _, typ := range []Type{TypeNumber, TypeMoney, TypeDate, TypeCode, TypeBool, TypeSet} {
		for _, op := range Ops(typ) {
			if !covered[typ][op] {
				t.Errorf("operator %s on type %s is not tested", op, typ)
			}
		}
	}
}

// TestPercentBoundariesAreExact: a ratio computed from money in fen equals
// the percentage written in a rule when it is that percentage exactly, for
// every operator percent allows.
func TestPercentBoundariesAreExact(t *testing.T) {
	for _, revenueYuan := range []int64{100, 4_900_000, 50_000_000, 123_456_700, 200_000_000} {
		for k := int64(1); k <= 99; k++ {
			rd := revenueYuan * k / 100
			if rd*100 != revenueYuan*k { // the R&D expense must be whole yuan here
				continue
			}
			p := profileOf(t, "2026-06-30", map[string]any{"revenue": revenueYuan, "rd_expense": rd})
			less := profileOf(t, "2026-06-30", map[string]any{"revenue": revenueYuan, "rd_expense": fmt.Sprintf("%d.99", rd-1)})
			for _, c := range []struct {
				op               Op
				value            string
				atEdge, justLess Truth
			}{
				{OpEq, fmt.Sprint(k), Met, NotMet},
				{OpNe, fmt.Sprint(k), NotMet, Met},
				{OpGe, fmt.Sprint(k), Met, NotMet},
				{OpGt, fmt.Sprint(k), NotMet, NotMet},
				{OpLe, fmt.Sprint(k), Met, Met},
				{OpLt, fmt.Sprint(k), NotMet, Met},
				{OpBetween, fmt.Sprintf("[%d, 100]", k), Met, NotMet},
				{OpIn, fmt.Sprintf("[%d]", k), Met, NotMet},
				{OpNotIn, fmt.Sprintf("[%d]", k), NotMet, Met},
				{OpExists, "", Met, Met},
			} {
				r := leafRule(t, "rd_ratio", c.op, c.value)
				if got := truthOf(r.Outcome(p)); got != c.atEdge {
					t.Errorf("revenue %d yuan, R&D %d yuan: rd_ratio %s %s = %s, want %s", revenueYuan, rd, c.op, c.value, got, c.atEdge)
				}
				if got := truthOf(r.Outcome(less)); got != c.justLess {
					t.Errorf("revenue %d yuan, R&D one fen under %d yuan: rd_ratio %s %s = %s, want %s", revenueYuan, rd, c.op, c.value, got, c.justLess)
				}
			}
		}
	}
	t.Run("a ratio of 4.5 % meets 4.5 exactly", func(t *testing.T) {
		p := profileOf(t, "2026-06-30", map[string]any{"revenue": 1000, "rd_expense": 45})
		if got := leafRule(t, "rd_ratio", OpEq, "4.5").Outcome(p); got != Eligible {
			t.Errorf("got %s", got)
		}
	})
	t.Run("tech staff of 10 in 100 is exactly 10 %", func(t *testing.T) {
		p := profileOf(t, "2026-06-30", map[string]any{"employees": 100, "tech_staff": 10})
		if got := leafRule(t, "tech_staff_ratio", OpGe, "10").Outcome(p); got != Eligible {
			t.Errorf("got %s", got)
		}
		p = profileOf(t, "2026-06-30", map[string]any{"employees": 101, "tech_staff": 10})
		if got := leafRule(t, "tech_staff_ratio", OpGe, "10").Outcome(p); got != Ineligible {
			t.Errorf("10 in 101: got %s", got)
		}
	})
}

// TestRefusals: every operator a type does not allow, and every bad value,
// is an errs.ErrInvalid naming the offending field in both languages.
func TestRefusals(t *testing.T) {
	allOps := []Op{OpEq, OpNe, OpLt, OpLe, OpGt, OpGe, OpIn, OpNotIn, OpBetween, OpHas, OpHasAny, OpHasAll, OpPrefix, OpExists}
	sample := map[Type]string{TypeNumber: "employees", TypeMoney: "revenue", TypePercent: "rd_ratio",
		TypeBool: "dishonest", TypeCode: "industry_code", TypeDate: "registered_on", TypeSet: "tags"}
	for typ, attr := range sample {
		for _, op := range allOps {
			if slices.Contains(Ops(typ), op) {
				continue
			}
			t.Run(fmt.Sprintf("%s (%s) refuses %s", attr, typ, op), func(t *testing.T) {
				src := fmt.Sprintf(`{"all":[{"attr":"employees","op":"ge","value":1},{"any":[{"attr":%q,"op":%q,"value":1}]}]}`, attr, op)
				wantField(t, src, "conditions.all[1].any[0].op", string(op))
			})
		}
	}
	tests := []struct {
		name, src, field string
	}{
		{"a number given as text", `{"attr":"employees","op":"le","value":"300"}`, "conditions.value"},
		{"a number list for a single-value operator", `{"attr":"employees","op":"le","value":[300]}`, "conditions.value"},
		{"money below the fen", `{"attr":"revenue","op":"le","value":0.001}`, "conditions.value"},
		{"money in exponent form", `{"attr":"revenue","op":"le","value":3e6}`, "conditions.value"},
		{"a percent given as text", `{"attr":"rd_ratio","op":"ge","value":"5%"}`, "conditions.value"},
		{"in with one value, not a list", `{"attr":"employees","op":"in","value":10}`, "conditions.value"},
		{"in with an empty list", `{"attr":"industry_code","op":"in","value":[]}`, "conditions.value"},
		{"in with a bad member", `{"attr":"employees","op":"in","value":[10,"x"]}`, "conditions.value[1]"},
		{"between with one end", `{"attr":"employees","op":"between","value":[10]}`, "conditions.value"},
		{"between with three ends", `{"attr":"employees","op":"between","value":[1,2,3]}`, "conditions.value"},
		{"between upside down", `{"attr":"employees","op":"between","value":[300,20]}`, "conditions.value"},
		{"between dates upside down", `{"attr":"registered_on","op":"between","value":["2024-01-01","2023-01-01"]}`, "conditions.value"},
		{"a date without leading zeros", `{"attr":"registered_on","op":"ge","value":"2023-1-1"}`, "conditions.value"},
		{"an impossible date", `{"attr":"registered_on","op":"ge","value":"2023-02-29"}`, "conditions.value"},
		{"a bool given as text", `{"attr":"dishonest","op":"eq","value":"false"}`, "conditions.value"},
		{"an empty code", `{"attr":"industry_code","op":"eq","value":" "}`, "conditions.value"},
		{"a code given as a number", `{"attr":"industry_code","op":"eq","value":3670}`, "conditions.value"},
		{"a size class that does not exist", `{"attr":"size","op":"in","value":["small","tiny"]}`, "conditions.value[1]"},
		{"a tax grade that does not exist", `{"attr":"tax_credit_grade","op":"eq","value":"AA"}`, "conditions.value"},
		{"has_all with an empty list", `{"attr":"tags","op":"has_all","value":[]}`, "conditions.value"},
		{"has_any with a non-code", `{"attr":"tags","op":"has_any","value":[true]}`, "conditions.value[0]"},
		{"prefix with an empty list", `{"attr":"industry_code","op":"prefix","value":[]}`, "conditions.value"},
		{"exists with a value", `{"attr":"employees","op":"exists","value":1}`, "conditions.value"},
		{"a comparison without a value", `{"attr":"employees","op":"le"}`, "conditions.value"},
		{"an unknown attribute", `{"attr":"profit","op":"le","value":1}`, "conditions.attr"},
		{"an unknown operator", `{"attr":"employees","op":"lte","value":1}`, "conditions.op"},
		{"a comparison without an operator", `{"attr":"employees","value":1}`, "conditions.op"},
		{"an empty all", `{"all":[]}`, "conditions.all"},
		{"an empty any deep inside", `{"all":[{"not":{"any":[]}}]}`, "conditions.all[0].not.any"},
		{"an empty condition in a group", `{"all":[{}]}`, "conditions.all[0]"},
		{"an empty not", `{"not":{}}`, "conditions.not"},
		{"two shapes at once", `{"all":[{"attr":"employees","op":"exists"}],"attr":"employees","op":"exists"}`, "conditions"},
		{"a bad value deep in the tree", `{"all":[{"attr":"employees","op":"le","value":300},{"attr":"assets","op":"le","value":1},{"attr":"revenue","op":"le","value":"x"}]}`, "conditions.all[2].value"},
		{"an unknown key", `{"attr":"employees","op":"le","value":1,"note":"x"}`, "conditions"},
		{"not JSON", `{"attr":`, "conditions"},
		{"data after the tree", `{"attr":"employees","op":"exists"} {"attr":"revenue","op":"exists"}`, "conditions"},
		{"a list at the top", `[{"attr":"employees","op":"exists"}]`, "conditions"},
	}
	for _, tt := range tests {
		t.Run("refuses "+tt.name, func(t *testing.T) { wantField(t, tt.src, tt.field, "") })
	}
	t.Run("every error of a tree is reported at once", func(t *testing.T) {
		_, err := Parse(Default, []byte(`{"all":[{"attr":"x","op":"eq","value":1},{"attr":"employees","op":"has","value":1},{"any":[]}]}`), "c")
		f := errs.FieldsOf(err)
		for _, k := range []string{"c.all[0].attr", "c.all[1].op", "c.all[2].any"} {
			if _, ok := f[k]; !ok {
				t.Errorf("no error on %s: %v", k, err)
			}
		}
	})
}

// wantField parses src and expects an errs.ErrInvalid on field whose
// messages are bilingual and, when mention is set, name it.
func wantField(t *testing.T, src, field, mention string) {
	t.Helper()
	_, err := Parse(Default, []byte(src), "conditions")
	if !errors.Is(err, errs.ErrInvalid) {
		t.Fatalf("Parse(%s) = %v, want ErrInvalid", src, err)
	}
	fields := errs.FieldsOf(err)
	msg, ok := fields[field]
	if !ok || len(fields) != 1 {
		t.Fatalf("fields %v, want only %s", fields, field)
	}
	if msg.Zh == "" || msg.En == "" || msg.Zh == msg.En {
		t.Errorf("message is not bilingual: %+v", msg)
	}
	if mention != "" && (!strings.Contains(msg.Zh, mention) || !strings.Contains(msg.En, mention)) {
		t.Errorf("message does not name %q: %+v", mention, msg)
	}
}

// TestThreeValuedLogic checks the full truth tables of all, any and not
// (Kleene logic), and that Missing names exactly the unknown comparisons
// that could still decide.
func TestThreeValuedLogic(t *testing.T) {
	truths := []Truth{Met, NotMet, TruthUnknown}
	// employees le 300 and revenue le 1000 yuan take each truth by value.
	set := func(vals map[string]any, attr string, tr Truth, met, notMet any) {
		switch tr {
		case Met:
			vals[attr] = met
		case NotMet:
			vals[attr] = notMet
		}
	}
	and := func(a, b Truth) Truth {
		switch {
		case a == NotMet || b == NotMet:
			return NotMet
		case a == TruthUnknown || b == TruthUnknown:
			return TruthUnknown
		}
		return Met
	}
	or := func(a, b Truth) Truth {
		switch {
		case a == Met || b == Met:
			return Met
		case a == TruthUnknown || b == TruthUnknown:
			return TruthUnknown
		}
		return NotMet
	}
	not := func(a Truth) Truth {
		switch a {
		case Met:
			return NotMet
		case NotMet:
			return Met
		}
		return TruthUnknown
	}
	x := `{"attr":"employees","op":"le","value":300}`
	y := `{"attr":"revenue","op":"le","value":1000}`
	forms := []struct {
		name string
		src  string
		want func(a, b Truth) Truth
	}{
		{"all", `{"all":[` + x + `,` + y + `]}`, and},
		{"any", `{"any":[` + x + `,` + y + `]}`, or},
		{"not all", `{"not":{"all":[` + x + `,` + y + `]}}`, func(a, b Truth) Truth { return not(and(a, b)) }},
		{"not any", `{"not":{"any":[` + x + `,` + y + `]}}`, func(a, b Truth) Truth { return not(or(a, b)) }},
		{"all of nots", `{"all":[{"not":` + x + `},{"not":` + y + `}]}`, func(a, b Truth) Truth { return and(not(a), not(b)) }},
		{"double not", `{"all":[{"not":{"not":` + x + `}},` + y + `]}`, and},
		{"a group of one", `{"any":[{"all":[` + x + `]},` + y + `]}`, or},
	}
	for _, f := range forms {
		r := mustParse(t, f.src)
		for _, a := range truths {
			for _, b := range truths {
				want := f.want(a, b)
				t.Run(fmt.Sprintf("%s of %s and %s is %s", f.name, a, b, want), func(t *testing.T) {
					vals := map[string]any{}
					set(vals, "employees", a, 300, 301)
					set(vals, "revenue", b, 1000, 1000.01)
					res := evaluate(t, r, profileOf(t, "2026-06-30", vals))
					if got := truthOf(res.Outcome); got != want {
						t.Fatalf("got %s", got)
					}
					var wantMissing []string
					if want == TruthUnknown {
						if a == TruthUnknown {
							wantMissing = append(wantMissing, "employees")
						}
						if b == TruthUnknown {
							wantMissing = append(wantMissing, "revenue")
						}
					}
					if !slices.Equal(res.Missing, wantMissing) {
						t.Errorf("missing %v, want %v", res.Missing, wantMissing)
					}
					if len(res.Checks) != 2 {
						t.Errorf("every comparison is explained, even after the result is decided: %d checks", len(res.Checks))
					}
				})
			}
		}
	}
	t.Run("not over unknown is unknown and marks the check negated", func(t *testing.T) {
		res := evaluate(t, mustParse(t, `{"not":`+x+`}`), profileOf(t, "2026-06-30", nil))
		if res.Outcome != Unknown || !res.Checks[0].Negated || res.Checks[0].Path != "not" {
			t.Errorf("got %+v", res)
		}
	})
	t.Run("not over exists of a missing value is met: exists is never unknown", func(t *testing.T) {
		res := evaluate(t, mustParse(t, `{"not":{"attr":"employees","op":"exists"}}`), profileOf(t, "2026-06-30", nil))
		if res.Outcome != Eligible || res.Checks[0].Result != NotMet {
			t.Errorf("got %+v", res)
		}
	})
	t.Run("the empty rule makes everyone eligible", func(t *testing.T) {
		for _, src := range []string{``, `null`, `{}`, " \n "} {
			r, err := Parse(Default, []byte(src), "conditions")
			if err != nil || !r.Empty() {
				t.Fatalf("Parse(%q) = %v, %v", src, r, err)
			}
			res := evaluate(t, r, profileOf(t, "2026-06-30", nil))
			if res.Outcome != Eligible || len(res.Checks) != 0 {
				t.Errorf("got %+v", res)
			}
		}
	})
}

// TestNestedTrees evaluates a deep tree and checks the explanation's paths
// and negation flags.
func TestNestedTrees(t *testing.T) {
	r := mustParse(t, `{"all":[
		{"attr":"region_code","op":"prefix","value":"500109"},
		{"any":[
			{"attr":"tags","op":"has","value":"high_tech"},
			{"all":[{"attr":"sme","op":"eq","value":true},{"not":{"attr":"industry_code","op":"prefix","value":["16","70"]}}]}
		]},
		{"not":{"any":[{"attr":"dishonest","op":"eq","value":true},{"attr":"tax_credit_grade","op":"in","value":["C","D"]}]}}
	]}`)
	wantPaths := []string{"all[0]", "all[1].any[0]", "all[1].any[1].all[0]", "all[1].any[1].all[1].not", "all[2].not.any[0]", "all[2].not.any[1]"}
	wantNegated := []bool{false, false, false, true, true, true}
	base := map[string]any{"region_code": "500109001", "tags": []any{}, "industry_code": "3670", "employees": 50,
		"revenue": 30_000_000, "dishonest": false, "tax_credit_grade": "A"}
	with := func(changes map[string]any) map[string]any {
		out := map[string]any{}
		for k, v := range base {
			out[k] = v
		}
		for k, v := range changes {
			if v == nil {
				delete(out, k)
			} else {
				out[k] = v
			}
		}
		return out
	}
	tests := []struct {
		name    string
		vals    map[string]any
		want    Outcome
		missing []string
	}{
		{"a small Beibei manufacturer in good standing is eligible", base, Eligible, nil},
		{"a tobacco firm without 高企 is not", with(map[string]any{"industry_code": "1610"}), Ineligible, nil},
		{"a tobacco firm with 高企 is", with(map[string]any{"industry_code": "1610", "tags": []any{"high_tech"}}), Eligible, nil},
		{"a firm outside Beibei is not", with(map[string]any{"region_code": "500103"}), Ineligible, nil},
		{"a dishonest firm is not", with(map[string]any{"dishonest": true}), Ineligible, nil},
		{"a firm graded D is not", with(map[string]any{"tax_credit_grade": "D"}), Ineligible, nil},
		{"without employees or tags it depends on both", with(map[string]any{"employees": nil, "tags": nil}), Unknown, []string{"tags", "employees"}},
		{"without employees but with 高企 it is decided", with(map[string]any{"employees": nil, "tags": []any{"high_tech"}}), Eligible, nil},
		{"without a tax grade a dishonest firm is still not", with(map[string]any{"tax_credit_grade": nil, "dishonest": true}), Ineligible, nil},
		{"without a tax grade an honest firm waits for it", with(map[string]any{"tax_credit_grade": nil}), Unknown, []string{"tax_credit_grade"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := evaluate(t, r, profileOf(t, "2026-06-30", tt.vals))
			if res.Outcome != tt.want || !slices.Equal(res.Missing, tt.missing) {
				t.Fatalf("got %s missing %v, want %s missing %v", res.Outcome, res.Missing, tt.want, tt.missing)
			}
			for i, c := range res.Checks {
				if c.Path != wantPaths[i] || c.Negated != wantNegated[i] {
					t.Errorf("check %d at %s negated %v, want %s negated %v", i, c.Path, c.Negated, wantPaths[i], wantNegated[i])
				}
			}
		})
	}
	if got := r.Attributes(); !slices.Equal(got, []string{"region_code", "tags", "sme", "industry_code", "dishonest", "tax_credit_grade"}) {
		t.Errorf("Attributes() = %v", got)
	}
	if got := len(r.Leaves()); got != 6 {
		t.Errorf("Leaves() has %d", got)
	}
}

// TestDerivedAttributes checks the derived attributes against the standards
// they come from, and what is missing when they cannot be derived.
func TestDerivedAttributes(t *testing.T) {
	t.Run("size follows 工信部联企业〔2011〕300号 through the standards package", func(t *testing.T) {
		for _, c := range []struct {
			industry                   string
			employees, revenue, assets any
		}{
			{"3670", 250, 30_000_000, nil},        // industry: X ≥ 20 and Y ≥ 300万 → small
			{"3670", 300, 20_000_000, nil},        // medium exactly at X ≥ 300, Y ≥ 2000万
			{"3670", 300, 19_999_999.99, nil},     // one fen short of medium
			{"3670", 1000, 400_000_000, nil},      // large
			{"3670", 19, 400_000_000, nil},        // micro: one small limit failed
			{"4710", nil, 3_000_000, 3_000_000},   // construction by revenue and assets: small
			{"4710", nil, 3_000_000, 2_999_999},   // micro
			{"5211", 50, 5_000_000, nil},          // retail medium at X ≥ 50, Y ≥ 500万
			{"6513", 100, 10_000_000, nil},        // software medium
			{"7310", 100, nil, nil},               // other: employees only, medium at 100
			{"7310", 99, nil, nil},                // small
			{"7010", nil, 10_000_000, 50_000_000}, // real estate development: medium
		} {
			vals := map[string]any{"industry_code": c.industry}
			in := standards.SizeInput{IndustryCode: c.industry}
			if c.employees != nil {
				vals["employees"] = c.employees
				in.Employees = ptr(int64(toFloat(c.employees)))
			}
			if c.revenue != nil {
				vals["revenue"] = c.revenue
				in.RevenueFen = ptr(int64(math.Round(toFloat(c.revenue) * 100)))
			}
			if c.assets != nil {
				vals["assets"] = c.assets
				in.AssetsFen = ptr(int64(math.Round(toFloat(c.assets) * 100)))
			}
			want := standards.ClassifySize(in).Class
			if want == standards.SizeUnknown {
				t.Fatalf("case %v does not decide a class", c)
			}
			v, ok := profileOf(t, "2026-06-30", vals).Get("size")
			if !ok || v.Str != string(want) {
				t.Errorf("%v: size %q (known %v), standards say %s", c, v.Str, ok, want)
			}
		}
	})
	derived := []struct {
		name    string
		vals    map[string]any
		attr    string
		want    any // nil: unknown
		missing []string
	}{
		{"a manufacturer's size without revenue needs revenue, not assets",
			map[string]any{"industry_code": "3670", "employees": 250}, "size", nil, []string{"revenue"}},
		{"a manufacturer with 19 employees is micro without revenue",
			map[string]any{"industry_code": "3670", "employees": 19}, "size", "micro", nil},
		{"a builder's size needs revenue and assets, not employees",
			map[string]any{"industry_code": "4710"}, "size", nil, []string{"revenue", "assets"}},
		{"size without an industry code needs it and every missing figure",
			map[string]any{"employees": 250}, "size", nil, []string{"industry_code", "revenue", "assets"}},
		{"size with a section spanning several rows needs a finer industry code",
			map[string]any{"industry_code": "F", "employees": 250, "revenue": 1, "assets": 1}, "size", nil, []string{"industry_code"}},
		{"sme follows size: medium", map[string]any{"industry_code": "3670", "employees": 300, "revenue": 20_000_000}, "sme", true, nil},
		{"sme follows size: large", map[string]any{"industry_code": "3670", "employees": 1000, "revenue": 400_000_000}, "sme", false, nil},
		{"sme is unknown while size is", map[string]any{"industry_code": "3670", "employees": 250}, "sme", nil, []string{"revenue"}},
		{"small_micro: medium is not", map[string]any{"industry_code": "3670", "employees": 300, "revenue": 20_000_000}, "small_micro", false, nil},
		{"small_micro: small is", map[string]any{"industry_code": "3670", "employees": 299, "revenue": 20_000_000}, "small_micro", true, nil},
		{"above_scale: a manufacturer at 2000万 is", map[string]any{"industry_code": "3670", "revenue": 20_000_000, "tags": []any{}}, "above_scale", true, nil},
		{"above_scale: one fen under is not", map[string]any{"industry_code": "3670", "revenue": 19_999_999.99, "tags": []any{}}, "above_scale", false, nil},
		{"above_scale: a manufacturer without revenue needs revenue, not tags", map[string]any{"industry_code": "3670"}, "above_scale", nil, []string{"revenue"}},
		{"above_scale: a builder is by qualification, tags unknown", map[string]any{"industry_code": "4710", "revenue": 1}, "above_scale", nil, []string{"tags"}},
		{"above_scale: a qualified builder is", map[string]any{"industry_code": "4710", "tags": []any{"qualified_limit"}}, "above_scale", true, nil},
		{"above_scale: an unqualified builder is not", map[string]any{"industry_code": "4710", "tags": []any{}}, "above_scale", false, nil},
		{"age_years needs the date of establishment", map[string]any{}, "age_years", nil, []string{"registered_on"}},
		{"age_years before establishment cannot be computed", map[string]any{"registered_on": "2026-07-01"}, "age_years", nil, []string{"age_years"}},
		{"age_years on the day of establishment is 0", map[string]any{"registered_on": "2026-06-30"}, "age_years", 0.0, nil},
		{"rd_ratio", map[string]any{"revenue": 50_000_000, "rd_expense": 2_500_000}, "rd_ratio", 5.0, nil},
		{"rd_ratio over zero revenue cannot be computed", map[string]any{"revenue": 0, "rd_expense": 1}, "rd_ratio", nil, []string{"rd_ratio"}},
		{"rd_ratio names both missing inputs in catalogue order", map[string]any{}, "rd_ratio", nil, []string{"revenue", "rd_expense"}},
		{"tech_staff_ratio", map[string]any{"employees": 40, "tech_staff": 5}, "tech_staff_ratio", 12.5, nil},
		{"tech_staff_ratio without employees", map[string]any{"tech_staff": 5}, "tech_staff_ratio", nil, []string{"employees"}},
		{"export_ratio", map[string]any{"revenue": 1000, "exports": 250}, "export_ratio", 25.0, nil},
	}
	for _, tt := range derived {
		t.Run(tt.name, func(t *testing.T) {
			p := profileOf(t, "2026-06-30", tt.vals)
			a, _ := Default.Lookup(tt.attr)
			v, ok := p.Get(tt.attr)
			switch {
			case tt.want == nil && ok:
				t.Fatalf("%s = %+v, want unknown", tt.attr, v)
			case tt.want != nil && (!ok || a.External(v) != tt.want):
				t.Fatalf("%s = %+v (known %v), want %v", tt.attr, v, ok, tt.want)
			}
			if got := sortByCatalogue(Default, p.missingFor(tt.attr)); !slices.Equal(got, tt.missing) {
				t.Errorf("missing %v, want %v", got, tt.missing)
			}
			// A rule comparing it says the same.
			res := evaluate(t, anyLeaf(t, a), p)
			if tt.want == nil && !slices.Equal(res.Missing, tt.missing) {
				t.Errorf("rule missing %v, want %v", res.Missing, tt.missing)
			}
		})
	}
}

// anyLeaf is a comparison valid for a's type.
func anyLeaf(t testing.TB, a *Attribute) *Rule {
	switch a.Type {
	case TypeBool:
		return leafRule(t, a.Name, OpEq, "true")
	case TypeCode:
		return leafRule(t, a.Name, OpPrefix, `"x"`)
	case TypeDate:
		return leafRule(t, a.Name, OpGe, `"2000-01-01"`)
	case TypeSet:
		return leafRule(t, a.Name, OpHas, `"x"`)
	}
	return leafRule(t, a.Name, OpGe, "0")
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case int:
		return float64(x)
	case float64:
		return x
	}
	panic(fmt.Sprintf("not a number: %T", v))
}

func ptr[T any](v T) *T { return &v }

// TestAsOfDates: tags count on the days they are valid, and the years since
// establishment turn on the anniversary.
func TestAsOfDates(t *testing.T) {
	e := &enterprise.Enterprise{
		IndustryCode: "3670", IndustrySection: "C", RegisteredOn: "2020-02-29",
		Tags: []enterprise.Tag{
			{Code: "high_tech", ValidFrom: "2025-01-01", ValidTo: "2025-12-31"},
			{Code: "specialized", ValidFrom: "2024-06-01"},
		},
	}
	hasHighTech := mustParse(t, `{"attr":"tags","op":"has","value":"high_tech"}`)
	for _, c := range []struct {
		asOf string
		want Outcome
	}{
		{"2024-12-31", Ineligible}, {"2025-01-01", Eligible}, {"2025-12-31", Eligible}, {"2026-01-01", Ineligible},
	} {
		t.Run(fmt.Sprintf("a tag valid 2025-01-01..2025-12-31 on %s: %s", c.asOf, c.want), func(t *testing.T) {
			res := evaluate(t, hasHighTech, FromEnterprise(Default, e, c.asOf))
			if res.Outcome != c.want || res.AsOf != c.asOf {
				t.Errorf("got %s as of %s", res.Outcome, res.AsOf)
			}
		})
	}
	t.Run("an open-ended tag counts from its first day", func(t *testing.T) {
		r := mustParse(t, `{"attr":"tags","op":"has","value":"specialized"}`)
		if got := r.Outcome(FromEnterprise(Default, e, "2024-05-31")); got != Ineligible {
			t.Errorf("day before: %s", got)
		}
		if got := r.Outcome(FromEnterprise(Default, e, "2099-01-01")); got != Eligible {
			t.Errorf("long after: %s", got)
		}
	})
	atLeast := func(n int) *Rule { return leafRule(t, "age_years", OpGe, fmt.Sprint(n)) }
	for _, c := range []struct {
		registered, asOf string
		years            float64
	}{
		{"2020-02-29", "2021-02-27", 0},
		{"2020-02-29", "2021-02-28", 1}, // 民法典 第二百零二条: no 29th, the month's last day
		{"2020-02-29", "2024-02-28", 3},
		{"2020-02-29", "2024-02-29", 4},
		{"2023-06-15", "2026-06-14", 2},
		{"2023-06-15", "2026-06-15", 3},
		{"2023-12-31", "2024-12-30", 0},
		{"2023-12-31", "2024-12-31", 1},
	} {
		t.Run(fmt.Sprintf("registered %s is %v whole years old on %s", c.registered, c.years, c.asOf), func(t *testing.T) {
			e := &enterprise.Enterprise{RegisteredOn: c.registered}
			p := FromEnterprise(Default, e, c.asOf)
			v, ok := p.Get("age_years")
			if !ok || v.Num != c.years {
				t.Fatalf("age_years = %v (known %v)", v.Num, ok)
			}
			if got := atLeast(int(c.years)).Outcome(p); got != Eligible {
				t.Errorf("age_years ge %v: %s", c.years, got)
			}
			if got := atLeast(int(c.years) + 1).Outcome(p); got != Ineligible {
				t.Errorf("age_years ge %v: %s", c.years+1, got)
			}
		})
	}
	t.Run("the same rule and profile give different answers on different dates", func(t *testing.T) {
		r := mustParse(t, `{"all":[{"attr":"age_years","op":"ge","value":1},{"attr":"tags","op":"has","value":"high_tech"}]}`)
		if got := r.Outcome(FromEnterprise(Default, e, "2025-06-30")); got != Eligible {
			t.Errorf("2025-06-30: %s", got)
		}
		if got := r.Outcome(FromEnterprise(Default, e, "2026-06-30")); got != Ineligible {
			t.Errorf("2026-06-30: %s", got)
		}
	})
}

// TestFromEnterprise maps the registry's profile to attributes.
func TestFromEnterprise(t *testing.T) {
	e := &enterprise.Enterprise{
		CreditCode: "91350100M000100Y43", IndustryCode: "3670", IndustrySection: "C", RegionCode: "500109001",
		Ownership: "private", RegisteredOn: "2019-03-01", RegisteredCapitalFen: ptr[int64](500_000_000),
		TaxCreditGrade: "A", Facts: enterprise.Facts{FiscalYear: 2025, Employees: ptr[int64](250),
			RevenueFen: ptr[int64](3_000_000_000), RDExpenseFen: ptr[int64](150_000_000)},
	}
	p := FromEnterprise(Default, e, "2026-06-30")
	for attr, want := range map[string]any{
		"registered_capital": 5_000_000.0, "revenue": 30_000_000.0, "employees": 250.0, "fiscal_year": 2025.0,
		"size": "small", "rd_ratio": 5.0, "dishonest": false, "age_years": 7.0, "above_scale": true,
	} {
		a, _ := Default.Lookup(attr)
		v, ok := p.Get(attr)
		if !ok || a.External(v) != want {
			t.Errorf("%s = %v (known %v), want %v", attr, a.External(v), ok, want)
		}
	}
	if tags, ok := p.Get("tags"); !ok || len(tags.Set) != 0 {
		t.Errorf("a firm without tags holds none (known): %+v %v", tags, ok)
	}
	for _, attr := range []string{"assets", "taxable_income", "tech_staff", "exports", "tech_staff_ratio"} {
		if _, ok := p.Get(attr); ok {
			t.Errorf("%s is known though the registry has no value", attr)
		}
	}
}

// TestWhatIf: Profile.Apply changes base values and the derived ones follow.
func TestWhatIf(t *testing.T) {
	// In the industry row of 工信部联企业〔2011〕300号, 300 employees (with
	// revenue ≥ 2000万) is the lower limit of medium.
	base := map[string]any{"industry_code": "3670", "employees": 250, "revenue": 30_000_000}
	p := profileOf(t, "2026-06-30", base)
	orig := p.Clone()
	standardsSays := func(employees int64) standards.SizeClass {
		return standards.ClassifySize(standards.SizeInput{IndustryCode: "3670", Employees: &employees, RevenueFen: ptr[int64](3_000_000_000)}).Class
	}
	get := func(p *Profile, name string) any {
		a, _ := Default.Lookup(name)
		v, ok := p.Get(name)
		if !ok {
			return nil
		}
		return a.External(v)
	}
	if got := get(p, "size"); got != string(standardsSays(250)) || got != "small" {
		t.Fatalf("250 employees: %v", got)
	}
	if err := p.Apply(map[string]any{"employees": 350}, "changes"); err != nil {
		t.Fatal(err)
	}
	if got := get(p, "size"); got != string(standardsSays(350)) || got != "medium" {
		t.Errorf("350 employees: %v", got)
	}
	if get(p, "small_micro") != false || get(p, "sme") != true {
		t.Errorf("small_micro %v sme %v", get(p, "small_micro"), get(p, "sme"))
	}
	if get(orig, "size") != "small" || get(orig, "employees") != 250.0 {
		t.Errorf("the clone changed with the original: %v %v", get(orig, "size"), get(orig, "employees"))
	}
	rule := mustParse(t, `{"attr":"small_micro","op":"eq","value":true}`)
	if rule.Outcome(orig) != Eligible || rule.Outcome(p) != Ineligible {
		t.Errorf("the what-if does not change the result: %s → %s", rule.Outcome(orig), rule.Outcome(p))
	}

	t.Run("a what-if on the size class itself moves what depends on it and sticks", func(t *testing.T) {
		q := orig.Clone()
		if err := q.Apply(map[string]any{"size": "large"}, "changes"); err != nil {
			t.Fatal(err)
		}
		if get(q, "size") != "large" || get(q, "sme") != false {
			t.Fatalf("size %v sme %v", get(q, "size"), get(q, "sme"))
		}
		if err := q.Apply(map[string]any{"employees": 10}, "changes"); err != nil {
			t.Fatal(err)
		}
		if get(q, "size") != "large" {
			t.Errorf("a later change recomputed the given size: %v", get(q, "size"))
		}
		c := q.Clone()
		if err := q.Apply(map[string]any{"size": nil}, "changes"); err != nil {
			t.Fatal(err)
		}
		if get(q, "size") != "micro" || get(q, "sme") != true {
			t.Errorf("nil did not return size to its computed value: %v", get(q, "size"))
		}
		if get(c, "size") != "large" {
			t.Errorf("a clone lost the override: %v", get(c, "size"))
		}
	})
	t.Run("nil forgets a base value and what derives from it", func(t *testing.T) {
		q := orig.Clone()
		if err := q.Apply(map[string]any{"revenue": nil}, "changes"); err != nil {
			t.Fatal(err)
		}
		if get(q, "revenue") != nil || get(q, "size") != nil {
			t.Errorf("revenue %v size %v", get(q, "revenue"), get(q, "size"))
		}
	})
	t.Run("bad changes are refused together and change nothing", func(t *testing.T) {
		q := orig.Clone()
		err := q.Apply(map[string]any{"employees": "many", "profit": 1, "revenue": 1}, "changes")
		f := errs.FieldsOf(err)
		if !errors.Is(err, errs.ErrInvalid) || len(f) != 2 || f["changes.employees"].Zh == "" || f["changes.profit"].En == "" {
			t.Fatalf("got %v", err)
		}
		if get(q, "revenue") != 30_000_000.0 {
			t.Errorf("revenue changed to %v", get(q, "revenue"))
		}
	})
}

// TestExternalUnits: ProfileOf and ParseValue read yuan exactly, percent,
// dates, yes/no and code lists, and refuse anything else in both languages.
func TestExternalUnits(t *testing.T) {
	ok := []struct {
		attr string
		raw  any
		want Value
	}{
		{"revenue", 3000000, Value{Num: 300_000_000}},
		{"revenue", 3000000.0, Value{Num: 300_000_000}},
		{"revenue", int64(3000000), Value{Num: 300_000_000}},
		{"revenue", json.Number("3000000"), Value{Num: 300_000_000}},
		{"revenue", 3000000.01, Value{Num: 300_000_001}},
		{"revenue", json.Number("3000000.01"), Value{Num: 300_000_001}},
		{"revenue", "3,000,000.01", Value{Num: 300_000_001}},
		{"revenue", 0.07, Value{Num: 7}},
		{"revenue", 19999999.99, Value{Num: 1_999_999_999}},
		{"revenue", "-12.5", Value{Num: -1250}},
		{"employees", 300, Value{Num: 300}},
		{"employees", " 300 ", Value{Num: 300}},
		{"rd_ratio", 4.5, Value{Num: 4.5}},
		{"registered_on", "2024-02-29", Value{Str: "2024-02-29"}},
		{"dishonest", true, Value{Bool: true}},
		{"dishonest", "是", Value{Bool: true}},
		{"dishonest", "否", Value{Bool: false}},
		{"dishonest", "false", Value{Bool: false}},
		{"tags", []any{"b", "a", "b"}, Value{Set: []string{"a", "b"}}},
		{"tags", "high_tech、tech_sme, high_tech", Value{Set: []string{"high_tech", "tech_sme"}}},
		{"tags", []string{}, Value{Set: nil}},
		{"industry_code", " 3670 ", Value{Str: "3670"}},
		{"size", "small", Value{Str: "small"}},
	}
	for _, tt := range ok {
		t.Run(fmt.Sprintf("%s reads %#v", tt.attr, tt.raw), func(t *testing.T) {
			a, _ := Default.Lookup(tt.attr)
			got, err := a.ParseValue(tt.raw)
			if err != nil || got.Num != tt.want.Num || got.Str != tt.want.Str || got.Bool != tt.want.Bool || !slices.Equal(got.Set, tt.want.Set) {
				t.Errorf("got %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
	bad := []struct {
		attr string
		raw  any
	}{
		{"revenue", 0.001}, {"revenue", "1e6"}, {"revenue", "三百万"}, {"revenue", true}, {"revenue", math.NaN()},
		{"employees", "12abc"}, {"employees", ""}, {"employees", "NaN"}, {"employees", math.Inf(1)}, {"employees", []any{1}},
		{"registered_on", "2023-02-29"}, {"registered_on", "2023/01/01"}, {"registered_on", 20230101},
		{"dishonest", "maybe"}, {"dishonest", 1},
		{"tags", []any{"a", 1}}, {"tags", 3},
		{"industry_code", ""}, {"industry_code", 3670}, {"size", "tiny"}, {"tax_credit_grade", "E"},
	}
	for _, tt := range bad {
		t.Run(fmt.Sprintf("%s refuses %#v", tt.attr, tt.raw), func(t *testing.T) {
			_, err := ProfileOf(Default, "2026-06-30", map[string]any{tt.attr: tt.raw}, "profile")
			f := errs.FieldsOf(err)
			msg, found := f["profile."+tt.attr]
			if !errors.Is(err, errs.ErrInvalid) || !found || msg.Zh == "" || msg.En == "" {
				t.Errorf("got %v", err)
			}
		})
	}
	t.Run("3000000 yuan is 300000000 fen, and compares equal to a rule's 3000000", func(t *testing.T) {
		p := profileOf(t, "2026-06-30", map[string]any{"taxable_income": 3000000})
		if v, _ := p.Get("taxable_income"); v.Num != 300_000_000 {
			t.Fatalf("got %v fen", v.Num)
		}
		if leafRule(t, "taxable_income", OpEq, "3000000").Outcome(p) != Eligible {
			t.Error("not equal")
		}
	})
}

// TestMissingListsOnlyWhatCouldDecide generates random rules and profiles
// and checks the contract of Result.Missing: a decided outcome lists
// nothing; an unknown one lists something, and no base attribute left off
// the list can decide the outcome whatever its value.
func TestMissingListsOnlyWhatCouldDecide(t *testing.T) {
	samples := map[string][]any{
		"industry_code": {"3670", "4710", "1610", "7310"},
		"employees":     {5, 19, 300, 1000},
		"revenue":       {0, 1_000_000, 20_000_000, 400_000_000},
		"assets":        {1_000_000, 50_000_000, 900_000_000},
		"rd_expense":    {0, 50_000, 2_000_000},
		"tags":          {[]any{}, []any{"high_tech"}, []any{"qualified_limit"}},
		"dishonest":     {true, false},
		// The 科技型中小企业 indicators decide partly alone (a class I
		// patent, an R&D measure at its maximum).
		"tech_staff":       {0, 30, 150},
		"total_costs":      {0, 10_000_000, 300_000_000},
		"ip_class1":        {0, 1},
		"ip_class2":        {0, 2, 5},
		"hightech_revenue": {0, 12_000_000},
	}
	leaves := []string{
		`{"attr":"employees","op":"le","value":300}`,
		`{"attr":"revenue","op":"between","value":[1000000,20000000]}`,
		`{"attr":"assets","op":"le","value":50000000}`,
		`{"attr":"size","op":"in","value":["small","micro"]}`,
		`{"attr":"sme","op":"eq","value":true}`,
		`{"attr":"above_scale","op":"eq","value":true}`,
		`{"attr":"rd_ratio","op":"ge","value":5}`,
		`{"attr":"tags","op":"has","value":"high_tech"}`,
		`{"attr":"industry_code","op":"prefix","value":["16","47"]}`,
		`{"attr":"dishonest","op":"eq","value":false}`,
		`{"attr":"employees","op":"exists"}`,
		`{"attr":"tsme_score","op":"ge","value":60}`,
		`{"attr":"tsme_rd_points","op":"ge","value":40}`,
		`{"attr":"tsme_ip_points","op":"ge","value":24}`,
		`{"attr":"tsme_staff_points","op":"gt","value":0}`,
		`{"attr":"hightech_revenue_ratio","op":"ge","value":60}`,
	}
	names := make([]string, 0, len(samples))
	for n := range samples {
		names = append(names, n)
	}
	slices.Sort(names)
	rng := rand.New(rand.NewPCG(4, 2026))
	var tree func(depth int) string
	tree = func(depth int) string {
		if depth == 0 || rng.IntN(3) == 0 {
			return leaves[rng.IntN(len(leaves))]
		}
		switch rng.IntN(3) {
		case 0:
			return `{"not":` + tree(depth-1) + `}`
		case 1:
			return `{"all":[` + tree(depth-1) + `,` + tree(depth-1) + `]}`
		}
		return `{"any":[` + tree(depth-1) + `,` + tree(depth-1) + `,` + tree(depth-1) + `]}`
	}
	unknowns := 0
	for i := 0; i < 400; i++ {
		r := mustParse(t, tree(3))
		vals := map[string]any{}
		for _, n := range names {
			if rng.IntN(2) == 0 {
				vals[n] = samples[n][rng.IntN(len(samples[n]))]
			}
		}
		p := profileOf(t, "2026-06-30", vals)
		res := evaluate(t, r, p)
		if res.Outcome != Unknown {
			continue
		}
		unknowns++
		for _, n := range names {
			if _, known := vals[n]; known || slices.Contains(res.Missing, n) {
				continue
			}
			for _, v := range samples[n] {
				q := p.Clone()
				if err := q.Apply(map[string]any{n: v}, "x"); err != nil {
					t.Fatal(err)
				}
				if got := r.Outcome(q); got != Unknown {
					t.Fatalf("rule %s with %v: missing %v leaves off %s, yet %s = %v decides it (%s)",
						mustJSON(r), vals, res.Missing, n, n, v, got)
				}
			}
		}
	}
	if unknowns < 50 {
		t.Errorf("only %d unknown outcomes were generated", unknowns)
	}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// TestCatalogue checks the catalogue's own guarantees.
func TestCatalogue(t *testing.T) {
	for _, a := range Default.Attributes() {
		if a.Label.Zh == "" || a.Label.En == "" || a.Doc.Zh == "" || a.Doc.En == "" {
			t.Errorf("%s lacks a bilingual label or doc", a.Name)
		}
		if len(Ops(a.Type)) == 0 {
			t.Errorf("%s has no operators", a.Name)
		}
		for _, op := range Ops(a.Type) {
			if OpLabel(op).Zh == "" || OpLabel(op).En == "" {
				t.Errorf("operator %s has no label", op)
			}
		}
	}
	if got := Default.BaseInputs("sme"); !slices.Equal(got, []string{"industry_code", "employees", "revenue", "assets"}) {
		t.Errorf("BaseInputs(sme) = %v", got)
	}
	for _, bad := range [][]*Attribute{
		{{Name: "a", Type: TypeNumber}, {Name: "a", Type: TypeNumber}},
		{{Name: "a", Type: "float"}},
		{{Name: "a", Type: TypeNumber, Expr: "b + 1", Inputs: []string{"b"}}},
		{{Name: "a", Type: TypeNumber, Expr: "b", Inputs: []string{"b"}}, {Name: "b", Type: TypeNumber, Expr: "a", Inputs: []string{"a"}}},
		{{Name: "a", Type: TypeNumber}, {Name: "b", Type: TypeBool, Expr: "a + 1", Inputs: []string{"a"}}},
		{{Name: "a", Type: TypeNumber, Inputs: []string{"a"}}},
	} {
		if _, err := NewCatalogue(bad); err == nil {
			t.Errorf("NewCatalogue accepted %v", bad)
		}
	}
}
