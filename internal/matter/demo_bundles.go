package matter

// The demo 一件事 bundles, built on the demo catalogue's keys.

type demoBundle struct {
	in      BundleInput
	members []string // demo keys
}

var demoBundleList = []demoBundle{
	{BundleInput{
		Code: "YJS-QYKB", Name: "开办企业一件事", NameEn: "Starting a business as one thing",
		Description: "一次申请、一套材料，同步办理营业执照、首套公章刻制、发票领用、社保登记、住房公积金缴存登记和银行开户预约；营业执照和印章免费寄递。",
		Events:      ev("startup"), CommittedLimitDays: 2, LeadDepartmentCode: depSCJGJ,
		FormFields: []FormField{sel("delivery", "领取方式", "How to receive the results", "免费邮寄", "政务服务中心窗口领取")},
	}, []string{"scj.setup_llc", "ga.seal", "swj.invoice", "rsj.si_register", "gjj.register", "zw.bank"}},
	{BundleInput{
		Code: "YJS-KCG", Name: "开餐馆一件事", NameEn: "Opening a restaurant as one thing",
		Description: "开办餐饮店所需的营业执照、食品经营许可、公众聚集场所消防安全检查、排水许可和户外招牌设置一次申请、并联审批。（餐饮场所已无需办理公共场所卫生许可。）",
		Events:      ev("startup", "operation", "food"), CommittedLimitDays: 5, LeadDepartmentCode: depSCJGJ,
		FormFields: []FormField{num("seats", "餐位数", "Seats", true), sel("delivery", "领取方式", "How to receive the results", "免费邮寄", "政务服务中心窗口领取")},
	}, []string{"scj.setup_llc", "scj.food_business", "xf.public_gathering", "cg.drainage", "cg.shop_sign"}},
	{BundleInput{
		Code: "YJS-KYD", Name: "开办药店一件事", NameEn: "Opening a pharmacy as one thing",
		Description: "药品零售企业设立登记、药品经营许可、第二类医疗器械经营备案和户外招牌设置一次办。",
		Events:      ev("startup", "operation", "drug"), CommittedLimitDays: 10, LeadDepartmentCode: depSCJGJ,
	}, []string{"scj.setup_llc", "scj.drug_retail", "scj.device_class2", "cg.shop_sign"}},
	{BundleInput{
		Code: "YJS-QYBG", Name: "企业变更一件事", NameEn: "Changing company details as one thing",
		Description: "企业名称、住所、法定代表人等登记事项变更后，税务、社保、公积金、不动产登记信息同步变更，无需分别申请。",
		Events:      ev("change"), CommittedLimitDays: 1, LeadDepartmentCode: depSCJGJ,
	}, []string{"scj.change", "swj.change", "rsj.si_change", "gjj.change", "gh.estate_change"}},
	{BundleInput{
		Code: "YJS-QYZX", Name: "企业注销一件事", NameEn: "Closing a business as one thing",
		Description: "清税、社保注销、住房公积金账户注销和市场主体注销登记一网通办，信息共享、同步办理。",
		Events:      ev("closure"), CommittedLimitDays: 3, LeadDepartmentCode: depSCJGJ,
	}, []string{"swj.clearance", "rsj.si_cancel", "gjj.cancel", "scj.food_business_cancel", "scj.deregister"}},
	{BundleInput{
		Code: "YJS-GCKG", Name: "工程建设项目开工一件事", NameEn: "Starting construction as one thing",
		Description: "社会投资项目建设工程规划许可、环境影响报告表审批、消防设计审查和施工许可并联审批，“拿地即开工”。",
		Events:      ev("construction", "investment"), CommittedLimitDays: 15, LeadDepartmentCode: depZJW,
	}, []string{"gh.building_planning", "sth.eia_form", "zj.fire_design", "zj.construction_permit"}},
	{BundleInput{
		Code: "YJS-YGLY", Name: "企业员工录用一件事", NameEn: "Hiring an employee as one thing",
		Description: "新招员工一次申报，同步完成就业登记、社会保险和医疗保险参保、住房公积金开户。",
		Events:      ev("employment"), CommittedLimitDays: 0, LeadDepartmentCode: depRSJ,
		FormFields: []FormField{num("hires", "录用人数", "Number of hires", true)},
	}, []string{"rsj.employment_filing", "rsj.si_members", "ybj.members", "gjj.members"}},
}

// DemoBundles returns the demo 一件事 bundles with their members' codes.
func DemoBundles() []BundleInput {
	codes := demoCodes()
	out := make([]BundleInput, len(demoBundleList))
	for i, b := range demoBundleList {
		in := b.in
		in.MemberCodes = make([]string, len(b.members))
		for j, k := range b.members {
			c, ok := codes[k]
			if !ok {
				panic("demo bundle " + in.Code + ": no demo matter " + k)
			}
			in.MemberCodes[j] = c
		}
		in.FormFields = cloneFields(in.FormFields)
		in.Events = append([]string(nil), in.Events...)
		out[i] = in
	}
	return out
}
