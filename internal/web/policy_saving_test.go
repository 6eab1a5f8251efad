package web_test

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/web"
)

// TestMatchesTotalATaxSavingApartFromMoneyReceived: 为我匹配 adds up the
// money the firm would receive and, apart from it and labelled as such,
// the tax it would save in its own return.
func TestMatchesTotalATaxSavingApartFromMoneyReceived(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, d db.Dialect) {
		w := newPolicyWorld(t, d)
		saving := w.publish(t, strings.NewReplacer("bb-test-wg-2026", "bb-test-jm-2026", "北碚区中小微企业稳岗补贴（测试）", "北碚区中小微企业税费减免（测试）",
			`"shelf": "employment"`, `"shelf": "tax"`, `"amount_yuan": 50000`, `"amount_yuan": 30000, "saving": true`,
			`"benefit_yuan": 50000`, `"benefit_yuan": 30000`).Replace(policyWenGang))
		page := get(t, w.login(t, "firma"), w.url("/my/policies"))
		if page.status != 200 {
			t.Fatalf("为我匹配: %d\n%s", page.status, page.body)
		}
		if m := regexp.MustCompile(`id="total-benefit">([^<]*)<`).FindStringSubmatch(page.body); m == nil || m[1] != "50,000" {
			t.Errorf("money to receive %v, want 50,000 (the subsidy alone)", m)
		}
		if m := regexp.MustCompile(`id="total-saving">([^<]*)<`).FindStringSubmatch(page.body); m == nil || m[1] != "30,000" {
			t.Errorf("estimated saving %v, want 30,000", m)
		}
		card := regexp.MustCompile(`(?s)id="match-` + strconv.FormatInt(saving, 10) + `".*?</li>`).FindString(page.body)
		if !strings.Contains(card, "预计减免") || strings.Contains(card, "预计可获") {
			t.Errorf("the saving's card does not call it a saving:\n%s", card)
		}

		// A new version saved through the editor stays a saving: the
		// checkbox carries it, and unticking it is what makes it money.
		officer := w.login(t, "zhengce1")
		path := "/admin/policies/" + strconv.FormatInt(saving, 10)
		edit := get(t, officer, w.url("%s/edit", path))
		if !regexp.MustCompile(`name="benefit.saving" checked`).MatchString(edit.body) {
			t.Fatalf("the editor does not show the benefit as a saving:\n%s", edit.body)
		}
		if p := policyPost(t, officer, w, path, web.FormOf(edit.body)); p.status != http.StatusSeeOther {
			t.Fatalf("save a new version: %d\n%s", p.status, p.body)
		}
		sys := identity.WithPrincipal(context.Background(), &identity.Principal{Username: "system", Role: identity.RoleSystem})
		pol, err := w.srv.Main.Policy.Get(sys, saving)
		if err != nil || !pol.HasDraft() {
			t.Fatalf("no new draft version: %+v %v", pol, err)
		}
		if v, err := w.srv.Main.Policy.Version(sys, saving, pol.Latest); err != nil || !v.Benefit.Saving {
			t.Errorf("the new draft version lost the saving: %+v %v", v.Benefit, err)
		}
	})
}
