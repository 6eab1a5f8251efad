package eligibility

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"testing"
)

// FuzzParse: Parse never panics, and a compiled rule's Tree re-parses to an
// equal rule that decides every profile the same way.
func FuzzParse(f *testing.F) {
	for _, g := range goldenRules {
		f.Add([]byte(g.rule))
	}
	for _, s := range []string{
		``, `null`, `{}`, `[]`, `{"all":[]}`, `{"not":{}}`, `{"all":null}`,
		`{"attr":"employees","op":"exists","value":true}`,
		`{"attr":"revenue","op":"between","value":[0.01,1e2]}`,
		`{"attr":"tags","op":"has_all","value":["a","b","a"]}`,
		`{"attr":"industry_code","op":"prefix","value":" 16 "}`,
		`{"attr":"size","op":"in","value":["small"]}`,
		`{"any":[{"not":{"not":{"attr":"dishonest","op":"ne","value":true}}},{"attr":"registered_on","op":"between","value":["2020-02-29","2020-02-29"]}]}`,
		`{"attr":"employees","op":"le","value":300}garbage`,
	} {
		f.Add([]byte(s))
	}
	profiles := []*Profile{
		NewProfile(Default, "2026-06-30"),
		profileOf(f, "2026-06-30", map[string]any{"employees": 300, "revenue": 50000000, "rd_expense": 2500000,
			"assets": 1, "industry_code": "1610", "dishonest": false, "tags": []any{"high_tech"}, "registered_on": "2020-02-29"}),
		profileOf(f, "2025-12-31", map[string]any{"employees": 20, "revenue": 0.01, "taxable_income": 3000000,
			"industry_code": "4710", "tax_credit_grade": "A", "tags": []any{}}),
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Parse(Default, data, "conditions")
		if err != nil {
			return
		}
		tree, err := json.Marshal(r.Tree())
		if err != nil {
			t.Fatalf("Tree() does not marshal: %v", err)
		}
		again, err := Parse(Default, tree, "conditions")
		if err != nil {
			t.Fatalf("Tree() %s does not re-parse: %v", tree, err)
		}
		tree2, _ := json.Marshal(again.Tree())
		if !bytes.Equal(tree, tree2) {
			t.Fatalf("tree changed on re-parse:\n%s\n%s", tree, tree2)
		}
		if !slices.Equal(r.Attributes(), again.Attributes()) || r.Empty() != again.Empty() {
			t.Fatalf("attributes %v vs %v", r.Attributes(), again.Attributes())
		}
		a, b := r.Leaves(), again.Leaves()
		if len(a) != len(b) {
			t.Fatalf("%d leaves vs %d", len(a), len(b))
		}
		for i := range a {
			if a[i].Attr != b[i].Attr || a[i].Op != b[i].Op || a[i].Bool != b[i].Bool ||
				!slices.Equal(a[i].Nums, b[i].Nums) || !slices.Equal(a[i].Strs, b[i].Strs) || !reflect.DeepEqual(a[i].Value, b[i].Value) {
				t.Fatalf("leaf %d differs: %+v vs %+v", i, a[i], b[i])
			}
		}
		for _, p := range profiles {
			x, y := r.Evaluate(p), again.Evaluate(p)
			if x.Outcome != y.Outcome || !slices.Equal(x.Missing, y.Missing) || len(x.Checks) != len(y.Checks) {
				t.Fatalf("decides differently: %+v vs %+v", x, y)
			}
			if r.Outcome(p) != x.Outcome {
				t.Fatalf("Outcome %s, Evaluate %s", r.Outcome(p), x.Outcome)
			}
			if (x.Outcome == Unknown) != (len(x.Missing) > 0) {
				t.Fatalf("outcome %s with missing %v", x.Outcome, x.Missing)
			}
		}
	})
}
