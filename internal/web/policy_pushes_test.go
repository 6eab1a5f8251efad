package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/qinqing/qinqing/internal/app/apptest"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/policy"
	"github.com/qinqing/qinqing/internal/seed"
)

var pushTableRE = regexp.MustCompile(`(?s)<table class="list" id="policy-pushes">.*?</table>`)

// demoPassword is the demo account's password.
func demoPassword(t *testing.T, username string) string {
	t.Helper()
	for _, a := range seed.DemoAccounts() {
		if a.Username == username {
			return a.Password
		}
	}
	t.Fatalf("no demo account %s", username)
	return ""
}

// TestLiaisonSeesWhichFirmsWereToldOfAPublishedPolicy publishes a policy
// on the demo platform and follows it as the demo liaison officer: every
// firm told of it is listed with its street, the policy and why, the
// filters by policy and by street narrow the list, and enterprise users
// are kept out.
func TestLiaisonSeesWhichFirmsWereToldOfAPublishedPolicy(t *testing.T) {
	srv := demoServer(t)
	liaison := policyLogin(t, srv, "liaison", demoPassword(t, "liaison"))
	if p := get(t, liaison, srv.URL+"/policy-pushes"); p.status != 200 || !strings.Contains(p.body, "暂无符合筛选条件的推送") {
		t.Fatalf("before any policy: %d\n%s", p.status, p.body)
	}

	w := policyWorld{srv: srv}
	pid := w.publish(t, policyWenGang)
	all, err := srv.Main.Policy.ListPushes(apptest.System(), policy.PushFilter{PolicyID: pid, Limit: 1000})
	if err != nil || len(all) == 0 {
		t.Fatalf("publishing told no firm: %v", err)
	}
	// The officer follows the firms it serves (seed.DemoLiaisonStreets and
	// the demo accounts' firms), not all of them.
	pushes, err := srv.Main.Policy.ListPushes(demoLiaison(t, srv), policy.PushFilter{PolicyID: pid, Limit: 1000})
	if err != nil || len(pushes) == 0 || len(pushes) >= len(all) {
		t.Fatalf("the officer sees %d of %d pushes (%v)", len(pushes), len(all), err)
	}
	zhilian, err := srv.Main.Enterprise.GetByCreditCode(apptest.System(), firmCode(t, srv, "qiye2"))
	if err != nil {
		t.Fatal(err)
	}
	// The firms told, by street, as the registry has them.
	inTiansheng := 0
	var elsewhere int64
	for _, x := range pushes {
		e, err := srv.Main.Enterprise.Get(apptest.System(), x.EnterpriseID)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(e.RegionCode, "500109001") {
			inTiansheng++
		} else if elsewhere == 0 {
			elsewhere = e.ID
		}
	}
	if elsewhere == 0 || inTiansheng == 0 {
		t.Fatalf("the demo's eligible firms are not spread over streets (%d in 天生街道)", inTiansheng)
	}

	home := get(t, liaison, srv.URL+"/")
	if !strings.Contains(navRE.FindString(home.body), `href="/policy-pushes"`) {
		t.Error("the liaison officer's navigation lacks 政策推送")
	}
	list := get(t, liaison, srv.URL+"/policy-pushes")
	if list.status != 200 {
		t.Fatalf("/policy-pushes: %d\n%s", list.status, list.body)
	}
	newest := pushes[0]
	table := pushTableRE.FindString(list.body)
	for _, want := range []string{
		fmt.Sprintf(`<a href="/enterprises/%d">%s</a>`, newest.EnterpriseID, newest.EnterpriseName),
		fmt.Sprintf(`<a href="/policies/%d">北碚区中小微企业稳岗补贴（测试）</a>`, pid),
		"政策发布时符合", "重庆市北碚区",
	} {
		if !strings.Contains(table, want) {
			t.Errorf("the list lacks %q", want)
		}
	}
	if !strings.Contains(list.body, fmt.Sprintf("共 %d 条推送", len(pushes))) || !strings.Contains(list.body, "仅显示您联系服务的企业") {
		t.Errorf("the count is not %d of the firms served", len(pushes))
	}
	if strings.Contains(list.body, "申请/拨付") {
		t.Error("a liaison officer, who may not read applications, is shown their progress")
	}
	// Paging: 30 a page, the last page holds the rest.
	pages := (len(pushes) + 29) / 30
	if n := strings.Count(table, "<tr class="); n != min(len(pushes), 30) {
		t.Errorf("the first page lists %d pushes", n)
	}
	last := get(t, liaison, fmt.Sprintf("%s/policy-pushes?page=%d", srv.URL, pages))
	lastTable := pushTableRE.FindString(last.body)
	if n := strings.Count(lastTable, "<tr class="); n != len(pushes)-30*(pages-1) {
		t.Errorf("the last page lists %d pushes, want %d", n, len(pushes)-30*(pages-1))
	}
	if pages > 1 && (!strings.Contains(last.body, `rel="prev"`) || strings.Contains(last.body, `rel="next"`)) {
		t.Error("the last page does not link back only")
	}

	for q, want := range map[string]string{
		"region=500109001": fmt.Sprintf("共 %d 条推送", inTiansheng),
		fmt.Sprintf("region=500109001&enterprise=%d", zhilian.ID): fmt.Sprintf(`<a href="/enterprises/%d">重庆缙云智联科技有限公司</a>`, zhilian.ID),
		fmt.Sprintf("region=500109001&enterprise=%d", elsewhere):  "暂无符合筛选条件的推送",
		"region=500112":                          "暂无符合筛选条件的推送", // 渝北区: no firm told there
		fmt.Sprintf("policy=%d", pid):            fmt.Sprintf("共 %d 条推送", len(pushes)),
		fmt.Sprintf("policy=%d", pid+1000):       "暂无符合筛选条件的推送",
		"policy=abc":                             "已忽略无法识别的筛选条件",
		fmt.Sprintf("enterprise=%d", zhilian.ID): "政策推送 · 重庆缙云智联科技有限公司",
	} {
		if p := get(t, liaison, srv.URL+"/policy-pushes?"+q); p.status != 200 || !strings.Contains(p.body, want) {
			t.Errorf("/policy-pushes?%s: %d, lacks %q", q, p.status, want)
		}
	}

	firm := policyLogin(t, srv, "qiye2", demoPassword(t, "qiye2"))
	if p := get(t, firm, srv.URL+"/policy-pushes"); p.status != http.StatusForbidden {
		t.Errorf("an enterprise user gets %d on the pushes page, want 403", p.status)
	}
	if p := get(t, srv.Browser(), srv.URL+"/policy-pushes"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/login") {
		t.Errorf("anonymous: %d → %q", p.status, p.location)
	}
}

// firmCode is the credit code of a demo enterprise user's firm.
func firmCode(t *testing.T, srv *apptest.Server, username string) string {
	t.Helper()
	for _, a := range seed.DemoAccounts() {
		if a.Username == username {
			return a.Enterprise
		}
	}
	t.Fatalf("no demo account %s", username)
	return ""
}

// TestPolicyOfficerSeesAFirmsMatchesAndItsProgress: on a firm's profile a
// policy officer sees the policies it qualifies for, explained, and the
// pushes list shows that the firm has applied.
func TestPolicyOfficerSeesAFirmsMatchesAndItsProgress(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, d db.Dialect) {
		w := newPolicyWorld(t, d)
		officer := w.login(t, "zhengce1")
		pid := fmt.Sprint(w.policyID)

		small := get(t, officer, w.url("/enterprises/%d", w.small))
		if small.status != 200 {
			t.Fatalf("profile: %d\n%s", small.status, small.body)
		}
		eligible := regexp.MustCompile(`(?s)<ol class="pv-matches" id="firm-eligible">.*?</ol>`).FindString(small.body)
		for _, want := range []string{"该企业可享政策", "符合条件（1）"} {
			if !strings.Contains(small.body, want) {
				t.Errorf("the profile lacks %q", want)
			}
		}
		for _, want := range []string{`id="match-` + pid + `"`, "pv-match-eligible", "从业人数", "50,000"} {
			if !strings.Contains(eligible, want) {
				t.Errorf("the firm's eligible policies lack %q:\n%s", want, eligible)
			}
		}
		if strings.Contains(eligible, "/apply") {
			t.Error("the officer is offered to apply on the firm's behalf")
		}
		large := get(t, officer, w.url("/enterprises/%d", w.large))
		if !strings.Contains(large.body, "符合条件（0）") || strings.Contains(large.body, `id="match-`+pid+`"`) {
			t.Error("a firm of 1,200 employees is shown the SME subsidy")
		}
		// The firm itself has 为我匹配 and the other staff no policy role.
		if p := get(t, w.login(t, "firma"), w.url("/enterprises/%d", w.small)); strings.Contains(p.body, "该企业可享政策") {
			t.Error("the firm's own profile repeats its matches")
		}

		firm := w.login(t, "firma")
		if p := casePostMultipart(t, firm, w.srv.URL, "/policies/"+pid+"/apply", url.Values{"period": {"once"}},
			map[string]caseUpload{"file.0": casePDF("申请表.pdf")}); p.status != http.StatusSeeOther {
			t.Fatalf("apply: %d\n%s", p.status, p.body)
		}
		list := get(t, officer, w.url("/policy-pushes?policy=%s", pid))
		table := pushTableRE.FindString(list.body)
		if list.status != 200 || !strings.Contains(table, "重庆北碚嘉陵精密机械有限公司") || !strings.Contains(table, "已申请：审核中") {
			t.Errorf("the officer's pushes list does not show the application: %d\n%s", list.status, table)
		}
		if strings.Contains(table, "重庆北碚缙云重工有限公司") {
			t.Error("a firm that does not qualify was told")
		}
		if p := get(t, w.login(t, "jianguan"), w.url("/policy-pushes")); p.status != 200 || !strings.Contains(p.body, "申请/拨付") ||
			strings.Contains(p.body, "仅显示您联系服务的企业") {
			t.Errorf("the supervisor's pushes list: %d", p.status)
		}
	})
}
