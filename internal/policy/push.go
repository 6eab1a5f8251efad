package policy

import (
	"context"
	"time"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/eligibility"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/notify"
)

// Push records that an enterprise was told of a policy it qualifies for;
// liaison officers list them to follow up. A firm is told once per policy.
type Push struct {
	ID             int64
	PolicyID       int64
	PolicyTitle    string
	PolicyVersion  int
	EnterpriseID   int64
	EnterpriseName string
	Reason         string // published or profile_changed
	CreatedAt      time.Time
}

// Push reasons.
const (
	PushPublished      = "published"
	PushProfileChanged = "profile_changed"
)

// pushBatch bounds the pushes written per transaction.
const pushBatch = 500

// pushPublished tells every enterprise eligible for a policy's version in
// effect today that was not told before. It runs after the publication
// has committed; a failure is logged (the next Tick tries again).
func (s *Service) pushPublished(ctx context.Context, id int64) {
	ctx = context.WithoutCancel(ctx) // the publication stands; finish telling firms
	if _, err := s.pushPolicy(ctx, id, s.today().String()); err != nil {
		s.log.Error("push published policy", "policy", id, "err", err)
	}
}

// pushPolicy pushes one policy as of date and returns how many firms were
// newly told.
func (s *Service) pushPolicy(ctx context.Context, id int64, date string) (int, error) {
	l, err := s.livePolicy(ctx, id, date)
	if err != nil {
		return 0, nil // not in effect (yet): nothing to push
	}
	set, err := s.outcomes(ctx, l.version.rule, date)
	if err != nil {
		return 0, err
	}
	eligible := set.Eligible
	total := 0
	for from := 0; from < len(eligible); from += pushBatch {
		batch := eligible[from:min(from+pushBatch, len(eligible))]
		n, err := s.writePushes(ctx, l, batch, PushPublished)
		if err != nil {
			return total, err
		}
		total += n
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, "UPDATE policies SET pushed_version = ? WHERE id = ? AND pushed_version < ?", l.version.Number, id, l.version.Number)
		return wrap("mark pushed", err)
	})
	return total, err
}

// writePushes records pushes for firms not told before and notifies them,
// in one transaction; it returns how many were new.
func (s *Service) writePushes(ctx context.Context, l live, firms []int64, reason string) (int, error) {
	n := 0
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		n = 0
		now := s.now()
		for _, eid := range firms {
			res, err := tx.ExecContext(ctx, `INSERT INTO policy_pushes (policy_id, policy_version, enterprise_id, reason, created_at)
				VALUES (?, ?, ?, ?, ?) ON CONFLICT (policy_id, enterprise_id) DO NOTHING`, l.policy.ID, l.version.Number, eid, reason, now)
			if err != nil {
				return wrap("insert push", err)
			}
			if k, _ := res.RowsAffected(); k == 0 {
				continue // told before
			}
			n++
			if err := notify.Post(ctx, tx, notify.Notice{Kind: "policy.push",
				Title: i18n.M("您可能符合政策："+l.version.Title, "A policy you may qualify for: "+l.version.TitleEn),
				Body:  i18n.M(l.version.Summary, l.version.Summary),
				Link:  "/policies/" + idStr(l.policy.ID)}, notify.Enterprise(eid)); err != nil {
				return err
			}
		}
		if n == 0 {
			return nil
		}
		return audit.Write(identity.WithPrincipal(ctx, identity.System("policy-push")), tx, audit.Event{Action: "policy.push",
			ObjectType: "policy", ObjectID: idStr(l.policy.ID), Detail: map[string]any{"version": l.version.Number, "reason": reason, "enterprises": n}})
	})
	return n, err
}

// pushDue pushes the versions that have taken effect by date but were
// not pushed yet (published for a later date, or a push that failed).
func (s *Service) pushDue(ctx context.Context, date string) (int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT p.id FROM policies p WHERE p.status = 'published' AND EXISTS (
		SELECT 1 FROM policy_versions v WHERE v.policy_id = p.id AND v.state = 'published' AND v.number > p.pushed_version AND v.effective_from <= ?)
		ORDER BY p.id`, date)
	if err != nil {
		return 0, wrap("due pushes", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	total := 0
	for _, id := range ids {
		n, err := s.pushPolicy(ctx, id, date)
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}

// EnterpriseChanged is the registry's OnChange hook: after a profile
// changes, every live policy the firm now qualifies for and was never told
// of is pushed (a firm eligible before was told then, so only a change
// from not eligible to eligible produces a push).
func (s *Service) EnterpriseChanged(ctx context.Context, id int64) {
	// The change has committed; the request may end right after.
	ctx = context.WithoutCancel(ctx)
	if err := s.pushEnterprise(ctx, id); err != nil {
		s.log.Error("push after profile change", "enterprise", id, "err", err)
	}
}

func (s *Service) pushEnterprise(ctx context.Context, id int64) error {
	today := s.today().String()
	pols, err := s.livePolicies(ctx, today)
	if err != nil || len(pols) == 0 {
		return err
	}
	p, err := s.match.Profile(ctx, id, today)
	if err != nil {
		return err
	}
	for _, l := range pols {
		if l.version.rule.Outcome(p) != eligibility.Eligible {
			continue
		}
		if _, err := s.writePushes(ctx, l, []int64{id}, PushProfileChanged); err != nil {
			return err
		}
	}
	return nil
}

// PushFilter selects pushes.
type PushFilter struct {
	EnterpriseID int64
	PolicyID     int64
	Limit        int // default 100, max 1000
}

// ListPushes lists pushes, newest first: liaison officers, policy staff and
// supervisors see all; an enterprise its own.
func (s *Service) ListPushes(ctx context.Context, f PushFilter) ([]Push, error) {
	p := identity.PrincipalFrom(ctx)
	switch {
	case p.Can(identity.PermPolicyPushes):
	case p.Can(identity.PermEnterpriseOwn):
		f.EnterpriseID = p.EnterpriseID
	default:
		return nil, s.deny(ctx, "policy.pushes", "policy", "")
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 100
	}
	q := `SELECT x.id, x.policy_id, x.policy_version, x.enterprise_id, e.name, x.reason, x.created_at FROM policy_pushes x
		JOIN enterprises e ON e.id = x.enterprise_id WHERE 1 = 1`
	var args []any
	if f.EnterpriseID != 0 {
		q += " AND x.enterprise_id = ?"
		args = append(args, f.EnterpriseID)
	}
	if f.PolicyID != 0 {
		q += " AND x.policy_id = ?"
		args = append(args, f.PolicyID)
	}
	rows, err := s.db.QueryContext(ctx, q+" ORDER BY x.id DESC LIMIT ?", append(args, f.Limit)...)
	if err != nil {
		return nil, wrap("list pushes", err)
	}
	var out []Push
	for rows.Next() {
		var x Push
		if err := rows.Scan(&x.ID, &x.PolicyID, &x.PolicyVersion, &x.EnterpriseID, &x.EnterpriseName, &x.Reason, &x.CreatedAt); err != nil {
			rows.Close()
			return nil, err
		}
		x.CreatedAt = x.CreatedAt.UTC()
		out = append(out, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if v, err := s.version(ctx, out[i].PolicyID, out[i].PolicyVersion); err == nil {
			out[i].PolicyTitle = v.Title
		}
	}
	return out, nil
}
