package search

// matters is a fixture of government-service matters as a district's
// catalogue lists them (titles after the provincial 政务服务事项目录),
// with the departments' codes, matter types and service flags.
var matters = []Doc{
	fixtureMatter("M01", "企业设立登记（营业执照）", "SCJGJ", "行政许可", []string{"营业执照", "开办企业", "公司注册", "工商注册"},
		"申请人通过开办企业“一网通”平台提交设立登记申请，审核通过后领取营业执照，可选择免费邮寄。申请材料：公司登记（备案）申请书、公司章程、股东主体资格证明、法定代表人任职文件、住所使用证明。", "zero_visit", "full_online"),
	fixtureMatter("M02", "企业变更登记", "SCJGJ", "行政许可", []string{"变更名称", "变更住所"},
		"企业名称、住所、法定代表人、注册资本、经营范围等登记事项发生变化的，申请变更登记，换发营业执照。申请材料：变更登记申请书、股东会决议、营业执照正副本。", "full_online"),
	fixtureMatter("M03", "企业注销登记", "SCJGJ", "行政许可", []string{"公司注销", "简易注销"},
		"企业解散的，清算组在清算结束后申请注销登记，缴回营业执照正副本。", "full_online"),
	fixtureMatter("M04", "个体工商户注册登记", "SCJGJ", "行政许可", []string{"个体户"},
		"个体工商户经营者提交注册申请书、经营者身份证明、经营场所使用证明，当场核发个体工商户营业执照。", "once_at_most"),
	fixtureMatter("M05", "食品经营许可", "SCJGJ", "行政许可", []string{"餐饮许可", "食品销售许可"},
		"从事食品销售和餐饮服务活动，应当依法取得食品经营许可证。申请材料：食品经营许可申请书、营业执照复印件、与食品经营相适应的主要设备设施布局、操作流程等文件、食品安全自查管理制度。", "once_at_most"),
	fixtureMatter("M06", "食品生产许可", "SCJGJ", "行政许可", nil,
		"在中华人民共和国境内从事食品生产活动，应当依法取得食品生产许可证。现场核查生产场所、设备设施和食品安全管理制度。", "once_at_most"),
	fixtureMatter("M07", "药品经营许可证核发（零售）", "SCJGJ", "行政许可", []string{"药店许可"},
		"开办药品零售企业，应当取得药品经营许可证。申请材料：药品经营许可证申请表、执业药师资格证书、经营场所平面图、质量管理文件。", ""),
	fixtureMatter("M08", "第二类医疗器械经营备案", "SCJGJ", "行政备案", nil,
		"从事第二类医疗器械经营的，向所在地设区的市级负责药品监督管理的部门备案。", "zero_visit", "full_online"),
	fixtureMatter("M09", "企业名称自主申报", "SCJGJ", "公共服务", []string{"企业核名"},
		"申请人通过企业名称自主申报系统查询、比对、申报企业名称，名称信息在申请营业执照时使用。", "zero_visit", "full_online"),
	fixtureMatter("M10", "建筑工程施工许可证核发", "ZJW", "行政许可", []string{"施工许可"},
		"在城镇规划区内新建、改建、扩建建筑工程，建设单位在开工前申请领取施工许可证。申请材料：建设工程规划许可证、施工合同、施工图设计文件审查合格书、质量安全监督手续。", "full_online"),
	fixtureMatter("M11", "建设工程竣工验收备案", "ZJW", "行政备案", []string{"竣工备案"},
		"建设单位在工程竣工验收合格之日起十五日内办理竣工验收备案，提交竣工验收报告、施工单位工程竣工报告。", "full_online"),
	fixtureMatter("M12", "建设工程消防验收", "ZJW", "行政许可", []string{"消防验收"},
		"特殊建设工程竣工后，建设单位申请消防验收，住房城乡建设主管部门组织现场评定。", "once_at_most"),
	fixtureMatter("M13", "公众聚集场所投入使用、营业前消防安全检查", "XFJY", "其他行政权力", []string{"消防检查", "消防安全检查"},
		"公众聚集场所在投入使用、营业前，建设单位或者使用单位应当向场所所在地的县级以上地方人民政府消防救援机构申请消防安全检查，实行告知承诺管理。", "once_at_most"),
	fixtureMatter("M14", "不动产登记", "GHZRZYJ", "行政确认", []string{"房产证", "不动产权证书"},
		"不动产首次登记、转移登记、变更登记、抵押登记，申请人提交不动产登记申请书、身份证明、权属来源材料，领取不动产权证书。", "once_at_most"),
	fixtureMatter("M15", "发票领用", "SWJ", "行政许可", []string{"领票", "申领发票"},
		"纳税人办理发票票种核定后，通过电子税务局申请领用增值税发票，可选择邮寄送达。", "zero_visit", "full_online"),
	fixtureMatter("M16", "新办纳税人综合套餐", "SWJ", "公共服务", []string{"税务登记", "税控设备"},
		"新办企业在领取营业执照后，一次办理信息确认、税种认定、发票票种核定、发票领用。", "full_online"),
	fixtureMatter("M17", "社会保险登记", "RSJ", "行政确认", []string{"社保登记", "参保登记"},
		"用人单位自成立之日起三十日内申请办理社会保险登记，为职工办理参保。", "zero_visit", "full_online"),
	fixtureMatter("M18", "住房公积金单位缴存登记", "GJJ", "公共服务", []string{"公积金开户"},
		"单位自设立之日起三十日内到住房公积金管理中心办理缴存登记，并为本单位职工办理住房公积金账户设立手续。", "zero_visit", "full_online"),
	fixtureMatter("M19", "印章刻制备案", "GAJ", "行政备案", []string{"刻章", "公章刻制"},
		"新办企业刻制公章、财务专用章、发票专用章，由公安机关备案，企业开办环节免费刻制。", "zero_visit"),
	fixtureMatter("M20", "排污许可", "STHJJ", "行政许可", []string{"排污许可证"},
		"纳入固定污染源排污许可分类管理名录的企业事业单位，应当申请取得排污许可证，按证排污。", "full_online"),
	fixtureMatter("M21", "建设项目环境影响评价文件审批", "STHJJ", "行政许可", []string{"环评审批"},
		"编制环境影响报告书、报告表的建设项目，建设单位在开工建设前报批环境影响评价文件。", "full_online"),
	fixtureMatter("M22", "人力资源服务许可", "RSJ", "行政许可", []string{"职业中介许可"},
		"经营性人力资源服务机构从事职业中介活动，应当取得人力资源服务许可证。", "once_at_most"),
	fixtureMatter("M23", "劳务派遣经营许可", "RSJ", "行政许可", nil,
		"经营劳务派遣业务，应当向人力资源社会保障行政部门申请行政许可，注册资本不得少于人民币二百万元。", "once_at_most"),
	fixtureMatter("M24", "道路运输经营许可", "JTJ", "行政许可", []string{"道路货物运输", "道路运输经营许可证"},
		"从事道路普通货物运输经营，向县级道路运输管理机构申请，取得道路运输经营许可证及车辆营运证。", "full_online"),
	fixtureMatter("M25", "网络预约出租汽车经营许可", "JTJ", "行政许可", []string{"网约车"},
		"从事网约车经营服务的平台公司，应当取得网络预约出租汽车经营许可证。", ""),
	fixtureMatter("M26", "户外广告设置许可", "CGJ", "行政许可", []string{"广告牌", "店招"},
		"设置大型户外广告及在城市建筑物、设施上悬挂、张贴宣传品，应当向城市管理部门申请设置许可。", "once_at_most"),
	fixtureMatter("M27", "城市建筑垃圾处置核准", "CGJ", "行政许可", nil,
		"处置建筑垃圾的单位，应当向城市管理部门提出申请，获得城市建筑垃圾处置核准。", "full_online"),
	fixtureMatter("M28", "公共场所卫生许可", "WJW", "行政许可", []string{"卫生许可证"},
		"宾馆、美容美发、游泳场所等公共场所经营者在取得营业执照后，申请公共场所卫生许可证。", "once_at_most"),
	fixtureMatter("M29", "医疗机构执业登记", "WJW", "行政许可", nil,
		"医疗机构执业，应当进行登记，领取医疗机构执业许可证。", ""),
	fixtureMatter("M30", "取水许可", "SLJ", "行政许可", nil,
		"利用取水工程或者设施直接从江河、湖泊或者地下取用水资源的单位和个人，应当申请领取取水许可证。", ""),
	fixtureMatter("M31", "危险化学品经营许可", "YJJ", "行政许可", []string{"危化品经营"},
		"从事危险化学品经营的企业，应当取得危险化学品经营许可证。", "once_at_most"),
	fixtureMatter("M32", "烟花爆竹经营（零售）许可", "YJJ", "行政许可", nil,
		"烟花爆竹零售经营者应当取得烟花爆竹经营（零售）许可证。", "once_at_most"),
	fixtureMatter("M33", "娱乐场所经营许可", "WLJ", "行政许可", []string{"KTV许可", "歌舞娱乐"},
		"设立歌舞娱乐场所、游艺娱乐场所，应当向县级文化和旅游主管部门申请娱乐经营许可证。", "once_at_most"),
	fixtureMatter("M34", "互联网上网服务营业场所经营单位设立审批", "WLJ", "行政许可", []string{"网吧许可"},
		"设立互联网上网服务营业场所经营单位，应当取得网络文化经营许可证。", ""),
	fixtureMatter("M35", "出版物零售单位设立许可", "WLJ", "行政许可", []string{"书店许可"},
		"单位从事出版物零售业务，向所在地县级出版主管部门提出申请。", "once_at_most"),
	fixtureMatter("M36", "创业担保贷款申请", "RSJ", "公共服务", []string{"创业贷款", "贴息贷款"},
		"符合条件的个人和小微企业可申请创业担保贷款，由合作银行审核放款，财政按规定给予贴息。", "full_online"),
	fixtureMatter("M37", "就业创业证申领", "RSJ", "公共服务", []string{"失业登记"},
		"劳动者可通过线上或线下申领就业创业证，用于享受就业创业扶持政策。", "zero_visit", "full_online"),
	fixtureMatter("M38", "重庆市北碚区中小企业发展专项资金申报", "JXW", "公共服务", []string{"专项资金"},
		"对符合条件的中小企业给予技术改造、数字化转型补助，申报单位提交营业执照、项目申报书和财务报表。", "full_online"),
	fixtureMatter("M39", "特种设备使用登记", "SCJGJ", "行政许可", []string{"电梯登记", "锅炉登记"},
		"特种设备在投入使用前或者投入使用后三十日内，使用单位向负责特种设备安全监督管理的部门办理使用登记。", "full_online"),
	fixtureMatter("M40", "ISO9001质量管理体系认证补贴申报", "JXW", "公共服务", []string{"质量认证补贴"},
		"首次通过ISO 9001认证的企业，可申请一次性补贴。", "zero_visit", "full_online"),
}

// matter builds a fixture document; flags are the service flags.
func fixtureMatter(id, title, dept, typ string, keywords []string, body string, flags ...string) Doc {
	f := map[string][]string{"department": {dept}, "type": {typ}}
	for _, fl := range flags {
		if fl != "" {
			f["flag"] = append(f["flag"], fl)
		}
	}
	return Doc{ID: id, Title: title, Keywords: keywords, Body: body, Facets: f}
}

// titleOf returns a fixture matter's title.
func titleOf(id string) string {
	for _, m := range matters {
		if m.ID == id {
			return m.Title
		}
	}
	return "?" + id
}
