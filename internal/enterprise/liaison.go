package enterprise

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
)

// LiaisonOfficer is the liaison officer (亲清特使) who serves an enterprise:
// the one member of staff it can turn to, who follows up the policies it
// is told of.
type LiaisonOfficer struct {
	AccountID   int64
	Username    string
	DisplayName string
	Disabled    bool // the account was disabled after the pairing was made
}

// Name is how the officer is shown: the display name, else the username.
func (o LiaisonOfficer) Name() string {
	if o.DisplayName != "" {
		return o.DisplayName
	}
	return o.Username
}

var errNoEnterprise = errs.NotFound(i18n.M("企业", "Enterprise"))

// AssignLiaison pairs enterprise id with the liaison officer accountID,
// replacing any earlier pairing; accountID 0 removes it. The account must
// exist, be active and hold the liaison role, else ErrInvalid on
// "account_id". It returns ErrForbidden without identity.PermLiaisonAssign
// and ErrNotFound for an unknown enterprise. Each change is audited; an
// assignment that changes nothing writes nothing.
func (s *Service) AssignLiaison(ctx context.Context, id, accountID int64) error {
	p := identity.PrincipalFrom(ctx)
	if !p.Can(identity.PermLiaisonAssign) {
		return s.deny(ctx, "enterprise.liaison_assign", id)
	}
	if accountID < 0 {
		return errs.Invalid("account_id", i18n.M("账户编号无效", "Invalid account id"))
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		lock := "SELECT id FROM enterprises WHERE id = ?"
		if tx.Dialect() == db.Postgres {
			// Serialise assignments to one firm so the audited "before" is exact.
			lock += " FOR UPDATE"
		}
		var found int64
		if err := tx.QueryRowContext(ctx, lock, id).Scan(&found); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return errNoEnterprise
			}
			return fmt.Errorf("look up enterprise %d: %w", id, err)
		}
		before, had, err := liaisonOf(ctx, tx, id)
		if err != nil {
			return err
		}
		if (!had && accountID == 0) || (had && before.AccountID == accountID) {
			return nil
		}
		detail := map[string]any{"before": nil, "after": nil}
		if had {
			detail["before"] = map[string]any{"account_id": before.AccountID, "name": before.Name()}
		}
		if accountID == 0 {
			if _, err := tx.ExecContext(ctx, "DELETE FROM enterprise_liaisons WHERE enterprise_id = ?", id); err != nil {
				return fmt.Errorf("remove liaison of %d: %w", id, err)
			}
			return audit.Write(ctx, tx, audit.Event{Action: "enterprise.liaison_remove", ObjectType: "enterprise", ObjectID: fmt.Sprint(id), Detail: detail})
		}
		officer, err := liaisonAccount(ctx, tx, accountID)
		if err != nil {
			return err
		}
		var by any
		if p.AccountID != 0 {
			by = p.AccountID
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO enterprise_liaisons (enterprise_id, account_id, assigned_by, assigned_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (enterprise_id) DO UPDATE SET account_id = excluded.account_id, assigned_by = excluded.assigned_by, assigned_at = excluded.assigned_at`,
			id, accountID, by, s.now())
		if err != nil {
			return fmt.Errorf("assign liaison of %d: %w", id, err)
		}
		detail["after"] = map[string]any{"account_id": officer.AccountID, "name": officer.Name()}
		return audit.Write(ctx, tx, audit.Event{Action: "enterprise.liaison_assign", ObjectType: "enterprise", ObjectID: fmt.Sprint(id), Detail: detail})
	})
}

// liaisonAccount loads an account that may be made a liaison officer, or
// returns the field error saying why it may not.
func liaisonAccount(ctx context.Context, q db.Queryer, accountID int64) (LiaisonOfficer, error) {
	var o LiaisonOfficer
	var role string
	err := q.QueryRowContext(ctx, "SELECT id, username, display_name, role, disabled FROM accounts WHERE id = ?", accountID).
		Scan(&o.AccountID, &o.Username, &o.DisplayName, &role, &o.Disabled)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return o, errs.Invalid("account_id", i18n.M("该账户不存在", "No such account"))
	case err != nil:
		return o, fmt.Errorf("look up account %d: %w", accountID, err)
	case identity.Role(role) != identity.RoleLiaison:
		return o, errs.Invalid("account_id", i18n.M("只能指派亲清特使角色的账户", "Only an account with the liaison officer role can be assigned"))
	case o.Disabled:
		return o, errs.Invalid("account_id", i18n.M("该账户已停用，不能指派", "The account is disabled and cannot be assigned"))
	}
	return o, nil
}

// liaisonOf reads the pairing of enterprise id.
func liaisonOf(ctx context.Context, q db.Queryer, id int64) (LiaisonOfficer, bool, error) {
	var o LiaisonOfficer
	err := q.QueryRowContext(ctx, `SELECT a.id, a.username, a.display_name, a.disabled FROM enterprise_liaisons l
		JOIN accounts a ON a.id = l.account_id WHERE l.enterprise_id = ?`, id).Scan(&o.AccountID, &o.Username, &o.DisplayName, &o.Disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return LiaisonOfficer{}, false, nil
	}
	if err != nil {
		return LiaisonOfficer{}, false, fmt.Errorf("liaison of %d: %w", id, err)
	}
	return o, true, nil
}

// Liaison returns the liaison officer of enterprise id and whether it has
// one. Whoever may read the profile may see it (the firm itself too: it is
// the person it turns to). It returns ErrForbidden otherwise.
func (s *Service) Liaison(ctx context.Context, id int64) (LiaisonOfficer, bool, error) {
	if !canRead(identity.PrincipalFrom(ctx), id) {
		return LiaisonOfficer{}, false, s.deny(ctx, "enterprise.read", id)
	}
	return liaisonOf(ctx, s.db, id)
}

// LiaisonFirms lists the enterprises paired with liaison officer
// accountID, by id, to staff who may read the registry (liaison officers
// among them). It returns ErrForbidden otherwise.
func (s *Service) LiaisonFirms(ctx context.Context, accountID int64) ([]int64, error) {
	if !identity.PrincipalFrom(ctx).Can(identity.PermEnterpriseRead) {
		return nil, s.deny(ctx, "enterprise.liaison_firms", accountID)
	}
	rows, err := s.db.QueryContext(ctx, "SELECT enterprise_id FROM enterprise_liaisons WHERE account_id = ? ORDER BY enterprise_id", accountID)
	if err != nil {
		return nil, fmt.Errorf("firms of liaison %d: %w", accountID, err)
	}
	defer rows.Close()
	out := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// LiaisonOfficers lists the active liaison officer accounts by name, to
// choose from when pairing. It returns ErrForbidden without
// identity.PermLiaisonAssign.
func (s *Service) LiaisonOfficers(ctx context.Context) ([]LiaisonOfficer, error) {
	if !identity.PrincipalFrom(ctx).Can(identity.PermLiaisonAssign) {
		return nil, s.deny(ctx, "enterprise.liaison_officers", "")
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, username, display_name FROM accounts WHERE role = ? AND disabled = ?
		ORDER BY display_name, username`, string(identity.RoleLiaison), false)
	if err != nil {
		return nil, fmt.Errorf("liaison officers: %w", err)
	}
	defer rows.Close()
	var out []LiaisonOfficer
	for rows.Next() {
		var o LiaisonOfficer
		if err := rows.Scan(&o.AccountID, &o.Username, &o.DisplayName); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}
