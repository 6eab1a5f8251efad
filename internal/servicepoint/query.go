package servicepoint

import (
	"context"
	"strings"

	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/standards"
)

// Get returns point id, active or not. It returns ErrNotFound for an
// unknown id. Anyone may read the network.
func (s *Service) Get(ctx context.Context, id int64) (Point, error) {
	return loadOne(ctx, s.db, "id = ?", id)
}

// ByCode returns the point with code (case-insensitive), active or not;
// agent accounts are bound to a point by it. It returns ErrNotFound for an
// unknown code.
func (s *Service) ByCode(ctx context.Context, code string) (Point, error) {
	return loadOne(ctx, s.db, "code = ?", strings.ToLower(strings.TrimSpace(code)))
}

// List returns the points matching f ordered by tier (street → community →
// park → agency), then street code, then name. It returns ErrInvalid for an
// unknown tier, service or region in f.
func (s *Service) List(ctx context.Context, f Filter) ([]Point, error) {
	f, err := checkFilter(f)
	if err != nil {
		return nil, err
	}
	return listPoints(ctx, s.db, f)
}

// checkFilter validates and normalises a filter, reporting every bad field.
func checkFilter(f Filter) (Filter, error) {
	fields := errs.Fields{}
	f.Tier, f.Service, f.Matter = strings.TrimSpace(f.Tier), strings.TrimSpace(f.Service), strings.TrimSpace(f.Matter)
	if f.Tier != "" && optionIndex(Tiers, f.Tier) < 0 {
		fields.Add("tier", i18n.M("层级应为 street、community、park 或 agency", "Tier must be street, community, park or agency"))
	}
	if f.Service != "" && optionIndex(Services, f.Service) < 0 {
		fields.Add("service", i18n.M("服务应为 party、government、business 或 life", "Service must be party, government, business or life"))
	}
	if f.Street = strings.TrimSpace(f.Street); f.Street != "" {
		r, ok := standards.LookupRegion(f.Street)
		if !ok || (r.Level != standards.RegionStreet && r.Level != standards.RegionDistrict) {
			fields.Add("street", i18n.M("应为重庆市的区县（6 位）或街道、镇、乡（9 位）区划代码",
				"Must be the code of a Chongqing district (6 digits) or street, town or township (9 digits)"))
		} else {
			f.Street = r.Code
		}
	}
	return f, fields.Err()
}

// PointsForMatter returns the active points that take in the matter with
// code on an enterprise's behalf, in List order — what every matter page
// shows under "where to get help".
func (s *Service) PointsForMatter(ctx context.Context, code string) ([]Point, error) {
	return s.List(ctx, Filter{Matter: code, ActiveOnly: true})
}

// Accepts reports whether the point with pointCode takes in the matter with
// matterCode — the case-intake rule "an agent files only what its point
// accepts". An inactive point accepts nothing. It returns ErrNotFound for an
// unknown point code.
func (s *Service) Accepts(ctx context.Context, pointCode, matterCode string) (bool, error) {
	p, err := s.ByCode(ctx, pointCode)
	if err != nil {
		return false, err
	}
	return p.Active && p.Accepts(strings.TrimSpace(matterCode)), nil
}
