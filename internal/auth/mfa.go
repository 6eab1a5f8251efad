package auth

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

// pendingRow loads the account behind a session that awaits its second factor.
func (s *Service) pendingRow(ctx context.Context, token string) (loginRow, error) {
	sess, err := s.Authenticate(ctx, token, KindWeb)
	if err != nil {
		return loginRow{}, err
	}
	if !sess.MFAPending {
		return loginRow{}, errs.New(errs.ErrConflict, "mfa_not_pending", i18n.M("无需再次验证", "No second factor is pending"))
	}
	var row loginRow
	err = s.db.QueryRowContext(ctx, "SELECT "+accountCols+", password_hash, totp_secret, totp_last_step FROM accounts WHERE id = ?", sess.Principal.AccountID).
		Scan(scanTargets(&row)...)
	if errors.Is(err, sql.ErrNoRows) {
		return loginRow{}, ErrSessionInvalid
	}
	row.fixTimes()
	return row, err
}

// CompleteSecondFactor checks the authenticator code for a pending web
// session and, on success, replaces it with a fully signed-in session (a new
// token, so a token seen before the second factor is worthless after it).
func (s *Service) CompleteSecondFactor(ctx context.Context, token, code string) (LoginResult, error) {
	row, err := s.pendingRow(ctx, token)
	if err != nil {
		return LoginResult{}, err
	}
	if !row.TOTPEnabled {
		return LoginResult{}, errs.New(errs.ErrConflict, "mfa_not_enrolled", i18n.M("请先绑定身份验证器", "Set up an authenticator first"))
	}
	if row.Locked(s.now()) {
		return LoginResult{}, ErrLoginFailed
	}
	if err := s.checkOTP(ctx, row, code); err != nil {
		return LoginResult{}, errs.Fields{"otp": i18n.M("动态码不正确或已使用", "The code is wrong or was already used")}.Err()
	}
	return s.upgrade(ctx, token, row.Account)
}

// BeginEnrolment creates (or re-shows) an unconfirmed authenticator secret
// for a pending web session and returns it with its otpauth:// URI.
func (s *Service) BeginEnrolment(ctx context.Context, token string) (secret, uri string, err error) {
	row, err := s.pendingRow(ctx, token)
	if err != nil {
		return "", "", err
	}
	if row.TOTPEnabled {
		return "", "", errs.New(errs.ErrConflict, "mfa_enrolled", i18n.M("已绑定身份验证器", "An authenticator is already set up"))
	}
	secret, err = s.box.Open(row.totpSecret)
	if err != nil {
		return "", "", err
	}
	if secret == "" {
		secret = newTOTPSecret()
		err = s.db.InTx(ctx, func(tx *db.Tx) error {
			_, err := tx.ExecContext(ctx, "UPDATE accounts SET totp_secret = ? WHERE id = ?", s.box.Seal(secret), row.ID)
			return err
		})
		if err != nil {
			return "", "", fmt.Errorf("store totp secret: %w", err)
		}
	}
	return secret, totpURI(s.cfg.Issuer, row.Username, secret), nil
}

// ConfirmEnrolment checks the first code from the newly set-up authenticator,
// turns the second factor on and completes the login.
func (s *Service) ConfirmEnrolment(ctx context.Context, token, code string) (LoginResult, error) {
	row, err := s.pendingRow(ctx, token)
	if err != nil {
		return LoginResult{}, err
	}
	secret, err := s.box.Open(row.totpSecret)
	if err != nil {
		return LoginResult{}, err
	}
	if row.TOTPEnabled || secret == "" {
		return LoginResult{}, errs.New(errs.ErrConflict, "mfa_enrolment_not_started", i18n.M("请重新开始绑定", "Start the set-up again"))
	}
	step, ok := verifyTOTP(secret, code, s.now(), row.lastStep)
	if !ok {
		return LoginResult{}, errs.Fields{"otp": i18n.M("动态码不正确，请核对手机时间后重试", "The code is wrong; check your phone's clock and try again")}.Err()
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE accounts SET totp_enabled = ?, totp_last_step = ? WHERE id = ?", true, step, row.ID); err != nil {
			return err
		}
		ctx := identity.WithPrincipal(ctx, principalOf(row.Account))
		return audit.Write(ctx, tx, audit.Event{Action: "auth.mfa_enrol", ObjectType: "account", ObjectID: row.Username})
	})
	if err != nil {
		return LoginResult{}, err
	}
	return s.upgrade(ctx, token, row.Account)
}

// upgrade revokes the pending session and opens a full one.
func (s *Service) upgrade(ctx context.Context, oldToken string, a Account) (LoginResult, error) {
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, "UPDATE sessions SET revoked_at = ? WHERE id_hash = ?", s.now(), hashToken(oldToken))
		return err
	})
	if err != nil {
		return LoginResult{}, err
	}
	res, err := s.openSession(ctx, a, KindWeb, false)
	if err != nil {
		return LoginResult{}, err
	}
	res.Stage = StageDone
	if s.mustChangePassword(a) {
		res.Stage = StageNewPassword
	}
	return res, nil
}
