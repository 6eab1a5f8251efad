package audit

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/qinqing/qinqing/internal/db"
)

// Report is the outcome of verifying the chain.
type Report struct {
	Checked  int64  `json:"checked"`
	OK       bool   `json:"ok"`
	BrokenID int64  `json:"broken_id,omitempty"` // first record that fails
	Reason   string `json:"reason,omitempty"`
}

func (r Report) String() string {
	if r.OK {
		return fmt.Sprintf("audit chain intact: %d records verified", r.Checked)
	}
	return fmt.Sprintf("audit chain BROKEN at record %d: %s (%d records checked)", r.BrokenID, r.Reason, r.Checked)
}

// Verify walks the chain in id order and reports the first broken record:
// one whose content no longer matches its hash (edited), whose predecessor
// is missing (deleted), or whose stored previous hash is not its
// predecessor's (inserted or reordered); and rows cut off the end, which the
// chain head notices. progress, when not nil, is called every 10,000 records.
func Verify(ctx context.Context, d *db.DB, progress func(checked int64)) (Report, error) {
	rows, err := d.QueryContext(ctx, `SELECT id, at, COALESCE(actor_id, 0), actor, role, ip, action, object_type, object_id,
		result, request_id, detail, prev_hash, hash FROM audit_log ORDER BY id`)
	if err != nil {
		return Report{}, fmt.Errorf("verify audit: %w", err)
	}
	defer rows.Close()
	var rep Report
	var prevID int64
	prevHash := ""
	for rows.Next() {
		var r Record
		var detail string
		if err := rows.Scan(&r.ID, &r.At, &r.ActorID, &r.Actor, &r.Role, &r.IP, &r.Action, &r.ObjectType,
			&r.ObjectID, &r.Result, &r.RequestID, &detail, &r.PrevHash, &r.Hash); err != nil {
			return rep, fmt.Errorf("verify audit: %w", err)
		}
		r.Detail = []byte(detail)
		rep.Checked++
		switch {
		case r.ID != prevID+1:
			return broken(rep, prevID+1, fmt.Sprintf("record %d is missing (deleted); the next record is %d", prevID+1, r.ID)), nil
		case r.PrevHash != prevHash:
			return broken(rep, r.ID, "its previous-hash does not match record "+fmt.Sprint(prevID)+" (inserted, reordered or the predecessor was rewritten)"), nil
		case r.computeHash() != r.Hash:
			return broken(rep, r.ID, "its content does not match its hash (edited)"), nil
		}
		prevID, prevHash = r.ID, r.Hash
		if progress != nil && rep.Checked%10000 == 0 {
			progress(rep.Checked)
		}
	}
	if err := rows.Err(); err != nil {
		return rep, fmt.Errorf("verify audit: %w", err)
	}
	var headID int64
	var headHash string
	if err := d.QueryRowContext(ctx, "SELECT last_id, last_hash FROM audit_head WHERE id = 1").Scan(&headID, &headHash); err != nil {
		if err == sql.ErrNoRows {
			return broken(rep, prevID+1, "the chain head is missing"), nil
		}
		return rep, fmt.Errorf("verify audit head: %w", err)
	}
	if headID != prevID || headHash != prevHash {
		return broken(rep, prevID+1, fmt.Sprintf("records after %d were removed: the chain head points at record %d", prevID, headID)), nil
	}
	rep.OK = true
	return rep, nil
}

func broken(rep Report, id int64, reason string) Report {
	rep.OK, rep.BrokenID, rep.Reason = false, id, reason
	return rep
}
