package matter

// 农业农村 — 区农业农村委.

func demoRural() []demoMatter {
	return []demoMatter{
		dm(depNYNCW, "ny.pesticide", 1, 1, MatterInput{
			Name: "农药经营许可（限制使用农药除外）", NameEn: "Pesticide trading licence (excluding restricted pesticides)", Type: "permit",
			LegalBasis:     "《农药管理条例》（国务院令第677号）第二十四条；《农药经营许可管理办法》",
			LegalLimitDays: 20, CommittedLimitDays: 10, Visits: 0, OnlineDepth: 3, MailDelivery: true, ResultName: "农药经营许可证",
			AcceptConditions: "有具备农药和病虫害防治专业知识、熟悉农药管理规定的经营人员；有与经营规模相适应的营业场所和仓储场所，并与其他商品、生活区域、饮用水源有效隔离；有可追溯电子信息码扫描识别设备",
			Events:           ev("agriculture", "operation"),
			FormFields:       form(txt("shop_address", "营业场所地址", "Shop address", true), txt("store_address", "仓储场所地址", "Storage address", true)),
			Materials: withCommon(online("农药经营许可证申请表"), own("经营人员的学历或者培训证明"),
				own("营业场所和仓储场所地址、面积、平面图说明"), own("农药经营质量管理制度和岗位操作规程")),
		}),
		dm(depNYNCW, "ny.vet_drugs", 2, 1, MatterInput{
			Name: "兽药经营许可证核发（非生物制品类）", NameEn: "Veterinary drug trading licence (non-biologicals)", Type: "permit",
			LegalBasis:     "《兽药管理条例》（2020年修订）第二十二条；《兽药经营质量管理规范》",
			LegalLimitDays: 30, CommittedLimitDays: 15, LimitNote: "含现场验收；申请人须陪同现场验收并领取证书",
			Visits: 2, OnlineDepth: 3, MailDelivery: true, ResultName: "兽药经营许可证",
			AcceptConditions: "有与所经营的兽药相适应的兽药技术人员、营业场所、设备、仓库设施，有与所经营的兽药相适应的质量管理机构或者人员和兽药经营质量管理规章制度",
			Events:           ev("agriculture", "operation", "drug"),
			FormFields:       form(),
			Materials: withCommon(online("兽药经营许可证申请表"), own("兽药技术人员学历证明或职称证明"),
				own("经营场所、仓库平面图及设施设备清单"), own("质量管理规章制度")),
		}),
		dm(depNYNCW, "ny.epidemic_conditions", 3, 1, MatterInput{
			Name: "动物防疫条件合格证核发", NameEn: "Animal epidemic-prevention certificate", Type: "permit",
			LegalBasis:     "《中华人民共和国动物防疫法》（2021年修订）第二十四条、第二十五条；《动物防疫条件审查办法》",
			LegalLimitDays: 15, CommittedLimitDays: 10, LimitNote: "含现场审查",
			Visits: 0, OnlineDepth: 3, MailDelivery: true, ResultName: "动物防疫条件合格证",
			AcceptConditions: "场所位置与居民生活区、生活饮用水水源地、学校、医院等公共场所的距离符合规定；有相应的污水、污物、病死动物处理设施和清洗消毒设施设备",
			Events:           ev("agriculture", "operation"),
			FormFields:       form(sel("site_kind", "场所类型", "Kind of site", "动物饲养场", "动物隔离场所", "动物屠宰加工场所", "动物和动物产品无害化处理场所"), num("scale", "设计规模（头/只）", "Design capacity (head)", true)),
			Materials:        withCommon(online("动物防疫条件审查申请表"), own("场所地理位置图、各功能区布局平面图"), own("设施设备清单"), own("管理制度文本"), own("人员信息")),
		}),
		dm(depNYNCW, "ny.crop_seed", 4, 1, MatterInput{
			Name: "农作物种子生产经营许可", NameEn: "Crop seed production and trading licence", Type: "permit",
			LegalBasis:     "《中华人民共和国种子法》（2021年修正）第三十一条、第三十二条；《农作物种子生产经营许可管理办法》",
			LegalLimitDays: 20, CommittedLimitDays: 10, Visits: 0, OnlineDepth: 3, MailDelivery: true, ResultName: "农作物种子生产经营许可证",
			AcceptConditions: "具有与种子生产经营相适应的生产经营设施、设备及专业技术人员",
			Events:           ev("agriculture", "operation"),
			FormFields:       form(txt("crops", "生产经营作物种类", "Crops", true)),
			Materials:        withCommon(online("农作物种子生产经营许可申请表"), own("种子生产经营设施、设备清单"), own("专业技术人员情况说明")),
		}),
		dm(depNYNCW, "ny.tractor", 5, 1, MatterInput{
			Name: "拖拉机和联合收割机登记", NameEn: "Registration of tractors and combine harvesters", Type: "permit",
			LegalBasis:     "《中华人民共和国道路交通安全法》第一百二十一条；《中华人民共和国农业机械安全监督管理条例》；《拖拉机和联合收割机登记规定》",
			LegalLimitDays: 20, CommittedLimitDays: 1, LimitNote: "法律未另行规定，适用行政许可法第四十二条的 20 个工作日；承诺 1 个工作日",
			Visits: 1, OnlineDepth: 3, MailDelivery: true, ResultName: "拖拉机和联合收割机登记证书、号牌、行驶证",
			AcceptConditions: "机具经安全技术检验合格，来历合法",
			Events:           ev("agriculture"),
			FormFields:       form(txt("model", "机具型号", "Model", true), txt("engine_no", "发动机号", "Engine number", true)),
			Materials:        []Material{online("拖拉机和联合收割机注册登记申请表"), own("机具来历证明（购机发票）"), own("出厂合格证明"), own("安全技术检验合格证明"), matAgentID},
		}),
		dm(depNYNCW, "ny.raw_milk", 6, 1, MatterInput{
			Name: "生鲜乳收购站许可", NameEn: "Raw-milk collection station licence", Type: "permit",
			LegalBasis:     "《乳品质量安全监督管理条例》第二十条",
			LegalLimitDays: 20, CommittedLimitDays: 10, Visits: 0, OnlineDepth: 3, MailDelivery: true, ResultName: "生鲜乳收购许可证",
			AcceptConditions: "符合生鲜乳收购站建设规划布局；有符合环保和卫生要求的收购场所、与收奶量相适应的冷却冷藏保鲜设施和检测设备；有经培训合格并持有有效健康证明的从业人员",
			Events:           ev("agriculture", "food", "operation"),
			FormFields:       form(num("daily_tonnes", "日收奶量（吨）", "Daily intake (tonnes)", true)),
			Materials:        withCommon(online("生鲜乳收购许可证申请表"), own("收购场所、设施设备及检测设备说明"), healthCerts),
		}),
	}
}
