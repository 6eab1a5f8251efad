package policy

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/calendar"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/notify"
)

// PublicityBatch is one 公示: approved recipients of a policy shown to the
// public until EndsOn (inclusive), during which anyone may object.
type PublicityBatch struct {
	ID          int64
	PolicyID    int64
	PolicyTitle string
	StartsOn    string
	EndsOn      string // the last day of the window
	Days        int    // working days
	State       string // open or closed
	CreatedBy   string
	CreatedAt   time.Time
	Items       []PublicityItem
}

// Open reports whether objections are still taken on date.
func (b PublicityBatch) Open(date string) bool { return b.State == "open" && date <= b.EndsOn }

// PublicityItem is one recipient in a 公示: what the public sees is the
// enterprise's name, the policy and the amount.
type PublicityItem struct {
	ApplicationID  int64
	ApplicationNo  string
	EnterpriseName string
	PolicyTitle    string
	AmountFen      int64
	State          AppState
}

// ObjectionInput is an objection anyone may raise during a 公示.
type ObjectionInput struct {
	Name    string
	Contact string
	Reason  string
}

// PublicityObjection is a stored objection (its contact is for officers).
type PublicityObjection struct {
	ID            int64
	BatchID       int64
	ApplicationID int64
	Name          string
	Contact       string
	Reason        string
	State         string // open, upheld, dismissed
	DecisionNote  string
	DecidedBy     string
	CreatedAt     time.Time
}

// StartPublicity puts approved applications of one policy into a 公示
// lasting days working days from tomorrow (the configured default when 0).
// Only reviewing officers; every application must be approved with an
// amount, of this policy, and not yet in a 公示.
func (s *Service) StartPublicity(ctx context.Context, policyID int64, appIDs []int64, days int) (PublicityBatch, error) {
	if !identity.PrincipalFrom(ctx).Can(identity.PermPolicyReview) {
		return PublicityBatch{}, s.deny(ctx, "policy.publicity.start", "policy", idStr(policyID))
	}
	if days == 0 {
		days = s.cfg.PublicityDays
	}
	f := errs.Fields{}
	if days < 1 || days > 30 {
		f.Add("days", i18n.M("公示期为 1–30 个工作日", "Publicity lasts 1–30 working days"))
	}
	if len(appIDs) == 0 {
		f.Add("applications", i18n.M("请选择要公示的申请", "Choose the applications to publicise"))
	}
	if err := f.Err(); err != nil {
		return PublicityBatch{}, err
	}
	today := s.today()
	end, err := s.cal.AddWorkingDays(today, days)
	if err != nil {
		return PublicityBatch{}, err
	}
	var id int64
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		now := s.now()
		if _, err := loadPolicyRow(ctx, tx, policyID, false); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO policy_publicity_batches (policy_id, starts_on, ends_on, days, state, created_by, created_at)
			VALUES (?, ?, ?, ?, 'open', ?, ?) RETURNING id`, policyID, today.String(), end.Date.String(), days, actorName(ctx), now).Scan(&id); err != nil {
			return wrap("insert publicity", err)
		}
		for i, appID := range slices.Compact(slices.Sorted(slices.Values(appIDs))) {
			app, err := loadApp(ctx, tx, appID, true)
			if err != nil {
				return err
			}
			field := fmt.Sprintf("applications[%d]", i)
			switch {
			case app.PolicyID != policyID:
				f.Add(field, i18n.M(app.No+" 不是本政策的申请", app.No+" is not an application for this policy"))
				continue
			case app.State != AppApproved:
				f.Add(field, i18n.M(app.No+" 当前为“"+app.State.Label().Zh+"”，只有已核准的申请可以公示", app.No+" is not approved"))
				continue
			case app.ApprovedFen == nil || *app.ApprovedFen == 0:
				f.Add(field, i18n.M(app.No+" 没有核准金额，无需公示", app.No+" has no amount to publicise"))
				continue
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO policy_publicity_items (batch_id, application_id, amount_fen) VALUES (?, ?, ?)",
				id, app.ID, *app.ApprovedFen); err != nil {
				if db.IsUniqueViolation(err) {
					f.Add(field, i18n.M(app.No+" 已经公示过", app.No+" was publicised already"))
					continue
				}
				return wrap("insert publicity item", err)
			}
			if err := moveApp(ctx, tx, app, AppPublicity, nil, nil, now); err != nil {
				return err
			}
			if err := insertStep(ctx, tx, app.ID, "publicity", AppApproved, AppPublicity, "公示至 "+end.Date.String(), app.ApprovedFen,
				map[string]any{"batch_id": id, "ends_on": end.Date.String()}, now); err != nil {
				return err
			}
			if err := notify.Post(ctx, tx, notify.Notice{Kind: "policy.publicity", Title: i18n.M("您的政策兑现申请进入公示", "Your application is in publicity"),
				Body: i18n.M(app.No+" 公示至 "+end.Date.String(), app.No+" in publicity until "+end.Date.String()),
				Link: "/policy-applications/" + idStr(app.ID)}, notify.Enterprise(app.EnterpriseID)); err != nil {
				return err
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Event{Action: "policy.publicity.start", ObjectType: "policy_publicity", ObjectID: idStr(id),
			Detail: map[string]any{"policy_id": policyID, "applications": appIDs, "ends_on": end.Date.String()}})
	})
	if err != nil {
		return PublicityBatch{}, err
	}
	return s.GetPublicity(ctx, id)
}

// An objection needs no sign-in and puts a payment on hold, so one client
// address may file ObjectionsPerAddress of them per ObjectionWindow.
const (
	ObjectionsPerAddress = 5
	ObjectionWindow      = time.Hour
)

var errTooManyObjections = errs.New(errs.ErrTooManyRequest, "too_many_objections", i18n.M(
	"异议提交过于频繁，请 1 小时后再试；情况紧急的，请致电政策的受理部门",
	"Too many objections from this address; try again in an hour, or call the department that runs the policy"))

// ObjectToPublicity records an objection from anyone (no sign-in needed)
// to one recipient of an open 公示; the application is put on hold until
// an officer decides (Act with ActDecideObjection).
func (s *Service) ObjectToPublicity(ctx context.Context, batchID, appID int64, in ObjectionInput) (PublicityObjection, error) {
	// Counted whether or not the objection is accepted, before anything
	// else, so a burst cannot slip past; callers inside the platform have
	// no client address and are not limited.
	if ip := identity.RequestFrom(ctx).IP; ip != "" && !s.objections.Take(ip, s.now()) {
		return PublicityObjection{}, errTooManyObjections
	}
	in.Name, in.Contact, in.Reason = strings.TrimSpace(in.Name), strings.TrimSpace(in.Contact), strings.TrimSpace(in.Reason)
	f := errs.Fields{}
	if in.Name == "" {
		f.Add("name", i18n.M("请填写姓名或单位", "Your name or organisation is required"))
	}
	if in.Contact == "" {
		f.Add("contact", i18n.M("请填写联系方式，便于核实", "A contact is required so the objection can be checked"))
	}
	if in.Reason == "" {
		f.Add("reason", i18n.M("请写明异议理由", "State the grounds of the objection"))
	}
	if utf8.RuneCountInString(in.Reason) > 2000 || utf8.RuneCountInString(in.Name) > 100 || utf8.RuneCountInString(in.Contact) > 100 {
		f.Add("reason", i18n.M("内容过长", "Too long"))
	}
	if err := f.Err(); err != nil {
		return PublicityObjection{}, err
	}
	var obj PublicityObjection
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		b, err := loadBatch(ctx, tx, batchID)
		if err != nil {
			return err
		}
		today := s.today().String()
		if !b.Open(today) {
			return errs.Conflict("publicity_closed", i18n.M("公示期已结束，不再受理异议", "The publicity period is over"))
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM policy_publicity_items WHERE batch_id = ? AND application_id = ?", batchID, appID).Scan(&n); err != nil {
			return wrap("publicity item", err)
		}
		if n == 0 {
			return errs.NotFound(i18n.M("公示对象", "Publicity recipient"))
		}
		app, err := loadApp(ctx, tx, appID, true)
		if err != nil {
			return err
		}
		now := s.now()
		if err := tx.QueryRowContext(ctx, `INSERT INTO policy_publicity_objections (batch_id, application_id, name, contact, reason, state, created_at)
			VALUES (?, ?, ?, ?, ?, 'open', ?) RETURNING id`, batchID, appID, in.Name, in.Contact, in.Reason, now).Scan(&obj.ID); err != nil {
			return wrap("insert objection", err)
		}
		obj = PublicityObjection{ID: obj.ID, BatchID: batchID, ApplicationID: appID, Name: in.Name, Contact: in.Contact, Reason: in.Reason, State: "open", CreatedAt: now}
		if app.State == AppPublicity {
			if err := moveApp(ctx, tx, app, AppOnHold, nil, nil, now); err != nil {
				return err
			}
			if err := insertStep(ctx, tx, app.ID, "publicity_objection", AppPublicity, AppOnHold, in.Reason, nil, map[string]any{"objection_id": obj.ID}, now); err != nil {
				return err
			}
		}
		if err := notify.Post(ctx, tx, notify.Notice{Kind: "policy.publicity.objection", Title: i18n.M("公示期收到异议："+app.No, "Objection in publicity: "+app.No),
			Body: i18n.M(in.Reason, in.Reason), Link: "/policy-applications/" + idStr(app.ID)}, notify.Role(identity.RolePolicyOfficer)); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Event{Action: "policy.publicity.object", ObjectType: "policy_application", ObjectID: app.No,
			Detail: map[string]any{"batch_id": batchID, "objection_id": obj.ID}})
	})
	if err != nil {
		return PublicityObjection{}, err
	}
	return obj, nil
}

// decidePublicityObjections closes the open objections to app with the
// officer's decision and reports whether its 公示 window has ended.
func (s *Service) decidePublicityObjections(ctx context.Context, tx *db.Tx, app Application, a Action, now time.Time) (bool, error) {
	state := "dismissed"
	if a.Uphold {
		state = "upheld"
	}
	if _, err := tx.ExecContext(ctx, `UPDATE policy_publicity_objections SET state = ?, decision_note = ?, decided_by = ?, decided_at = ?
		WHERE application_id = ? AND state = 'open'`, state, a.Opinion, actorName(ctx), now, app.ID); err != nil {
		return false, wrap("decide objections", err)
	}
	var ends string
	err := tx.QueryRowContext(ctx, `SELECT b.ends_on FROM policy_publicity_items i JOIN policy_publicity_batches b ON b.id = i.batch_id
		WHERE i.application_id = ?`, app.ID).Scan(&ends)
	if err != nil {
		return false, wrap("publicity of application", err)
	}
	if a.Uphold {
		// The approval falls: the recipient leaves the 公示 so that a new
		// approval can be publicised again.
		if _, err := tx.ExecContext(ctx, "DELETE FROM policy_publicity_items WHERE application_id = ?", app.ID); err != nil {
			return false, wrap("remove from publicity", err)
		}
	}
	return s.today().String() > ends, nil
}

// Objections lists the objections raised to an application during 公示
// (officers and readers only: they carry the objector's contact).
func (s *Service) Objections(ctx context.Context, appID int64) ([]PublicityObjection, error) {
	p := identity.PrincipalFrom(ctx)
	if !p.Can(identity.PermPolicyReview) && !p.Can(identity.PermPolicyRead) {
		return nil, s.deny(ctx, "policy.publicity.objections", "policy_application", idStr(appID))
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, batch_id, application_id, name, contact, reason, state, decision_note, decided_by, created_at
		FROM policy_publicity_objections WHERE application_id = ? ORDER BY id`, appID)
	if err != nil {
		return nil, wrap("list objections", err)
	}
	defer rows.Close()
	var out []PublicityObjection
	for rows.Next() {
		var o PublicityObjection
		if err := rows.Scan(&o.ID, &o.BatchID, &o.ApplicationID, &o.Name, &o.Contact, &o.Reason, &o.State, &o.DecisionNote, &o.DecidedBy, &o.CreatedAt); err != nil {
			return nil, err
		}
		o.CreatedAt = o.CreatedAt.UTC()
		out = append(out, o)
	}
	return out, rows.Err()
}

func loadBatch(ctx context.Context, q db.Queryer, id int64) (PublicityBatch, error) {
	var b PublicityBatch
	err := q.QueryRowContext(ctx, `SELECT id, policy_id, starts_on, ends_on, days, state, created_by, created_at FROM policy_publicity_batches WHERE id = ?`, id).
		Scan(&b.ID, &b.PolicyID, &b.StartsOn, &b.EndsOn, &b.Days, &b.State, &b.CreatedBy, &b.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return b, errBatchNotFound
	}
	b.CreatedAt = b.CreatedAt.UTC()
	return b, wrap("load publicity", err)
}

// GetPublicity returns a 公示 with its recipients; anyone may read it.
func (s *Service) GetPublicity(ctx context.Context, id int64) (PublicityBatch, error) {
	b, err := loadBatch(ctx, s.db, id)
	if err != nil {
		return b, err
	}
	bs := []PublicityBatch{b}
	if err := s.fillBatches(ctx, bs); err != nil {
		return b, err
	}
	return bs[0], nil
}

// PublicityFilter selects 公示 batches.
type PublicityFilter struct {
	PolicyID int64
	Open     bool // only those still taking objections
}

// ListPublicity lists 公示 batches, newest first, with their recipients;
// anyone may read them (the public page).
func (s *Service) ListPublicity(ctx context.Context, f PublicityFilter) ([]PublicityBatch, error) {
	q := "SELECT id, policy_id, starts_on, ends_on, days, state, created_by, created_at FROM policy_publicity_batches WHERE 1 = 1"
	var args []any
	if f.PolicyID != 0 {
		q += " AND policy_id = ?"
		args = append(args, f.PolicyID)
	}
	if f.Open {
		q += " AND state = 'open' AND ends_on >= ?"
		args = append(args, s.today().String())
	}
	rows, err := s.db.QueryContext(ctx, q+" ORDER BY id DESC LIMIT 200", args...)
	if err != nil {
		return nil, wrap("list publicity", err)
	}
	var out []PublicityBatch
	for rows.Next() {
		var b PublicityBatch
		if err := rows.Scan(&b.ID, &b.PolicyID, &b.StartsOn, &b.EndsOn, &b.Days, &b.State, &b.CreatedBy, &b.CreatedAt); err != nil {
			rows.Close()
			return nil, err
		}
		b.CreatedAt = b.CreatedAt.UTC()
		out = append(out, b)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, s.fillBatches(ctx, out)
}

func (s *Service) fillBatches(ctx context.Context, bs []PublicityBatch) error {
	for i := range bs {
		b := &bs[i]
		rows, err := s.db.QueryContext(ctx, `SELECT a.id, a.app_no, e.name, a.policy_id, a.policy_version, i.amount_fen, a.state
			FROM policy_publicity_items i JOIN policy_applications a ON a.id = i.application_id JOIN enterprises e ON e.id = a.enterprise_id
			WHERE i.batch_id = ? ORDER BY a.id`, b.ID)
		if err != nil {
			return wrap("publicity items", err)
		}
		type ref struct {
			policy  int64
			version int
		}
		var refs []ref
		for rows.Next() {
			var it PublicityItem
			var r ref
			if err := rows.Scan(&it.ApplicationID, &it.ApplicationNo, &it.EnterpriseName, &r.policy, &r.version, &it.AmountFen, &it.State); err != nil {
				rows.Close()
				return err
			}
			b.Items = append(b.Items, it)
			refs = append(refs, r)
		}
		rows.Close()
		for j, r := range refs {
			v, err := s.version(ctx, r.policy, r.version)
			if err != nil {
				return err
			}
			b.Items[j].PolicyTitle = v.Title
			b.PolicyTitle = v.Title
		}
		if b.PolicyTitle == "" {
			row, err := loadPolicyRow(ctx, s.db, b.PolicyID, false)
			if err != nil {
				return err
			}
			if v, err := s.version(ctx, row.ID, max(row.Published, 1)); err == nil {
				b.PolicyTitle = v.Title
			}
		}
	}
	return nil
}

// TickReport says what a Tick did.
type TickReport struct {
	PublicityClosed int // 公示 batches whose window ended
	Payable         int // applications that became payable
	Pushed          int // enterprises told of a version that took effect
}

// Tick does the time-driven work, run by the app's background worker:
// every 公示 whose window ended by now closes, and its recipients without a
// standing objection become payable; versions whose effective date has
// come are pushed to newly eligible firms. It is idempotent.
func (s *Service) Tick(ctx context.Context, now time.Time) (TickReport, error) {
	var rep TickReport
	today := calendar.DateOf(now).String()
	rows, err := s.db.QueryContext(ctx, "SELECT id FROM policy_publicity_batches WHERE state = 'open' AND ends_on < ? ORDER BY id", today)
	if err != nil {
		return rep, wrap("due publicity", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return rep, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	for _, id := range ids {
		n, err := s.closeBatch(ctx, id, now)
		if err != nil {
			return rep, err
		}
		rep.PublicityClosed++
		rep.Payable += n
	}
	pushed, err := s.pushDue(ctx, today)
	rep.Pushed = pushed
	return rep, err
}

// closeBatch ends one 公示: recipients still in publicity become payable.
func (s *Service) closeBatch(ctx context.Context, id int64, now time.Time) (int, error) {
	n := 0
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		n = 0
		res, err := tx.ExecContext(ctx, "UPDATE policy_publicity_batches SET state = 'closed', closed_at = ? WHERE id = ? AND state = 'open'", now, id)
		if err != nil {
			return wrap("close publicity", err)
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return nil // another node closed it
		}
		rows, err := tx.QueryContext(ctx, "SELECT application_id FROM policy_publicity_items WHERE batch_id = ? ORDER BY application_id", id)
		if err != nil {
			return wrap("publicity items", err)
		}
		var apps []int64
		for rows.Next() {
			var a int64
			if err := rows.Scan(&a); err != nil {
				rows.Close()
				return err
			}
			apps = append(apps, a)
		}
		rows.Close()
		for _, appID := range apps {
			app, err := loadApp(ctx, tx, appID, true)
			if err != nil {
				return err
			}
			if app.State != AppPublicity {
				continue // on hold: decided by an officer
			}
			if err := moveApp(ctx, tx, app, AppPayable, nil, nil, now); err != nil {
				return err
			}
			if err := insertStep(ctx, tx, app.ID, "publicity_end", AppPublicity, AppPayable, "公示期满无异议", app.ApprovedFen, nil, now); err != nil {
				return err
			}
			if err := notify.Post(ctx, tx, notify.Notice{Kind: "policy.payable", Title: i18n.M("公示期满，待拨付", "Publicity over; awaiting payment"),
				Body: i18n.M(app.No, app.No), Link: "/policy-applications/" + idStr(app.ID)}, notify.Enterprise(app.EnterpriseID)); err != nil {
				return err
			}
			n++
		}
		return audit.Write(identity.WithPrincipal(ctx, identity.System("policy-tick")), tx, audit.Event{Action: "policy.publicity.close",
			ObjectType: "policy_publicity", ObjectID: idStr(id), Detail: map[string]any{"payable": n}})
	})
	return n, err
}
