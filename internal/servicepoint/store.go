package servicepoint

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
)

const pointCols = `id, code, name, name_en, tier, agency_kind, street_code, address, latitude, longitude, hours,
	phone, contact_person, svc_party, svc_government, svc_business, svc_life, description, active, created_at, updated_at`

// serviceCols maps each service to its boolean column, in canonical order.
var serviceCols = []struct{ service, col string }{
	{ServiceParty, "svc_party"}, {ServiceGovernment, "svc_government"},
	{ServiceBusiness, "svc_business"}, {ServiceLife, "svc_life"},
}

func serviceCol(service string) (string, bool) {
	for _, c := range serviceCols {
		if c.service == service {
			return c.col, true
		}
	}
	return "", false
}

var errNotFound = errs.NotFound(i18n.M("服务点", "Service point"))

func scanPoint(row interface{ Scan(...any) error }) (Point, error) {
	var p Point
	var lat, lng sql.NullFloat64
	var svc [4]bool
	err := row.Scan(&p.ID, &p.Code, &p.Name, &p.NameEn, &p.Tier, &p.AgencyKind, &p.StreetCode, &p.Address, &lat, &lng,
		&p.Hours, &p.Phone, &p.Contact, &svc[0], &svc[1], &svc[2], &svc[3], &p.Description, &p.Active, &p.CreatedAt, &p.UpdatedAt)
	if lat.Valid && lng.Valid {
		p.Lat, p.Lng = &lat.Float64, &lng.Float64
	}
	p.Services = []string{}
	for i, c := range serviceCols {
		if svc[i] {
			p.Services = append(p.Services, c.service)
		}
	}
	p.Matters = []string{}
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	return p, err
}

// loadOne reads one point with its matters through q (read pool or tx).
func loadOne(ctx context.Context, q db.Queryer, where string, arg any) (Point, error) {
	p, err := scanPoint(q.QueryRowContext(ctx, "SELECT "+pointCols+" FROM service_points WHERE "+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return Point{}, errNotFound
	}
	if err != nil {
		return Point{}, fmt.Errorf("load service point: %w", err)
	}
	m, err := mattersOf(ctx, q, []int64{p.ID})
	if err != nil {
		return Point{}, err
	}
	p.Matters = m[p.ID]
	if p.Matters == nil {
		p.Matters = []string{}
	}
	return p, nil
}

// listPoints reads the points matching f, with their matters, in directory
// order. f must have been validated.
func listPoints(ctx context.Context, q db.Queryer, f Filter) ([]Point, error) {
	var where []string
	var args []any
	add := func(cond string, v ...any) { where = append(where, cond); args = append(args, v...) }
	if f.Tier != "" {
		add("tier = ?", f.Tier)
	}
	switch len(f.Street) {
	case 0:
	case 6:
		add("substr(street_code, 1, 6) = ?", f.Street)
	default:
		add("street_code = ?", f.Street)
	}
	if f.Service != "" {
		col, _ := serviceCol(f.Service)
		add(col + " = TRUE")
	}
	if f.Matter != "" {
		add("id IN (SELECT point_id FROM service_point_matters WHERE matter_code = ?)", f.Matter)
	}
	if f.ActiveOnly {
		add("active = TRUE")
	}
	query := "SELECT " + pointCols + " FROM service_points"
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list service points: %w", err)
	}
	defer rows.Close()
	out := []Point{}
	for rows.Next() {
		p, err := scanPoint(rows)
		if err != nil {
			return nil, fmt.Errorf("list service points: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list service points: %w", err)
	}
	sortPoints(out)
	ids := make([]int64, len(out))
	for i, p := range out {
		ids[i] = p.ID
	}
	m, err := mattersOf(ctx, q, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		if ms := m[out[i].ID]; ms != nil {
			out[i].Matters = ms
		}
	}
	return out, nil
}

// sortPoints puts points in directory order: tier (street → community →
// park → agency), street code, name, code. Sorting in Go rather than SQL
// keeps the order of Chinese names identical on both engines, whatever
// PostgreSQL's collation.
func sortPoints(ps []Point) {
	slices.SortFunc(ps, func(a, b Point) int {
		return cmp.Or(cmp.Compare(optionIndex(Tiers, a.Tier), optionIndex(Tiers, b.Tier)),
			strings.Compare(a.StreetCode, b.StreetCode), strings.Compare(a.Name, b.Name), strings.Compare(a.Code, b.Code))
	})
}

// mattersOf loads the matter codes of several points at once, sorted.
func mattersOf(ctx context.Context, q db.Queryer, ids []int64) (map[int64][]string, error) {
	out := make(map[int64][]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	in, args := db.In(ids)
	rows, err := q.QueryContext(ctx, "SELECT point_id, matter_code FROM service_point_matters WHERE point_id IN "+in+
		" ORDER BY point_id, matter_code", args...)
	if err != nil {
		return nil, fmt.Errorf("load point matters: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			return nil, fmt.Errorf("load point matters: %w", err)
		}
		out[id] = append(out[id], code)
	}
	return out, rows.Err()
}

// rowArgs are the column values of p after code, in insert/update order.
func rowArgs(p Point) []any {
	var lat, lng any
	if p.Lat != nil && p.Lng != nil {
		lat, lng = *p.Lat, *p.Lng
	}
	return []any{p.Name, p.NameEn, p.Tier, p.AgencyKind, p.StreetCode, p.Address, lat, lng, p.Hours, p.Phone, p.Contact,
		p.Offers(ServiceParty), p.Offers(ServiceGovernment), p.Offers(ServiceBusiness), p.Offers(ServiceLife),
		p.Description, p.Active}
}

func insertPoint(ctx context.Context, tx *db.Tx, p Point, now time.Time) (int64, error) {
	var id int64
	args := append(append([]any{p.Code}, rowArgs(p)...), now, now)
	err := tx.QueryRowContext(ctx, `INSERT INTO service_points (code, name, name_en, tier, agency_kind, street_code, address,
		latitude, longitude, hours, phone, contact_person, svc_party, svc_government, svc_business, svc_life, description,
		active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		args...).Scan(&id)
	return id, err
}

func updatePoint(ctx context.Context, tx *db.Tx, p Point, now time.Time) error {
	args := append(rowArgs(p), now, p.ID)
	_, err := tx.ExecContext(ctx, `UPDATE service_points SET name = ?, name_en = ?, tier = ?, agency_kind = ?,
		street_code = ?, address = ?, latitude = ?, longitude = ?, hours = ?, phone = ?, contact_person = ?,
		svc_party = ?, svc_government = ?, svc_business = ?, svc_life = ?, description = ?, active = ?, updated_at = ?
		WHERE id = ?`, args...)
	return err
}

// replaceMatters makes codes the point's matter set.
func replaceMatters(ctx context.Context, tx *db.Tx, id int64, codes []string) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM service_point_matters WHERE point_id = ?", id); err != nil {
		return fmt.Errorf("replace point matters: %w", err)
	}
	for _, c := range codes {
		if _, err := tx.ExecContext(ctx, "INSERT INTO service_point_matters (point_id, matter_code) VALUES (?, ?)", id, c); err != nil {
			return fmt.Errorf("replace point matters: %w", err)
		}
	}
	return nil
}

// lockPoint takes the row lock before an update reads the row, so that two
// concurrent edits cannot both start from the old row (SQLite's single
// writer already serialises them).
func lockPoint(ctx context.Context, tx *db.Tx, id int64) error {
	if tx.Dialect() != db.Postgres {
		return nil
	}
	if _, err := tx.ExecContext(ctx, "SELECT id FROM service_points WHERE id = ? FOR UPDATE", id); err != nil {
		return fmt.Errorf("lock service point %d: %w", id, err)
	}
	return nil
}
