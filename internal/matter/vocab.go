package matter

import (
	"strings"

	"github.com/qinqing/qinqing/internal/i18n"
)

// Option is one entry of a closed vocabulary: a stable ASCII code stored in
// the database and the labels people read (and may type instead of the code).
type Option struct {
	Code string
	Name i18n.Msg
}

// TypeOption is a matter type with the two-character prefix that the demo
// catalogue puts in front of its basic codes.
type TypeOption struct {
	Option
	Prefix string
}

// Types are the matter types (事项类型) of the national catalogue: the ten
// kinds of administrative power plus public services.
var Types = []TypeOption{
	{Option{"permit", i18n.M("行政许可", "Administrative permit")}, "01"},
	{Option{"levy", i18n.M("行政征收", "Administrative levy")}, "04"},
	{Option{"payment", i18n.M("行政给付", "Administrative payment")}, "05"},
	{Option{"inspection", i18n.M("行政检查", "Administrative inspection")}, "06"},
	{Option{"confirmation", i18n.M("行政确认", "Administrative confirmation")}, "07"},
	{Option{"award", i18n.M("行政奖励", "Administrative award")}, "08"},
	{Option{"adjudication", i18n.M("行政裁决", "Administrative adjudication")}, "09"},
	{Option{"other", i18n.M("其他行政权力", "Other administrative power")}, "10"},
	{Option{"public_service", i18n.M("公共服务", "Public service")}, "20"},
}

// The matter type codes the rules refer to.
const (
	TypePermit        = "permit"
	TypePublicService = "public_service"
)

// ExerciseLevels say at which level of government a matter's power sits
// (行使层级) and how the district comes to exercise it.
var ExerciseLevels = []Option{
	{"district", i18n.M("区县级", "District")},
	{"city_delegated", i18n.M("市级委托区县实施", "City level, entrusted to the district")},
	{"city_devolved", i18n.M("市级下放区县实施", "City level, devolved to the district")},
	{"city_window", i18n.M("市级（区县窗口收件）", "City level, applications taken at the district window")},
}

// Case types (办件类型).
const (
	CaseInstant = "instant" // 即办件: decided on the spot
	CasePromise = "promise" // 承诺件: decided within the committed limit
)

// CaseTypes lists the case types.
var CaseTypes = []Option{
	{CaseInstant, i18n.M("即办件", "Decided on the spot")},
	{CasePromise, i18n.M("承诺件", "Decided within the committed limit")},
}

// VisitOptions are the values of 到办事现场次数.
var VisitOptions = []Option{
	{"0", i18n.M("0 次（零跑腿）", "No visit")},
	{"1", i18n.M("1 次（最多跑一次）", "At most one visit")},
	{"2", i18n.M("2 次及以上", "Two or more visits")},
}

// Depths are the levels of 网上办理深度.
var Depths = []Option{
	{"1", i18n.M("信息发布", "Information published")},
	{"2", i18n.M("在线咨询、表格下载", "Online enquiry and form download")},
	{"3", i18n.M("在线预审、部分网办", "Online pre-review, partly online")},
	{"4", i18n.M("全程网办", "Fully online")},
}

// Material forms.
const (
	FormOriginal   = "original"
	FormCopy       = "copy"
	FormElectronic = "electronic"
)

// MaterialForms lists the forms a material is handed in as.
var MaterialForms = []Option{
	{FormOriginal, i18n.M("原件", "Original")},
	{FormCopy, i18n.M("复印件", "Photocopy")},
	{FormElectronic, i18n.M("电子", "Electronic")},
}

// Material sources: who provides a material. Anything not from the
// applicant is what makes 零材料 possible.
const (
	SourceApplicant  = "applicant"  // 申请人提供
	SourceLicense    = "license"    // 电子证照共享: SourceRef is the certificate name
	SourceDepartment = "department" // 部门共享: SourceRef is the issuing department's code
	SourcePlatform   = "platform"   // 平台共享: SourceRef is a 一企一档 field or "profile"
)

// MaterialSources lists the sources.
var MaterialSources = []Option{
	{SourceApplicant, i18n.M("申请人提供", "Provided by the applicant")},
	{SourceLicense, i18n.M("电子证照共享", "Shared from the e-licence library")},
	{SourceDepartment, i18n.M("部门共享", "Issued by another department")},
	{SourcePlatform, i18n.M("平台共享", "Held by the platform")},
}

// ProfileRef is the platform source reference for the whole 一企一档 profile.
const ProfileRef = "profile"

// PrefillFields are the 一企一档 fields a form field or a platform-held
// material can come from, named as the enterprise API names them.
var PrefillFields = []Option{
	{"name", i18n.M("企业名称", "Enterprise name")},
	{"credit_code", i18n.M("统一社会信用代码", "Unified social credit code")},
	{"legal_rep", i18n.M("法定代表人", "Legal representative")},
	{"address", i18n.M("住所", "Address")},
	{"contact_name", i18n.M("联系人", "Contact person")},
	{"contact_phone", i18n.M("联系电话", "Contact phone")},
	{"registered_capital_yuan", i18n.M("注册资本（元）", "Registered capital (yuan)")},
	{"registered_on", i18n.M("成立日期", "Date of establishment")},
	{"industry_code", i18n.M("行业代码", "Industry code")},
	{"region_code", i18n.M("区划代码", "Region code")},
	{"business_scope", i18n.M("经营范围", "Business scope")},
}

// FieldTypes are the types of an online form field.
var FieldTypes = []Option{
	{"text", i18n.M("文本", "Text")},
	{"number", i18n.M("数字", "Number")},
	{"date", i18n.M("日期", "Date")},
	{"select", i18n.M("选项", "Choice")},
}

// Events are the 主题 — business and life events — matters are shelved
// under, so that an enterprise finds everything one event needs.
var Events = []Option{
	{"startup", i18n.M("企业开办", "Starting a business")},
	{"operation", i18n.M("准营", "Licences to operate")},
	{"change", i18n.M("变更", "Changes")},
	{"closure", i18n.M("注销", "Closing a business")},
	{"construction", i18n.M("工程建设", "Construction projects")},
	{"property", i18n.M("不动产登记", "Real-estate registration")},
	{"tax", i18n.M("纳税", "Paying taxes")},
	{"employment", i18n.M("用工", "Hiring and employment")},
	{"social_insurance", i18n.M("社保医保", "Social and medical insurance")},
	{"housing_fund", i18n.M("住房公积金", "Housing provident fund")},
	{"banking", i18n.M("金融服务", "Banking")},
	{"environment", i18n.M("生态环境", "Environment")},
	{"fire_safety", i18n.M("消防", "Fire safety")},
	{"work_safety", i18n.M("安全生产", "Work safety")},
	{"food", i18n.M("食品", "Food")},
	{"drug", i18n.M("药品医疗器械", "Drugs and medical devices")},
	{"health", i18n.M("卫生健康", "Health")},
	{"special_equipment", i18n.M("特种设备", "Special equipment")},
	{"advertising", i18n.M("广告招牌", "Advertising and signs")},
	{"urban", i18n.M("城市管理", "Urban management")},
	{"transport", i18n.M("交通运输", "Transport")},
	{"culture_tourism", i18n.M("文化旅游", "Culture and tourism")},
	{"agriculture", i18n.M("农业农村", "Agriculture")},
	{"forestry", i18n.M("林业", "Forestry")},
	{"water", i18n.M("水利", "Water")},
	{"investment", i18n.M("投资项目", "Investment projects")},
	{"innovation", i18n.M("科技创新", "Science and innovation")},
	{"statistics", i18n.M("统计", "Statistics")},
	{"trade", i18n.M("商贸流通", "Trade")},
	{"social_org", i18n.M("社会组织", "Social organisations")},
	{"education", i18n.M("教育培训", "Education")},
	{"subsidy", i18n.M("惠企补贴", "Subsidies")},
}

// resolve maps a code or a label (Chinese or English, any case) to its code.
func resolve(opts []Option, v string) (string, bool) {
	v = strings.TrimSpace(v)
	for _, o := range opts {
		if v == o.Code || v == o.Name.Zh || strings.EqualFold(v, o.Name.En) {
			return o.Code, true
		}
	}
	return "", false
}

// label returns the option's labels for code, or the code itself.
func label(opts []Option, code string) i18n.Msg {
	for _, o := range opts {
		if o.Code == code {
			return o.Name
		}
	}
	return i18n.M(code, code)
}

func typeOptions() []Option {
	out := make([]Option, len(Types))
	for i, t := range Types {
		out[i] = t.Option
	}
	return out
}

// TypeLabel is the display name of a matter type code.
func TypeLabel(code string) i18n.Msg { return label(typeOptions(), code) }

// EventLabel is the display name of an event code.
func EventLabel(code string) i18n.Msg { return label(Events, code) }

// SourceLabel is the display name of a material source code.
func SourceLabel(code string) i18n.Msg { return label(MaterialSources, code) }

// FormLabel is the display name of a material form code.
func FormLabel(code string) i18n.Msg { return label(MaterialForms, code) }

// DepthLabel is the display name of an online depth.
func DepthLabel(depth int) i18n.Msg {
	if depth >= 1 && depth <= len(Depths) {
		return Depths[depth-1].Name
	}
	return i18n.M("未知", "Unknown")
}
