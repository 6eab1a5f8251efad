package matter

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
)

// bundleCodeRE: bundle codes are short ASCII slugs, e.g. "YJS-QYKB".
var bundleCodeRE = regexp.MustCompile(`^[A-Z0-9][A-Z0-9_-]{1,39}$`)

// checkBundle normalises in and collects every field error, looking the
// members and the lead department up through q.
func checkBundle(ctx context.Context, q db.Queryer, in BundleInput) (BundleInput, errs.Fields, error) {
	f := errs.Fields{}
	in.Code = normCode(in.Code)
	in.Name, in.NameEn, in.Description = strings.TrimSpace(in.Name), strings.TrimSpace(in.NameEn), strings.TrimSpace(in.Description)
	in.LeadDepartmentCode = normCode(in.LeadDepartmentCode)
	if !bundleCodeRE.MatchString(in.Code) {
		f.Add("code", i18n.M("一件事编码应为 2–40 位大写字母、数字、- 或 _", "A bundle code has 2–40 capitals, digits, - or _"))
	}
	text(f, "name", in.Name, maxShort, true)
	text(f, "name_en", in.NameEn, maxShort, false)
	text(f, "description", in.Description, maxLong, false)
	in.Events = checkEvents(in.Events, f)
	in.FormFields = checkFormFields(in.FormFields, "form_fields", f)
	if in.CommittedLimitDays < 0 || in.CommittedLimitDays > maxDays {
		f.Add("committed_limit_days", i18n.M(fmt.Sprintf("承诺时限应在 0–%d 个工作日之间", maxDays),
			fmt.Sprintf("The committed limit must be 0–%d working days", maxDays)))
	}
	deps, err := departmentCodes(ctx, q)
	if err != nil {
		return in, nil, err
	}
	if !deps[in.LeadDepartmentCode] {
		f.Add("lead_department_code", i18n.M("请选择牵头部门", "Choose the lead department"))
	}
	var codes []string
	for _, c := range in.MemberCodes {
		c = normCode(c)
		if c == "" {
			continue
		}
		if slices.Contains(codes, c) {
			f.Add("members", i18n.M("事项重复："+c, "Listed twice: "+c))
			continue
		}
		codes = append(codes, c)
	}
	in.MemberCodes = codes
	if len(codes) < 2 {
		f.Add("members", i18n.M("一件事至少包含 2 个事项", "A bundle has at least 2 matters"))
	}
	for _, c := range codes {
		var active bool
		err := q.QueryRowContext(ctx, "SELECT active FROM matters WHERE code = ?", c).Scan(&active)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			f.Add("members", i18n.M("事项不存在："+c, "No such matter: "+c))
		case err != nil:
			return in, nil, fmt.Errorf("check bundle member %s: %w", c, err)
		case !active:
			f.Add("members", i18n.M("事项已停用："+c, "Matter is withdrawn: "+c))
		}
	}
	return in, f, nil
}

// CreateBundle adds an active bundle (permission catalogue.manage). It
// returns ErrInvalid naming every bad field, including a code that is taken
// and members that do not exist or are withdrawn.
func (s *Service) CreateBundle(ctx context.Context, in BundleInput) (Bundle, error) {
	if err := s.mayEdit(ctx, "bundle.create", "bundle", normCode(in.Code)); err != nil {
		return Bundle{}, err
	}
	var out Bundle
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var err error
		out, err = s.createBundleTx(ctx, tx, in)
		return err
	})
	if err != nil {
		return Bundle{}, err
	}
	s.bundleChanged(ctx, out.Code)
	return out, nil
}

func (s *Service) createBundleTx(ctx context.Context, tx *db.Tx, in BundleInput) (Bundle, error) {
	in, f, err := checkBundle(ctx, tx, in)
	if err != nil {
		return Bundle{}, err
	}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM bundles WHERE code = ?", in.Code).Scan(&n); err != nil {
		return Bundle{}, fmt.Errorf("create bundle: %w", err)
	}
	if n > 0 {
		f.Add("code", i18n.M("一件事编码 "+in.Code+" 已存在", "Bundle code "+in.Code+" already exists"))
	}
	if err := f.Err(); err != nil {
		return Bundle{}, err
	}
	now := s.now()
	events, _ := json.Marshal(in.Events)
	fields, _ := json.Marshal(in.FormFields)
	if _, err := tx.ExecContext(ctx, `INSERT INTO bundles (code, name, name_en, description, events, committed_limit_days,
		lead_department_code, active, form_fields, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, TRUE, ?, 1, ?, ?)`,
		in.Code, in.Name, in.NameEn, in.Description, string(events), in.CommittedLimitDays, in.LeadDepartmentCode,
		string(fields), now, now); err != nil {
		return Bundle{}, fmt.Errorf("create bundle %s: %w", in.Code, err)
	}
	if err := writeMembers(ctx, tx, in.Code, in.MemberCodes); err != nil {
		return Bundle{}, err
	}
	b, err := loadBundle(ctx, tx, in.Code)
	if err != nil {
		return Bundle{}, err
	}
	return b, audit.Write(ctx, tx, audit.Event{Action: "bundle.create", ObjectType: "bundle", ObjectID: b.Code,
		Detail: map[string]any{"after": bundleSnapshot(b)}})
}

func writeMembers(ctx context.Context, tx *db.Tx, code string, members []string) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM bundle_members WHERE bundle_code = ?", code); err != nil {
		return fmt.Errorf("clear members of %s: %w", code, err)
	}
	for i, m := range members {
		if _, err := tx.ExecContext(ctx, "INSERT INTO bundle_members (bundle_code, matter_code, seq) VALUES (?, ?, ?)", code, m, i+1); err != nil {
			return fmt.Errorf("add member %s to %s: %w", m, code, err)
		}
	}
	return nil
}

// UpdateBundle replaces a bundle's elements. ifVersion must be the bundle's
// current Version, else it returns ErrPrecondition; an identical input
// changes nothing. The code cannot change.
func (s *Service) UpdateBundle(ctx context.Context, code string, in BundleInput, ifVersion int) (Bundle, error) {
	code = normCode(code)
	if err := s.mayEdit(ctx, "bundle.update", "bundle", code); err != nil {
		return Bundle{}, err
	}
	var out Bundle
	changed := false
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		if tx.Dialect() == db.Postgres {
			if _, err := tx.ExecContext(ctx, "SELECT code FROM bundles WHERE code = ? FOR UPDATE", code); err != nil {
				return fmt.Errorf("lock bundle %s: %w", code, err)
			}
		}
		before, err := loadBundle(ctx, tx, code)
		if err != nil {
			return err
		}
		if ifVersion != before.Version {
			return errs.New(errs.ErrPrecondition, "stale_version", i18n.M(
				fmt.Sprintf("该一件事已被他人修改（当前版本 %d，您编辑的是版本 %d），请刷新后重试", before.Version, ifVersion),
				fmt.Sprintf("The bundle was changed by someone else (now version %d, you edited version %d); reload and try again", before.Version, ifVersion)))
		}
		if normCode(in.Code) == "" {
			in.Code = code
		}
		in, f, err := checkBundle(ctx, tx, in)
		if err != nil {
			return err
		}
		if in.Code != code {
			f.Add("code", i18n.M("一件事编码不能修改", "The bundle code cannot change"))
		}
		if err := f.Err(); err != nil {
			return err
		}
		events, _ := json.Marshal(in.Events)
		fields, _ := json.Marshal(in.FormFields)
		res, err := tx.ExecContext(ctx, `UPDATE bundles SET name = ?, name_en = ?, description = ?, events = ?, committed_limit_days = ?,
			lead_department_code = ?, form_fields = ?, version = version + 1, updated_at = ? WHERE code = ?`,
			in.Name, in.NameEn, in.Description, string(events), in.CommittedLimitDays, in.LeadDepartmentCode, string(fields), s.now(), code)
		if err != nil {
			return fmt.Errorf("update bundle %s: %w", code, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errBundleNotFound
		}
		if err := writeMembers(ctx, tx, code, in.MemberCodes); err != nil {
			return err
		}
		if out, err = loadBundle(ctx, tx, code); err != nil {
			return err
		}
		b, a := diff(bundleSnapshot(before), bundleSnapshot(out))
		if len(a) == 0 {
			out = before
			return errNoChange
		}
		changed = true
		return audit.Write(ctx, tx, audit.Event{Action: "bundle.update", ObjectType: "bundle", ObjectID: code,
			Detail: map[string]any{"before": b, "after": a}})
	})
	if errors.Is(err, errNoChange) {
		err = nil
	}
	if err != nil {
		return Bundle{}, err
	}
	if changed {
		s.bundleChanged(ctx, code)
	}
	return out, nil
}

// errNoChange rolls back an edit that changed nothing.
var errNoChange = errors.New("no change")

// SetBundleActive offers (true) or withdraws (false) a bundle. Activating
// needs every member to be active (ErrConflict otherwise).
func (s *Service) SetBundleActive(ctx context.Context, code string, active bool) error {
	code = normCode(code)
	action := "bundle.deactivate"
	if active {
		action = "bundle.activate"
	}
	if err := s.mayEdit(ctx, action, "bundle", code); err != nil {
		return err
	}
	changed := false
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		b, err := loadBundle(ctx, tx, code)
		if err != nil {
			return err
		}
		if b.Active == active {
			return nil
		}
		if active {
			for _, m := range b.Members {
				var on bool
				if err := tx.QueryRowContext(ctx, "SELECT active FROM matters WHERE code = ?", m.MatterCode).Scan(&on); err != nil {
					return fmt.Errorf("check member %s: %w", m.MatterCode, err)
				}
				if !on {
					return errs.Conflict("member_inactive", i18n.M("事项已停用："+m.MatterCode, "Matter is withdrawn: "+m.MatterCode))
				}
			}
		}
		if _, err := tx.ExecContext(ctx, "UPDATE bundles SET active = ?, version = version + 1, updated_at = ? WHERE code = ?",
			active, s.now(), code); err != nil {
			return fmt.Errorf("set bundle %s active: %w", code, err)
		}
		changed = true
		return audit.Write(ctx, tx, audit.Event{Action: action, ObjectType: "bundle", ObjectID: code,
			Detail: map[string]any{"before": map[string]any{"active": b.Active}, "after": map[string]any{"active": active}}})
	})
	if err == nil && changed {
		s.bundleChanged(ctx, code)
	}
	return err
}

// GetBundle returns a bundle with its members' current versions. It
// returns ErrNotFound for an unknown code.
func (s *Service) GetBundle(ctx context.Context, code string) (Bundle, error) {
	return loadBundle(ctx, s.db, normCode(code))
}

// ListBundles returns the bundles in code order, only the active ones when
// activeOnly.
func (s *Service) ListBundles(ctx context.Context, activeOnly bool) ([]Bundle, error) {
	q := "SELECT code FROM bundles"
	if activeOnly {
		q += " WHERE active"
	}
	rows, err := s.db.QueryContext(ctx, q+" ORDER BY code")
	if err != nil {
		return nil, fmt.Errorf("list bundles: %w", err)
	}
	var codes []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			return nil, err
		}
		codes = append(codes, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]Bundle, 0, len(codes))
	for _, c := range codes {
		b, err := loadBundle(ctx, s.db, c)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

const bundleCols = `code, name, name_en, description, events, committed_limit_days, lead_department_code, active,
	form_fields, version, created_at, updated_at`

func loadBundle(ctx context.Context, q db.Queryer, code string) (Bundle, error) {
	var b Bundle
	var events, fields string
	err := q.QueryRowContext(ctx, "SELECT "+bundleCols+" FROM bundles WHERE code = ?", code).Scan(&b.Code, &b.Name, &b.NameEn,
		&b.Description, &events, &b.CommittedLimitDays, &b.LeadDepartmentCode, &b.Active, &fields, &b.Version, &b.CreatedAt, &b.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return Bundle{}, errBundleNotFound
	}
	if err != nil {
		return Bundle{}, fmt.Errorf("load bundle %s: %w", code, err)
	}
	b.CreatedAt, b.UpdatedAt = b.CreatedAt.UTC(), b.UpdatedAt.UTC()
	if err := json.Unmarshal([]byte(events), &b.Events); err != nil {
		return Bundle{}, fmt.Errorf("bundle %s events: %w", code, err)
	}
	if err := json.Unmarshal([]byte(fields), &b.FormFields); err != nil {
		return Bundle{}, fmt.Errorf("bundle %s form fields: %w", code, err)
	}
	if b.Events == nil {
		b.Events = []string{}
	}
	if b.FormFields == nil {
		b.FormFields = []FormField{}
	}
	members, err := listMatters(ctx, q, " WHERE m.code IN (SELECT matter_code FROM bundle_members WHERE bundle_code = ?)", []any{code})
	if err != nil {
		return Bundle{}, err
	}
	seq := map[string]int{}
	rows, err := q.QueryContext(ctx, "SELECT matter_code, seq FROM bundle_members WHERE bundle_code = ?", code)
	if err != nil {
		return Bundle{}, fmt.Errorf("load members of %s: %w", code, err)
	}
	for rows.Next() {
		var c string
		var n int
		if err := rows.Scan(&c, &n); err != nil {
			rows.Close()
			return Bundle{}, err
		}
		seq[c] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return Bundle{}, err
	}
	slices.SortFunc(members, func(a, b Matter) int { return seq[a.Code] - seq[b.Code] })
	b.Members = make([]Version, len(members))
	for i, m := range members {
		b.Members[i] = m.Current
	}
	return b, nil
}

// MemberCodes lists the codes of the bundle's members in order.
func (b Bundle) MemberCodes() []string {
	out := make([]string, len(b.Members))
	for i, m := range b.Members {
		out[i] = m.MatterCode
	}
	return out
}

// Input returns the bundle's elements as an input, for an edit.
func (b Bundle) Input() BundleInput {
	return BundleInput{Code: b.Code, Name: b.Name, NameEn: b.NameEn, Description: b.Description,
		Events: slices.Clone(b.Events), CommittedLimitDays: b.CommittedLimitDays, LeadDepartmentCode: b.LeadDepartmentCode,
		MemberCodes: b.MemberCodes(), FormFields: cloneFields(b.FormFields)}
}

func bundleSnapshot(b Bundle) map[string]any {
	return map[string]any{"code": b.Code, "name": b.Name, "name_en": b.NameEn, "description": b.Description,
		"events": b.Events, "committed_limit_days": b.CommittedLimitDays, "lead_department_code": b.LeadDepartmentCode,
		"active": b.Active, "members": b.MemberCodes(), "form_fields": b.FormFields}
}
