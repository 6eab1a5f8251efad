// Package enterprise is the registry of enterprises (一企一档): one profile per
// enterprise — identity, yearly scale facts, qualifications and credit flags —
// that every other system reads, so that nobody asks an enterprise twice for
// what the platform already knows. Size class (工信部联企业〔2011〕300号) and
// 规上 status are derived from the facts on every write.
package enterprise

import (
	"time"

	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/standards"
)

// Enterprise is one profile as the platform knows it.
type Enterprise struct {
	ID                   int64
	CreditCode           string // 统一社会信用代码 (GB 32100-2015)
	Name                 string
	LegalRep             string // 法定代表人
	RegisteredOn         string // YYYY-MM-DD 成立日期
	RegionCode           string // GB/T 2260 / 统计用区划代码, down to the street (9 digits)
	Address              string
	IndustryCode         string // GB/T 4754-2017 code as the standard writes it, e.g. "3670"
	IndustrySection      string // its 门类 letter, e.g. "C"
	Ownership            string // 登记注册类型: see Ownerships
	RegisteredCapitalFen *int64
	ContactName          string
	ContactPhone         string // masked for roles without a need to know
	BusinessScope        string
	TaxCreditGrade       string // 纳税信用级别 A/B/M/C/D
	Dishonest            bool   // 列入严重失信主体名单
	DishonestNote        string
	Facts                Facts // the latest fiscal year with facts
	Tags                 []Tag
	Size                 standards.SizeResult
	AboveScale           standards.AboveScaleResult
	CreatedAt, UpdatedAt time.Time
	Version              int
	ContactMasked        bool // ContactPhone was masked for this viewer
}

// Facts are one fiscal year's scale figures. nil means not known.
type Facts struct {
	FiscalYear       int
	Employees        *int64 // 从业人员
	RevenueFen       *int64 // 营业收入
	AssetsFen        *int64 // 资产总额
	TaxableIncomeFen *int64 // 应纳税所得额
	RDExpenseFen     *int64 // 研发费用
	TechStaff        *int64 // 科技人员
	ExportsFen       *int64 // 出口额
	// HighTechRevenueFen is 高新技术产品（服务）收入, the revenue from
	// products and services whose core technology is in 《国家重点支持的
	// 高新技术领域》 (国科发火〔2016〕32号 第十一条第（六）项).
	HighTechRevenueFen *int64
	// CostsFen is 成本费用支出总额, total costs and expenses: the second
	// measure of R&D intensity for 科技型中小企业 (国科发政〔2022〕67号).
	CostsFen *int64
	// IPClass1 and IPClass2 count the valid intellectual property related to
	// the main products: Ⅰ类 (invention patents, plant varieties, national
	// new drugs, class-one protected Chinese medicines, IC layout designs)
	// and Ⅱ类 (utility models, designs, software copyrights).
	IPClass1  *int64
	IPClass2  *int64
	Source    string // "staff", "self", "import", "seed"
	Verified  bool   // confirmed by staff; enterprise users can no longer change it
	UpdatedAt time.Time
}

// Tag is a qualification or status held by an enterprise, with its validity.
type Tag struct {
	Code          string
	Name          i18n.Msg
	ValidFrom     string // YYYY-MM-DD or ""
	ValidTo       string // YYYY-MM-DD or "" (open-ended)
	CertificateNo string
}

// ActiveOn reports whether the tag is valid on date (YYYY-MM-DD).
func (t Tag) ActiveOn(date string) bool {
	return (t.ValidFrom == "" || t.ValidFrom <= date) && (t.ValidTo == "" || date <= t.ValidTo)
}

// TagDef is an entry in the admin-managed tag vocabulary.
type TagDef struct {
	Code        string
	Name        i18n.Msg
	Category    string // "qualification", "membership", "status"
	Description string
	Active      bool
	Sort        int
}

// TagQualifiedLimit marks 建筑业 and 房地产开发 firms with the qualification
// that makes them 限额以上; for them 规上 status is by qualification, not revenue.
const TagQualifiedLimit = "qualified_limit"

// TagRestrictedIndustry marks a firm in a restricted or prohibited industry
// (国家限制和禁止行业), which several national tax and technology policies
// exclude. It is a registry fact, not derived from the industry code: the
// catalogues list products and processes, not GB/T 4754 classes.
const TagRestrictedIndustry = "restricted_industry"

// Option is a coded choice with its display name.
type Option struct {
	Code string
	Name i18n.Msg
}

// Ownerships are the registration types offered (登记注册类型, simplified).
var Ownerships = []Option{
	{"private", i18n.M("私营企业", "Private")},
	{"limited", i18n.M("有限责任公司", "Limited liability company")},
	{"joint_stock", i18n.M("股份有限公司", "Joint-stock company")},
	{"state", i18n.M("国有企业", "State-owned")},
	{"collective", i18n.M("集体企业", "Collective")},
	{"foreign", i18n.M("外商投资企业", "Foreign-invested")},
	{"hmt", i18n.M("港澳台商投资企业", "Hong Kong, Macao or Taiwan-invested")},
	{"individual", i18n.M("个体工商户", "Individual business")},
	{"cooperative", i18n.M("农民专业合作社", "Farmers' cooperative")},
}

// TaxCreditGrades are the grades of 纳税信用管理办法 (国家税务总局公告2014年第40号,
// M grade added by 公告2018年第8号).
var TaxCreditGrades = []string{"A", "B", "M", "C", "D"}
