package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/qinqing/qinqing/internal/app/apptest"
	"github.com/qinqing/qinqing/internal/auth"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/web"
)

// policyLogin signs a user in through the login form.
func policyLogin(t *testing.T, srv *apptest.Server, user, password string) *http.Client {
	t.Helper()
	c := srv.Browser()
	if p := postForm(t, c, srv.URL+"/login", url.Values{"username": {user}, "password": {password}}, srv.URL); p.status != http.StatusSeeOther {
		t.Fatalf("login %s: %d\n%s", user, p.status, p.body)
	}
	return c
}

// TestConditionBuilderOverHTTP drives the builder's htmx answers: a changed
// attribute brings its own operators and value input, a button adds a row
// without saving anything, and only policy officers may use them, from
// this site only.
func TestConditionBuilderOverHTTP(t *testing.T) {
	srv := apptest.Start(t, db.SQLite)
	const pw = "Beibei-Staff-Policy-2026"
	srv.Account(auth.NewAccount{Username: "zhengce", Role: identity.RolePolicyOfficer, Password: pw})
	srv.Account(auth.NewAccount{Username: "teshi", Role: identity.RoleLiaison, Password: pw})
	officer := policyLogin(t, srv, "zhengce", pw)

	row := get(t, officer, srv.URL+"/policy-builder/row?prefix=cond&i=3&"+url.Values{
		"cond[3].depth": {"2"}, "cond[3].attr": {"tax_credit_grade"}, "cond[3].was": {"employees"}, "cond[3].op": {"le"}, "cond[3].v": {"300"},
		"cond[3].not": {"on"}}.Encode())
	if row.status != 200 {
		t.Fatalf("row fragment: %d\n%s", row.status, row.body)
	}
	form := web.FormOf(row.body)
	if form.Get("cond[3].op") != "eq" || form.Get("cond[3].not") != "on" || form.Get("cond[3].depth") != "2" {
		t.Errorf("the row came back as %v", form)
	}
	for _, want := range []string{`value="not_in"`, "纳税信用级别", `<option value="A">A级</option>`, `id="cond-row-3"`} {
		if !strings.Contains(row.body, want) {
			t.Errorf("row fragment lacks %q", want)
		}
	}
	if strings.Contains(row.body, `value="300"`) {
		t.Error("the old attribute's value was carried over to the new one")
	}
	if strings.Contains(row.body, `value="le"`) || strings.Contains(row.body, "<html") {
		t.Error("the row offers an operator the code type does not take, or came with the whole page")
	}
	// Choosing "is one of" turns the value into check boxes.
	row = get(t, officer, srv.URL+"/policy-builder/row?prefix=cond&i=3&"+url.Values{
		"cond[3].depth": {"1"}, "cond[3].attr": {"tax_credit_grade"}, "cond[3].was": {"tax_credit_grade"}, "cond[3].op": {"in"}, "cond[3].v": {"A"}}.Encode())
	if !strings.Contains(row.body, `type="checkbox" name="cond[3].vs" value="A" checked`) {
		t.Errorf("in over a closed list does not offer check boxes with the earlier choice kept:\n%s", row.body)
	}

	posted := url.Values{"cond.rows": {"2"}, "cond[0].kind": {"any"}, "cond[0].depth": {"0"},
		"cond[1].kind": {"leaf"}, "cond[1].depth": {"1"}, "cond[1].attr": {"taxable_income"}, "cond[1].op": {"le"}, "cond[1].v": {"300"},
		"cond.cmd": {"add:0"}}
	p := postForm(t, officer, srv.URL+"/policy-builder?prefix=cond&field=conditions", posted, srv.URL)
	if p.status != 200 {
		t.Fatalf("builder command: %d\n%s", p.status, p.body)
	}
	back := web.FormOf(p.body)
	if back.Get("cond.rows") != "3" || back.Get("cond[0].kind") != "any" || back.Get("cond[1].v") != "300" || back.Get("cond[2].kind") != "leaf" {
		t.Errorf("after add:0 the builder is %v", back)
	}
	if !strings.Contains(p.body, "万元") {
		t.Error("a money comparison does not say it is entered in 万元")
	}

	// A post from another site is refused.
	if p := postForm(t, officer, srv.URL+"/policy-builder?prefix=cond", posted, "https://evil.example"); p.status != http.StatusForbidden {
		t.Errorf("cross-site builder post: %d", p.status)
	}
	// Others may not use the builder; anonymous visitors are sent to sign in.
	liaison := policyLogin(t, srv, "teshi", pw)
	if p := get(t, liaison, srv.URL+"/policy-builder/row?prefix=cond&i=1"); p.status != http.StatusForbidden {
		t.Errorf("a liaison officer got the builder: %d", p.status)
	}
	if p := get(t, srv.Browser(), srv.URL+"/policy-builder/row?prefix=cond&i=1"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/login") {
		t.Errorf("anonymous builder request: %d %s", p.status, p.location)
	}
	if p := get(t, officer, srv.URL+"/policy-builder/row?prefix=../x&i=1"); p.status != http.StatusBadRequest {
		t.Errorf("a bad prefix: %d", p.status)
	}
}
