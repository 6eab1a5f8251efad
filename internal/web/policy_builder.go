package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/qinqing/qinqing/internal/eligibility"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/money"
)

// The condition builder edits an eligibility condition tree with plain form
// fields, so that nobody types JSON. The tree is laid out as rows in
// pre-order, each with its depth: a group row ("all" or "any") owns the
// rows below it that are one level deeper. Any row may be negated, which
// stands for {"not": …} around it. Row 0 is the root group.
//
// Fields, for a prefix such as "cond":
//
//	cond.rows           number of rows
//	cond.wrap           "1" when the stored tree was a single comparison or
//	                    a single negation and the root group was added only
//	                    to edit it; a root with one member is unwrapped again
//	cond[i].depth       0 for the root
//	cond[i].kind        all | any | leaf
//	cond[i].not         "on" to negate the row
//	cond[i].attr        attribute name (leaf)
//	cond[i].op          operator (leaf)
//	cond[i].v           the value as typed: money in 万元, percent in %,
//	                    lists of open codes separated by 、 or commas
//	cond[i].lo, .hi     the ends of "between"
//	cond[i].vs          chosen options of a closed list (repeated)
//	cond.cmd            a builder command from a button: add:i, group:i, del:i
//
// Double negation is written as no negation: in three-valued logic not(not x)
// is x, and an explanation's "negated" flag counts the nots modulo two, so
// nothing the rule says or shows changes.

// pbMaxRows bounds the rows one form may post.
const pbMaxRows = 400

// pbMaxDepth bounds how deep groups may nest in the editor.
const pbMaxDepth = 6

// pbRow is one row of the condition builder, exactly as typed.
type pbRow struct {
	I      int
	Depth  int
	Kind   string // "all", "any" or "leaf"
	Not    bool
	Attr   string
	Op     string
	V      string
	Lo, Hi string
	Vs     []string
	Errors map[string]string // "attr", "op", "value", "row"

	// Filled by prepare for rendering.
	Ops     []pbOption
	Input   string // none, number, date, bool, select, checks, text, list, between, between_date
	Unit    i18n.Msg
	Options []pbOption
	Doc     i18n.Msg
	Last    bool // the last row (for the add buttons' placement)
}

// IsGroup reports whether the row is an all/any group.
func (r pbRow) IsGroup() bool { return r.Kind == "all" || r.Kind == "any" }

// pbOption is one choice of a select or a check list.
type pbOption struct {
	Code     string
	Label    i18n.Msg
	Selected bool
}

// pbForm is the builder's state: its rows, as typed, with their errors.
type pbForm struct {
	Prefix string
	Field  string // the error path of the root, e.g. "conditions"
	Wrap   bool
	Rows   []pbRow
	Extra  []string // errors that belong to no row

	// Filled by prepare.
	Base, Derived []pbOption
	Lang          i18n.Lang
	Kinds         []pbOption
}

// pbNew returns a builder with an empty root group.
func pbNew(prefix, field string) *pbForm {
	return &pbForm{Prefix: prefix, Field: field, Rows: []pbRow{{Kind: "all", Errors: map[string]string{}}}}
}

// pbFromNode lays a stored condition tree out as rows.
func pbFromNode(prefix, field string, n eligibility.Node) *pbForm {
	f := &pbForm{Prefix: prefix, Field: field}
	switch root, _ := unwrapNot(n); {
	case pbEmpty(root):
		return pbNew(prefix, field)
	case root.All == nil && root.Any == nil:
		// A single comparison: edit it inside a root group.
		f.Wrap = true
		f.Rows = append(f.Rows, pbRow{Kind: "all"})
		f.addNode(n, 1)
	default:
		f.addNode(n, 0)
	}
	for i := range f.Rows {
		f.Rows[i].I = i
		f.Rows[i].Errors = map[string]string{}
	}
	return f
}

func pbEmpty(n eligibility.Node) bool {
	return n.All == nil && n.Any == nil && n.Not == nil && n.Attr == "" && n.Op == "" && len(n.Value) == 0
}

// unwrapNot strips nots and reports whether an odd number of them was there.
func unwrapNot(n eligibility.Node) (eligibility.Node, bool) {
	neg := false
	for n.Not != nil {
		n, neg = *n.Not, !neg
	}
	return n, neg
}

func (f *pbForm) addNode(n eligibility.Node, depth int) {
	n, neg := unwrapNot(n)
	switch {
	case n.All != nil || n.Any != nil:
		kind, kids := "all", n.All
		if n.Any != nil {
			kind, kids = "any", n.Any
		}
		f.Rows = append(f.Rows, pbRow{Depth: depth, Kind: kind, Not: neg})
		for _, k := range kids {
			f.addNode(k, depth+1)
		}
	default:
		row := pbRow{Depth: depth, Kind: "leaf", Not: neg, Attr: n.Attr, Op: string(n.Op)}
		pbFillValue(&row, n.Value)
		f.Rows = append(f.Rows, row)
	}
}

// pbFillValue puts a stored value into a row's inputs, in the units the
// form uses (万元 for money).
func pbFillValue(row *pbRow, raw json.RawMessage) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return
	}
	a, _ := eligibility.Default.Lookup(row.Attr)
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		row.V = string(raw)
		return
	}
	text := func(x any) string {
		switch y := x.(type) {
		case json.Number:
			if a != nil && a.Type == eligibility.TypeMoney {
				if fen, err := money.ParseYuan(y.String()); err == nil {
					return money.FormatWanExact(fen)
				}
			}
			return y.String()
		case string:
			return y
		case bool:
			return strconv.FormatBool(y)
		}
		b, _ := json.Marshal(x)
		return string(b)
	}
	list, isList := v.([]any)
	switch {
	case !isList:
		row.V = text(v)
	case eligibility.Op(row.Op) == eligibility.OpBetween && len(list) == 2:
		row.Lo, row.Hi = text(list[0]), text(list[1])
	case a != nil && len(a.Options) > 0 && eligibility.Op(row.Op) != eligibility.OpPrefix:
		for _, x := range list {
			row.Vs = append(row.Vs, text(x))
		}
	default:
		parts := make([]string, len(list))
		for i, x := range list {
			parts[i] = text(x)
		}
		row.V = strings.Join(parts, "、")
	}
}

// pbRead reads the builder's rows from a parsed form, as typed. Depths are
// made consistent (a row sits at most one level below a group above it), so
// that a tampered or half-edited form still makes a tree.
func pbRead(form url.Values, prefix, field string) *pbForm {
	f := &pbForm{Prefix: prefix, Field: field, Wrap: form.Get(prefix+".wrap") == "1"}
	n, _ := strconv.Atoi(form.Get(prefix + ".rows"))
	n = min(max(n, 0), pbMaxRows)
	for i := range n {
		at := func(k string) string { return strings.TrimSpace(form.Get(fmt.Sprintf("%s[%d].%s", prefix, i, k))) }
		depth, _ := strconv.Atoi(at("depth"))
		row := pbRow{Depth: depth, Kind: at("kind"), Not: at("not") == "on", Attr: at("attr"), Op: at("op"),
			V: at("v"), Lo: at("lo"), Hi: at("hi"), Errors: map[string]string{}}
		for _, v := range form[fmt.Sprintf("%s[%d].vs", prefix, i)] {
			if v = strings.TrimSpace(v); v != "" {
				row.Vs = append(row.Vs, v)
			}
		}
		if row.Kind != "all" && row.Kind != "any" {
			row.Kind = "leaf"
		}
		f.Rows = append(f.Rows, row)
	}
	f.normalise()
	return f
}

// normalise makes row 0 a root group and every depth reachable.
func (f *pbForm) normalise() {
	if len(f.Rows) == 0 || !f.Rows[0].IsGroup() {
		f.Rows = append([]pbRow{{Kind: "all", Errors: map[string]string{}}}, f.Rows...)
	}
	f.Rows[0].Depth = 0
	for i := 1; i < len(f.Rows); i++ {
		prev := f.Rows[i-1]
		limit := prev.Depth
		if prev.IsGroup() {
			limit++
		}
		f.Rows[i].Depth = min(max(f.Rows[i].Depth, 1), limit, pbMaxDepth)
	}
	for i := range f.Rows {
		f.Rows[i].I = i
		if f.Rows[i].Errors == nil {
			f.Rows[i].Errors = map[string]string{}
		}
	}
}

// end returns the index after row i's subtree.
func (f *pbForm) end(i int) int {
	j := i + 1
	for j < len(f.Rows) && f.Rows[j].Depth > f.Rows[i].Depth {
		j++
	}
	return j
}

// command applies a builder button: add a comparison or a group at the end
// of group i, or delete row i with everything under it. It reports whether
// cmd was a command.
func (f *pbForm) command(cmd string) bool {
	verb, arg, ok := strings.Cut(cmd, ":")
	i, err := strconv.Atoi(arg)
	if !ok || err != nil || i < 0 || i >= len(f.Rows) {
		return false
	}
	switch verb {
	case "add", "group":
		if !f.Rows[i].IsGroup() {
			return false
		}
		at := f.end(i)
		row := pbRow{Depth: f.Rows[i].Depth + 1, Kind: "leaf", Errors: map[string]string{}}
		if verb == "group" {
			if row.Depth >= pbMaxDepth {
				return false
			}
			row.Kind = "all"
		}
		f.Rows = slices.Insert(f.Rows, at, row)
		if verb == "group" {
			f.Rows = slices.Insert(f.Rows, at+1, pbRow{Depth: row.Depth + 1, Kind: "leaf", Errors: map[string]string{}})
		}
	case "del":
		if i == 0 {
			return false
		}
		f.Rows = slices.Delete(f.Rows, i, f.end(i))
	default:
		return false
	}
	f.normalise()
	return true
}

// pbRowPaths maps an error path ("conditions.all[2]") to the row it names.
type pbRowPaths map[string]int

// Node builds the condition tree the rows describe. Values the form itself
// cannot read (a 万元 amount that is not a number) are marked on their rows
// and make ok false; the tree is still built so that the catalogue's checks
// can report every other row at once.
func (f *pbForm) Node(lang i18n.Lang) (n eligibility.Node, paths pbRowPaths, ok bool) {
	paths = pbRowPaths{}
	ok = true
	root := f.Rows[0]
	kids := f.children(0)
	if len(kids) == 0 {
		return eligibility.Node{}, paths, true
	}
	paths[f.Field] = 0
	if f.Wrap && len(kids) == 1 && !root.Not && root.Kind == "all" {
		n = f.build(kids[0], f.Field, paths, lang, &ok)
		return n, paths, ok
	}
	n = f.build(0, f.Field, paths, lang, &ok)
	return n, paths, ok
}

// children lists the rows directly under group i.
func (f *pbForm) children(i int) []int {
	var out []int
	for j := i + 1; j < f.end(i); j++ {
		if f.Rows[j].Depth == f.Rows[i].Depth+1 {
			out = append(out, j)
		}
	}
	return out
}

func (f *pbForm) build(i int, field string, paths pbRowPaths, lang i18n.Lang, ok *bool) eligibility.Node {
	row := &f.Rows[i]
	paths[field] = i
	inner := field
	if row.Not {
		inner = field + ".not"
		paths[inner] = i
	}
	var n eligibility.Node
	if row.IsGroup() {
		kids := []eligibility.Node{}
		for k, j := range f.children(i) {
			kids = append(kids, f.build(j, fmt.Sprintf("%s.%s[%d]", inner, row.Kind, k), paths, lang, ok))
		}
		if row.Kind == "all" {
			n.All = kids
		} else {
			n.Any = kids
		}
	} else {
		n = pbLeaf(row, lang, ok)
	}
	if row.Not {
		return eligibility.Node{Not: &n}
	}
	return n
}

// pbMultiOps take a list of values.
var pbMultiOps = []eligibility.Op{eligibility.OpIn, eligibility.OpNotIn, eligibility.OpHasAny, eligibility.OpHasAll}

// pbSplit splits a typed list of codes.
func pbSplit(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == '，' || r == '、' || r == ';' || r == '；' || r == ' ' || r == '\n' || r == '\t' || r == '\r' || r == '　'
	})
}

// pbLeaf turns a comparison row into a leaf, reading its value in the
// attribute's type: money typed in 万元 becomes yuan exactly.
func pbLeaf(row *pbRow, lang i18n.Lang, ok *bool) eligibility.Node {
	n := eligibility.Node{Attr: row.Attr, Op: eligibility.Op(row.Op)}
	bad := func(key string, msg i18n.Msg) {
		if _, had := row.Errors[key]; !had {
			row.Errors[key] = msg.In(lang)
		}
		*ok = false
	}
	if row.Attr == "" {
		bad("attr", i18n.M("请选择属性", "Choose an attribute"))
		n.Attr = "_"
		return n
	}
	a, known := eligibility.Default.Lookup(row.Attr)
	if !known || n.Op == eligibility.OpExists || n.Op == "" {
		return n // the catalogue reports an unknown attribute or a missing operator
	}
	scalar := func(s string) (json.RawMessage, bool) {
		if s == "" {
			bad("value", i18n.M("请填写取值", "Enter a value"))
			return nil, false
		}
		switch a.Type {
		case eligibility.TypeNumber, eligibility.TypePercent:
			x, err := strconv.ParseFloat(s, 64)
			if err != nil || x != x || x > 1e15 || x < -1e15 {
				bad("value", i18n.M("请填写数字", "Enter a number"))
				return nil, false
			}
			return json.RawMessage(strconv.FormatFloat(x, 'f', -1, 64)), true
		case eligibility.TypeMoney:
			fen, err := money.ParseWan(s)
			if err != nil {
				bad("value", i18n.M("请填写以万元为单位的金额（最多六位小数）", "Enter an amount in 10k yuan (at most six decimals)"))
				return nil, false
			}
			return json.RawMessage(money.FormatYuan(fen)), true
		case eligibility.TypeBool:
			if s != "true" && s != "false" {
				bad("value", i18n.M("请选择是或否", "Choose yes or no"))
				return nil, false
			}
			return json.RawMessage(s), true
		}
		b, _ := json.Marshal(s)
		return b, true
	}
	list := func(items []string) {
		if len(items) == 0 {
			bad("value", i18n.M("请至少选择或填写一个值", "Choose or enter at least one value"))
			return
		}
		parts := make([]json.RawMessage, 0, len(items))
		for _, it := range items {
			v, good := scalar(it)
			if !good {
				return
			}
			parts = append(parts, v)
		}
		n.Value, _ = json.Marshal(parts)
	}
	switch op := n.Op; {
	case op == eligibility.OpBetween:
		lo, okLo := scalar(row.Lo)
		hi, okHi := scalar(row.Hi)
		if okLo && okHi {
			n.Value, _ = json.Marshal([]json.RawMessage{lo, hi})
		}
	case slices.Contains(pbMultiOps, op):
		// Check boxes for closed lists and the tag vocabulary, a typed
		// list otherwise.
		if len(row.Vs) > 0 {
			list(row.Vs)
		} else {
			list(pbSplit(row.V))
		}
	case op == eligibility.OpPrefix:
		items := pbSplit(row.V)
		if len(items) == 1 {
			n.Value, _ = scalar(items[0])
		} else {
			list(items)
		}
	default:
		n.Value, _ = scalar(row.V)
	}
	return n
}

var pbTailRE = regexp.MustCompile(`\.(attr|op|value(\[\d+\])?|all|any)$`)

// placeErrors puts the catalogue's errors ("conditions.all[2].value[1]")
// on the rows they name; an error whose path names no row is listed above
// the builder. A row keeps the first message for each of its parts. It
// reports false when err is not a validation error.
func (f *pbForm) placeErrors(err error, paths pbRowPaths, lang i18n.Lang) bool {
	var e *errs.Error
	if !errors.As(err, &e) || !errors.Is(err, errs.ErrInvalid) {
		return false
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		msg := e.Fields[k].In(lang)
		path, part := k, "row"
		if m := pbTailRE.FindStringSubmatch(k); m != nil {
			path = strings.TrimSuffix(k, m[0])
			switch {
			case m[1] == "all" || m[1] == "any":
				part = "row"
			case strings.HasPrefix(m[1], "value"):
				part = "value"
			default:
				part = m[1]
			}
		}
		i, found := paths[path]
		if !found {
			f.Extra = append(f.Extra, msg)
			continue
		}
		if _, had := f.Rows[i].Errors[part]; !had {
			f.Rows[i].Errors[part] = msg
		}
	}
	if len(e.Fields) == 0 {
		f.Extra = append(f.Extra, e.Msg.In(lang))
	}
	return true
}

// HasErrors reports whether any row or the builder has an error.
func (f *pbForm) HasErrors() bool {
	if len(f.Extra) > 0 {
		return true
	}
	for _, r := range f.Rows {
		if len(r.Errors) > 0 {
			return true
		}
	}
	return false
}

// Compile builds the tree from the rows and checks it against the
// catalogue, placing every problem on its row. ok is false when anything
// is wrong.
func (f *pbForm) Compile(lang i18n.Lang) (*eligibility.Rule, bool) {
	n, paths, ok := f.Node(lang)
	rule, err := eligibility.Compile(eligibility.Default, n, f.Field)
	if err != nil {
		if !f.placeErrors(err, paths, lang) {
			f.Extra = append(f.Extra, err.Error())
		}
		return nil, false
	}
	return rule, ok
}

// prepare fills what the template needs: attribute and operator lists,
// each row's input kind and options. tags are the qualification vocabulary.
func (f *pbForm) prepare(lang i18n.Lang, tags []pbOption) {
	f.Lang = lang
	f.Base, f.Derived = nil, nil
	for _, a := range eligibility.Default.Attributes() {
		o := pbOption{Code: a.Name, Label: a.Label}
		if a.Derived() {
			f.Derived = append(f.Derived, o)
		} else {
			f.Base = append(f.Base, o)
		}
	}
	f.Kinds = []pbOption{{Code: "all", Label: i18n.M("以下条件全部满足", "All of the following")},
		{Code: "any", Label: i18n.M("以下条件满足其一", "Any of the following")}}
	for i := range f.Rows {
		f.Rows[i].I = i
		f.Rows[i].Last = i == len(f.Rows)-1
		pbPrepareRow(&f.Rows[i], tags)
	}
}

// pbPrepareRow chooses the operators the row's attribute allows and the
// input its value needs.
func pbPrepareRow(row *pbRow, tags []pbOption) {
	row.Ops, row.Options, row.Input, row.Unit, row.Doc = nil, nil, "none", i18n.Msg{}, i18n.Msg{}
	if row.IsGroup() {
		return
	}
	a, ok := eligibility.Default.Lookup(row.Attr)
	if !ok {
		return
	}
	row.Doc = a.Doc
	ops := eligibility.Ops(a.Type)
	if !slices.Contains(ops, eligibility.Op(row.Op)) {
		// A new attribute, or one whose type does not take the old
		// operator: offer its first operator (the catalogue's error,
		// if the form was posted, says which ones it takes).
		row.Op = string(ops[0])
	}
	for _, op := range ops {
		row.Ops = append(row.Ops, pbOption{Code: string(op), Label: eligibility.OpLabel(op), Selected: string(op) == row.Op})
	}
	op := eligibility.Op(row.Op)
	closed := a.Options
	var opts []pbOption
	for _, o := range closed {
		opts = append(opts, pbOption{Code: o.Code, Label: o.Name})
	}
	if a.Type == eligibility.TypeSet {
		opts = slices.Clone(tags)
	}
	if a.Type == eligibility.TypeBool {
		opts = []pbOption{{Code: "true", Label: i18n.M("是", "Yes")}, {Code: "false", Label: i18n.M("否", "No")}}
	}
	switch a.Type {
	case eligibility.TypeMoney:
		row.Unit = i18n.M("万元", "× 10k yuan")
	case eligibility.TypePercent:
		row.Unit = i18n.M("%", "%")
	default:
		row.Unit = a.Unit
	}
	multi := slices.Contains(pbMultiOps, op)
	switch {
	case op == eligibility.OpExists:
		row.Input = "none"
	case op == eligibility.OpBetween && a.Type == eligibility.TypeDate:
		row.Input = "between_date"
	case op == eligibility.OpBetween:
		row.Input = "between"
	case a.Type == eligibility.TypeDate:
		row.Input = "date"
	case a.Type == eligibility.TypeBool:
		row.Input = "select"
	case op == eligibility.OpPrefix:
		row.Input = "list"
	case multi && len(opts) > 0 && (len(closed) > 0 || a.Type == eligibility.TypeSet):
		row.Input = "checks"
	case multi:
		row.Input = "list"
	case len(opts) > 0:
		row.Input = "select"
	case a.Type == eligibility.TypeNumber || a.Type == eligibility.TypeMoney || a.Type == eligibility.TypePercent:
		row.Input = "number"
	default:
		row.Input = "text"
	}
	switch row.Input {
	case "checks":
		// A single value typed before (has, eq) carries over as a choice.
		if len(row.Vs) == 0 && row.V != "" {
			row.Vs = pbSplit(row.V)
		}
		for i := range opts {
			opts[i].Selected = slices.Contains(row.Vs, opts[i].Code)
		}
		// Codes stored earlier but no longer offered stay visible.
		for _, v := range row.Vs {
			if !slices.ContainsFunc(opts, func(o pbOption) bool { return o.Code == v }) {
				opts = append(opts, pbOption{Code: v, Label: i18n.M(v, v), Selected: true})
			}
		}
	case "select":
		if row.V == "" && len(row.Vs) > 0 {
			row.V = row.Vs[0]
		}
		for i := range opts {
			opts[i].Selected = opts[i].Code == row.V
		}
		if row.V != "" && !slices.ContainsFunc(opts, func(o pbOption) bool { return o.Code == row.V }) {
			opts = append(opts, pbOption{Code: row.V, Label: i18n.M(row.V, row.V), Selected: true})
		}
	case "list", "text":
		if row.V == "" && len(row.Vs) > 0 {
			row.V = strings.Join(row.Vs, "、")
		}
	}
	row.Options = opts
}

// pbTagOptions is the qualification vocabulary as builder choices.
func (s *Server) pbTagOptions(r *http.Request) []pbOption {
	if s.Enterprise == nil {
		return nil
	}
	defs, err := s.Enterprise.Tags(r.Context(), true)
	if err != nil {
		s.Log.Warn("condition builder tags", "err", err)
		return nil
	}
	out := make([]pbOption, 0, len(defs))
	for _, d := range defs {
		out = append(out, pbOption{Code: d.Code, Label: d.Name})
	}
	return out
}

// pbPrefixRE keeps builder prefixes to plain names.
var pbPrefixRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,19}$`)

// pbRequest reads the prefix of a builder fragment request.
func pbRequest(r *http.Request) (string, bool) {
	prefix := r.URL.Query().Get("prefix")
	return prefix, pbPrefixRE.MatchString(prefix)
}

// pbMayEdit allows the builder's fragments to staff who write rules.
func (s *Server) pbMayEdit(w http.ResponseWriter, r *http.Request) bool {
	p, ok := s.requireUser(w, r)
	if !ok {
		return false
	}
	if !policyEditor(p) {
		s.fail(w, r, errs.Forbidden())
		return false
	}
	return true
}

// pbRowFragment answers the builder when a row's attribute or operator
// changes: the row again, with the operators the attribute allows and the
// value input its type needs, everything typed kept.
func (s *Server) pbRowFragment(w http.ResponseWriter, r *http.Request) {
	if !s.pbMayEdit(w, r) {
		return
	}
	prefix, ok := pbRequest(r)
	i, err := strconv.Atoi(r.URL.Query().Get("i"))
	if !ok || err != nil || i < 0 || i >= pbMaxRows {
		s.fail(w, r, errs.Invalid("i", i18n.M("参数无效", "bad parameter")))
		return
	}
	q := r.URL.Query()
	at := func(k string) string { return strings.TrimSpace(q.Get(fmt.Sprintf("%s[%d].%s", prefix, i, k))) }
	depth, _ := strconv.Atoi(at("depth"))
	row := pbRow{I: i, Depth: min(max(depth, 1), pbMaxDepth), Kind: "leaf", Not: at("not") == "on", Attr: at("attr"), Op: at("op"),
		V: at("v"), Lo: at("lo"), Hi: at("hi"), Vs: q[fmt.Sprintf("%s[%d].vs", prefix, i)], Errors: map[string]string{}}
	if was := at("was"); was != row.Attr {
		// Another attribute: the old value means nothing to it.
		row.Op, row.V, row.Lo, row.Hi, row.Vs = "", "", "", "", nil
	}
	pbPrepareRow(&row, s.pbTagOptions(r))
	f := &pbForm{Prefix: prefix}
	f.prepare(httpmw.Lang(r), nil)
	s.renderFragment(w, r, "policy_builder_row", map[string]any{"F": f, "R": row})
}

// pbCommandFragment answers a builder button under htmx: the whole builder
// with the row added or removed, nothing saved.
func (s *Server) pbCommandFragment(w http.ResponseWriter, r *http.Request) {
	if !s.pbMayEdit(w, r) {
		return
	}
	prefix, ok := pbRequest(r)
	if !ok || r.ParseForm() != nil {
		s.fail(w, r, errs.Invalid("prefix", i18n.M("参数无效", "bad parameter")))
		return
	}
	f := pbRead(r.PostForm, prefix, r.URL.Query().Get("field"))
	f.command(r.PostForm.Get(prefix + ".cmd"))
	f.prepare(httpmw.Lang(r), s.pbTagOptions(r))
	s.renderFragment(w, r, "policy_builder", f)
}
