package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/qinqing/qinqing/internal/app/apptest"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
)

// policyKuaiShen is the test policy on the fast track: the same conditions
// as policyWenGang, an 80,000-yuan reward, the licence from the registry
// and only an optional note from the applicant.
var policyKuaiShen = strings.NewReplacer(
	"bb-test-wg-2026", "bb-test-ks-2026",
	"北碚区中小微企业稳岗补贴（测试）", "北碚区中小微企业快享奖励（测试）",
	`"mode": "apply"`, `"mode": "fast"`,
	`"amount_yuan": 50000`, `"amount_yuan": 80000`,
	`"benefit_yuan": 50000`, `"benefit_yuan": 80000`,
	`{"name": "稳岗补贴申请表", "required": true, "source": "applicant"}`, `{"name": "情况说明", "required": false, "source": "applicant"}`,
).Replace(policyWenGang)

// matchCard is one policy's card on 为我匹配.
func matchCard(body string, id int64) string {
	return regexp.MustCompile(`(?s)<li class="card pv-match[^"]*" id="match-` + strconv.FormatInt(id, 10) + `">.*?</details>.*?</li>`).FindString(body)
}

// TestFastPolicyIsAppliedForInOneStep: 为我匹配 offers 一键申请 for an
// eligible 快申快享 policy only; its page is a confirmation of what the
// platform holds, the computed amount and the decision limit, with nothing
// to upload or type; a different amount is refused; the officer sees the
// application marked and approves it at the computed amount from the queue.
func TestFastPolicyIsAppliedForInOneStep(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, d db.Dialect) {
		w := newPolicyWorld(t, d)
		fastID := w.publish(t, policyKuaiShen)
		firm := w.login(t, "firma")

		matches := get(t, firm, w.url("/my/policies"))
		if matches.status != 200 {
			t.Fatalf("为我匹配: %d\n%s", matches.status, matches.body)
		}
		eligible := regexp.MustCompile(`(?s)<ol class="pv-matches" id="eligible">.*?</ol>`).FindString(matches.body)
		fastCard, applyCard := matchCard(eligible, fastID), matchCard(eligible, w.policyID)
		if !strings.Contains(fastCard, "一键申请") || !strings.Contains(fastCard, `href="/policies/`+strconv.FormatInt(fastID, 10)+`/apply"`) {
			t.Errorf("the eligible fast policy offers no 一键申请:\n%s", fastCard)
		}
		if applyCard == "" || strings.Contains(applyCard, "一键申请") || !strings.Contains(applyCard, "立即申请") {
			t.Errorf("the apply-mode policy's card:\n%s", applyCard)
		}
		if big := get(t, w.login(t, "firmb"), w.url("/my/policies")); strings.Contains(big.body, "一键申请") {
			t.Error("a firm that is not eligible is offered 一键申请")
		}

		confirm := get(t, firm, w.url("/policies/%d/apply", fastID))
		if confirm.status != 200 {
			t.Fatalf("the confirmation page: %d\n%s", confirm.status, confirm.body)
		}
		for _, want := range []string{"确认并申请", `<span id="entitled">80,000</span>`, `<strong id="fast-limit">3 个工作日内办结`,
			"重庆北碚嘉陵精密机械有限公司", caseCreditCode(21), "刘红", "营业执照", "平台已有，无需提交", "情况说明"} {
			if !strings.Contains(confirm.body, want) {
				t.Errorf("the confirmation lacks %q", want)
			}
		}
		for _, absent := range []string{`type="file"`, `name="requested_yuan"`, `name="form.`, "multipart/form-data"} {
			if strings.Contains(confirm.body, absent) {
				t.Errorf("the confirmation asks for something: it has %q", absent)
			}
		}
		if p := get(t, firm, w.url("/policies/%d/apply", w.policyID)); !strings.Contains(p.body, `name="file.0"`) || strings.Contains(p.body, "确认并申请") {
			t.Error("the apply-mode policy lost its form")
		}

		form := url.Values{"period": {"once"}}
		tampered := url.Values{"period": {"once"}, "requested_yuan": {"60000"}}
		if p := policyPost(t, firm, w, "/policies/"+strconv.FormatInt(fastID, 10)+"/apply", tampered); p.status != http.StatusUnprocessableEntity ||
			!strings.Contains(p.body, "快申快享按政策核定金额兑现，无需填写申请金额") || !strings.Contains(p.body, "确认并申请") {
			t.Errorf("a different amount: %d\n%s", p.status, p.body)
		}
		p := policyPost(t, firm, w, "/policies/"+strconv.FormatInt(fastID, 10)+"/apply", form)
		m := policyAppIDRE.FindStringSubmatch(p.location)
		if p.status != http.StatusSeeOther || m == nil {
			t.Fatalf("confirm and apply: %d %q\n%s", p.status, p.location, p.body)
		}
		fastApp, _ := strconv.ParseInt(m[1], 10, 64)
		if a, err := w.srv.Main.Policy.GetApplication(apptest.System(), fastApp); err != nil ||
			a.RequestedFen != 80_000*100 || a.TimeLimitDays != 3 {
			t.Errorf("the application: requested %d fen, limit %d, %v", a.RequestedFen, a.TimeLimitDays, err)
		}
		if page := follow(t, firm, w.srv.URL, p.location); !strings.Contains(page.body, "3 个工作日内") || !strings.Contains(page.body, `id="app-fast"`) {
			t.Errorf("the applicant is not told the fast limit:\n%s", page.body)
		}
		// An apply-mode application beside it in the queue.
		applied := casePostMultipart(t, firm, w.srv.URL, "/policies/"+strconv.FormatInt(w.policyID, 10)+"/apply", url.Values{"period": {"once"}},
			map[string]caseUpload{"file.0": casePDF("稳岗补贴申请表.pdf")})
		am := policyAppIDRE.FindStringSubmatch(applied.location)
		if am == nil {
			t.Fatalf("the apply-mode application: %d\n%s", applied.status, applied.body)
		}

		reader := get(t, w.login(t, "jianguan"), w.url("/admin/policy-applications"))
		if reader.status != 200 || !strings.Contains(reader.body, `id="fast-`+m[1]+`"`) || strings.Contains(reader.body, "quick-approve-") {
			t.Errorf("a supervisor's queue: %d, marked %v, offers approval %v", reader.status, strings.Contains(reader.body, `id="fast-`+m[1]+`"`),
				strings.Contains(reader.body, "quick-approve-"))
		}
		officer := w.login(t, "zhengce1")
		queue := get(t, officer, w.url("/admin/policy-applications"))
		if !strings.Contains(queue.body, `id="fast-`+m[1]+`"`) || !strings.Contains(queue.body, `id="quick-approve-`+m[1]+`"`) || !strings.Contains(queue.body, "按核定金额批准（80,000 元）") {
			t.Errorf("the queue does not mark the fast application or offer its approval:\n%s", queue.body)
		}
		if strings.Contains(queue.body, `id="fast-`+am[1]+`"`) || strings.Contains(queue.body, `id="quick-approve-`+am[1]+`"`) {
			t.Error("the apply-mode application is marked 快申快享")
		}
		row := regexp.MustCompile(`(?s)<form method="post" action="/policy-applications/` + m[1] + `/actions".*?</form>`).FindString(queue.body)
		approve := url.Values{"action": {"approve"}, "rev": {policyRev(t, row, "approve")}, "computed": {"yes"}, "back": {"queue"}}
		if p := policyPost(t, officer, w, "/policy-applications/"+m[1]+"/actions", approve); p.status != http.StatusSeeOther || p.location != "/admin/policy-applications" {
			t.Fatalf("one-click approval: %d %q\n%s", p.status, p.location, p.body)
		}
		if page := get(t, officer, w.srv.URL+"/policy-applications/"+m[1]); !strings.Contains(page.body, `<dd id="app-approved">80,000 元</dd>`) {
			t.Errorf("not approved at the computed amount:\n%s", page.body)
		}
	})
}
