package matter

// 纳税 — 区税务局. Declarations have no processing limit of their own: the
// law sets the filing period, which the limit note states.

const (
	basisTaxAdmin = "《中华人民共和国税收征收管理法》"
	taxHours      = "办税服务厅：法定工作日 9:00—12:00，13:30—17:30；重庆市电子税务局 24 小时"
)

var matInvoiceSeal = fromDept("发票专用章印模", depGAFJ)

func tax(key string, main int, in MatterInput) demoMatter {
	if in.Hours == "" {
		in.Hours = taxHours
	}
	return dm(depSWJ, key, main, 1, in)
}

func demoTax() []demoMatter {
	return []demoMatter{
		tax("swj.new_taxpayer", 1, MatterInput{
			Name: "新办纳税人涉税事项套餐（登记信息确认）", NameEn: "New taxpayer package (confirmation of registration data)", Type: "other",
			LegalBasis:     basisTaxAdmin + "第十五条；《税务登记管理办法》（国家税务总局令第7号）",
			LegalLimitDays: 0, CommittedLimitDays: 0,
			LimitNote: "“多证合一”后不再单独办理税务登记，市场主体登记信息共享至税务部门，首次办税时确认即可",
			Visits:    0, OnlineDepth: 4,
			AcceptConditions: "已领取营业执照的新办纳税人",
			Events:           ev("startup", "tax"),
			FormFields:       form(sel("taxpayer_kind", "纳税人类型", "Taxpayer kind", "小规模纳税人", "一般纳税人")),
			Materials:        []Material{fromDept("市场主体登记信息", depSCJGJ), matAgentID},
		}),
		tax("swj.invoice", 2, MatterInput{
			Name: "发票领用（票种核定）", NameEn: "Invoice issuance (invoice type approval)", Type: "other",
			LegalBasis:     "《中华人民共和国发票管理办法》（2023年修订）；《中华人民共和国发票管理办法实施细则》",
			LegalLimitDays: 0, CommittedLimitDays: 0,
			LimitNote: "新办纳税人首次领用数电发票即时赋予开具额度；需纸质发票的可邮寄送达",
			Visits:    0, OnlineDepth: 4, MailDelivery: true, ResultName: "发票（数电发票开具额度）",
			AcceptConditions: "已完成登记信息确认，办税人员已实名认证",
			Events:           ev("startup", "tax"),
			FormFields:       form(sel("invoice_kind", "发票种类", "Invoice kind", "数电发票（增值税专用发票）", "数电发票（普通发票）", "纸质普通发票")),
			Materials:        []Material{matAgentID, matInvoiceSeal},
		}),
		tax("swj.general_taxpayer", 3, MatterInput{
			Name: "增值税一般纳税人登记", NameEn: "Registration as a general VAT taxpayer", Type: "other",
			LegalBasis:     "《中华人民共和国增值税法》；《增值税一般纳税人登记管理办法》（国家税务总局令第43号）",
			LegalLimitDays: 0, CommittedLimitDays: 0, Visits: 0, OnlineDepth: 4,
			AcceptConditions: "年应税销售额超过小规模纳税人标准，或会计核算健全、能够提供准确税务资料的纳税人",
			Events:           ev("tax"),
			FormFields:       form(day("effective_from", "生效之日", "Effective from", true)),
			Materials:        []Material{matAgentID, online("增值税一般纳税人登记表")},
		}),
		tax("swj.vat_return", 4, MatterInput{
			Name: "增值税及附加税费申报", NameEn: "VAT and surcharges return", Type: "levy",
			LegalBasis:     "《中华人民共和国增值税法》；" + basisTaxAdmin + "第二十五条",
			LegalLimitDays: 0, CommittedLimitDays: 0, LimitNote: "按月、按季申报的，自期满之日起 15 日内申报纳税",
			Visits: 0, OnlineDepth: 4,
			Events:     ev("tax"),
			FormFields: form(sel("period", "申报期", "Period", "月度", "季度"), num("sales_yuan", "本期销售额（元）", "Sales this period (yuan)", true)),
			Materials:  []Material{online("增值税及附加税费申报表"), matProfile},
		}),
		tax("swj.cit_prepay", 5, MatterInput{
			Name: "企业所得税月（季）度预缴纳税申报", NameEn: "Monthly or quarterly corporate income tax prepayment", Type: "levy",
			LegalBasis:     "《中华人民共和国企业所得税法》第五十四条；" + basisTaxAdmin + "第二十五条",
			LegalLimitDays: 0, CommittedLimitDays: 0, LimitNote: "自月份或者季度终了之日起 15 日内预缴",
			Visits: 0, OnlineDepth: 4,
			Events:     ev("tax"),
			FormFields: form(num("profit_yuan", "实际利润额（元）", "Actual profit (yuan)", true)),
			Materials:  []Material{online("企业所得税月（季）度预缴纳税申报表"), matProfile},
		}),
		tax("swj.cit_annual", 6, MatterInput{
			Name: "企业所得税年度汇算清缴申报", NameEn: "Annual corporate income tax settlement", Type: "levy",
			LegalBasis:     "《中华人民共和国企业所得税法》第五十四条；《企业所得税汇算清缴管理办法》",
			LegalLimitDays: 0, CommittedLimitDays: 0, LimitNote: "自年度终了之日起 5 个月内（次年 5 月 31 日前）汇算清缴",
			Visits: 0, OnlineDepth: 4,
			Events:     ev("tax"),
			FormFields: form(num("fiscal_year", "所属年度", "Fiscal year", true), num("taxable_income_yuan", "应纳税所得额（元）", "Taxable income (yuan)", true)),
			Materials:  []Material{online("企业所得税年度纳税申报表"), online("年度财务会计报告"), matProfile},
		}),
		tax("swj.iit_withholding", 7, MatterInput{
			Name: "个人所得税扣缴申报", NameEn: "Individual income tax withholding return", Type: "levy",
			LegalBasis:     "《中华人民共和国个人所得税法》第九条、第十四条",
			LegalLimitDays: 0, CommittedLimitDays: 0, LimitNote: "扣缴义务人应在次月 15 日内缴入国库并报送扣缴申报表",
			Visits: 0, OnlineDepth: 4,
			Events:     ev("tax", "employment"),
			FormFields: form(num("employees", "扣缴人数", "Employees withheld for", true)),
			Materials:  []Material{online("个人所得税扣缴申报表")},
		}),
		tax("swj.property_behaviour", 8, MatterInput{
			Name: "财产和行为税合并申报", NameEn: "Combined property and behaviour taxes return", Type: "levy",
			LegalBasis:     "《国家税务总局关于简并税费申报有关事项的公告》（国家税务总局公告2021年第9号）；" + basisTaxAdmin + "第二十五条",
			LegalLimitDays: 0, CommittedLimitDays: 0, LimitNote: "房产税、城镇土地使用税、印花税等按各税种规定的期限申报",
			Visits: 0, OnlineDepth: 4,
			Events:     ev("tax"),
			FormFields: form(),
			Materials:  []Material{online("财产和行为税纳税申报表"), matProfile},
		}),
		tax("swj.social_fees", 9, MatterInput{
			Name: "社会保险费申报缴纳", NameEn: "Social insurance contributions return and payment", Type: "levy",
			LegalBasis:     "《中华人民共和国社会保险法》第六十条；《国税地税征管体制改革方案》（社会保险费由税务部门统一征收）",
			LegalLimitDays: 0, CommittedLimitDays: 0, LimitNote: "按月申报缴纳",
			Visits: 0, OnlineDepth: 4,
			Events:     ev("tax", "social_insurance", "employment"),
			FormFields: form(),
			Materials:  []Material{fromDept("社会保险参保及缴费基数信息", depRSJ)},
		}),
		tax("swj.export_refund", 10, MatterInput{
			Name: "出口退（免）税备案", NameEn: "Export tax refund filing", Type: "other",
			LegalBasis:     "《出口货物劳务增值税和消费税管理办法》（国家税务总局公告2012年第24号）",
			LegalLimitDays: 0, CommittedLimitDays: 0, Visits: 0, OnlineDepth: 4,
			AcceptConditions: "已办理对外贸易经营相关登记的出口企业或其他单位",
			Events:           ev("tax", "trade"),
			FormFields:       form(txt("customs_code", "海关企业代码", "Customs enterprise code", true)),
			Materials:        []Material{matAgentID, online("出口退（免）税备案表")},
		}),
		tax("swj.cross_region", 11, MatterInput{
			Name: "跨区域涉税事项报告", NameEn: "Report of cross-region tax matters", Type: "other",
			LegalBasis:     "《国家税务总局关于创新跨区域涉税事项报验管理制度的通知》（税总发〔2017〕103号）",
			LegalLimitDays: 0, CommittedLimitDays: 0, Visits: 0, OnlineDepth: 4,
			AcceptConditions: "纳税人跨省（自治区、直辖市和计划单列市）临时从事生产经营活动",
			Events:           ev("tax"),
			FormFields:       form(txt("site", "经营地", "Where the work is", true), day("until", "有效期至", "Valid until", true)),
			Materials:        []Material{online("跨区域涉税事项报告表"), ownIf("外出经营合同", "税务机关核查需要时提供")},
		}),
		tax("swj.credit_review", 12, MatterInput{
			Name: "纳税信用复评", NameEn: "Review of a tax credit rating", Type: "other",
			LegalBasis:     "《纳税信用管理办法（试行）》（国家税务总局公告2014年第40号）",
			LegalLimitDays: 15, CommittedLimitDays: 5, Visits: 0, OnlineDepth: 4,
			AcceptConditions: "对纳税信用评价结果有异议，在评价结果确定的当年内申请",
			Events:           ev("tax"),
			FormFields:       form(num("rating_year", "评价年度", "Rating year", true), txt("reason", "复评理由", "Reason", true)),
			Materials:        []Material{online("纳税信用复评申请表")},
		}),
		tax("swj.change", 13, MatterInput{
			Name: "涉税信息变更", NameEn: "Change of tax registration data", Type: "other",
			LegalBasis:     basisTaxAdmin + "第十六条；《税务登记管理办法》（国家税务总局令第7号）",
			LegalLimitDays: 0, CommittedLimitDays: 0,
			LimitNote: "市场主体登记信息变更的由市场监管部门共享，无需另行申请",
			Visits:    0, OnlineDepth: 4,
			Events:     ev("tax", "change"),
			FormFields: form(txt("change_item", "变更项目", "What changes", true)),
			Materials:  []Material{fromDept("市场主体变更登记信息", depSCJGJ), matAgentID},
		}),
		tax("swj.clearance", 14, MatterInput{
			Name: "清税申报（注销税务登记）", NameEn: "Tax clearance for deregistration", Type: "other",
			LegalBasis:     basisTaxAdmin + "第十六条；《国家税务总局关于进一步优化办理企业税务注销程序的通知》（税总发〔2019〕64号）",
			LegalLimitDays: 0, CommittedLimitDays: 0,
			LimitNote: "未办理过涉税事宜、无欠税（滞纳金）及罚款且无未缴销发票的，即时出具清税文书；符合容缺条件的承诺制办理",
			Visits:    0, OnlineDepth: 4, ResultName: "清税证明",
			AcceptConditions: "已结清应纳税款、滞纳金、罚款，缴销发票和税务证件",
			Events:           ev("tax", "closure"),
			FormFields:       form(txt("reason", "注销原因", "Reason", true)),
			Materials:        []Material{matAgentID, online("清税申报表")},
		}),
		tax("swj.tax_certificate", 15, MatterInput{
			Name: "开具税收完税证明", NameEn: "Tax payment certificate", Type: "public_service",
			LegalBasis:     "《税收票证管理办法》（国家税务总局令第28号）",
			LegalLimitDays: 0, CommittedLimitDays: 0, Visits: 0, OnlineDepth: 4, ResultName: "税收完税证明",
			Events:     ev("tax"),
			FormFields: form(day("from", "起始日期", "From", true), day("to", "截止日期", "To", true)),
			Materials:  []Material{matAgentID},
		}),
	}
}
