package seed

import (
	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/money"
)

// The showcase firms come first in the demo. The demo enterprise accounts are
// bound to the first three, so that each shows a different situation: a large
// 规上 manufacturer, a growing high-tech software SME and a micro restaurant.
// Names are made up.
const (
	showcaseAuto       = 0
	showcaseSoftware   = 1
	showcaseRestaurant = 2
)

// facts3 builds three years (2023–2025) of facts from per-year columns; a
// nil column is not reported.
func facts3(emp, tech []int64, rev, assets, taxable, rd, exports []float64) []yearFacts {
	out := make([]yearFacts, len(factYears))
	for i, y := range factYears {
		f := yearFacts{year: y, employees: ptr(emp[i])}
		if tech != nil {
			f.techStaff = ptr(tech[i])
		}
		for _, c := range []struct {
			col []float64
			dst **float64
		}{{rev, &f.revenue}, {assets, &f.assets}, {taxable, &f.taxable}, {rd, &f.rd}, {exports, &f.exports}} {
			if c.col != nil {
				*c.dst = ptr(c.col[i])
			}
		}
		out[i] = f
	}
	return out
}

// withInnovation adds to three years of facts the high-tech revenue and
// total costs per year (万元, nil: not reported) and the IP held (件).
func withInnovation(facts []yearFacts, hightech, costs []float64, ip1, ip2 int64) []yearFacts {
	for i := range facts {
		if hightech != nil {
			facts[i].hightech = ptr(hightech[i])
		}
		if costs != nil {
			facts[i].costs = ptr(costs[i])
		}
		facts[i].ipClass1, facts[i].ipClass2 = ptr(ip1), ptr(ip2)
	}
	return facts
}

func showcaseFirms() []demoFirm {
	s, tag := enterprise.Some[string], func(code, from, to, cert string) enterprise.TagInput {
		return enterprise.TagInput{Code: code, ValidFrom: from, ValidTo: to, CertificateNo: cert}
	}
	capital := func(wan int64) enterprise.Maybe[int64] { return enterprise.Some(wan * money.FenPerWan) }
	return []demoFirm{
		showcaseAuto: {
			in: enterprise.Input{
				CreditCode: s(creditCode("91", beibei, "20340917")), Name: s("重庆北碚缙驰汽车零部件有限公司"),
				LegalRep: s("陈志强"), RegisteredOn: s("2006-04-18"), RegionCode: s("500109008"),
				Address: s("重庆市北碚区水土街道云汉大道 88 号"), IndustryCode: s("3670"), Ownership: s("limited"),
				RegisteredCapitalFen: capital(12000), ContactName: s("周敏"), ContactPhone: s("13983061274"),
				BusinessScope:  s("汽车零部件及配件研发、制造、销售；汽车变速器总成、底盘结构件生产；模具设计与制造；货物进出口"),
				TaxCreditGrade: s("A"),
			},
			facts: withInnovation(facts3([]int64{1180, 1246, 1302}, []int64{210, 236, 258},
				[]float64{52800, 58600, 63900}, []float64{61000, 66400, 71200}, []float64{3100, 3560, 3920},
				[]float64{2300, 2680, 3010}, []float64{8600, 9800, 11200}),
				[]float64{34800, 38900, 42600}, []float64{48900, 54200, 59100}, 14, 52),
			tags: []enterprise.TagInput{
				tag("high_tech", "2024-11-28", "2027-11-27", "GR202455100871"),
				tag("digital_workshop", "2022-12-15", "", ""),
				tag("smart_factory", "2024-09-20", "", ""),
				tag("integrity_alliance", "2023-05-10", "", ""),
				tag("ipo_reserve", "2025-03-01", "", ""),
			},
		},
		showcaseSoftware: {
			in: enterprise.Input{
				CreditCode: s(creditCode("91", beibei, "MA60R3KT")), Name: s("重庆缙云智联科技有限公司"),
				LegalRep: s("周丽华"), RegisteredOn: s("2019-08-06"), RegionCode: s("500109001"),
				Address: s("重庆市北碚区天生街道天生路 392 号天生创业创新街 3 楼"), IndustryCode: s("6513"), Ownership: s("limited"),
				RegisteredCapitalFen: capital(500), ContactName: s("周丽华"), ContactPhone: s("15923015688"),
				BusinessScope:  s("软件开发；工业互联网平台与数据处理服务；信息系统集成服务；人工智能应用软件开发"),
				TaxCreditGrade: s("A"),
			},
			facts: withInnovation(facts3([]int64{38, 46, 57}, []int64{26, 31, 39},
				[]float64{1850, 2420, 3160}, []float64{1200, 1580, 2100}, []float64{160, 210, 290},
				[]float64{260, 330, 410}, nil),
				[]float64{1480, 1990, 2650}, []float64{1690, 2210, 2870}, 3, 17),
			tags: []enterprise.TagInput{
				tag("high_tech", "2023-12-12", "2026-12-11", "GR202355100342"),
				tag("tech_sme", "2026-04-20", "2026-12-31", "2026500109A00417"),
				tag("integrity_alliance", "2024-06-18", "", ""),
			},
		},
		showcaseRestaurant: {
			in: enterprise.Input{
				CreditCode: s(creditCode("91", beibei, "MA61D8WH")), Name: s("重庆北碚泉禾餐饮管理有限公司"),
				LegalRep: s("何建国"), RegisteredOn: s("2021-03-15"), RegionCode: s("500109003"),
				Address: s("重庆市北碚区北温泉街道北温泉路 12 号附 3 号"), IndustryCode: s("6210"), Ownership: s("private"),
				RegisteredCapitalFen: capital(50), ContactName: s("何建国"), ContactPhone: s("18716830925"),
				BusinessScope:  s("餐饮服务；食品销售；外卖递送服务"),
				TaxCreditGrade: s("B"),
			},
			facts: facts3([]int64{8, 9, 9}, nil,
				[]float64{86, 112, 128}, []float64{45, 52, 60}, []float64{4.2, 6.8, 7.5}, nil, nil),
			tags: []enterprise.TagInput{tag("small_taxpayer", "2021-03-15", "", "")},
		},
		{
			in: enterprise.Input{
				CreditCode: s(creditCode("91", beibei, "20281563")), Name: s("重庆碚峰摩托车有限公司"),
				LegalRep: s("罗建华"), RegisteredOn: s("2001-09-12"), RegionCode: s("500109104"),
				Address: s("重庆市北碚区童家溪镇同兴路 18 号"), IndustryCode: s("3751"), Ownership: s("joint_stock"),
				RegisteredCapitalFen: capital(36000), ContactName: s("谭晓东"), ContactPhone: s("13308326617"),
				BusinessScope:  s("摩托车及发动机研发、制造、销售；电动摩托车制造；货物及技术进出口"),
				TaxCreditGrade: s("A"),
			},
			facts: withInnovation(facts3([]int64{2080, 2150, 2236}, []int64{260, 281, 305},
				[]float64{168000, 181500, 196200}, []float64{152000, 160300, 171800}, []float64{7400, 8100, 9050},
				[]float64{5200, 5900, 6680}, []float64{61000, 70200, 79800}),
				nil, []float64{159800, 172100, 186000}, 6, 41),
			tags: []enterprise.TagInput{
				tag("digital_workshop", "2021-11-30", "", ""),
				tag("smart_factory", "2023-10-16", "", ""),
				tag("green_factory", "2022-12-28", "", ""),
				tag("integrity_alliance", "2023-05-10", "", ""),
				tag("listed", "2019-06-26", "", ""),
			},
		},
		{
			in: enterprise.Input{
				CreditCode: s(creditCode("91", beibei, "76592048")), Name: s("重庆北碚恒筑建设工程有限公司"),
				LegalRep: s("冉光明"), RegisteredOn: s("2008-05-20"), RegionCode: s("500109005"),
				Address: s("重庆市北碚区龙凤桥街道龙凤大道 206 号"), IndustryCode: s("4790"), Ownership: s("limited"),
				RegisteredCapitalFen: capital(8000), ContactName: s("冉光明"), ContactPhone: s("13658310742"),
				BusinessScope:  s("房屋建筑工程、市政公用工程施工总承包；建筑装修装饰工程；土石方工程"),
				TaxCreditGrade: s("A"),
			},
			facts: facts3([]int64{305, 318, 320}, nil,
				[]float64{15200, 17100, 18600}, []float64{12600, 13500, 14200}, []float64{610, 690, 720}, nil, nil),
			tags: []enterprise.TagInput{
				tag(enterprise.TagQualifiedLimit, "2019-04-01", "", "D350127764"),
				tag("integrity_alliance", "2024-03-22", "", ""),
			},
		},
		{
			in: enterprise.Input{
				CreditCode: s(creditCode("91", beibei, "MA5UKQ7E")), Name: s("重庆北碚鑫泰商贸有限公司"),
				LegalRep: s("邓小林"), RegisteredOn: s("2016-11-03"), RegionCode: s("500109002"),
				Address: s("重庆市北碚区朝阳街道中山路 58 号"), IndustryCode: s("5174"), Ownership: s("private"),
				RegisteredCapitalFen: capital(100), ContactName: s("邓小林"), ContactPhone: s("13896042215"),
				BusinessScope:  s("五金产品、建筑材料、机电设备批发零售"),
				TaxCreditGrade: s("D"),
				Dishonest:      enterprise.Some(true),
				DishonestNote:  s("拒不履行生效判决确定的付款义务，2025-08-12 被人民法院列入失信被执行人名单"),
			},
			facts: facts3([]int64{5, 4, 4}, nil,
				[]float64{680, 510, 420}, []float64{300, 280, 260}, []float64{0, 0, 0}, nil, nil),
			tags: []enterprise.TagInput{tag("small_taxpayer", "2016-11-03", "", "")},
		},
	}
}
