package matter

// 工程建设: planning permits (区规划自然资源局), construction permits, fire
// design review and acceptance, completion filing (区住房城乡建委).

const (
	basisPlanning = "《中华人民共和国城乡规划法》"
	basisFireDev  = "《中华人民共和国消防法》；《建设工程消防设计审查验收管理暂行规定》（住房和城乡建设部令第51号，2023年修正）"
)

// projectForm is the form of a construction project's matters.
func projectForm(extra ...FormField) []FormField {
	return form(append([]FormField{
		txt("project_name", "项目名称", "Project name", true),
		txt("project_code", "投资项目代码", "Investment project code", true),
		txt("site", "建设地点", "Site", true),
		num("floor_area_m2", "建筑面积（平方米）", "Floor area (m²)", false),
	}, extra...)...)
}

// matProjectCode is the project's record in the investment project online
// approval platform, shared by the development and reform commission.
var matProjectCode = fromDept("投资项目赋码及审批（核准、备案）信息", depFGW)

func demoConstruction() []demoMatter {
	return []demoMatter{
		dm(depGHZYJ, "gh.site_selection", 1, 1, MatterInput{
			Name: "建设项目用地预审与选址意见书核发", NameEn: "Land pre-review and site-selection opinion", Type: "permit",
			LegalBasis:     "《中华人民共和国土地管理法》第五十二条；" + basisPlanning + "第三十六条；《自然资源部关于以“多规合一”为基础推进规划用地“多审合一、多证合一”改革的通知》（自然资规〔2019〕2号）",
			LegalLimitDays: 20, CommittedLimitDays: 10, Visits: 0, OnlineDepth: 4, MailDelivery: true,
			ResultName:       "建设项目用地预审与选址意见书",
			AcceptConditions: "以划拨方式提供国有土地使用权的建设项目，或需核发选址意见书的项目；符合国土空间规划和用途管制要求",
			Events:           ev("construction", "investment"),
			FormFields:       projectForm(),
			Materials: withCommon(online("建设项目用地预审与选址申请表"), matProjectCode,
				own("建设项目用地预审与选址申请报告"), own("拟建项目用地范围勘测定界图")),
		}),
		dm(depGHZYJ, "gh.land_planning", 2, 1, MatterInput{
			Name: "建设用地规划许可证核发", NameEn: "Land-use planning permit", Type: "permit",
			LegalBasis:     basisPlanning + "第三十七条、第三十八条",
			LegalLimitDays: 20, CommittedLimitDays: 5, Visits: 0, OnlineDepth: 4, MailDelivery: true, ResultName: "建设用地规划许可证",
			AcceptConditions: "划拨项目已取得用地预审与选址意见书；出让项目已签订国有建设用地使用权出让合同",
			Events:           ev("construction"),
			FormFields:       projectForm(),
			Materials: withCommon(online("建设用地规划许可申请表"), matProjectCode,
				ownIf("国有建设用地使用权出让合同", "以出让方式取得土地的提供")),
		}),
		dm(depGHZYJ, "gh.building_planning", 3, 1, MatterInput{
			Name: "建设工程规划许可证核发", NameEn: "Construction project planning permit", Type: "permit",
			LegalBasis:     basisPlanning + "第四十条",
			LegalLimitDays: 20, CommittedLimitDays: 10, LimitNote: "设计方案公示时间不计入办理时限",
			Visits: 0, OnlineDepth: 4, MailDelivery: true, ResultName: "建设工程规划许可证",
			AcceptConditions: "已取得土地使用权证明；建设工程设计方案符合控制性详细规划和规划条件",
			Events:           ev("construction"),
			FormFields:       projectForm(),
			Materials: withCommon(online("建设工程规划许可申请表"), lic("不动产权证书（土地）", "不动产权证书"),
				own("建设工程设计方案（总平面图、建筑单体方案）"), matProjectCode),
		}),
		dm(depGHZYJ, "gh.rural_planning", 4, 1, MatterInput{
			Name: "乡村建设规划许可证核发", NameEn: "Rural construction planning permit", Type: "permit",
			LegalBasis:     basisPlanning + "第四十一条",
			LegalLimitDays: 20, CommittedLimitDays: 10, Visits: 1, OnlineDepth: 3, MailDelivery: true, ResultName: "乡村建设规划许可证",
			AcceptConditions: "在乡、村庄规划区内进行乡镇企业、乡村公共设施和公益事业建设，符合村庄规划",
			Events:           ev("construction", "agriculture"),
			FormFields:       projectForm(),
			Materials:        withCommon(online("乡村建设规划许可申请表"), own("建设工程设计方案"), own("村民委员会意见")),
		}),
		dm(depGHZYJ, "gh.temporary_building", 5, 1, MatterInput{
			Name: "临时建设工程规划许可", NameEn: "Planning permit for temporary buildings", Type: "permit",
			LegalBasis:     basisPlanning + "第四十四条",
			LegalLimitDays: 20, CommittedLimitDays: 10, Visits: 0, OnlineDepth: 4, ResultName: "临时建设工程规划许可证",
			AcceptConditions: "不影响近期建设规划或者控制性详细规划的实施以及交通、市容、安全等；使用期限一般不超过 2 年",
			Events:           ev("construction"),
			FormFields:       projectForm(day("use_until", "使用期限至", "To be used until", true)),
			Materials:        withCommon(online("临时建设工程规划许可申请表"), own("临时建设工程设计图"), own("土地使用证明或临时用地批准文件")),
		}),
		dm(depGHZYJ, "gh.planning_check", 6, 1, MatterInput{
			Name: "建设工程规划条件核实", NameEn: "Verification of planning conditions on completion", Type: "confirmation",
			LegalBasis:     basisPlanning + "第四十五条",
			LegalLimitDays: 20, CommittedLimitDays: 5, LimitNote: "实行联合验收的，纳入联合验收统一办理",
			Visits: 0, OnlineDepth: 3, MailDelivery: true, ResultName: "建设工程规划核实意见书",
			AcceptConditions: "建设工程已竣工，已取得建设工程规划许可证",
			Events:           ev("construction"),
			FormFields:       projectForm(),
			Materials:        withCommon(online("规划条件核实申请表"), lic("建设工程规划许可证", "建设工程规划许可证"), own("竣工测量成果报告")),
		}),
		dm(depZJW, "zj.construction_permit", 1, 1, MatterInput{
			Name: "建筑工程施工许可证核发", NameEn: "Construction permit", Type: "permit",
			LegalBasis:     "《中华人民共和国建筑法》第七条、第八条；《建筑工程施工许可管理办法》（住房和城乡建设部令第18号，2021年修正）第二条、第五条",
			LegalLimitDays: 7, CommittedLimitDays: 3,
			LimitNote: "工程投资额 30 万元以上或建筑面积 300 平方米以上的房屋建筑和市政基础设施工程须申领；法定 7 日（工作日）",
			Visits:    0, OnlineDepth: 4, MailDelivery: true, ResultName: "建筑工程施工许可证",
			AcceptConditions: "已办理用地批准手续；已取得建设工程规划许可证；已确定施工企业；有满足施工需要的技术资料；有保证工程质量和安全的具体措施；建设资金已经落实",
			Events:           ev("construction"),
			FormFields:       projectForm(num("contract_price_yuan", "合同价（元）", "Contract price (yuan)", true), txt("contractor", "施工单位", "Contractor", true)),
			Materials: withCommon(online("建筑工程施工许可证申请表"), lic("建设工程规划许可证", "建设工程规划许可证"),
				own("施工合同"), online("建设资金已经落实承诺书"), own("保证工程质量和安全的具体措施"), matProjectCode),
		}),
		dm(depZJW, "zj.fire_design", 2, 1, MatterInput{
			Name: "特殊建设工程消防设计审查", NameEn: "Fire-safety design review of special projects", Type: "permit",
			LegalBasis:     basisFireDev + "（消防法第十一条）",
			LegalLimitDays: 15, CommittedLimitDays: 10, LimitNote: "需组织专家评审的，评审时间不计入办理时限",
			Visits: 0, OnlineDepth: 4, ResultName: "特殊建设工程消防设计审查意见书",
			AcceptConditions: "属于规定的特殊建设工程（如人员密集场所、高层建筑、地下工程等），消防设计文件符合国家工程建设消防技术标准",
			Events:           ev("construction", "fire_safety"),
			FormFields:       projectForm(),
			Materials:        withCommon(online("特殊建设工程消防设计审查申请表"), own("消防设计文件"), ownIf("依法需要批准的临时性建筑证明文件", "临时性建筑提供")),
		}),
		dm(depZJW, "zj.fire_acceptance", 2, 2, MatterInput{
			Name: "特殊建设工程消防验收", NameEn: "Fire-safety acceptance of special projects", Type: "permit",
			LegalBasis:     basisFireDev + "（消防法第十三条）",
			LegalLimitDays: 15, CommittedLimitDays: 10, LimitNote: "含现场评定",
			Visits: 1, OnlineDepth: 3, ResultName: "特殊建设工程消防验收意见书",
			AcceptConditions: "工程已竣工，建设单位已组织竣工验收并对消防要求进行查验",
			Events:           ev("construction", "fire_safety"),
			FormFields:       projectForm(),
			Materials:        withCommon(online("特殊建设工程消防验收申请表"), own("工程竣工验收报告"), own("涉及消防的建设工程竣工图纸")),
		}),
		dm(depZJW, "zj.fire_filing", 2, 3, MatterInput{
			Name: "其他建设工程消防验收备案", NameEn: "Fire-safety acceptance filing of other projects", Type: "other",
			LegalBasis:     basisFireDev + "（消防法第十三条）",
			LegalLimitDays: 0, CommittedLimitDays: 0, LimitNote: "备案后按规定比例抽查",
			Visits: 0, OnlineDepth: 4, ResultName: "消防验收备案凭证",
			AcceptConditions: "其他建设工程竣工验收合格之日起 5 个工作日内备案",
			Events:           ev("construction", "fire_safety"),
			FormFields:       projectForm(),
			Materials:        withCommon(online("消防验收备案表"), own("工程竣工验收报告"), own("涉及消防的建设工程竣工图纸")),
		}),
		dm(depZJW, "zj.completion_filing", 3, 1, MatterInput{
			Name: "房屋建筑和市政基础设施工程竣工验收备案", NameEn: "Completion-acceptance filing", Type: "other",
			LegalBasis:     "《建设工程质量管理条例》第四十九条；《房屋建筑和市政基础设施工程竣工验收备案管理办法》（住房和城乡建设部令第2号）",
			LegalLimitDays: 0, CommittedLimitDays: 0, LimitNote: "建设单位应自工程竣工验收合格之日起 15 日内备案",
			Visits: 0, OnlineDepth: 4, ResultName: "竣工验收备案证明书",
			Events:     ev("construction"),
			FormFields: projectForm(),
			Materials: withCommon(online("工程竣工验收备案表"), own("工程竣工验收报告"), lic("建筑工程施工许可证", "建筑工程施工许可证"),
				fromDept("规划条件核实意见", depGHZYJ), own("施工单位签署的工程质量保修书")),
		}),
		dm(depZJW, "zj.presale", 4, 1, MatterInput{
			Name: "商品房预售许可", NameEn: "Pre-sale permit for commercial housing", Type: "permit",
			LegalBasis:     "《中华人民共和国城市房地产管理法》第四十五条；《城市商品房预售管理办法》（建设部令第131号修正）",
			LegalLimitDays: 10, CommittedLimitDays: 5, Visits: 0, OnlineDepth: 3, MailDelivery: true, ResultName: "商品房预售许可证",
			AcceptConditions: "已交付全部土地使用权出让金并取得土地使用权证书；持有建设工程规划许可证；投入开发建设的资金达到工程建设总投资的 25% 以上并已确定施工进度和竣工交付日期",
			Events:           ev("construction", "property"),
			FormFields:       projectForm(num("presale_area_m2", "预售面积（平方米）", "Area for pre-sale (m²)", true)),
			Materials: withCommon(online("商品房预售许可申请表"), lic("不动产权证书（土地）", "不动产权证书"),
				lic("建设工程规划许可证", "建设工程规划许可证"), lic("建筑工程施工许可证", "建筑工程施工许可证"),
				own("工程施工进度计划及投资达到 25% 的证明"), own("商品房预售方案")),
		}),
		dm(depZJW, "zj.crane", 5, 1, MatterInput{
			Name: "建筑起重机械使用登记", NameEn: "Registration of construction cranes in use", Type: "other",
			LegalBasis:     "《建设工程安全生产管理条例》第三十五条；《建筑起重机械安全监督管理规定》（建设部令第166号）",
			LegalLimitDays: 0, CommittedLimitDays: 1, LimitNote: "自验收合格之日起 30 日内申请",
			Visits: 0, OnlineDepth: 4, ResultName: "建筑起重机械使用登记证明",
			Events:     ev("construction", "special_equipment", "work_safety"),
			FormFields: projectForm(txt("machine_no", "设备备案编号", "Machine record number", true)),
			Materials:  withCommon(online("建筑起重机械使用登记表"), own("安装验收资料"), own("检验检测报告"), own("生产安全事故应急救援预案")),
		}),
		dm(depZJW, "zj.civil_defence", 6, 1, MatterInput{
			Name: "防空地下室易地建设审批", NameEn: "Approval to build civil-defence basements elsewhere", Type: "permit",
			LegalBasis:     "《中华人民共和国人民防空法》第二十二条",
			LegalLimitDays: 20, CommittedLimitDays: 5, Visits: 0, OnlineDepth: 4, ResultName: "防空地下室易地建设审批意见",
			AcceptConditions: "因地质、地形等原因不宜修建防空地下室，经批准可缴纳易地建设费",
			Events:           ev("construction"),
			FormFields:       projectForm(),
			Materials:        withCommon(online("防空地下室易地建设申请表"), own("建设工程设计方案总平面图"), own("不宜修建防空地下室的说明")),
		}),
		dm(depZJW, "zj.lease_filing", 7, 1, MatterInput{
			Name: "房屋租赁登记备案", NameEn: "Filing of a housing lease", Type: "other",
			LegalBasis:     "《商品房屋租赁管理办法》（住房和城乡建设部令第6号）第十四条",
			LegalLimitDays: 0, CommittedLimitDays: 0, LimitNote: "租赁合同订立后 30 日内办理",
			Visits: 0, OnlineDepth: 4, ResultName: "房屋租赁登记备案证明",
			Events:     ev("property", "startup"),
			FormFields: form(txt("house_address", "房屋坐落", "Location of the premises", true), day("lease_end", "租赁期限至", "Lease ends", true)),
			Materials:  []Material{online("房屋租赁合同"), lic("房屋不动产权证书", "不动产权证书"), matAgentID},
		}),
		dm(depZJW, "zj.sales_contract", 8, 1, MatterInput{
			Name: "商品房买卖合同网签备案", NameEn: "Online signing and filing of housing sales contracts", Type: "public_service",
			LegalBasis:     "《中华人民共和国城市房地产管理法》第四十五条；《城市商品房预售管理办法》",
			LegalLimitDays: 0, CommittedLimitDays: 0, Visits: 0, OnlineDepth: 4,
			Events:     ev("property"),
			FormFields: form(txt("house_no", "房号", "Unit number", true)),
			Materials:  []Material{lic("商品房预售许可证", "商品房预售许可证"), online("商品房买卖合同")},
		}),
	}
}
