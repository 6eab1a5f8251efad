package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/qinqing/qinqing/internal/app/apptest"
	"github.com/qinqing/qinqing/internal/auth"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/identity"
)

var secretRE = regexp.MustCompile(`id="totp-secret">([A-Z2-7]+)<`)

// TestStaffEnrolAnAuthenticatorAtFirstSignIn walks the web flow with MFA on
// for staff: password, the enrolment page with its QR code, the first code,
// then at the next sign-in the code page.
func TestStaffEnrolAnAuthenticatorAtFirstSignIn(t *testing.T) {
	srv := apptest.Start(t, db.SQLite, apptest.WithEnv("QINQING_MFA", "staff"))
	srv.Account(auth.NewAccount{Username: "reviewer1", Role: identity.RoleWindowClerk, Password: "Beibei-Shenpi-2026"})
	c := srv.Browser()
	login := postForm(t, c, srv.URL+"/login", url.Values{"username": {"reviewer1"}, "password": {"Beibei-Shenpi-2026"}, "next": {"/"}}, srv.URL)
	if login.status != http.StatusSeeOther || !strings.HasPrefix(login.location, "/login/enrol") {
		t.Fatalf("first staff login: %d → %q", login.status, login.location)
	}
	// Until the second factor is done, nothing else opens.
	if p := get(t, c, srv.URL+"/enterprises"); p.status != http.StatusSeeOther || p.location != "/login/enrol" {
		t.Errorf("/enterprises before enrolment: %d → %q", p.status, p.location)
	}
	enrol := get(t, c, srv.URL+login.location)
	m := secretRE.FindStringSubmatch(enrol.body)
	if enrol.status != 200 || m == nil || !strings.Contains(enrol.body, `src="data:image/png;base64,`) {
		t.Fatalf("enrolment page: %d, secret %v", enrol.status, m)
	}
	if p := postForm(t, c, srv.URL+"/login/enrol", url.Values{"otp": {"123456"}}, srv.URL); p.status != http.StatusUnprocessableEntity {
		t.Errorf("a wrong first code: %d", p.status)
	}
	done := postForm(t, c, srv.URL+"/login/enrol", url.Values{"otp": {auth.TOTPCode(m[1], time.Now())}, "next": {"/"}}, srv.URL)
	if done.status != http.StatusSeeOther || strings.HasPrefix(done.location, "/login") {
		t.Fatalf("confirming the code: %d → %q\n%s", done.status, done.location, done.body)
	}
	if p := get(t, c, srv.URL+"/enterprises"); p.status != 200 {
		t.Errorf("/enterprises after enrolment: %d", p.status)
	}

	again := srv.Browser()
	second := postForm(t, again, srv.URL+"/login", url.Values{"username": {"reviewer1"}, "password": {"Beibei-Shenpi-2026"}}, srv.URL)
	if !strings.HasPrefix(second.location, "/login/otp") {
		t.Fatalf("second login: → %q", second.location)
	}
	// A code is accepted once; the next step's code (within the allowed
	// clock drift) is a fresh one.
	next := auth.TOTPCode(m[1], time.Now().Add(30*time.Second))
	if p := postForm(t, again, srv.URL+"/login/otp", url.Values{"otp": {next}}, srv.URL); p.status != http.StatusSeeOther || strings.HasPrefix(p.location, "/login") {
		t.Errorf("code page: %d → %q", p.status, p.location)
	}
}
