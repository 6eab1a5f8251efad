package eligibility

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/money"
)

// Node is a condition tree as policies store and the API carries it:
// exactly one of All, Any, Not, or a leaf (Attr, Op, Value).
//
//	{"all":[{"attr":"employees","op":"le","value":300},
//	        {"not":{"attr":"industry_code","op":"prefix","value":["16","70"]}}]}
//
// Money values are yuan; percent values are percent (5 means 5 %); dates are
// YYYY-MM-DD. The empty tree {} has no conditions: everyone is eligible.
type Node struct {
	All   []Node          `json:"all,omitempty"`
	Any   []Node          `json:"any,omitempty"`
	Not   *Node           `json:"not,omitempty"`
	Attr  string          `json:"attr,omitempty"`
	Op    Op              `json:"op,omitempty"`
	Value json.RawMessage `json:"value,omitempty"`
}

// Op is a leaf's operator.
type Op string

// The operators.
const (
	OpEq      Op = "eq"
	OpNe      Op = "ne"
	OpLt      Op = "lt"
	OpLe      Op = "le"
	OpGt      Op = "gt"
	OpGe      Op = "ge"
	OpIn      Op = "in"
	OpNotIn   Op = "not_in"
	OpBetween Op = "between" // inclusive at both ends
	OpHas     Op = "has"
	OpHasAny  Op = "has_any"
	OpHasAll  Op = "has_all"
	OpPrefix  Op = "prefix" // one prefix or a list, any of which matches
	OpExists  Op = "exists" // the value is known; never unknown itself
)

// The operators each type allows.
var (
	numberOps = []Op{OpEq, OpNe, OpLt, OpLe, OpGt, OpGe, OpIn, OpNotIn, OpBetween, OpExists}
	opsByType = map[Type][]Op{
		TypeNumber:  numberOps,
		TypeMoney:   numberOps,
		TypePercent: numberOps,
		TypeDate:    {OpEq, OpNe, OpLt, OpLe, OpGt, OpGe, OpBetween, OpExists},
		TypeCode:    {OpEq, OpNe, OpIn, OpNotIn, OpPrefix, OpExists},
		TypeBool:    {OpEq, OpNe, OpExists},
		TypeSet:     {OpHas, OpHasAny, OpHasAll, OpExists},
	}
)

// Ops returns the operators an attribute of type t allows, in editor order.
func Ops(t Type) []Op { return opsByType[t] }

// OpLabel is how the editor and explanations name an operator.
func OpLabel(op Op) i18n.Msg { return opLabels[op] }

var opLabels = map[Op]i18n.Msg{
	OpEq:      m("等于", "equals"),
	OpNe:      m("不等于", "does not equal"),
	OpLt:      m("小于", "is less than"),
	OpLe:      m("不超过", "is at most"),
	OpGt:      m("大于", "is more than"),
	OpGe:      m("不低于", "is at least"),
	OpIn:      m("属于", "is one of"),
	OpNotIn:   m("不属于", "is none of"),
	OpBetween: m("介于", "is between"),
	OpHas:     m("持有", "includes"),
	OpHasAny:  m("持有任一", "includes any of"),
	OpHasAll:  m("全部持有", "includes all of"),
	OpPrefix:  m("以…开头", "starts with"),
	OpExists:  m("已填报", "is known"),
}

// Rule is a compiled, checked condition tree.
type Rule struct {
	tree  Node
	root  *cnode // nil: no conditions
	attrs []string
}

// kind is what a compiled node is: a comparison or a group.
type kind uint8

const (
	kindLeaf kind = iota
	kindAll
	kindAny
	kindNot
)

// cnode is a compiled node of a condition tree.
type cnode struct {
	kind kind
	kids []*cnode
	leaf *Leaf
	path string // e.g. "all[1].not"
}

// Leaf is one compiled comparison.
type Leaf struct {
	Attr  *Attribute
	Op    Op
	Value any // as written: float64, string, bool or []any
	// Normalised operands: Nums (fen for money) for numbers, Strs for codes,
	// dates and tags, Bool for bool.
	Nums []float64
	Strs []string
	Bool bool
}

// Tree returns the rule as stored.
func (r *Rule) Tree() Node { return r.tree }

// Empty reports whether the rule has no conditions.
func (r *Rule) Empty() bool { return r.root == nil }

// Attributes lists the attributes the rule reads, in first-use order.
func (r *Rule) Attributes() []string { return r.attrs }

// Leaves returns the rule's comparisons in tree order.
func (r *Rule) Leaves() []*Leaf {
	var out []*Leaf
	var walk func(n *cnode)
	walk = func(n *cnode) {
		if n == nil {
			return
		}
		if n.leaf != nil {
			out = append(out, n.leaf)
		}
		for _, k := range n.kids {
			walk(k)
		}
	}
	walk(r.root)
	return out
}

// MarshalJSON writes the tree.
func (r *Rule) MarshalJSON() ([]byte, error) { return json.Marshal(r.tree) }

// Parse decodes and compiles a JSON condition tree. Problems are returned as
// an errs.ErrInvalid naming every offending node under field (e.g.
// "conditions.all[2].value"). Empty input or null means no conditions.
func Parse(cat *Catalogue, data []byte, field string) (*Rule, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || bytes.Equal(data, []byte("null")) {
		return &Rule{}, nil
	}
	var n Node
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err := dec.Decode(&n)
	if err == nil && dec.More() {
		err = errors.New("unexpected data after the condition tree")
	}
	if err != nil {
		return nil, errs.Invalid(field, m(
			"条件不是有效的条件树 JSON："+err.Error(),
			"the conditions are not a valid condition tree: "+err.Error()))
	}
	return Compile(cat, n, field)
}

// Compile checks n against cat and compiles it.
func Compile(cat *Catalogue, n Node, field string) (*Rule, error) {
	r := &Rule{}
	if isEmpty(n) {
		return r, nil
	}
	f := errs.Fields{}
	c := compiler{cat: cat, f: f, rule: r}
	root, tree := c.node(n, field, "")
	if err := f.Err(); err != nil {
		return nil, err
	}
	r.root, r.tree = root, tree
	return r, nil
}

// isEmpty reports whether n is the tree without conditions, {}.
func isEmpty(n Node) bool {
	return n.All == nil && n.Any == nil && n.Not == nil && n.Attr == "" && n.Op == "" && len(n.Value) == 0
}

// compiler checks a tree, collecting every problem in f.
type compiler struct {
	cat  *Catalogue
	f    errs.Fields
	rule *Rule
}

// node compiles n at field (the error path) and path (the explanation
// path), returning the compiled node and the tree as it is stored.
func (c *compiler) node(n Node, field, path string) (*cnode, Node) {
	shapes := 0
	if n.All != nil {
		shapes++
	}
	if n.Any != nil {
		shapes++
	}
	if n.Not != nil {
		shapes++
	}
	if n.Attr != "" || n.Op != "" || len(n.Value) > 0 {
		shapes++
	}
	if shapes != 1 {
		c.f.Add(field, m("每个条件须且只能是 all、any、not 或一个比较（attr/op/value）之一",
			"each condition must be exactly one of all, any, not or a comparison (attr/op/value)"))
		return nil, n
	}
	join := func(seg string) string {
		if path == "" {
			return seg
		}
		return path + "." + seg
	}
	switch {
	case n.All != nil || n.Any != nil:
		kids, k, name := n.All, kindAll, "all"
		if n.Any != nil {
			kids, k, name = n.Any, kindAny, "any"
		}
		if len(kids) == 0 {
			c.f.Add(joinField(field, name), m("条件组至少需要一个条件", "a condition group needs at least one condition"))
			return nil, n
		}
		out := &cnode{kind: k, path: join(name)}
		tree := make([]Node, len(kids))
		for i, kid := range kids {
			seg := fmt.Sprintf("%s[%d]", name, i)
			cn, t := c.node(kid, joinField(field, seg), join(seg))
			out.kids = append(out.kids, cn)
			tree[i] = t
		}
		if k == kindAll {
			return out, Node{All: tree}
		}
		return out, Node{Any: tree}
	case n.Not != nil:
		cn, t := c.node(*n.Not, joinField(field, "not"), join("not"))
		return &cnode{kind: kindNot, kids: []*cnode{cn}, path: join("not")}, Node{Not: &t}
	}
	leaf, ok := c.leaf(n, field)
	if !ok {
		return nil, n
	}
	if !slices.Contains(c.rule.attrs, leaf.Attr.Name) {
		c.rule.attrs = append(c.rule.attrs, leaf.Attr.Name)
	}
	var compact bytes.Buffer
	if len(n.Value) > 0 {
		_ = json.Compact(&compact, n.Value)
	}
	return &cnode{kind: kindLeaf, leaf: leaf, path: path},
		Node{Attr: n.Attr, Op: n.Op, Value: json.RawMessage(compact.Bytes())}
}

// leaf checks a comparison: a known attribute, an operator its type
// allows, and operands of the right shape and type.
func (c *compiler) leaf(n Node, field string) (*Leaf, bool) {
	a, ok := c.cat.Lookup(n.Attr)
	if !ok {
		c.f.Add(joinField(field, "attr"), m("未知属性 “"+n.Attr+"”", "unknown attribute “"+n.Attr+"”"))
		return nil, false
	}
	if !slices.Contains(opsByType[a.Type], n.Op) {
		names := make([]string, 0, len(opsByType[a.Type]))
		for _, op := range opsByType[a.Type] {
			names = append(names, string(op))
		}
		c.f.Add(joinField(field, "op"), m(
			fmt.Sprintf("“%s”不支持运算符 “%s”，可用：%s", a.Label.Zh, n.Op, strings.Join(names, ", ")),
			fmt.Sprintf("%s does not take operator “%s”; allowed: %s", a.Label.En, n.Op, strings.Join(names, ", "))))
		return nil, false
	}
	l := &Leaf{Attr: a, Op: n.Op}
	if n.Op == OpExists {
		if len(n.Value) > 0 && !bytes.Equal(bytes.TrimSpace(n.Value), []byte("true")) {
			c.f.Add(joinField(field, "value"), m("exists 不需要取值（或取 true）", "exists takes no value (or true)"))
			return nil, false
		}
		return l, true
	}
	if len(n.Value) == 0 {
		c.f.Add(joinField(field, "value"), m("请填写比较的值", "a value to compare with is required"))
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(n.Value))
	dec.UseNumber()
	var raw any
	if err := dec.Decode(&raw); err != nil {
		c.f.Add(joinField(field, "value"), m("取值不是有效的 JSON", "the value is not valid JSON"))
		return nil, false
	}
	var items []any
	switch n.Op {
	case OpIn, OpNotIn, OpHasAny, OpHasAll:
		list, isList := raw.([]any)
		if !isList || len(list) == 0 {
			c.f.Add(joinField(field, "value"), m("取值须为非空列表", "the value must be a non-empty list"))
			return nil, false
		}
		items = list
	case OpBetween:
		list, isList := raw.([]any)
		if !isList || len(list) != 2 {
			c.f.Add(joinField(field, "value"), m("介于须给出 [下限, 上限] 两个值", "between takes [low, high]"))
			return nil, false
		}
		items = list
	case OpPrefix:
		if list, isList := raw.([]any); isList {
			if len(list) == 0 {
				c.f.Add(joinField(field, "value"), m("取值须为非空列表", "the value must be a non-empty list"))
				return nil, false
			}
			items = list
		} else {
			items = []any{raw}
		}
	default:
		if _, isList := raw.([]any); isList {
			c.f.Add(joinField(field, "value"), m("此运算符只接受一个值", "this operator takes a single value"))
			return nil, false
		}
		items = []any{raw}
	}
	_, isList := raw.([]any)
	for i, it := range items {
		if !c.operand(l, a, it, field, i, isList) {
			return nil, false
		}
	}
	if n.Op == OpBetween {
		lo, hi := 0, 1
		bad := false
		if a.Type == TypeDate {
			bad = l.Strs[lo] > l.Strs[hi]
		} else {
			bad = l.Nums[lo] > l.Nums[hi]
		}
		if bad {
			c.f.Add(joinField(field, "value"), m("下限不能大于上限", "the low end cannot exceed the high end"))
			return nil, false
		}
	}
	l.Value = plain(raw)
	return l, true
}

// operand checks and normalises one value of a leaf.
func (c *compiler) operand(l *Leaf, a *Attribute, v any, field string, i int, list bool) bool {
	where := joinField(field, "value")
	if list {
		where = fmt.Sprintf("%s[%d]", where, i)
	}
	bad := func(zh, en string) bool {
		c.f.Add(where, m(zh, en))
		return false
	}
	switch a.Type {
	case TypeNumber, TypePercent:
		num, ok := v.(json.Number)
		if !ok {
			return bad("“"+a.Label.Zh+"”的取值须为数字", a.Label.En+" takes a number")
		}
		f, err := num.Float64()
		if err != nil {
			return bad("数字无效", "invalid number")
		}
		l.Nums = append(l.Nums, f)
	case TypeMoney:
		num, ok := v.(json.Number)
		if !ok {
			return bad("“"+a.Label.Zh+"”的取值须为以元为单位的数字", a.Label.En+" takes a number of yuan")
		}
		fen, err := money.ParseYuan(num.String())
		if err != nil {
			return bad("金额无效（以元为单位，最多两位小数）", "invalid amount (yuan, at most two decimals)")
		}
		l.Nums = append(l.Nums, float64(fen))
	case TypeDate:
		s, ok := v.(string)
		if _, err := time.Parse(time.DateOnly, s); !ok || err != nil {
			return bad("日期格式须为 YYYY-MM-DD", "dates are written YYYY-MM-DD")
		}
		l.Strs = append(l.Strs, s)
	case TypeBool:
		b, ok := v.(bool)
		if !ok {
			return bad("取值须为 true 或 false", "the value must be true or false")
		}
		l.Bool = b
	case TypeCode, TypeSet:
		s, ok := v.(string)
		s = strings.TrimSpace(s)
		if !ok || s == "" {
			return bad("取值须为非空的代码", "the value must be a non-empty code")
		}
		if len(a.Options) > 0 && l.Op != OpPrefix && !slices.ContainsFunc(a.Options, func(o Option) bool { return o.Code == s }) {
			codes := make([]string, len(a.Options))
			for i, o := range a.Options {
				codes[i] = o.Code
			}
			return bad(fmt.Sprintf("“%s”不是“%s”的可选值（%s）", s, a.Label.Zh, strings.Join(codes, ", ")),
				fmt.Sprintf("“%s” is not a value of %s (%s)", s, a.Label.En, strings.Join(codes, ", ")))
		}
		l.Strs = append(l.Strs, s)
	}
	return true
}

// plain turns json.Number inside a decoded value into float64.
func plain(v any) any {
	switch x := v.(type) {
	case json.Number:
		f, _ := x.Float64()
		return f
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = plain(e)
		}
		return out
	}
	return v
}
