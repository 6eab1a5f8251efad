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
// 10 % of R&D expense: "rd_expense * 0.1". Attributes appear in external
// units (money in yuan, ratios in percent); the result is yuan. The
// functions min, max, round and floor of expr-lang are available.
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
	prog, err := expr.Compile(src, expr.Env(env), expr.AsFloat64())
	if err != nil {
		return nil, errs.Invalid(field, m("公式无法解析："+err.Error(), "the formula does not compile: "+err.Error()))
	}
	f := &Formula{src: src, program: prog, cat: cat}
	node := prog.Node()
	ast.Walk(&node, identifiers{f: f})
	return f, nil
}

type identifiers struct{ f *Formula }

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
// ok=false and the base attributes that are missing.
func (f *Formula) Eval(p *Profile) (fen int64, missing []string, ok bool) {
	env := make(map[string]any, len(f.attrs))
	for _, name := range f.attrs {
		v, known := p.vals[name]
		if !known {
			for _, in := range p.cat.BaseInputs(name) {
				if _, have := p.vals[in]; !have && !slices.Contains(missing, in) {
					missing = append(missing, in)
				}
			}
			if len(missing) == 0 {
				missing = append(missing, name)
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
	fen = int64(math.Round(yuan * 100))
	if fen < 0 {
		fen = 0
	}
	return fen, nil, true
}

// String is the source, for logs.
func (f *Formula) String() string { return fmt.Sprintf("formula(%s)", f.src) }
