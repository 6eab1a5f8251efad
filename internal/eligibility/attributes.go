// Package eligibility is the rules-as-code language of the policy and
// finance supermarkets: a condition tree over a typed catalogue of enterprise
// attributes, evaluated in three values (eligible, ineligible, unknown) with
// an explanation of every condition, as of a date.
//
// The catalogue's base attributes come from 一企一档 (internal/enterprise);
// derived attributes (size, above_scale, age_years, rd_ratio, …) are
// expressions over them, compiled and type-checked once when the package
// loads, and recomputed whenever a base value changes — so a what-if that
// changes the number of employees also changes the size class.
package eligibility

import (
	"fmt"
	"slices"

	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/i18n"
)

// Type is the type of an attribute's values.
type Type string

// The attribute types. Each allows its own operators (see opsByType).
const (
	TypeNumber  Type = "number"  // a count or a quantity: persons, years
	TypeMoney   Type = "money"   // an amount: fen inside, yuan in conditions and answers
	TypePercent Type = "percent" // a ratio in percent: 5 means 5 %
	TypeBool    Type = "bool"
	TypeCode    Type = "code" // one code: a size class, an industry, a region
	TypeDate    Type = "date" // YYYY-MM-DD
	TypeSet     Type = "set"  // codes held at once: qualifications and status tags
)

// Option is one allowed value of a code attribute.
type Option struct {
	Code string   `json:"code"`
	Name i18n.Msg `json:"name"`
}

// Attribute is one entry of the catalogue.
type Attribute struct {
	Name  string   // stable identifier used in conditions, e.g. "employees"
	Type  Type     //
	Unit  i18n.Msg // 人, 元, %, 年; zero when none
	Label i18n.Msg // what the editor and explanations show
	Doc   i18n.Msg // where the value comes from
	// Options are the allowed codes of a code attribute with a closed
	// vocabulary; empty for open ones (industry and region codes, tags).
	Options []Option
	// Expr defines a derived attribute over other attributes; empty for base
	// attributes, which come from the profile.
	Expr string
	// Inputs are the attributes Expr reads, in the order they are asked for.
	Inputs []string
	// Question is how the public calculator asks for a base attribute.
	Question i18n.Msg

	derive *derivation // compiled Expr
}

// Derived reports whether the attribute is computed from others.
func (a *Attribute) Derived() bool { return a.Expr != "" }

// Catalogue is an ordered set of attributes.
type Catalogue struct {
	attrs  []*Attribute
	byName map[string]*Attribute
	// order is attrs with each derived attribute after all of its inputs.
	order []*Attribute
}

// Attributes returns the catalogue's attributes in display order.
func (c *Catalogue) Attributes() []*Attribute { return c.attrs }

// Lookup returns the attribute called name.
func (c *Catalogue) Lookup(name string) (*Attribute, bool) {
	a, ok := c.byName[name]
	return a, ok
}

// NewCatalogue checks attrs and compiles the derived ones. It fails on a
// duplicate name, an unknown input, a cycle, or an expression whose type does
// not match the attribute's.
func NewCatalogue(attrs []*Attribute) (*Catalogue, error) {
	c := &Catalogue{attrs: attrs, byName: make(map[string]*Attribute, len(attrs))}
	for _, a := range attrs {
		if _, dup := c.byName[a.Name]; dup {
			return nil, fmt.Errorf("eligibility: attribute %q defined twice", a.Name)
		}
		if opsByType[a.Type] == nil {
			return nil, fmt.Errorf("eligibility: attribute %q has unknown type %q", a.Name, a.Type)
		}
		c.byName[a.Name] = a
	}
	// Topological order: derived attributes after their inputs.
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(a *Attribute, path []string) error
	visit = func(a *Attribute, path []string) error {
		switch state[a.Name] {
		case 1:
			return fmt.Errorf("eligibility: attribute %q depends on itself via %v", a.Name, path)
		case 2:
			return nil
		}
		state[a.Name] = 1
		for _, in := range a.Inputs {
			dep, ok := c.byName[in]
			if !ok {
				return fmt.Errorf("eligibility: attribute %q reads unknown attribute %q", a.Name, in)
			}
			if err := visit(dep, append(path, in)); err != nil {
				return err
			}
		}
		state[a.Name] = 2
		c.order = append(c.order, a)
		return nil
	}
	for _, a := range attrs {
		if a.Expr == "" && len(a.Inputs) > 0 {
			return nil, fmt.Errorf("eligibility: base attribute %q lists inputs", a.Name)
		}
		if err := visit(a, []string{a.Name}); err != nil {
			return nil, err
		}
	}
	for _, a := range attrs {
		if a.Expr == "" {
			continue
		}
		d, err := compileDerivation(c, a)
		if err != nil {
			return nil, err
		}
		a.derive = d
	}
	return c, nil
}

// BaseInputs returns the base attributes that name depends on (itself if it
// is a base attribute), in the order they would be asked for.
func (c *Catalogue) BaseInputs(name string) []string {
	var out []string
	var walk func(n string)
	walk = func(n string) {
		a, ok := c.byName[n]
		if !ok {
			return
		}
		if !a.Derived() {
			if !slices.Contains(out, n) {
				out = append(out, n)
			}
			return
		}
		for _, in := range a.Inputs {
			walk(in)
		}
	}
	walk(name)
	return out
}

// Default is the catalogue over 一企一档 that policies and credit products use.
var Default = mustCatalogue(defaultAttributes())

// mustCatalogue is NewCatalogue for the built-in catalogue, which must compile.
func mustCatalogue(attrs []*Attribute) *Catalogue {
	c, err := NewCatalogue(attrs)
	if err != nil {
		panic(err)
	}
	return c
}

// m is a bilingual message.
func m(zh, en string) i18n.Msg { return i18n.M(zh, en) }

// Units of the built-in attributes.
var (
	unitPersons = m("人", "persons")
	unitYuan    = m("元", "yuan")
	unitPercent = m("%", "%")
	unitYears   = m("年", "years")
)

// SizeOptions are the size classes of 工信部联企业〔2011〕300号.
var SizeOptions = []Option{
	{"large", m("大型", "Large")},
	{"medium", m("中型", "Medium")},
	{"small", m("小型", "Small")},
	{"micro", m("微型", "Micro")},
}

// TaxCreditOptions are the 纳税信用级别 (国家税务总局公告2014年第40号, as
// amended by 2018年第8号 adding M).
var TaxCreditOptions = []Option{
	{"A", m("A级", "Grade A")},
	{"B", m("B级", "Grade B")},
	{"M", m("M级", "Grade M")},
	{"C", m("C级", "Grade C")},
	{"D", m("D级", "Grade D")},
}

func defaultAttributes() []*Attribute {
	fromFacts := m("一企一档最近一个年度的经营数据", "the latest fiscal year's facts in the registry")
	fromProfile := m("一企一档登记信息", "the registry profile")
	return []*Attribute{
		{Name: "credit_code", Type: TypeCode, Label: m("统一社会信用代码", "Unified social credit code"), Doc: fromProfile},
		{Name: "industry_code", Type: TypeCode, Label: m("行业代码", "Industry code"),
			Doc:      m("一企一档登记信息：国民经济行业分类（GB/T 4754-2017）代码", "the registry profile: a GB/T 4754-2017 industry code"),
			Question: m("企业所属行业代码（GB/T 4754-2017，如 3670）？", "Industry code (GB/T 4754-2017, e.g. 3670)?")},
		{Name: "industry_section", Type: TypeCode, Label: m("行业门类", "Industry section"), Doc: fromProfile,
			Question: m("企业所属行业门类（A–T，如制造业为 C）？", "Industry section (A–T; manufacturing is C)?")},
		{Name: "region_code", Type: TypeCode, Label: m("所在地区划代码", "Region code"), Doc: fromProfile,
			Question: m("企业注册地区划代码（如北碚区 500109）？", "Region code of the registered address (Beibei is 500109)?")},
		{Name: "ownership", Type: TypeCode, Label: m("登记注册类型", "Registration type"), Doc: fromProfile,
			Options:  ownershipOptions(),
			Question: m("企业登记注册类型？", "Registration type?")},
		{Name: "registered_on", Type: TypeDate, Label: m("成立日期", "Date of establishment"), Doc: fromProfile,
			Question: m("企业成立日期？", "Date of establishment?")},
		{Name: "registered_capital", Type: TypeMoney, Unit: unitYuan, Label: m("注册资本", "Registered capital"), Doc: fromProfile,
			Question: m("注册资本（万元）？", "Registered capital (10k yuan)?")},
		{Name: "tax_credit_grade", Type: TypeCode, Label: m("纳税信用级别", "Tax credit grade"), Doc: fromProfile, Options: TaxCreditOptions,
			Question: m("纳税信用级别？", "Tax credit grade?")},
		{Name: "dishonest", Type: TypeBool, Label: m("列入严重失信主体名单", "On the serious dishonesty list"), Doc: fromProfile,
			Question: m("企业是否被列入严重失信主体名单？", "Is the firm on the serious dishonesty list?")},
		{Name: "tags", Type: TypeSet, Label: m("资质与认定", "Qualifications and recognitions"),
			Doc:      m("一企一档中在评估日有效的资质标签", "registry tags valid on the evaluation date"),
			Question: m("企业持有哪些有效资质或认定？", "Which valid qualifications or recognitions does the firm hold?")},
		{Name: "fiscal_year", Type: TypeNumber, Label: m("经营数据所属年度", "Fiscal year of the facts"), Doc: fromFacts},
		{Name: "employees", Type: TypeNumber, Unit: unitPersons, Label: m("从业人数", "Employees"), Doc: fromFacts,
			Question: m("从业人数（人）？", "Number of employees?")},
		{Name: "revenue", Type: TypeMoney, Unit: unitYuan, Label: m("营业收入", "Revenue"), Doc: fromFacts,
			Question: m("上年度营业收入（万元）？", "Last year's revenue (10k yuan)?")},
		{Name: "assets", Type: TypeMoney, Unit: unitYuan, Label: m("资产总额", "Total assets"), Doc: fromFacts,
			Question: m("资产总额（万元）？", "Total assets (10k yuan)?")},
		{Name: "taxable_income", Type: TypeMoney, Unit: unitYuan, Label: m("年应纳税所得额", "Annual taxable income"), Doc: fromFacts,
			Question: m("上年度应纳税所得额（万元）？", "Last year's taxable income (10k yuan)?")},
		{Name: "rd_expense", Type: TypeMoney, Unit: unitYuan, Label: m("研发费用", "R&D expense"), Doc: fromFacts,
			Question: m("上年度研发费用（万元）？", "Last year's R&D expense (10k yuan)?")},
		{Name: "tech_staff", Type: TypeNumber, Unit: unitPersons, Label: m("科技人员数", "Technical staff"), Doc: fromFacts,
			Question: m("科技人员数（人）？", "Number of technical staff?")},
		{Name: "exports", Type: TypeMoney, Unit: unitYuan, Label: m("出口额", "Exports"), Doc: fromFacts,
			Question: m("上年度出口额（万元）？", "Last year's exports (10k yuan)?")},

		// Derived attributes.
		{Name: "size", Type: TypeCode, Options: SizeOptions, Label: m("企业规模", "Size class"),
			Doc:    m("按工信部联企业〔2011〕300号由行业、从业人数、营业收入、资产总额划型", "classified per MIIT [2011] No. 300 from industry, employees, revenue and assets"),
			Expr:   "size_class(industry_code, employees, revenue, assets)",
			Inputs: []string{"industry_code", "employees", "revenue", "assets"}},
		{Name: "sme", Type: TypeBool, Label: m("中小微企业", "SME (medium, small or micro)"),
			Doc:    m("企业规模为中型、小型或微型", "size class is medium, small or micro"),
			Expr:   `size in ["medium", "small", "micro"]`,
			Inputs: []string{"size"}},
		{Name: "small_micro", Type: TypeBool, Label: m("小微企业", "Small or micro firm"),
			Doc:    m("企业规模为小型或微型", "size class is small or micro"),
			Expr:   `size in ["small", "micro"]`,
			Inputs: []string{"size"}},
		{Name: "above_scale", Type: TypeBool, Label: m("规上企业", "Above designated size (规上)"),
			Doc:    m("按国家统计局规模以上/限额以上标准由行业与营业收入判定", "per the statistics bureau's 规模以上/限额以上 thresholds from industry and revenue"),
			Expr:   "above_scale(industry_code, revenue, tags)",
			Inputs: []string{"industry_code", "revenue", "tags"}},
		{Name: "age_years", Type: TypeNumber, Unit: unitYears, Label: m("成立年限", "Years since establishment"),
			Doc:    m("成立日期至评估日的整年数", "whole years from establishment to the evaluation date"),
			Expr:   "years_between(registered_on, as_of)",
			Inputs: []string{"registered_on"}},
		{Name: "rd_ratio", Type: TypePercent, Unit: unitPercent, Label: m("研发费用占营业收入比例", "R&D expense as % of revenue"),
			Doc:    m("研发费用 ÷ 营业收入 × 100", "R&D expense ÷ revenue × 100"),
			Expr:   "rd_expense * 100 / revenue",
			Inputs: []string{"rd_expense", "revenue"}},
		{Name: "tech_staff_ratio", Type: TypePercent, Unit: unitPercent, Label: m("科技人员占职工总数比例", "Technical staff as % of employees"),
			Doc:    m("科技人员数 ÷ 从业人数 × 100", "technical staff ÷ employees × 100"),
			Expr:   "tech_staff * 100 / employees",
			Inputs: []string{"tech_staff", "employees"}},
		{Name: "export_ratio", Type: TypePercent, Unit: unitPercent, Label: m("出口额占营业收入比例", "Exports as % of revenue"),
			Doc:    m("出口额 ÷ 营业收入 × 100", "exports ÷ revenue × 100"),
			Expr:   "exports * 100 / revenue",
			Inputs: []string{"exports", "revenue"}},
	}
}

// ownershipOptions are the registry's registration types.
func ownershipOptions() []Option {
	out := make([]Option, len(enterprise.Ownerships))
	for i, o := range enterprise.Ownerships {
		out[i] = Option{Code: o.Code, Name: o.Name}
	}
	return out
}
