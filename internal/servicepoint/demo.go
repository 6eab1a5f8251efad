package servicepoint

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/identity"
)

// EnsureDemo creates the demo network of Beibei district where its points
// are missing: a 街镇公共服务中心 in each of the 17 streets and towns, two or
// three village/community centres in each, six park and business-district
// centres and eight consult/agency points (banks, post offices, 天生创业创新街,
// 西南大学科技园, the federation of industry and commerce). Points whose
// code exists are left as they are, so running it again changes nothing and
// keeps an administrator's edits.
//
// matters is the matter catalogue, code → name; each new point takes in the
// matters its tier and kind suit, chosen by keywords of the names (see
// demoMatters), so the same catalogue always gives the same assignment. A
// map rather than a list of codes, because names are what say which matters
// a bank or a post office can take in.
//
// The points go through Create, validated and audited like real ones, so
// ctx needs a principal with PermCatalogueManage (identity.System("seed")).
func EnsureDemo(ctx context.Context, d *db.DB, s *Service, matters map[string]string) error {
	if !identity.PrincipalFrom(ctx).Can(identity.PermCatalogueManage) {
		return errs.Forbidden()
	}
	existing := map[string]bool{}
	rows, err := d.QueryContext(ctx, "SELECT code FROM service_points")
	if err != nil {
		return fmt.Errorf("demo service points: %w", err)
	}
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			rows.Close()
			return fmt.Errorf("demo service points: %w", err)
		}
		existing[code] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("demo service points: %w", err)
	}
	for _, p := range demoNetwork() {
		if existing[p.code] {
			continue
		}
		lat, lng := p.lat, p.lng
		_, err := s.Create(ctx, PointInput{
			Code: p.code, Name: p.name, NameEn: p.nameEn, Tier: p.tier, AgencyKind: p.kind, StreetCode: p.street,
			Address: p.address, Lat: &lat, Lng: &lng, Hours: p.hours, Phone: p.phone, Contact: p.contact,
			Services: demoServices(p), Description: p.desc, Matters: demoMatters(p, matters),
		})
		if err != nil {
			return fmt.Errorf("demo service point %s: %w", p.code, err)
		}
	}
	return nil
}

// demoServices are the four services by tier: street centres offer all
// four; communities 党务/政务/生活; parks 党务/商务; agency points 商务, post
// offices also 生活 and associations also 党务.
func demoServices(p demoPoint) []string {
	switch p.tier {
	case TierStreet:
		return []string{ServiceParty, ServiceGovernment, ServiceBusiness, ServiceLife}
	case TierCommunity:
		return []string{ServiceParty, ServiceGovernment, ServiceLife}
	case TierPark:
		return []string{ServiceParty, ServiceBusiness}
	}
	switch p.kind {
	case AgencyPost:
		return []string{ServiceBusiness, ServiceLife}
	case AgencyAssociation:
		return []string{ServiceParty, ServiceBusiness}
	}
	return []string{ServiceBusiness}
}

// Keywords that place a matter at a kind of point, matched against its code
// and name in lower case.
var (
	// Matters a street centre does not take in for others: hazardous
	// activities are applied for in person at the department.
	kwInPerson = []string{"危险化学品", "烟花爆竹", "特种设备", "放射", "爆破", "采矿", "hazard"}
	kwLife     = []string{"个体", "社会保险", "社保", "医疗保险", "医保", "就业", "失业", "养老", "退休", "居住", "social", "insurance", "employment"}
	kwFirm     = []string{"企业", "公司", "单位", "设立", "开办", "变更", "注销", "备案", "许可", "税", "发票", "用工", "招聘", "专利",
		"商标", "项目", "施工", "消防", "环评", "排污", "高新", "科技", "人才", "company", "enterprise", "licen", "permit", "tax"}
	kwBank    = []string{"开户", "银行", "账户", "贷款", "融资", "担保", "质押", "企业开办", "设立登记", "bank", "account", "loan"}
	kwPost    = []string{"邮寄", "寄递", "快递", "送达", "证照", "出件", "mail", "post", "delivery", "express"}
	kwStartup = []string{"企业开办", "设立", "变更", "专利", "商标", "科技", "高新", "创业", "人才", "孵化", "startup", "patent", "trademark"}
	kwAssoc   = []string{"企业开办", "设立", "变更", "注销", "许可", "招聘", "用工"}
)

// demoMatters picks, sorted, the catalogue matters point p takes in:
// street centres everything but in-person-only matters; communities
// everyday matters of staff and 个体工商户; parks enterprise matters; banks
// account opening, financing and 企业开办; post offices mail delivery of
// certificates and materials; incubators start-up, IP and science matters;
// associations start-up, change and hiring matters.
func demoMatters(p demoPoint, matters map[string]string) []string {
	out := []string{}
	for code, name := range matters {
		text := strings.ToLower(code + " " + name)
		has := func(kws []string) bool {
			return slices.ContainsFunc(kws, func(kw string) bool { return strings.Contains(text, kw) })
		}
		var ok bool
		switch {
		case has(kwInPerson):
			ok = false
		case p.tier == TierStreet:
			ok = true
		case p.tier == TierCommunity:
			ok = has(kwLife)
		case p.tier == TierPark:
			ok = has(kwFirm)
		case p.kind == AgencyBank:
			ok = has(kwBank)
		case p.kind == AgencyPost:
			ok = has(kwPost)
		case p.kind == AgencyIncubator:
			ok = has(kwStartup)
		case p.kind == AgencyAssociation:
			ok = has(kwAssoc)
		}
		if ok {
			out = append(out, code)
		}
	}
	slices.Sort(out)
	return out
}
