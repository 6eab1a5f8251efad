package servicepoint

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/standards"
)

var (
	// codeRE: lower-case ASCII letters, digits and inner hyphens, 3–48 long,
	// so a code is safe in URLs, file names and account bindings.
	codeRE   = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,46}[a-z0-9]$`)
	mobileRE = regexp.MustCompile(`^1[3-9]\d{9}$`)
	// Landlines: area code 0xx(x) with 7–8 digits, optional extension; 400/800 lines.
	landRE = regexp.MustCompile(`^(0\d{2,3}-?)?\d{7,8}(-\d{1,6})?$|^[48]00-?\d{3}-?\d{4}$`)
)

// Chongqing's extent (28°10′–32°13′ N, 105°11′–110°11′ E), slightly widened:
// every point is in a Chongqing street, so a coordinate outside it is a typo
// or latitude and longitude swapped.
const (
	minLat, maxLat = 28.1, 32.3
	minLng, maxLng = 105.1, 110.3
)

// normalised is a validated PointInput.
type normalised struct {
	p       Point // every field but ID, Active, Matters and timestamps
	active  *bool
	matters []string // nil when not being changed
}

// normalise trims and checks every field of in, collecting every error in f.
func normalise(in PointInput, f errs.Fields) normalised {
	var n normalised
	p := &n.p
	p.Code = strings.ToLower(strings.TrimSpace(in.Code))
	switch {
	case p.Code == "":
		f.Add("code", i18n.M("必填", "Required"))
	case !codeRE.MatchString(p.Code):
		f.Add("code", i18n.M("编码应为 3–48 位小写字母、数字或连字符，且不以连字符开头或结尾",
			"Code must be 3–48 lower-case letters, digits or hyphens, not starting or ending with a hyphen"))
	}
	text := func(v, field string, max int, required bool) string {
		v = strings.TrimSpace(v)
		switch {
		case v == "" && required:
			f.Add(field, i18n.M("必填", "Required"))
		case utf8.RuneCountInString(v) > max:
			f.Add(field, i18n.M(fmt.Sprintf("不能超过 %d 个字", max), fmt.Sprintf("At most %d characters", max)))
		}
		return v
	}
	p.Name = text(in.Name, "name", 100, true)
	p.NameEn = text(in.NameEn, "name_en", 200, false)
	p.Address = text(in.Address, "address", 200, true)
	p.Hours = text(in.Hours, "hours", 200, false)
	p.Contact = text(in.Contact, "contact", 50, false)
	p.Description = text(in.Description, "description", 2000, false)

	p.Tier = strings.TrimSpace(in.Tier)
	if optionIndex(Tiers, p.Tier) < 0 {
		f.Add("tier", i18n.M("层级应为 street、community、park 或 agency", "Tier must be street, community, park or agency"))
	}
	p.AgencyKind = strings.TrimSpace(in.AgencyKind)
	switch {
	case p.Tier == TierAgency && p.AgencyKind == "":
		f.Add("agency_kind", i18n.M("咨询/代办点须注明类型", "An agency point needs a kind"))
	case p.Tier == TierAgency && optionIndex(AgencyKinds, p.AgencyKind) < 0:
		f.Add("agency_kind", i18n.M("类型应为 bank、post、incubator、association 或 other",
			"Kind must be bank, post, incubator, association or other"))
	case p.Tier != TierAgency && p.AgencyKind != "":
		f.Add("agency_kind", i18n.M("只有咨询/代办点有类型", "Only agency points have a kind"))
	}

	p.StreetCode = normaliseStreet(in.StreetCode, f)
	p.Lat, p.Lng = checkCoords(in.Lat, in.Lng, f)

	p.Phone = strings.ReplaceAll(strings.TrimSpace(in.Phone), " ", "")
	if p.Phone != "" && !mobileRE.MatchString(p.Phone) && !landRE.MatchString(p.Phone) {
		f.Add("phone", i18n.M("请填写 11 位手机号或带区号的固定电话，如 023-68862000",
			"Enter an 11-digit mobile number or a landline with area code, e.g. 023-68862000"))
	}

	p.Services = normaliseServices(in.Services, f)
	n.active = in.Active
	if in.Matters != nil {
		n.matters = normaliseCodes(in.Matters)
	}
	return n
}

// normaliseStreet accepts a Chongqing 街道/镇/乡 code (9 digits, or 12 with
// a 000 village part) and returns its 9-digit form.
func normaliseStreet(code string, f errs.Fields) string {
	code = strings.TrimSpace(code)
	if code == "" {
		f.Add("street_code", i18n.M("必填", "Required"))
		return ""
	}
	r, ok := standards.LookupRegion(code)
	if !ok || r.Level != standards.RegionStreet {
		f.Add("street_code", i18n.M("应为重庆市的街道、镇或乡的 9 位区划代码，如 500109001（北碚区天生街道）",
			"Must be the 9-digit code of a street, town or township in Chongqing, e.g. 500109001 (Tiansheng street, Beibei)"))
		return code
	}
	return r.Code
}

func checkCoords(lat, lng *float64, f errs.Fields) (*float64, *float64) {
	if lat == nil && lng == nil {
		return nil, nil
	}
	if lat == nil || lng == nil {
		f.Add("coordinates", i18n.M("经度和纬度须同时填写", "Give both latitude and longitude"))
		return nil, nil
	}
	ok := func(v, lo, hi float64) bool { return !math.IsNaN(v) && v >= lo && v <= hi }
	if !ok(*lat, minLat, maxLat) {
		f.Add("lat", i18n.M(fmt.Sprintf("纬度应在重庆市范围内（北纬 %.1f–%.1f 度）", minLat, maxLat),
			fmt.Sprintf("Latitude must be within Chongqing (%.1f–%.1f° N)", minLat, maxLat)))
	}
	if !ok(*lng, minLng, maxLng) {
		f.Add("lng", i18n.M(fmt.Sprintf("经度应在重庆市范围内（东经 %.1f–%.1f 度）", minLng, maxLng),
			fmt.Sprintf("Longitude must be within Chongqing (%.1f–%.1f° E)", minLng, maxLng)))
	}
	a, b := *lat, *lng
	return &a, &b
}

// normaliseServices checks the services against the four and returns them
// de-duplicated in canonical order.
func normaliseServices(in []string, f errs.Fields) []string {
	var bad []string
	seen := map[string]bool{}
	for _, s := range in {
		s = strings.TrimSpace(s)
		if optionIndex(Services, s) < 0 {
			bad = append(bad, s)
			continue
		}
		seen[s] = true
	}
	switch {
	case len(bad) > 0:
		f.Add("services", i18n.M("未知的服务类型："+strings.Join(bad, "、")+"（应为 party、government、business、life）",
			"Unknown services: "+strings.Join(bad, ", ")+" (must be party, government, business or life)"))
	case len(seen) == 0:
		f.Add("services", i18n.M("至少提供一项服务（党务、政务、商务、生活）", "Offer at least one of the four services"))
	}
	out := []string{}
	for _, o := range Services {
		if seen[o.Code] {
			out = append(out, o.Code)
		}
	}
	return out
}

// normaliseCodes trims, drops empties and de-duplicates matter codes, sorted.
func normaliseCodes(in []string) []string {
	out := make([]string, 0, len(in))
	for _, c := range in {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// checkMatters asks the catalogue about every code and reports the unknown
// ones in f. It runs before the write transaction opens, so that a lookup
// reading through the database never waits on our own writer.
func (s *Service) checkMatters(ctx context.Context, codes []string, f errs.Fields) error {
	if s.matters == nil {
		return nil
	}
	var unknown []string
	for _, c := range codes {
		ok, err := s.matters.MatterExists(ctx, c)
		if err != nil {
			return fmt.Errorf("look up matter %s: %w", c, err)
		}
		if !ok {
			unknown = append(unknown, c)
		}
	}
	if len(unknown) > 0 {
		f.Add("matters", i18n.M("事项目录中没有这些事项："+strings.Join(unknown, "、"),
			"Not in the matter catalogue: "+strings.Join(unknown, ", ")))
	}
	return nil
}
