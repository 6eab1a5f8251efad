package eligibility

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm"

	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/standards"
)

// Value is one attribute's value. Which field holds it follows the
// attribute's type: Num for number, money (in fen) and percent; Str for code
// and date; Bool for bool; Set (sorted, distinct) for set.
type Value struct {
	Num  float64
	Str  string
	Bool bool
	Set  []string
}

// Profile is what is known about one enterprise as of a date: attribute
// values by name. An attribute without a value is unknown, which is what
// makes a condition on it unknown.
type Profile struct {
	AsOf string // YYYY-MM-DD
	vals map[string]Value
	cat  *Catalogue
	// pinned are derived attributes given a value by Apply (a what-if on
	// the size class itself): Derive leaves them alone.
	pinned map[string]bool
}

// NewProfile returns an empty profile over cat as of asOf.
func NewProfile(cat *Catalogue, asOf string) *Profile {
	return &Profile{AsOf: asOf, vals: map[string]Value{}, cat: cat, pinned: map[string]bool{}}
}

// Catalogue returns the catalogue the profile's attributes come from.
func (p *Profile) Catalogue() *Catalogue { return p.cat }

// Get returns the value of name and whether it is known.
func (p *Profile) Get(name string) (Value, bool) {
	v, ok := p.vals[name]
	return v, ok
}

// Set records a base attribute's value. Call Derive after the last Set.
func (p *Profile) Set(name string, v Value) { p.vals[name] = v }

// Unset forgets a value (and any what-if override of a derived attribute).
// Call Derive afterwards.
func (p *Profile) Unset(name string) {
	delete(p.vals, name)
	delete(p.pinned, name)
}

// Clone returns an independent copy.
func (p *Profile) Clone() *Profile {
	q := &Profile{AsOf: p.AsOf, vals: make(map[string]Value, len(p.vals)), cat: p.cat,
		pinned: make(map[string]bool, len(p.pinned))}
	for k, v := range p.vals {
		if v.Set != nil {
			v.Set = slices.Clone(v.Set)
		}
		q.vals[k] = v
	}
	for k := range p.pinned {
		q.pinned[k] = true
	}
	return q
}

// Known lists the attributes with a value, sorted.
func (p *Profile) Known() []string {
	out := make([]string, 0, len(p.vals))
	for k := range p.vals {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Derive (re)computes every derived attribute from the base values, in
// dependency order. A derived attribute is unknown when an input it needs is
// unknown or its expression has no finite value (a ratio over zero revenue).
// Attributes pinned by a what-if keep their given value, and what depends on
// them follows it.
func (p *Profile) Derive() {
	for _, a := range p.cat.order {
		if !a.Derived() || p.pinned[a.Name] {
			continue
		}
		if v, ok := a.derive.eval(p); ok {
			p.vals[a.Name] = v
		} else {
			delete(p.vals, a.Name)
		}
	}
}

// FromEnterprise builds the profile of e as of asOf (YYYY-MM-DD): tags count
// only when valid on that date, facts are the latest fiscal year's.
func FromEnterprise(cat *Catalogue, e *enterprise.Enterprise, asOf string) *Profile {
	p := NewProfile(cat, asOf)
	str := func(name, s string) {
		if s != "" {
			p.vals[name] = Value{Str: s}
		}
	}
	num := func(name string, v *int64) {
		if v != nil {
			p.vals[name] = Value{Num: float64(*v)}
		}
	}
	str("credit_code", e.CreditCode)
	str("industry_code", e.IndustryCode)
	str("industry_section", e.IndustrySection)
	str("region_code", e.RegionCode)
	str("ownership", e.Ownership)
	str("registered_on", e.RegisteredOn)
	num("registered_capital", e.RegisteredCapitalFen)
	str("tax_credit_grade", e.TaxCreditGrade)
	p.vals["dishonest"] = Value{Bool: e.Dishonest}
	var tags []string
	for _, t := range e.Tags {
		if t.ActiveOn(asOf) && !slices.Contains(tags, t.Code) {
			tags = append(tags, t.Code)
		}
	}
	slices.Sort(tags)
	p.vals["tags"] = Value{Set: tags}
	if e.Facts.FiscalYear != 0 {
		p.vals["fiscal_year"] = Value{Num: float64(e.Facts.FiscalYear)}
	}
	num("employees", e.Facts.Employees)
	num("revenue", e.Facts.RevenueFen)
	num("assets", e.Facts.AssetsFen)
	num("taxable_income", e.Facts.TaxableIncomeFen)
	num("rd_expense", e.Facts.RDExpenseFen)
	num("tech_staff", e.Facts.TechStaff)
	num("exports", e.Facts.ExportsFen)
	num("hightech_revenue", e.Facts.HighTechRevenueFen)
	num("total_costs", e.Facts.CostsFen)
	num("ip_class1", e.Facts.IPClass1)
	num("ip_class2", e.Facts.IPClass2)
	p.Derive()
	return p
}

// derivation is a derived attribute's compiled expression.
type derivation struct {
	attr    *Attribute
	program *vm.Program
	// calls are the expression's calls of functions that decide for
	// themselves what a missing argument means (the size class can be
	// decided without assets in some rows). With none, any missing input
	// makes the result unknown.
	calls []partialCall
}

// partialCall is one call of a partialFunc with the attributes passed to it.
type partialCall struct {
	fn   partialFunc
	args []string // attribute names; "" for an argument that is not one
}

// partialFunc is an expression function that takes missing arguments as nil.
// needs reports, when its result is unknown for args, which argument
// positions could still decide it: missing ones, or a known one that is not
// specific enough (an industry code spanning several size-table rows).
type partialFunc struct {
	name  string
	fn    func(args ...any) (any, error)
	types any
	needs func(args []any) []int
}

// partialFuncs are the functions derived attributes may call that take
// missing inputs as nil.
var partialFuncs = []partialFunc{
	{
		name: "size_class",
		fn: func(args ...any) (any, error) {
			res := classifySize(args)
			if res.Class == standards.SizeUnknown {
				return nil, nil
			}
			return string(res.Class), nil
		},
		types: new(func(string, float64, float64, float64) string),
		needs: func(args []any) []int {
			if args[0] == nil {
				return nilArgs(args)
			}
			res := classifySize(args)
			if res.Class != standards.SizeUnknown {
				return nil
			}
			if len(res.Missing) == 0 { // the industry code does not pick one row
				return []int{0}
			}
			var out []int
			for _, name := range res.Missing {
				out = append(out, 1+slices.Index([]string{"employees", "revenue", "assets"}, name))
			}
			return out
		},
	},
	{
		name: "above_scale",
		fn: func(args ...any) (any, error) {
			without, with := aboveScale(args)
			if without.Status == nil || with.Status == nil || *without.Status != *with.Status {
				return nil, nil
			}
			return *without.Status, nil
		},
		types: new(func(string, float64, []string) bool),
		needs: func(args []any) []int {
			if args[0] == nil {
				return nilArgs(args)
			}
			without, with := aboveScale(args)
			switch {
			case without.Status == nil && args[1] == nil && without.ThresholdFen > 0:
				return []int{1} // a revenue threshold applies
			case without.Status == nil:
				return []int{0} // no standard for this code, or several
			case with.Status != nil && *with.Status != *without.Status:
				return []int{2} // 建筑业 / 房地产开发经营: by qualification
			}
			return nil
		},
	},
	{
		name: "tsme_rd_points",
		fn: func(args ...any) (any, error) {
			if args[0] == nil {
				return nil, nil
			}
			pts, ok := standards.TechSMERDPoints(*asInt(args[0]), asInt(args[1]), asInt(args[2]))
			if !ok {
				return nil, nil
			}
			return float64(pts), nil
		},
		types: new(func(float64, float64, float64) float64),
		needs: func(args []any) []int {
			if args[0] == nil {
				return nilArgs(args)
			}
			if _, ok := standards.TechSMERDPoints(*asInt(args[0]), asInt(args[1]), asInt(args[2])); ok {
				return nil
			}
			return nilArgs(args) // the measure not yet known could score higher
		},
	},
	{
		name: "tsme_ip_points",
		fn: func(args ...any) (any, error) {
			c1, c2 := asInt(args[0]), asInt(args[1])
			switch {
			case c1 != nil && *c1 >= 1:
				return float64(standards.TechSMEIPPoints(*c1, 0)), nil // class I decides alone
			case c1 == nil || c2 == nil:
				return nil, nil
			}
			return float64(standards.TechSMEIPPoints(*c1, *c2)), nil
		},
		types: new(func(float64, float64) float64),
		needs: func(args []any) []int {
			if c1 := asInt(args[0]); c1 != nil && *c1 >= 1 {
				return nil
			}
			return nilArgs(args)
		},
	},
}

// classifySize applies 工信部联企业〔2011〕300号 through the standards package to
// size_class's arguments.
func classifySize(args []any) standards.SizeResult {
	return standards.SizeClassOf(standards.SizeInput{
		IndustryCode: asString(args[0]),
		Employees:    asInt(args[1]),
		RevenueFen:   asInt(args[2]),
		AssetsFen:    asInt(args[3]),
	})
}

// aboveScale applies the statistics bureau's 规模以上/限额以上 standards to
// above_scale's arguments, once as if the firm held the 建筑业/房地产开发
// qualification tag and once as if not; with tags known both are the same.
func aboveScale(args []any) (without, with standards.AboveScaleResult) {
	in := standards.AboveScaleInput{IndustryCode: asString(args[0]), RevenueFen: asInt(args[1])}
	if tags, known := args[2].([]string); known {
		in.QualifiedTag = slices.Contains(tags, enterprise.TagQualifiedLimit)
		res := standards.AboveScaleOf(in)
		return res, res
	}
	without = standards.AboveScaleOf(in)
	in.QualifiedTag = true
	return without, standards.AboveScaleOf(in)
}

// nilArgs lists the positions of missing arguments.
func nilArgs(args []any) []int {
	var out []int
	for i, a := range args {
		if a == nil {
			out = append(out, i)
		}
	}
	return out
}

// exprFunctions are the functions derived attributes may call.
var exprFunctions = func() []expr.Option {
	out := []expr.Option{
		expr.Function("years_between", func(args ...any) (any, error) {
			from, err1 := time.Parse(time.DateOnly, asString(args[0]))
			to, err2 := time.Parse(time.DateOnly, asString(args[1]))
			if err1 != nil || err2 != nil || to.Before(from) {
				return nil, nil // no date, or evaluated before the firm existed
			}
			return float64(fullYears(from, to)), nil
		}, new(func(string, string) float64)),
		expr.Function("tsme_staff_points", func(args ...any) (any, error) {
			tech, emp := asInt(args[0]), asInt(args[1])
			if tech == nil || emp == nil {
				return nil, nil
			}
			pts, ok := standards.TechSMEStaffPoints(*tech, *emp)
			if !ok {
				return nil, nil // no employees: no ratio
			}
			return float64(pts), nil
		}, new(func(float64, float64) float64)),
	}
	for _, f := range partialFuncs {
		out = append(out, expr.Function(f.name, f.fn, f.types))
	}
	return out
}()

// fullYears counts whole years from `from` to `to`, the evaluation date
// counting as a completed day. A year is complete on its anniversary, and an
// anniversary on 29 February falls on 28 February in common years: 《民法典》
// 第二百零二条 — a period in years ends on the corresponding day of the last
// month, or on that month's last day when it has no such day.
func fullYears(from, to time.Time) int {
	y := to.Year() - from.Year()
	anniversary := time.Date(to.Year(), from.Month(), from.Day(), 0, 0, 0, 0, time.UTC)
	if anniversary.Month() != from.Month() { // 29 Feb in a common year rolled over
		anniversary = time.Date(to.Year(), from.Month()+1, 0, 0, 0, 0, 0, time.UTC)
	}
	if to.Before(anniversary) {
		y--
	}
	return y
}

// asString is a code or date argument, "" when missing.
func asString(v any) string {
	s, _ := v.(string)
	return s
}

// asInt is a number as the standards package takes it, nil when missing;
// fractions are dropped (employees are whole persons, money whole fen).
func asInt(v any) *int64 {
	f, ok := v.(float64)
	if !ok {
		return nil
	}
	n := int64(f)
	return &n
}

// zeroOf is a typed sample value for the expression type checker.
func zeroOf(t Type) any {
	switch t {
	case TypeNumber, TypeMoney, TypePercent:
		return 0.0
	case TypeBool:
		return false
	case TypeSet:
		return []string{}
	default:
		return ""
	}
}

func compileDerivation(c *Catalogue, a *Attribute) (*derivation, error) {
	env := map[string]any{"as_of": ""}
	for _, in := range a.Inputs {
		env[in] = zeroOf(c.byName[in].Type)
	}
	opts := append([]expr.Option{expr.Env(env)}, exprFunctions...)
	switch a.Type {
	case TypeNumber, TypeMoney, TypePercent:
		opts = append(opts, expr.AsFloat64())
	case TypeBool, TypeCode, TypeDate:
		// Checked below rather than with expr.AsBool or AsKind, which
		// would turn a function's "unknown" (nil) into false or "".
	default:
		return nil, fmt.Errorf("eligibility: derived attribute %q cannot have type %s", a.Name, a.Type)
	}
	prog, err := expr.Compile(a.Expr, opts...)
	if err != nil {
		return nil, fmt.Errorf("eligibility: derived attribute %q: %w", a.Name, err)
	}
	want := reflect.String
	if a.Type == TypeBool {
		want = reflect.Bool
	}
	if got := prog.Node().Type(); a.Type != TypeNumber && a.Type != TypeMoney && a.Type != TypePercent &&
		(got == nil || got.Kind() != want) {
		return nil, fmt.Errorf("eligibility: derived attribute %q of type %s: the expression gives %v", a.Name, a.Type, got)
	}
	d := &derivation{attr: a, program: prog}
	node := prog.Node()
	ast.Walk(&node, partialCalls{d: d})
	return d, nil
}

// partialCalls finds the calls of partial functions in an expression.
type partialCalls struct{ d *derivation }

// Visit records one call of a partial function.
func (v partialCalls) Visit(n *ast.Node) {
	call, ok := (*n).(*ast.CallNode)
	if !ok {
		return
	}
	id, ok := call.Callee.(*ast.IdentifierNode)
	if !ok {
		return
	}
	for _, f := range partialFuncs {
		if f.name != id.Value {
			continue
		}
		pc := partialCall{fn: f}
		for _, arg := range call.Arguments {
			name := ""
			if a, isIdent := arg.(*ast.IdentifierNode); isIdent {
				name = a.Value
			}
			pc.args = append(pc.args, name)
		}
		v.d.calls = append(v.d.calls, pc)
	}
}

// partial reports whether the expression decides for itself what a missing
// input means.
func (d *derivation) partial() bool { return len(d.calls) > 0 }

// needs names the direct inputs that could still make the attribute known
// when it is unknown in p: the missing inputs, or for a partial expression
// only those its functions say would decide (assets do not decide the size
// class of a manufacturer), including a known input that is not specific
// enough.
func (d *derivation) needs(p *Profile) []string {
	var out []string
	add := func(name string) {
		if name != "" && !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	if !d.partial() {
		for _, in := range d.attr.Inputs {
			if _, ok := p.vals[in]; !ok {
				add(in)
			}
		}
		return out
	}
	for _, c := range d.calls {
		args := make([]any, len(c.args))
		for i, name := range c.args {
			if v, ok := p.vals[name]; ok {
				args[i] = p.cat.byName[name].native(v)
			}
		}
		for _, i := range c.fn.needs(args) {
			add(c.args[i])
		}
	}
	return out
}

// missingFor names the base attributes whose values could still make name
// known in p: name itself if it is a missing base attribute; for a derived
// one, what its expression needs, followed through derived inputs. A
// derived attribute whose inputs are all known and still gives no value (a
// ratio over zero revenue, a date before establishment) names itself. Known
// attributes need nothing.
func (p *Profile) missingFor(name string) []string {
	var out []string
	add := func(n string) {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	var walk func(n string, depth int)
	walk = func(n string, depth int) {
		a, ok := p.cat.byName[n]
		if !ok {
			return
		}
		if _, known := p.vals[n]; known {
			if depth > 0 && !a.Derived() {
				add(n) // known but not specific enough, as the expression says
			}
			return
		}
		if !a.Derived() || p.pinned[n] {
			add(n)
			return
		}
		before := len(out)
		for _, in := range a.derive.needs(p) {
			walk(in, depth+1)
		}
		if len(out) == before {
			add(n)
		}
	}
	walk(name, 0)
	return out
}

// eval computes the attribute from p's current values.
func (d *derivation) eval(p *Profile) (Value, bool) {
	env := make(map[string]any, len(d.attr.Inputs)+1)
	env["as_of"] = p.AsOf
	for _, in := range d.attr.Inputs {
		v, ok := p.vals[in]
		if !ok {
			if !d.partial() {
				return Value{}, false
			}
			env[in] = nil
			continue
		}
		env[in] = p.cat.byName[in].native(v)
	}
	out, err := expr.Run(d.program, env)
	if err != nil || out == nil {
		return Value{}, false
	}
	switch x := out.(type) {
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return Value{}, false
		}
		return Value{Num: x}, true
	case bool:
		return Value{Bool: x}, true
	case string:
		if x == "" {
			return Value{}, false
		}
		return Value{Str: x}, true
	}
	return Value{}, false
}

// native is v as the expression environment holds it.
func (a *Attribute) native(v Value) any {
	switch a.Type {
	case TypeNumber, TypeMoney, TypePercent:
		return v.Num
	case TypeBool:
		return v.Bool
	case TypeSet:
		return v.Set
	default:
		return v.Str
	}
}
