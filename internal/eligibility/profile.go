package eligibility

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/expr-lang/expr"
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
}

// NewProfile returns an empty profile over cat as of asOf.
func NewProfile(cat *Catalogue, asOf string) *Profile {
	return &Profile{AsOf: asOf, vals: map[string]Value{}, cat: cat}
}

// Get returns the value of name and whether it is known.
func (p *Profile) Get(name string) (Value, bool) {
	v, ok := p.vals[name]
	return v, ok
}

// Set records a base attribute's value. Call Derive after the last Set.
func (p *Profile) Set(name string, v Value) { p.vals[name] = v }

// Unset forgets a value.
func (p *Profile) Unset(name string) { delete(p.vals, name) }

// Clone returns an independent copy.
func (p *Profile) Clone() *Profile {
	q := &Profile{AsOf: p.AsOf, vals: make(map[string]Value, len(p.vals)), cat: p.cat}
	for k, v := range p.vals {
		q.vals[k] = v
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
func (p *Profile) Derive() {
	for _, a := range p.cat.order {
		if !a.Derived() {
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
	p.Derive()
	return p
}

// derivation is a derived attribute's compiled expression.
type derivation struct {
	attr    *Attribute
	program *vm.Program
	// partial: the expression calls a function that decides for itself what
	// a missing input means (the size class can be decided without assets
	// for some rows); otherwise any missing input makes the result unknown.
	partial bool
}

// exprFunctions are the functions derived attributes may call. Each takes
// missing inputs as nil.
var exprFunctions = []expr.Option{
	expr.Function("size_class", func(args ...any) (any, error) {
		res := standards.ClassifySize(standards.SizeInput{
			IndustryCode: asString(args[0]),
			Employees:    asInt(args[1]),
			RevenueFen:   asInt(args[2]),
			AssetsFen:    asInt(args[3]),
		})
		if res.Class == standards.SizeUnknown {
			return "", nil
		}
		return string(res.Class), nil
	}, new(func(string, float64, float64, float64) string)),
	expr.Function("above_scale", func(args ...any) (any, error) {
		tags, _ := args[2].([]string)
		res := standards.AboveScale(standards.AboveScaleInput{
			IndustryCode: asString(args[0]),
			RevenueFen:   asInt(args[1]),
			QualifiedTag: slices.Contains(tags, enterprise.TagQualifiedLimit),
		})
		if res.Status == nil {
			return nil, nil
		}
		return *res.Status, nil
	}, new(func(string, float64, []string) bool)),
	expr.Function("years_between", func(args ...any) (any, error) {
		from, err1 := time.Parse(time.DateOnly, asString(args[0]))
		to, err2 := time.Parse(time.DateOnly, asString(args[1]))
		if err1 != nil || err2 != nil {
			return nil, nil
		}
		return float64(fullYears(from, to)), nil
	}, new(func(string, string) float64)),
}

// fullYears counts whole years from `from` to `to`: an anniversary on 29
// February counts on 28 February in common years.
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

func asString(v any) string {
	s, _ := v.(string)
	return s
}

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
	case TypeBool:
		opts = append(opts, expr.AsBool())
	case TypeCode, TypeDate:
		opts = append(opts, expr.AsKind(reflect.String))
	default:
		return nil, fmt.Errorf("eligibility: derived attribute %q cannot have type %s", a.Name, a.Type)
	}
	prog, err := expr.Compile(a.Expr, opts...)
	if err != nil {
		return nil, fmt.Errorf("eligibility: derived attribute %q: %w", a.Name, err)
	}
	d := &derivation{attr: a, program: prog}
	for _, fn := range []string{"size_class(", "above_scale("} {
		if strings.Contains(a.Expr, fn) {
			d.partial = true
		}
	}
	return d, nil
}

// eval computes the attribute from p's current values.
func (d *derivation) eval(p *Profile) (Value, bool) {
	env := make(map[string]any, len(d.attr.Inputs)+1)
	env["as_of"] = p.AsOf
	for _, in := range d.attr.Inputs {
		v, ok := p.vals[in]
		if !ok {
			if !d.partial {
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
