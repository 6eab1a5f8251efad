package eligibility

import (
	"cmp"
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
	// Missing are what could still decide an unknown outcome, in catalogue
	// order; empty when the outcome is decided. They are base attributes
	// without a value that an undecided comparison needs (for a derived
	// one, only the inputs that matter: a manufacturer's size class needs
	// revenue, not assets), a known base attribute too coarse for its
	// standard (an industry section spanning several size-table rows), or
	// a derived attribute whose known inputs give it no value (a ratio over
	// zero revenue). Nothing left off the list can decide the outcome.
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

// outcomeOf is the outcome of a rule whose root has truth t.
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

// openTruth is n's truth while missing values may still be supplied: as
// eval, except that exists over a missing value is unknown rather than not
// met, since supplying the value would meet it.
func openTruth(n *cnode, p *Profile) Truth {
	switch n.kind {
	case kindLeaf:
		if n.leaf.Op == OpExists {
			if _, ok := p.vals[n.leaf.Attr.Name]; !ok {
				return TruthUnknown
			}
		}
		t, _ := n.leaf.test(p)
		return t
	case kindNot:
		switch openTruth(n.kids[0], p) {
		case Met:
			return NotMet
		case NotMet:
			return Met
		}
		return TruthUnknown
	}
	decisive, out := NotMet, Met
	if n.kind == kindAny {
		decisive, out = Met, NotMet
	}
	for _, k := range n.kids {
		switch openTruth(k, p) {
		case decisive:
			return decisive
		case TruthUnknown:
			out = TruthUnknown
		}
	}
	return out
}

// collectMissing gathers what the comparisons need that are still open
// under groups that are still open: a group already decided by what is known
// does not need the rest, whatever it turns out to be.
func collectMissing(n *cnode, p *Profile, out *[]string) {
	if openTruth(n, p) != TruthUnknown {
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

// missingInputs names what p lacks for the leaf's attribute: the base
// attributes that could still make it known (see Profile.missingFor).
func (l *Leaf) missingInputs(p *Profile) []string { return p.missingFor(l.Attr.Name) }

// sortByCatalogue orders attribute names as the catalogue lists them.
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

// truth is a known comparison's truth.
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

// compare applies an order or membership operator; strings compare as
// YYYY-MM-DD dates or codes.
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
	c.Text = l.sentence(t, v, negated)
	return c
}

// sentence says what the comparison requires, what the enterprise has and
// whether that satisfies the rule, e.g. “行业代码 须不以 16 开头；实际：3670
// （符合）”. Under an odd number of “not” the requirement is stated the way
// the rule wants it (须不以…开头), and “符合” means what the rule wants.
func (l *Leaf) sentence(t Truth, v *Value, negated bool) i18n.Msg {
	req := l.Requirement(negated)
	actual := m("未知", "unknown")
	if v != nil {
		actual = l.formatActual(*v)
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
	return i18n.M(
		fmt.Sprintf("%s %s；实际：%s（%s）", l.Attr.Label.Zh, req.Zh, actual.Zh, verdict.Zh),
		fmt.Sprintf("%s %s; actual: %s (%s)", l.Attr.Label.En, req.En, actual.En, verdict.En))
}

// phrase is how a requirement reads: a pattern for one operand, one for
// several (joined by sep), and for between the pattern of its two ends.
type phrase struct {
	zh, en       string // with one %s for the operand(s); between has two
	zhMany       string // for a list of several, when it reads differently
	enMany       string
	sepZh, sepEn string
}

// phrases state each operator as a requirement (须…/must …); notPhrases
// state its negation, the way a rule under “not” wants it.
var phrases = map[Op]phrase{
	OpEq:      {zh: "须为 %s", en: "must be %s"},
	OpNe:      {zh: "须不为 %s", en: "must not be %s"},
	OpLt:      {zh: "须小于 %s", en: "must be less than %s"},
	OpLe:      {zh: "须不超过 %s", en: "must be at most %s"},
	OpGt:      {zh: "须超过 %s", en: "must be more than %s"},
	OpGe:      {zh: "须不低于 %s", en: "must be at least %s"},
	OpBetween: {zh: "须在 %s 至 %s 之间（含两端）", en: "must be between %s and %s inclusive"},
	OpIn:      {zh: "须为 %s", en: "must be %s", zhMany: "须为 %s 之一", enMany: "must be one of %s"},
	OpNotIn:   {zh: "须不为 %s", en: "must not be %s", zhMany: "须不为 %s 中的任何一个", enMany: "must be none of %s"},
	OpHas:     {zh: "须持有 %s", en: "must include %s"},
	OpHasAny:  {zh: "须持有 %s", en: "must include %s", zhMany: "须至少持有 %s 中的一项", enMany: "must include at least one of %s"},
	OpHasAll:  {zh: "须持有 %s", en: "must include %s", zhMany: "须同时持有 %s", enMany: "must include all of %s", sepEn: " and "},
	OpPrefix:  {zh: "须以 %s 开头", en: "must start with %s", sepZh: " 或 ", sepEn: " or "},
	OpExists:  {zh: "须有记录", en: "must be on record"},
}

var notPhrases = map[Op]phrase{
	OpEq:      phrases[OpNe],
	OpNe:      phrases[OpEq],
	OpLt:      phrases[OpGe],
	OpLe:      phrases[OpGt],
	OpGt:      phrases[OpLe],
	OpGe:      phrases[OpLt],
	OpBetween: {zh: "须低于 %s 或超过 %s", en: "must be less than %s or more than %s"},
	OpIn:      phrases[OpNotIn],
	OpNotIn:   phrases[OpIn],
	OpHas:     {zh: "须未持有 %s", en: "must not include %s"},
	OpHasAny:  {zh: "须未持有 %s", en: "must not include %s", zhMany: "须不持有 %s 中的任何一项", enMany: "must include none of %s"},
	OpHasAll:  {zh: "须未持有 %s", en: "must not include %s", zhMany: "须未同时持有 %s", enMany: "must not include all of %s", sepEn: " and "},
	OpPrefix:  {zh: "须不以 %s 开头", en: "must not start with %s", sepZh: " 或 ", sepEn: " or "},
	OpExists:  {zh: "须无记录", en: "must not be on record"},
}

// datePhrases replace the order comparisons for dates: earlier and later.
var datePhrases = map[Op]phrase{
	OpLt:      {zh: "须早于 %s", en: "must be before %s"},
	OpLe:      {zh: "须不晚于 %s", en: "must be on or before %s"},
	OpGt:      {zh: "须晚于 %s", en: "must be after %s"},
	OpGe:      {zh: "须不早于 %s", en: "must be on or after %s"},
	OpBetween: {zh: "须在 %s 至 %s 之间（含两端）", en: "must be between %s and %s inclusive"},
}

var dateNotPhrases = map[Op]phrase{
	OpLt:      datePhrases[OpGe],
	OpLe:      datePhrases[OpGt],
	OpGt:      datePhrases[OpLe],
	OpGe:      datePhrases[OpLt],
	OpBetween: {zh: "须早于 %s 或晚于 %s", en: "must be before %s or after %s"},
}

// Requirement states what the comparison requires, with its operands in
// their units (“须不超过 300 万元”, “must be at most 3,000,000 yuan”), or
// with negated what the rule wants when it sits under an odd number of “not”
// (“须不以 16 开头”).
func (l *Leaf) Requirement(negated bool) i18n.Msg {
	table := phrases
	if negated {
		table = notPhrases
	}
	ph := table[l.Op]
	if l.Attr.Type == TypeDate {
		dates := datePhrases
		if negated {
			dates = dateNotPhrases
		}
		if dp, ok := dates[l.Op]; ok {
			ph = dp
		}
	}
	if l.Op == OpExists {
		return i18n.M(ph.zh, ph.en)
	}
	if l.Attr.Type == TypeBool {
		// “须不为 是” is “须为 否”: say the value wanted.
		want := l.Bool != (l.Op == OpNe) != negated
		v := l.Attr.Format(Value{Bool: want})
		return i18n.M("须为 "+v.Zh, "must be "+v.En)
	}
	ops := l.operands()
	if l.Op == OpBetween {
		return i18n.M(fmt.Sprintf(ph.zh, ops[0].Zh, ops[1].Zh), fmt.Sprintf(ph.en, ops[0].En, ops[1].En))
	}
	zhPat, enPat := ph.zh, ph.en
	if len(ops) > 1 && ph.zhMany != "" {
		zhPat, enPat = ph.zhMany, ph.enMany
	}
	sepZh, sepEn := cmp.Or(ph.sepZh, "、"), cmp.Or(ph.sepEn, ", ")
	zh := make([]string, len(ops))
	en := make([]string, len(ops))
	for i, o := range ops {
		zh[i], en[i] = o.Zh, o.En
	}
	return i18n.M(fmt.Sprintf(zhPat, strings.Join(zh, sepZh)), fmt.Sprintf(enPat, strings.Join(en, sepEn)))
}

// operands renders the leaf's values in their units.
func (l *Leaf) operands() []i18n.Msg {
	var out []i18n.Msg
	switch l.Attr.Type {
	case TypeNumber, TypeMoney, TypePercent:
		for _, n := range l.Nums {
			out = append(out, l.Attr.Format(Value{Num: n}))
		}
	case TypeBool:
		out = append(out, l.Attr.Format(Value{Bool: l.Bool}))
	case TypeSet: // each operand is one code, not a set
		for _, s := range l.Strs {
			out = append(out, l.Attr.codeName(s))
		}
	case TypeCode:
		if l.Op == OpPrefix { // a prefix is not itself one of the options
			for _, s := range l.Strs {
				out = append(out, i18n.M(s, s))
			}
			break
		}
		fallthrough
	default:
		for _, s := range l.Strs {
			out = append(out, l.Attr.Format(Value{Str: s}))
		}
	}
	return out
}

// formatActual renders the enterprise's value as a reader compares it with
// the requirement: a ratio to two decimals and money of a million yuan or
// more to 0.01 万元, unless rounding would blur the comparison (a ratio of
// 4.999 % against 5 %, 300.0001 万元 against 300 万元) — then with as many
// decimals as it takes, or exactly.
func (l *Leaf) formatActual(v Value) i18n.Msg {
	exact := l.Attr.Format(v)
	switch l.Attr.Type {
	case TypeMoney:
		fen := int64(v.Num)
		if !strings.HasSuffix(exact.Zh, " 万元") {
			return exact
		}
		rounded := fen / 10000 * 10000
		if r := fen % 10000; r >= 5000 {
			rounded += 10000
		} else if r <= -5000 {
			rounded -= 10000
		}
		if l.blurs(float64(rounded), v.Num) {
			return exact
		}
		return i18n.M(money.FormatWan(fen)+" 万元", exact.En)
	case TypePercent:
		for prec := 2; prec <= 12; prec++ {
			s := strconv.FormatFloat(v.Num, 'f', prec, 64)
			r, _ := strconv.ParseFloat(s, 64)
			if !l.blurs(r, v.Num) {
				return l.Attr.withUnit(strings.TrimRight(s, "0"))
			}
		}
	}
	return exact
}

// blurs reports whether showing rounded instead of v would put it on another
// side of (or onto) one of the leaf's operands.
func (l *Leaf) blurs(rounded, v float64) bool {
	sign := func(x float64) int {
		switch {
		case x < 0:
			return -1
		case x > 0:
			return 1
		}
		return 0
	}
	for _, n := range l.Nums {
		if sign(rounded-n) != sign(v-n) {
			return true
		}
	}
	return false
}

// withUnit appends the attribute's unit to a number written as s, without
// a trailing decimal point: “300 人”, “5%”.
func (a *Attribute) withUnit(s string) i18n.Msg {
	s = strings.TrimSuffix(s, ".")
	switch {
	case a.Type == TypePercent:
		return i18n.M(s+"%", s+"%")
	case a.Unit.IsZero():
		return i18n.M(s, s)
	}
	en := a.Unit.En
	if s == "1" { // 1 person, 1 year
		en = strings.TrimSuffix(en, "s")
	}
	return i18n.M(s+" "+a.Unit.Zh, s+" "+en)
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

// codeName is a code's display name from Options or Names, or the code.
func (a *Attribute) codeName(code string) i18n.Msg {
	for _, list := range [][]Option{a.Options, a.Names} {
		for _, o := range list {
			if o.Code == code {
				return o.Name
			}
		}
	}
	return i18n.M(code, code)
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
	case TypeNumber:
		return a.withUnit(strconv.FormatFloat(v.Num, 'f', -1, 64))
	case TypePercent:
		// Two decimals are what a ratio is read to; an explanation adds
		// more where a boundary needs them.
		s := strconv.FormatFloat(v.Num, 'f', 2, 64)
		return a.withUnit(strings.TrimRight(s, "0"))
	case TypeBool:
		if v.Bool {
			return m("是", "yes")
		}
		return m("否", "no")
	case TypeSet:
		if len(v.Set) == 0 {
			return m("无", "none")
		}
		zh, en := make([]string, len(v.Set)), make([]string, len(v.Set))
		for i, code := range v.Set {
			n := a.codeName(code)
			zh[i], en[i] = n.Zh, n.En
		}
		return i18n.M(strings.Join(zh, "、"), strings.Join(en, ", "))
	case TypeCode:
		for _, o := range a.Options {
			if o.Code == v.Str {
				return o.Name
			}
		}
	}
	return i18n.M(v.Str, v.Str)
}
