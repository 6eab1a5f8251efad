// Package audit keeps the append-only, hash-chained audit trail required by
// 等保 2.0 level 3 (GB/T 22239-2019 8.1.4.3 安全审计) and 网络安全法 art. 21
// (logs kept at least six months). Each record carries the hash of the one
// before it, so editing, deleting, inserting or reordering any row breaks the
// chain, and Verify names the first broken record. Records are written in the
// same transaction as the change they describe.
package audit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/identity"
)

// Results of an audited action.
const (
	ResultOK     = "ok"
	ResultDenied = "denied"
	ResultFailed = "failed"
)

// Event is what a service reports; the actor and request come from ctx.
type Event struct {
	Action     string // e.g. "enterprise.update", "auth.login"
	ObjectType string // e.g. "enterprise"
	ObjectID   string
	Result     string // ResultOK when empty
	Detail     any    // JSON-encodable: before/after, reason…
}

// Record is one stored audit entry.
type Record struct {
	ID         int64           `json:"id"`
	At         time.Time       `json:"at"`
	ActorID    int64           `json:"actor_id,omitempty"`
	Actor      string          `json:"actor"`
	Role       string          `json:"role"`
	IP         string          `json:"ip"`
	Action     string          `json:"action"`
	ObjectType string          `json:"object_type"`
	ObjectID   string          `json:"object_id"`
	Result     string          `json:"result"`
	RequestID  string          `json:"request_id"`
	Detail     json.RawMessage `json:"detail"`
	PrevHash   string          `json:"prev_hash"`
	Hash       string          `json:"hash"`
}

// Now is the audit clock, truncated to what both engines store exactly.
func Now() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }

// Write records an event in the chain as part of tx: the record is
// appended just before tx commits (and vanishes if it rolls back). Taking
// the chain's lock at that last moment, in every transaction, keeps lock
// order fixed — rows first, chain head last — so audited transactions never
// deadlock on PostgreSQL, and the head is held only for the final inserts.
func Write(ctx context.Context, tx *db.Tx, ev Event) error {
	rec, err := newRecord(ctx, ev)
	if err != nil {
		return err
	}
	pending, _ := tx.Value(pendingKey{}).(*[]*Record)
	if pending == nil {
		pending = new([]*Record)
		tx.SetValue(pendingKey{}, pending)
		tx.BeforeCommit(func() error { return appendRecords(ctx, tx, *pending) })
	}
	*pending = append(*pending, rec)
	return nil
}

type pendingKey struct{}

// Mark returns a position in tx's pending records, for a caller about to
// set a SAVEPOINT; after ROLLBACK TO that savepoint, Discard(tx, mark)
// drops the records written since, as the rollback dropped the rows.
func Mark(tx *db.Tx) int {
	if pending, _ := tx.Value(pendingKey{}).(*[]*Record); pending != nil {
		return len(*pending)
	}
	return 0
}

// Discard drops the records written in tx since mark.
func Discard(tx *db.Tx, mark int) {
	if pending, _ := tx.Value(pendingKey{}).(*[]*Record); pending != nil && mark <= len(*pending) {
		*pending = (*pending)[:mark]
	}
}

// appendRecords chains recs after the current head and moves the head.
func appendRecords(ctx context.Context, tx *db.Tx, recs []*Record) error {
	lock := "SELECT last_id, last_hash FROM audit_head WHERE id = 1"
	if tx.Dialect() == db.Postgres {
		// The row lock serialises appenders until commit; on SQLite the single
		// writer connection already does.
		lock += " FOR UPDATE"
	}
	var lastID int64
	var lastHash string
	if err := tx.QueryRowContext(ctx, lock).Scan(&lastID, &lastHash); err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	for _, rec := range recs {
		rec.ID, rec.PrevHash = lastID+1, lastHash
		rec.Hash = rec.computeHash()
		var actorID any
		if rec.ActorID != 0 {
			actorID = rec.ActorID
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO audit_log
			(id, at, actor_id, actor, role, ip, action, object_type, object_id, result, request_id, detail, prev_hash, hash)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			rec.ID, rec.At, actorID, rec.Actor, rec.Role, rec.IP, rec.Action, rec.ObjectType, rec.ObjectID,
			rec.Result, rec.RequestID, string(rec.Detail), rec.PrevHash, rec.Hash)
		if err != nil {
			return fmt.Errorf("audit insert: %w", err)
		}
		lastID, lastHash = rec.ID, rec.Hash
	}
	if _, err := tx.ExecContext(ctx, "UPDATE audit_head SET last_id = ?, last_hash = ? WHERE id = 1", lastID, lastHash); err != nil {
		return fmt.Errorf("audit head update: %w", err)
	}
	return nil
}

// WriteAlone appends an event in its own transaction, for events that have
// no change to ride with: denied access, failed logins.
func WriteAlone(ctx context.Context, d *db.DB, ev Event) error {
	return d.InTx(ctx, func(tx *db.Tx) error { return Write(ctx, tx, ev) })
}

func newRecord(ctx context.Context, ev Event) (*Record, error) {
	rec := &Record{
		At:         Now(),
		Actor:      "anonymous",
		Role:       "",
		Action:     ev.Action,
		ObjectType: ev.ObjectType,
		ObjectID:   ev.ObjectID,
		Result:     ev.Result,
	}
	if rec.Result == "" {
		rec.Result = ResultOK
	}
	if p := identity.PrincipalFrom(ctx); p != nil {
		rec.ActorID = p.AccountID
		rec.Actor = p.Username
		rec.Role = string(p.Role)
	}
	req := identity.RequestFrom(ctx)
	rec.IP, rec.RequestID = req.IP, req.ID
	detail := ev.Detail
	if detail == nil {
		detail = struct{}{}
	}
	b, err := json.Marshal(detail)
	if err != nil {
		return nil, fmt.Errorf("audit detail: %w", err)
	}
	rec.Detail = b
	return rec, nil
}

// computeHash hashes the previous hash and every field of the record,
// including its id, in a fixed encoding.
func (r *Record) computeHash() string {
	fields := []any{r.ID, r.At.UTC().Format(time.RFC3339Nano), r.ActorID, r.Actor, r.Role, r.IP,
		r.Action, r.ObjectType, r.ObjectID, r.Result, r.RequestID, string(r.Detail)}
	b, _ := json.Marshal(fields)
	h := sha256.New()
	h.Write([]byte(r.PrevHash))
	h.Write([]byte{'\n'})
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}
