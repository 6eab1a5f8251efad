package policy

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"strings"
	"time"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/money"
	"github.com/qinqing/qinqing/internal/notify"
)

// Run is a 免申即享 run: every enterprise evaluated for one policy and
// period, the eligible ones listed with their amounts, confirmed by an
// officer; firms then confirm their receiving account and are paid with no
// application.
type Run struct {
	ID            int64
	PolicyID      int64
	PolicyTitle   string
	PolicyVersion int
	Period        string
	AsOf          string // the evaluation date
	State         string // listed or confirmed
	Eligible      int
	TotalFen      int64
	CreatedBy     string
	CreatedAt     time.Time
	ConfirmedBy   string
	ConfirmedAt   *time.Time
	Rev           int
	Items         []RunItem
}

// RunItem is one listed enterprise of a run.
type RunItem struct {
	ID             int64
	RunID          int64
	RunState       string
	PolicyID       int64
	PolicyTitle    string
	Period         string
	EnterpriseID   int64
	EnterpriseName string
	AmountFen      int64
	State          string // listed, account_confirmed, paid
	BankName       string
	AccountName    string
	AccountMasked  string // the account number with all but the last four digits hidden
	ConfirmedAt    *time.Time
	Payment        *Payment
}

// AccountInput is the receiving account an enterprise confirms.
type AccountInput struct {
	BankName    string
	AccountName string
	AccountNo   string
}

// StartRun evaluates every enterprise for a 免申即享 policy as of asOf
// (today when empty) and lists the eligible ones with their amount, for
// one period ("2026" …, as the benefit's period requires). Firms whose
// amount cannot be computed, or who were already paid for the period, are
// left out. Rerunning replaces a list not yet confirmed.
func (s *Service) StartRun(ctx context.Context, policyID int64, period, asOf string) (Run, error) {
	if !identity.PrincipalFrom(ctx).Can(identity.PermPolicyManage) {
		return Run{}, s.deny(ctx, "policy.run.start", "policy", idStr(policyID))
	}
	asOf, err := s.asOf(asOf)
	if err != nil {
		return Run{}, err
	}
	l, err := s.livePolicy(ctx, policyID, asOf)
	if err != nil {
		return Run{}, err
	}
	v := l.version
	if v.Mode != ModeNoApply {
		return Run{}, errs.Conflict("not_no_apply", i18n.M("只有免申即享政策可以批量兑现", "Only no-application policies are paid by runs"))
	}
	if v.Benefit.Saving {
		return Run{}, errs.Conflict("no_money", i18n.M("该政策的减免由企业在纳税（缴费）申报时自行享受，平台不拨付资金",
			"The policy's saving is realised by the firm in its tax or fee return; the platform pays no money"))
	}
	if !v.Benefit.Pays() {
		return Run{}, errs.Conflict("no_money", i18n.M("该政策没有资金兑现", "The policy pays no money"))
	}
	if err := checkPeriodIn(v, period, s.today()); err != nil {
		return Run{}, err
	}
	type item struct {
		id  int64
		fen int64
	}
	var items []item
	set, err := s.outcomes(ctx, v.rule, asOf)
	if err != nil {
		return Run{}, err
	}
	for _, id := range set.Eligible {
		p, err := s.match.Profile(ctx, id, asOf)
		if errors.Is(err, errs.ErrNotFound) {
			continue // removed meanwhile
		}
		if err != nil {
			return Run{}, err
		}
		if fen, _, ok := v.Entitlement(p); ok && fen > 0 {
			items = append(items, item{id, fen})
		}
	}
	var runID int64
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		now := s.now()
		var state string
		// The run row is locked on PostgreSQL so that a confirmation in
		// flight is waited for, not overtaken (SQLite's single writer
		// serialises already).
		lock := ""
		if tx.Dialect() == db.Postgres {
			lock = " FOR UPDATE"
		}
		errConfirmed := errs.Conflict("run_confirmed", i18n.M("本期名单已确认，不能重新生成", "This period's list is confirmed and cannot be redone"))
		err := tx.QueryRowContext(ctx, "SELECT id, state FROM policy_runs WHERE policy_id = ? AND period = ?"+lock, policyID, period).Scan(&runID, &state)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			err := tx.QueryRowContext(ctx, `INSERT INTO policy_runs (policy_id, policy_version, period, as_of, state, eligible, total_fen, created_by, created_at)
				VALUES (?, ?, ?, ?, 'listed', 0, 0, ?, ?) RETURNING id`, policyID, v.Number, period, asOf, actorName(ctx), now).Scan(&runID)
			if db.IsUniqueViolation(err) {
				return errs.Conflict("run_started", i18n.M("本期名单正由他人同时生成，请刷新后再试", "Someone else is listing this period at the same time; reload and retry"))
			}
			if err != nil {
				return wrap("insert run", err)
			}
		case err != nil:
			return wrap("find run", err)
		case state != "listed":
			return errConfirmed
		default:
			res, err := tx.ExecContext(ctx, `UPDATE policy_runs SET policy_version = ?, as_of = ?, created_by = ?, created_at = ?, rev = rev + 1
				WHERE id = ? AND state = 'listed'`, v.Number, asOf, actorName(ctx), now, runID)
			if err != nil {
				return wrap("update run", err)
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return errConfirmed
			}
			if _, err := tx.ExecContext(ctx, "DELETE FROM policy_run_items WHERE run_id = ?", runID); err != nil {
				return wrap("clear run", err)
			}
		}
		paid := map[int64]bool{}
		rows, err := tx.QueryContext(ctx, "SELECT enterprise_id FROM policy_payments WHERE policy_id = ? AND period = ?", policyID, period)
		if err != nil {
			return wrap("paid firms", err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			paid[id] = true
		}
		rows.Close()
		n, total := 0, int64(0)
		for _, it := range items {
			if paid[it.id] {
				continue
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO policy_run_items (run_id, enterprise_id, amount_fen, state) VALUES (?, ?, ?, 'listed')",
				runID, it.id, it.fen); err != nil {
				return wrap("insert run item", err)
			}
			n++
			total += it.fen
		}
		if _, err := tx.ExecContext(ctx, "UPDATE policy_runs SET eligible = ?, total_fen = ? WHERE id = ?", n, total, runID); err != nil {
			return wrap("update run", err)
		}
		return audit.Write(ctx, tx, audit.Event{Action: "policy.run.start", ObjectType: "policy_run", ObjectID: idStr(runID),
			Detail: map[string]any{"policy_id": policyID, "version": v.Number, "period": period, "as_of": asOf, "eligible": n, "total_fen": total}})
	})
	if err != nil {
		return Run{}, err
	}
	return s.GetRun(ctx, runID)
}

// ConfirmRun confirms a run's list (a reviewing officer); every listed
// enterprise is told and asked to confirm its receiving account.
func (s *Service) ConfirmRun(ctx context.Context, runID int64, baseRev int) (Run, error) {
	if !identity.PrincipalFrom(ctx).Can(identity.PermPolicyReview) {
		return Run{}, s.deny(ctx, "policy.run.confirm", "policy_run", idStr(runID))
	}
	if baseRev == 0 {
		return Run{}, ErrRevRequired
	}
	pre, err := loadRun(ctx, s.db, runID)
	if err != nil {
		return Run{}, err
	}
	v, err := s.version(ctx, pre.PolicyID, pre.PolicyVersion)
	if err != nil {
		return Run{}, err
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		r, err := loadRun(ctx, tx, runID)
		if err != nil {
			return err
		}
		if r.Rev != baseRev {
			return errStale(r.Rev)
		}
		if r.State != "listed" {
			return errs.Conflict("run_confirmed", i18n.M("名单已确认", "The list is already confirmed"))
		}
		now := s.now()
		res, err := tx.ExecContext(ctx, "UPDATE policy_runs SET state = 'confirmed', confirmed_by = ?, confirmed_at = ?, rev = rev + 1 WHERE id = ? AND rev = ?",
			actorName(ctx), now, runID, baseRev)
		if err != nil {
			return wrap("confirm run", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errStale(baseRev + 1)
		}
		rows, err := tx.QueryContext(ctx, "SELECT id, enterprise_id, amount_fen FROM policy_run_items WHERE run_id = ? ORDER BY id", runID)
		if err != nil {
			return wrap("run items", err)
		}
		type it struct {
			id, ent, fen int64
		}
		var its []it
		for rows.Next() {
			var x it
			if err := rows.Scan(&x.id, &x.ent, &x.fen); err != nil {
				rows.Close()
				return err
			}
			its = append(its, x)
		}
		rows.Close()
		for _, x := range its {
			if err := notify.Post(ctx, tx, notify.Notice{Kind: "policy.run", Title: i18n.M("免申即享："+v.Title, "Paid without applying: "+v.Title),
				Body: i18n.M("贵企业符合条件，可获 "+money.FormatYuan(x.fen)+" 元（"+r.Period+"），请确认收款账户，无需申请。",
					"Your firm qualifies for "+money.FormatYuan(x.fen)+" yuan ("+r.Period+"); confirm your receiving account — no application needed."),
				Link: "/policy-runs/items/" + idStr(x.id)}, notify.Enterprise(x.ent)); err != nil {
				return err
			}
		}
		return audit.Write(ctx, tx, audit.Event{Action: "policy.run.confirm", ObjectType: "policy_run", ObjectID: idStr(runID),
			Detail: map[string]any{"eligible": r.Eligible, "total_fen": r.TotalFen}})
	})
	if err != nil {
		return Run{}, err
	}
	return s.GetRun(ctx, runID)
}

func loadRun(ctx context.Context, q db.Queryer, id int64) (Run, error) {
	var r Run
	var confirmed sql.NullTime
	err := q.QueryRowContext(ctx, `SELECT id, policy_id, policy_version, period, as_of, state, eligible, total_fen, created_by, created_at,
		confirmed_by, confirmed_at, rev FROM policy_runs WHERE id = ?`, id).Scan(&r.ID, &r.PolicyID, &r.PolicyVersion, &r.Period, &r.AsOf,
		&r.State, &r.Eligible, &r.TotalFen, &r.CreatedBy, &r.CreatedAt, &r.ConfirmedBy, &confirmed, &r.Rev)
	if errors.Is(err, sql.ErrNoRows) {
		return r, errRunNotFound
	}
	if confirmed.Valid {
		t := confirmed.Time.UTC()
		r.ConfirmedAt = &t
	}
	r.CreatedAt = r.CreatedAt.UTC()
	return r, wrap("load run", err)
}

// GetRun returns a run with its list (policy staff only).
func (s *Service) GetRun(ctx context.Context, id int64) (Run, error) {
	p := identity.PrincipalFrom(ctx)
	if !p.Can(identity.PermPolicyManage) && !p.Can(identity.PermPolicyReview) && !p.Can(identity.PermPolicyRead) {
		return Run{}, s.deny(ctx, "policy.run.read", "policy_run", idStr(id))
	}
	r, err := loadRun(ctx, s.db, id)
	if err != nil {
		return Run{}, err
	}
	v, err := s.version(ctx, r.PolicyID, r.PolicyVersion)
	if err != nil {
		return Run{}, err
	}
	r.PolicyTitle = v.Title
	r.Items, err = s.runItems(ctx, "i.run_id = ?", id)
	return r, err
}

// ListRuns lists a policy's runs, newest first, without their items
// (policy staff only).
func (s *Service) ListRuns(ctx context.Context, policyID int64) ([]Run, error) {
	p := identity.PrincipalFrom(ctx)
	if !p.Can(identity.PermPolicyManage) && !p.Can(identity.PermPolicyReview) && !p.Can(identity.PermPolicyRead) {
		return nil, s.deny(ctx, "policy.run.list", "policy", idStr(policyID))
	}
	rows, err := s.db.QueryContext(ctx, "SELECT id FROM policy_runs WHERE policy_id = ? ORDER BY id DESC", policyID)
	if err != nil {
		return nil, wrap("list runs", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	var out []Run
	for _, id := range ids {
		r, err := loadRun(ctx, s.db, id)
		if err != nil {
			return nil, err
		}
		if v, err := s.version(ctx, r.PolicyID, r.PolicyVersion); err == nil {
			r.PolicyTitle = v.Title
		}
		out = append(out, r)
	}
	return out, nil
}

// RunItemsFor lists what confirmed runs owe or paid an enterprise: its
// own users and policy staff.
func (s *Service) RunItemsFor(ctx context.Context, enterpriseID int64) ([]RunItem, error) {
	p := identity.PrincipalFrom(ctx)
	if !(p.Can(identity.PermPolicyReview) || p.Can(identity.PermPolicyRead) || mayApplyFor(p, enterpriseID)) {
		return nil, s.deny(ctx, "policy.run.items", "enterprise", idStr(enterpriseID))
	}
	return s.runItems(ctx, "i.enterprise_id = ? AND r.state = 'confirmed'", enterpriseID)
}

// GetRunItem returns one item: the enterprise listed, or policy staff.
func (s *Service) GetRunItem(ctx context.Context, id int64) (RunItem, error) {
	items, err := s.runItems(ctx, "i.id = ?", id)
	if err != nil {
		return RunItem{}, err
	}
	if len(items) == 0 {
		return RunItem{}, errItemNotFound
	}
	p := identity.PrincipalFrom(ctx)
	it := items[0]
	if !(p.Can(identity.PermPolicyReview) || p.Can(identity.PermPolicyRead) || p.Can(identity.PermPolicyManage) ||
		(mayApplyFor(p, it.EnterpriseID) && it.RunState == "confirmed")) {
		return RunItem{}, s.deny(ctx, "policy.run.item", "policy_run_item", idStr(id))
	}
	return it, nil
}

func (s *Service) runItems(ctx context.Context, where string, arg any) ([]RunItem, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT i.id, i.run_id, r.state, r.policy_id, r.policy_version, r.period, i.enterprise_id, e.name,
		i.amount_fen, i.state, i.bank_name, i.account_name, i.account_tail, i.confirmed_at
		FROM policy_run_items i JOIN policy_runs r ON r.id = i.run_id JOIN enterprises e ON e.id = i.enterprise_id
		WHERE `+where+` ORDER BY i.id`, arg)
	if err != nil {
		return nil, wrap("run items", err)
	}
	var out []RunItem
	var versions []int
	for rows.Next() {
		var it RunItem
		var ver int
		var tail string
		var confirmed sql.NullTime
		if err := rows.Scan(&it.ID, &it.RunID, &it.RunState, &it.PolicyID, &ver, &it.Period, &it.EnterpriseID, &it.EnterpriseName,
			&it.AmountFen, &it.State, &it.BankName, &it.AccountName, &tail, &confirmed); err != nil {
			rows.Close()
			return nil, err
		}
		if tail != "" {
			it.AccountMasked = "**** **** " + tail
		}
		if confirmed.Valid {
			t := confirmed.Time.UTC()
			it.ConfirmedAt = &t
		}
		out = append(out, it)
		versions = append(versions, ver)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if v, err := s.version(ctx, out[i].PolicyID, versions[i]); err == nil {
			out[i].PolicyTitle = v.Title
		}
		if out[i].State == "paid" {
			if out[i].Payment, err = s.paymentOf(ctx, "run_item_id", out[i].ID); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

var accountPattern = regexp.MustCompile(`^[0-9]{8,32}$`)

// ConfirmAccount records the receiving account of a listed enterprise —
// by its own users only, once the run is confirmed and before payment.
// The number is stored sealed when a data key is configured and is only
// ever shown masked.
func (s *Service) ConfirmAccount(ctx context.Context, itemID int64, in AccountInput) (RunItem, error) {
	p := identity.PrincipalFrom(ctx)
	in.BankName, in.AccountName = strings.TrimSpace(in.BankName), strings.TrimSpace(in.AccountName)
	in.AccountNo = strings.ReplaceAll(strings.TrimSpace(in.AccountNo), " ", "")
	f := errs.Fields{}
	if in.BankName == "" {
		f.Add("bank_name", i18n.M("请填写开户银行", "The bank is required"))
	}
	if in.AccountName == "" {
		f.Add("account_name", i18n.M("请填写账户名称", "The account name is required"))
	}
	if !accountPattern.MatchString(in.AccountNo) {
		f.Add("account_no", i18n.M("银行账号为 8–32 位数字", "The account number is 8–32 digits"))
	}
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var ent int64
		var state, runState, name string
		// Locked on PostgreSQL so that a payment in flight is waited for.
		lock := ""
		if tx.Dialect() == db.Postgres {
			lock = " FOR UPDATE OF i"
		}
		err := tx.QueryRowContext(ctx, `SELECT i.enterprise_id, i.state, r.state, e.name FROM policy_run_items i JOIN policy_runs r ON r.id = i.run_id
			JOIN enterprises e ON e.id = i.enterprise_id WHERE i.id = ?`+lock, itemID).Scan(&ent, &state, &runState, &name)
		if errors.Is(err, sql.ErrNoRows) {
			return errItemNotFound
		}
		if err != nil {
			return wrap("load run item", err)
		}
		if !mayApplyFor(p, ent) || runState != "confirmed" {
			return errForbiddenAfter
		}
		if err := f.Err(); err != nil {
			return err
		}
		errPaid := errs.Conflict("already_paid", i18n.M("已拨付，不能再修改收款账户", "Already paid; the account can no longer change"))
		if state == "paid" {
			return errPaid
		}
		if in.AccountName != name {
			return errs.Invalid("account_name", i18n.M("账户名称须与企业名称“"+name+"”一致（对公账户）", "The account must be in the firm's own name, “"+name+"”"))
		}
		tail := in.AccountNo[len(in.AccountNo)-4:]
		res, err := tx.ExecContext(ctx, `UPDATE policy_run_items SET state = 'account_confirmed', bank_name = ?, account_name = ?, account_no = ?,
			account_tail = ?, confirmed_by = ?, confirmed_at = ? WHERE id = ? AND state <> 'paid'`, in.BankName, in.AccountName, s.cfg.Seal.Seal(in.AccountNo), tail,
			nullID(p.AccountID), s.now(), itemID)
		if err != nil {
			return wrap("confirm account", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errPaid
		}
		return audit.Write(ctx, tx, audit.Event{Action: "policy.run.account", ObjectType: "policy_run_item", ObjectID: idStr(itemID),
			Detail: map[string]any{"bank_name": in.BankName, "account_tail": tail}})
	})
	if err == errForbiddenAfter {
		return RunItem{}, s.deny(ctx, "policy.run.account", "policy_run_item", idStr(itemID))
	}
	if err != nil {
		return RunItem{}, err
	}
	return s.GetRunItem(ctx, itemID)
}

func (s *Service) payRunItem(ctx context.Context, tx *db.Tx, id int64, in PaymentInput, now time.Time) (Payment, error) {
	lock := ""
	if tx.Dialect() == db.Postgres {
		lock = " FOR UPDATE OF i"
	}
	var ent, policyID, fen int64
	var ver int
	var state, runState, period, asOf string
	err := tx.QueryRowContext(ctx, `SELECT i.enterprise_id, r.policy_id, r.policy_version, r.period, r.as_of, r.state, i.state, i.amount_fen
		FROM policy_run_items i JOIN policy_runs r ON r.id = i.run_id WHERE i.id = ?`+lock, id).
		Scan(&ent, &policyID, &ver, &period, &asOf, &runState, &state, &fen)
	if errors.Is(err, sql.ErrNoRows) {
		return Payment{}, errItemNotFound
	}
	if err != nil {
		return Payment{}, wrap("load run item", err)
	}
	switch {
	case state == "paid":
		return Payment{}, ErrAlreadyPaid
	case runState != "confirmed":
		return Payment{}, errs.Conflict("run_not_confirmed", i18n.M("名单尚未确认", "The list is not confirmed yet"))
	case state != "account_confirmed":
		return Payment{}, errs.Conflict("account_not_confirmed", i18n.M("企业尚未确认收款账户", "The firm has not confirmed its account yet"))
	}
	if err := checkAmount(in, fen); err != nil {
		return Payment{}, err
	}
	pay := Payment{EnterpriseID: ent, PolicyID: policyID, Period: period, PolicyVersion: ver, RunItemID: id, AmountFen: fen,
		PaidOn: in.PaidOn, Reference: in.Reference, StartedOn: asOf, RecordedBy: actorName(ctx), CreatedAt: now}
	if err := insertPayment(ctx, tx, &pay); err != nil {
		return Payment{}, err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE policy_run_items SET state = 'paid' WHERE id = ?", id); err != nil {
		return Payment{}, wrap("mark paid", err)
	}
	return pay, notify.Post(ctx, tx, notify.Notice{Kind: "policy.paid", Title: i18n.M("免申即享资金已拨付", "Paid without applying"),
		Body: i18n.M(money.FormatYuan(fen)+" 元，"+in.PaidOn, money.FormatYuan(fen)+" yuan on "+in.PaidOn),
		Link: "/policy-runs/items/" + idStr(id)}, notify.Enterprise(ent))
}
