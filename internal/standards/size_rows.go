package standards

import "strings"

// sizeMetric is one of the three indicators used for SME size classes.
type sizeMetric int

// The indicators of 工信部联企业〔2011〕300号 第四条: X 从业人员, Y 营业收入, Z 资产总额.
const (
	metricEmployees sizeMetric = iota // X, persons
	metricRevenue                     // Y, fen
	metricAssets                      // Z, fen
)

// id returns the metric's stable name as used in SizeResult.Missing.
func (m sizeMetric) id() string {
	return [...]string{"employees", "revenue", "assets"}[m]
}

// sizeLimit is one lower limit ("及以上") of a tier: employees in persons,
// money in fen.
type sizeLimit struct {
	metric sizeMetric
	min    int64
}

// Lower-limit constructors: X persons, Y 万元 of revenue, Z 万元 of assets.
func limX(n int64) sizeLimit { return sizeLimit{metricEmployees, n} }
func limY(n int64) sizeLimit { return sizeLimit{metricRevenue, wanFen(n)} }
func limZ(n int64) sizeLimit { return sizeLimit{metricAssets, wanFen(n)} }

// sizeRule is one row of the size table with the lower limits of its large,
// medium and small tiers; every limit of a tier must be met.
type sizeRule struct {
	row   SizeRow
	tiers [3][]sizeLimit // large, medium, small
}

// sizeTiers are the classes tried in order: 大 → 中 → 小, else 微.
var sizeTiers = [3]SizeClass{SizeLarge, SizeMedium, SizeSmall}

// sizeRules is the table of 工信部联企业〔2011〕300号 第四条 as restated in
// 国家统计局《统计上大中小微型企业划分办法（2017）》附表; all figures are lower
// limits (X persons, Y and Z in 万元).
var sizeRules = map[string]sizeRule{
	"agriculture": {SizeRow{"agriculture", Msg{"农、林、牧、渔业", "agriculture, forestry, animal husbandry and fishery"}, "A"},
		[3][]sizeLimit{{limY(20000)}, {limY(500)}, {limY(50)}}},
	"industry": {SizeRow{"industry", Msg{"工业", "industry"}, "B, C, D"},
		[3][]sizeLimit{{limX(1000), limY(40000)}, {limX(300), limY(2000)}, {limX(20), limY(300)}}},
	"construction": {SizeRow{"construction", Msg{"建筑业", "construction"}, "E"},
		[3][]sizeLimit{{limY(80000), limZ(80000)}, {limY(6000), limZ(5000)}, {limY(300), limZ(300)}}},
	"wholesale": {SizeRow{"wholesale", Msg{"批发业", "wholesale"}, "F51"},
		[3][]sizeLimit{{limX(200), limY(40000)}, {limX(20), limY(5000)}, {limX(5), limY(1000)}}},
	"retail": {SizeRow{"retail", Msg{"零售业", "retail"}, "F52"},
		[3][]sizeLimit{{limX(300), limY(20000)}, {limX(50), limY(500)}, {limX(10), limY(100)}}},
	"transport": {SizeRow{"transport", Msg{"交通运输业", "transport"}, "G54–G58 and G591 (not G53)"},
		[3][]sizeLimit{{limX(1000), limY(30000)}, {limX(300), limY(3000)}, {limX(20), limY(200)}}},
	"warehousing": {SizeRow{"warehousing", Msg{"仓储业", "warehousing"}, "G592–G599"},
		[3][]sizeLimit{{limX(200), limY(30000)}, {limX(100), limY(1000)}, {limX(20), limY(100)}}},
	"postal": {SizeRow{"postal", Msg{"邮政业", "postal services"}, "G60"},
		[3][]sizeLimit{{limX(1000), limY(30000)}, {limX(300), limY(2000)}, {limX(20), limY(100)}}},
	"accommodation": {SizeRow{"accommodation", Msg{"住宿业", "accommodation"}, "H61"},
		[3][]sizeLimit{{limX(300), limY(10000)}, {limX(100), limY(2000)}, {limX(10), limY(100)}}},
	"catering": {SizeRow{"catering", Msg{"餐饮业", "catering"}, "H62"},
		[3][]sizeLimit{{limX(300), limY(10000)}, {limX(100), limY(2000)}, {limX(10), limY(100)}}},
	"telecom": {SizeRow{"telecom", Msg{"信息传输业", "information transmission"}, "I63, I64"},
		[3][]sizeLimit{{limX(2000), limY(100000)}, {limX(100), limY(1000)}, {limX(10), limY(100)}}},
	"software": {SizeRow{"software", Msg{"软件和信息技术服务业", "software and information technology services"}, "I65"},
		[3][]sizeLimit{{limX(300), limY(10000)}, {limX(100), limY(1000)}, {limX(10), limY(50)}}},
	"real_estate_development": {SizeRow{"real_estate_development", Msg{"房地产开发经营", "real estate development"}, "K7010"},
		[3][]sizeLimit{{limY(200000), limZ(10000)}, {limY(1000), limZ(5000)}, {limY(100), limZ(2000)}}},
	"property_management": {SizeRow{"property_management", Msg{"物业管理", "property management"}, "K7020"},
		[3][]sizeLimit{{limX(1000), limY(5000)}, {limX(300), limY(1000)}, {limX(100), limY(500)}}},
	"leasing_business": {SizeRow{"leasing_business", Msg{"租赁和商务服务业", "leasing and business services"}, "L71, L72"},
		[3][]sizeLimit{{limX(300), limZ(120000)}, {limX(100), limZ(8000)}, {limX(10), limZ(100)}}},
	"other": {SizeRow{"other", Msg{"其他未列明行业", "other industries not listed"}, "all other codes (e.g. G53, J, K7030, K7040, K7090, M, N, O, P, Q, R, S, T)"},
		[3][]sizeLimit{{limX(300)}, {limX(100)}, {limX(10)}}},
}

// sizeRowIDForClass maps one GB/T 4754-2017 小类 to its size-table row, using
// the industry scopes of 工信部联企业〔2011〕300号 第二条 and the 2017
// statistical measures' 附表 notes.
func sizeRowIDForClass(ind Industry) string {
	div := ind.Code[:2]
	switch ind.Section {
	case "A":
		return "agriculture"
	case "B", "C", "D":
		return "industry"
	case "E":
		return "construction"
	}
	switch div {
	case "51":
		return "wholesale"
	case "52":
		return "retail"
	case "54", "55", "56", "57", "58":
		return "transport" // 铁路运输业 53 is excluded and falls to "other".
	case "59":
		// GB/T 4754-2017 moved 装卸搬运 into 大类 59 (装卸搬运和仓储业); the
		// 2017 statistical measures' note keeps it under 交通运输业 ("…多式联运和
		// 运输代理业、装卸搬运，不包括铁路运输业") and limits 仓储业 to 通用仓储 …
		// 其他仓储业 (592–599).
		if strings.HasPrefix(ind.Code, "591") {
			return "transport"
		}
		return "warehousing"
	case "60":
		return "postal"
	case "61":
		return "accommodation"
	case "62":
		return "catering"
	case "63", "64":
		return "telecom"
	case "65":
		return "software"
	case "71", "72":
		return "leasing_business"
	}
	switch ind.Code {
	case "7010":
		return "real_estate_development"
	case "7020":
		return "property_management"
	}
	// 其他未列明行业: everything else, including 铁路运输业 (53), 房地产中介服务
	// (7030), 房地产租赁经营 (7040) and 其他房地产业 (7090).
	return "other"
}

// sizeRowIDs returns the distinct size-table rows of the 小类 under ind, in
// first-seen order.
func sizeRowIDs(ind Industry) []string {
	var ids []string
	seen := map[string]bool{}
	for _, leaf := range industryLeaves(ind) {
		if id := sizeRowIDForClass(leaf); !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids
}

// SizeRowFor returns the size-table row for a GB/T 4754-2017 code; it reports
// false if the code is unknown or too coarse, i.e. covers several rows (e.g. "G").
func SizeRowFor(industryCode string) (SizeRow, bool) {
	ind, ok := LookupIndustry(industryCode)
	if !ok {
		return SizeRow{}, false
	}
	ids := sizeRowIDs(ind)
	if len(ids) != 1 {
		return SizeRow{}, false
	}
	return sizeRules[ids[0]].row, true
}
