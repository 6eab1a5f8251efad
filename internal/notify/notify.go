// Package notify tells people what concerns them: an in-app inbox addressed
// to an account, an enterprise (all its users), a department (its
// reviewers) or a role, written in the same transaction as the change; and
// an outbox of SMS and e-mail that a worker drains through pluggable
// senders, with retries. In demo mode the sender only logs.
package notify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
)

// Target is who an inbox notice is for.
type Target struct {
	Kind string // account, enterprise, department, role
	ID   string
}

// Account addresses one account.
func Account(id int64) Target { return Target{"account", strconv.FormatInt(id, 10)} }

// Enterprise addresses every user of an enterprise.
func Enterprise(id int64) Target { return Target{"enterprise", strconv.FormatInt(id, 10)} }

// Department addresses the staff bound to a department (its reviewers).
func Department(code string) Target { return Target{"department", code} }

// Role addresses everyone holding a role (e.g. all window clerks).
func Role(r identity.Role) Target { return Target{"role", string(r)} }

// Notice is an inbox entry.
type Notice struct {
	Kind  string // e.g. "case.accepted"
	Title i18n.Msg
	Body  i18n.Msg
	Link  string // a local path
}

// Post writes the notice for each target inside tx.
func Post(ctx context.Context, tx *db.Tx, n Notice, targets ...Target) error {
	now := time.Now().UTC()
	for _, t := range targets {
		if t.ID == "" || t.ID == "0" {
			continue
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO notifications (target_kind, target, kind, title, title_en, body, body_en, link, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, t.Kind, t.ID, n.Kind, n.Title.Zh, n.Title.En, n.Body.Zh, n.Body.En, n.Link, now)
		if err != nil {
			return fmt.Errorf("post notice: %w", err)
		}
	}
	return nil
}

// Message is an SMS or e-mail waiting in the outbox.
type Message struct {
	Channel   string // sms or email
	Recipient string // phone number or address
	Subject   string
	Body      string
}

// SkipPending marks every message still waiting in the outbox as skipped
// with the reason, so the worker never sends it. The demo data uses it:
// its months of generated history would otherwise text every demo phone
// number at the first tick. Outbox statuses: pending → sent | failed |
// skipped.
func SkipPending(ctx context.Context, d *db.DB, reason string) (int64, error) {
	res, err := d.Writer().ExecContext(ctx, d.Rebind("UPDATE outbox SET status = 'skipped', last_error = ? WHERE status = 'pending'"), reason)
	if err != nil {
		return 0, fmt.Errorf("skip pending messages: %w", err)
	}
	return res.RowsAffected()
}

// Queue puts a message in the outbox inside tx; it is sent after commit by
// the worker.
func Queue(ctx context.Context, tx *db.Tx, m Message) error {
	if m.Recipient == "" {
		return nil
	}
	now := time.Now().UTC()
	_, err := tx.ExecContext(ctx, `INSERT INTO outbox (channel, recipient, subject, body, status, not_before, created_at)
		VALUES (?, ?, ?, ?, 'pending', ?, ?)`, m.Channel, m.Recipient, m.Subject, m.Body, now, now)
	if err != nil {
		return fmt.Errorf("queue message: %w", err)
	}
	return nil
}

// Sender delivers one message over a channel (an SMS gateway, SMTP).
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// LogSender writes messages to the log instead of sending them.
type LogSender struct{ Log *slog.Logger }

// Send logs the message.
func (l LogSender) Send(ctx context.Context, m Message) error {
	l.Log.Info("message (not sent: logging sender)", "channel", m.Channel, "to", m.Recipient, "subject", m.Subject, "body", m.Body)
	return nil
}

// Service reads inboxes and drains the outbox.
type Service struct {
	db      *db.DB
	senders map[string]Sender
	log     *slog.Logger
	now     func() time.Time
}

// New returns the service; senders maps a channel to its sender.
func New(d *db.DB, senders map[string]Sender, log *slog.Logger) *Service {
	return &Service{db: d, senders: senders, log: log, now: func() time.Time { return time.Now().UTC() }}
}

// Item is one inbox entry as its reader sees it.
type Item struct {
	ID        int64
	Kind      string
	Title     i18n.Msg
	Body      i18n.Msg
	Link      string
	CreatedAt time.Time
	Read      bool
}

// inboxWhere selects the notices addressed to p.
func inboxWhere(p *identity.Principal) (string, []any) {
	where := "((n.target_kind = 'account' AND n.target = ?) OR (n.target_kind = 'role' AND n.target = ?)"
	args := []any{strconv.FormatInt(p.AccountID, 10), string(p.Role)}
	if p.EnterpriseID != 0 {
		where += " OR (n.target_kind = 'enterprise' AND n.target = ?)"
		args = append(args, strconv.FormatInt(p.EnterpriseID, 10))
	}
	if p.DepartmentCode != "" {
		where += " OR (n.target_kind = 'department' AND n.target = ?)"
		args = append(args, p.DepartmentCode)
	}
	return where + ")", args
}

var errSignIn = errs.New(errs.ErrUnauthorized, "unauthenticated", i18n.M("请先登录", "Sign in first"))

// Inbox returns the signed-in user's newest notices and the unread count.
func (s *Service) Inbox(ctx context.Context, limit int) ([]Item, int, error) {
	p := identity.PrincipalFrom(ctx)
	if p == nil || p.AccountID == 0 {
		return nil, 0, errSignIn
	}
	where, args := inboxWhere(p)
	unread, err := s.unread(ctx, p)
	if err != nil {
		return nil, 0, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT n.id, n.kind, n.title, n.title_en, n.body, n.body_en, n.link, n.created_at,
		r.account_id IS NOT NULL FROM notifications n
		LEFT JOIN notification_reads r ON r.notification_id = n.id AND r.account_id = ?
		WHERE `+where+` ORDER BY n.id DESC LIMIT ?`, append(append([]any{p.AccountID}, args...), max(1, min(limit, 200)))...)
	if err != nil {
		return nil, 0, fmt.Errorf("inbox: %w", err)
	}
	defer rows.Close()
	var out []Item
	for rows.Next() {
		var it Item
		if err := rows.Scan(&it.ID, &it.Kind, &it.Title.Zh, &it.Title.En, &it.Body.Zh, &it.Body.En, &it.Link, &it.CreatedAt, &it.Read); err != nil {
			return nil, 0, err
		}
		out = append(out, it)
	}
	return out, unread, rows.Err()
}

// Unread counts the signed-in user's unread notices (0 when anonymous).
func (s *Service) Unread(ctx context.Context) (int, error) {
	p := identity.PrincipalFrom(ctx)
	if p == nil || p.AccountID == 0 {
		return 0, nil
	}
	return s.unread(ctx, p)
}

func (s *Service) unread(ctx context.Context, p *identity.Principal) (int, error) {
	where, args := inboxWhere(p)
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM notifications n WHERE `+where+`
		AND NOT EXISTS (SELECT 1 FROM notification_reads r WHERE r.notification_id = n.id AND r.account_id = ?)`,
		append(args, p.AccountID)...).Scan(&n)
	return n, err
}

// MarkAllRead marks every notice of the signed-in user read.
func (s *Service) MarkAllRead(ctx context.Context) error {
	p := identity.PrincipalFrom(ctx)
	if p == nil || p.AccountID == 0 {
		return errSignIn
	}
	where, args := inboxWhere(p)
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO notification_reads (notification_id, account_id, read_at)
			SELECT n.id, ?, ? FROM notifications n WHERE `+where+`
			AND NOT EXISTS (SELECT 1 FROM notification_reads r WHERE r.notification_id = n.id AND r.account_id = ?)`,
			append(append([]any{p.AccountID, s.now()}, args...), p.AccountID)...)
		return err
	})
}

// maxAttempts is how often a message is tried before it is marked failed;
// the wait between attempts doubles from one minute.
const maxAttempts = 6

// Deliver makes one pass over the due outbox messages: each is claimed in
// a short transaction (SKIP LOCKED on PostgreSQL, so several nodes can
// drain at once), sent, and marked sent or scheduled for a retry.
func (s *Service) Deliver(ctx context.Context) (sent, failed int, err error) {
	for {
		m, id, attempts, ok, err := s.claim(ctx)
		if err != nil || !ok {
			return sent, failed, err
		}
		sendErr := errors.New("no sender for channel " + m.Channel)
		if snd := s.senders[m.Channel]; snd != nil {
			sendErr = snd.Send(ctx, m)
		}
		now := s.now()
		err = s.db.InTx(ctx, func(tx *db.Tx) error {
			if sendErr == nil {
				_, err := tx.ExecContext(ctx, "UPDATE outbox SET status = 'sent', sent_at = ?, last_error = '' WHERE id = ?", now, id)
				return err
			}
			status := "pending"
			if attempts >= maxAttempts {
				status = "failed"
			}
			wait := time.Minute << (attempts - 1)
			_, err := tx.ExecContext(ctx, "UPDATE outbox SET status = ?, last_error = ?, not_before = ? WHERE id = ?",
				status, sendErr.Error(), now.Add(wait), id)
			return err
		})
		if err != nil {
			return sent, failed, err
		}
		if sendErr == nil {
			sent++
		} else {
			failed++
			s.log.Warn("message not sent", "id", id, "channel", m.Channel, "attempt", attempts, "err", sendErr)
		}
	}
}

func (s *Service) claim(ctx context.Context) (Message, int64, int, bool, error) {
	var m Message
	var id int64
	var attempts int
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		q := "SELECT id, channel, recipient, subject, body, attempts FROM outbox WHERE status = 'pending' AND not_before <= ? ORDER BY id LIMIT 1"
		if tx.Dialect() == db.Postgres {
			q += " FOR UPDATE SKIP LOCKED"
		}
		if err := tx.QueryRowContext(ctx, q, s.now()).Scan(&id, &m.Channel, &m.Recipient, &m.Subject, &m.Body, &attempts); err != nil {
			return err
		}
		attempts++
		// Claimed: push not_before ahead so no other pass picks it up while
		// this one sends.
		_, err := tx.ExecContext(ctx, "UPDATE outbox SET attempts = ?, not_before = ? WHERE id = ?", attempts, s.now().Add(5*time.Minute), id)
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return m, 0, 0, false, nil
	}
	return m, id, attempts, err == nil, err
}

// Run drains the outbox every interval until ctx ends.
func (s *Service) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, _, err := s.Deliver(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("outbox", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
