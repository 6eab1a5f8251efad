package matter

// Food, drugs and medical devices — 区市场监管局.

const (
	basisFoodBusiness = "《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》（国家市场监督管理总局令第78号）"
	noteFoodBusiness  = "法定 10 个工作日，可延长 5 个工作日（食品经营许可和备案管理办法）；实行告知承诺的当场发证、事后核查"
	basisDrugRetail   = "《中华人民共和国药品管理法》第五十一条、第五十二条；《药品经营和使用质量监督管理办法》（国家市场监督管理总局令第84号）"
	basisDevices      = "《医疗器械监督管理条例》（国务院令第739号）；《医疗器械经营监督管理办法》（国家市场监督管理总局令第54号）"
)

var (
	foodForm = form(sel("food_business", "经营项目", "Business items", "预包装食品销售（含冷藏冷冻食品）", "散装食品销售",
		"热食类食品制售", "冷食类食品制售", "生食类食品制售", "半成品制售", "自制饮品制售"),
		sel("operator_kind", "主体业态", "Kind of operator", "食品销售经营者", "餐饮服务经营者", "单位食堂"),
		num("business_area_m2", "经营场所面积（平方米）", "Floor area (m²)", true))
	healthCerts = Material{Name: "从业人员健康证明", Form: FormElectronic, Source: SourceDepartment, SourceRef: depWJW,
		Note: "由卫生健康部门健康体检信息共享，供核查使用"}
)

func demoFoodDrug() []demoMatter {
	return []demoMatter{
		dm(depSCJGJ, "scj.food_business", 10, 1, MatterInput{
			Name: "食品经营许可（新办）", NameEn: "Food business licence (new)", Type: "permit",
			LegalBasis: basisFoodBusiness, LegalLimitDays: 10, CommittedLimitDays: 3, LimitNote: noteFoodBusiness,
			Visits: 0, OnlineDepth: 4, MailDelivery: true, ResultName: "食品经营许可证",
			AcceptConditions: "具有与经营的食品品种、数量相适应的经营场所和设施设备，有专职或兼职的食品安全管理人员和保证食品安全的规章制度，布局流程合理",
			Events:           ev("operation", "food"),
			FormFields:       foodForm,
			Materials: withCommon(online("食品经营许可申请书"),
				online("与食品经营相适应的主要设备设施、经营布局、操作流程等文件"),
				online("食品安全自查、从业人员健康管理、进货查验记录、食品安全事故处置等保证食品安全的规章制度目录"),
				healthCerts),
		}),
		dm(depSCJGJ, "scj.food_business_change", 10, 2, MatterInput{
			Name: "食品经营许可（变更）", NameEn: "Food business licence (change)", Type: "permit",
			LegalBasis: basisFoodBusiness, LegalLimitDays: 10, CommittedLimitDays: 1,
			Visits: 0, OnlineDepth: 4, MailDelivery: true, ResultName: "食品经营许可证",
			AcceptConditions: "许可证载明的许可事项发生变化；经营场所发生变化的应重新申请许可",
			Events:           ev("operation", "food", "change"),
			FormFields:       append(form(), sel("change_item", "变更事项", "What changes", "经营者名称", "法定代表人（负责人）", "经营项目", "主体业态")),
			Materials:        withCommon(online("食品经营许可变更申请书"), ownIf("与变更事项有关的材料", "变更经营项目的提供设备设施、布局流程文件")),
		}),
		dm(depSCJGJ, "scj.food_business_renew", 10, 3, MatterInput{
			Name: "食品经营许可（延续）", NameEn: "Food business licence (renewal)", Type: "permit",
			LegalBasis: basisFoodBusiness, LegalLimitDays: 10, CommittedLimitDays: 1,
			LimitNote: "应在许可证有效期届满 30 个工作日前申请延续", Visits: 0, OnlineDepth: 4, MailDelivery: true,
			ResultName:       "食品经营许可证",
			AcceptConditions: "许可条件未发生变化或变化后仍符合许可条件",
			Events:           ev("operation", "food"),
			FormFields:       form(),
			Materials:        withCommon(online("食品经营许可延续申请书"), online("保持许可条件的声明")),
		}),
		dm(depSCJGJ, "scj.food_business_cancel", 10, 4, MatterInput{
			Name: "食品经营许可（注销）", NameEn: "Food business licence (cancellation)", Type: "permit",
			LegalBasis: basisFoodBusiness, LegalLimitDays: 10, CommittedLimitDays: 0,
			Visits: 0, OnlineDepth: 4, ResultName: "食品经营许可注销通知",
			AcceptConditions: "食品经营者终止经营、许可证有效期届满未延续或被依法撤销吊销",
			Events:           ev("food", "closure"),
			FormFields:       form(),
			Materials:        withCommon(online("食品经营许可注销申请书")),
		}),
		dm(depSCJGJ, "scj.prepackaged_filing", 11, 1, MatterInput{
			Name: "仅销售预包装食品备案", NameEn: "Filing for selling only prepackaged food", Type: "other",
			LegalBasis:     "《中华人民共和国食品安全法》第三十五条（仅销售预包装食品的，不需要取得许可，应当报所在地县级以上地方人民政府食品安全监督管理部门备案）；《食品经营许可和备案管理办法》（国家市场监督管理总局令第78号）",
			LegalLimitDays: 0, CommittedLimitDays: 0, Visits: 0, OnlineDepth: 4, ResultName: "仅销售预包装食品备案信息采集表",
			AcceptConditions: "仅销售预包装食品（含冷藏冷冻食品）",
			Events:           ev("operation", "food"),
			FormFields:       form(sel("cold_chain", "是否含冷藏冷冻食品", "Chilled or frozen food", "是", "否")),
			Materials:        []Material{matLicense, matAgentID, online("仅销售预包装食品备案信息采集表")},
		}),
		dm(depSCJGJ, "scj.food_production", 12, 1, MatterInput{
			Name: "食品生产许可（一般食品）", NameEn: "Food production licence (ordinary food)", Type: "permit",
			LegalBasis:     "《中华人民共和国食品安全法》第三十五条；《食品生产许可管理办法》（国家市场监督管理总局令第24号）",
			LegalLimitDays: 10, CommittedLimitDays: 7, LimitNote: "现场核查时间计入承诺时限；法定可延长 5 个工作日",
			Visits: 0, OnlineDepth: 3, MailDelivery: true, ResultName: "食品生产许可证",
			AcceptConditions: "具有与生产的食品品种、数量相适应的生产场所、设备设施、专业技术人员、管理人员和保证食品安全的规章制度",
			Events:           ev("operation", "food"),
			FormFields:       form(txt("food_category", "食品类别", "Food category", true), txt("plant_address", "生产地址", "Production address", true)),
			Materials: withCommon(online("食品生产许可申请书"), own("食品生产主要设备、设施清单"),
				own("专职或者兼职的食品安全专业技术人员、食品安全管理人员信息和食品安全管理制度"),
				own("生产场所平面图及工艺设备布局图"), own("食品生产工艺流程图")),
		}),
		dm(depSCJGJ, "scj.small_workshop", 13, 1, MatterInput{
			Name: "食品生产加工小作坊登记", NameEn: "Registration of a small food workshop", Type: "other",
			LegalBasis:     "《重庆市食品生产加工小作坊和食品摊贩管理条例》",
			LegalLimitDays: 15, CommittedLimitDays: 5, Visits: 1, OnlineDepth: 3, MailDelivery: true,
			ResultName:       "食品生产加工小作坊登记证",
			AcceptConditions: "有固定生产加工场所，生产加工条件符合条例规定的卫生要求，从事条例允许的食品品种",
			Events:           ev("operation", "food"),
			FormFields:       form(txt("products", "生产加工品种", "Products", true)),
			Materials:        withCommon(online("小作坊登记申请书"), own("生产加工场所布局和工艺流程说明"), healthCerts),
		}),
		dm(depSCJGJ, "scj.drug_retail", 14, 1, MatterInput{
			Name: "药品经营许可（零售）核发", NameEn: "Drug retail licence", Type: "permit",
			LegalBasis: basisDrugRetail, LegalLimitDays: 20, CommittedLimitDays: 10,
			LimitNote: "含现场检查；法定 20 日", Visits: 0, OnlineDepth: 3, MailDelivery: true, ResultName: "药品经营许可证",
			AcceptConditions: "有依法经过资格认定的药师或者其他药学技术人员；有与所经营药品相适应的营业场所、设备、仓储设施和卫生环境；有质量管理机构或人员和质量管理制度，符合药品经营质量管理规范",
			Events:           ev("operation", "drug"),
			FormFields:       form(sel("scope", "经营范围", "Scope", "处方药、非处方药（甲类、乙类）", "乙类非处方药"), num("business_area_m2", "营业面积（平方米）", "Floor area (m²)", true)),
			Materials: withCommon(online("药品经营许可证申请表"), lic("执业药师注册证", "执业药师注册证"),
				own("营业场所、仓库平面布置图及房屋使用证明"), own("质量管理文件及主要设施设备目录"),
				own("质量负责人、质量管理部门负责人学历、执业资格证明")),
		}),
		dm(depSCJGJ, "scj.drug_retail_change", 14, 2, MatterInput{
			Name: "药品经营许可（零售）变更", NameEn: "Drug retail licence (change)", Type: "permit",
			LegalBasis: basisDrugRetail, LegalLimitDays: 15, CommittedLimitDays: 5,
			Visits: 0, OnlineDepth: 4, MailDelivery: true, ResultName: "药品经营许可证",
			AcceptConditions: "许可事项变更的，应在变更前提出申请；登记事项变更的，应在变更后 30 日内申请",
			Events:           ev("drug", "change"),
			FormFields:       append(form(), sel("change_item", "变更事项", "What changes", "经营地址", "经营范围", "质量负责人", "企业名称", "法定代表人")),
			Materials:        withCommon(online("药品经营许可证变更申请表"), own("变更事项相关证明材料")),
		}),
		dm(depSCJGJ, "scj.device_class2", 15, 1, MatterInput{
			Name: "第二类医疗器械经营备案", NameEn: "Filing for trading class II medical devices", Type: "other",
			LegalBasis: basisDevices, LegalLimitDays: 0, CommittedLimitDays: 0,
			Visits: 0, OnlineDepth: 4, ResultName: "第二类医疗器械经营备案凭证",
			AcceptConditions: "有与经营规模和经营范围相适应的经营场所和贮存条件，以及质量管理制度和质量管理机构或人员",
			Events:           ev("operation", "drug"),
			FormFields:       form(txt("device_scope", "经营范围（分类编码）", "Scope (classification codes)", true)),
			Materials: withCommon(online("第二类医疗器械经营备案表"), own("经营场所、库房地址的地理位置图、平面图和房屋产权或使用权证明"),
				own("质量管理制度、工作程序目录")),
		}),
		dm(depSCJGJ, "scj.device_class3", 16, 1, MatterInput{
			Name: "第三类医疗器械经营许可", NameEn: "Licence for trading class III medical devices", Type: "permit",
			LegalBasis: basisDevices, LegalLimitDays: 20, CommittedLimitDays: 10, LimitNote: "含现场核查",
			Visits: 0, OnlineDepth: 3, MailDelivery: true, ResultName: "医疗器械经营许可证",
			AcceptConditions: "有与经营规模和经营范围相适应的经营场所和贮存条件，质量管理制度和质量管理机构或人员，以及计算机信息管理系统",
			Events:           ev("operation", "drug"),
			FormFields:       form(txt("device_scope", "经营范围（分类编码）", "Scope (classification codes)", true)),
			Materials: withCommon(online("医疗器械经营许可申请表"), own("法定代表人、企业负责人、质量负责人的身份证明、学历或者职称证明"),
				own("经营场所、库房地址的地理位置图、平面图和房屋产权或使用权证明"), own("经营设施、设备目录"),
				own("经营质量管理制度、工作程序等文件目录"), own("计算机信息管理系统基本情况介绍和功能说明")),
		}),
	}
}
