package servicepoint

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"time"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
)

// Service is the service-point directory.
type Service struct {
	db      *db.DB
	matters MatterLookup
	now     func() time.Time
}

// NewService returns the directory over d. matters validates the matter
// codes given to a point; nil skips that check.
func NewService(d *db.DB, matters MatterLookup) *Service {
	return &Service{db: d, matters: matters, now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
}

const objectType = "service_point"

// authorize reports ErrForbidden, audited on its own, unless the caller may
// edit the network.
func (s *Service) authorize(ctx context.Context, action string, id any) error {
	if identity.PrincipalFrom(ctx).Can(identity.PermCatalogueManage) {
		return nil
	}
	_ = audit.WriteAlone(ctx, s.db, audit.Event{Action: action, ObjectType: objectType, ObjectID: fmt.Sprint(id), Result: audit.ResultDenied})
	return errs.Forbidden()
}

func codeTaken(code string) error {
	return errs.Conflict("service_point_code_taken", i18n.M("服务点编码 "+code+" 已被使用", "Service point code "+code+" is already taken"))
}

// Create adds a point. It returns ErrForbidden without
// PermCatalogueManage, ErrInvalid listing every bad field (including matter
// codes the catalogue does not know) and ErrConflict when the code is taken.
func (s *Service) Create(ctx context.Context, in PointInput) (Point, error) {
	if err := s.authorize(ctx, "service_point.create", in.Code); err != nil {
		return Point{}, err
	}
	f := errs.Fields{}
	n := normalise(in, f)
	if err := s.checkMatters(ctx, n.matters, f); err != nil {
		return Point{}, err
	}
	if err := f.Err(); err != nil {
		return Point{}, err
	}
	p := n.p
	p.Active = n.active == nil || *n.active
	var out Point
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		id, err := insertPoint(ctx, tx, p, s.now())
		if db.IsUniqueViolation(err) {
			return codeTaken(p.Code)
		}
		if err != nil {
			return fmt.Errorf("create service point %s: %w", p.Code, err)
		}
		if err := replaceMatters(ctx, tx, id, n.matters); err != nil {
			return err
		}
		if out, err = loadOne(ctx, tx, "id = ?", id); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Event{Action: "service_point.create", ObjectType: objectType, ObjectID: fmt.Sprint(id),
			Detail: map[string]any{"after": snapshot(out)}})
	})
	if err != nil {
		return Point{}, err
	}
	return out, nil
}

// errNoChange rolls back an update that changed nothing.
var errNoChange = errors.New("no change")

// Update replaces the fields of point id (see PointInput for what nil
// keeps). It returns ErrNotFound, ErrForbidden, or ErrInvalid listing every
// bad field; the code of a point never changes, because agents are bound to
// it. An update that changes nothing writes no audit record.
func (s *Service) Update(ctx context.Context, id int64, in PointInput) (Point, error) {
	if err := s.authorize(ctx, "service_point.update", id); err != nil {
		return Point{}, err
	}
	f := errs.Fields{}
	current, err := s.Get(ctx, id)
	if err != nil {
		return Point{}, err
	}
	if in.Code == "" {
		in.Code = current.Code
	}
	n := normalise(in, f)
	if n.p.Code != current.Code {
		f["code"] = i18n.M("服务点编码创建后不能修改（代办员账号按编码绑定服务点）",
			"A point's code cannot change (agent accounts are bound to it)")
	}
	if err := s.checkMatters(ctx, n.matters, f); err != nil {
		return Point{}, err
	}
	if err := f.Err(); err != nil {
		return Point{}, err
	}
	var out Point
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := lockPoint(ctx, tx, id); err != nil {
			return err
		}
		before, err := loadOne(ctx, tx, "id = ?", id)
		if err != nil {
			return err
		}
		p := n.p
		p.ID, p.Active, p.Matters = id, before.Active, before.Matters
		if n.active != nil {
			p.Active = *n.active
		}
		if n.matters != nil {
			p.Matters = n.matters
		}
		b, a := diff(snapshot(before), snapshot(p))
		if len(a) == 0 {
			out = before
			return errNoChange
		}
		if err := updatePoint(ctx, tx, p, s.now()); err != nil {
			return fmt.Errorf("update service point %d: %w", id, err)
		}
		if n.matters != nil && !slices.Equal(n.matters, before.Matters) {
			if err := replaceMatters(ctx, tx, id, n.matters); err != nil {
				return err
			}
		}
		if out, err = loadOne(ctx, tx, "id = ?", id); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Event{Action: "service_point.update", ObjectType: objectType, ObjectID: fmt.Sprint(id),
			Detail: map[string]any{"before": b, "after": a}})
	})
	if errors.Is(err, errNoChange) {
		return out, nil
	}
	if err != nil {
		return Point{}, err
	}
	return out, nil
}

// SetMatters replaces the matters point id takes in on an enterprise's
// behalf. It returns ErrNotFound, ErrForbidden, or ErrInvalid naming the
// codes the catalogue does not know. Setting the same set again writes no
// audit record.
func (s *Service) SetMatters(ctx context.Context, id int64, codes []string) error {
	if err := s.authorize(ctx, "service_point.set_matters", id); err != nil {
		return err
	}
	codes = normaliseCodes(codes)
	f := errs.Fields{}
	if err := s.checkMatters(ctx, codes, f); err != nil {
		return err
	}
	if err := f.Err(); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := lockPoint(ctx, tx, id); err != nil {
			return err
		}
		before, err := loadOne(ctx, tx, "id = ?", id)
		if err != nil {
			return err
		}
		if slices.Equal(before.Matters, codes) {
			return nil
		}
		if err := replaceMatters(ctx, tx, id, codes); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE service_points SET updated_at = ? WHERE id = ?", s.now(), id); err != nil {
			return fmt.Errorf("set matters of service point %d: %w", id, err)
		}
		return audit.Write(ctx, tx, audit.Event{Action: "service_point.set_matters", ObjectType: objectType, ObjectID: fmt.Sprint(id),
			Detail: map[string]any{"before": before.Matters, "after": codes}})
	})
}

// snapshot flattens a point into API field names for audit records.
func snapshot(p Point) map[string]any {
	coord := func(v *float64) any {
		if v == nil {
			return nil
		}
		return *v
	}
	matters := p.Matters
	if matters == nil {
		matters = []string{}
	}
	return map[string]any{
		"code": p.Code, "name": p.Name, "name_en": p.NameEn, "tier": p.Tier, "agency_kind": p.AgencyKind,
		"street_code": p.StreetCode, "address": p.Address, "lat": coord(p.Lat), "lng": coord(p.Lng), "hours": p.Hours,
		"phone": p.Phone, "contact": p.Contact, "services": p.Services, "description": p.Description,
		"active": p.Active, "matters": matters,
	}
}

// diff keeps only the fields whose values differ.
func diff(before, after map[string]any) (map[string]any, map[string]any) {
	b, a := maps.Clone(before), maps.Clone(after)
	for k := range before {
		if reflect.DeepEqual(before[k], after[k]) {
			delete(b, k)
			delete(a, k)
		}
	}
	return b, a
}
