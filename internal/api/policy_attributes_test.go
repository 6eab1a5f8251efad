package api_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/qinqing/qinqing/internal/app/apptest"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/eligibility"
)

type attributeOut struct {
	Name, Type, Unit, Label, Doc, Expr, Question string
	LabelZh                                      string `json:"label_zh"`
	LabelEn                                      string `json:"label_en"`
	Options                                      []struct{ Code, Name string }
	Derived                                      bool
	Inputs, Ops                                  []string
}

type attributesOut struct {
	Items     []attributeOut
	Operators []struct{ Op, Label string }
}

func (a attributesOut) get(t *testing.T, name string) attributeOut {
	t.Helper()
	for _, x := range a.Items {
		if x.Name == name {
			return x
		}
	}
	t.Fatalf("attribute %s is not listed", name)
	return attributeOut{}
}

// TestEligibilityAttributesArePublicAndTyped lists the catalogue without
// signing in, in both languages, and checks what an editor relies on: the
// unit of money is yuan, derived attributes show their expression and
// inputs, and each type offers exactly its operators.
func TestEligibilityAttributesArePublicAndTyped(t *testing.T) {
	s := apptest.Start(t, db.SQLite)
	zh := s.Do("GET", "/api/v1/eligibility/attributes", "", nil, nil)
	if zh.Status != http.StatusOK {
		t.Fatalf("anonymous: %d %s", zh.Status, zh.Body)
	}
	var out attributesOut
	zh.JSON(t, &out)
	if len(out.Items) != len(eligibility.Default.Attributes()) {
		t.Errorf("%d attributes listed, the catalogue has %d", len(out.Items), len(eligibility.Default.Attributes()))
	}
	for i, a := range eligibility.Default.Attributes() {
		if out.Items[i].Name != a.Name {
			t.Errorf("item %d is %s, want %s (catalogue order)", i, out.Items[i].Name, a.Name)
		}
	}

	ti := out.get(t, "taxable_income")
	if ti.Type != "money" || ti.Unit != "元" || ti.Label != "年应纳税所得额" || ti.LabelEn != "Annual taxable income" || ti.Derived || ti.Question == "" {
		t.Errorf("taxable_income: %+v", ti)
	}
	if !slices.Equal(ti.Ops, []string{"eq", "ne", "lt", "le", "gt", "ge", "in", "not_in", "between", "exists"}) {
		t.Errorf("money ops: %v", ti.Ops)
	}
	size := out.get(t, "size")
	if !size.Derived || size.Expr != "size_class(industry_code, employees, revenue, assets)" ||
		!slices.Equal(size.Inputs, []string{"industry_code", "employees", "revenue", "assets"}) || len(size.Options) != 4 || size.Options[0].Name != "大型" {
		t.Errorf("size: %+v", size)
	}
	if !slices.Contains(size.Ops, "in") || slices.Contains(size.Ops, "lt") {
		t.Errorf("a code allows in but not lt: %v", size.Ops)
	}
	if tags := out.get(t, "tags"); tags.Type != "set" || !slices.Equal(tags.Ops, []string{"has", "has_any", "has_all", "exists"}) {
		t.Errorf("tags: %+v", tags)
	}
	if rd := out.get(t, "rd_ratio"); rd.Type != "percent" || rd.Unit != "%" || rd.Expr == "" {
		t.Errorf("rd_ratio: %+v", rd)
	}
	if len(out.Operators) != 14 || out.Operators[3].Op != "le" || out.Operators[3].Label != "不超过" {
		t.Errorf("operators: %+v", out.Operators)
	}

	en := s.Do("GET", "/api/v1/eligibility/attributes", "", nil, map[string]string{"Accept-Language": "en"})
	var outEn attributesOut
	en.JSON(t, &outEn)
	if e := outEn.get(t, "employees"); e.Unit != "persons" || e.Label != "Employees" || e.LabelZh != "从业人数" {
		t.Errorf("employees in English: %+v", e)
	}
	if outEn.Operators[3].Label != "is at most" {
		t.Errorf("operator in English: %+v", outEn.Operators[3])
	}
}
