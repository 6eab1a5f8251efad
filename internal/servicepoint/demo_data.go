package servicepoint

import "fmt"

// demoPoint is one point of the demo network; services and matters follow
// from its tier and kind (see demoServices, demoMatters).
type demoPoint struct {
	code, name, nameEn string
	tier, kind, street string
	address            string
	lat, lng           float64
	hours, phone       string
	contact, desc      string
}

// demoStreet is one of Beibei's 17 streets and towns with where its public
// service centre stands (WGS-84, near the street's seat), the roads the
// demo uses (as internal/seed does) and its villages and communities.
type demoStreet struct {
	code, slug, name, nameEn string
	lat, lng                 float64
	road                     string // road of the street centre
	communities              []demoCommunity
}

type demoCommunity struct {
	slug, name, nameEn, road string
	village                  bool
}

// demoStreets covers standards.RegionChildren("500109"). Names of villages
// and communities are illustrative, as are all numbers and coordinates.
var demoStreets = []demoStreet{
	{"500109001", "tiansheng", "天生街道", "Tiansheng Street", 29.8230, 106.4215, "天生路", []demoCommunity{
		{"tiansheng", "天生社区", "Tiansheng Community", "天生二路", false},
		{"shuangyuan", "双元社区", "Shuangyuan Community", "双元路", false},
		{"yunhua", "云华社区", "Yunhua Community", "云华路", false}}},
	{"500109002", "chaoyang", "朝阳街道", "Chaoyang Street", 29.8262, 106.4370, "朝阳路", []demoCommunity{
		{"zhongshanlu", "中山路社区", "Zhongshan Road Community", "中山路", false},
		{"xinhua", "新华社区", "Xinhua Community", "新华路", false},
		{"beijinglu", "北京路社区", "Beijing Road Community", "北京路", false}}},
	{"500109003", "beiwenquan", "北温泉街道", "Beiwenquan Street", 29.8455, 106.4170, "北温泉路", []demoCommunity{
		{"wenquan", "温泉社区", "Wenquan Community", "温泉路", false},
		{"jinyun", "缙云社区", "Jinyun Community", "缙云大道", false}}},
	{"500109004", "dongyang", "东阳街道", "Dongyang Street", 29.8080, 106.4560, "东阳大道", []demoCommunity{
		{"dongyang", "东阳社区", "Dongyang Community", "龙凤溪路", false},
		{"maobeituo", "毛背沱社区", "Maobeituo Community", "毛背沱路", false}}},
	{"500109005", "longfengqiao", "龙凤桥街道", "Longfengqiao Street", 29.7960, 106.4420, "龙凤大道", []demoCommunity{
		{"longfengqiao", "龙凤桥社区", "Longfengqiao Community", "龙凤桥路", false},
		{"maanxi", "马鞍溪社区", "Ma'anxi Community", "马鞍溪路", false}}},
	{"500109006", "caijiagang", "蔡家岗街道", "Caijiagang Street", 29.7430, 106.4690, "蔡家大道", []demoCommunity{
		{"fengqi", "凤栖社区", "Fengqi Community", "凤栖路", false},
		{"tongxi", "同熙社区", "Tongxi Community", "同熙路", false},
		{"jiayun", "嘉运社区", "Jiayun Community", "嘉运大道", false}}},
	{"500109007", "xiema", "歇马街道", "Xiema Street", 29.7650, 106.3850, "歇马大道", []demoCommunity{
		{"xiema", "歇马社区", "Xiema Community", "歇马大道", false},
		{"motan", "磨滩村", "Motan Village", "磨滩路", true}}},
	{"500109008", "shuitu", "水土街道", "Shuitu Street", 29.7820, 106.5050, "水土大道", []demoCommunity{
		{"yunwan", "云湾社区", "Yunwan Community", "云湾路", false},
		{"fangzheng", "方正社区", "Fangzheng Community", "方正大道", false}}},
	{"500109009", "fuxing", "复兴街道", "Fuxing Street", 29.8150, 106.5450, "复兴大道", []demoCommunity{
		{"laojie", "复兴老街社区", "Fuxing Old Street Community", "复兴老街", false},
		{"longche", "龙车村", "Longche Village", "复兴大道", true}}},
	{"500109102", "chengjiang", "澄江镇", "Chengjiang Town", 29.8800, 106.4550, "澄江大道", []demoCommunity{
		{"chengjiang", "澄江社区", "Chengjiang Community", "澄江大道", false},
		{"yunhe", "运河村", "Yunhe Village", "运河路", true}}},
	{"500109104", "tongjiaxi", "童家溪镇", "Tongjiaxi Town", 29.7600, 106.5030, "童家溪大道", []demoCommunity{
		{"tongxing", "同兴社区", "Tongxing Community", "同兴路", false},
		{"wuxing", "五星村", "Wuxing Village", "五星路", true}}},
	{"500109105", "tianfu", "天府镇", "Tianfu Town", 29.8780, 106.4050, "天府大道", []demoCommunity{
		{"tianfu", "天府社区", "Tianfu Community", "天府大道", false},
		{"daijiagou", "代家沟村", "Daijiagou Village", "代家沟路", true}}},
	{"500109108", "shijialiang", "施家梁镇", "Shijialiang Town", 29.8520, 106.4800, "施家梁大道", []demoCommunity{
		{"shijialiang", "施家梁社区", "Shijialiang Community", "施家梁大道", false},
		{"miaozui", "庙嘴村", "Miaozui Village", "庙嘴路", true}}},
	{"500109110", "jingguan", "静观镇", "Jingguan Town", 29.9150, 106.5200, "静观大道", []demoCommunity{
		{"jingguan", "静观社区", "Jingguan Community", "静观大道", false},
		{"suxin", "素心村", "Suxin Village", "腊梅路", true}}},
	{"500109111", "liuyin", "柳荫镇", "Liuyin Town", 29.9700, 106.5550, "柳荫大道", []demoCommunity{
		{"liuyin", "柳荫社区", "Liuyin Community", "柳荫大道", false},
		{"dongsheng", "东升村", "Dongsheng Village", "东升路", true}}},
	{"500109113", "sansheng", "三圣镇", "Sansheng Town", 29.9350, 106.5950, "三圣大道", []demoCommunity{
		{"sansheng", "三圣社区", "Sansheng Community", "三圣大道", false},
		{"desheng", "德圣村", "Desheng Village", "德圣路", true}}},
	{"500109116", "jindaoxia", "金刀峡镇", "Jindaoxia Town", 29.9900, 106.6050, "金刀峡大道", []demoCommunity{
		{"jindaoxia", "金刀峡社区", "Jindaoxia Community", "金刀峡大道", false},
		{"pianyan", "偏岩村", "Pianyan Village", "偏岩路", true}}},
}

const (
	hoursCentre    = "工作日 9:00-12:00 14:00-17:30"
	hoursCommunity = "工作日 9:00-12:00 14:00-17:00"
)

// communityOffsets spread a street's communities around its centre
// (degrees; villages lie three times as far out).
var communityOffsets = [][2]float64{{0.0042, -0.0031}, {-0.0048, 0.0039}, {0.0056, 0.0047}}

// demoParks are the park and business-district centres.
var demoParks = []demoPoint{
	{"park-caijia", "蔡家组团产业园党群服务中心", "Caijia Cluster Industrial Park Party and Public Service Centre", TierPark, "", "500109006",
		"重庆市北碚区蔡家岗街道嘉运大道 166 号", 29.7486, 106.4752, "工作日 9:00-17:30", "023-68291606", "党群服务专员",
		"服务蔡家组团智能制造与电子信息企业：非公企业党建、政策咨询、用工招聘对接。"},
	{"park-shuitu", "水土高新园区党群服务中心", "Shuitu Hi-tech Park Party and Public Service Centre", TierPark, "", "500109008",
		"重庆市北碚区水土街道云汉大道 5 号", 29.7903, 106.5118, "工作日 9:00-17:30", "023-68291808", "党群服务专员",
		"服务水土高新园区企业：非公企业党建、产业政策解读、人才与融资对接。"},
	{"park-xiema", "歇马工业园党群服务中心", "Xiema Industrial Park Party and Public Service Centre", TierPark, "", "500109007",
		"重庆市北碚区歇马街道歇马工业园路 18 号", 29.7691, 106.3924, "工作日 9:00-17:30", "023-68291707", "党群服务专员",
		"服务歇马工业园装备制造企业：党建指导、安全生产与用工服务。"},
	{"park-tongxing", "同兴工业园区党群服务中心", "Tongxing Industrial Park Party and Public Service Centre", TierPark, "", "500109104",
		"重庆市北碚区童家溪镇同兴工业园路 26 号", 29.7652, 106.4981, "工作日 9:00-17:30", "023-68291904", "党群服务专员",
		"服务同兴工业园区企业：非公企业党建、政策兑现指引、用工对接。"},
	{"park-jinyun", "缙云商圈党群服务中心", "Jinyun Business District Party and Public Service Centre", TierPark, "", "500109002",
		"重庆市北碚区朝阳街道中山路 45 号", 29.8255, 106.4386, "每天 9:00-18:00", "023-68291202", "党群服务专员",
		"服务北碚城区商圈商户与个体工商户：党群活动、消费促进政策、商户诉求收集。"},
	{"park-jingguan", "静观花木产业园党群服务中心", "Jingguan Flower and Nursery Park Party and Public Service Centre", TierPark, "", "500109110",
		"重庆市北碚区静观镇腊梅路 36 号", 29.9118, 106.5262, "工作日 9:00-17:30", "023-68292110", "党群服务专员",
		"服务静观花木（蜡梅）产业园农业企业与合作社：党建引领、电商与品牌推广。"},
}

// demoAgencies are the consult and agency points.
var demoAgencies = []demoPoint{
	{"bank-cqrcb-beibei", "重庆农商行北碚支行营业部", "Chongqing Rural Commercial Bank, Beibei Branch Business Department", TierAgency, AgencyBank, "500109002",
		"重庆市北碚区朝阳街道北京路 88 号", 29.8271, 106.4394, "周一至周五 9:00-17:00；周六 9:00-12:00", "023-68221961", "对公业务经理",
		"银行开户预约、企业开办一件事中的银行开户、普惠贷款与转贷咨询。"},
	{"bank-cqrcb-caijia", "重庆农商行北碚蔡家支行", "Chongqing Rural Commercial Bank, Caijia Sub-branch", TierAgency, AgencyBank, "500109006",
		"重庆市北碚区蔡家岗街道蔡家大道 58 号", 29.7441, 106.4663, "周一至周五 9:00-17:00", "023-68221975", "对公业务经理",
		"服务蔡家组团企业的开户预约、融资咨询和企业开办代办。"},
	{"bank-ccb-tiansheng", "中国建设银行重庆北碚天生支行", "China Construction Bank, Beibei Tiansheng Sub-branch", TierAgency, AgencyBank, "500109001",
		"重庆市北碚区天生街道天生路 300 号", 29.8224, 106.4251, "周一至周五 9:00-17:00", "023-68224516", "对公业务经理",
		"“政务服务进网点”：开户预约、企业开办咨询、个体工商户经营贷款。"},
	{"post-beibei", "中国邮政北碚区分公司营业厅", "China Post Beibei District Branch Service Hall", TierAgency, AgencyPost, "500109002",
		"重庆市北碚区朝阳街道新华路 66 号", 29.8267, 106.4361, "每天 8:30-17:30", "023-68222110", "政务专窗",
		"证照免费邮寄、办件材料寄递和政务服务代收代办。"},
	{"post-caijia", "中国邮政蔡家岗邮政支局", "China Post Caijiagang Office", TierAgency, AgencyPost, "500109006",
		"重庆市北碚区蔡家岗街道同熙路 12 号", 29.7417, 106.4706, "每天 8:30-17:00", "023-68222156", "政务专窗",
		"蔡家片区证照邮寄与材料寄递。"},
	{"incubator-tiansheng", "天生创业创新街企业服务站", "Tiansheng Entrepreneurship and Innovation Street Enterprise Service Station", TierAgency, AgencyIncubator, "500109001",
		"重庆市北碚区天生街道天生路 201 号", 29.8217, 106.4271, "工作日 9:00-18:00", "023-68253316", "企业服务专员",
		"天生创业创新街入驻企业的开办、变更、知识产权和科技政策代办。"},
	{"incubator-swu-park", "西南大学国家大学科技园企业服务站", "Southwest University National University Science Park Enterprise Service Station", TierAgency, AgencyIncubator, "500109001",
		"重庆市北碚区天生街道天生路 2 号", 29.8241, 106.4179, "工作日 9:00-18:00", "023-68253520", "企业服务专员",
		"科技型企业孵化：科技型中小企业评价、高新技术企业认定辅导、专利商标代办。"},
	{"assoc-beibei-fic", "北碚区工商联（总商会）企业服务站", "Beibei Federation of Industry and Commerce Enterprise Service Station", TierAgency, AgencyAssociation, "500109002",
		"重庆市北碚区朝阳街道碚峡西路 10 号", 29.8291, 106.4331, hoursCentre, "023-68862516", "会员服务部",
		"商会会员企业诉求收集、非公企业党建指导、企业开办与招聘用工代办。"},
}

// demoNetwork builds every demo point: each street's centre, its villages
// and communities, then the parks and agency points.
func demoNetwork() []demoPoint {
	var out []demoPoint
	for i, s := range demoStreets {
		out = append(out, demoPoint{
			code: s.slug + "-centre", name: s.name + "公共服务中心", nameEn: s.nameEn + " Public Service Centre",
			tier: TierStreet, street: s.code, address: fmt.Sprintf("重庆市北碚区%s%s %d 号", s.name, s.road, 18+i*7),
			lat: s.lat, lng: s.lng, hours: hoursCentre, phone: fmt.Sprintf("023-6828%04d", 1003+i*113), contact: "综合服务窗口",
			desc: fmt.Sprintf("%s便民服务的主阵地：政务服务事项“一窗综合受理”与帮办代办，党群服务、就业社保和企业服务。", s.name),
		})
		for j, c := range s.communities {
			d := communityOffsets[j%len(communityOffsets)]
			name, nameEn, spread := s.name+c.name+"便民服务中心", c.nameEn+" Service Centre, "+s.nameEn, 1.0
			if c.village {
				name, nameEn, spread = s.name+c.name+"便民服务站", c.nameEn+" Service Station, "+s.nameEn, 3.0
			}
			out = append(out, demoPoint{
				code: s.slug + "-" + c.slug, name: name, nameEn: nameEn, tier: TierCommunity, street: s.code,
				address: fmt.Sprintf("重庆市北碚区%s%s %d 号", s.name, c.road, 3+j*29+i%5*11),
				lat:     s.lat + d[0]*spread, lng: s.lng + d[1]*spread, hours: hoursCommunity,
				phone: fmt.Sprintf("023-6829%04d", 1017+i*131+j*17), contact: "便民服务专员",
				desc: "家门口的便民服务：社保医保、就业登记、个体工商户办照咨询，党员活动与代办转办。",
			})
		}
	}
	out = append(out, demoParks...)
	return append(out, demoAgencies...)
}
