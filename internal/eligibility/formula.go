package eligibility

import (
	"fmt"
	"math"
	"slices"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm"

	"github.com/qinqing/qinqing/internal/errs"
)

// Formula is a benefit amount computed from a profile, e.g. a subsidy of
// 10 % of R&D expense capped at 500,000 yuan: "min(rd_expense * 0.1, 500000)".
// Attributes appear in external units (money in yuan, ratios in percent);
// the result is yuan. Arithmetic, comparisons, the conditional a ? b : c and
// the functions in formulaBuiltins are available, nothing else.
type Formula struct {
	src     string
	program *vm.Program
	attrs   []string // the attributes it reads, in order of appearance
	cat     *Catalogue
}

// CompileFormula checks src against cat: every identifier must be a number,
// money or percent attribute and the result a number. Problems are an
// errs.ErrInvalid on field.
func CompileFormula(cat *Catalogue, src, field string) (*Formula, error) {
	env := map[string]any{}
	for _, a := range cat.attrs {
		switch a.Type {
		case TypeNumber, TypeMoney, TypePercent:
			env[a.Name] = 0.0
		}
	}
	opts := []expr.Option{expr.Env(env), expr.AsFloat64(), expr.DisableAllBuiltins()}
	for _, b := range formulaBuiltins {
		opts = append(opts, expr.EnableBuiltin(b))
	}
	prog, err := expr.Compile(src, opts...)
	if err != nil {
		return nil, errs.Invalid(field, m("公式无法解析："+err.Error(), "the formula does not compile: "+err.Error()))
	}
	f := &Formula{src: src, program: prog, cat: cat}
	node := prog.Node()
	ast.Walk(&node, identifiers{f: f})
	return f, nil
}

// formulaBuiltins are the expr-lang functions a formula may call: enough for
// caps, floors and rounding, and none that builds strings, lists or dates.
var formulaBuiltins = []string{"min", "max", "abs", "round", "floor", "ceil"}

// identifiers collects the attributes a formula reads.
type identifiers struct{ f *Formula }

// Visit records one attribute the formula reads.
func (v identifiers) Visit(n *ast.Node) {
	if id, ok := (*n).(*ast.IdentifierNode); ok {
		if _, known := v.f.cat.byName[id.Value]; known && !slices.Contains(v.f.attrs, id.Value) {
			v.f.attrs = append(v.f.attrs, id.Value)
		}
	}
}

// Source returns the formula as written.
func (f *Formula) Source() string { return f.src }

// Attributes lists the attributes the formula reads.
func (f *Formula) Attributes() []string { return f.attrs }

// Eval computes the amount in fen for p, rounded half away from zero to the
// fen and never negative. When an attribute it reads is unknown it returns
// ok=false and the base attributes that would let it compute (see
// Profile.missingFor); a result that is not a finite number (a division by
// zero) is ok=false with nothing missing.
func (f *Formula) Eval(p *Profile) (fen int64, missing []string, ok bool) {
	env := make(map[string]any, len(f.attrs))
	for _, name := range f.attrs {
		v, known := p.vals[name]
		if !known {
			for _, in := range p.missingFor(name) {
				if !slices.Contains(missing, in) {
					missing = append(missing, in)
				}
			}
			continue
		}
		env[name] = p.cat.byName[name].External(v)
	}
	if len(missing) > 0 {
		return 0, sortByCatalogue(p.cat, missing), false
	}
	out, err := expr.Run(f.program, env)
	if err != nil {
		return 0, nil, false
	}
	yuan, isNum := out.(float64)
	if !isNum || math.IsNaN(yuan) || math.IsInf(yuan, 0) {
		return 0, nil, false
	}
	fen = roundFen(yuan)
	if fen < 0 {
		fen = 0
	}
	return fen, nil, true
}

// roundFen rounds an amount of yuan to the fen, half away from zero. Money
// reaches a formula as binary floating point (12345.65 yuan is a little
// less), so the amount is first snapped to a ten-thousandth of a fen: that
// removes the representation error of any realistic amount, so that 10 % of
// 12345.65 yuan (1234.565) rounds up to 1234.57 as it does on paper.
func roundFen(yuan float64) int64 {
	fen := yuan * 100
	if math.Abs(fen) < 1e11 { // below a billion yuan the snap is exact enough
		fen = math.Round(fen*1e4) / 1e4
	}
	return int64(math.Round(fen))
}

// String is the source, for logs.
func (f *Formula) String() string { return fmt.Sprintf("formula(%s)", f.src) }
