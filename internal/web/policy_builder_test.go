package web

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"testing"

	"github.com/qinqing/qinqing/internal/eligibility"
	"github.com/qinqing/qinqing/internal/i18n"
)

// pbServer parses the templates as the running platform does.
func pbServer(t *testing.T) *Server {
	t.Helper()
	s, err := New(Deps{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// pbRender renders the builder as a page would and returns what a browser
// would post back from it.
func pbRender(t *testing.T, s *Server, f *pbForm) (string, url.Values) {
	t.Helper()
	f.prepare(i18n.Zh, []pbOption{{Code: "high_tech", Label: i18n.M("高新技术企业", "High-tech enterprise")},
		{Code: "zjtx", Label: i18n.M("专精特新中小企业", "Specialised SME")}})
	var buf bytes.Buffer
	if err := s.pages[i18n.Zh]["home"].ExecuteTemplate(&buf, "policy_builder", f); err != nil {
		t.Fatal(err)
	}
	return buf.String(), formOf(buf.String())
}

func pbCompact(t *testing.T, n eligibility.Node) string {
	t.Helper()
	r, err := eligibility.Compile(eligibility.Default, n, "conditions")
	if err != nil {
		t.Fatalf("compile %+v: %v", n, err)
	}
	b, _ := json.Marshal(r.Tree())
	return string(b)
}

func pbParse(t *testing.T, src string) eligibility.Node {
	t.Helper()
	var n eligibility.Node
	if err := json.Unmarshal([]byte(src), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestConditionBuilderRoundTrip lays stored trees out as the builder's
// form, posts back what the browser would send, and requires the same tree.
func TestConditionBuilderRoundTrip(t *testing.T) {
	s := pbServer(t)
	for _, tc := range []struct{ name, tree string }{
		{"小型微利企业: three thresholds and an excluded industry list",
			`{"all":[{"attr":"taxable_income","op":"le","value":3000000},{"attr":"employees","op":"le","value":300},
			{"attr":"assets","op":"le","value":50000000},{"not":{"attr":"industry_code","op":"prefix","value":["16","70"]}}]}`},
		{"nested groups of every kind with a negated group",
			`{"any":[{"all":[{"attr":"size","op":"in","value":["small","micro"]},{"attr":"age_years","op":"ge","value":1}]},
			{"attr":"tags","op":"has_all","value":["high_tech","zjtx"]},
			{"not":{"any":[{"attr":"dishonest","op":"eq","value":true},{"attr":"tax_credit_grade","op":"in","value":["C","D"]}]}}]}`},
		{"money between with a sub-yuan end, exact to the fen",
			`{"all":[{"attr":"revenue","op":"between","value":[1000000.5,20000000]},{"attr":"rd_expense","op":"gt","value":0.01}]}`},
		{"dates, percent, bool, exists, open lists and a single prefix",
			`{"all":[{"attr":"registered_on","op":"lt","value":"2020-01-01"},{"attr":"registered_on","op":"between","value":["2015-03-01","2019-12-31"]},
			{"attr":"rd_ratio","op":"ge","value":3.5},{"attr":"dishonest","op":"ne","value":true},{"attr":"tax_credit_grade","op":"exists"},
			{"attr":"region_code","op":"in","value":["500109","500106"]},{"attr":"industry_section","op":"prefix","value":"C"},
			{"attr":"tags","op":"has","value":"high_tech"},{"attr":"tags","op":"has_any","value":["zjtx","retired_tag"]},
			{"attr":"employees","op":"not_in","value":[0,1]},{"attr":"size","op":"eq","value":"medium"}]}`},
		{"a single comparison stays a single comparison", `{"attr":"employees","op":"ge","value":10}`},
		{"a negated single comparison stays one", `{"not":{"attr":"dishonest","op":"eq","value":true}}`},
		{"a negated root group", `{"not":{"all":[{"attr":"employees","op":"gt","value":1000},{"attr":"above_scale","op":"eq","value":true}]}}`},
		{"deep nesting", `{"all":[{"any":[{"all":[{"any":[{"attr":"employees","op":"lt","value":5},{"attr":"exports","op":"ge","value":100}]}]}]}]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := pbCompact(t, pbParse(t, tc.tree))
			page, posted := pbRender(t, s, pbFromNode("cond", "conditions", pbParse(t, tc.tree)))
			back := pbRead(posted, "cond", "conditions")
			n, _, ok := back.Node(i18n.Zh)
			if !ok {
				t.Fatalf("the form's own values were refused: %+v\n%s", back.Rows, page)
			}
			if got := pbCompact(t, n); got != want {
				t.Errorf("round trip changed the tree\n got %s\nwant %s\nform %v", got, want, posted)
			}
		})
	}
	t.Run("the empty tree is an empty root group and comes back empty", func(t *testing.T) {
		_, posted := pbRender(t, s, pbFromNode("cond", "conditions", eligibility.Node{}))
		if posted.Get("cond.rows") != "1" {
			t.Errorf("rows = %q", posted.Get("cond.rows"))
		}
		n, _, _ := pbRead(posted, "cond", "conditions").Node(i18n.Zh)
		if r, err := eligibility.Compile(eligibility.Default, n, "conditions"); err != nil || !r.Empty() {
			t.Errorf("empty tree came back as %+v (%v)", n, err)
		}
	})
	t.Run("a double negation comes back as the comparison itself", func(t *testing.T) {
		tree := `{"all":[{"not":{"not":{"attr":"employees","op":"le","value":300}}},{"attr":"dishonest","op":"eq","value":false}]}`
		_, posted := pbRender(t, s, pbFromNode("cond", "conditions", pbParse(t, tree)))
		n, _, _ := pbRead(posted, "cond", "conditions").Node(i18n.Zh)
		want := pbCompact(t, pbParse(t, `{"all":[{"attr":"employees","op":"le","value":300},{"attr":"dishonest","op":"eq","value":false}]}`))
		if got := pbCompact(t, n); got != want {
			t.Errorf("got %s want %s", got, want)
		}
	})
}

// TestConditionBuilderShowsMoneyInWan shows stored yuan as 万元 in the form
// and reads 万元 back exactly.
func TestConditionBuilderShowsMoneyInWan(t *testing.T) {
	s := pbServer(t)
	_, posted := pbRender(t, s, pbFromNode("cond", "conditions",
		pbParse(t, `{"all":[{"attr":"taxable_income","op":"le","value":3000000},{"attr":"revenue","op":"between","value":[1000000.5,20000000]}]}`)))
	for k, want := range map[string]string{"cond[1].v": "300", "cond[2].lo": "100.00005", "cond[2].hi": "2000"} {
		if got := posted.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	posted.Set("cond[1].v", "300.000001") // one fen more than 300 万元
	n, _, ok := pbRead(posted, "cond", "conditions").Node(i18n.Zh)
	if !ok || string(n.All[0].Value) != "3000000.01" {
		t.Errorf("300.000001 万元 became %s (ok %v), want 3000000.01 yuan", n.All[0].Value, ok)
	}
	posted.Set("cond[1].v", "300.0000001") // below a fen: refused, not rounded
	f := pbRead(posted, "cond", "conditions")
	if _, _, ok := f.Node(i18n.Zh); ok || f.Rows[1].Errors["value"] == "" {
		t.Errorf("a sub-fen amount was accepted: %+v", f.Rows[1])
	}
}

// TestConditionBuilderOffersOnlyTheTypesOperators checks that each
// attribute's row offers exactly the operators of its type and the input
// its value needs.
func TestConditionBuilderOffersOnlyTheTypesOperators(t *testing.T) {
	for _, tc := range []struct {
		attr, op, input string
		unit            string
	}{
		{"employees", "", "number", "人"},
		{"taxable_income", "le", "number", "万元"},
		{"rd_ratio", "between", "between", "%"},
		{"registered_on", "lt", "date", ""},
		{"registered_on", "between", "between_date", ""},
		{"dishonest", "eq", "select", ""},
		{"size", "eq", "select", ""},
		{"size", "in", "checks", ""},
		{"tax_credit_grade", "not_in", "checks", ""},
		{"tags", "has", "select", ""},
		{"tags", "has_all", "checks", ""},
		{"industry_code", "prefix", "list", ""},
		{"region_code", "in", "list", ""},
		{"credit_code", "eq", "text", ""},
		{"employees", "exists", "none", "人"},
	} {
		row := pbRow{Kind: "leaf", Attr: tc.attr, Op: tc.op, Errors: map[string]string{}}
		pbPrepareRow(&row, []pbOption{{Code: "high_tech", Label: i18n.M("高新技术企业", "High-tech")}})
		a, _ := eligibility.Default.Lookup(tc.attr)
		ops := eligibility.Ops(a.Type)
		if len(row.Ops) != len(ops) {
			t.Errorf("%s offers %d operators, its type %s allows %d", tc.attr, len(row.Ops), a.Type, len(ops))
		}
		for i, o := range row.Ops {
			if o.Code != string(ops[i]) {
				t.Errorf("%s operator %d is %s, want %s", tc.attr, i, o.Code, ops[i])
			}
		}
		if tc.op == "" && row.Op != string(ops[0]) {
			t.Errorf("%s with no operator chose %q, want the first, %s", tc.attr, row.Op, ops[0])
		}
		if row.Input != tc.input || row.Unit.Zh != tc.unit {
			t.Errorf("%s %s: input %q unit %q, want %q %q", tc.attr, tc.op, row.Input, row.Unit.Zh, tc.input, tc.unit)
		}
	}
	// An operator the new attribute's type does not take is replaced.
	row := pbRow{Kind: "leaf", Attr: "tags", Op: "le", Errors: map[string]string{}}
	pbPrepareRow(&row, nil)
	if row.Op != "has" {
		t.Errorf("tags kept operator le: %q", row.Op)
	}
}

// TestConditionBuilderCommands adds and removes rows and groups.
func TestConditionBuilderCommands(t *testing.T) {
	f := pbFromNode("cond", "conditions", pbParse(t,
		`{"all":[{"attr":"employees","op":"le","value":300},{"any":[{"attr":"size","op":"eq","value":"small"},{"attr":"size","op":"eq","value":"micro"}]},{"attr":"dishonest","op":"eq","value":false}]}`))
	shape := func() string {
		var b strings.Builder
		for _, r := range f.Rows {
			b.WriteString(strings.Repeat(".", r.Depth) + r.Kind + ":" + r.Attr + " ")
		}
		return strings.TrimSpace(b.String())
	}
	if got, want := shape(), "all: .leaf:employees .any: ..leaf:size ..leaf:size .leaf:dishonest"; got != want {
		t.Fatalf("layout %q, want %q", got, want)
	}
	steps := []struct{ cmd, want string }{
		{"add:2", "all: .leaf:employees .any: ..leaf:size ..leaf:size ..leaf: .leaf:dishonest"},
		{"group:0", "all: .leaf:employees .any: ..leaf:size ..leaf:size ..leaf: .leaf:dishonest .all: ..leaf:"},
		{"del:2", "all: .leaf:employees .leaf:dishonest .all: ..leaf:"},
		{"del:0", ""},   // the root cannot be removed
		{"add:1", ""},   // a comparison has no members
		{"del:99", ""},  // out of range
		{"bogus:1", ""}, // unknown
		{"add:x", ""},   // malformed
	}
	for _, st := range steps {
		before := shape()
		done := f.command(st.cmd)
		if st.want == "" {
			if done || shape() != before {
				t.Errorf("%s changed the builder: %q", st.cmd, shape())
			}
			continue
		}
		if !done || shape() != st.want {
			t.Errorf("%s: %q, want %q", st.cmd, shape(), st.want)
		}
	}
}

// TestConditionBuilderRepairsDepths turns a tampered form into a tree.
func TestConditionBuilderRepairsDepths(t *testing.T) {
	form := url.Values{"cond.rows": {"5"},
		"cond[0].kind": {"leaf"}, "cond[0].attr": {"employees"}, "cond[0].op": {"le"}, "cond[0].v": {"300"}, "cond[0].depth": {"3"},
		"cond[1].kind": {"any"}, "cond[1].depth": {"9"},
		"cond[2].kind": {"leaf"}, "cond[2].attr": {"dishonest"}, "cond[2].op": {"eq"}, "cond[2].v": {"false"}, "cond[2].depth": {"7"},
		"cond[3].kind": {"leaf"}, "cond[3].attr": {"exports"}, "cond[3].op": {"exists"}, "cond[3].depth": {"5"},
		"cond[4].kind": {"leaf"}, "cond[4].attr": {"exports"}, "cond[4].op": {"gt"}, "cond[4].v": {"1"}, "cond[4].depth": {"0"},
	}
	f := pbRead(form, "cond", "conditions")
	n, _, ok := f.Node(i18n.Zh)
	if !ok {
		t.Fatalf("refused: %+v", f.Rows)
	}
	want := `{"all":[{"attr":"employees","op":"le","value":300},{"any":[{"attr":"dishonest","op":"eq","value":false},{"attr":"exports","op":"exists"}]},{"attr":"exports","op":"gt","value":10000}]}`
	if got := pbCompact(t, n); got != pbCompact(t, pbParse(t, want)) {
		t.Errorf("got %s\nwant %s", got, want)
	}
	if huge := pbRead(url.Values{"cond.rows": {"100000"}}, "cond", "conditions"); len(huge.Rows) > pbMaxRows+1 {
		t.Errorf("%d rows read from a form claiming 100000", len(huge.Rows))
	}
}

// TestConditionBuilderPlacesErrorsOnRows posts a form with mistakes in
// several rows, including under a negation and in an empty group, and
// requires each message next to the row that caused it.
func TestConditionBuilderPlacesErrorsOnRows(t *testing.T) {
	form := url.Values{"cond.rows": {"8"},
		"cond[0].kind": {"all"}, "cond[0].depth": {"0"},
		"cond[1].kind": {"leaf"}, "cond[1].depth": {"1"}, "cond[1].attr": {"employees"}, "cond[1].op": {"le"}, "cond[1].v": {"三百"},
		"cond[2].kind": {"leaf"}, "cond[2].depth": {"1"}, "cond[2].attr": {"tax_credit_grade"}, "cond[2].op": {"in"}, "cond[2].vs": {"A", "Z"},
		"cond[3].kind": {"leaf"}, "cond[3].depth": {"1"}, "cond[3].not": {"on"}, "cond[3].attr": {"registered_on"}, "cond[3].op": {"lt"}, "cond[3].v": {"2020-13-45"},
		"cond[4].kind": {"any"}, "cond[4].depth": {"1"},
		"cond[5].kind": {"leaf"}, "cond[5].depth": {"1"}, "cond[5].attr": {"revenue"}, "cond[5].op": {"between"}, "cond[5].lo": {"2000"}, "cond[5].hi": {"100"},
		"cond[6].kind": {"leaf"}, "cond[6].depth": {"1"}, "cond[6].attr": {""}, "cond[6].op": {""},
		"cond[7].kind": {"leaf"}, "cond[7].depth": {"1"}, "cond[7].attr": {"tags"}, "cond[7].op": {"le"}, "cond[7].v": {"x"},
	}
	f := pbRead(form, "cond", "conditions")
	if _, ok := f.Compile(i18n.Zh); ok {
		t.Fatal("a form full of mistakes compiled")
	}
	for _, want := range []struct {
		row     int
		part    string
		contain string
	}{
		{1, "value", "数字"},
		{2, "value", "“Z”不是"},
		{3, "value", "YYYY-MM-DD"},
		{4, "row", "至少需要一个条件"},
		{5, "value", "下限不能大于上限"},
		{6, "attr", "请选择属性"},
		{7, "op", "不支持运算符"},
	} {
		if got := f.Rows[want.row].Errors[want.part]; !strings.Contains(got, want.contain) {
			t.Errorf("row %d %s: %q, want it to say %q (all: %v)", want.row, want.part, got, want.contain, f.Rows[want.row].Errors)
		}
	}
	if len(f.Rows[0].Errors) != 0 || len(f.Extra) != 0 {
		t.Errorf("errors left without a row: root %v, extra %v", f.Rows[0].Errors, f.Extra)
	}
	// Everything typed is still there to show again.
	if f.Rows[1].V != "三百" || f.Rows[5].Lo != "2000" || len(f.Rows[2].Vs) != 2 || !f.Rows[3].Not {
		t.Errorf("typed values were lost: %+v", f.Rows)
	}
	page, _ := pbRender(t, pbServer(t), f)
	for _, want := range []string{`value="三百"`, "下限不能大于上限", `id="cond-row-5"`, "pb-row-error"} {
		if !strings.Contains(page, want) {
			t.Errorf("the rendered builder lacks %q", want)
		}
	}
}
