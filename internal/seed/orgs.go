package seed

import (
	"context"
	"fmt"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/db"
)

// Department is a district government department in the demo data.
type Department struct {
	Code    string // stable ASCII code: pinyin initials, e.g. "SCJGJ" for 区市场监管局
	Name    string
	NameEn  string
	Unit    byte // GB 32100 category under 机构编制: '1' 机关, '2' 事业单位
	Phone   string
	Address string
}

// Departments are Beibei's district departments. Phone numbers follow the
// district's 023-68xxxxxx landlines and addresses are in the district seat;
// both are illustrative, not directory data.
var Departments = []Department{
	{"FGW", "区发展改革委", "District Development and Reform Commission", '1', "023-68862101", "重庆市北碚区碚峡西路 8 号"},
	{"JXW", "区经济信息委", "District Economy and Information Technology Commission", '1', "023-68862135", "重庆市北碚区碚峡西路 8 号"},
	{"KJJ", "区科技局", "District Science and Technology Bureau", '1', "023-68863027", "重庆市北碚区云清路 96 号"},
	{"JW", "区教委", "District Education Commission", '1', "023-68863210", "重庆市北碚区新华路 76 号"},
	{"GAFJ", "区公安分局", "District Public Security Sub-bureau", '1', "023-68864110", "重庆市北碚区中山路 131 号"},
	{"MZJ", "区民政局", "District Civil Affairs Bureau", '1', "023-68862270", "重庆市北碚区北京路 55 号"},
	{"SFJ", "区司法局", "District Justice Bureau", '1', "023-68863348", "重庆市北碚区北京路 57 号"},
	{"CZJ", "区财政局", "District Finance Bureau", '1', "023-68862306", "重庆市北碚区碚峡西路 8 号"},
	{"RSJ", "区人力社保局", "District Human Resources and Social Security Bureau", '1', "023-68863655", "重庆市北碚区云华路 33 号"},
	{"GHZYJ", "区规划自然资源局", "District Planning and Natural Resources Bureau", '1', "023-68864402", "重庆市北碚区嘉陵路 46 号"},
	{"STHJJ", "区生态环境局", "District Ecology and Environment Bureau", '1', "023-68865716", "重庆市北碚区缙云大道 21 号"},
	{"ZJW", "区住房城乡建委", "District Housing and Urban-Rural Development Commission", '1', "023-68862857", "重庆市北碚区嘉陵路 48 号"},
	{"CGJ", "区城市管理局", "District Urban Management Bureau", '1', "023-68866013", "重庆市北碚区朝阳路 29 号"},
	{"JTJ", "区交通局", "District Transport Bureau", '1', "023-68864521", "重庆市北碚区天生路 310 号"},
	{"SLJ", "区水利局", "District Water Resources Bureau", '1', "023-68862941", "重庆市北碚区嘉陵路 52 号"},
	{"NYNCW", "区农业农村委", "District Agriculture and Rural Affairs Commission", '1', "023-68863172", "重庆市北碚区天生路 318 号"},
	{"SWW", "区商务委", "District Commerce Commission", '1', "023-68862688", "重庆市北碚区碚峡西路 8 号"},
	{"WLW", "区文化旅游委", "District Culture and Tourism Commission", '1', "023-68864039", "重庆市北碚区北温泉路 12 号"},
	{"WJW", "区卫生健康委", "District Health Commission", '1', "023-68863392", "重庆市北碚区中山路 166 号"},
	{"TYJRJ", "区退役军人事务局", "District Veterans Affairs Bureau", '1', "023-68866270", "重庆市北碚区北京路 61 号"},
	{"YJJ", "区应急局", "District Emergency Management Bureau", '1', "023-68865119", "重庆市北碚区云清路 102 号"},
	{"SJJ", "区审计局", "District Audit Bureau", '1', "023-68862573", "重庆市北碚区碚峡西路 8 号"},
	{"GZW", "区国资委", "District State-owned Assets Supervision and Administration Commission", '1', "023-68863816", "重庆市北碚区碚峡西路 8 号"},
	{"SCJGJ", "区市场监管局", "District Market Regulation Bureau", '1', "023-68865315", "重庆市北碚区云华路 51 号"},
	{"TJJ", "区统计局", "District Statistics Bureau", '1', "023-68862452", "重庆市北碚区碚峡西路 8 号"},
	{"YBJ", "区医保局", "District Healthcare Security Bureau", '1', "023-68866530", "重庆市北碚区云华路 35 号"},
	{"LYJ", "区林业局", "District Forestry Bureau", '1', "023-68864765", "重庆市北碚区缙云大道 25 号"},
	{"JGSWJ", "区机关事务局", "District Government Offices Administration", '1', "023-68862019", "重庆市北碚区碚峡西路 8 号"},
	{"DSJJ", "区大数据发展局", "District Big Data Development Bureau", '1', "023-68865582", "重庆市北碚区云汉大道 117 号"},
	{"ZWFWZX", "区政务服务中心（区政务服务管理办公室）", "District Government Service Centre (Government Service Management Office)", '2', "023-68868345", "重庆市北碚区云华路 1 号"},
	{"SWJ", "区税务局", "District Taxation Bureau", '1', "023-68863366", "重庆市北碚区新华路 88 号"},
	{"XFJYZD", "区消防救援支队", "District Fire and Rescue Detachment", '1', "023-68867119", "重庆市北碚区龙凤大道 19 号"},
	{"GJJZX", "区公积金中心", "District Housing Provident Fund Centre", '2', "023-68866851", "重庆市北碚区云华路 37 号"},
}

// creditCode returns the department's (illustrative) unified social credit
// code: registered with 机构编制 ('1'), as a 机关 or 事业单位, in Beibei.
func (dep Department) creditCode(i int) string {
	return creditCode("1"+string(dep.Unit), beibei, fmt.Sprintf("0093%04d", 1207+i*37))
}

// Institution is a financial institution in the demo data.
type Institution struct {
	Code   string
	Name   string
	NameEn string
	Kind   string // "bank" or "guarantee"
	Phone  string
}

// Institutions are banks and financing bodies with branches in Beibei.
var Institutions = []Institution{
	{"CQRCB_BB", "重庆农村商业银行北碚支行", "Chongqing Rural Commercial Bank, Beibei Branch", "bank", "023-68221961"},
	{"ICBC_BB", "中国工商银行重庆北碚支行", "ICBC Chongqing Beibei Sub-branch", "bank", "023-68223302"},
	{"CCB_BB", "中国建设银行重庆北碚支行", "China Construction Bank Chongqing Beibei Sub-branch", "bank", "023-68224516"},
	{"ABC_BB", "中国农业银行重庆北碚支行", "Agricultural Bank of China Chongqing Beibei Sub-branch", "bank", "023-68225087"},
	{"BOC_BB", "中国银行重庆北碚支行", "Bank of China Chongqing Beibei Sub-branch", "bank", "023-68226218"},
	{"BOCQ_BB", "重庆银行北碚支行", "Bank of Chongqing, Beibei Sub-branch", "bank", "023-68227345"},
	{"PSBC_BB", "中国邮政储蓄银行北碚区支行", "Postal Savings Bank of China, Beibei District Sub-branch", "bank", "023-68228163"},
	{"CQTGB_BB", "重庆三峡银行北碚支行", "Chongqing Three Gorges Bank, Beibei Sub-branch", "bank", "023-68229420"},
	{"BB_GUAR", "重庆市北碚区融资担保有限公司", "Beibei District Financing Guarantee Co.", "guarantee", "023-68869036"},
	{"XN_GUAR_BB", "重庆兴农融资担保北碚业务部", "Chongqing Xingnong Financing Guarantee, Beibei Office", "guarantee", "023-68869152"},
}

// LoadOrgs inserts the departments and institutions that are missing, with
// one audit record for the step.
func LoadOrgs(ctx context.Context, d *db.DB) error {
	return d.InTx(ctx, func(tx *db.Tx) error {
		deps, insts := 0, 0
		for i, dep := range Departments {
			res, err := tx.ExecContext(ctx, `INSERT INTO departments (code, name, name_en, credit_code, phone, address, sort)
				VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING`,
				dep.Code, dep.Name, dep.NameEn, dep.creditCode(i), dep.Phone, dep.Address, (i+1)*10)
			if err != nil {
				return fmt.Errorf("department %s: %w", dep.Code, err)
			}
			n, _ := res.RowsAffected()
			deps += int(n)
		}
		for i, in := range Institutions {
			res, err := tx.ExecContext(ctx, `INSERT INTO institutions (code, name, name_en, kind, phone, sort)
				VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING`,
				in.Code, in.Name, in.NameEn, in.Kind, in.Phone, (i+1)*10)
			if err != nil {
				return fmt.Errorf("institution %s: %w", in.Code, err)
			}
			n, _ := res.RowsAffected()
			insts += int(n)
		}
		if deps+insts == 0 {
			return nil
		}
		return audit.Write(ctx, tx, audit.Event{Action: "seed.organisations", ObjectType: "department",
			Detail: map[string]any{"departments": deps, "institutions": insts}})
	})
}
