package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/qinqing/qinqing/internal/app/apptest"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/seed"
)

// signIn logs a demo account of role in and returns its client and account.
func signIn(t *testing.T, srv *apptest.Server, role identity.Role) (*http.Client, seed.DemoAccount) {
	t.Helper()
	for _, a := range seed.DemoAccounts() {
		if a.Role == role {
			c := srv.Browser()
			p := postForm(t, c, srv.URL+"/login", url.Values{"username": {a.Username}, "password": {a.Password}}, srv.URL)
			if p.status != http.StatusSeeOther {
				t.Fatalf("login %s: %d", a.Username, p.status)
			}
			return c, a
		}
	}
	t.Fatalf("no demo account with role %s", role)
	return nil, seed.DemoAccount{}
}

var valueRE = func(name string) *regexp.Regexp {
	return regexp.MustCompile(`name="` + name + `"[^>]*value="([^"]*)"`)
}

// formValues reads the text inputs of an edit form so a test can post it
// back the way a browser would.
func formValues(body string, names ...string) url.Values {
	v := url.Values{}
	for _, n := range names {
		if m := valueRE(n).FindStringSubmatch(body); m != nil {
			v.Set(n, m[1])
		}
	}
	return v
}

func TestEnterpriseUserEditsOwnContactButNotRegisteredFields(t *testing.T) {
	srv := demoServer(t)
	c, _ := signIn(t, srv, identity.RoleEnterprise)
	my := follow(t, c, srv.URL, "/my")
	id := regexp.MustCompile(`href="/enterprises/(\d+)/edit"`).FindStringSubmatch(my.body)
	if id == nil {
		t.Fatalf("own profile has no edit link:\n%s", my.body)
	}
	edit := get(t, c, srv.URL+"/enterprises/"+id[1]+"/edit")
	if edit.status != 200 || strings.Contains(edit.body, `name="credit_code"`) || strings.Contains(edit.body, `name="tax_credit_grade"`) {
		t.Fatalf("an enterprise user's form offers registered fields (status %d)", edit.status)
	}
	form := formValues(edit.body, "version", "address", "contact_name", "contact_phone", "fiscal_year", "employees")
	form.Set("contact_phone", "023-68861234")
	form.Set("fiscal_year", "2026")
	form.Set("employees", "88")
	p := postForm(t, c, srv.URL+"/enterprises/"+id[1], form, srv.URL)
	if p.status != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", p.status, p.body)
	}
	show := follow(t, c, srv.URL, p.location)
	if !strings.Contains(show.body, "023-68861234") || !strings.Contains(show.body, "企业自报") {
		t.Error("the change or the self-reported year does not show on the profile")
	}
	// A staff-only field posted by hand is not applied.
	form = formValues(get(t, c, srv.URL+"/enterprises/"+id[1]+"/edit").body, "version")
	form.Set("name", "改个名字")
	postForm(t, c, srv.URL+"/enterprises/"+id[1], form, srv.URL)
	if p := get(t, c, srv.URL+"/enterprises/"+id[1]); strings.Contains(p.body, "改个名字") {
		t.Error("an enterprise user's form post changed its name")
	}
	// Another firm's profile is closed.
	other, _ := atoi(id[1])
	if p := get(t, c, srv.URL+fmt.Sprintf("/enterprises/%d", other+1)); p.status != http.StatusForbidden {
		t.Errorf("another enterprise's profile: %d", p.status)
	}
}

func TestClerkEditLosesNothingOnAStaleVersion(t *testing.T) {
	srv := demoServer(t)
	c, _ := signIn(t, srv, identity.RoleWindowClerk)
	edit := get(t, c, srv.URL+"/enterprises/7/edit")
	form := formValues(edit.body, "version", "credit_code", "name", "region_code", "industry_code", "address")
	form.Set("region_code", "500109001")
	form.Set("address", "第一次修改")
	if p := postForm(t, c, srv.URL+"/enterprises/7", form, srv.URL); p.status != http.StatusSeeOther {
		t.Fatalf("first save: %d %s", p.status, p.body)
	}
	form.Set("address", "第二次修改（基于旧版本）")
	p := postForm(t, c, srv.URL+"/enterprises/7", form, srv.URL)
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "已被他人修改") || !strings.Contains(p.body, "第二次修改（基于旧版本）") {
		t.Errorf("stale save: %d, message or typed text missing", p.status)
	}
}

func TestSecurityAdminCreatesAndDisablesAnAccount(t *testing.T) {
	srv := demoServer(t)
	c, _ := signIn(t, srv, identity.RoleSecurityAdmin)
	bad := postForm(t, c, srv.URL+"/accounts", url.Values{"username": {"x"}, "role": {"supervisor"}, "password": {"short"}}, srv.URL)
	if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, "至少需要 12 个字符") {
		t.Errorf("a bad account form: %d", bad.status)
	}
	ok := postForm(t, c, srv.URL+"/accounts", url.Values{"username": {"jianguan2"}, "display_name": {"刘监管"}, "role": {"supervisor"},
		"password": {"Xiaoneng-Jianguan-2026"}}, srv.URL)
	if ok.status != http.StatusSeeOther {
		t.Fatalf("create account: %d %s", ok.status, ok.body)
	}
	if p := get(t, c, srv.URL+"/accounts"); !strings.Contains(p.body, "jianguan2") {
		t.Error("the new account is not listed")
	}
	user := srv.Browser()
	first := postForm(t, user, srv.URL+"/login", url.Values{"username": {"jianguan2"}, "password": {"Xiaoneng-Jianguan-2026"}}, srv.URL)
	if !strings.HasPrefix(first.location, "/account/password") {
		t.Errorf("a new account is not sent to change its password: %q", first.location)
	}
	if p := postForm(t, c, srv.URL+"/accounts/jianguan2/disable", nil, srv.URL); p.status != http.StatusSeeOther {
		t.Fatalf("disable: %d", p.status)
	}
	if p := get(t, user, srv.URL+"/account/password"); p.status != http.StatusSeeOther {
		t.Errorf("a disabled account's session still works: %d", p.status)
	}
	clerk, _ := signIn(t, srv, identity.RoleWindowClerk)
	if p := get(t, clerk, srv.URL+"/accounts"); p.status != http.StatusForbidden {
		t.Errorf("a clerk opened account management: %d", p.status)
	}
}

func TestAdminEditsTheTagVocabularyAndAuditorVerifiesTheChain(t *testing.T) {
	srv := demoServer(t)
	admin, _ := signIn(t, srv, identity.RoleAdmin)
	p := postForm(t, admin, srv.URL+"/tags", url.Values{"code": {"gazelle"}, "name": {"瞪羚企业"}, "name_en": {"Gazelle"}, "category": {"qualification"}, "active": {"on"}}, srv.URL)
	if p.status != http.StatusSeeOther {
		t.Fatalf("save tag: %d %s", p.status, p.body)
	}
	if p := get(t, admin, srv.URL+"/tags"); !strings.Contains(p.body, "瞪羚企业") {
		t.Error("the new tag is not listed")
	}
	if p := get(t, admin, srv.URL+"/audit"); p.status != http.StatusForbidden {
		t.Errorf("the system administrator opened the audit trail: %d", p.status)
	}
	auditor, _ := signIn(t, srv, identity.RoleAuditor)
	v := get(t, auditor, srv.URL+"/audit?verify=1&action=tag.")
	if !strings.Contains(v.body, "哈希链完整") || !strings.Contains(v.body, "tag.save") {
		t.Errorf("the audit page does not verify the chain or filter by action:\n%s", v.body)
	}
	denied := get(t, auditor, srv.URL+"/audit?result=denied")
	if !strings.Contains(denied.body, "audit.list") {
		t.Error("the administrator's refused look at the audit trail is not in it")
	}
}

func atoi(s string) (int, error) {
	var n int
	_, err := fmt.Sscan(s, &n)
	return n, err
}
