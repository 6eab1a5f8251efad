package audit

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/identity"
)

// Filter narrows a listing of the trail. Empty fields match everything.
type Filter struct {
	Actor      string
	Action     string // prefix match: "auth." finds every login event
	ObjectType string
	ObjectID   string
	Result     string
	From, To   time.Time // inclusive bounds on At; zero means open
	Limit      int       // default 50, max 500
	Offset     int
}

// List returns matching records, newest first, and the total count. Only
// principals with PermAuditRead may list; the attempt is itself audited.
func List(ctx context.Context, d *db.DB, f Filter) ([]Record, int, error) {
	if !identity.PrincipalFrom(ctx).Can(identity.PermAuditRead) {
		_ = WriteAlone(ctx, d, Event{Action: "audit.list", ObjectType: "audit_log", Result: ResultDenied})
		return nil, 0, errs.Forbidden()
	}
	var where []string
	var args []any
	add := func(cond string, v any) { where = append(where, cond); args = append(args, v) }
	if f.Actor != "" {
		add("actor = ?", f.Actor)
	}
	if f.Action != "" {
		add(`action LIKE ? ESCAPE '\'`, escapeLike(f.Action)+"%")
	}
	if f.ObjectType != "" {
		add("object_type = ?", f.ObjectType)
	}
	if f.ObjectID != "" {
		add("object_id = ?", f.ObjectID)
	}
	if f.Result != "" {
		add("result = ?", f.Result)
	}
	if !f.From.IsZero() {
		add("at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		add("at <= ?", f.To.UTC())
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := d.QueryRowContext(ctx, "SELECT count(*) FROM audit_log"+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count audit: %w", err)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 500)
	rows, err := d.QueryContext(ctx, `SELECT id, at, COALESCE(actor_id, 0), actor, role, ip, action, object_type, object_id,
		result, request_id, detail, prev_hash, hash FROM audit_log`+cond+" ORDER BY id DESC LIMIT ? OFFSET ?",
		append(args, limit, max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, fmt.Errorf("list audit: %w", err)
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		var r Record
		var detail string
		if err := rows.Scan(&r.ID, &r.At, &r.ActorID, &r.Actor, &r.Role, &r.IP, &r.Action, &r.ObjectType,
			&r.ObjectID, &r.Result, &r.RequestID, &detail, &r.PrevHash, &r.Hash); err != nil {
			return nil, 0, err
		}
		r.Detail = []byte(detail)
		out = append(out, r)
	}
	return out, total, rows.Err()
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
