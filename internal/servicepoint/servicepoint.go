// Package servicepoint is the 三级四务 service network: the directory of
// service points at three tiers — 街镇公共服务中心 (street and town public
// service centres), 村/社区便民服务中心 (village and community service
// centres), 园区/商圈党群服务中心 (party-and-public service centres of
// industrial parks and business districts) — plus consult and agency points
// at banks, post offices, incubators and associations. Each point offers some
// of the four services (四务: 党务 party, 政务 government, 商务 business,
// 生活 life) and takes in a set of catalogue matters on an enterprise's
// behalf (代办); case intake asks Accepts whether an agent's point may file a
// matter, and every matter page lists PointsForMatter.
//
// Reading the network is public. Changing it needs
// identity.PermCatalogueManage; every change is audited in the same
// transaction and every refusal is audited on its own.
//
// Coordinates are stored in WGS-84 (as GPS, 天地图/CGCS2000 to within
// centimetres, and HSDS all use it). Chinese consumer maps (高德, 腾讯) draw in
// GCJ-02; convert with ToGCJ02 for display and FromGCJ02 for a position
// picked on such a map.
package servicepoint

import (
	"context"
	"slices"
	"time"

	"github.com/qinqing/qinqing/internal/i18n"
)

// Point is one service point as the directory holds it.
type Point struct {
	ID          int64
	Code        string // stable ASCII code, lower case: agents are bound to a point by it
	Name        string
	NameEn      string
	Tier        string // TierStreet, TierCommunity, TierPark or TierAgency
	AgencyKind  string // for TierAgency only: AgencyBank, AgencyPost …; "" otherwise
	StreetCode  string // 9-digit 统计用区划代码 of the 街道/镇/乡 the point is in
	Address     string
	Lat, Lng    *float64 // WGS-84 decimal degrees; both nil when unknown
	Hours       string   // opening hours as people read them, e.g. "工作日 9:00-12:00 14:00-17:30"
	Phone       string
	Contact     string   // contact person
	Services    []string // subset of Services, in canonical order
	Description string
	Active      bool
	Matters     []string // codes of the matters the point takes in (代办), sorted
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Offers reports whether the point offers service (ServiceParty …).
func (p Point) Offers(service string) bool { return slices.Contains(p.Services, service) }

// Accepts reports whether the point takes in the matter with code.
func (p Point) Accepts(code string) bool { return slices.Contains(p.Matters, code) }

// PointInput is what Create and Update take. Update replaces every field
// (a form posts them all) except Code, which never changes, and Active and
// Matters when they are nil.
type PointInput struct {
	Code        string // required on Create; on Update empty or equal to the current code
	Name        string
	NameEn      string
	Tier        string
	AgencyKind  string
	StreetCode  string // 9-digit street code; a 12-digit 统计用区划代码 ending in 000 is accepted
	Address     string
	Lat, Lng    *float64 // WGS-84; give both or neither
	Hours       string
	Phone       string
	Contact     string
	Services    []string
	Description string
	Active      *bool    // nil: active on Create, unchanged on Update
	Matters     []string // nil: none on Create, unchanged on Update; non-nil replaces the set
}

// Filter narrows List. Empty fields match everything.
type Filter struct {
	Tier       string // one tier
	Street     string // a 9-digit street code, or a 6-digit district code (e.g. "500109") for all its streets
	Service    string // points offering this service
	Matter     string // points that take in this matter code
	ActiveOnly bool
}

// MatterLookup tells whether a matter code is in the catalogue. The matter
// package implements it; a nil MatterLookup skips the check.
type MatterLookup interface {
	MatterExists(ctx context.Context, code string) (bool, error)
}

// MatterNamer is optionally implemented by a MatterLookup so that the HSDS
// export can name the matters a point accepts (otherwise the code stands in
// for the name).
type MatterNamer interface {
	MatterNames(ctx context.Context, codes []string) (map[string]string, error)
}

// Tiers of the network.
const (
	TierStreet    = "street"    // 街镇公共服务中心
	TierCommunity = "community" // 村/社区便民服务中心
	TierPark      = "park"      // 园区/商圈党群服务中心
	TierAgency    = "agency"    // 咨询/代办点
)

// Kinds of agency point.
const (
	AgencyBank        = "bank"
	AgencyPost        = "post"
	AgencyIncubator   = "incubator"
	AgencyAssociation = "association"
	AgencyOther       = "other"
)

// The four services (四务).
const (
	ServiceParty      = "party"      // 党务
	ServiceGovernment = "government" // 政务
	ServiceBusiness   = "business"   // 商务
	ServiceLife       = "life"       // 生活
)

// Option is a coded choice with its display name.
type Option struct {
	Code string
	Name i18n.Msg
}

// Tiers lists the tiers in display (and List) order.
var Tiers = []Option{
	{TierStreet, i18n.M("街镇公共服务中心", "Street/town public service centre")},
	{TierCommunity, i18n.M("村/社区便民服务中心", "Village/community service centre")},
	{TierPark, i18n.M("园区/商圈党群服务中心", "Park/business-district party and public service centre")},
	{TierAgency, i18n.M("咨询/代办点", "Consult and agency point")},
}

// AgencyKinds lists the kinds of agency point.
var AgencyKinds = []Option{
	{AgencyBank, i18n.M("银行网点", "Bank branch")},
	{AgencyPost, i18n.M("邮政网点", "Post office")},
	{AgencyIncubator, i18n.M("孵化器/众创空间", "Incubator")},
	{AgencyAssociation, i18n.M("商会/协会", "Business association")},
	{AgencyOther, i18n.M("其他", "Other")},
}

// Services lists the four services in canonical order.
var Services = []Option{
	{ServiceParty, i18n.M("党务", "Party affairs")},
	{ServiceGovernment, i18n.M("政务", "Government services")},
	{ServiceBusiness, i18n.M("商务", "Business services")},
	{ServiceLife, i18n.M("生活", "Daily-life services")},
}

// Label returns the display name of code among opts, or the code itself.
func Label(opts []Option, code string) i18n.Msg {
	for _, o := range opts {
		if o.Code == code {
			return o.Name
		}
	}
	return i18n.M(code, code)
}

func optionIndex(opts []Option, code string) int {
	return slices.IndexFunc(opts, func(o Option) bool { return o.Code == code })
}
