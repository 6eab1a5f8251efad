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
	// Names are display names for codes of an open vocabulary (the default
	// tags); a code without one is shown as itself.
	Names []Option
	// Expr defines a derived attribute over other attributes; empty for base
	// attributes, which come from the profile.
	Expr string
	// Inputs are the attributes Expr reads, in the order they are asked for.
	Inputs []string
	// Question is how the public calculator asks for a base attribute.
	Question i18n.Msg
	// Step is the distance between neighbouring values when it is coarser
	// than the type's own (a fen, a person, a year, 0.1 %): the 科技型中小企业
	// indicator points go in steps of 2 to 10. 0 means the type's.
	Step float64

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
	unitItems   = m("件", "items")
	unitPoints  = m("分", "points")
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
		{Name: "tags", Type: TypeSet, Label: m("资质与认定", "Qualifications and recognitions"), Names: tagNames(),
			Doc: m("一企一档中在评估日有效的资质标签", "registry tags valid on the evaluation date"),
			Question: m("以下哪些适用于本企业（有效的资质、认定或状态，如“国家限制或禁止类行业”）？都不适用则不勾选。",
				"Which of these apply to the firm (valid qualifications, recognitions or statuses such as “restricted or prohibited industry”)? Tick none if none apply.")},
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
		{Name: "hightech_revenue", Type: TypeMoney, Unit: unitYuan, Label: m("高新技术产品（服务）收入", "High-tech products and services revenue"),
			Doc:      m("一企一档最近一个年度的经营数据：技术属于《国家重点支持的高新技术领域》的产品（服务）收入", "the latest fiscal year's facts: revenue from products and services whose core technology is in the state's key high-tech fields"),
			Question: m("上年度高新技术产品（服务）收入（万元）？", "Last year's revenue from high-tech products and services (10k yuan)?")},
		{Name: "total_costs", Type: TypeMoney, Unit: unitYuan, Label: m("成本费用支出总额", "Total costs and expenses"), Doc: fromFacts,
			Question: m("上年度成本费用支出总额（万元）？", "Last year's total costs and expenses (10k yuan)?")},
		{Name: "ip_class1", Type: TypeNumber, Unit: unitItems, Label: m("Ⅰ类知识产权数", "Class I intellectual property"),
			Doc:      m("一企一档：与主要产品（服务）相关、在有效期内的发明专利、植物新品种、国家级农作物品种、国家新药、国家一级中药保护品种、集成电路布图设计专有权等", "the registry: valid invention patents, plant varieties, national new drugs, class-one protected Chinese medicines, IC layout designs and the like related to the main products"),
			Question: m("拥有的有效Ⅰ类知识产权（发明专利等）件数？", "How many valid class I IP rights (invention patents and the like)?")},
		{Name: "ip_class2", Type: TypeNumber, Unit: unitItems, Label: m("Ⅱ类知识产权数", "Class II intellectual property"),
			Doc:      m("一企一档：与主要产品（服务）相关、在有效期内的实用新型专利、外观设计专利、软件著作权等", "the registry: valid utility models, designs, software copyrights and the like related to the main products"),
			Question: m("拥有的有效Ⅱ类知识产权（实用新型、外观设计、软件著作权等）件数？", "How many valid class II IP rights (utility models, designs, software copyrights)?")},

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
		{Name: "hightech_revenue_ratio", Type: TypePercent, Unit: unitPercent, Label: m("高新技术产品（服务）收入占比", "High-tech revenue as % of revenue"),
			Doc: m("高新技术产品（服务）收入 ÷ 营业收入 × 100（国科发火〔2016〕32号第十一条第（六）项以同期总收入为分母，此处以营业收入计）",
				"high-tech revenue ÷ revenue × 100 (the 2016 rules divide by total income of the year; revenue stands for it here)"),
			Expr:   "hightech_revenue * 100 / revenue",
			Inputs: []string{"hightech_revenue", "revenue"}},

		// 科技型中小企业评价指标 (国科发政〔2022〕67号 附件), scored by
		// internal/standards; a firm on the score route needs tsme_score ≥ 60
		// with tsme_staff_points > 0.
		{Name: "tsme_staff_points", Type: TypeNumber, Unit: unitPoints, Step: 4, Label: m("科小评价·科技人员指标得分", "Tech-SME score: technical staff"),
			Doc: m("科技人员占职工总数比例：30%（含）以上 20 分，25% 16 分，20% 12 分，15% 8 分，10% 4 分，以下 0 分（国科发政〔2022〕67号）",
				"technical staff as a share of employees: 30 % or more 20 points, 25 % 16, 20 % 12, 15 % 8, 10 % 4, less 0"),
			Expr:   "tsme_staff_points(tech_staff, employees)",
			Inputs: []string{"tech_staff", "employees"}},
		{Name: "tsme_rd_points", Type: TypeNumber, Unit: unitPoints, Step: 10, Label: m("科小评价·研发投入指标得分", "Tech-SME score: R&D"),
			Doc: m("研发费用占销售收入比例（6% 50 分，5% 40 分，4% 30 分，3% 20 分，2% 10 分）或占成本费用支出总额比例（30% 50 分，25% 40 分，20% 30 分，15% 20 分，10% 10 分），取较高者",
				"R&D over sales (6 % 50 points, 5 % 40, 4 % 30, 3 % 20, 2 % 10) or over total costs (30 % 50, 25 % 40, 20 % 30, 15 % 20, 10 % 10), whichever is higher"),
			Expr:   "tsme_rd_points(rd_expense, revenue, total_costs)",
			Inputs: []string{"rd_expense", "revenue", "total_costs"}},
		{Name: "tsme_ip_points", Type: TypeNumber, Unit: unitPoints, Step: 6, Label: m("科小评价·科技成果指标得分", "Tech-SME score: intellectual property"),
			Doc: m("1 项及以上Ⅰ类知识产权 30 分；Ⅱ类知识产权 4 项及以上 24 分，3 项 18 分，2 项 12 分，1 项 6 分；无 0 分",
				"one or more class I IP rights 30 points; class II: 4 or more 24, 3 18, 2 12, 1 6; none 0"),
			Expr:   "tsme_ip_points(ip_class1, ip_class2)",
			Inputs: []string{"ip_class1", "ip_class2"}},
		{Name: "tsme_score", Type: TypeNumber, Unit: unitPoints, Step: 2, Label: m("科技型中小企业评价得分", "Tech-SME evaluation score"),
			Doc:    m("科技人员、研发投入、科技成果三项指标得分之和，满分 100 分", "the sum of the three indicators, out of 100"),
			Expr:   "tsme_staff_points + tsme_rd_points + tsme_ip_points",
			Inputs: []string{"tsme_staff_points", "tsme_rd_points", "tsme_ip_points"}},
	}
}

// tagNames are the names of the registry's default tags.
func tagNames() []Option {
	out := make([]Option, len(enterprise.DefaultTags))
	for i, t := range enterprise.DefaultTags {
		out[i] = Option{Code: t.Code, Name: t.Name}
	}
	return out
}

// ownershipOptions are the registry's registration types.
func ownershipOptions() []Option {
	out := make([]Option, len(enterprise.Ownerships))
	for i, o := range enterprise.Ownerships {
		out[i] = Option{Code: o.Code, Name: o.Name}
	}
	return out
}
