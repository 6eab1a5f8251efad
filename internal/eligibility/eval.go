package eligibility

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/money"
)

// Outcome is a rule's result for one enterprise.
type Outcome string

// The three outcomes.
const (
	Eligible   Outcome = "eligible"
	Ineligible Outcome = "ineligible"
	Unknown    Outcome = "unknown"
)

// Truth is one comparison's result.
type Truth string

// The three truths of a comparison.
const (
	Met          Truth = "met"
	NotMet       Truth = "not_met"
	TruthUnknown Truth = "unknown"
)

// Check explains one comparison of a rule for one enterprise.
type Check struct {
	Attr    string   `json:"attr"`
	Op      Op       `json:"op"`
	Value   any      `json:"value"`  // as written in the rule
	Actual  any      `json:"actual"` // the enterprise's value, in the rule's units; nil if unknown
	Result  Truth    `json:"result"`
	Negated bool     `json:"negated,omitempty"` // under an odd number of "not": the rule wants it not met
	Path    string   `json:"path"`              // where it sits in the tree, e.g. "all[1].any[0]"
	Label   i18n.Msg `json:"-"`
	Text    i18n.Msg `json:"-"` // one sentence: what is required, what is known, the result
}

// Result is a rule's outcome for one enterprise with its explanation.
type Result struct {
	Outcome Outcome
	Checks  []Check
	// Missing are the base attributes whose values would decide an unknown
	// outcome, in catalogue order; empty when the outcome is decided.
	Missing []string
	AsOf    string
}

// Evaluate applies the rule to p and explains every comparison.
func (r *Rule) Evaluate(p *Profile) Result {
	res := Result{Outcome: Eligible, AsOf: p.AsOf}
	if r.root == nil {
		return res
	}
	var checks []Check
	out := eval(r.root, p, false, &checks)
	res.Outcome = outcomeOf(out)
	res.Checks = checks
	if out == TruthUnknown {
		var missing []string
		collectMissing(r.root, p, &missing)
		res.Missing = sortByCatalogue(p.cat, missing)
	}
	return res
}

// Outcome applies the rule to p without explaining; what batch evaluation
// per enterprise uses.
func (r *Rule) Outcome(p *Profile) Outcome {
	if r.root == nil {
		return Eligible
	}
	return outcomeOf(eval(r.root, p, false, nil))
}

func outcomeOf(t Truth) Outcome {
	switch t {
	case Met:
		return Eligible
	case NotMet:
		return Ineligible
	}
	return Unknown
}

// eval is three-valued (Kleene) logic: all is not met if any member is not
// met, else unknown if any is unknown; any is met if any member is met, else
// unknown if any is unknown; not swaps met and not met.
func eval(n *cnode, p *Profile, negated bool, checks *[]Check) Truth {
	switch n.kind {
	case kindLeaf:
		t, actual := n.leaf.test(p)
		if checks != nil {
			*checks = append(*checks, n.leaf.check(t, actual, negated, n.path))
		}
		return t
	case kindNot:
		switch eval(n.kids[0], p, !negated, checks) {
		case Met:
			return NotMet
		case NotMet:
			return Met
		}
		return TruthUnknown
	}
	decisive, other := NotMet, Met
	if n.kind == kindAny {
		decisive, other = Met, NotMet
	}
	out := other
	for _, k := range n.kids {
		switch eval(k, p, negated, checks) {
		case decisive:
			out = decisive
			if checks == nil {
				return out
			}
		case TruthUnknown:
			if out != decisive {
				out = TruthUnknown
			}
		}
	}
	return out
}

// nodeTruth evaluates without recording checks.
func nodeTruth(n *cnode, p *Profile) Truth { return eval(n, p, false, nil) }

// collectMissing gathers the attributes of unknown comparisons that sit
// under unknown groups only: a group already decided does not need them.
func collectMissing(n *cnode, p *Profile, out *[]string) {
	if nodeTruth(n, p) != TruthUnknown {
		return
	}
	if n.kind == kindLeaf {
		for _, name := range n.leaf.missingInputs(p) {
			if !slices.Contains(*out, name) {
				*out = append(*out, name)
			}
		}
		return
	}
	for _, k := range n.kids {
		collectMissing(k, p, out)
	}
}

// missingInputs names what p lacks for the leaf's attribute: its unknown base
// inputs, or the attribute itself when every input is known but it still
// has no value (a ratio over zero revenue).
func (l *Leaf) missingInputs(p *Profile) []string {
	var out []string
	for _, in := range p.cat.BaseInputs(l.Attr.Name) {
		if _, ok := p.vals[in]; !ok {
			out = append(out, in)
		}
	}
	if len(out) == 0 {
		out = append(out, l.Attr.Name)
	}
	return out
}

func sortByCatalogue(cat *Catalogue, names []string) []string {
	index := make(map[string]int, len(cat.attrs))
	for i, a := range cat.attrs {
		index[a.Name] = i
	}
	slices.SortStableFunc(names, func(a, b string) int { return index[a] - index[b] })
	return names
}

// test compares p's value with the leaf's operands.
func (l *Leaf) test(p *Profile) (Truth, *Value) {
	v, ok := p.vals[l.Attr.Name]
	if l.Op == OpExists {
		if !ok {
			return NotMet, nil
		}
		return Met, &v
	}
	if !ok {
		return TruthUnknown, nil
	}
	return truth(l.holds(v)), &v
}

func truth(b bool) Truth {
	if b {
		return Met
	}
	return NotMet
}

// holds reports whether a known value satisfies the comparison.
func (l *Leaf) holds(v Value) bool {
	switch l.Attr.Type {
	case TypeNumber, TypeMoney, TypePercent:
		return compare(l.Op, v.Num, l.Nums)
	case TypeDate:
		return compare(l.Op, v.Str, l.Strs)
	case TypeBool:
		if l.Op == OpNe {
			return v.Bool != l.Bool
		}
		return v.Bool == l.Bool
	case TypeCode:
		switch l.Op {
		case OpPrefix:
			return slices.ContainsFunc(l.Strs, func(pre string) bool { return strings.HasPrefix(v.Str, pre) })
		default:
			return compare(l.Op, v.Str, l.Strs)
		}
	case TypeSet:
		switch l.Op {
		case OpHas, OpHasAny:
			return slices.ContainsFunc(l.Strs, func(s string) bool { return slices.Contains(v.Set, s) })
		case OpHasAll:
			return !slices.ContainsFunc(l.Strs, func(s string) bool { return !slices.Contains(v.Set, s) })
		}
	}
	return false
}

func compare[T float64 | string](op Op, x T, ops []T) bool {
	switch op {
	case OpEq:
		return x == ops[0]
	case OpNe:
		return x != ops[0]
	case OpLt:
		return x < ops[0]
	case OpLe:
		return x <= ops[0]
	case OpGt:
		return x > ops[0]
	case OpGe:
		return x >= ops[0]
	case OpBetween:
		return ops[0] <= x && x <= ops[1]
	case OpIn:
		return slices.Contains(ops, x)
	case OpNotIn:
		return !slices.Contains(ops, x)
	}
	return false
}

// check builds the explanation of one comparison.
func (l *Leaf) check(t Truth, v *Value, negated bool, path string) Check {
	c := Check{Attr: l.Attr.Name, Op: l.Op, Value: l.Value, Result: t, Negated: negated, Path: path, Label: l.Attr.Label}
	if v != nil {
		c.Actual = l.Attr.External(*v)
	}
	required := l.describe()
	var actual i18n.Msg
	if v == nil {
		actual = m("未知", "unknown")
	} else {
		actual = l.Attr.Format(*v)
	}
	var verdict i18n.Msg
	switch {
	case t == TruthUnknown:
		verdict = m("待补充", "to be supplied")
	case (t == Met) != negated:
		verdict = m("符合", "satisfied")
	default:
		verdict = m("不符合", "not satisfied")
	}
	wants := m("", "")
	if negated {
		wants = m("不得", "must not: ")
	}
	c.Text = i18n.M(
		fmt.Sprintf("%s%s %s；实际：%s（%s）", wants.Zh, l.Attr.Label.Zh, required.Zh, actual.Zh, verdict.Zh),
		fmt.Sprintf("%s%s %s; actual: %s (%s)", wants.En, l.Attr.Label.En, required.En, actual.En, verdict.En))
	return c
}

// describe renders the operator and operands, e.g. "不超过 300 人".
func (l *Leaf) describe() i18n.Msg {
	op := opLabels[l.Op]
	if l.Op == OpExists {
		return op
	}
	var zh, en []string
	add := func(msg i18n.Msg) {
		zh = append(zh, msg.Zh)
		en = append(en, msg.En)
	}
	switch l.Attr.Type {
	case TypeNumber, TypeMoney, TypePercent:
		for _, n := range l.Nums {
			add(l.Attr.Format(Value{Num: n}))
		}
	case TypeBool:
		add(l.Attr.Format(Value{Bool: l.Bool}))
	default:
		for _, s := range l.Strs {
			add(l.Attr.Format(Value{Str: s}))
		}
	}
	sep := "、"
	sepEn := ", "
	if l.Op == OpBetween {
		sep, sepEn = " 至 ", " and "
	}
	return i18n.M(op.Zh+" "+strings.Join(zh, sep), op.En+" "+strings.Join(en, sepEn))
}

// External is v in the units of conditions and the API: yuan for money.
func (a *Attribute) External(v Value) any {
	switch a.Type {
	case TypeMoney:
		return v.Num / 100
	case TypeNumber, TypePercent:
		return v.Num
	case TypeBool:
		return v.Bool
	case TypeSet:
		if v.Set == nil {
			return []string{}
		}
		return v.Set
	}
	return v.Str
}

// Format renders v for people, with its unit.
func (a *Attribute) Format(v Value) i18n.Msg {
	switch a.Type {
	case TypeMoney:
		fen := int64(v.Num)
		if fen%1_000_000 == 0 && fen != 0 || fen >= 100_000_000 {
			return i18n.M(money.FormatWanExact(fen)+" 万元", money.FormatYuanGrouped(fen)+" yuan")
		}
		y := money.FormatYuanGrouped(fen)
		return i18n.M(y+" 元", y+" yuan")
	case TypeNumber, TypePercent:
		s := strconv.FormatFloat(v.Num, 'f', -1, 64)
		if a.Type == TypePercent {
			s = strconv.FormatFloat(v.Num, 'f', 2, 64)
			s = strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
			return i18n.M(s+"%", s+"%")
		}
		if a.Unit.IsZero() {
			return i18n.M(s, s)
		}
		return i18n.M(s+" "+a.Unit.Zh, s+" "+a.Unit.En)
	case TypeBool:
		if v.Bool {
			return m("是", "yes")
		}
		return m("否", "no")
	case TypeSet:
		if len(v.Set) == 0 {
			return m("无", "none")
		}
		return i18n.M(strings.Join(v.Set, "、"), strings.Join(v.Set, ", "))
	case TypeCode:
		for _, o := range a.Options {
			if o.Code == v.Str {
				return o.Name
			}
		}
	}
	return i18n.M(v.Str, v.Str)
}
