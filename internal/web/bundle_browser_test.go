package web_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/qinqing/qinqing/internal/app/apptest"
	"github.com/qinqing/qinqing/internal/auth"
	"github.com/qinqing/qinqing/internal/casework"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/identity"
)

// TestStartingABusinessAsOneThingInTheBrowser is the government-service
// journey end to end in Chromium: an enterprise applies online for 开办企业一件事
// (a first attempt without the materials keeps everything it typed), the
// comprehensive window accepts it, each member department's reviewer
// approves its own sub-case from their work queue, the window mails the
// results out, and the enterprise rates the service.
func TestStartingABusinessAsOneThingInTheBrowser(t *testing.T) {
	ctx := apptest.Chrome(t)
	w := newCaseWorld(t, db.SQLite)
	m := w.srv.Main
	reviewers := map[string]string{"SCJGJ": "scjg", "SWJ": "shuiwu"}
	for dept, user := range map[string]string{"GAFJ": "gongan", "RSJ": "renshe", "GJJZX": "gongjijin", "ZWFWZX": "zhengwu"} {
		w.srv.Account(auth.NewAccount{Username: user, Role: identity.RoleReviewer, DepartmentCode: dept, Password: caseStaffPW})
		reviewers[dept] = user
	}
	j := &journey{t: t, ctx: ctx, base: w.srv.URL, shot: "bundle-failed"}
	do, text, login, logout := j.do, j.text, j.login, j.logout

	// The enterprise finds the bundle in the public guide and applies.
	login("firma", caseEntPW)
	do("open the bundle's guide",
		chromedp.Navigate(w.srv.URL+"/bundles/YJS-QYKB"),
		chromedp.Click(chromedp.CSS(`a.button[href="/apply/bundle/YJS-QYKB"]`)),
		chromedp.WaitVisible(chromedp.CSS("#submit-application")))
	members := text(".case-members")
	for _, want := range []string{"有限责任公司设立登记", "公章刻制备案", "企业银行开户预约"} {
		if !strings.Contains(members, want) {
			t.Errorf("the form does not list %s among the members:\n%s", want, members)
		}
	}
	// A first attempt without the materials: every choice made is kept.
	do("choose mail delivery and submit without materials",
		chromedp.SetValue(chromedp.CSS(`select[name="form.delivery"]`), "免费邮寄"),
		chromedp.Click(chromedp.CSS("#submit-application")),
		chromedp.WaitVisible(chromedp.CSS("#form-errors")))
	apptest.Screenshot(t, ctx, "bundle-apply-errors")
	if kept, _ := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`select[name="form.delivery"]`))); kept != "免费邮寄" {
		t.Errorf("the delivery choice was lost after the failed attempt: %q", kept)
	}
	// Fill what is still empty and upload each required material.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
		for (const s of document.querySelectorAll('form.case-apply select[required]')) if (!s.value) s.selectedIndex = 1;
		for (const i of document.querySelectorAll('form.case-apply input[required]:not([type=file])')) if (!i.value) i.value = i.inputMode === 'decimal' ? '100' : '北碚测试';
		return true; })()`)); err != nil {
		t.Fatal(err)
	}
	uploads, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('ul.case-upload li'))
		.filter(li => li.querySelector('.req') && !li.querySelector('.case-uploaded'))
		.map(li => li.querySelector('input[type=file]').name)`))
	if err != nil {
		t.Fatal(err)
	}
	if len(uploads) == 0 {
		t.Fatal("the bundle asks for no material at all")
	}
	dir := t.TempDir()
	for i, name := range uploads {
		path := filepath.Join(dir, "材料"+string(rune('A'+i))+".pdf")
		if err := os.WriteFile(path, casePDF(name).data, 0o600); err != nil {
			t.Fatal(err)
		}
		do("upload "+name, chromedp.SetUploadFiles(chromedp.CSS(`input[name="`+name+`"]`), []string{path}))
	}
	do("submit the application",
		chromedp.Click(chromedp.CSS("#submit-application")),
		chromedp.WaitVisible(chromedp.CSS("#case-no")))
	no := text("#case-no")
	if state := text("#case-state"); !strings.Contains(state, "待受理") {
		t.Errorf("a new application is %q", state)
	}
	apptest.Screenshot(t, ctx, "bundle-submitted")
	logout()

	// The comprehensive window accepts it once for every department.
	login("clerk", caseStaffPW)
	do("accept",
		chromedp.Navigate(w.srv.URL+"/cases?queue=accept"),
		chromedp.Click(chromedp.CSS(`a[href="/cases/`+no+`"]`)),
		chromedp.Click(chromedp.CSS("#act-accept button")),
		chromedp.WaitNotPresent(chromedp.CSS("#act-accept")))
	if state := text("#case-state"); !strings.Contains(state, "审批中") {
		t.Errorf("after acceptance the bundle is %q", state)
	}
	logout()

	// Each department decides its own part from its queue.
	parent, err := m.Cases.Get(apptest.System(), no)
	if err != nil {
		t.Fatal(err)
	}
	if len(parent.Subs) != 6 {
		t.Fatalf("%d sub-cases, want 6", len(parent.Subs))
	}
	for i, sub := range parent.Subs {
		user := reviewers[sub.Department]
		if user == "" {
			t.Fatalf("no reviewer for %s", sub.Department)
		}
		login(user, caseStaffPW)
		do(user+" approves "+sub.Title,
			chromedp.Navigate(w.srv.URL+"/cases?queue=review"),
			chromedp.Click(chromedp.CSS(`a[href="/cases/`+sub.No+`"]`)),
			chromedp.SendKeys(chromedp.CSS("#approve-opinion"), "材料齐全，符合法定条件，准予办理"),
			chromedp.Click(chromedp.CSS("#act-approve button")),
			chromedp.WaitNotPresent(chromedp.CSS("#act-approve")))
		if state := text("#case-state"); !strings.Contains(state, "准予") {
			t.Errorf("%s after approval: %q", sub.Title, state)
		}
		if i == 0 {
			apptest.Screenshot(t, ctx, "bundle-sub-approved")
		}
		logout()
	}

	// The window mails the results out.
	login("clerk", caseStaffPW)
	do("deliver by mail",
		chromedp.Navigate(w.srv.URL+"/cases?queue=deliver"),
		chromedp.Click(chromedp.CSS(`a[href="/cases/`+no+`"]`)),
		chromedp.Click(chromedp.CSS(`#act-deliver input[value="mail"]`)),
		chromedp.SendKeys(chromedp.CSS("#deliver-tracking"), "EMS9876543210CN"),
		chromedp.SendKeys(chromedp.CSS("#deliver-address"), "重庆市北碚区天生路 8 号"),
		chromedp.Click(chromedp.CSS("#act-deliver button")),
		chromedp.WaitNotPresent(chromedp.CSS("#act-deliver")))
	if state := text("#case-state"); !strings.Contains(state, "已出件") {
		t.Errorf("after delivery the bundle is %q", state)
	}
	logout()

	// The enterprise sees the result, its notices and rates the service.
	login("firma", caseEntPW)
	nav := text("nav.site-nav")
	if !strings.Contains(nav, "消息 (") {
		t.Errorf("the enterprise has no unread notices after its case was decided: %q", nav)
	}
	do("rate",
		chromedp.Navigate(w.srv.URL+"/cases/"+no),
		chromedp.Click(chromedp.CSS(`#rate input[name="level"][value="5"]`)),
		chromedp.SendKeys(chromedp.CSS("#rate-comment"), "一次申请两天办好，营业执照和公章都寄到了"),
		chromedp.Click(chromedp.CSS("#rate button")),
		chromedp.WaitVisible(chromedp.CSS("#h-rated")))
	apptest.Screenshot(t, ctx, "bundle-rated")
	if docs := text(".case-docs"); !strings.Contains(docs, "PDF") {
		t.Errorf("the decided bundle offers no documents: %q", docs)
	}

	done, err := m.Cases.Get(apptest.System(), no)
	if err != nil {
		t.Fatal(err)
	}
	if done.State != casework.Delivered || done.Rating == nil || done.Rating.Level != 5 || done.TrackingNo != "EMS9876543210CN" {
		t.Errorf("stored case: %s rating %v tracking %q", done.State, done.Rating, done.TrackingNo)
	}
	for _, sub := range done.Subs {
		if sub.State != casework.Delivered {
			t.Errorf("sub-case %s is %s", sub.Title, sub.State)
		}
	}
}
