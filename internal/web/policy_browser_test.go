package web_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/qinqing/qinqing/internal/app/apptest"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
)

// TestPolicyJourneyInTheBrowser is 政策兑现 end to end in Chromium: an
// enterprise opens 为我匹配, sees the subsidy it qualifies for with every
// condition explained, applies with the one material the platform does not
// hold; the policy officer approves it from the review queue and puts it
// into 公示; the window ends (the service's time-driven work run as of a
// day after it, as the background worker would); the officer records the
// payment; and the enterprise sees its application paid.
func TestPolicyJourneyInTheBrowser(t *testing.T) {
	dbtest.EachDialect(t, testPolicyJourneyInTheBrowser)
}

func testPolicyJourneyInTheBrowser(t *testing.T, d db.Dialect) {
	ctx := apptest.Chrome(t)
	w := newPolicyWorld(t, d)
	pid := strconv.FormatInt(w.policyID, 10)
	j := &journey{t: t, ctx: ctx, base: w.srv.URL, shot: "policy-failed"}
	do, text, login, logout := j.do, j.text, j.login, j.logout

	// The enterprise sees the match and why.
	login("firma", policyEntPW)
	do("open 为我匹配",
		chromedp.Click(chromedp.CSS(`nav.site-nav a[href="/my/policies"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#eligible #match-`+pid)))
	match := text(`#eligible #match-` + pid)
	for _, want := range []string{"北碚区中小微企业稳岗补贴（测试）", "符合", "从业人数", "80", "50,000"} {
		if !strings.Contains(match, want) {
			t.Errorf("the match does not show %q:\n%s", want, match)
		}
	}
	if n := strings.Count(text(`#match-`+pid+` .pv-checks`), "✓"); n != 3 {
		t.Errorf("%d conditions explained as satisfied, want all 3", n)
	}
	apptest.Screenshot(t, ctx, "policy-matches")

	// It applies: the form is filled from the registry, only the
	// application form is uploaded.
	dir := t.TempDir()
	file := filepath.Join(dir, "稳岗补贴申请表.pdf")
	if err := os.WriteFile(file, casePDF("稳岗补贴申请表.pdf").data, 0o600); err != nil {
		t.Fatal(err)
	}
	do("apply",
		chromedp.Click(chromedp.CSS(`#match-`+pid+` a[href="/policies/`+pid+`/apply"]`)),
		chromedp.WaitVisible(chromedp.CSS("#submit-application")))
	if name := text("#pf-name"); !strings.Contains(name, "重庆北碚嘉陵精密机械有限公司") {
		t.Errorf("the form is not prefilled: %q", name)
	}
	do("upload and submit",
		chromedp.SetUploadFiles(chromedp.CSS(`input[name="file.0"]`), []string{file}),
		chromedp.Click(chromedp.CSS("#submit-application")),
		chromedp.WaitVisible(chromedp.CSS("#app-no")))
	no := text("#app-no")
	if st := text("#app-state"); !strings.Contains(st, "审核中") {
		t.Errorf("a new application is %q", st)
	}
	apptest.Screenshot(t, ctx, "policy-applied")
	logout()

	// The officer approves it from the queue and starts the 公示. On the
	// way, the editor's live panel counts the one firm the rule reaches, and
	// changing a condition's attribute brings that attribute's operators and
	// values without reloading the page.
	login("zhengce1", policyStaffPW)
	do("open the editor",
		chromedp.Navigate(w.srv.URL+"/admin/policies/"+pid+"/edit"),
		chromedp.WaitVisible(chromedp.CSS("#sim-eligible")))
	if n := text("#sim-eligible"); n != "1" {
		t.Errorf("the live panel counts %s eligible firms, want 1", n)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
		const s = document.querySelector('select[name="cond[2].attr"]');
		s.value = 'size'; s.dispatchEvent(new Event('change', {bubbles: true})); return true; })()`)); err != nil {
		t.Fatal(err)
	}
	do("the row follows the new attribute",
		chromedp.WaitReady(chromedp.CSS(`select[name="cond[2].v"] option[value="micro"]`)),
		chromedp.WaitReady(chromedp.CSS(`select[name="cond[2].op"] option[value="prefix"]`)))
	if ops := text(`select[name="cond[2].op"]`); strings.Contains(ops, "不超过") {
		t.Errorf("a size class is offered “at most”: %q", ops)
	}
	apptest.Screenshot(t, ctx, "policy-editor")
	do("approve",
		chromedp.Click(chromedp.CSS(`nav.site-nav a[href="/admin/policy-applications"]`)),
		chromedp.WaitVisible(chromedp.CSS("#review-queue")),
		chromedp.Click(chromedp.CSS(`#review-queue a`)),
		chromedp.WaitVisible(chromedp.CSS("#act-approve")))
	if got := text("#app-no"); got != no {
		t.Fatalf("the queue opened %s, want %s", got, no)
	}
	do("approve the amount the policy gives",
		chromedp.SendKeys(chromedp.CSS("#f-opinion"), "材料齐全，从业人数80人，符合条件"),
		chromedp.Click(chromedp.CSS("#approve")),
		chromedp.WaitNotPresent(chromedp.CSS("#act-approve")))
	if st := text("#app-state"); !strings.Contains(st, "已核准") {
		t.Errorf("after approval the application is %q", st)
	}
	do("start the 公示",
		chromedp.Navigate(w.srv.URL+"/admin/policy-publicity"),
		chromedp.Click(chromedp.CSS("#publicity-go")),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	apptest.Screenshot(t, ctx, "policy-publicity")

	// The window ends.
	if rep := w.tick(t, 30); rep.PublicityClosed != 1 || rep.Payable != 1 {
		t.Fatalf("closing the 公示: %+v", rep)
	}

	// The officer records the payment.
	do("record the payment",
		chromedp.Navigate(w.srv.URL+"/admin/policy-publicity"),
		chromedp.Click(chromedp.CSS(`#payable a`)),
		chromedp.WaitVisible(chromedp.CSS("#act-pay")),
		chromedp.SendKeys(chromedp.CSS("#f-reference"), "BB-GK-2026-000731"),
		chromedp.Click(chromedp.CSS("#pay")),
		chromedp.WaitVisible(chromedp.CSS("#app-paid")))
	apptest.Screenshot(t, ctx, "policy-paid-officer")
	logout()

	// The enterprise sees it paid.
	login("firma", policyEntPW)
	do("my applications",
		chromedp.Click(chromedp.CSS(`nav.site-nav a[href="/my/policy-applications"]`)),
		chromedp.WaitVisible(chromedp.CSS("#my-applications")))
	row := text("#my-applications tbody tr")
	for _, want := range []string{no, "已拨付", "50,000"} {
		if !strings.Contains(row, want) {
			t.Errorf("the enterprise's list shows %q, without %q", row, want)
		}
	}
	apptest.Screenshot(t, ctx, "policy-paid-enterprise")

	// The enterprise's pages fit a phone.
	do("phone width", chromedp.EmulateViewport(375, 740, chromedp.EmulateScale(2)))
	for _, path := range []string{"/policies", "/my/policies", "/policies/" + pid, "/my/policy-applications", "/policies/calculator"} {
		do("open "+path, chromedp.Navigate(w.srv.URL+path), chromedp.WaitVisible(chromedp.CSS("main")))
		width, err := chromedp.Run(ctx, chromedp.Evaluate[int]("document.documentElement.scrollWidth"))
		if err != nil {
			t.Fatal(err)
		}
		if width > 375 {
			t.Errorf("%s is %d px wide on a 375 px screen", path, width)
		}
		apptest.Screenshot(t, ctx, "policy-phone"+strings.ReplaceAll(path, "/", "_"))
	}
}
