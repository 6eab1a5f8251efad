package auth_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/auth"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/seal"
)

const (
	entPassword   = "beibei-qiye-2026"
	staffPassword = "Beibei-Chuangkou-2026"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

type fixture struct {
	svc   *auth.Service
	db    *db.DB
	clock *clock
}

func setup(t *testing.T, d *db.DB, cfg auth.Config) fixture {
	t.Helper()
	ctx := context.Background()
	err := d.InTx(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO enterprises (id, credit_code, name, region_code, industry_code, industry_section, created_at, updated_at)
			VALUES (1, '91500109MA5U5X1234', '重庆北碚测试机械有限公司', '500109001', '3670', 'C', ?, ?)`, time.Now(), time.Now())
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO departments (code, name) VALUES ('SCJGJ', '区市场监管局')`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)}
	svc := auth.NewService(d, cfg, nil)
	svc.SetClock(c.now)
	return fixture{svc: svc, db: d, clock: c}
}

func sys() context.Context {
	return identity.WithRequest(identity.WithPrincipal(context.Background(), identity.System("test")), identity.Request{IP: "127.0.0.1"})
}

func from(ip string) context.Context {
	return identity.WithRequest(context.Background(), identity.Request{IP: ip, ID: "r1"})
}

func (f fixture) create(t *testing.T, in auth.NewAccount) auth.Account {
	t.Helper()
	a, err := f.svc.CreateAccount(sys(), in)
	if err != nil {
		t.Fatalf("create %s: %v", in.Username, err)
	}
	return a
}

func entUser(f fixture, t *testing.T) auth.Account {
	return f.create(t, auth.NewAccount{Username: "qiye01", Role: identity.RoleEnterprise, EnterpriseID: 1, Password: entPassword})
}

func TestLoginSucceedsAndTheTokenAuthenticates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d, auth.Config{MFA: auth.MFAOff})
		entUser(f, t)
		res, err := f.svc.Login(from("10.1.1.1"), auth.LoginInput{Username: "QiYe01 ", Password: entPassword, Kind: auth.KindAPI})
		if err != nil {
			t.Fatal(err)
		}
		if res.Stage != auth.StageDone || len(res.Token) < 43 {
			t.Fatalf("result = %+v", res)
		}
		sess, err := f.svc.Authenticate(context.Background(), res.Token, auth.KindAPI)
		if err != nil {
			t.Fatal(err)
		}
		if sess.Principal.Username != "qiye01" || sess.Principal.EnterpriseID != 1 || sess.Principal.Role != identity.RoleEnterprise {
			t.Errorf("principal = %+v", sess.Principal)
		}
		if _, err := f.svc.Authenticate(context.Background(), res.Token, auth.KindWeb); err == nil {
			t.Error("an API token works as a web session cookie")
		}
		var stored string
		d.QueryRowContext(context.Background(), "SELECT id_hash FROM sessions").Scan(&stored)
		if stored == res.Token || strings.Contains(stored, res.Token) {
			t.Error("the session token is stored in clear")
		}
	})
}

func TestFailedLoginsLookTheSameAndLockAfterFive(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d, auth.Config{MFA: auth.MFAOff})
		entUser(f, t)
		ctx := from("10.1.1.2")
		_, errUnknown := f.svc.Login(ctx, auth.LoginInput{Username: "nobody", Password: entPassword, Kind: auth.KindAPI})
		_, errWrong := f.svc.Login(ctx, auth.LoginInput{Username: "qiye01", Password: "wrong-password-1", Kind: auth.KindAPI})
		if errUnknown == nil || errUnknown.Error() != errWrong.Error() {
			t.Fatalf("unknown user and wrong password differ: %v / %v", errUnknown, errWrong)
		}
		for range 4 {
			f.svc.Login(ctx, auth.LoginInput{Username: "qiye01", Password: "wrong-password-1", Kind: auth.KindAPI})
		}
		_, err := f.svc.Login(ctx, auth.LoginInput{Username: "qiye01", Password: entPassword, Kind: auth.KindAPI})
		if !errors.Is(err, errs.ErrUnauthorized) || err.Error() != errWrong.Error() {
			t.Fatalf("the right password during a lockout: %v", err)
		}
		f.clock.add(15*time.Minute + time.Second)
		if _, err := f.svc.Login(ctx, auth.LoginInput{Username: "qiye01", Password: entPassword, Kind: auth.KindAPI}); err != nil {
			t.Fatalf("still locked after 15 minutes: %v", err)
		}
		recs, _, _ := audit.List(identity.WithPrincipal(context.Background(), &identity.Principal{Role: identity.RoleAuditor}), d, audit.Filter{Action: "auth.login"})
		var failed, denied int
		for _, r := range recs {
			switch r.Result {
			case audit.ResultFailed:
				failed++
			case audit.ResultDenied:
				denied++
			}
		}
		if failed != 6 || denied != 1 {
			t.Errorf("audit has %d failed and %d denied logins, want 6 and 1", failed, denied)
		}
	})
}

func TestFourFailuresThenSuccessResetTheCounter(t *testing.T) {
	d := dbtest.OpenSQLite(t)
	f := setup(t, d, auth.Config{MFA: auth.MFAOff})
	entUser(f, t)
	ctx := from("10.1.1.3")
	for range 2 {
		for range 4 {
			f.svc.Login(ctx, auth.LoginInput{Username: "qiye01", Password: "wrong-password-1", Kind: auth.KindAPI})
		}
		if _, err := f.svc.Login(ctx, auth.LoginInput{Username: "qiye01", Password: entPassword, Kind: auth.KindAPI}); err != nil {
			t.Fatalf("four failures locked the account: %v", err)
		}
	}
}

func TestAdminUnlock(t *testing.T) {
	d := dbtest.OpenSQLite(t)
	f := setup(t, d, auth.Config{MFA: auth.MFAOff})
	entUser(f, t)
	ctx := from("10.1.1.4")
	for range 5 {
		f.svc.Login(ctx, auth.LoginInput{Username: "qiye01", Password: "wrong-password-1", Kind: auth.KindAPI})
	}
	clerk := identity.WithPrincipal(context.Background(), &identity.Principal{Username: "c", Role: identity.RoleWindowClerk})
	if err := f.svc.UnlockAccount(clerk, "qiye01"); !errors.Is(err, errs.ErrForbidden) {
		t.Fatalf("a window clerk unlocked an account: %v", err)
	}
	secAdmin := identity.WithPrincipal(context.Background(), &identity.Principal{Username: "sec", Role: identity.RoleSecurityAdmin})
	if err := f.svc.UnlockAccount(secAdmin, "qiye01"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Login(ctx, auth.LoginInput{Username: "qiye01", Password: entPassword, Kind: auth.KindAPI}); err != nil {
		t.Fatalf("login after unlock: %v", err)
	}
}

func TestOneAddressIsLimitedAcrossAccounts(t *testing.T) {
	d := dbtest.OpenSQLite(t)
	f := setup(t, d, auth.Config{MFA: auth.MFAOff, IPFailureLimit: 5})
	entUser(f, t)
	spray := from("203.0.113.9")
	for i := range 5 {
		f.svc.Login(spray, auth.LoginInput{Username: "user" + string(rune('a'+i)), Password: "some-password-1", Kind: auth.KindAPI})
	}
	if _, err := f.svc.Login(spray, auth.LoginInput{Username: "qiye01", Password: entPassword, Kind: auth.KindAPI}); !errors.Is(err, errs.ErrTooManyRequest) {
		t.Fatalf("a spraying address was not limited: %v", err)
	}
	if _, err := f.svc.Login(from("198.51.100.1"), auth.LoginInput{Username: "qiye01", Password: entPassword, Kind: auth.KindAPI}); err != nil {
		t.Fatalf("another address was limited too: %v", err)
	}
}

func TestSessionsEndOnIdleAbsoluteLogoutDisableAndPasswordChange(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d, auth.Config{MFA: auth.MFAOff})
		entUser(f, t)
		f.create(t, auth.NewAccount{Username: "clerk01", Role: identity.RoleWindowClerk, Password: staffPassword})
		login := func(u, pw string) string {
			t.Helper()
			res, err := f.svc.Login(from("10.2.0.1"), auth.LoginInput{Username: u, Password: pw, Kind: auth.KindWeb})
			if err != nil {
				t.Fatalf("login %s: %v", u, err)
			}
			return res.Token
		}
		alive := func(tok string) bool {
			_, err := f.svc.Authenticate(context.Background(), tok, auth.KindWeb)
			return err == nil
		}

		ent, staff := login("qiye01", entPassword), login("clerk01", staffPassword)
		f.clock.add(14 * time.Minute)
		if !alive(ent) || !alive(staff) {
			t.Fatal("sessions ended before their idle timeout")
		}
		f.clock.add(15*time.Minute + time.Second)
		if alive(staff) {
			t.Error("a staff session survived 15 idle minutes")
		}
		if !alive(ent) {
			t.Error("an enterprise session ended after 15 idle minutes (its limit is 30)")
		}
		f.clock.add(30*time.Minute + time.Second)
		if alive(ent) {
			t.Error("an enterprise session survived 30 idle minutes")
		}

		ent = login("qiye01", entPassword)
		for range 26 { // 26 × 29 min > 12 h
			f.clock.add(29 * time.Minute)
			if !alive(ent) {
				break
			}
		}
		if alive(ent) {
			t.Error("an active session outlived the 12-hour absolute limit")
		}

		ent = login("qiye01", entPassword)
		if err := f.svc.Logout(context.Background(), ent); err != nil || alive(ent) {
			t.Errorf("logout did not end the session: %v", err)
		}

		ent1, ent2 := login("qiye01", entPassword), login("qiye01", entPassword)
		sess, _ := f.svc.Authenticate(context.Background(), ent1, auth.KindWeb)
		self := identity.WithPrincipal(context.Background(), sess.Principal)
		if err := f.svc.ChangePassword(self, entPassword, "beibei-qiye-2027"); err != nil {
			t.Fatal(err)
		}
		if alive(ent1) || alive(ent2) {
			t.Error("a password change left sessions alive")
		}

		staff = login("clerk01", staffPassword)
		sec := identity.WithPrincipal(context.Background(), &identity.Principal{Username: "sec", Role: identity.RoleSecurityAdmin})
		if err := f.svc.DisableAccount(sec, "clerk01"); err != nil {
			t.Fatal(err)
		}
		if alive(staff) {
			t.Error("disabling the account left its session alive")
		}
		if _, err := f.svc.Login(from("10.2.0.1"), auth.LoginInput{Username: "clerk01", Password: staffPassword, Kind: auth.KindWeb}); err == nil {
			t.Error("a disabled account signed in")
		}
	})
}

func TestStaffSecondFactorEnrolmentAndUse(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d, auth.Config{MFA: auth.MFAStaff})
		f.create(t, auth.NewAccount{Username: "reviewer01", Role: identity.RoleReviewer, DepartmentCode: "SCJGJ", Password: staffPassword})
		entUser(f, t)
		ctx := from("10.3.0.1")

		// Enterprise users need no second factor in "staff" mode.
		if res, err := f.svc.Login(ctx, auth.LoginInput{Username: "qiye01", Password: entPassword, Kind: auth.KindWeb}); err != nil || res.Stage != auth.StageDone {
			t.Fatalf("enterprise login: %+v %v", res, err)
		}
		// An API client cannot enrol.
		if _, err := f.svc.Login(ctx, auth.LoginInput{Username: "reviewer01", Password: staffPassword, Kind: auth.KindAPI}); !errors.Is(err, auth.ErrEnrolmentRequired) {
			t.Fatalf("API login before enrolment: %v", err)
		}
		res, err := f.svc.Login(ctx, auth.LoginInput{Username: "reviewer01", Password: staffPassword, Kind: auth.KindWeb})
		if err != nil || res.Stage != auth.StageEnrolTOTP {
			t.Fatalf("first staff login: %+v %v", res, err)
		}
		if sess, err := f.svc.Authenticate(context.Background(), res.Token, auth.KindWeb); err != nil || !sess.MFAPending {
			t.Fatalf("pending session: %+v %v", sess, err)
		}
		secret, uri, err := f.svc.BeginEnrolment(ctx, res.Token)
		if err != nil || !strings.HasPrefix(uri, "otpauth://totp/") {
			t.Fatalf("begin enrolment: %q %v", uri, err)
		}
		if _, err := f.svc.ConfirmEnrolment(ctx, res.Token, "000000"); err == nil {
			t.Error("a wrong first code confirmed the enrolment")
		}
		done, err := f.svc.ConfirmEnrolment(ctx, res.Token, auth.TOTPCode(secret, f.clock.now()))
		if err != nil || done.Stage != auth.StageDone || done.Token == res.Token {
			t.Fatalf("confirm enrolment: %+v %v", done, err)
		}
		if _, err := f.svc.Authenticate(context.Background(), res.Token, auth.KindWeb); err == nil {
			t.Error("the pre-MFA token still works after the second factor")
		}

		f.clock.add(time.Minute)
		if _, err := f.svc.Login(ctx, auth.LoginInput{Username: "reviewer01", Password: staffPassword, Kind: auth.KindAPI}); !errors.Is(err, auth.ErrOTPRequired) {
			t.Fatalf("API login without a code: %v", err)
		}
		code := auth.TOTPCode(secret, f.clock.now())
		if _, err := f.svc.Login(ctx, auth.LoginInput{Username: "reviewer01", Password: staffPassword, OTP: code, Kind: auth.KindAPI}); err != nil {
			t.Fatalf("API login with a code: %v", err)
		}
		if _, err := f.svc.Login(ctx, auth.LoginInput{Username: "reviewer01", Password: staffPassword, OTP: code, Kind: auth.KindAPI}); err == nil {
			t.Error("a one-time code worked twice")
		}
		web, err := f.svc.Login(ctx, auth.LoginInput{Username: "reviewer01", Password: staffPassword, Kind: auth.KindWeb})
		if err != nil || web.Stage != auth.StageOTP {
			t.Fatalf("web login with MFA: %+v %v", web, err)
		}
		f.clock.add(30 * time.Second)
		if _, err := f.svc.CompleteSecondFactor(ctx, web.Token, auth.TOTPCode(secret, f.clock.now())); err != nil {
			t.Fatalf("second factor: %v", err)
		}
	})
}

func TestStaffPasswordRotationForcesAChange(t *testing.T) {
	d := dbtest.OpenSQLite(t)
	f := setup(t, d, auth.Config{MFA: auth.MFAOff})
	f.create(t, auth.NewAccount{Username: "clerk01", Role: identity.RoleWindowClerk, Password: staffPassword})
	f.clock.add(91 * 24 * time.Hour)
	res, err := f.svc.Login(from("10.4.0.1"), auth.LoginInput{Username: "clerk01", Password: staffPassword, Kind: auth.KindWeb})
	if err != nil || res.Stage != auth.StageNewPassword {
		t.Fatalf("login after 91 days: %+v %v", res, err)
	}
	sess, _ := f.svc.Authenticate(context.Background(), res.Token, auth.KindWeb)
	if !sess.MustChangePassword {
		t.Error("the session does not say the password must change")
	}
	self := identity.WithPrincipal(context.Background(), sess.Principal)
	if err := f.svc.ChangePassword(self, staffPassword, staffPassword); err == nil {
		t.Error("the same password was accepted as the new one")
	}
	if err := f.svc.ChangePassword(self, staffPassword, "Beibei-Chuangkou-2027"); err != nil {
		t.Fatal(err)
	}
	res, _ = f.svc.Login(from("10.4.0.1"), auth.LoginInput{Username: "clerk01", Password: "Beibei-Chuangkou-2027", Kind: auth.KindWeb})
	sess, _ = f.svc.Authenticate(context.Background(), res.Token, auth.KindWeb)
	self = identity.WithPrincipal(context.Background(), sess.Principal)
	if err := f.svc.ChangePassword(self, "Beibei-Chuangkou-2027", staffPassword); err == nil {
		t.Error("a recently used password was accepted again")
	}
}

func TestDemoStaffAccountsAreExemptFromRotation(t *testing.T) {
	d := dbtest.OpenSQLite(t)
	f := setup(t, d, auth.Config{MFA: auth.MFAOff, Demo: true})
	f.create(t, auth.NewAccount{Username: "demo-clerk", Role: identity.RoleWindowClerk, Password: staffPassword, Demo: true})
	f.clock.add(400 * 24 * time.Hour)
	res, err := f.svc.Login(from("10.6.0.1"), auth.LoginInput{Username: "demo-clerk", Password: staffPassword, Kind: auth.KindWeb})
	if err != nil || res.Stage != auth.StageDone {
		t.Fatalf("a year-old demo staff account: %+v %v", res, err)
	}
}

func TestDemoAccountsOnlyWorkInDemoMode(t *testing.T) {
	d := dbtest.OpenSQLite(t)
	f := setup(t, d, auth.Config{MFA: auth.MFAOff, Demo: false})
	f.create(t, auth.NewAccount{Username: "demo-clerk", Role: identity.RoleWindowClerk, Password: staffPassword, Demo: true})
	if _, err := f.svc.Login(from("10.5.0.1"), auth.LoginInput{Username: "demo-clerk", Password: staffPassword, Kind: auth.KindWeb}); err == nil {
		t.Fatal("a demo account signed in outside demo mode")
	}
	demo := auth.NewService(d, auth.Config{MFA: auth.MFAOff, Demo: true}, nil)
	if _, err := demo.Login(from("10.5.0.1"), auth.LoginInput{Username: "demo-clerk", Password: staffPassword, Kind: auth.KindWeb}); err != nil {
		t.Fatalf("a demo account cannot sign in in demo mode: %v", err)
	}
}

func TestCreateAccountValidatesEveryField(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d, auth.Config{})
		_, err := f.svc.CreateAccount(sys(), auth.NewAccount{Username: "X", Role: "boss", Password: "short"})
		fields := errs.FieldsOf(err)
		for _, k := range []string{"username", "role", "password"} {
			if _, ok := fields[k]; !ok {
				t.Errorf("no error for %s in %v", k, err)
			}
		}
		_, err = f.svc.CreateAccount(sys(), auth.NewAccount{Username: "rev", Role: identity.RoleReviewer, Password: staffPassword})
		if _, ok := errs.FieldsOf(err)["department"]; !ok {
			t.Errorf("a reviewer without a department: %v", err)
		}
		_, err = f.svc.CreateAccount(sys(), auth.NewAccount{Username: "rev", Role: identity.RoleReviewer, DepartmentCode: "NOPE", Password: staffPassword})
		if !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("a reviewer of an unknown department: %v", err)
		}
		entUser(f, t)
		_, err = f.svc.CreateAccount(sys(), auth.NewAccount{Username: "QIYE01", Role: identity.RoleEnterprise, EnterpriseID: 1, Password: entPassword})
		if !errors.Is(err, errs.ErrConflict) {
			t.Errorf("a duplicate username (other case): %v", err)
		}
		clerk := identity.WithPrincipal(context.Background(), &identity.Principal{Username: "c", Role: identity.RoleWindowClerk})
		if _, err := f.svc.CreateAccount(clerk, auth.NewAccount{Username: "x1x", Role: identity.RoleAdmin, Password: staffPassword}); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("a window clerk created an admin: %v", err)
		}
	})
}

func TestTOTPSecretsAreSealedWhenADataKeyIsSet(t *testing.T) {
	d := dbtest.OpenSQLite(t)
	f := setup(t, d, auth.Config{MFA: auth.MFAStaff})
	box, err := seal.New("a-long-enough-data-key")
	if err != nil {
		t.Fatal(err)
	}
	svc := auth.NewService(d, auth.Config{MFA: auth.MFAStaff}, box)
	f.create(t, auth.NewAccount{Username: "clerk01", Role: identity.RoleWindowClerk, Password: staffPassword})
	res, err := svc.Login(from("10.7.0.1"), auth.LoginInput{Username: "clerk01", Password: staffPassword, Kind: auth.KindWeb})
	if err != nil {
		t.Fatal(err)
	}
	secret, _, err := svc.BeginEnrolment(from("10.7.0.1"), res.Token)
	if err != nil {
		t.Fatal(err)
	}
	var stored string
	d.QueryRowContext(context.Background(), "SELECT totp_secret FROM accounts WHERE username = 'clerk01'").Scan(&stored)
	if !strings.HasPrefix(stored, "enc:v1:") || strings.Contains(stored, secret) {
		t.Errorf("the TOTP secret is stored as %q", stored)
	}
	if _, err := svc.ConfirmEnrolment(from("10.7.0.1"), res.Token, auth.TOTPCode(secret, time.Now())); err != nil {
		t.Errorf("enrolment with a sealed secret: %v", err)
	}
}

func TestAgentsAreBoundToAServicePoint(t *testing.T) {
	d := dbtest.OpenSQLite(t)
	f := setup(t, d, auth.Config{MFA: auth.MFAOff})
	_, err := f.svc.CreateAccount(sys(), auth.NewAccount{Username: "agent01", Role: identity.RoleAgent, Password: staffPassword})
	if _, ok := errs.FieldsOf(err)["service_point"]; !ok {
		t.Fatalf("an agent without a service point: %v", err)
	}
	f.create(t, auth.NewAccount{Username: "agent01", Role: identity.RoleAgent, ServicePoint: "CJG-CENTER", Password: staffPassword})
	res, err := f.svc.Login(from("10.8.0.1"), auth.LoginInput{Username: "agent01", Password: staffPassword, Kind: auth.KindAPI})
	if err != nil {
		t.Fatal(err)
	}
	sess, err := f.svc.Authenticate(context.Background(), res.Token, auth.KindAPI)
	if err != nil || sess.Principal.ServicePoint != "CJG-CENTER" {
		t.Errorf("principal %+v %v", sess, err)
	}
}
