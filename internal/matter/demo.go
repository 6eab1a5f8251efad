package matter

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
)

// The demo catalogue is Beibei district's (北碚区, Chongqing) matters for
// enterprises, written by theme in demo_*.go. Its department codes are those
// of the seed package's departments (seed imports nothing of this package
// and this package nothing of seed, so the codes are repeated here; a test
// checks that they match).
const (
	depFGW    = "FGW"    // 区发展改革委
	depJXW    = "JXW"    // 区经济信息委
	depKJJ    = "KJJ"    // 区科技局
	depJW     = "JW"     // 区教委
	depGAFJ   = "GAFJ"   // 区公安分局
	depMZJ    = "MZJ"    // 区民政局
	depCZJ    = "CZJ"    // 区财政局
	depRSJ    = "RSJ"    // 区人力社保局
	depGHZYJ  = "GHZYJ"  // 区规划自然资源局
	depSTHJJ  = "STHJJ"  // 区生态环境局
	depZJW    = "ZJW"    // 区住房城乡建委
	depCGJ    = "CGJ"    // 区城市管理局
	depJTJ    = "JTJ"    // 区交通局
	depSLJ    = "SLJ"    // 区水利局
	depNYNCW  = "NYNCW"  // 区农业农村委
	depSWW    = "SWW"    // 区商务委
	depWLW    = "WLW"    // 区文化旅游委
	depWJW    = "WJW"    // 区卫生健康委
	depYJJ    = "YJJ"    // 区应急局
	depSCJGJ  = "SCJGJ"  // 区市场监管局
	depTJJ    = "TJJ"    // 区统计局
	depYBJ    = "YBJ"    // 区医保局
	depLYJ    = "LYJ"    // 区林业局
	depZWFWZX = "ZWFWZX" // 区政务服务中心
	depSWJ    = "SWJ"    // 区税务局
	depXFJYZD = "XFJYZD" // 区消防救援支队
	depGJJZX  = "GJJZX"  // 区公积金中心
)

// demoDept is what the demo fills in from a matter's department: its
// number in the demo's basic codes, its consultation phone (the
// department's number in seed.Departments) and where applications go.
type demoDept struct {
	no       int
	phone    string
	location string
}

const (
	hallLocation = "北碚区政务服务中心综合受理窗口（重庆市北碚区云华路 1 号）；渝快办网上办理"
	demoHours    = "法定工作日 上午 9:00—12:00，下午 13:30—17:30；网上申请 24 小时受理"
	demoRegion   = "500109" // GB/T 2260: 重庆市北碚区
	// ComplaintHotline is the Chongqing government service hotline.
	complaintHotline = "12345"
)

var demoDepts = map[string]demoDept{
	depFGW: {1, "023-68862101", hallLocation}, depJXW: {2, "023-68862135", hallLocation},
	depKJJ: {3, "023-68863027", hallLocation}, depJW: {4, "023-68863210", hallLocation},
	depGAFJ:  {5, "023-68864110", "北碚区政务服务中心公安窗口（重庆市北碚区云华路 1 号）；渝快办网上办理"},
	depMZJ:   {6, "023-68862270", hallLocation},
	depCZJ:   {8, "023-68862306", hallLocation},
	depRSJ:   {9, "023-68863655", "北碚区政务服务中心人力社保窗口（重庆市北碚区云华路 1 号）；重庆人社网上办事大厅"},
	depGHZYJ: {10, "023-68864402", hallLocation}, depSTHJJ: {11, "023-68865716", hallLocation},
	depZJW: {12, "023-68862857", hallLocation}, depCGJ: {13, "023-68866013", hallLocation},
	depJTJ: {14, "023-68864521", hallLocation}, depSLJ: {15, "023-68862941", hallLocation},
	depNYNCW: {16, "023-68863172", hallLocation}, depSWW: {17, "023-68862688", hallLocation},
	depWLW: {18, "023-68864039", hallLocation}, depWJW: {19, "023-68863392", hallLocation},
	depYJJ: {21, "023-68865119", hallLocation}, depSCJGJ: {24, "023-68865315", hallLocation},
	depTJJ: {25, "023-68862452", hallLocation}, depYBJ: {26, "023-68866530", hallLocation},
	depLYJ: {27, "023-68864765", hallLocation}, depZWFWZX: {30, "023-68868345", hallLocation},
	depSWJ:    {31, "023-68863366", "国家税务总局重庆市北碚区税务局办税服务厅（重庆市北碚区新华路 88 号）；重庆市电子税务局"},
	depXFJYZD: {32, "023-68867119", hallLocation},
	depGJJZX:  {33, "023-68866851", "北碚区住房公积金服务窗口（重庆市北碚区云华路 37 号）；住房公积金网上服务大厅"},
}

// DemoDepartmentCodes lists the department codes the demo catalogue uses.
func DemoDepartmentCodes() []string {
	var out []string
	for c := range demoDepts {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// DemoDepartmentPhone is the phone the demo uses for a department.
func DemoDepartmentPhone(code string) string { return demoDepts[code].phone }

// demoMatter is a demo entry: a stable key bundles refer to, the main and
// business-item numbers its basic code is built from, and its elements
// (codes, location, hours, phones and process filled in by fill).
type demoMatter struct {
	key        string
	main, item int
	in         MatterInput
}

func dm(dep, key string, main, item int, in MatterInput) demoMatter {
	in.DepartmentCode = dep
	return demoMatter{key: key, main: main, item: item, in: in}
}

// demoBasicCode builds a basic code: the type prefix, the department's
// number, a 3-digit main item, sub-item 000 and a 2-digit business item.
func demoBasicCode(d demoMatter) string {
	prefix := "99"
	for _, t := range Types {
		if t.Code == d.in.Type {
			prefix = t.Prefix
		}
	}
	return fmt.Sprintf("%s%02d%03d000%02d", prefix, demoDepts[d.in.DepartmentCode].no, d.main, d.item)
}

// fill completes a demo entry with what every matter of its department shares.
func (d demoMatter) fill() MatterInput {
	in := d.in
	dep := demoDepts[in.DepartmentCode]
	in.BasicCode = demoBasicCode(d)
	in.Code = in.BasicCode + demoRegion + "01"
	if in.ExerciseLevel == "" {
		in.ExerciseLevel = "district"
	}
	if in.Location == "" {
		in.Location = dep.location
	}
	if in.Hours == "" {
		in.Hours = demoHours
	}
	if in.ConsultPhone == "" {
		in.ConsultPhone = dep.phone
	}
	if in.ComplaintPhone == "" {
		in.ComplaintPhone = complaintHotline
	}
	if in.Process == "" {
		in.Process = defaultProcess(in)
	}
	if in.NameEn == "" {
		in.NameEn = in.Name
	}
	in.ChangeNote = "演示目录初始版本"
	return in
}

func defaultProcess(in MatterInput) string {
	deliver := "窗口领取"
	if in.MailDelivery {
		deliver = "窗口领取或免费邮寄"
	}
	if in.ResultName == "" {
		deliver = "办理结果通过渝快办推送"
	}
	if in.CommittedLimitDays == 0 {
		return "申请人通过渝快办或综合窗口提交申请→窗口审核材料→当场办结→" + deliver
	}
	return "申请人通过渝快办或综合窗口提交申请→综合窗口受理（材料齐全、符合法定形式的当场受理）→" +
		"部门后台审查（需要时现场核查）→作出决定→" + deliver
}

// demoEntries lists every demo entry, theme by theme.
func demoEntries() []demoMatter {
	var all []demoMatter
	for _, part := range [][]demoMatter{
		demoStartup(), demoMarket(), demoFoodDrug(), demoTax(), demoLabour(), demoConstruction(),
		demoProperty(), demoEnvironment(), demoUrban(), demoSectors(), demoRural(), demoEconomy(),
	} {
		all = append(all, part...)
	}
	return all
}

// DemoCatalogue returns Beibei's demo matters, ready for Create.
func DemoCatalogue() []MatterInput {
	entries := demoEntries()
	out := make([]MatterInput, len(entries))
	for i, d := range entries {
		out[i] = d.fill()
	}
	return out
}

// demoCodes maps demo keys to 实施编码.
func demoCodes() map[string]string {
	out := map[string]string{}
	for _, d := range demoEntries() {
		out[d.key] = d.fill().Code
	}
	return out
}

// EnsureDemo loads the demo catalogue and bundles unless they are present:
// matters and bundles whose codes exist are left alone, so running it again
// changes nothing. Everything missing is created in one transaction through
// the same validation and audit as Create. The departments must exist
// already (the seed loads them); the ctx must carry a principal allowed to
// manage the catalogue (e.g. identity.System("seed")).
func EnsureDemo(ctx context.Context, d *db.DB, s *Service) error {
	if !identity.PrincipalFrom(ctx).Can(identity.PermCatalogueManage) {
		return errs.Forbidden()
	}
	var created, bundles []string
	err := d.InTx(ctx, func(tx *db.Tx) error {
		deps, err := departmentCodes(ctx, tx)
		if err != nil {
			return err
		}
		var missing []string
		for _, c := range DemoDepartmentCodes() {
			if !deps[c] {
				missing = append(missing, c)
			}
		}
		if len(missing) > 0 {
			return errs.Conflict("departments_missing", i18n.M("缺少部门："+strings.Join(missing, "、")+"，请先载入部门数据",
				"Departments missing: "+strings.Join(missing, ", ")+"; load the departments first"))
		}
		have, err := existing(ctx, tx, "SELECT code FROM matters")
		if err != nil {
			return err
		}
		now := s.now()
		for _, in := range DemoCatalogue() {
			if have[in.Code] {
				continue
			}
			if _, err := s.createTx(ctx, tx, in, now); err != nil {
				return fmt.Errorf("demo matter %s (%s): %w", in.Code, in.Name, err)
			}
			created = append(created, in.Code)
		}
		haveBundles, err := existing(ctx, tx, "SELECT code FROM bundles")
		if err != nil {
			return err
		}
		for _, b := range DemoBundles() {
			if haveBundles[b.Code] {
				continue
			}
			if _, err := s.createBundleTx(ctx, tx, b); err != nil {
				return fmt.Errorf("demo bundle %s: %w", b.Code, err)
			}
			bundles = append(bundles, b.Code)
		}
		if len(created)+len(bundles) == 0 {
			return nil
		}
		return audit.Write(ctx, tx, audit.Event{Action: "seed.catalogue", ObjectType: "matter",
			Detail: map[string]any{"matters": len(created), "bundles": len(bundles)}})
	})
	if err != nil {
		return fmt.Errorf("demo catalogue: %w", err)
	}
	for _, c := range created {
		s.changed(ctx, c)
	}
	for _, c := range bundles {
		s.bundleChanged(ctx, c)
	}
	return nil
}

func existing(ctx context.Context, q db.Queryer, query string) (map[string]bool, error) {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out[c] = true
	}
	return out, rows.Err()
}
