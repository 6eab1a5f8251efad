package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/qinqing/qinqing/internal/app/apptest"
	"github.com/qinqing/qinqing/internal/identity"
)

var liaisonCardRE = regexp.MustCompile(`(?s)<section class="card" aria-labelledby="h-liaison" id="liaison">.*?</section>`)

// accountID is the id of the account named username.
func accountID(t *testing.T, srv *apptest.Server, username string) int64 {
	t.Helper()
	var id int64
	if err := srv.Main.DB.QueryRowContext(context.Background(), "SELECT id FROM accounts WHERE username = ?", username).Scan(&id); err != nil {
		t.Fatalf("account %s: %v", username, err)
	}
	return id
}

// demoLiaison is a context acting as the demo liaison officer.
func demoLiaison(t *testing.T, srv *apptest.Server) context.Context {
	t.Helper()
	p := &identity.Principal{AccountID: accountID(t, srv, "liaison"), Username: "liaison", Role: identity.RoleLiaison}
	return identity.WithRequest(identity.WithPrincipal(context.Background(), p), identity.Request{ID: "test"})
}

// TestEnterpriseProfileShowsItsLiaisonOfficerAndSupervisorsReassignIt: the
// profile names the firm's 亲清特使 to staff and to the firm; a supervisor
// removes and reassigns the officer through the card's form; the officer
// itself, a window clerk and the firm may not, nor may a cross-site post.
func TestEnterpriseProfileShowsItsLiaisonOfficerAndSupervisorsReassignIt(t *testing.T) {
	srv := demoServer(t)
	firm, err := srv.Main.Enterprise.GetByCreditCode(apptest.System(), firmCode(t, srv, "qiye2"))
	if err != nil {
		t.Fatal(err)
	}
	profile := fmt.Sprintf("%s/enterprises/%d", srv.URL, firm.ID)
	action := profile + "/liaison"
	liu := accountID(t, srv, "liaison")

	sup := policyLogin(t, srv, "supervisor", demoPassword(t, "supervisor"))
	card := liaisonCardRE.FindString(get(t, sup, profile).body)
	for _, want := range []string{"亲清特使：<strong>刘洋</strong>", `<form method="post" action="/enterprises/` + fmt.Sprint(firm.ID) + `/liaison"`,
		fmt.Sprintf(`<option value="%d" selected>刘洋（liaison）</option>`, liu), `<option value="0">（取消指派）</option>`} {
		if !strings.Contains(card, want) {
			t.Errorf("the supervisor's card lacks %q:\n%s", want, card)
		}
	}

	// Remove, then assign again.
	if p := postForm(t, sup, action, url.Values{"account_id": {"0"}}, srv.URL); p.status != http.StatusSeeOther || p.location != fmt.Sprintf("/enterprises/%d#liaison", firm.ID) {
		t.Fatalf("remove: %d → %q\n%s", p.status, p.location, p.body)
	}
	after := get(t, sup, profile).body
	card = liaisonCardRE.FindString(after)
	if !strings.Contains(card, "尚未指派亲清特使") || strings.Contains(card, "<strong>刘洋</strong>") || !strings.Contains(after, "已取消该企业的亲清特使") {
		t.Errorf("after removing:\n%s", card)
	}
	if _, ok, _ := srv.Main.Enterprise.Liaison(apptest.System(), firm.ID); ok {
		t.Error("the pairing survived its removal")
	}
	// A reviewer's account is refused, with the reason.
	if p := postForm(t, sup, action, url.Values{"account_id": {fmt.Sprint(accountID(t, srv, "reviewer"))}}, srv.URL); p.status != http.StatusSeeOther {
		t.Fatalf("assign a reviewer: %d", p.status)
	}
	if body := get(t, sup, profile).body; !strings.Contains(body, "只能指派亲清特使角色的账户") || !strings.Contains(liaisonCardRE.FindString(body), "尚未指派亲清特使") {
		t.Error("assigning a reviewer was not refused with its reason")
	}
	if p := postForm(t, sup, action, url.Values{"account_id": {fmt.Sprint(liu)}}, srv.URL); p.status != http.StatusSeeOther {
		t.Fatalf("assign: %d", p.status)
	}
	if body := get(t, sup, profile).body; !strings.Contains(body, "已指派亲清特使：刘洋") || !strings.Contains(liaisonCardRE.FindString(body), "亲清特使：<strong>刘洋</strong>") {
		t.Error("the officer is not shown after assigning")
	}

	// The officer and the firm see who serves it, without the form.
	for _, user := range []string{"liaison", "qiye2", "clerk"} {
		c := policyLogin(t, srv, user, demoPassword(t, user))
		card := liaisonCardRE.FindString(get(t, c, profile).body)
		if !strings.Contains(card, "亲清特使：<strong>刘洋</strong>") || strings.Contains(card, "<form") {
			t.Errorf("%s's card:\n%s", user, card)
		}
		if p := postForm(t, c, action, url.Values{"account_id": {"0"}}, srv.URL); p.status != http.StatusForbidden {
			t.Errorf("%s removes the officer: %d", user, p.status)
		}
	}
	if p := postForm(t, sup, action, url.Values{"account_id": {"0"}}, "https://evil.example"); p.status != http.StatusForbidden {
		t.Errorf("a cross-site post: %d", p.status)
	}
	if o, ok, _ := srv.Main.Enterprise.Liaison(apptest.System(), firm.ID); !ok || o.AccountID != liu {
		t.Errorf("refused posts changed the pairing: %+v %v", o, ok)
	}
}
