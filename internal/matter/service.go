package matter

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
)

// Service is the matter catalogue and its bundles.
type Service struct {
	db             *db.DB
	now            func() time.Time
	onChange       []func(ctx context.Context, code string)
	onBundleChange []func(ctx context.Context, code string)
}

// NewService returns the catalogue over d.
func NewService(d *db.DB) *Service {
	return &Service{db: d, now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
}

// OnChange registers fn to run after a matter is created, gets a new
// version or is (de)activated, once the change has committed (the search
// index listens here).
func (s *Service) OnChange(fn func(ctx context.Context, code string)) {
	s.onChange = append(s.onChange, fn)
}

// OnBundleChange registers fn to run after a bundle is created or changed
// and the change has committed.
func (s *Service) OnBundleChange(fn func(ctx context.Context, code string)) {
	s.onBundleChange = append(s.onBundleChange, fn)
}

func (s *Service) changed(ctx context.Context, code string) {
	for _, fn := range s.onChange {
		fn(ctx, code)
	}
}

func (s *Service) bundleChanged(ctx context.Context, code string) {
	for _, fn := range s.onBundleChange {
		fn(ctx, code)
	}
}

// mayEdit reports whether the caller may edit the catalogue; a refusal is
// audited and returned as ErrForbidden.
func (s *Service) mayEdit(ctx context.Context, action, objectType, id string) error {
	if identity.PrincipalFrom(ctx).Can(identity.PermCatalogueManage) {
		return nil
	}
	_ = audit.WriteAlone(ctx, s.db, audit.Event{Action: action, ObjectType: objectType, ObjectID: id, Result: audit.ResultDenied})
	return errs.Forbidden()
}

// actor names who makes a version.
func actor(ctx context.Context) string {
	if p := identity.PrincipalFrom(ctx); p != nil {
		return p.Username
	}
	return "anonymous"
}

// Create adds a matter as version 1 (permission catalogue.manage). It
// returns ErrInvalid naming every bad field — including a 实施编码 that is
// taken and departments that do not exist.
func (s *Service) Create(ctx context.Context, in MatterInput) (Matter, error) {
	if err := s.mayEdit(ctx, "matter.create", "matter", normCode(in.Code)); err != nil {
		return Matter{}, err
	}
	var out Matter
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var err error
		out, err = s.createTx(ctx, tx, in, s.now())
		return err
	})
	if err != nil {
		return Matter{}, err
	}
	s.changed(ctx, out.Code)
	return out, nil
}

func (s *Service) createTx(ctx context.Context, tx *db.Tx, in MatterInput, now time.Time) (Matter, error) {
	c, f := in.check()
	if err := checkRefs(ctx, tx, c.v, f); err != nil {
		return Matter{}, err
	}
	if c.code != "" {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM matters WHERE code = ?", c.code).Scan(&n); err != nil {
			return Matter{}, fmt.Errorf("create matter: %w", err)
		}
		if n > 0 {
			f.Add("code", i18n.M("实施编码 "+c.code+" 已存在", "Implementation code "+c.code+" already exists"))
		}
	}
	if err := f.Err(); err != nil {
		return Matter{}, err
	}
	v := c.v
	v.MatterCode, v.Version, v.CreatedAt, v.CreatedBy = c.code, 1, now, actor(ctx)
	if err := insertMatter(ctx, tx, c, now); err != nil {
		if db.IsUniqueViolation(err) {
			return Matter{}, errs.Conflict("matter_code_taken", i18n.M("实施编码 "+c.code+" 已存在", "Implementation code "+c.code+" already exists"))
		}
		return Matter{}, fmt.Errorf("create matter %s: %w", c.code, err)
	}
	if err := insertVersion(ctx, tx, v); err != nil {
		return Matter{}, err
	}
	if err := writeCurrent(ctx, tx, v, now); err != nil {
		return Matter{}, err
	}
	m, err := loadMatter(ctx, tx, c.code)
	if err != nil {
		return Matter{}, err
	}
	return m, audit.Write(ctx, tx, audit.Event{Action: "matter.create", ObjectType: "matter", ObjectID: m.Code,
		Detail: map[string]any{"version": 1, "after": snapshot(m)}})
}

// checkRefs adds field errors for departments that do not exist: the
// implementing one and those materials are shared from.
func checkRefs(ctx context.Context, q db.Queryer, v Version, f errs.Fields) error {
	deps, err := departmentCodes(ctx, q)
	if err != nil {
		return err
	}
	if v.DepartmentCode != "" && !deps[v.DepartmentCode] {
		f.Add("department_code", i18n.M("未知的部门："+v.DepartmentCode, "Unknown department: "+v.DepartmentCode))
	}
	for i, m := range v.Materials {
		if m.Source == SourceDepartment && m.SourceRef != "" && !deps[m.SourceRef] {
			f.Add(fmt.Sprintf("materials[%d].source_ref", i), i18n.M("未知的部门："+m.SourceRef, "Unknown department: "+m.SourceRef))
		}
	}
	return nil
}

// Update records a new version of the matter code from in, which holds
// every element (start from Matter.Input). ifVersion must be the current
// version, else it returns ErrPrecondition (someone else edited first). An
// input identical to the current version makes no version and no audit
// record; the matter is returned as it is. The 实施编码 and 基本编码 cannot
// change (leave them empty or equal). Earlier versions are never touched.
func (s *Service) Update(ctx context.Context, code string, in MatterInput, ifVersion int) (Matter, error) {
	code = normCode(code)
	if err := s.mayEdit(ctx, "matter.update", "matter", code); err != nil {
		return Matter{}, err
	}
	var out Matter
	var changed bool
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var err error
		out, changed, err = s.updateTx(ctx, tx, code, in, ifVersion, s.now())
		return err
	})
	if err != nil {
		return Matter{}, err
	}
	if changed {
		s.changed(ctx, code)
	}
	return out, nil
}

func lockMatter(ctx context.Context, tx *db.Tx, code string) error {
	if tx.Dialect() != db.Postgres {
		return nil // SQLite's single writer already serialises edits
	}
	if _, err := tx.ExecContext(ctx, "SELECT code FROM matters WHERE code = ? FOR UPDATE", code); err != nil {
		return fmt.Errorf("lock matter %s: %w", code, err)
	}
	return nil
}

func stale(current, given int) error {
	return errs.New(errs.ErrPrecondition, "stale_version", i18n.M(
		fmt.Sprintf("该事项已被他人修改（当前版本 %d，您编辑的是版本 %d），请刷新后重试", current, given),
		fmt.Sprintf("The matter was changed by someone else (now version %d, you edited version %d); reload and try again", current, given)))
}

func (s *Service) updateTx(ctx context.Context, tx *db.Tx, code string, in MatterInput, ifVersion int, now time.Time) (Matter, bool, error) {
	if err := lockMatter(ctx, tx, code); err != nil {
		return Matter{}, false, err
	}
	before, err := loadMatter(ctx, tx, code)
	if err != nil {
		return Matter{}, false, err
	}
	if ifVersion != before.Versions {
		return Matter{}, false, stale(before.Versions, ifVersion)
	}
	if normCode(in.Code) == "" {
		in.Code = code
	}
	if normCode(in.BasicCode) == "" {
		in.BasicCode = before.BasicCode
	}
	c, f := in.check()
	if c.code != code {
		f.Add("code", i18n.M("实施编码不能修改；请新建事项", "The implementation code cannot change; create a new matter instead"))
	}
	if c.basicCode != before.BasicCode {
		f.Add("basic_code", i18n.M("基本编码不能修改；请新建事项", "The basic code cannot change; create a new matter instead"))
	}
	if err := checkRefs(ctx, tx, c.v, f); err != nil {
		return Matter{}, false, err
	}
	if err := f.Err(); err != nil {
		return Matter{}, false, err
	}
	if sameContent(before.Current, c.v) {
		return before, false, nil
	}
	v := c.v
	v.MatterCode, v.Version, v.CreatedAt, v.CreatedBy = code, before.Versions+1, now, actor(ctx)
	if err := insertVersion(ctx, tx, v); err != nil {
		return Matter{}, false, err
	}
	if err := writeCurrent(ctx, tx, v, now); err != nil {
		return Matter{}, false, err
	}
	after, err := loadMatter(ctx, tx, code)
	if err != nil {
		return Matter{}, false, err
	}
	b, a := diff(snapshot(before), snapshot(after))
	err = audit.Write(ctx, tx, audit.Event{Action: "matter.update", ObjectType: "matter", ObjectID: code,
		Detail: map[string]any{"version": v.Version, "change_note": v.ChangeNote, "before": b, "after": a}})
	return after, true, err
}

// SetActive lists (true) or withdraws (false) a matter from the catalogue
// without touching its versions. A matter that belongs to an active bundle
// cannot be withdrawn (ErrConflict): take it out of the bundle first.
func (s *Service) SetActive(ctx context.Context, code string, active bool) error {
	code = normCode(code)
	action := "matter.deactivate"
	if active {
		action = "matter.activate"
	}
	if err := s.mayEdit(ctx, action, "matter", code); err != nil {
		return err
	}
	changed := false
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var err error
		changed, err = s.setActiveTx(ctx, tx, code, active)
		return err
	})
	if err == nil && changed {
		s.changed(ctx, code)
	}
	return err
}

// setActiveTx sets the flag inside tx and reports whether it changed.
func (s *Service) setActiveTx(ctx context.Context, tx *db.Tx, code string, active bool) (bool, error) {
	if err := lockMatter(ctx, tx, code); err != nil {
		return false, err
	}
	m, err := loadMatter(ctx, tx, code)
	if err != nil {
		return false, err
	}
	if m.Active == active {
		return false, nil
	}
	if !active && len(m.InBundles) > 0 {
		return false, errs.Conflict("matter_in_bundle", i18n.M(
			fmt.Sprintf("该事项属于一件事 %s，请先从一件事中移除", strings.Join(m.InBundles, "、")),
			fmt.Sprintf("The matter belongs to the bundles %s; remove it from them first", strings.Join(m.InBundles, ", "))))
	}
	if _, err := tx.ExecContext(ctx, "UPDATE matters SET active = ?, updated_at = ? WHERE code = ?", active, s.now(), code); err != nil {
		return false, fmt.Errorf("set matter %s active: %w", code, err)
	}
	action := "matter.deactivate"
	if active {
		action = "matter.activate"
	}
	return true, audit.Write(ctx, tx, audit.Event{Action: action, ObjectType: "matter", ObjectID: code,
		Detail: map[string]any{"before": map[string]any{"active": m.Active}, "after": map[string]any{"active": active}}})
}

// sameContent reports whether a stored version and a checked input hold
// the same elements; the change note and the version's own metadata do not
// count.
func sameContent(a, b Version) bool {
	return string(contentJSON(a)) == string(contentJSON(b))
}

func contentJSON(v Version) []byte {
	v.MatterCode, v.Version, v.ChangeNote, v.CreatedAt, v.CreatedBy = "", 0, "", time.Time{}, ""
	if v.Events == nil {
		v.Events = []string{}
	}
	if v.FormFields == nil {
		v.FormFields = []FormField{}
	}
	if v.Materials == nil {
		v.Materials = []Material{}
	}
	b, _ := json.Marshal(v)
	return b
}

// snapshot is the audit view of a matter: every element by its API name.
func snapshot(m Matter) map[string]any {
	v := m.Current
	return map[string]any{
		"code": m.Code, "basic_code": m.BasicCode, "active": m.Active, "name": v.Name, "name_en": v.NameEn,
		"type": v.Type, "department_code": v.DepartmentCode, "exercise_level": v.ExerciseLevel,
		"legal_basis": v.LegalBasis, "legal_limit_days": v.LegalLimitDays, "committed_limit_days": v.CommittedLimitDays,
		"limit_note": v.LimitNote, "case_type": v.CaseType, "visits": v.Visits, "online_depth": v.OnlineDepth,
		"mail_delivery": v.MailDelivery, "fee_basis": v.FeeBasis, "fee_fen": v.FeeFen,
		"accept_conditions": v.AcceptConditions, "process": v.Process, "location": v.Location, "hours": v.Hours,
		"consult_phone": v.ConsultPhone, "complaint_phone": v.ComplaintPhone, "result_name": v.ResultName,
		"events": v.Events, "form_fields": v.FormFields, "materials": v.Materials,
	}
}

// diff keeps the keys whose values differ.
func diff(before, after map[string]any) (map[string]any, map[string]any) {
	b, a := map[string]any{}, map[string]any{}
	for k, av := range after {
		bv := before[k]
		bj, _ := json.Marshal(bv)
		aj, _ := json.Marshal(av)
		if string(bj) != string(aj) {
			b[k], a[k] = bv, av
		}
	}
	return b, a
}
