package matter

// 不动产登记 — 区规划自然资源局 (北碚区不动产登记中心).

const (
	basisRealEstate = "《中华人民共和国民法典》第二百零九条至第二百二十三条；《不动产登记暂行条例》第二十条；《不动产登记暂行条例实施细则》"
	noteRealEstate  = "不动产登记暂行条例第二十条：自受理之日起 30 个工作日内办结"
	feeRealEstate   = "《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）：住宅类每件 80 元，非住宅类每件 550 元（此处列非住宅标准）；小微企业（含个体工商户）免收（财税〔2016〕79号）"
	estateLocation  = "北碚区不动产登记中心（北碚区政务服务中心不动产登记窗口，重庆市北碚区云华路 1 号）；重庆市不动产登记网上办事大厅"
)

var (
	estateForm = form(txt("location", "不动产坐落", "Location of the property", true),
		txt("unit_no", "不动产单元号", "Property unit number", false),
		sel("use", "用途", "Use", "住宅", "商业", "办公", "工业", "仓储", "其他"))
	matOwnerProof = lic("申请人身份证明", "营业执照")
	matDeedTax    = fromDept("契税等税费完税信息", depSWJ)
)

func estate(key string, main, item int, in MatterInput) demoMatter {
	in.Location = estateLocation
	in.LegalBasis = basisRealEstate
	in.LegalLimitDays = 30
	if in.LimitNote == "" {
		in.LimitNote = noteRealEstate
	}
	if in.Type == "" {
		in.Type = "confirmation"
	}
	in.Events = append(in.Events, "property")
	if in.FormFields == nil {
		in.FormFields = estateForm
	}
	return dm(depGHZYJ, key, main, item, in)
}

func demoProperty() []demoMatter {
	return []demoMatter{
		estate("gh.land_first", 7, 1, MatterInput{
			Name: "国有建设用地使用权首次登记", NameEn: "First registration of state-owned construction-land use rights",
			CommittedLimitDays: 5, Visits: 0, OnlineDepth: 4, MailDelivery: true, ResultName: "不动产权证书",
			FeeFen: fen(550), FeeBasis: feeRealEstate,
			AcceptConditions: "已签订国有建设用地使用权出让合同并缴清出让价款，或已取得划拨决定书",
			Events:           ev("construction"),
			Materials: []Material{online("不动产登记申请书"), matOwnerProof, own("国有建设用地使用权出让合同或划拨决定书"),
				fromDept("不动产权籍调查成果", depGHZYJ), matDeedTax, matAgentID, matProxy},
		}),
		estate("gh.building_first", 7, 2, MatterInput{
			Name: "国有建设用地使用权及房屋所有权首次登记", NameEn: "First registration of land and building ownership",
			CommittedLimitDays: 5, Visits: 0, OnlineDepth: 4, MailDelivery: true, ResultName: "不动产权证书",
			FeeFen: fen(550), FeeBasis: feeRealEstate,
			AcceptConditions: "房屋已竣工验收并完成竣工验收备案",
			Events:           ev("construction"),
			Materials: []Material{online("不动产登记申请书"), matOwnerProof, lic("不动产权证书（土地）", "不动产权证书"),
				fromDept("竣工验收备案信息", depZJW), fromDept("规划条件核实意见", depGHZYJ),
				fromDept("房屋测绘成果", depGHZYJ), matAgentID, matProxy},
		}),
		estate("gh.transfer", 7, 3, MatterInput{
			Name: "国有建设用地使用权及房屋所有权转移登记", NameEn: "Transfer registration of land and buildings",
			CommittedLimitDays: 3, LimitNote: noteRealEstate + "；存量房交易、税费缴纳、登记“一窗办理”",
			Visits: 1, OnlineDepth: 3, MailDelivery: true, ResultName: "不动产权证书",
			FeeFen: fen(550), FeeBasis: feeRealEstate,
			AcceptConditions: "买卖、互换、赠与、作价出资等导致权利转移；已完税",
			Events:           ev("change"),
			Materials: []Material{online("不动产登记申请书"), matOwnerProof, lic("不动产权证书", "不动产权证书"),
				own("不动产转移合同（买卖合同、作价出资协议等）"), matDeedTax, matAgentID, matProxy},
		}),
		estate("gh.mortgage", 8, 1, MatterInput{
			Name: "不动产抵押权首次登记", NameEn: "First registration of a mortgage",
			CommittedLimitDays: 1, LimitNote: noteRealEstate + "；银行网点“不动产登记+金融服务”可直接申请",
			Visits: 0, OnlineDepth: 4, ResultName: "不动产登记证明（抵押权）",
			FeeFen: fen(550), FeeBasis: feeRealEstate,
			AcceptConditions: "抵押人与抵押权人（银行等）共同申请；抵押财产依法可以抵押",
			Events:           ev("banking"),
			FormFields:       append(form(), txt("location", "不动产坐落", "Location of the property", true), num("secured_yuan", "被担保主债权数额（元）", "Secured claim (yuan)", true)),
			Materials: []Material{online("不动产登记申请书"), matOwnerProof, lic("不动产权证书", "不动产权证书"),
				online("抵押合同"), online("主债权合同"), matAgentID},
		}),
		estate("gh.mortgage_cancel", 8, 2, MatterInput{
			Name: "不动产抵押权注销登记", NameEn: "Cancellation of a mortgage registration",
			CommittedLimitDays: 0, Visits: 0, OnlineDepth: 4, ResultName: "注销登记结果告知",
			AcceptConditions: "主债权消灭、抵押权已实现或抵押权人放弃抵押权",
			Events:           ev("banking"),
			Materials:        []Material{online("不动产登记申请书"), lic("不动产登记证明（抵押权）", "不动产登记证明"), online("抵押权消灭的证明")},
		}),
		estate("gh.estate_change", 7, 4, MatterInput{
			Name: "不动产变更登记", NameEn: "Change registration of real estate",
			CommittedLimitDays: 1, Visits: 0, OnlineDepth: 4, MailDelivery: true, ResultName: "不动产权证书",
			AcceptConditions: "权利人名称、不动产坐落、用途、面积等登记事项发生变化",
			Events:           ev("change"),
			Materials: []Material{online("不动产登记申请书"), matOwnerProof, lic("不动产权证书", "不动产权证书"),
				fromDept("市场主体变更登记信息", depSCJGJ), ownIf("变更事项证明材料", "名称变更以外的情形提供")},
		}),
		estate("gh.advance_notice", 9, 1, MatterInput{
			Name: "预告登记", NameEn: "Advance-notice registration",
			CommittedLimitDays: 1, Visits: 0, OnlineDepth: 4, ResultName: "不动产登记证明（预告登记）",
			AcceptConditions: "商品房等不动产预售、转让，按约定申请预告登记",
			Materials: []Material{online("不动产登记申请书"), matOwnerProof, lic("商品房买卖合同备案信息", "商品房买卖合同"),
				matAgentID},
		}),
		estate("gh.records", 10, 1, MatterInput{
			Name: "不动产登记资料查询", NameEn: "Search of real-estate registration records", Type: "public_service",
			CommittedLimitDays: 0, LimitNote: "当场提供查询结果", Visits: 0, OnlineDepth: 4, ResultName: "不动产登记资料查询结果证明",
			AcceptConditions: "权利人、利害关系人依法查询；查询目的明确",
			FormFields:       form(txt("location", "不动产坐落", "Location of the property", true), txt("purpose", "查询目的", "Purpose", true)),
			Materials:        []Material{online("不动产登记资料查询申请书"), matOwnerProof},
		}),
	}
}
