package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
)

// Account is a user account as administrators see it (never the password
// hash or TOTP secret).
type Account struct {
	ID                 int64         `json:"id"`
	Username           string        `json:"username"`
	DisplayName        string        `json:"display_name"`
	Role               identity.Role `json:"role"`
	EnterpriseID       int64         `json:"enterprise_id,omitempty"`
	DepartmentCode     string        `json:"department_code,omitempty"`
	InstitutionCode    string        `json:"institution_code,omitempty"`
	ServicePoint       string        `json:"service_point,omitempty"`
	MustChangePassword bool          `json:"must_change_password"`
	PasswordChangedAt  time.Time     `json:"password_changed_at"`
	TOTPEnabled        bool          `json:"totp_enabled"`
	FailedLogins       int           `json:"failed_logins"`
	LockedUntil        *time.Time    `json:"locked_until,omitempty"`
	Disabled           bool          `json:"disabled"`
	Demo               bool          `json:"demo"`
	CreatedAt          time.Time     `json:"created_at"`
}

// Locked reports whether the account is locked at now.
func (a Account) Locked(now time.Time) bool {
	return a.LockedUntil != nil && now.Before(*a.LockedUntil)
}

// NewAccount is the input to CreateAccount.
type NewAccount struct {
	Username           string
	DisplayName        string
	Role               identity.Role
	EnterpriseID       int64  // required for RoleEnterprise
	DepartmentCode     string // required for RoleReviewer
	InstitutionCode    string // required for RoleBankStaff
	ServicePoint       string // required for RoleAgent: the code of the service point
	Password           string
	MustChangePassword bool
	Demo               bool
}

var usernameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_.@-]{2,63}$`)

// NormalizeUsername lower-cases and trims a username; usernames are unique
// regardless of case.
func NormalizeUsername(u string) string { return strings.ToLower(strings.TrimSpace(u)) }

const accountCols = `id, username, display_name, role, COALESCE(enterprise_id, 0), COALESCE(department_code, ''),
	COALESCE(institution_code, ''), COALESCE(service_point_code, ''), must_change_password, password_changed_at, totp_enabled,
	failed_logins, locked_until, disabled, demo, created_at`

func scanAccount(row interface{ Scan(...any) error }) (Account, error) {
	var a Account
	var locked sql.NullTime
	err := row.Scan(&a.ID, &a.Username, &a.DisplayName, &a.Role, &a.EnterpriseID, &a.DepartmentCode,
		&a.InstitutionCode, &a.ServicePoint, &a.MustChangePassword, &a.PasswordChangedAt, &a.TOTPEnabled, &a.FailedLogins,
		&locked, &a.Disabled, &a.Demo, &a.CreatedAt)
	if locked.Valid {
		t := locked.Time.UTC()
		a.LockedUntil = &t
	}
	a.PasswordChangedAt = a.PasswordChangedAt.UTC()
	a.CreatedAt = a.CreatedAt.UTC()
	return a, err
}

func (s *Service) requireManage(ctx context.Context, action, objID string) error {
	p := identity.PrincipalFrom(ctx)
	if !p.Can(identity.PermAccountManage) {
		return s.denied(ctx, action, "account", objID)
	}
	return nil
}

// CreateAccount creates an account. Only security administrators (and the
// command line) may. It returns ErrInvalid listing every bad field and
// ErrConflict when the username is taken.
func (s *Service) CreateAccount(ctx context.Context, in NewAccount) (Account, error) {
	in.Username = NormalizeUsername(in.Username)
	if err := s.requireManage(ctx, "account.create", in.Username); err != nil {
		return Account{}, err
	}
	f := errs.Fields{}
	if !usernameRE.MatchString(in.Username) {
		f.Add("username", i18n.M("用户名为 3–64 位小写字母、数字或 _ . @ -，以字母或数字开头",
			"Username must be 3–64 lower-case letters, digits or _ . @ -, starting with a letter or digit"))
	}
	if !in.Role.Valid() {
		f.Add("role", i18n.M("未知角色："+string(in.Role), "Unknown role: "+string(in.Role)))
	}
	switch {
	case in.Role == identity.RoleEnterprise && in.EnterpriseID == 0:
		f.Add("enterprise", i18n.M("企业用户必须绑定一家企业", "An enterprise user must be bound to an enterprise"))
	case in.Role == identity.RoleReviewer && in.DepartmentCode == "":
		f.Add("department", i18n.M("部门审批人员必须绑定一个部门", "A reviewer must be bound to a department"))
	case in.Role == identity.RoleBankStaff && in.InstitutionCode == "":
		f.Add("institution", i18n.M("金融机构人员必须绑定一家机构", "Bank staff must be bound to an institution"))
	case in.Role == identity.RoleAgent && in.ServicePoint == "":
		f.Add("service_point", i18n.M("代办员必须绑定一个服务点", "An agent must be bound to a service point"))
	}
	if in.Role != identity.RoleAgent && in.ServicePoint != "" {
		f.Add("service_point", i18n.M("只有代办员绑定服务点", "Only agents are bound to a service point"))
	}
	if in.Role != identity.RoleEnterprise && in.EnterpriseID != 0 {
		f.Add("enterprise", i18n.M("只有企业用户可以绑定企业", "Only enterprise users are bound to an enterprise"))
	}
	for _, m := range s.cfg.Policy.Check(in.Username, in.Password, in.Role.IsStaff()) {
		f.Add("password", m)
	}
	if err := f.Err(); err != nil {
		return Account{}, err
	}
	now := s.now()
	hash := hashPassword(in.Password)
	var a Account
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO accounts (username, display_name, role, enterprise_id, department_code,
			institution_code, service_point_code, password_hash, password_changed_at, must_change_password, demo, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			in.Username, in.DisplayName, string(in.Role), nullInt(in.EnterpriseID), nullStr(in.DepartmentCode),
			nullStr(in.InstitutionCode), nullStr(in.ServicePoint), hash, now, in.MustChangePassword, in.Demo, now, now).Scan(&id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO password_history (account_id, password_hash, created_at) VALUES (?, ?, ?)", id, hash, now); err != nil {
			return err
		}
		a, err = scanAccount(tx.QueryRowContext(ctx, "SELECT "+accountCols+" FROM accounts WHERE id = ?", id))
		if err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Event{Action: "account.create", ObjectType: "account", ObjectID: in.Username,
			Detail: map[string]any{"role": in.Role, "enterprise_id": in.EnterpriseID, "department": in.DepartmentCode,
				"institution": in.InstitutionCode, "service_point": in.ServicePoint, "demo": in.Demo}})
	})
	switch {
	case db.IsUniqueViolation(err):
		return Account{}, errs.Conflict("username_taken", i18n.M("用户名已被使用："+in.Username, "Username already taken: "+in.Username))
	case db.IsForeignKeyViolation(err):
		return Account{}, errs.Fields{"binding": i18n.M("绑定的企业、部门或机构不存在", "The bound enterprise, department or institution does not exist")}.Err()
	case err != nil:
		return Account{}, fmt.Errorf("create account %s: %w", in.Username, err)
	}
	return a, nil
}

// GetAccount returns an account by username, or ErrNotFound.
func (s *Service) GetAccount(ctx context.Context, username string) (Account, error) {
	p := identity.PrincipalFrom(ctx)
	username = NormalizeUsername(username)
	if !p.Can(identity.PermAccountManage) && (p == nil || p.Username != username) {
		return Account{}, s.denied(ctx, "account.read", "account", username)
	}
	a, err := scanAccount(s.db.QueryRowContext(ctx, "SELECT "+accountCols+" FROM accounts WHERE username = ?", username))
	if errors.Is(err, sql.ErrNoRows) {
		return Account{}, errs.NotFound(i18n.M("账户", "Account"))
	}
	return a, err
}

// ListAccounts returns accounts, optionally of one role, ordered by username.
func (s *Service) ListAccounts(ctx context.Context, role identity.Role) ([]Account, error) {
	if err := s.requireManage(ctx, "account.list", ""); err != nil {
		return nil, err
	}
	q := "SELECT " + accountCols + " FROM accounts"
	var args []any
	if role != "" {
		q += " WHERE role = ?"
		args = append(args, string(role))
	}
	rows, err := s.db.QueryContext(ctx, q+" ORDER BY username", args...)
	if err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	defer rows.Close()
	var out []Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// updateAccount applies an administrative change to one account in a
// transaction with its audit record; revoke ends its sessions as well.
func (s *Service) updateAccount(ctx context.Context, username, action string, revoke bool, detail any, set string, args ...any) error {
	username = NormalizeUsername(username)
	if err := s.requireManage(ctx, action, username); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, "SELECT id FROM accounts WHERE username = ?", username).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return errs.NotFound(i18n.M("账户", "Account"))
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE accounts SET "+set+", updated_at = ? WHERE id = ?", append(args, s.now(), id)...); err != nil {
			return err
		}
		if revoke {
			if err := revokeAll(ctx, tx, id, s.now()); err != nil {
				return err
			}
		}
		return audit.Write(ctx, tx, audit.Event{Action: action, ObjectType: "account", ObjectID: username, Detail: detail})
	})
}

// DisableAccount disables an account and ends all its sessions.
func (s *Service) DisableAccount(ctx context.Context, username string) error {
	return s.updateAccount(ctx, username, "account.disable", true, nil, "disabled = ?", true)
}

// EnableAccount re-enables a disabled account.
func (s *Service) EnableAccount(ctx context.Context, username string) error {
	return s.updateAccount(ctx, username, "account.enable", false, nil, "disabled = ?", false)
}

// UnlockAccount clears a lockout and the failure counter.
func (s *Service) UnlockAccount(ctx context.Context, username string) error {
	return s.updateAccount(ctx, username, "account.unlock", false, nil, "failed_logins = 0, locked_until = NULL")
}

// ResetTOTP removes an account's second factor so that it enrols again at
// the next login (a lost phone).
func (s *Service) ResetTOTP(ctx context.Context, username string) error {
	return s.updateAccount(ctx, username, "account.reset_totp", true, nil, "totp_enabled = ?, totp_secret = '', totp_last_step = 0", false)
}

// ResetPassword sets a new password chosen by an administrator; the user
// must change it at the next login, and every session ends.
func (s *Service) ResetPassword(ctx context.Context, username, password string) error {
	username = NormalizeUsername(username)
	if err := s.requireManage(ctx, "account.reset_password", username); err != nil {
		return err
	}
	a, err := s.lookupForPassword(ctx, username)
	if err != nil {
		return err
	}
	if msgs := s.cfg.Policy.Check(username, password, a.Role.IsStaff()); len(msgs) > 0 {
		return errs.Fields{"password": msgs[0]}.Err()
	}
	hash := hashPassword(password)
	return s.updateAccount(ctx, username, "account.reset_password", true, nil,
		"password_hash = ?, password_changed_at = ?, must_change_password = ?, failed_logins = 0, locked_until = NULL",
		hash, s.now(), true)
}

func (s *Service) lookupForPassword(ctx context.Context, username string) (Account, error) {
	a, err := scanAccount(s.db.QueryRowContext(ctx, "SELECT "+accountCols+" FROM accounts WHERE username = ?", username))
	if errors.Is(err, sql.ErrNoRows) {
		return Account{}, errs.NotFound(i18n.M("账户", "Account"))
	}
	return a, err
}

// ChangePassword changes the signed-in user's own password after checking
// the current one. Every session of the account ends, this one included.
func (s *Service) ChangePassword(ctx context.Context, current, next string) error {
	p := identity.PrincipalFrom(ctx)
	if p == nil || p.AccountID == 0 {
		return errs.New(errs.ErrUnauthorized, "unauthenticated", i18n.M("请先登录", "Please sign in"))
	}
	var hash string
	if err := s.db.QueryRowContext(ctx, "SELECT password_hash FROM accounts WHERE id = ?", p.AccountID).Scan(&hash); err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	if ok, _ := checkPassword(hash, current); !ok {
		return errs.Fields{"current_password": i18n.M("当前密码不正确", "Current password is incorrect")}.Err()
	}
	f := errs.Fields{}
	for _, m := range s.cfg.Policy.Check(p.Username, next, p.Role.IsStaff()) {
		f.Add("new_password", m)
	}
	if next == current {
		f.Add("new_password", i18n.M("新密码不能与当前密码相同", "The new password must differ from the current one"))
	}
	if p.Role.IsStaff() && s.cfg.Policy.StaffHistory > 0 {
		rows, err := s.db.QueryContext(ctx, "SELECT password_hash FROM password_history WHERE account_id = ? ORDER BY created_at DESC LIMIT ?", p.AccountID, s.cfg.Policy.StaffHistory)
		if err != nil {
			return err
		}
		var old []string
		for rows.Next() {
			var h string
			rows.Scan(&h)
			old = append(old, h)
		}
		rows.Close()
		for _, h := range old {
			if ok, _ := checkPassword(h, next); ok {
				f.Add("new_password", i18n.M(fmt.Sprintf("不能使用最近 %d 次用过的密码", s.cfg.Policy.StaffHistory),
					fmt.Sprintf("Must not reuse any of the last %d passwords", s.cfg.Policy.StaffHistory)))
				break
			}
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	newHash := hashPassword(next)
	now := s.now()
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE accounts SET password_hash = ?, password_changed_at = ?, must_change_password = ?, updated_at = ? WHERE id = ?",
			newHash, now, false, now, p.AccountID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO password_history (account_id, password_hash, created_at) VALUES (?, ?, ?)", p.AccountID, newHash, now); err != nil {
			return err
		}
		if err := revokeAll(ctx, tx, p.AccountID, now); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Event{Action: "auth.password_change", ObjectType: "account", ObjectID: p.Username})
	})
}

func revokeAll(ctx context.Context, tx *db.Tx, accountID int64, now time.Time) error {
	_, err := tx.ExecContext(ctx, "UPDATE sessions SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL", now, accountID)
	return err
}

func nullInt(v int64) any {
	if v == 0 {
		return nil
	}
	return v
}

func nullStr(v string) any {
	if v == "" {
		return nil
	}
	return v
}
