package enterprise

import (
	"maps"
	"reflect"

	"github.com/qinqing/qinqing/internal/money"
)

// snapshot flattens a profile into API field names for audit before/after
// records. Money is in yuan, as people read it.
func snapshot(e Enterprise) map[string]any {
	yuan := func(p *int64) any {
		if p == nil {
			return nil
		}
		return money.FormatYuan(*p)
	}
	num := func(p *int64) any {
		if p == nil {
			return nil
		}
		return *p
	}
	tags := []string{}
	for _, t := range e.Tags {
		s := t.Code
		if t.ValidFrom != "" || t.ValidTo != "" {
			s += "[" + t.ValidFrom + "~" + t.ValidTo + "]"
		}
		tags = append(tags, s)
	}
	return map[string]any{
		"credit_code": e.CreditCode, "name": e.Name, "legal_rep": e.LegalRep, "registered_on": e.RegisteredOn,
		"region_code": e.RegionCode, "address": e.Address, "industry_code": e.IndustryCode, "ownership": e.Ownership,
		"registered_capital_yuan": yuan(e.RegisteredCapitalFen), "contact_name": e.ContactName,
		"contact_phone": e.ContactPhone, "business_scope": e.BusinessScope, "tax_credit_grade": e.TaxCreditGrade,
		"dishonest": e.Dishonest, "dishonest_note": e.DishonestNote, "fiscal_year": e.Facts.FiscalYear,
		"employees": num(e.Facts.Employees), "revenue_yuan": yuan(e.Facts.RevenueFen), "assets_yuan": yuan(e.Facts.AssetsFen),
		"taxable_income_yuan": yuan(e.Facts.TaxableIncomeFen), "rd_expense_yuan": yuan(e.Facts.RDExpenseFen),
		"tech_staff": num(e.Facts.TechStaff), "exports_yuan": yuan(e.Facts.ExportsFen),
		"hightech_revenue_yuan": yuan(e.Facts.HighTechRevenueFen), "costs_yuan": yuan(e.Facts.CostsFen),
		"ip_class1": num(e.Facts.IPClass1), "ip_class2": num(e.Facts.IPClass2), "facts_verified": e.Facts.Verified,
		"tags": tags, "size": string(e.Size.Class), "above_scale": e.AboveScale.Status,
	}
}

// diff keeps only the fields whose values differ.
func diff(before, after map[string]any) (map[string]any, map[string]any) {
	b, a := maps.Clone(before), maps.Clone(after)
	for k := range before {
		if reflect.DeepEqual(deref(before[k]), deref(after[k])) {
			delete(b, k)
			delete(a, k)
		}
	}
	return b, a
}

func deref(v any) any {
	if p, ok := v.(*bool); ok {
		if p == nil {
			return nil
		}
		return *p
	}
	return v
}
