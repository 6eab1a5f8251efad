package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/qinqing/qinqing/internal/app/apptest"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/policy"
	"github.com/qinqing/qinqing/internal/web"
)

var (
	policyAppIDRE = regexp.MustCompile(`^/policy-applications/(\d+)$`)
	policyRevRE   = regexp.MustCompile(`name="action" value="(\w+)"><input type="hidden" name="rev" value="(\d+)"`)
)

// policyRev reads the revision the page's form for action carries.
func policyRev(t *testing.T, body, action string) string {
	t.Helper()
	for _, m := range policyRevRE.FindAllStringSubmatch(body, -1) {
		if m[1] == action {
			return m[2]
		}
	}
	t.Fatalf("the page offers no %s form", action)
	return ""
}

// TestPolicySupermarketForThePublic browses the shelves, a policy's page
// and the calculator without signing in.
func TestPolicySupermarketForThePublic(t *testing.T) {
	w := newPolicyWorld(t, db.SQLite)
	c := w.srv.Browser()
	home := get(t, c, w.url("/policies"))
	if home.status != 200 {
		t.Fatalf("/policies: %d\n%s", home.status, home.body)
	}
	for _, want := range []string{"北碚区中小微企业稳岗补贴（测试）", "稳岗就业", "税费减免", "创业扶持", "政策计算器", `<span class="pv-count">1</span>`} {
		if !strings.Contains(home.body, want) {
			t.Errorf("the supermarket lacks %q", want)
		}
	}
	for q, want := range map[string]bool{"shelf=employment": true, "shelf=tax": false, "q=稳岗": true, "q=出口": false, "q=wengang": true, "q=wg": true, "level=district&mode=apply": true, "mode=no_apply": false} {
		p := get(t, c, w.srv.URL+"/policies?"+q)
		if got := strings.Contains(p.body, "北碚区中小微企业稳岗补贴（测试）"); p.status != 200 || got != want {
			t.Errorf("/policies?%s: %d, lists the policy %v, want %v", q, p.status, got, want)
		}
	}
	if p := get(t, c, w.url("/policies?shelf=nonsense")); p.status != 200 || !strings.Contains(p.body, "已忽略无法识别的筛选条件") {
		t.Errorf("an unknown shelf is not reported: %d", p.status)
	}

	show := get(t, c, w.url("/policies/%d", w.policyID))
	if show.status != 200 {
		t.Fatalf("policy page: %d", show.status)
	}
	for _, want := range []string{"北碚人社发〔2026〕9号", "重庆市北碚区人力资源和社会保障局", "惠及对象", "北碚区中小微企业", "兑现时限", "10 个工作日",
		"受理地址", "咨询电话", "周敏 023-68862211", "50,000 元", "稳岗补贴申请表", "平台已有，无需提交", "从业人数 不超过 300 人",
		"同时满足以下全部条件", "登录后申请"} {
		if !strings.Contains(show.body, want) {
			t.Errorf("the policy page lacks %q", want)
		}
	}
	// A draft is not public.
	in, _ := policy.ParseInput([]byte(strings.Replace(policyWenGang, "bb-test-wg-2026", "bb-test-draft-2026", 1)))
	draft, err := w.srv.Main.Policy.Create(apptest.System(), in)
	if err != nil {
		t.Fatal(err)
	}
	if p := get(t, c, w.url("/policies/%d", draft.ID)); p.status != 404 {
		t.Errorf("an anonymous visitor sees a draft: %d", p.status)
	}
	if p := get(t, c, w.url("/policies/%d/apply", w.policyID)); p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/login") {
		t.Errorf("anonymous apply: %d %s", p.status, p.location)
	}
}

// TestPolicyCalculatorAsksOneQuestionAtATime answers the calculator as a
// small Beibei firm would: each page asks one question the rules need, a
// wrong answer is asked again with what was typed, back goes back, and
// the end lists the policy as eligible with its explanation.
func TestPolicyCalculatorAsksOneQuestionAtATime(t *testing.T) {
	w := newPolicyWorld(t, db.SQLite)
	c := w.srv.Browser()
	answers := map[string]string{"region_code": "500109001", "employees": "80", "dishonest": "false"}
	path := "/policies/calculator"
	var asked []string
	for step := 0; step < 10; step++ {
		p := get(t, c, w.srv.URL+path)
		if p.status != 200 {
			t.Fatalf("step %d: %d\n%s", step, p.status, p.body)
		}
		if strings.Contains(p.body, `id="calc-done"`) {
			if !strings.Contains(p.body, `id="match-`+strconv.FormatInt(w.policyID, 10)+`"`) || !strings.Contains(p.body, "pv-match-eligible") {
				t.Errorf("the end does not list the policy as eligible:\n%s", p.body)
			}
			if !strings.Contains(p.body, `<strong id="calc-eligible">1</strong>`) {
				t.Error("the running count does not show one eligible policy")
			}
			break
		}
		form := web.FormOf(p.body)
		var attr string
		for k := range form {
			if strings.HasPrefix(k, "a.") && !strings.Contains(p.body, `type="hidden" name="`+k+`"`) {
				attr = strings.TrimPrefix(k, "a.")
			}
		}
		if attr == "" {
			t.Fatalf("step %d asks nothing:\n%s", step, p.body)
		}
		asked = append(asked, attr)
		if step == 0 {
			// A number that is not one comes back with the error and what was typed.
			bad := url.Values{}
			for k, vs := range form {
				bad[k] = vs
			}
			if attr == "employees" {
				bad.Set("a.employees", "八十")
				if p := get(t, c, w.srv.URL+"/policies/calculator?"+bad.Encode()); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `value="八十"`) {
					t.Errorf("a bad answer: %d", p.status)
				}
			}
		}
		v, ok := answers[attr]
		if !ok {
			t.Fatalf("the calculator asks %s, which the only published rule does not read", attr)
		}
		form.Set("a."+attr, v)
		path = "/policies/calculator?" + form.Encode()
	}
	if len(asked) != 3 {
		t.Errorf("asked %v, want the three facts the rule reads, once each", asked)
	}
	// Back removes the last answer.
	p := get(t, c, w.srv.URL+path)
	back := regexp.MustCompile(`href="([^"]+)" id="calc-back"`).FindStringSubmatch(p.body)
	if back == nil {
		back = regexp.MustCompile(`<a class="link" href="(/policies/calculator[^"]*)">上一步</a>`).FindStringSubmatch(p.body)
	}
	if back == nil {
		t.Fatal("no way back from the results")
	}
	prev := get(t, c, w.srv.URL+strings.ReplaceAll(back[1], "&amp;", "&"))
	if prev.status != 200 || strings.Contains(prev.body, `id="calc-done"`) || !strings.Contains(prev.body, `id="calc-question"`) {
		t.Errorf("back did not return to the last question: %d", prev.status)
	}
}

// TestPolicyFulfilmentThroughTheForms is the whole of 政策兑现 over HTTP on
// both databases: the match with its explanation and a what-if, an
// application that first lacks its material (everything typed kept),
// another firm kept out, the officer's approval refused above the amount
// then given, 公示 with an objection form, the window ending, the payment
// recorded once, and the enterprise seeing it paid.
func TestPolicyFulfilmentThroughTheForms(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, d db.Dialect) {
		w := newPolicyWorld(t, d)
		firm := w.login(t, "firma")
		pid := strconv.FormatInt(w.policyID, 10)

		matches := get(t, firm, w.url("/my/policies"))
		if matches.status != 200 {
			t.Fatalf("为我匹配: %d\n%s", matches.status, matches.body)
		}
		eligible := regexp.MustCompile(`(?s)<ol class="pv-matches" id="eligible">.*?</ol>`).FindString(matches.body)
		for _, want := range []string{`id="match-` + pid + `"`, "✓", "从业人数", "80", "50,000", `href="/policies/` + pid + `/apply"`} {
			if !strings.Contains(eligible, want) {
				t.Errorf("the eligible list lacks %q:\n%s", want, eligible)
			}
		}
		whatif := get(t, firm, w.url("/my/policies?what=employees&value=500"))
		if !strings.Contains(whatif.body, `id="whatif-changes"`) || !strings.Contains(whatif.body, "北碚区中小微企业稳岗补贴（测试）") || !strings.Contains(whatif.body, "不符合") {
			t.Errorf("what-if with 500 employees does not show the policy lost")
		}
		if p := get(t, firm, w.url("/my/policies?what=employees&value=很多")); p.status != http.StatusUnprocessableEntity {
			t.Errorf("a what-if value that is no number: %d", p.status)
		}
		big := w.login(t, "firmb")
		if p := get(t, big, w.url("/my/policies")); strings.Contains(regexp.MustCompile(`(?s)id="eligible">.*?</ol>`).FindString(p.body), "稳岗补贴") {
			t.Error("a firm of 1200 employees is shown the subsidy as eligible")
		}

		form := get(t, firm, w.url("/policies/%d/apply", w.policyID))
		if form.status != 200 {
			t.Fatalf("apply form: %d\n%s", form.status, form.body)
		}
		for _, want := range []string{"重庆北碚嘉陵精密机械有限公司", caseCreditCode(21), "来自一企一档", "平台已有，无需提交", `name="file.0"`} {
			if !strings.Contains(form.body, want) {
				t.Errorf("the apply form lacks %q", want)
			}
		}
		if strings.Contains(form.body, `name="file.1"`) {
			t.Error("the form asks to upload the licence the platform holds")
		}
		fields := url.Values{"period": {"once"}, "form.contact_name": {"张会计"}, "form.contact_phone": {"023-68001234"}, "requested_yuan": {"50000"}}
		p := casePostMultipart(t, firm, w.srv.URL, "/policies/"+pid+"/apply", fields, nil)
		if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `value="张会计"`) || !strings.Contains(p.body, "稳岗补贴申请表") {
			t.Fatalf("an application without its material: %d\n%s", p.status, p.body)
		}
		if p := postForm(t, firm, w.url("/policies/%s/apply", pid), fields, "https://evil.example"); p.status != http.StatusForbidden {
			t.Errorf("a cross-site application: %d", p.status)
		}
		p = casePostMultipart(t, firm, w.srv.URL, "/policies/"+pid+"/apply", fields, map[string]caseUpload{"file.0": casePDF("稳岗补贴申请表.pdf")})
		m := policyAppIDRE.FindStringSubmatch(p.location)
		if p.status != http.StatusSeeOther || m == nil {
			t.Fatalf("apply: %d %q\n%s", p.status, p.location, p.body)
		}
		appPath := p.location
		app := get(t, firm, w.srv.URL+appPath)
		if !strings.Contains(app.body, "张会计") && !strings.Contains(app.body, `id="app-state"`) {
			t.Errorf("the application page: %d", app.status)
		}
		if p := get(t, big, w.srv.URL+appPath); p.status != http.StatusForbidden {
			t.Errorf("another enterprise opened the application: %d", p.status)
		}
		if p := get(t, big, w.srv.URL+appPath+"/files/0"); p.status != http.StatusForbidden {
			t.Errorf("another enterprise downloaded the material: %d", p.status)
		}
		if p := get(t, w.srv.Browser(), w.srv.URL+appPath); p.status != http.StatusSeeOther {
			t.Errorf("an anonymous visitor: %d", p.status)
		}

		officer := w.login(t, "zhengce1")
		queue := get(t, officer, w.url("/admin/policy-applications"))
		if !strings.Contains(queue.body, "重庆北碚嘉陵精密机械有限公司") || !strings.Contains(queue.body, "case-dl-green") {
			t.Errorf("the queue lacks the application with its deadline colour:\n%s", queue.body)
		}
		page := get(t, officer, w.srv.URL+appPath)
		if p := get(t, officer, w.srv.URL+appPath+"/files/0"); p.status != 200 || !strings.HasPrefix(p.body, "%PDF") {
			t.Errorf("the officer cannot open the material: %d", p.status)
		}
		rev := policyRev(t, page.body, "approve")
		p = policyPost(t, officer, w, appPath+"/actions", url.Values{"action": {"approve"}, "rev": {rev}, "amount_yuan": {"60000"}, "opinion": {"材料齐全"}})
		if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "核准金额不能超过") || !strings.Contains(p.body, `value="60000"`) {
			t.Fatalf("approving more than the policy gives: %d\n%s", p.status, p.body)
		}
		p = policyPost(t, officer, w, appPath+"/actions", url.Values{"action": {"approve"}, "rev": {rev}, "amount_yuan": {"50000"}, "opinion": {"材料齐全，符合条件"}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("approve: %d\n%s", p.status, p.body)
		}
		// The same form again is stale.
		if p := policyPost(t, officer, w, appPath+"/actions", url.Values{"action": {"approve"}, "rev": {rev}, "amount_yuan": {"50000"}}); p.status == http.StatusSeeOther {
			t.Error("a stale approval went through")
		}

		admin := get(t, officer, w.url("/admin/policy-publicity"))
		choice := regexp.MustCompile(`name="application" value="(\d+:\d+)"`).FindStringSubmatch(admin.body)
		if choice == nil {
			t.Fatalf("the approved application is not offered for 公示:\n%s", admin.body)
		}
		if p := policyPost(t, officer, w, "/admin/policy-publicity", url.Values{"application": {choice[1]}, "days": {"5"}}); p.status != http.StatusSeeOther {
			t.Fatalf("start 公示: %d\n%s", p.status, p.body)
		}
		public := get(t, w.srv.Browser(), w.url("/policies/publicity"))
		if !strings.Contains(public.body, "重庆北碚嘉陵精密机械有限公司") || !strings.Contains(public.body, "50,000") || !strings.Contains(public.body, "公示中") {
			t.Errorf("the public 公示 page lacks the recipient")
		}
		batch := regexp.MustCompile(`action="/policies/publicity/(\d+)/objections"`).FindStringSubmatch(public.body)
		if batch == nil {
			t.Fatal("no objection form during 公示")
		}
		p = policyPost(t, w.srv.Browser(), w, "/policies/publicity/"+batch[1]+"/objections", url.Values{"application": {m[1]}, "name": {"赵某"}})
		if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `value="赵某"`) || !strings.Contains(p.body, "请写明异议理由") {
			t.Errorf("an objection without grounds: %d", p.status)
		}

		if rep := w.tick(t, 30); rep.PublicityClosed != 1 || rep.Payable != 1 {
			t.Fatalf("the 公示 window ended with %+v", rep)
		}
		page = get(t, officer, w.srv.URL+appPath)
		if !strings.Contains(page.body, `id="act-pay"`) {
			t.Fatalf("a payable application offers no payment form:\n%s", page.body)
		}
		p = policyPost(t, officer, w, appPath+"/payment", url.Values{"paid_on": {""}, "reference": {""}})
		if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "请填写拨付凭证号") {
			t.Errorf("a payment without its reference: %d", p.status)
		}
		if p := policyPost(t, officer, w, appPath+"/payment", url.Values{"reference": {"BB-GK-2026-000731"}}); p.status != http.StatusSeeOther {
			t.Fatalf("pay: %d\n%s", p.status, p.body)
		}
		if p := policyPost(t, officer, w, appPath+"/payment", url.Values{"reference": {"BB-GK-2026-000732"}}); p.status == http.StatusSeeOther {
			t.Error("a second payment was recorded")
		}
		mine := get(t, firm, w.url("/my/policy-applications"))
		if !strings.Contains(mine.body, "已拨付") || !strings.Contains(mine.body, "50,000") {
			t.Errorf("the enterprise does not see its application paid:\n%s", mine.body)
		}
		app = get(t, firm, w.srv.URL+appPath)
		if !strings.Contains(app.body, `id="app-paid"`) || !strings.Contains(app.body, "BB-GK-2026-000731") {
			t.Error("the application page does not show the payment")
		}
	})
}

// TestPolicySecondApprovalByAnotherOfficer approves an amount above the
// threshold: the first approver is refused the second approval, another
// officer gives it.
func TestPolicySecondApprovalByAnotherOfficer(t *testing.T) {
	w := newPolicyWorld(t, db.SQLite)
	def := strings.NewReplacer("bb-test-wg-2026", "bb-test-big-2026", `"amount_yuan": 50000`, `"amount_yuan": 200000`, `"benefit_yuan": 50000`, `"benefit_yuan": 200000`,
		"北碚区中小微企业稳岗补贴（测试）", "北碚区专精特新奖励（测试）").Replace(policyWenGang)
	id := w.publish(t, def)
	firm := w.login(t, "firma")
	p := casePostMultipart(t, firm, w.srv.URL, fmt.Sprintf("/policies/%d/apply", id), url.Values{"period": {"once"}}, map[string]caseUpload{"file.0": casePDF("申请表.pdf")})
	if p.status != http.StatusSeeOther {
		t.Fatalf("apply: %d\n%s", p.status, p.body)
	}
	appPath := p.location
	first := w.login(t, "zhengce1")
	page := get(t, first, w.srv.URL+appPath)
	p = policyPost(t, first, w, appPath+"/actions", url.Values{"action": {"approve"}, "rev": {policyRev(t, page.body, "approve")}, "amount_yuan": {"200000"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("first approval: %d\n%s", p.status, p.body)
	}
	page = get(t, first, w.srv.URL+appPath)
	if strings.Contains(page.body, `id="act-second_approve"`) {
		t.Error("the first approver is offered the second approval")
	}
	second := w.login(t, "zhengce2")
	page2 := get(t, second, w.srv.URL+appPath)
	rev := policyRev(t, page2.body, "second_approve")
	p = policyPost(t, first, w, appPath+"/actions", url.Values{"action": {"second_approve"}, "rev": {rev}})
	if p.status != http.StatusForbidden || !strings.Contains(p.body, "另一名政策专员") {
		t.Errorf("self second approval: %d\n%s", p.status, p.body)
	}
	if p := policyPost(t, second, w, appPath+"/actions", url.Values{"action": {"second_approve"}, "rev": {rev}, "opinion": {"复核无误"}}); p.status != http.StatusSeeOther {
		t.Fatalf("second approval: %d\n%s", p.status, p.body)
	}
	if page := get(t, firm, w.srv.URL+appPath); !strings.Contains(page.body, "已核准") && !strings.Contains(page.body, "approved") {
		t.Errorf("after the second approval the applicant sees: %s", regexp.MustCompile(`id="app-state">.*?</dd>`).FindString(page.body))
	}
}

// TestPolicyPaidWithoutApplying runs a 免申即享 policy through its pages:
// the officer lists the eligible firms for a year and confirms the list,
// the enterprise confirms its account (a wrong account name is refused
// with what was typed kept, the number never echoed), the officer records
// the payment, and the indicators count it as paid without application.
func TestPolicyPaidWithoutApplying(t *testing.T) {
	w := newPolicyWorld(t, db.SQLite)
	def := strings.NewReplacer("bb-test-wg-2026", "bb-test-mz-2026", `"mode": "apply"`, `"mode": "no_apply"`,
		`"amount_yuan": 50000, "period": "once"`, `"amount_yuan": 20000, "period": "year"`, `"benefit_yuan": 50000`, `"benefit_yuan": 20000`,
		"北碚区中小微企业稳岗补贴（测试）", "北碚区稳岗返还（免申即享，测试）").Replace(policyWenGang)
	id := w.publish(t, def)
	officer := w.login(t, "zhengce1")
	runs := get(t, officer, w.url("/admin/policy-runs"))
	if !strings.Contains(runs.body, "北碚区稳岗返还（免申即享，测试）") || !strings.Contains(runs.body, `id="period-`+strconv.FormatInt(id, 10)+`"`) {
		t.Fatalf("the runs page does not offer the policy:\n%s", runs.body)
	}
	if p := policyPost(t, officer, w, "/admin/policy-runs", url.Values{"policy": {strconv.FormatInt(id, 10)}, "period": {"2026年"}}); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `value="2026年"`) {
		t.Errorf("a malformed period: %d", p.status)
	}
	p := policyPost(t, officer, w, "/admin/policy-runs", url.Values{"policy": {strconv.FormatInt(id, 10)}, "period": {"2026"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("start run: %d\n%s", p.status, p.body)
	}
	runPath := p.location
	run := get(t, officer, w.srv.URL+runPath)
	if !strings.Contains(run.body, "重庆北碚嘉陵精密机械有限公司") || strings.Contains(run.body, "重庆北碚缙云重工有限公司") {
		t.Errorf("the list is not the one eligible firm:\n%s", run.body)
	}
	rev := regexp.MustCompile(`name="rev" value="(\d+)"><button class="button" id="run-confirm"`).FindStringSubmatch(run.body)
	if rev == nil {
		t.Fatal("no confirm button")
	}
	if p := policyPost(t, officer, w, runPath+"/confirm", url.Values{"rev": {rev[1]}}); p.status != http.StatusSeeOther {
		t.Fatalf("confirm: %d\n%s", p.status, p.body)
	}

	firm := w.login(t, "firma")
	payouts := get(t, firm, w.url("/my/policy-payouts"))
	item := regexp.MustCompile(`action="/my/policy-payouts/(\d+)"`).FindStringSubmatch(payouts.body)
	if item == nil || !strings.Contains(payouts.body, "20,000") {
		t.Fatalf("the enterprise is not asked for its account:\n%s", payouts.body)
	}
	p = policyPost(t, firm, w, "/my/policy-payouts/"+item[1], url.Values{"bank_name": {"重庆农村商业银行北碚支行"}, "account_name": {"别家公司"}, "account_no": {"6228480123456789012"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `value="重庆农村商业银行北碚支行"`) || strings.Contains(p.body, "6228480123456789012") {
		t.Errorf("a wrong account name: %d (bank kept, number not echoed?)", p.status)
	}
	big := w.login(t, "firmb")
	if p := policyPost(t, big, w, "/my/policy-payouts/"+item[1], url.Values{"bank_name": {"某银行"}, "account_name": {"重庆北碚缙云重工有限公司"}, "account_no": {"6228480123456789012"}}); p.status != http.StatusForbidden {
		t.Errorf("another firm confirmed the account: %d", p.status)
	}
	p = policyPost(t, firm, w, "/my/policy-payouts/"+item[1], url.Values{"bank_name": {"重庆农村商业银行北碚支行"}, "account_name": {"重庆北碚嘉陵精密机械有限公司"}, "account_no": {"6228480123456789012"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("confirm account: %d\n%s", p.status, p.body)
	}
	run = get(t, officer, w.srv.URL+runPath)
	if strings.Contains(run.body, "6228480123456789012") || !strings.Contains(run.body, "9012") {
		t.Error("the account number is not shown masked to the officer")
	}
	if p := policyPost(t, officer, w, runPath+"/pay", url.Values{"item": {item[1]}, "reference": {"BB-MZ-2026-0001"}}); p.status != http.StatusSeeOther {
		t.Fatalf("pay: %d\n%s", p.status, p.body)
	}
	if p := get(t, firm, w.url("/my/policy-payouts")); !strings.Contains(p.body, "BB-MZ-2026-0001") || !strings.Contains(p.body, "已拨付") {
		t.Error("the enterprise does not see the payment")
	}
	stats := get(t, officer, w.url("/stats/policy"))
	for _, want := range []string{"计算方法", "在架政策数", `id="ind-money_paid"`, "20,000", "policy-stats-data", "/static/policy_stats.js"} {
		if !strings.Contains(stats.body, want) {
			t.Errorf("the indicators page lacks %q", want)
		}
	}
	if p := get(t, firm, w.url("/stats/policy")); p.status != http.StatusForbidden {
		t.Errorf("an enterprise read the indicators: %d", p.status)
	}
}

// TestPolicySupplementRejectionAndObjection takes an application through
// the other paths of review: a supplement asked in one go and given with a
// new upload, a rejection refused without a reason (the opinion typed kept)
// and then made with one, the applicant's 异议, and the officer upholding
// it so the review starts again.
func TestPolicySupplementRejectionAndObjection(t *testing.T) {
	w := newPolicyWorld(t, db.SQLite)
	firm := w.login(t, "firma")
	p := casePostMultipart(t, firm, w.srv.URL, fmt.Sprintf("/policies/%d/apply", w.policyID), url.Values{"period": {"once"}}, map[string]caseUpload{"file.0": casePDF("申请表.pdf")})
	if p.status != http.StatusSeeOther {
		t.Fatalf("apply: %d\n%s", p.status, p.body)
	}
	appPath := p.location
	officer := w.login(t, "zhengce1")
	act := func(c *http.Client, action string, form url.Values) page {
		t.Helper()
		pg := get(t, c, w.srv.URL+appPath)
		form.Set("action", action)
		form.Set("rev", policyRev(t, pg.body, action))
		return policyPost(t, c, w, appPath+"/actions", form)
	}
	if p := act(officer, "request_supplement", url.Values{"missing": {""}}); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "一次性列出") {
		t.Errorf("a supplement request listing nothing: %d", p.status)
	}
	if p := act(officer, "request_supplement", url.Values{"missing": {"申请表缺少法定代表人签字\n请补充2025年12月社保缴费明细"}}); p.status != http.StatusSeeOther {
		t.Fatalf("request supplement: %d\n%s", p.status, p.body)
	}
	page := get(t, firm, w.srv.URL+appPath)
	for _, want := range []string{"申请表缺少法定代表人签字", "请补充2025年12月社保缴费明细", `id="act-supplement"`, "补正中，暂停计时"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the applicant's page lacks %q", want)
		}
	}
	fields := url.Values{"action": {"supplement"}, "rev": {policyRev(t, page.body, "supplement")}, "opinion": {"已补签字并附社保明细"}}
	if p := casePostMultipart(t, firm, w.srv.URL, appPath+"/actions", fields, map[string]caseUpload{"file.0": casePDF("申请表（签字）.pdf")}); p.status != http.StatusSeeOther {
		t.Fatalf("supplement: %d\n%s", p.status, p.body)
	}
	if p := act(officer, "reject", url.Values{"reason": {""}}); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "不予通过须说明理由") {
		t.Errorf("a rejection without a reason: %d", p.status)
	}
	if p := act(officer, "reject", url.Values{"reason": {"经核查，社保缴费人数为310人，超过300人"}}); p.status != http.StatusSeeOther {
		t.Fatalf("reject: %d\n%s", p.status, p.body)
	}
	page = get(t, firm, w.srv.URL+appPath)
	if !strings.Contains(page.body, "经核查，社保缴费人数为310人") || !strings.Contains(page.body, `id="act-object"`) {
		t.Fatalf("the rejected applicant sees no reason or no way to object:\n%s", page.body)
	}
	if p := act(firm, "object", url.Values{"reason": {"310人含12名劳务派遣人员，不属于本企业从业人员"}}); p.status != http.StatusSeeOther {
		t.Fatalf("object: %d\n%s", p.status, p.body)
	}
	if p := get(t, firm, w.srv.URL+appPath); strings.Contains(p.body, `id="act-object"`) {
		t.Error("the applicant may object twice")
	}
	queue := get(t, officer, w.url("/admin/policy-applications"))
	if !strings.Contains(queue.body, "异议处理中") {
		t.Error("the objection is not in the officer's queue")
	}
	if p := act(officer, "decide_objection", url.Values{"uphold": {"yes"}, "opinion": {"派遣人员不计入从业人数，异议成立，重新审核"}}); p.status != http.StatusSeeOther {
		t.Fatalf("decide objection: %d\n%s", p.status, p.body)
	}
	page = get(t, officer, w.srv.URL+appPath)
	if !strings.Contains(page.body, `id="act-approve"`) {
		t.Error("an upheld objection does not bring the application back to review")
	}
	steps := regexp.MustCompile(`(?s)id="app-steps">.*?</ol>`).FindString(page.body)
	for _, want := range []string{"一次性告知补正", "补正材料", "不予通过", "提出异议", "处理异议"} {
		if !strings.Contains(steps, want) {
			t.Errorf("the history lacks %q", want)
		}
	}
}
