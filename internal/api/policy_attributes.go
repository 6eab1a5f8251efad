package api

import (
	"net/http"

	"github.com/qinqing/qinqing/internal/eligibility"
	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
)

// attributeJSON is one attribute of the eligibility catalogue: what a
// condition may test, in which units, with which operators.
type attributeJSON struct {
	Name     string       `json:"name"`
	Type     string       `json:"type"`
	Unit     string       `json:"unit"` // in the request's language; "" when none
	Label    string       `json:"label"`
	LabelZh  string       `json:"label_zh"`
	LabelEn  string       `json:"label_en"`
	Doc      string       `json:"doc"`
	Options  []optionJSON `json:"options"`
	Derived  bool         `json:"derived"`
	Expr     string       `json:"expr,omitempty"`
	Inputs   []string     `json:"inputs"`
	Question string       `json:"question,omitempty"` // how the public calculator asks for it
	Step     float64      `json:"step,omitempty"`     // distance between neighbouring values, when coarser than the type's
	Ops      []string     `json:"ops"`
}

type optionJSON struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

type operatorJSON struct {
	Op    string `json:"op"`
	Label string `json:"label"`
}

// allOps lists every operator of the condition language in editor order.
var allOps = []eligibility.Op{eligibility.OpEq, eligibility.OpNe, eligibility.OpLt, eligibility.OpLe, eligibility.OpGt, eligibility.OpGe,
	eligibility.OpIn, eligibility.OpNotIn, eligibility.OpBetween, eligibility.OpHas, eligibility.OpHasAny, eligibility.OpHasAll,
	eligibility.OpPrefix, eligibility.OpExists}

// attributesOf renders the catalogue in lang.
func attributesOf(cat *eligibility.Catalogue, lang i18n.Lang) []attributeJSON {
	out := []attributeJSON{}
	for _, a := range cat.Attributes() {
		j := attributeJSON{Name: a.Name, Type: string(a.Type), Unit: a.Unit.In(lang), Label: a.Label.In(lang), LabelZh: a.Label.Zh,
			LabelEn: a.Label.En, Doc: a.Doc.In(lang), Options: []optionJSON{}, Derived: a.Derived(), Expr: a.Expr,
			Inputs: append([]string{}, a.Inputs...), Question: a.Question.In(lang), Step: a.Step, Ops: []string{}}
		for _, o := range a.Options {
			j.Options = append(j.Options, optionJSON{Code: o.Code, Name: o.Name.In(lang)})
		}
		for _, op := range eligibility.Ops(a.Type) {
			j.Ops = append(j.Ops, string(op))
		}
		out = append(out, j)
	}
	return out
}

// eligibilityAttributes lists the attributes conditions may test. It is
// public: policies publish their conditions, and the calculator asks by
// them. Money is yuan and percent is percent in conditions (the unit says
// which); dates are YYYY-MM-DD.
func (s *Server) eligibilityAttributes(w http.ResponseWriter, r *http.Request) error {
	lang := httpmw.Lang(r)
	ops := make([]operatorJSON, 0, len(allOps))
	for _, op := range allOps {
		ops = append(ops, operatorJSON{Op: string(op), Label: eligibility.OpLabel(op).In(lang)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": attributesOf(eligibility.Default, lang), "operators": ops})
	return nil
}
