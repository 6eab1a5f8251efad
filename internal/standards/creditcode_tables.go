package standards

// creditDepartment is one 登记管理部门 (registration authority) of position 1
// of a unified social credit code with the 机构类别 (organisation category)
// codes allowed in position 2.
type creditDepartment struct {
	name       Msg
	categories map[byte]Msg
	order      string // allowed position-2 codes, in order, for messages
}

// creditDepartments maps position 1 to its registration authority and the
// position-2 categories allowed under it.
//
// Source: GB 32100-2015 §4.2 (登记管理部门码, 机构类别码) and its code
// allocation table (附录A, as extended by the national code allocation for the
// authorities added since: 外交, 司法行政, 文化, 旅游, 宗教, 工会, 中央军委改革和编制办公室,
// 农业). The allowed pairs are exactly those listed in DOMAIN.md.
var creditDepartments = map[byte]creditDepartment{
	'1': {
		name: Msg{"机构编制", "establishment (staffing) authorities"},
		categories: map[byte]Msg{
			'1': {"机关", "government organ"},
			'2': {"事业单位", "public institution"},
			'3': {"中央编办直接管理机构编制的群众团体", "mass organisation whose establishment is managed by the central establishment office"},
			'9': {"其他", "other"},
		},
		order: "1239",
	},
	'2': {
		name: Msg{"外交", "foreign affairs"},
		categories: map[byte]Msg{
			'1': {"外国常住新闻机构", "resident foreign news agency"},
			'9': {"其他", "other"},
		},
		order: "19",
	},
	'3': {
		name: Msg{"司法行政", "judicial administration"},
		categories: map[byte]Msg{
			'1': {"律师执业机构", "law firm"},
			'2': {"公证处", "notary office"},
			'3': {"基层法律服务所", "grassroots legal service office"},
			'4': {"司法鉴定机构", "forensic expertise institution"},
			'5': {"仲裁委员会", "arbitration commission"},
			'9': {"其他", "other"},
		},
		order: "123459",
	},
	'4': {
		name: Msg{"文化", "culture"},
		categories: map[byte]Msg{
			'1': {"外国在华文化中心", "foreign cultural centre in China"},
			'9': {"其他", "other"},
		},
		order: "19",
	},
	'5': {
		name: Msg{"民政", "civil affairs"},
		categories: map[byte]Msg{
			'1': {"社会团体", "social organisation"},
			'2': {"民办非企业单位", "private non-enterprise unit"},
			'3': {"基金会", "foundation"},
			'9': {"其他", "other"},
		},
		order: "1239",
	},
	'6': {
		name: Msg{"旅游", "tourism"},
		categories: map[byte]Msg{
			'1': {"外国旅游部门常驻代表机构", "resident representative office of a foreign tourism authority"},
			'2': {"港澳台地区旅游部门常驻内地（大陆）代表机构", "resident mainland office of a Hong Kong, Macao or Taiwan tourism authority"},
			'9': {"其他", "other"},
		},
		order: "129",
	},
	'7': {
		name: Msg{"宗教", "religious affairs"},
		categories: map[byte]Msg{
			'1': {"宗教活动场所", "venue for religious activities"},
			'2': {"宗教院校", "religious school"},
			'9': {"其他", "other"},
		},
		order: "129",
	},
	'8': {
		name: Msg{"工会", "trade unions"},
		categories: map[byte]Msg{
			'1': {"基层工会", "grassroots trade union"},
			'9': {"其他", "other"},
		},
		order: "19",
	},
	'9': {
		name: Msg{"工商（市场监管）", "industry and commerce (market regulation)"},
		categories: map[byte]Msg{
			'1': {"企业", "enterprise"},
			'2': {"个体工商户", "individual business"},
			'3': {"农民专业合作社", "farmers' specialised cooperative"},
		},
		order: "123",
	},
	'A': {
		name: Msg{"中央军委改革和编制办公室", "Reform and Establishment Office of the Central Military Commission"},
		categories: map[byte]Msg{
			'1': {"军队事业单位", "military public institution"},
			'9': {"其他", "other"},
		},
		order: "19",
	},
	'N': {
		name: Msg{"农业", "agriculture and rural affairs"},
		categories: map[byte]Msg{
			'1': {"组级集体经济组织", "group-level collective economic organisation"},
			'2': {"村级集体经济组织", "village-level collective economic organisation"},
			'3': {"乡镇级集体经济组织", "township-level collective economic organisation"},
			'9': {"其他", "other"},
		},
		order: "1239",
	},
	'Y': {
		name: Msg{"其他", "other"},
		categories: map[byte]Msg{
			'1': {"其他", "other"},
		},
		order: "1",
	},
}

// creditDepartmentOrder lists the valid position-1 codes, in order, for messages.
const creditDepartmentOrder = "123456789ANY"
