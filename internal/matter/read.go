package matter

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
)

// Reading the catalogue is public: none of these methods needs a principal.

// Get returns the matter with its current version. It returns ErrNotFound
// for an unknown code.
func (s *Service) Get(ctx context.Context, code string) (Matter, error) {
	return loadMatter(ctx, s.db, normCode(code))
}

// Version returns one version of a matter, current or not — the one a case
// was filed under. It returns ErrNotFound when there is no such version.
func (s *Service) Version(ctx context.Context, code string, version int) (Version, error) {
	return loadVersion(ctx, s.db, normCode(code), version)
}

// Versions returns every version of a matter, newest first. It returns
// ErrNotFound for an unknown code.
func (s *Service) Versions(ctx context.Context, code string) ([]Version, error) {
	m, err := s.Get(ctx, code)
	if err != nil {
		return nil, err
	}
	out := make([]Version, 0, m.Versions)
	for n := m.Versions; n >= 1; n-- {
		v, err := loadVersion(ctx, s.db, m.Code, n)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// Filter selects matters for List. Empty fields do not filter.
type Filter struct {
	Department string // department code
	Type       string // a type code or label
	Flag       string // one of the flag names (FlagZeroVisit … FlagInBundle)
	Event      string // an event code or label
	Q          string // a substring of the name or the 实施编码
	ActiveOnly bool
}

// flagColumns maps flag names to the matters columns that hold them.
var flagColumns = map[string]string{
	FlagZeroVisit: "m.zero_visit", FlagMaxOneVisit: "m.max_one_visit", FlagFullOnline: "m.full_online",
	FlagZeroMaterials: "m.zero_materials", FlagInstant: "m.instant",
}

// where builds the SQL condition of f; unknown types, flags and events are
// an ErrInvalid.
func (f Filter) where() (string, []any, error) {
	var conds []string
	var args []any
	bad := errs.Fields{}
	if d := normCode(f.Department); d != "" {
		conds, args = append(conds, "m.department_code = ?"), append(args, d)
	}
	if f.Type != "" {
		t, ok := resolve(typeOptions(), f.Type)
		if !ok {
			bad.Add("type", i18n.M("未知的事项类型："+f.Type, "Unknown matter type: "+f.Type))
		}
		conds, args = append(conds, "m.matter_type = ?"), append(args, t)
	}
	if f.Flag != "" {
		flag, ok := resolve(FlagOptions, f.Flag)
		switch {
		case !ok:
			bad.Add("flag", i18n.M("未知的标签："+f.Flag, "Unknown flag: "+f.Flag))
		case flag == FlagInBundle:
			conds = append(conds, `EXISTS (SELECT 1 FROM bundle_members bm JOIN bundles b ON b.code = bm.bundle_code
				WHERE bm.matter_code = m.code AND b.active)`)
		default:
			conds = append(conds, flagColumns[flag])
		}
	}
	if f.Event != "" {
		e, ok := resolve(Events, f.Event)
		if !ok {
			bad.Add("event", i18n.M("未知的主题："+f.Event, "Unknown event: "+f.Event))
		}
		conds = append(conds, "EXISTS (SELECT 1 FROM matter_events e WHERE e.matter_code = m.code AND e.event = ?)")
		args = append(args, e)
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		esc := strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(q)
		conds = append(conds, `(m.name LIKE ? ESCAPE '\' OR m.code LIKE ? ESCAPE '\')`)
		args = append(args, "%"+esc+"%", "%"+strings.ToUpper(esc)+"%")
	}
	if f.ActiveOnly {
		conds = append(conds, "m.active")
	}
	if err := bad.Err(); err != nil {
		return "", nil, err
	}
	if len(conds) == 0 {
		return "", nil, nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args, nil
}

// List returns the matters f selects with their current versions, ordered
// by the department's sort order, then by name.
func (s *Service) List(ctx context.Context, f Filter) ([]Matter, error) {
	where, args, err := f.where()
	if err != nil {
		return nil, err
	}
	return listMatters(ctx, s.db, where, args)
}

// listMatters loads the matters of a condition over matters m, sorted.
func listMatters(ctx context.Context, q db.Queryer, where string, args []any) ([]Matter, error) {
	rows, err := q.QueryContext(ctx, "SELECT d.sort, "+matterCols+", "+versionCols+` FROM matters m
		JOIN matter_versions v ON v.matter_code = m.code AND v.version = m.current_version
		JOIN departments d ON d.code = m.department_code`+where, args...)
	if err != nil {
		return nil, fmt.Errorf("list matters: %w", err)
	}
	type sorted struct {
		sort int
		m    Matter
	}
	var items []sorted
	for rows.Next() {
		var it sorted
		var err error
		it.m.InBundles = []string{}
		it.m.Current, err = scanVersion(rows, &it.sort, &it.m.Code, &it.m.BasicCode, &it.m.DepartmentCode, &it.m.Active, &it.m.Versions)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("list matters: %w", err)
		}
		items = append(items, it)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list matters: %w", err)
	}
	// Sorted here rather than in SQL: the engines collate Chinese text
	// differently, and the order must not depend on the database.
	slices.SortFunc(items, func(a, b sorted) int {
		return cmp.Or(cmp.Compare(a.sort, b.sort), cmp.Compare(a.m.DepartmentCode, b.m.DepartmentCode),
			cmp.Compare(a.m.Current.Name, b.m.Current.Name), cmp.Compare(a.m.Code, b.m.Code))
	})
	out := make([]Matter, len(items))
	for i, it := range items {
		out[i] = it.m
	}
	if err := attach(ctx, q, out); err != nil {
		return nil, err
	}
	return out, nil
}

// Departments lists the district departments in their display order.
func (s *Service) Departments(ctx context.Context) ([]Department, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT code, name, name_en, credit_code, phone, address, sort FROM departments ORDER BY sort, code")
	if err != nil {
		return nil, fmt.Errorf("list departments: %w", err)
	}
	defer rows.Close()
	var out []Department
	for rows.Next() {
		var d Department
		if err := rows.Scan(&d.Code, &d.Name, &d.NameEn, &d.CreditCode, &d.Phone, &d.Address, &d.Sort); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
