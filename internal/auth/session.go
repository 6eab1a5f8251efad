package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
)

// Kind distinguishes browser sessions (cookie) from API bearer tokens.
type Kind string

// Session kinds.
const (
	KindWeb Kind = "web"
	KindAPI Kind = "api"
)

// Stage tells the caller what the user must do next after a login step.
type Stage string

// Login stages.
const (
	StageDone        Stage = "done"         // fully signed in
	StageOTP         Stage = "otp"          // enter the authenticator code
	StageEnrolTOTP   Stage = "enrol_totp"   // set up an authenticator first
	StageNewPassword Stage = "new_password" // signed in, but must change the password before anything else
)

// LoginInput is a username/password (and optional one-time code) attempt.
type LoginInput struct {
	Username string
	Password string
	OTP      string
	Kind     Kind
}

// LoginResult carries the new session token, shown to the client once.
type LoginResult struct {
	Token     string
	ExpiresAt time.Time
	Stage     Stage
	Principal *identity.Principal
}

// Session is an authenticated session looked up from its token.
type Session struct {
	Principal          *identity.Principal
	Kind               Kind
	MFAPending         bool // only the second-factor pages may be used
	MustChangePassword bool // only the change-password page may be used
	TOTPEnrolled       bool // the account has a second factor set up
	CreatedAt          time.Time
	ExpiresAt          time.Time
}

// ErrLoginFailed is the one answer to every failed login, whatever the
// reason, so that it never reveals whether a username exists or is locked.
var ErrLoginFailed = errs.New(errs.ErrUnauthorized, "login_failed",
	i18n.M("用户名或密码错误。连续失败 5 次账户将锁定 15 分钟。", "Wrong username or password. Five failures in a row lock the account for 15 minutes."))

// ErrOTPRequired asks an API client to repeat the login with "otp".
var ErrOTPRequired = errs.New(errs.ErrUnauthorized, "otp_required",
	i18n.M("请输入身份验证器中的 6 位动态码", "Enter the 6-digit code from your authenticator app"))

// ErrEnrolmentRequired tells an API client that the account must set up a
// second factor in the web interface first.
var ErrEnrolmentRequired = errs.New(errs.ErrForbidden, "mfa_enrollment_required",
	i18n.M("该账户需先在网页端绑定身份验证器", "This account must set up an authenticator app in the web interface first"))

var errTooMany = errs.New(errs.ErrTooManyRequest, "too_many_attempts",
	i18n.M("来自您网络的失败尝试过多，请稍后再试", "Too many failed attempts from your network; try again later"))

type loginRow struct {
	Account
	hash       string
	totpSecret string
	lastStep   int64
	lockedNull sql.NullTime
}

func (r *loginRow) fixTimes() {
	if r.lockedNull.Valid {
		t := r.lockedNull.Time.UTC()
		r.LockedUntil = &t
	}
	r.PasswordChangedAt = r.PasswordChangedAt.UTC()
}

// Login checks a password (and second factor where required) and opens a
// session. Every failure returns ErrLoginFailed and is audited with its real
// reason; five consecutive failures lock the account, and an IP with too
// many failures is refused for a while.
func (s *Service) Login(ctx context.Context, in LoginInput) (LoginResult, error) {
	now := s.now()
	ip := identity.RequestFrom(ctx).IP
	username := NormalizeUsername(in.Username)
	if s.ipl.Blocked(ip, now) {
		s.auditLogin(ctx, username, 0, audit.ResultDenied, "ip_rate_limited")
		return LoginResult{}, errTooMany
	}
	var row loginRow
	err := s.db.QueryRowContext(ctx, "SELECT "+accountCols+", password_hash, totp_secret, totp_last_step FROM accounts WHERE username = ?", username).
		Scan(scanTargets(&row)...)
	if errors.Is(err, sql.ErrNoRows) {
		checkPassword(dummyHash, in.Password)
		return s.loginFailed(ctx, username, 0, "unknown_user")
	}
	if err != nil {
		return LoginResult{}, fmt.Errorf("login: %w", err)
	}
	row.fixTimes()
	if row.Locked(now) {
		checkPassword(dummyHash, in.Password)
		s.ipl.Fail(ip, now)
		s.auditLogin(ctx, username, row.ID, audit.ResultDenied, "locked")
		return LoginResult{}, ErrLoginFailed
	}
	if ok, _ := checkPassword(row.hash, in.Password); !ok {
		return s.loginFailed(ctx, username, row.ID, "wrong_password")
	}
	if row.Disabled {
		return s.loginFailed(ctx, username, row.ID, "disabled")
	}
	if row.Demo && !s.cfg.Demo {
		return s.loginFailed(ctx, username, row.ID, "demo_account_outside_demo_mode")
	}
	stage := StageDone
	mfaPending := false
	if s.mfaRequired(row.Role) {
		switch {
		case !row.TOTPEnabled:
			if in.Kind == KindAPI {
				s.auditLogin(ctx, username, row.ID, audit.ResultDenied, "mfa_enrollment_required")
				return LoginResult{}, ErrEnrolmentRequired
			}
			stage, mfaPending = StageEnrolTOTP, true
		case in.OTP == "":
			if in.Kind == KindAPI {
				return LoginResult{}, ErrOTPRequired
			}
			stage, mfaPending = StageOTP, true
		default:
			if err := s.checkOTP(ctx, row, in.OTP); err != nil {
				return LoginResult{}, err
			}
		}
	}
	res, err := s.openSession(ctx, row.Account, in.Kind, mfaPending)
	if err != nil {
		return LoginResult{}, err
	}
	if stage == StageDone && s.mustChangePassword(row.Account) {
		stage = StageNewPassword
	}
	res.Stage = stage
	return res, nil
}

// checkOTP verifies a one-time code for a row, counting a wrong code as a
// failed login.
func (s *Service) checkOTP(ctx context.Context, row loginRow, code string) error {
	secret, err := s.box.Open(row.totpSecret)
	if err != nil {
		return fmt.Errorf("open totp secret: %w", err)
	}
	step, ok := verifyTOTP(secret, code, s.now(), row.lastStep)
	if !ok {
		_, err := s.loginFailed(ctx, row.Username, row.ID, "wrong_otp")
		return err
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, "UPDATE accounts SET totp_last_step = ? WHERE id = ?", step, row.ID)
		return err
	})
}

func (s *Service) mustChangePassword(a Account) bool {
	if a.MustChangePassword {
		return true
	}
	// Demo accounts are exempt: their published passwords are the point of a
	// demo, and they cannot sign in outside demo mode anyway.
	days := s.cfg.Policy.StaffRotationDays
	return a.Role.IsStaff() && !a.Demo && days > 0 && s.now().Sub(a.PasswordChangedAt) > time.Duration(days)*24*time.Hour
}

// loginFailed counts a failure against the account (locking it at the
// threshold) and the client IP, audits the real reason, and returns the
// generic error.
func (s *Service) loginFailed(ctx context.Context, username string, accountID int64, reason string) (LoginResult, error) {
	now := s.now()
	s.ipl.Fail(identity.RequestFrom(ctx).IP, now)
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		detail := map[string]any{"reason": reason}
		if accountID != 0 {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT failed_logins FROM accounts WHERE id = ?", accountID).Scan(&n); err != nil {
				return err
			}
			n++
			if n >= s.cfg.LockThreshold {
				if _, err := tx.ExecContext(ctx, "UPDATE accounts SET failed_logins = 0, locked_until = ? WHERE id = ?", now.Add(s.cfg.LockDuration), accountID); err != nil {
					return err
				}
				detail["locked_until"] = now.Add(s.cfg.LockDuration)
			} else if _, err := tx.ExecContext(ctx, "UPDATE accounts SET failed_logins = ? WHERE id = ?", n, accountID); err != nil {
				return err
			}
			detail["consecutive_failures"] = n
		}
		return audit.Write(ctx, tx, audit.Event{Action: "auth.login", ObjectType: "account", ObjectID: username, Result: audit.ResultFailed, Detail: detail})
	})
	if err != nil {
		return LoginResult{}, fmt.Errorf("record failed login: %w", err)
	}
	return LoginResult{}, ErrLoginFailed
}

func (s *Service) auditLogin(ctx context.Context, username string, _ int64, result, reason string) {
	_ = audit.WriteAlone(ctx, s.db, audit.Event{Action: "auth.login", ObjectType: "account", ObjectID: username, Result: result, Detail: map[string]any{"reason": reason}})
}

// openSession creates a session row (storing only the token's hash), resets
// the failure counter and audits the login.
func (s *Service) openSession(ctx context.Context, a Account, kind Kind, mfaPending bool) (LoginResult, error) {
	token := newToken()
	now := s.now()
	exp := now.Add(s.cfg.AbsoluteTimeout)
	req := identity.RequestFrom(ctx)
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (id_hash, account_id, kind, mfa_pending, ip, user_agent, created_at, last_seen_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, hashToken(token), a.ID, string(kind), mfaPending, req.IP, truncate(req.UserAgent, 300), now, now, exp); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE accounts SET failed_logins = 0, locked_until = NULL WHERE id = ?", a.ID); err != nil {
			return err
		}
		detail := map[string]any{"kind": kind}
		if mfaPending {
			detail["stage"] = "password_ok_awaiting_second_factor"
		}
		ctx := identity.WithPrincipal(ctx, principalOf(a))
		return audit.Write(ctx, tx, audit.Event{Action: "auth.login", ObjectType: "account", ObjectID: a.Username, Detail: detail})
	})
	if err != nil {
		return LoginResult{}, fmt.Errorf("open session: %w", err)
	}
	return LoginResult{Token: token, ExpiresAt: exp, Principal: principalOf(a)}, nil
}

func principalOf(a Account) *identity.Principal {
	return &identity.Principal{AccountID: a.ID, Username: a.Username, DisplayName: a.DisplayName, Role: a.Role,
		EnterpriseID: a.EnterpriseID, DepartmentCode: a.DepartmentCode, InstitutionCode: a.InstitutionCode,
		ServicePoint: a.ServicePoint, Demo: a.Demo}
}

// ErrSessionInvalid means the token is unknown, revoked, expired or idle.
var ErrSessionInvalid = errs.New(errs.ErrUnauthorized, "session_invalid",
	i18n.M("登录已失效，请重新登录", "Your session has ended; please sign in again"))

// Authenticate resolves a session token. It fails with ErrSessionInvalid
// when the token is unknown, revoked, past its absolute lifetime (12 h) or
// idle too long (30 min; 15 for staff), or the account is disabled.
func (s *Service) Authenticate(ctx context.Context, token string, kind Kind) (*Session, error) {
	if token == "" {
		return nil, ErrSessionInvalid
	}
	h := hashToken(token)
	var a Account
	var sess Session
	var lastSeen time.Time
	var revoked sql.NullTime
	var locked sql.NullTime
	err := s.db.QueryRowContext(ctx, `SELECT s.kind, s.mfa_pending, s.created_at, s.last_seen_at, s.expires_at, s.revoked_at,
		a.id, a.username, a.display_name, a.role, COALESCE(a.enterprise_id, 0), COALESCE(a.department_code, ''),
		COALESCE(a.institution_code, ''), COALESCE(a.service_point_code, ''), a.must_change_password, a.password_changed_at,
		a.disabled, a.demo, a.locked_until, a.totp_enabled FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.id_hash = ?`, h).
		Scan(&sess.Kind, &sess.MFAPending, &sess.CreatedAt, &lastSeen, &sess.ExpiresAt, &revoked,
			&a.ID, &a.Username, &a.DisplayName, &a.Role, &a.EnterpriseID, &a.DepartmentCode,
			&a.InstitutionCode, &a.ServicePoint, &a.MustChangePassword, &a.PasswordChangedAt, &a.Disabled, &a.Demo, &locked,
			&sess.TOTPEnrolled)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrSessionInvalid
	}
	if err != nil {
		return nil, fmt.Errorf("authenticate: %w", err)
	}
	now := s.now()
	switch {
	case sess.Kind != kind, revoked.Valid, a.Disabled,
		!now.Before(sess.ExpiresAt),
		now.Sub(lastSeen) >= s.idleTimeout(a.Role),
		a.Demo && !s.cfg.Demo:
		return nil, ErrSessionInvalid
	}
	if now.Sub(lastSeen) >= s.cfg.SessionTouchPeriod {
		err := s.db.InTx(ctx, func(tx *db.Tx) error {
			_, err := tx.ExecContext(ctx, "UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?", now, h)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("touch session: %w", err)
		}
	}
	a.PasswordChangedAt = a.PasswordChangedAt.UTC()
	sess.Principal = principalOf(a)
	sess.MustChangePassword = !sess.MFAPending && s.mustChangePassword(a)
	return &sess, nil
}

// Logout revokes the session of token. Unknown tokens are ignored.
func (s *Service) Logout(ctx context.Context, token string) error {
	h := hashToken(token)
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE sessions SET revoked_at = ? WHERE id_hash = ? AND revoked_at IS NULL", s.now(), h)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		p := identity.PrincipalFrom(ctx)
		obj := ""
		if p != nil {
			obj = p.Username
		}
		return audit.Write(ctx, tx, audit.Event{Action: "auth.logout", ObjectType: "account", ObjectID: obj})
	})
}

// newToken returns 256 random bits, URL-safe.
func newToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashToken is how tokens are stored: a leaked sessions table does not let
// anyone sign in.
func hashToken(t string) string {
	h := sha256.Sum256([]byte(t))
	return hex.EncodeToString(h[:])
}

func scanTargets(r *loginRow) []any {
	return []any{&r.ID, &r.Username, &r.DisplayName, &r.Role, &r.EnterpriseID, &r.DepartmentCode,
		&r.InstitutionCode, &r.ServicePoint, &r.MustChangePassword, &r.PasswordChangedAt, &r.TOTPEnabled, &r.FailedLogins,
		&r.lockedNull, &r.Disabled, &r.Demo, &r.CreatedAt, &r.hash, &r.totpSecret, &r.lastStep}
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
