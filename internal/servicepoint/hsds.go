package servicepoint

import (
	"context"
	"crypto/sha1"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/qinqing/qinqing/internal/standards"
)

// The export follows the Open Referral Human Services Data Specification
// 3.0 (HSDS, github.com/openreferral/specification, branch 3.0) in its
// canonical JSON serialisation. The document is a JSON array of
// organization records in the fully nested "organization full" shape of
// the 3.0 API reference (examples/organization_full.json): one
// organization — the district government service centre that runs the
// network — with
//
//   - locations: one per active point (location_type "physical"), with its
//     address, phone, opening hours as schedules, and attributes for its
//     tier, agency kind and the matters it takes in (代办);
//   - services: the four services 党务/政务/商务/生活 as four HSDS services,
//     each with a service_at_location per active point offering it, linked
//     by location_id to the location above (not nested again, which would
//     repeat every location up to four times).
//
// Every id is a UUIDv5 derived from a stable name (a point's code, a
// service's code…), so the same network exports the same ids on every run
// and every node. Coordinates are WGS-84, as HSDS requires.

// hsdsNamespace is the UUIDv5 namespace of the platform's HSDS ids:
// UUIDv5(NameSpaceURL, "https://github.com/qinqing/qinqing/hsds").
var hsdsNamespace = uuid5(nameSpaceURL, "https://github.com/qinqing/qinqing/hsds")

// nameSpaceURL is RFC 4122 / RFC 9562's namespace for URLs.
var nameSpaceURL = [16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}

// uuid5 is the name-based UUID of RFC 9562 §5.5 (SHA-1).
func uuid5(ns [16]byte, name string) [16]byte {
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(name))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50 // version 5
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	return u
}

func uuidString(u [16]byte) string {
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

// hsdsID is the id of the HSDS record of kind named key, e.g.
// hsdsID("location", "street-500109001").
func hsdsID(kind, key string) string { return uuidString(uuid5(hsdsNamespace, kind+":"+key)) }

// locationUUID is the HSDS location id of the point with code: stable
// across exports, so other directories can keep their links to it.
func locationUUID(code string) string { return hsdsID("location", code) }

// The organization that runs the network. Its phone and address are those
// of the district government service centre (see internal/seed).
const (
	orgKey         = "500109"
	orgName        = "重庆市北碚区政务服务中心"
	orgAltName     = "北碚区民营经济发展服务中心"
	orgPhone       = "023-68868345"
	orgDescription = "北碚区“三级四务”民营经济服务网络：街镇公共服务中心、村/社区便民服务中心、园区/商圈党群服务中心，" +
		"以及银行、邮政、孵化器等咨询/代办点，就近为企业提供党务、政务、商务、生活四类服务，并代办政务服务事项。" +
		" The Beibei district service network for private enterprises: street and town centres, village and community " +
		"centres, park and business-district centres, and consult/agency points at banks, post offices and incubators."
)

// serviceDescriptions describe the four HSDS services.
var serviceDescriptions = map[string]string{
	ServiceParty:      "党务服务：非公企业党建指导、党员组织关系接转、党群活动阵地。Party-building guidance for private firms and transfers of party membership.",
	ServiceGovernment: "政务服务：政务服务事项咨询、帮办代办、证照材料收取与发放。Advice on and agency filing of government-service matters, intake and hand-out of documents.",
	ServiceBusiness:   "商务服务：政策解读与兑现指引、融资对接、招聘用工、创业孵化。Policy guidance, financing matchmaking, recruitment and start-up support.",
	ServiceLife:       "生活服务：社保医保、就业、便民缴费等员工与居民日常事务。Social and medical insurance, employment and everyday errands for staff and residents.",
}

// Taxonomies used by location and service attributes.
var (
	taxTier     = hsdsTaxonomy{ID: hsdsID("taxonomy", "tier"), Name: "亲清三级四务服务点层级"}
	taxAgency   = hsdsTaxonomy{ID: hsdsID("taxonomy", "agency_kind"), Name: "亲清咨询/代办点类型"}
	taxServices = hsdsTaxonomy{ID: hsdsID("taxonomy", "services"), Name: "亲清四务"}
	taxMatters  = hsdsTaxonomy{ID: hsdsID("taxonomy", "matters"), Name: "北碚区政务服务事项目录"}
)

type hsdsOrganization struct {
	ID            string         `json:"id"`
	Name          string         `json:"name"`
	AlternateName string         `json:"alternate_name,omitempty"`
	Description   string         `json:"description"`
	Phones        []hsdsPhone    `json:"phones,omitempty"`
	Locations     []hsdsLocation `json:"locations"`
	Services      []hsdsService  `json:"services"`
}

type hsdsLocation struct {
	ID                     string          `json:"id"`
	LocationType           string          `json:"location_type"`
	OrganizationID         string          `json:"organization_id"`
	Name                   string          `json:"name"`
	AlternateName          string          `json:"alternate_name,omitempty"`
	Description            string          `json:"description,omitempty"`
	Latitude               *float64        `json:"latitude,omitempty"`
	Longitude              *float64        `json:"longitude,omitempty"`
	ExternalIdentifier     string          `json:"external_identifier"`
	ExternalIdentifierType string          `json:"external_identifier_type"`
	Addresses              []hsdsAddress   `json:"addresses"`
	Phones                 []hsdsPhone     `json:"phones,omitempty"`
	Schedules              []hsdsSchedule  `json:"schedules,omitempty"`
	Attributes             []hsdsAttribute `json:"attributes,omitempty"`
}

type hsdsAddress struct {
	ID            string `json:"id"`
	LocationID    string `json:"location_id"`
	Address1      string `json:"address_1"`
	Address2      string `json:"address_2,omitempty"`
	City          string `json:"city"`
	Region        string `json:"region,omitempty"`
	StateProvince string `json:"state_province"`
	PostalCode    string `json:"postal_code"`
	Country       string `json:"country"`
	AddressType   string `json:"address_type"`
}

type hsdsPhone struct {
	ID             string `json:"id"`
	LocationID     string `json:"location_id,omitempty"`
	OrganizationID string `json:"organization_id,omitempty"`
	Number         string `json:"number"`
	Type           string `json:"type"`
}

type hsdsSchedule struct {
	ID          string `json:"id"`
	LocationID  string `json:"location_id"`
	Freq        string `json:"freq,omitempty"`
	Byday       string `json:"byday,omitempty"`
	Timezone    *int   `json:"timezone,omitempty"`
	OpensAt     string `json:"opens_at,omitempty"`
	ClosesAt    string `json:"closes_at,omitempty"`
	Description string `json:"description"`
	Notes       string `json:"notes,omitempty"`
}

type hsdsService struct {
	ID                 string                  `json:"id"`
	OrganizationID     string                  `json:"organization_id"`
	Name               string                  `json:"name"`
	AlternateName      string                  `json:"alternate_name"`
	Description        string                  `json:"description"`
	Status             string                  `json:"status"`
	Attributes         []hsdsAttribute         `json:"attributes"`
	ServiceAtLocations []hsdsServiceAtLocation `json:"service_at_locations"`
}

type hsdsServiceAtLocation struct {
	ID          string `json:"id"`
	ServiceID   string `json:"service_id"`
	LocationID  string `json:"location_id"`
	Description string `json:"description"`
}

type hsdsAttribute struct {
	ID             string           `json:"id"`
	LinkID         string           `json:"link_id"`
	LinkType       string           `json:"link_type"`
	LinkEntity     string           `json:"link_entity"`
	TaxonomyTermID string           `json:"taxonomy_term_id"`
	TaxonomyTerm   hsdsTaxonomyTerm `json:"taxonomy_term"`
}

// hsdsTaxonomyTerm names its taxonomy (taxonomy, taxonomy_id) without
// nesting the taxonomy record (taxonomy_detail) in every attribute: with a
// full catalogue that would repeat it thousands of times.
type hsdsTaxonomyTerm struct {
	ID          string `json:"id"`
	Code        string `json:"code"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Taxonomy    string `json:"taxonomy"`
	TaxonomyID  string `json:"taxonomy_id"`
	Language    string `json:"language"`
}

type hsdsTaxonomy struct {
	ID, Name string
}

// ExportHSDS writes the active network as an HSDS 3.0 JSON document (see
// the comment at the top of this file for its shape) to w.
func (s *Service) ExportHSDS(ctx context.Context, w io.Writer) error {
	points, err := s.List(ctx, Filter{ActiveOnly: true})
	if err != nil {
		return fmt.Errorf("export hsds: %w", err)
	}
	names, err := s.matterNames(ctx, points)
	if err != nil {
		return fmt.Errorf("export hsds: %w", err)
	}
	org := hsdsOrganization{
		ID: hsdsID("organization", orgKey), Name: orgName, AlternateName: orgAltName, Description: orgDescription,
		Locations: []hsdsLocation{}, Services: []hsdsService{},
	}
	org.Phones = []hsdsPhone{{ID: hsdsID("phone", "organization:"+orgKey), OrganizationID: org.ID, Number: orgPhone, Type: "voice"}}
	for _, p := range points {
		org.Locations = append(org.Locations, hsdsLocationOf(p, org.ID, names))
	}
	for _, o := range Services {
		svc := hsdsService{
			ID: hsdsID("service", o.Code), OrganizationID: org.ID, Name: o.Name.Zh + "服务", AlternateName: o.Name.En,
			Description: serviceDescriptions[o.Code], Status: "active", ServiceAtLocations: []hsdsServiceAtLocation{},
		}
		svc.Attributes = []hsdsAttribute{attribute(svc.ID, "service", "service_category", taxServices, o.Code, o.Name.Zh, o.Name.En)}
		for _, p := range points {
			if p.Offers(o.Code) {
				svc.ServiceAtLocations = append(svc.ServiceAtLocations, hsdsServiceAtLocation{
					ID: hsdsID("service_at_location", p.Code+":"+o.Code), ServiceID: svc.ID, LocationID: locationUUID(p.Code),
					Description: p.Name + "提供" + o.Name.Zh + "服务",
				})
			}
		}
		org.Services = append(org.Services, svc)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode([]hsdsOrganization{org}); err != nil {
		return fmt.Errorf("export hsds: %w", err)
	}
	return nil
}

// matterNames names the matters of points when the lookup can.
func (s *Service) matterNames(ctx context.Context, points []Point) (map[string]string, error) {
	namer, ok := s.matters.(MatterNamer)
	if !ok {
		return nil, nil
	}
	seen := map[string]bool{}
	var codes []string
	for _, p := range points {
		for _, c := range p.Matters {
			if !seen[c] {
				seen[c] = true
				codes = append(codes, c)
			}
		}
	}
	if len(codes) == 0 {
		return nil, nil
	}
	return namer.MatterNames(ctx, codes)
}

func hsdsLocationOf(p Point, orgID string, matterNames map[string]string) hsdsLocation {
	id := locationUUID(p.Code)
	tier := Label(Tiers, p.Tier)
	loc := hsdsLocation{
		ID: id, LocationType: "physical", OrganizationID: orgID, Name: p.Name, AlternateName: p.NameEn,
		Description: p.Description, Latitude: p.Lat, Longitude: p.Lng,
		ExternalIdentifier: p.Code, ExternalIdentifierType: "qinqing_service_point_code",
		Addresses: []hsdsAddress{hsdsAddressOf(p, id)},
	}
	if loc.Description == "" {
		loc.Description = tier.Zh + " " + tier.En
	}
	if p.Phone != "" {
		loc.Phones = []hsdsPhone{{ID: hsdsID("phone", p.Code), LocationID: id, Number: p.Phone, Type: "voice"}}
	}
	loc.Schedules = hsdsSchedules(p, id)
	loc.Attributes = append(loc.Attributes, attribute(id, "location", "service_point_tier", taxTier, p.Tier, tier.Zh, tier.En))
	if p.AgencyKind != "" {
		k := Label(AgencyKinds, p.AgencyKind)
		loc.Attributes = append(loc.Attributes, attribute(id, "location", "agency_kind", taxAgency, p.AgencyKind, k.Zh, k.En))
	}
	for _, c := range p.Matters {
		name := matterNames[c]
		if name == "" {
			name = c
		}
		loc.Attributes = append(loc.Attributes, attribute(id, "location", "accepts_matter", taxMatters, c, name,
			"政务服务事项 "+name+"（编码 "+c+"），本服务点可代办。Government-service matter "+c+", taken in here on an enterprise's behalf."))
	}
	return loc
}

// attribute links the record linkID of entity to term code of tax.
func attribute(linkID, entity, linkType string, tax hsdsTaxonomy, code, name, description string) hsdsAttribute {
	termID := hsdsID("taxonomy_term", tax.ID+":"+code)
	return hsdsAttribute{
		ID: hsdsID("attribute", linkID+":"+termID), LinkID: linkID, LinkType: linkType, LinkEntity: entity, TaxonomyTermID: termID,
		TaxonomyTerm: hsdsTaxonomyTerm{ID: termID, Code: code, Name: name, Description: description,
			Taxonomy: tax.Name, TaxonomyID: tax.ID, Language: "zh"},
	}
}

// districtPostcodes are the postcodes of districts whose points share one;
// elsewhere the address carries an empty postcode (HSDS requires the field).
var districtPostcodes = map[string]string{"500109": "400700"}

// hsdsAddressOf maps a point's address onto HSDS: Chongqing is a
// province-level municipality, so it is both the city and the
// state/province; the district is the region and the street the second
// line. The first line drops the "重庆市北碚区天生街道" prefix those fields
// already carry.
func hsdsAddressOf(p Point, locationID string) hsdsAddress {
	a := hsdsAddress{ID: hsdsID("address", p.Code), LocationID: locationID, City: "重庆市", StateProvince: "重庆市",
		Country: "CN", AddressType: "physical", Address1: p.Address}
	path := standards.RegionPath(p.StreetCode) // province, district, street
	if len(path) == 3 {
		a.Region, a.Address2 = path[1].Name, path[2].Name
		a.PostalCode = districtPostcodes[path[1].Code]
		line := strings.TrimPrefix(p.Address, path[0].Name)
		line = strings.TrimPrefix(line, path[1].Name)
		line = strings.TrimPrefix(line, path[2].Name)
		if line = strings.TrimSpace(line); line != "" {
			a.Address1 = line
		}
	}
	return a
}
