package matter

// Market regulation besides registration and food and drugs: credit,
// pledges, special equipment, measurement — 区市场监管局.

func demoMarket() []demoMatter {
	return []demoMatter{
		dm(depSCJGJ, "scj.equity_pledge", 7, 1, MatterInput{
			Name: "股权出质设立登记", NameEn: "Registration of an equity pledge", Type: "confirmation",
			LegalBasis:     "《中华人民共和国民法典》第四百四十三条；《股权出质登记办法》（国家工商行政管理总局令第32号，2020年修订）",
			LegalLimitDays: 0, CommittedLimitDays: 0, LimitNote: "材料齐全、符合法定形式的当场办结",
			Visits: 0, OnlineDepth: 4, ResultName: "股权出质设立登记通知书",
			AcceptConditions: "出质股权依法可以转让，未被人民法院冻结；出质人和质权人共同申请",
			Events:           ev("banking", "change"),
			FormFields:       form(txt("pledgee", "质权人", "Pledgee", true), num("pledged_amount_yuan", "出质股权数额（元）", "Pledged equity (yuan)", true)),
			Materials: []Material{online("股权出质设立登记申请书"), online("质权合同"),
				lic("出质人、质权人主体资格证明", "营业执照"), matAgentID, matProxy},
		}),
		dm(depSCJGJ, "scj.abnormal_removal", 8, 1, MatterInput{
			Name: "企业移出经营异常名录", NameEn: "Removal from the list of abnormal operations", Type: "other",
			LegalBasis:     "《企业信息公示暂行条例》（国务院令第654号）第十七条；《企业经营异常名录管理暂行办法》（国家工商行政管理总局令第68号）",
			LegalLimitDays: 5, CommittedLimitDays: 2, Visits: 0, OnlineDepth: 4,
			AcceptConditions: "列入经营异常名录的情形已消除：已补报年度报告并公示、已更正公示信息或通过登记的住所可以联系",
			Events:           ev("change"),
			FormFields:       form(sel("reason", "列入原因", "Why it was listed", "未按时报送年度报告", "公示信息隐瞒真实情况、弄虚作假", "通过登记的住所无法联系", "未按规定公示即时信息")),
			Materials:        []Material{matAgentID, matProxy, online("移出经营异常名录申请书"), ownIf("住所或经营场所使用证明", "因无法联系被列入的提供")},
		}),
		dm(depSCJGJ, "scj.credit_repair", 9, 1, MatterInput{
			Name: "市场监管领域信用修复", NameEn: "Credit restoration (market regulation)", Type: "other",
			LegalBasis:     "《市场监督管理信用修复管理办法》（国市监信规〔2021〕3号）",
			LegalLimitDays: 15, CommittedLimitDays: 5, Visits: 0, OnlineDepth: 4,
			AcceptConditions: "已履行行政处罚决定或纠正违法行为，公示期满最短期限，且未再发生同类违法行为",
			Events:           ev("change"),
			FormFields:       form(txt("penalty_no", "行政处罚决定书文号", "Penalty decision number", true)),
			Materials:        []Material{matAgentID, matProxy, online("信用修复申请书"), online("守信承诺书"), ownCopy("已履行行政处罚决定的证明材料")},
		}),
		dm(depSCJGJ, "scj.special_equipment", 17, 1, MatterInput{
			Name: "特种设备使用登记", NameEn: "Registration of special equipment in use", Type: "permit",
			LegalBasis:     "《中华人民共和国特种设备安全法》第三十三条；《特种设备使用管理规则》（TSG 08-2017）",
			LegalLimitDays: 15, CommittedLimitDays: 1,
			LimitNote: "特种设备投入使用前或投入使用后 30 日内申请；承诺 1 个工作日办结",
			Visits:    0, OnlineDepth: 4, MailDelivery: true, ResultName: "特种设备使用登记证",
			AcceptConditions: "设备已经监督检验合格（需监督检验的），使用单位已建立安全管理制度并配备安全管理人员",
			Events:           ev("special_equipment", "operation"),
			FormFields: form(sel("equipment_kind", "设备种类", "Equipment kind", "锅炉", "压力容器", "电梯", "起重机械", "场（厂）内专用机动车辆", "客运索道", "大型游乐设施"),
				txt("product_no", "产品编号", "Product number", true), txt("install_site", "使用地点", "Where it is used", true)),
			Materials: withCommon(online("特种设备使用登记表"), ownCopy("产品合格证（含产品数据表）"),
				ownCopy("监督检验证明"), ownIf("安装质量证明", "需安装的设备提供")),
		}),
		dm(depSCJGJ, "scj.metrology", 18, 1, MatterInput{
			Name: "计量标准器具核准", NameEn: "Approval of measurement standards", Type: "permit",
			LegalBasis:     "《中华人民共和国计量法》；《中华人民共和国计量法实施细则》；《计量标准考核办法》（国家质量监督检验检疫总局令第72号）",
			LegalLimitDays: 20, CommittedLimitDays: 15, LimitNote: "考核所需时间不计入办理时限",
			Visits: 1, OnlineDepth: 3, MailDelivery: true, ResultName: "计量标准考核证书",
			AcceptConditions: "计量标准器具经检定合格，具有称职的操作人员和完善的管理制度，环境条件符合要求",
			Events:           ev("operation"),
			FormFields:       form(txt("standard_name", "计量标准名称", "Measurement standard", true)),
			Materials: withCommon(online("计量标准考核（复查）申请书"), own("计量标准技术报告"),
				ownCopy("计量标准器及配套设备有效检定或校准证书"), ownCopy("检定或校准人员能力证明")),
		}),
	}
}
