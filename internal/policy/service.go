package policy

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
)

// seesDrafts reports whether p may see drafts and unpublished policies.
func seesDrafts(p *identity.Principal) bool {
	return p.Can(identity.PermPolicyManage) || p.Can(identity.PermPolicyRead)
}

func idStr(id int64) string { return strconv.FormatInt(id, 10) }

// Create stores a new policy as draft version 1. It returns ErrForbidden
// unless the caller may manage policies, ErrInvalid listing every bad field
// (including failing tests and an unknown department), and ErrConflict when
// the code is taken.
func (s *Service) Create(ctx context.Context, in Input) (Policy, error) {
	if !identity.PrincipalFrom(ctx).Can(identity.PermPolicyManage) {
		return Policy{}, s.deny(ctx, "policy.create", "policy", in.Code)
	}
	if _, err := s.check(ctx, &in); err != nil {
		return Policy{}, err
	}
	var id int64
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		now := s.now()
		err := tx.QueryRowContext(ctx, `INSERT INTO policies (code, status, latest_version, published_version, rev, created_at, updated_at)
			VALUES (?, 'draft', 1, 0, 1, ?, ?) RETURNING id`, in.Code, now, now).Scan(&id)
		if db.IsUniqueViolation(err) {
			return errs.Conflict("policy_code_taken", i18n.M("政策编码“"+in.Code+"”已被使用", "The policy code “"+in.Code+"” is taken"))
		}
		if err != nil {
			return wrap("insert policy", err)
		}
		if err := insertVersion(ctx, tx, id, 1, in, actorName(ctx), now); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Event{Action: "policy.create", ObjectType: "policy", ObjectID: idStr(id),
			Detail: map[string]any{"code": in.Code, "title": in.Title, "version": 1}})
	})
	if err != nil {
		return Policy{}, err
	}
	return s.Get(ctx, id)
}

// check validates in and that its department exists.
func (s *Service) check(ctx context.Context, in *Input) (compiled, error) {
	c, err := in.compile()
	fields := errs.Fields{}
	for k, v := range errs.FieldsOf(err) {
		fields[k] = v
	}
	if err != nil && fields == nil {
		return compiled{}, err
	}
	if in.Department != "" {
		var n int
		if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM departments WHERE code = ?", in.Department).Scan(&n); err != nil {
			return compiled{}, wrap("check department", err)
		}
		if n == 0 {
			fields.Add("department_code", i18n.M("部门“"+in.Department+"”不存在", "No department “"+in.Department+"”"))
		}
	}
	if err := fields.Err(); err != nil {
		return compiled{}, err
	}
	return c, nil
}

// Update edits a policy. When the newest version is a draft it is
// rewritten; when it is published a new draft version is created, so a
// published version never changes. baseRev is the Policy.Rev the editor
// saw: ErrPreconditionRequired without it, ErrPrecondition when stale. The
// code cannot change.
func (s *Service) Update(ctx context.Context, id int64, baseRev int, in Input) (Policy, error) {
	if !identity.PrincipalFrom(ctx).Can(identity.PermPolicyManage) {
		return Policy{}, s.deny(ctx, "policy.update", "policy", idStr(id))
	}
	if baseRev == 0 {
		return Policy{}, ErrRevRequired
	}
	if _, err := s.check(ctx, &in); err != nil {
		return Policy{}, err
	}
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		row, err := loadPolicyRow(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if row.Rev != baseRev {
			return errStale(row.Rev)
		}
		if in.Code != row.Code {
			return errs.Invalid("code", i18n.M("政策编码不能修改（"+row.Code+"）", "The policy code cannot change ("+row.Code+")"))
		}
		now := s.now()
		number := row.Latest
		if row.Published == row.Latest { // the newest is published: start a new draft
			number = row.Latest + 1
			if err := insertVersion(ctx, tx, id, number, in, actorName(ctx), now); err != nil {
				return err
			}
		} else {
			def, err := marshalDefinition(in)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE policy_versions SET title = ?, level = ?, shelf = ?, mode = ?, department_code = ?,
				valid_from = ?, valid_to = ?, definition = ?, created_at = ?, created_by = ? WHERE policy_id = ? AND number = ? AND state = 'draft'`,
				in.Title, in.Level, in.Shelf, in.Mode, in.Department, in.ValidFrom, in.ValidTo, def, now, actorName(ctx), id, number); err != nil {
				return wrap("update draft", err)
			}
		}
		if err := bumpPolicy(ctx, tx, id, row.Rev, "latest_version = ?", number); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Event{Action: "policy.update", ObjectType: "policy", ObjectID: idStr(id),
			Detail: map[string]any{"version": number, "title": in.Title}})
	})
	if err != nil {
		return Policy{}, err
	}
	return s.Get(ctx, id)
}

// Publish publishes the newest draft version with the day its rules take
// effect (YYYY-MM-DD; today when empty), or puts an unpublished policy back
// on the shelves. Its tests must pass; the effective date may not precede
// the previous published version's. After the commit every enterprise
// newly eligible is told (see push.go).
func (s *Service) Publish(ctx context.Context, id int64, baseRev int, effectiveFrom string) (Policy, error) {
	if !identity.PrincipalFrom(ctx).Can(identity.PermPolicyManage) {
		return Policy{}, s.deny(ctx, "policy.publish", "policy", idStr(id))
	}
	if baseRev == 0 {
		return Policy{}, ErrRevRequired
	}
	if effectiveFrom == "" {
		effectiveFrom = s.today().String()
	}
	if !isDate(effectiveFrom) {
		return Policy{}, errs.Invalid("effective_from", i18n.M("生效日期格式须为 YYYY-MM-DD", "The effective date is written YYYY-MM-DD"))
	}
	var number int
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		row, err := loadPolicyRow(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if row.Rev != baseRev {
			return errStale(row.Rev)
		}
		number = row.Latest
		if row.Published == row.Latest {
			if row.Status == StatusPublished {
				return errs.Conflict("nothing_to_publish", i18n.M("没有待发布的新版本", "There is no new version to publish"))
			}
			// Back on the shelves with the version it had.
			if err := bumpPolicy(ctx, tx, id, row.Rev, "status = 'published'"); err != nil {
				return err
			}
			return audit.Write(ctx, tx, audit.Event{Action: "policy.republish", ObjectType: "policy", ObjectID: idStr(id),
				Detail: map[string]any{"version": number}})
		}
		v, err := loadVersion(ctx, tx, id, number)
		if err != nil {
			return err
		}
		if err := v.Input.Validate(); err != nil { // tests again: the catalogue may have changed since saving
			return err
		}
		if v.Input.ValidTo != "" && effectiveFrom > v.Input.ValidTo {
			return errs.Invalid("effective_from", i18n.M(
				fmt.Sprintf("生效日期晚于政策有效期截止日 %s，该版本将永不生效", v.Input.ValidTo),
				fmt.Sprintf("The effective date is after the policy's last valid day (%s); the version would never apply", v.Input.ValidTo)))
		}
		if row.Published > 0 {
			prev, err := loadVersion(ctx, tx, id, row.Published)
			if err != nil {
				return err
			}
			if effectiveFrom < prev.EffectiveFrom {
				return errs.Invalid("effective_from", i18n.M(
					fmt.Sprintf("生效日期不能早于上一版本（第 %d 版）的生效日期 %s", prev.Number, prev.EffectiveFrom),
					fmt.Sprintf("The effective date cannot precede version %d's (%s)", prev.Number, prev.EffectiveFrom)))
			}
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE policy_versions SET state = 'published', effective_from = ?, published_at = ?, published_by = ?
			WHERE policy_id = ? AND number = ? AND state = 'draft'`, effectiveFrom, now, actorName(ctx), id, number); err != nil {
			return wrap("publish version", err)
		}
		if err := bumpPolicy(ctx, tx, id, row.Rev, "status = 'published', published_version = ?", number); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Event{Action: "policy.publish", ObjectType: "policy", ObjectID: idStr(id),
			Detail: map[string]any{"version": number, "effective_from": effectiveFrom}})
	})
	if err != nil {
		return Policy{}, err
	}
	s.pushPublished(ctx, id)
	return s.Get(ctx, id)
}

// Unpublish takes a policy off the shelves: it no longer matches, and no
// new application or run can start. Decisions already made stand.
func (s *Service) Unpublish(ctx context.Context, id int64, baseRev int) (Policy, error) {
	if !identity.PrincipalFrom(ctx).Can(identity.PermPolicyManage) {
		return Policy{}, s.deny(ctx, "policy.unpublish", "policy", idStr(id))
	}
	if baseRev == 0 {
		return Policy{}, ErrRevRequired
	}
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		row, err := loadPolicyRow(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if row.Rev != baseRev {
			return errStale(row.Rev)
		}
		if row.Status != StatusPublished {
			return errs.Conflict("not_published", i18n.M("政策未发布，无需下架", "The policy is not published"))
		}
		if err := bumpPolicy(ctx, tx, id, row.Rev, "status = 'unpublished'"); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Event{Action: "policy.unpublish", ObjectType: "policy", ObjectID: idStr(id)})
	})
	if err != nil {
		return Policy{}, err
	}
	return s.Get(ctx, id)
}

// Get returns a policy with the version the caller is shown: staff who
// may see drafts get the newest version; everyone else the published
// version in effect today (ErrNotFound when there is none).
func (s *Service) Get(ctx context.Context, id int64) (Policy, error) {
	row, err := loadPolicyRow(ctx, s.db, id, false)
	if err != nil {
		return Policy{}, err
	}
	return s.present(ctx, row)
}

// GetByCode is Get by the policy's code.
func (s *Service) GetByCode(ctx context.Context, code string) (Policy, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, "SELECT id FROM policies WHERE code = ?", code).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return Policy{}, errPolicyNotFound
	}
	if err != nil {
		return Policy{}, wrap("find policy", err)
	}
	return s.Get(ctx, id)
}

// present fills the shown version for the caller.
func (s *Service) present(ctx context.Context, row Policy) (Policy, error) {
	if seesDrafts(identity.PrincipalFrom(ctx)) {
		v, err := s.version(ctx, row.ID, row.Latest)
		if err != nil {
			return Policy{}, err
		}
		row.Current = *v
		return row, nil
	}
	if row.Status != StatusPublished {
		return Policy{}, errPolicyNotFound
	}
	v, err := s.shownVersion(ctx, row, s.today().String())
	if err != nil {
		return Policy{}, err
	}
	row.Current = *v
	return row, nil
}

// shownVersion is the published version in effect on date, or the
// earliest one announced for later when none is in effect yet.
func (s *Service) shownVersion(ctx context.Context, row Policy, date string) (*Version, error) {
	vs, err := s.publishedVersions(ctx, row.ID)
	if err != nil {
		return nil, err
	}
	if len(vs) == 0 {
		return nil, errPolicyNotFound
	}
	if v := effectiveOn(vs, date); v != nil {
		return v, nil
	}
	return vs[0], nil
}

// effectiveOn picks, among published versions in number order, the one in
// effect on date: the latest effective_from not after date, the higher
// number winning a tie. nil when none has taken effect.
func effectiveOn(vs []*Version, date string) *Version {
	var best *Version
	for _, v := range vs {
		if v.EffectiveFrom <= date && (best == nil || v.EffectiveFrom >= best.EffectiveFrom) {
			best = v
		}
	}
	return best
}

// Version returns version n of a policy. Drafts are shown only to staff
// who may see them.
func (s *Service) Version(ctx context.Context, id int64, n int) (Version, error) {
	row, err := loadPolicyRow(ctx, s.db, id, false)
	if err != nil {
		return Version{}, err
	}
	v, err := s.version(ctx, id, n)
	if err != nil {
		return Version{}, err
	}
	if !seesDrafts(identity.PrincipalFrom(ctx)) && (v.State != VersionPublished || row.Status != StatusPublished) {
		return Version{}, errVersionNotFound
	}
	return *v, nil
}

// Versions lists a policy's versions, newest first (published ones only
// for callers who may not see drafts).
func (s *Service) Versions(ctx context.Context, id int64) ([]Version, error) {
	row, err := loadPolicyRow(ctx, s.db, id, false)
	if err != nil {
		return nil, err
	}
	drafts := seesDrafts(identity.PrincipalFrom(ctx))
	if !drafts && row.Status != StatusPublished {
		return nil, errPolicyNotFound
	}
	var out []Version
	for n := row.Latest; n >= 1; n-- {
		v, err := s.version(ctx, id, n)
		if err != nil {
			return nil, err
		}
		if v.State == VersionPublished || drafts {
			out = append(out, *v)
		}
	}
	return out, nil
}

// RunTests runs a definition's own tests without saving it. It returns
// ErrInvalid when the definition does not compile (its tests cannot run).
func (s *Service) RunTests(ctx context.Context, in Input) ([]TestResult, error) {
	in.normalise()
	rule, err := compileRule(in)
	if err != nil {
		return nil, err
	}
	v := Version{Input: in, rule: rule.rule, formula: rule.formula}
	return runTests(&v), nil
}

// compileRule compiles conditions and formula only.
func compileRule(in Input) (compiled, error) {
	f := errs.Fields{}
	var c compiled
	c.formula = in.checkBenefit(f)
	rule, err := eligibilityCompile(in)
	if err != nil {
		for k, v := range errs.FieldsOf(err) {
			f.Add(k, v)
		}
	}
	c.rule = rule
	return c, f.Err()
}

// actorName names the acting principal for the versions' created_by.
func actorName(ctx context.Context) string {
	p := identity.PrincipalFrom(ctx)
	if p == nil {
		return ""
	}
	if p.DisplayName != "" {
		return p.DisplayName
	}
	return p.Username
}

// bumpPolicy sets columns on a policy and moves its revision on, failing
// with ErrPrecondition when another writer moved it first.
func bumpPolicy(ctx context.Context, tx *db.Tx, id int64, rev int, set string, args ...any) error {
	args = append(args, time.Now().UTC(), id, rev)
	res, err := tx.ExecContext(ctx, "UPDATE policies SET "+set+", rev = rev + 1, updated_at = ? WHERE id = ? AND rev = ?", args...)
	if err != nil {
		return wrap("update policy", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errStale(rev + 1)
	}
	return nil
}
