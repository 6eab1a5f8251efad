package policy

import (
	"context"
	"database/sql"
	"errors"
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

// Payment is a recorded disbursement. There is at most one per enterprise,
// policy and period (the database enforces it).
type Payment struct {
	ID            int64
	EnterpriseID  int64
	PolicyID      int64
	Period        string
	PolicyVersion int
	ApplicationID int64 // set when paid on an application
	RunItemID     int64 // set when paid by a 免申即享 run
	AmountFen     int64
	PaidOn        string
	Reference     string // the bank or treasury reference
	StartedOn     string // the application's submission, or the run's evaluation date
	RecordedBy    string
	CreatedAt     time.Time
}

// PaymentInput is a disbursement as the officer records it.
type PaymentInput struct {
	PaidOn    string // YYYY-MM-DD, not after today
	AmountFen int64  // must equal the approved (or listed) amount; 0 means that amount
	Reference string
}

// PayTarget is what is paid: an application or an item of a 免申即享 run.
type PayTarget struct {
	ApplicationID int64
	RunItemID     int64
}

// ErrAlreadyPaid is returned for a second payment of the same enterprise,
// policy and period.
var ErrAlreadyPaid = errs.Conflict("already_paid", i18n.M("该企业本政策本期已拨付，不能重复拨付",
	"This enterprise was already paid under this policy for this period"))

// Pay records a disbursement. Only reviewing officers; an application must
// be payable (its 公示 ended), a run item must have its account confirmed.
// A second payment for the same enterprise, policy and period — by any
// path, even concurrent — is ErrConflict.
func (s *Service) Pay(ctx context.Context, t PayTarget, in PaymentInput) (Payment, error) {
	if !identity.PrincipalFrom(ctx).Can(identity.PermPolicyReview) {
		return Payment{}, s.deny(ctx, "policy.pay", "policy_payment", idStr(t.ApplicationID+t.RunItemID))
	}
	in.Reference, in.PaidOn = strings.TrimSpace(in.Reference), strings.TrimSpace(in.PaidOn)
	f := errs.Fields{}
	if (t.ApplicationID == 0) == (t.RunItemID == 0) {
		f.Add("target", i18n.M("须指明一项申请或一条免申即享名单", "Name one application or one run item"))
	}
	today := s.today().String()
	if in.PaidOn == "" {
		in.PaidOn = today
	}
	if !isDate(in.PaidOn) {
		f.Add("paid_on", i18n.M("日期格式须为 YYYY-MM-DD", "Dates are written YYYY-MM-DD"))
	} else if in.PaidOn > today {
		f.Add("paid_on", i18n.M("拨付日期不能晚于今天", "The payment date cannot be in the future"))
	}
	if in.Reference == "" {
		f.Add("reference", i18n.M("请填写拨付凭证号", "The payment reference is required"))
	}
	if in.AmountFen < 0 {
		f.Add("amount_yuan", i18n.M("金额不能为负", "The amount cannot be negative"))
	}
	if err := f.Err(); err != nil {
		return Payment{}, err
	}
	var pay Payment
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		now := s.now()
		var err error
		if t.ApplicationID != 0 {
			pay, err = s.payApplication(ctx, tx, t.ApplicationID, in, now)
		} else {
			pay, err = s.payRunItem(ctx, tx, t.RunItemID, in, now)
		}
		if err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Event{Action: "policy.pay", ObjectType: "policy_payment", ObjectID: idStr(pay.ID),
			Detail: map[string]any{"enterprise_id": pay.EnterpriseID, "policy_id": pay.PolicyID, "period": pay.Period,
				"amount_fen": pay.AmountFen, "paid_on": pay.PaidOn, "reference": pay.Reference}})
	})
	return pay, err
}

func checkAmount(in PaymentInput, due int64) error {
	if in.AmountFen != 0 && in.AmountFen != due {
		return errs.Invalid("amount_yuan", i18n.M("拨付金额须等于核准金额 "+money.FormatYuan(due)+" 元",
			"The amount paid must equal the approved "+money.FormatYuan(due)+" yuan"))
	}
	return nil
}

func (s *Service) payApplication(ctx context.Context, tx *db.Tx, id int64, in PaymentInput, now time.Time) (Payment, error) {
	app, err := loadApp(ctx, tx, id, true)
	if err != nil {
		return Payment{}, err
	}
	if app.State == AppPaid {
		return Payment{}, ErrAlreadyPaid
	}
	if app.State != AppPayable {
		return Payment{}, errIllegal("pay", app.State)
	}
	due := *app.ApprovedFen
	if err := checkAmount(in, due); err != nil {
		return Payment{}, err
	}
	pay := Payment{EnterpriseID: app.EnterpriseID, PolicyID: app.PolicyID, Period: app.Period, PolicyVersion: app.PolicyVersion,
		ApplicationID: app.ID, AmountFen: due, PaidOn: in.PaidOn, Reference: in.Reference, StartedOn: app.SubmittedOn,
		RecordedBy: actorName(ctx), CreatedAt: now}
	if err := insertPayment(ctx, tx, &pay); err != nil {
		return Payment{}, err
	}
	if err := moveApp(ctx, tx, app, AppPaid, nil, nil, now); err != nil {
		return Payment{}, err
	}
	if err := insertStep(ctx, tx, app.ID, "pay", AppPayable, AppPaid, "凭证号 "+in.Reference, &due,
		map[string]any{"paid_on": in.PaidOn, "reference": in.Reference}, now); err != nil {
		return Payment{}, err
	}
	return pay, notify.Post(ctx, tx, notify.Notice{Kind: "policy.paid", Title: i18n.M("政策资金已拨付", "Policy funds paid"),
		Body: i18n.M(app.No+"："+money.FormatYuan(due)+" 元，"+in.PaidOn, app.No+": "+money.FormatYuan(due)+" yuan on "+in.PaidOn),
		Link: "/policy-applications/" + idStr(app.ID)}, notify.Enterprise(app.EnterpriseID))
}

func insertPayment(ctx context.Context, tx *db.Tx, p *Payment) error {
	err := tx.QueryRowContext(ctx, `INSERT INTO policy_payments (enterprise_id, policy_id, period, policy_version, application_id, run_item_id,
		amount_fen, paid_on, reference, started_on, recorded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		p.EnterpriseID, p.PolicyID, p.Period, p.PolicyVersion, nullID(p.ApplicationID), nullID(p.RunItemID), p.AmountFen, p.PaidOn,
		p.Reference, p.StartedOn, p.RecordedBy, p.CreatedAt).Scan(&p.ID)
	if db.IsUniqueViolation(err) {
		return ErrAlreadyPaid
	}
	return wrap("insert payment", err)
}

const paymentCols = `id, enterprise_id, policy_id, period, policy_version, COALESCE(application_id, 0), COALESCE(run_item_id, 0), amount_fen,
	paid_on, reference, started_on, recorded_by, created_at`

func scanPayment(row interface{ Scan(...any) error }) (Payment, error) {
	var p Payment
	err := row.Scan(&p.ID, &p.EnterpriseID, &p.PolicyID, &p.Period, &p.PolicyVersion, &p.ApplicationID, &p.RunItemID, &p.AmountFen,
		&p.PaidOn, &p.Reference, &p.StartedOn, &p.RecordedBy, &p.CreatedAt)
	p.CreatedAt = p.CreatedAt.UTC()
	return p, err
}

// paymentOf returns the payment whose column col is id, or nil.
func (s *Service) paymentOf(ctx context.Context, col string, id int64) (*Payment, error) {
	p, err := scanPayment(s.db.QueryRowContext(ctx, "SELECT "+paymentCols+" FROM policy_payments WHERE "+col+" = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, wrap("load payment", err)
	}
	return &p, nil
}

// PaymentFilter selects payments.
type PaymentFilter struct {
	EnterpriseID int64
	PolicyID     int64
	From, To     string // paid_on range, inclusive
}

// ListPayments lists payments, newest first: an enterprise sees only its
// own (whatever the filter says), policy staff everything.
func (s *Service) ListPayments(ctx context.Context, f PaymentFilter) ([]Payment, error) {
	p := identity.PrincipalFrom(ctx)
	switch {
	case p.Can(identity.PermPolicyReview) || p.Can(identity.PermPolicyRead):
	case p.Can(identity.PermEnterpriseOwn):
		f.EnterpriseID = p.EnterpriseID
	default:
		return nil, s.deny(ctx, "policy.payments", "policy_payment", "")
	}
	q := "SELECT " + paymentCols + " FROM policy_payments WHERE 1 = 1"
	var args []any
	if f.EnterpriseID != 0 {
		q += " AND enterprise_id = ?"
		args = append(args, f.EnterpriseID)
	}
	if f.PolicyID != 0 {
		q += " AND policy_id = ?"
		args = append(args, f.PolicyID)
	}
	if f.From != "" {
		q += " AND paid_on >= ?"
		args = append(args, f.From)
	}
	if f.To != "" {
		q += " AND paid_on <= ?"
		args = append(args, f.To)
	}
	rows, err := s.db.QueryContext(ctx, q+" ORDER BY paid_on DESC, id DESC LIMIT 1000", args...)
	if err != nil {
		return nil, wrap("list payments", err)
	}
	defer rows.Close()
	var out []Payment
	for rows.Next() {
		pay, err := scanPayment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, pay)
	}
	return out, rows.Err()
}
