package policy

import (
	"context"
	"strconv"
	"strings"
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
		var told []int64
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
			told = append(told, eid)
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
		if err := tellLiaisons(ctx, tx, l, told, reason); err != nil {
			return err
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

// PairedPushesOnly reports whether p sees only the pushes to the
// enterprises it serves as their liaison officer (亲清特使): a follower of
// pushes who does not read policy work as a whole.
func PairedPushesOnly(p *identity.Principal) bool {
	return p.Can(identity.PermPolicyPushes) && !p.Can(identity.PermPolicyRead)
}

// ListPushes lists pushes, newest first: policy staff and supervisors see
// all; a liaison officer those to the enterprises paired with it; an
// enterprise its own.
func (s *Service) ListPushes(ctx context.Context, f PushFilter) ([]Push, error) {
	p := identity.PrincipalFrom(ctx)
	switch {
	case p.Can(identity.PermPolicyPushes): // a liaison officer's are narrowed below
	case p.Can(identity.PermEnterpriseOwn):
		f.EnterpriseID = p.EnterpriseID
	default:
		return nil, s.deny(ctx, "policy.pushes", "policy", "")
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 100
	}
	q := `SELECT x.id, x.policy_id, x.policy_version, x.enterprise_id, e.name, x.reason, x.created_at FROM policy_pushes x
		JOIN enterprises e ON e.id = x.enterprise_id`
	var args []any
	if PairedPushesOnly(p) {
		q += " JOIN enterprise_liaisons l ON l.enterprise_id = x.enterprise_id AND l.account_id = ?"
		args = append(args, p.AccountID)
	}
	q += " WHERE 1 = 1"
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

// liaisonShown is how many firm names one liaison notice lists.
const liaisonShown = 5

// tellLiaisons posts, inside tx, one inbox notice to each liaison officer
// serving some of the firms just told of l, so that the officer can follow
// them up: naming the firm when it is one, else counting them (a policy
// published to many firms must not flood the officer's inbox).
func tellLiaisons(ctx context.Context, tx *db.Tx, l live, told []int64, reason string) error {
	in, args := db.In(told)
	rows, err := tx.QueryContext(ctx, `SELECT l.account_id, e.id, e.name FROM enterprise_liaisons l
		JOIN enterprises e ON e.id = l.enterprise_id WHERE l.enterprise_id IN `+in+` ORDER BY l.account_id, e.id`, args...)
	if err != nil {
		return wrap("liaisons of told firms", err)
	}
	type firm struct {
		id   int64
		name string
	}
	var officers []int64
	served := map[int64][]firm{}
	for rows.Next() {
		var acc int64
		var f firm
		if err := rows.Scan(&acc, &f.id, &f.name); err != nil {
			rows.Close()
			return err
		}
		if _, ok := served[acc]; !ok {
			officers = append(officers, acc)
		}
		served[acc] = append(served[acc], f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	why := pushWhy(reason)
	title, titleEn := l.version.Title, l.version.TitleEn
	for _, acc := range officers {
		fs := served[acc]
		n := notify.Notice{Kind: "policy.push.liaison",
			Title: i18n.M("企业新符合政策："+title, "A firm you serve now qualifies: "+titleEn),
			Body: i18n.M(fs[0].name+why.Zh+"符合「"+title+"」，平台已告知企业。请联系企业，帮助其申请或确认兑现。",
				fs[0].name+" qualifies for “"+titleEn+"” "+why.En+" and has been told. Contact the firm and help it apply or confirm its payout."),
			Link: "/enterprises/" + idStr(fs[0].id) + "#firm-matches"}
		if len(fs) > 1 {
			var zh, en []string
			for _, f := range fs[:min(len(fs), liaisonShown)] {
				zh, en = append(zh, f.name), append(en, f.name)
			}
			if len(fs) > liaisonShown {
				zh[len(zh)-1] += "等"
				en = append(en, "…")
			}
			k := strconv.Itoa(len(fs))
			n.Title = i18n.M(k+" 家企业新符合政策："+title, k+" firms you serve now qualify: "+titleEn)
			n.Body = i18n.M("您联系服务的"+strings.Join(zh, "、")+" "+k+" 家企业"+why.Zh+"符合「"+title+"」，平台已告知企业。请逐一联系，帮助其申请或确认兑现。",
				k+" firms you serve ("+strings.Join(en, ", ")+") qualify for “"+titleEn+"” "+why.En+" and have been told. Contact them and help them apply or confirm their payouts.")
			n.Link = "/policy-pushes?policy=" + idStr(l.policy.ID)
		}
		if err := notify.Post(ctx, tx, n, notify.Account(acc)); err != nil {
			return err
		}
	}
	return nil
}

// pushWhy says when the firms came to qualify.
func pushWhy(reason string) i18n.Msg {
	if reason == PushProfileChanged {
		return i18n.M("在企业档案变更后", "after a profile change")
	}
	return i18n.M("在政策发布时", "as it was published")
}
