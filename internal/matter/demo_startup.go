package matter

// 企业开办、变更、注销: market-entity registration at 区市场监管局 and the
// other steps of starting a business (seal, bank account).

const (
	basisRegistration = "《中华人民共和国市场主体登记管理条例》（国务院令第746号）第三条、第十九条；《中华人民共和国市场主体登记管理条例实施细则》（国家市场监督管理总局令第52号）"
	noteRegistration  = "法定时限：材料齐全、符合法定形式的当场登记，不能当场登记的 3 个工作日内登记，情形复杂的经批准可再延长 3 个工作日（市场主体登记管理条例第十九条）；北碚区承诺 1 个工作日办结"
	setupConditions   = "名称、住所、经营范围等登记事项符合法律法规规定；申请材料齐全、符合法定形式；住所（经营场所）实行申报承诺制"
)

// newFirmForm is the form of a firm that does not exist yet: nothing can
// be prefilled.
func newFirmForm(extra ...FormField) []FormField {
	return append([]FormField{
		prefilled(txt("proposed_name", "拟定名称", "Proposed name", true), "name"),
		prefilled(txt("address", "住所（经营场所）", "Address", true), "address"),
		prefilled(txt("legal_rep", "法定代表人（负责人）", "Legal representative", true), "legal_rep"),
		prefilled(num("registered_capital_yuan", "注册资本（出资额，元）", "Registered capital (yuan)", false), "registered_capital_yuan"),
		prefilled(txt("business_scope", "经营范围", "Business scope", true), "business_scope"),
		prefilled(txt("contact_name", "联系人", "Contact person", true), "contact_name"),
		prefilled(txt("contact_phone", "联系电话", "Contact phone", true), "contact_phone"),
	}, extra...)
}

func demoStartup() []demoMatter {
	return []demoMatter{
		dm(depSCJGJ, "scj.setup_llc", 1, 1, MatterInput{
			Name: "有限责任公司设立登记", NameEn: "Registration of a limited liability company", Type: "permit",
			LegalBasis:     "《中华人民共和国公司法》（2023年修订）第二十九条、第三十条；" + basisRegistration,
			LegalLimitDays: 3, CommittedLimitDays: 1, LimitNote: noteRegistration,
			Visits: 0, OnlineDepth: 4, MailDelivery: true, ResultName: "营业执照",
			AcceptConditions: setupConditions,
			Events:           ev("startup"),
			FormFields:       newFirmForm(sel("company_kind", "公司类型", "Company kind", "有限责任公司（自然人投资或控股）", "有限责任公司（自然人独资）", "有限责任公司（法人独资）")),
			Materials: []Material{
				online("公司登记（备案）申请书"), online("公司章程"),
				lic("股东主体资格证明", "居民身份证"),
				online("法定代表人、董事、监事和经理的任职文件"),
				online("住所（经营场所）申报承诺书"), matProxy,
			},
		}),
		dm(depSCJGJ, "scj.setup_sole", 1, 2, MatterInput{
			Name: "个人独资企业设立登记", NameEn: "Registration of a sole-proprietorship enterprise", Type: "permit",
			LegalBasis:     "《中华人民共和国个人独资企业法》第九条；" + basisRegistration,
			LegalLimitDays: 3, CommittedLimitDays: 1, LimitNote: noteRegistration,
			Visits: 0, OnlineDepth: 4, MailDelivery: true, ResultName: "营业执照",
			AcceptConditions: setupConditions + "；投资人为一个自然人",
			Events:           ev("startup"), FormFields: newFirmForm(),
			Materials: []Material{
				online("个人独资企业登记（备案）申请书"), lic("投资人身份证明", "居民身份证"),
				online("住所（经营场所）申报承诺书"), matProxy,
			},
		}),
		dm(depSCJGJ, "scj.setup_partnership", 1, 3, MatterInput{
			Name: "合伙企业设立登记", NameEn: "Registration of a partnership enterprise", Type: "permit",
			LegalBasis:     "《中华人民共和国合伙企业法》第九条；" + basisRegistration,
			LegalLimitDays: 3, CommittedLimitDays: 1, LimitNote: noteRegistration,
			Visits: 0, OnlineDepth: 4, MailDelivery: true, ResultName: "营业执照",
			AcceptConditions: setupConditions,
			Events:           ev("startup"), FormFields: newFirmForm(),
			Materials: []Material{
				online("合伙企业登记（备案）申请书"), online("全体合伙人签署的合伙协议"),
				lic("全体合伙人的主体资格证明", "居民身份证"),
				online("全体合伙人对各合伙人认缴或者实际缴付出资的确认书"),
				online("住所（经营场所）申报承诺书"), matProxy,
			},
		}),
		dm(depSCJGJ, "scj.setup_coop", 1, 4, MatterInput{
			Name: "农民专业合作社设立登记", NameEn: "Registration of a farmers' cooperative", Type: "permit",
			LegalBasis:     "《中华人民共和国农民专业合作社法》第十六条；" + basisRegistration,
			LegalLimitDays: 3, CommittedLimitDays: 1, LimitNote: noteRegistration,
			Visits: 1, OnlineDepth: 3, MailDelivery: true, ResultName: "营业执照",
			AcceptConditions: "有五名以上符合规定的成员，农民至少应当占成员总数的百分之八十；有符合规定的章程、组织机构和住所",
			Events:           ev("startup", "agriculture"), FormFields: newFirmForm(num("members", "成员人数", "Number of members", true)),
			Materials: []Material{
				online("农民专业合作社登记（备案）申请书"), own("全体设立人签名、盖章的设立大会纪要"),
				own("全体设立人签名、盖章的章程"), own("成员名册及成员身份证明"),
				online("住所（经营场所）申报承诺书"), matProxy,
			},
		}),
		dm(depSCJGJ, "scj.setup_individual", 2, 1, MatterInput{
			Name: "个体工商户设立登记", NameEn: "Registration of an individual business", Type: "permit",
			LegalBasis:     "《促进个体工商户发展条例》（国务院令第755号）；" + basisRegistration,
			LegalLimitDays: 3, CommittedLimitDays: 0, LimitNote: "材料齐全、符合法定形式的当场登记",
			Visits: 0, OnlineDepth: 4, MailDelivery: true, ResultName: "营业执照",
			AcceptConditions: "经营者为有经营能力的自然人或家庭；经营场所符合要求",
			Events:           ev("startup"), FormFields: newFirmForm(),
			Materials: []Material{
				online("个体工商户登记（备案）申请书"), lic("经营者身份证明", "居民身份证"),
				online("住所（经营场所）申报承诺书"),
			},
		}),
		dm(depSCJGJ, "scj.name", 6, 1, MatterInput{
			Name: "企业名称自主申报", NameEn: "Self-declaration of an enterprise name", Type: "public_service",
			LegalBasis:     "《企业名称登记管理规定》（国务院令第734号）；《企业名称登记管理规定实施办法》（国家市场监督管理总局令第82号）",
			LegalLimitDays: 0, CommittedLimitDays: 0, Visits: 0, OnlineDepth: 4,
			AcceptConditions: "名称不含禁止性内容，与同一登记机关已登记的同行业企业名称不相同",
			Process:          "申请人在重庆市企业开办“一网通”平台自主查询、比对并申报名称→系统即时筛查→申报成功后名称保留 2 个月",
			Events:           ev("startup"),
			FormFields:       []FormField{txt("proposed_name", "拟定名称", "Proposed name", true), txt("industry_words", "行业表述", "Industry wording", true)},
			Materials:        []Material{lic("申请人身份证明", "居民身份证")},
		}),
		dm(depGAFJ, "ga.seal", 1, 1, MatterInput{
			Name: "公章刻制备案", NameEn: "Filing of official seal engraving", Type: "other",
			LegalBasis:     "《国务院关于取消和下放一批行政许可事项的决定》（国发〔2020〕13号，公章刻制审批改为备案）；《印铸刻字业暨信托业管理规则》",
			LegalLimitDays: 0, CommittedLimitDays: 0,
			LimitNote: "企业开办期间由区政府购买服务免费刻制首套公章（公章、财务专用章、发票专用章、法定代表人名章），刻章企业即时备案",
			Visits:    0, OnlineDepth: 4, MailDelivery: true, ResultName: "印章及印模备案回执",
			AcceptConditions: "已取得营业执照；选择经公安机关备案的刻章企业",
			Events:           ev("startup"),
			FormFields:       form(sel("seal_set", "刻制印章", "Seals to engrave", "首套四枚（公章、财务章、发票章、法人章）", "补刻单枚")),
			Materials:        []Material{matLicense, matRepID, matAgentID, matProxy},
		}),
		dm(depZWFWZX, "zw.bank", 1, 1, MatterInput{
			Name: "企业银行开户预约", NameEn: "Appointment for a company bank account", Type: "public_service",
			LegalBasis:     "《人民币银行结算账户管理办法》（中国人民银行令〔2003〕第5号）；《中国人民银行关于取消企业银行账户许可的通知》（银发〔2019〕41号）",
			LegalLimitDays: 0, CommittedLimitDays: 1, LimitNote: "由申请人选定的合作银行在 1 个工作日内联系预约，开户后账户信息推送税务、社保、公积金",
			Visits: 1, OnlineDepth: 3, ResultName: "银行结算账户开户回执",
			AcceptConditions: "已取得营业执照；法定代表人本人或授权经办人到银行网点核实身份、签署开户资料",
			Process:          "企业开办平台勾选银行及网点→银行 1 个工作日内联系预约→到网点核实身份、开立账户→账户信息同步共享",
			Events:           ev("startup", "banking"),
			FormFields: form(sel("bank", "开户银行", "Bank", "重庆农村商业银行北碚支行", "中国工商银行重庆北碚支行", "中国建设银行重庆北碚支行",
				"中国农业银行重庆北碚支行", "中国银行重庆北碚支行", "重庆银行北碚支行", "中国邮政储蓄银行北碚区支行", "重庆三峡银行北碚支行")),
			Materials: []Material{matLicense, matRepID, matAgentID,
				own("单位公章、财务专用章、法定代表人名章")},
		}),
		dm(depZWFWZX, "zw.startup_help", 2, 1, MatterInput{
			Name: "企业开办帮办代办服务", NameEn: "Assisted start-up service", Type: "public_service",
			LegalBasis:     "《优化营商环境条例》（国务院令第722号）第三十五条；《重庆市优化营商环境条例》",
			LegalLimitDays: 0, CommittedLimitDays: 0, Visits: 0, OnlineDepth: 4,
			AcceptConditions: "在北碚区开办企业的申请人自愿申请帮办代办",
			Process:          "申请人提出需求→政务服务中心指派帮办员→全程指导填报企业开办“一网通”→跟踪至领取营业执照及首套印章",
			Events:           ev("startup"),
			FormFields:       []FormField{txt("contact_name", "联系人", "Contact person", true), txt("contact_phone", "联系电话", "Contact phone", true), txt("need", "需要帮办的事项", "What you need help with", false)},
		}),
		dm(depSCJGJ, "scj.change", 3, 1, MatterInput{
			Name: "有限责任公司变更登记", NameEn: "Change registration of a limited liability company", Type: "permit",
			LegalBasis:     "《中华人民共和国市场主体登记管理条例》（国务院令第746号）第二十四条；《中华人民共和国市场主体登记管理条例实施细则》（国家市场监督管理总局令第52号）",
			LegalLimitDays: 3, CommittedLimitDays: 1, LimitNote: "应自作出变更决议、决定或法定变更事项发生之日起 30 日内申请；" + noteRegistration,
			Visits: 0, OnlineDepth: 4, MailDelivery: true, ResultName: "营业执照",
			AcceptConditions: "变更事项符合法律法规规定，依法需经批准的已取得批准文件",
			Events:           ev("change"),
			FormFields: form(sel("change_item", "变更事项", "What changes", "名称", "住所", "法定代表人", "注册资本", "经营范围", "股东"),
				txt("new_value", "变更后内容", "New value", true)),
			Materials: withCommon(online("公司变更登记申请书"), online("变更决议或决定"),
				ownIf("修改后的公司章程或章程修正案", "变更事项涉及章程的提供")),
		}),
		dm(depSCJGJ, "scj.filing", 3, 2, MatterInput{
			Name: "企业备案（章程、董事监事高级管理人员、登记联络员）", NameEn: "Filing of articles, officers and liaison", Type: "other",
			LegalBasis:     "《中华人民共和国市场主体登记管理条例》（国务院令第746号）第九条",
			LegalLimitDays: 0, CommittedLimitDays: 0, Visits: 0, OnlineDepth: 4, MailDelivery: false,
			AcceptConditions: "备案事项发生变动之日起 30 日内申请",
			Events:           ev("change"),
			FormFields:       form(sel("filing_item", "备案事项", "What is filed", "章程", "董事、监事、高级管理人员", "登记联络员")),
			Materials:        withCommon(online("企业备案申请书"), online("备案事项相关文件")),
		}),
		dm(depSCJGJ, "scj.change_individual", 2, 2, MatterInput{
			Name: "个体工商户变更登记", NameEn: "Change registration of an individual business", Type: "permit",
			LegalBasis:     "《促进个体工商户发展条例》（国务院令第755号）；" + basisRegistration,
			LegalLimitDays: 3, CommittedLimitDays: 0, Visits: 0, OnlineDepth: 4, MailDelivery: true, ResultName: "营业执照",
			AcceptConditions: "变更事项符合规定；个体工商户可直接变更为企业（“个转企”）",
			Events:           ev("change"),
			FormFields:       form(sel("change_item", "变更事项", "What changes", "名称", "经营场所", "经营范围", "经营者", "组成形式")),
			Materials:        []Material{matLicense, lic("经营者身份证明", "居民身份证"), online("个体工商户变更登记申请书")},
		}),
		dm(depSCJGJ, "scj.licence_reissue", 5, 1, MatterInput{
			Name: "营业执照遗失补领、换发", NameEn: "Reissue of a lost or damaged business licence", Type: "other",
			LegalBasis:     basisRegistration,
			LegalLimitDays: 0, CommittedLimitDays: 0, Visits: 0, OnlineDepth: 4, MailDelivery: true, ResultName: "营业执照",
			AcceptConditions: "营业执照遗失、毁损或需换发；已在国家企业信用信息公示系统发布遗失声明",
			Events:           ev("change"),
			FormFields:       form(sel("reason", "申请原因", "Reason", "遗失", "毁损", "换发")),
			Materials:        []Material{matAgentID, matProxy, online("营业执照补领（换发）申请书"), ownIf("毁损的营业执照", "因毁损申请换发的交回")},
		}),
		dm(depSCJGJ, "scj.deregister", 4, 1, MatterInput{
			Name: "企业注销登记（一般注销）", NameEn: "Deregistration of an enterprise", Type: "permit",
			LegalBasis:     "《中华人民共和国市场主体登记管理条例》（国务院令第746号）第三十一条、第三十二条；《中华人民共和国公司法》（2023年修订）第二百三十九条",
			LegalLimitDays: 3, CommittedLimitDays: 1, LimitNote: noteRegistration,
			Visits: 0, OnlineDepth: 4, ResultName: "准予注销登记通知书",
			AcceptConditions: "已依法成立清算组并完成清算，清算组备案及债权人公告期（45 日）届满；已清缴税款（税务部门信息共享）",
			Events:           ev("closure"),
			FormFields:       form(day("liquidation_end", "清算结束日期", "Liquidation finished on", true)),
			Materials: []Material{matAgentID, matProxy, online("注销登记申请书"), online("清算报告"),
				online("依法作出解散的决议或决定"), fromDept("清税信息", depSWJ)},
		}),
		dm(depSCJGJ, "scj.deregister_simple", 4, 2, MatterInput{
			Name: "企业简易注销登记", NameEn: "Simplified deregistration of an enterprise", Type: "permit",
			LegalBasis:     "《中华人民共和国市场主体登记管理条例》（国务院令第746号）第三十三条",
			LegalLimitDays: 3, CommittedLimitDays: 1, LimitNote: "公示期 20 日届满无异议后申请，1 个工作日内办结",
			Visits: 0, OnlineDepth: 4, ResultName: "准予简易注销登记通知书",
			AcceptConditions: "未发生债权债务或已将债权债务清偿完结，未发生或已结清清偿费用、职工工资、社会保险费用、法定补偿金、应缴纳税款（滞纳金、罚款），并由全体投资人书面承诺；经国家企业信用信息公示系统公示 20 日无异议",
			Events:           ev("closure"),
			FormFields:       form(),
			Materials:        []Material{matAgentID, matProxy, online("简易注销登记申请书"), online("全体投资人承诺书")},
		}),
		dm(depSCJGJ, "scj.deregister_individual", 2, 3, MatterInput{
			Name: "个体工商户注销登记", NameEn: "Deregistration of an individual business", Type: "permit",
			LegalBasis:     "《促进个体工商户发展条例》（国务院令第755号）；" + basisRegistration,
			LegalLimitDays: 3, CommittedLimitDays: 0, Visits: 0, OnlineDepth: 4, ResultName: "准予注销登记通知书",
			AcceptConditions: "已结清税款；未被列入经营异常名录或已移出",
			Events:           ev("closure"),
			FormFields:       form(),
			Materials:        []Material{lic("经营者身份证明", "居民身份证"), online("个体工商户注销登记申请书")},
		}),
	}
}
