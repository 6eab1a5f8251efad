package web_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
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
	})
}
