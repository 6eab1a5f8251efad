package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/identity"
)

// DemoLiaisonStreets are the streets whose 规上 enterprises the demo liaison
// officer serves besides the demo enterprise accounts' firms: 天生街道, the
// town centre, and 水土街道, the industrial park.
var DemoLiaisonStreets = []string{"500109001", "500109008"}

// demoLiaisons pairs the demo liaison officer (刘洋) with the firms of the
// demo enterprise accounts and the 规上 enterprises of DemoLiaisonStreets,
// in one statement and with one audit record, so that the pushes of the
// demo policies reach an officer. Firms already paired keep their officer.
func demoLiaisons(ctx context.Context, d *db.DB, accounts []DemoAccount) error {
	var officer string
	var codes []string
	for _, a := range accounts {
		switch {
		case a.Role == identity.RoleLiaison && officer == "":
			officer = a.Username
		case a.Role == identity.RoleEnterprise && a.Enterprise != "":
			codes = append(codes, a.Enterprise)
		}
	}
	if officer == "" {
		return nil
	}
	in, args := db.In(codes)
	where := "e.credit_code IN " + in
	if len(codes) == 0 {
		where = "1 = 0"
	}
	where += " OR (e.above_scale = ? AND (1 = 0"
	args = append(args, true)
	for _, s := range DemoLiaisonStreets {
		where += " OR e.region_code LIKE ?"
		args = append(args, s+"%")
	}
	where += "))"
	return d.InTx(ctx, func(tx *db.Tx) error {
		var id int64
		if err := tx.QueryRowContext(ctx, "SELECT id FROM accounts WHERE username = ? AND role = ? AND demo = ?",
			officer, string(identity.RoleLiaison), true).Scan(&id); err != nil {
			return fmt.Errorf("demo liaison officer %s: %w", officer, err)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO enterprise_liaisons (enterprise_id, account_id, assigned_by, assigned_at)
			SELECT e.id, ?, NULL, ? FROM enterprises e WHERE (`+where+`)
			ON CONFLICT (enterprise_id) DO NOTHING`, append([]any{id, time.Now().UTC()}, args...)...)
		if err != nil {
			return fmt.Errorf("pair demo firms with %s: %w", officer, err)
		}
		n, _ := res.RowsAffected()
		if n == 0 {
			return nil
		}
		return audit.Write(ctx, tx, audit.Event{Action: "enterprise.liaison_assign", ObjectType: "account", ObjectID: fmt.Sprint(id),
			Detail: map[string]any{"enterprises": n, "source": "demo", "streets": DemoLiaisonStreets}})
	})
}
