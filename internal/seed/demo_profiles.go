package seed

// beibei is the GB/T 2260 code of 北碚区.
const beibei = "500109"

// streetKind says what kind of firms a street or town mostly hosts.
type streetKind int

const (
	industrial streetKind = iota // industrial parks: 蔡家, 童家溪, 歇马, 水土 (高新区)
	urban                        // the district seat and its neighbours
	rural                        // towns with farming and tourism
)

// demoStreet is a Beibei street or town with its demo weight and roads.
type demoStreet struct {
	code   string
	kind   streetKind
	weight int // relative number of demo enterprises beyond the two each street gets
	roads  []string
}

// demoStreets covers all 17 streets and towns (RegionChildren("500109")); the
// industrial areas carry most of the weight. Road names are illustrative.
var demoStreets = []demoStreet{
	{"500109001", urban, 12, []string{"天生路", "云华路", "双元路", "天生二路"}},          // 天生街道
	{"500109002", urban, 6, []string{"中山路", "北京路", "朝阳路", "新华路"}},            // 朝阳街道
	{"500109003", urban, 4, []string{"北温泉路", "缙云大道", "温泉路"}},                 // 北温泉街道
	{"500109004", urban, 5, []string{"东阳大道", "龙凤溪路", "毛背沱路"}},                // 东阳街道
	{"500109005", urban, 5, []string{"龙凤大道", "龙凤桥路", "马鞍溪路"}},                // 龙凤桥街道
	{"500109006", industrial, 24, []string{"嘉运大道", "同熙路", "蔡家大道", "凤栖路"}},    // 蔡家岗街道
	{"500109007", industrial, 16, []string{"歇马大道", "磨滩路", "歇马工业园路"}},         // 歇马街道
	{"500109008", industrial, 24, []string{"云汉大道", "方正大道", "水土大道", "云湾路"}},   // 水土街道
	{"500109009", rural, 3, []string{"复兴大道", "复兴老街"}},                        // 复兴街道
	{"500109102", rural, 3, []string{"澄江大道", "运河路"}},                         // 澄江镇
	{"500109104", industrial, 20, []string{"同兴路", "童家溪大道", "五星路", "同兴工业园路"}}, // 童家溪镇
	{"500109105", rural, 2, []string{"天府大道", "代家沟路"}},                        // 天府镇
	{"500109108", industrial, 4, []string{"施家梁大道", "庙嘴路"}},                   // 施家梁镇
	{"500109110", rural, 2, []string{"静观大道", "腊梅路"}},                         // 静观镇
	{"500109111", rural, 1, []string{"柳荫大道", "东升路"}},                         // 柳荫镇
	{"500109113", rural, 1, []string{"三圣大道", "德圣路"}},                         // 三圣镇
	{"500109116", rural, 1, []string{"金刀峡大道", "偏岩路"}},                        // 金刀峡镇
}

// sizeTier is the scale a generated firm is drawn at; the size class itself
// is always computed from the figures by standards.ClassifySize.
type sizeTier int

const (
	tierLarge sizeTier = iota
	tierMedium
	tierSmall
	tierMicro
)

// demoProfile is a kind of business the demo generator draws firms from.
type demoProfile struct {
	classes []string   // GB/T 4754-2017 小类
	words   []string   // industry part of the name, chosen with the class at the same index modulo len
	scope   string     // 经营范围
	weight  [3]int     // relative frequency on industrial, urban and rural streets
	tiers   [4]int     // relative frequency of large, medium, small, micro
	emp     [4][2]int  // employees range per tier
	revEmp  [2]float64 // revenue per employee, 万元
	assets  [2]float64 // assets / revenue
	tech    bool       // does R&D; gets tech staff and is a candidate for 高企 and 科技型中小企业
	manuf   bool       // 工业; candidate for 专精特新 and the digital-factory tags
	build   bool       // 建筑业; holds the qualification tag when large enough
	exportP float64    // share of firms that export
}

// Employee ranges per tier for the size-table rows the profiles use. They are
// drawn so that the usual class comes out, but ClassifySize decides.
var (
	empIndustry = [4][2]int{{1000, 3200}, {300, 900}, {25, 280}, {3, 18}}
	empServices = [4][2]int{{300, 650}, {100, 280}, {10, 90}, {2, 9}}
	empTrade    = [4][2]int{{200, 500}, {20, 120}, {5, 18}, {1, 4}}
	empRetail   = [4][2]int{{300, 700}, {50, 200}, {10, 45}, {2, 9}}
	empBuild    = [4][2]int{{800, 2600}, {150, 600}, {20, 140}, {3, 15}}
	empHotel    = [4][2]int{{300, 600}, {110, 260}, {10, 90}, {2, 9}}
)

var (
	tiersManuf    = [4]int{5, 15, 44, 36}
	tiersServices = [4]int{1, 6, 35, 58}
)

// demoProfiles weight Beibei towards manufacturing: auto and motorcycle parts,
// machinery, instruments, new materials and electronics, with the services a
// district needs around them.
var demoProfiles = []demoProfile{
	{classes: []string{"3670", "3670", "3670", "3660"}, words: []string{"汽车零部件", "汽车配件", "汽车部件", "汽车车身"},
		scope:  "汽车零部件及配件研发、制造、销售；模具设计与制造；货物进出口",
		weight: [3]int{30, 2, 0}, tiers: tiersManuf, emp: empIndustry, revEmp: [2]float64{45, 110}, assets: [2]float64{0.7, 1.3},
		manuf: true, exportP: 0.25},
	{classes: []string{"3751", "3752", "3752"}, words: []string{"摩托车", "摩托车零部件", "摩托车配件"},
		scope:  "摩托车及零部件研发、制造、销售；发动机零部件加工；货物进出口",
		weight: [3]int{14, 1, 0}, tiers: tiersManuf, emp: empIndustry, revEmp: [2]float64{40, 100}, assets: [2]float64{0.6, 1.2},
		manuf: true, exportP: 0.45},
	{classes: []string{"3412", "3444", "3453", "3484", "3491", "3421"}, words: []string{"动力机械", "液压机械", "齿轮传动", "精密机械", "智能装备", "数控机床"},
		scope:  "通用机械设备及零部件设计、制造、销售、安装；机械加工；技术咨询",
		weight: [3]int{18, 1, 0}, tiers: tiersManuf, emp: empIndustry, revEmp: [2]float64{35, 90}, assets: [2]float64{0.8, 1.5},
		manuf: true, tech: true, exportP: 0.15},
	{classes: []string{"3514", "3525", "3591", "3599", "3581"}, words: []string{"工程机械", "模具", "环保设备", "专用设备", "医疗器械"},
		scope:  "专用设备研发、制造、销售及维修；模具制造；技术服务",
		weight: [3]int{12, 1, 0}, tiers: tiersManuf, emp: empIndustry, revEmp: [2]float64{35, 90}, assets: [2]float64{0.8, 1.5},
		manuf: true, tech: true, exportP: 0.1},
	{classes: []string{"4011", "4012", "4014", "4015", "4021", "4028"}, words: []string{"自动化仪表", "电工仪表", "分析仪器", "试验设备", "环境监测", "电子测量"},
		scope:  "工业自动化仪器仪表、分析仪器的研发、制造、销售、安装及技术服务；软件开发",
		weight: [3]int{10, 2, 0}, tiers: tiersManuf, emp: empIndustry, revEmp: [2]float64{30, 80}, assets: [2]float64{0.9, 1.6},
		manuf: true, tech: true, exportP: 0.12},
	{classes: []string{"2651", "2929", "3062", "3091", "3240", "3252", "2661"}, words: []string{"新材料", "塑胶制品", "复合材料", "碳素材料", "合金材料", "铝材", "化学助剂"},
		scope:  "新材料技术研发；高性能材料及制品制造、销售；货物进出口",
		weight: [3]int{12, 1, 0}, tiers: tiersManuf, emp: empIndustry, revEmp: [2]float64{50, 140}, assets: [2]float64{0.8, 1.4},
		manuf: true, tech: true, exportP: 0.2},
	{classes: []string{"3982", "3983", "3976", "3962", "3989"}, words: []string{"电子电路", "传感技术", "光电", "车载电子", "电子元件"},
		scope:  "电子元器件、传感器及智能车载设备研发、制造、销售；集成电路应用",
		weight: [3]int{10, 2, 0}, tiers: tiersManuf, emp: empIndustry, revEmp: [2]float64{40, 120}, assets: [2]float64{0.8, 1.4},
		manuf: true, tech: true, exportP: 0.3},
	{classes: []string{"3823", "3831", "3841"}, words: []string{"电气设备", "电线电缆", "锂电"},
		scope:  "输配电及控制设备、电线电缆、电池制造与销售；电气工程技术服务",
		weight: [3]int{6, 0, 0}, tiers: tiersManuf, emp: empIndustry, revEmp: [2]float64{50, 150}, assets: [2]float64{0.8, 1.3},
		manuf: true, exportP: 0.1},
	{classes: []string{"1392", "1469", "1371"}, words: []string{"食品", "调味品", "农产品加工"},
		scope:  "食品生产、销售；农副产品加工；预包装食品销售",
		weight: [3]int{3, 1, 3}, tiers: tiersManuf, emp: empIndustry, revEmp: [2]float64{30, 80}, assets: [2]float64{0.6, 1.2},
		manuf: true},
	{classes: []string{"6511", "6513", "6513", "6531", "6532"}, words: []string{"软件", "数字科技", "网络科技", "智能科技", "物联网科技"},
		scope:  "软件开发；信息系统集成服务；物联网技术服务；数据处理和存储支持服务",
		weight: [3]int{4, 10, 0}, tiers: tiersServices, emp: empServices, revEmp: [2]float64{25, 70}, assets: [2]float64{0.5, 1.0},
		tech: true},
	{classes: []string{"4790", "4813", "4899", "5011", "4910"}, words: []string{"建筑工程", "市政工程", "建设工程", "装饰工程", "机电安装"},
		scope:  "房屋建筑和市政基础设施工程施工；建筑装饰装修工程；机电设备安装",
		weight: [3]int{5, 6, 3}, tiers: [4]int{1, 12, 45, 42}, emp: empBuild, revEmp: [2]float64{50, 140}, assets: [2]float64{0.9, 1.6},
		build: true},
	{classes: []string{"5172", "5174", "5165", "5179"}, words: []string{"汽配贸易", "五金机电", "建材", "机电设备"},
		scope:  "汽车零配件、五金交电、建筑材料、机电设备销售；货物进出口",
		weight: [3]int{5, 7, 2}, tiers: tiersServices, emp: empTrade, revEmp: [2]float64{250, 600}, assets: [2]float64{0.3, 0.7}},
	{classes: []string{"5212", "5211", "5251", "5261"}, words: []string{"超市", "百货", "大药房", "汽车销售服务"},
		scope:  "日用百货、预包装食品、药品零售；汽车销售及售后服务",
		weight: [3]int{1, 8, 4}, tiers: tiersServices, emp: empRetail, revEmp: [2]float64{30, 90}, assets: [2]float64{0.3, 0.8}},
	{classes: []string{"6210", "6220", "6231"}, words: []string{"餐饮管理", "餐饮", "茶楼"},
		scope:  "餐饮服务；食品销售；餐饮管理",
		weight: [3]int{1, 7, 4}, tiers: tiersServices, emp: empHotel, revEmp: [2]float64{20, 40}, assets: [2]float64{0.3, 0.8}},
	{classes: []string{"6110", "6121", "6130"}, words: []string{"温泉酒店", "酒店管理", "民宿"},
		scope:  "住宿服务；餐饮服务；温泉洗浴服务；会议及展览服务",
		weight: [3]int{0, 4, 5}, tiers: tiersServices, emp: empHotel, revEmp: [2]float64{15, 40}, assets: [2]float64{1.0, 3.0}},
	{classes: []string{"5431", "5920", "5821"}, words: []string{"物流", "仓储物流", "供应链管理"},
		scope:  "道路普通货物运输；仓储服务；国内货物运输代理；供应链管理服务",
		weight: [3]int{6, 2, 1}, tiers: tiersServices, emp: empServices, revEmp: [2]float64{40, 100}, assets: [2]float64{0.6, 1.2}},
	{classes: []string{"7320", "7452", "7484", "7491", "7513"}, words: []string{"工程技术", "检测技术", "工程设计", "工业设计", "新材料科技"},
		scope:  "工程和技术研究和试验发展；检验检测服务；工程设计；工业设计服务；技术推广",
		weight: [3]int{4, 5, 0}, tiers: tiersServices, emp: empServices, revEmp: [2]float64{20, 60}, assets: [2]float64{0.5, 1.2},
		tech: true},
	{classes: []string{"0141", "0143", "0412", "0164"}, words: []string{"生态农业", "花木园艺", "水产养殖", "茶业"},
		scope:  "蔬菜、花卉苗木种植；水产养殖；农产品初加工及销售；农业技术推广",
		weight: [3]int{0, 0, 7}, tiers: tiersServices, emp: empServices, revEmp: [2]float64{10, 40}, assets: [2]float64{1.0, 2.5}},
	{classes: []string{"7291"}, words: []string{"旅游"},
		scope:  "旅行社服务；旅游开发；景区管理；会议及展览服务",
		weight: [3]int{0, 1, 3}, tiers: tiersServices, emp: empServices, revEmp: [2]float64{15, 50}, assets: [2]float64{0.5, 1.5}},
}
