package web_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/qinqing/qinqing/internal/app/apptest"
	"github.com/qinqing/qinqing/internal/casework"
	"github.com/qinqing/qinqing/internal/db"
)

// TestCasePagesFitAPhoneScreen renders the case pages 375 px wide, as the
// window clerk and as the department's reviewer (who see the most forms),
// and requires that nothing forces horizontal scrolling.
func TestCasePagesFitAPhoneScreen(t *testing.T) {
	ctx := apptest.Chrome(t)
	w := newCaseWorld(t, db.SQLite)
	m := w.srv.Main
	sys := apptest.System()
	cat := casework.MatterCatalogue{Matters: m.Matters}
	spec, err := cat.MatterSpec(sys, w.food)
	if err != nil {
		t.Fatal(err)
	}
	files := map[int]string{}
	for _, mat := range spec.Materials {
		if mat.Required && (mat.Source == "applicant" || mat.Source == "license") && mat.Name != "营业执照" {
			f, err := m.Files.Save(sys, mat.Name+".pdf", bytes.NewReader(casePDF(mat.Name).data))
			if err != nil {
				t.Fatal(err)
			}
			files[mat.Seq] = f.ID
		}
	}
	c, err := m.Cases.Submit(sys, casework.Submission{MatterCode: w.food, EnterpriseID: w.entA, Channel: casework.ChannelOnline, Files: files,
		Form: map[string]string{"food_business": "热食类食品制售", "operator_kind": "餐饮服务经营者", "business_area_m2": "120"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Cases.Act(sys, c.No, casework.Action{Name: casework.ActAccept, IfVersion: c.Version}); err != nil {
		t.Fatal(err)
	}
	login := func(user string) {
		t.Helper()
		err := chromedp.Do(ctx,
			chromedp.Navigate(w.srv.URL+"/login"),
			chromedp.SendKeys(chromedp.CSS("#username"), user),
			chromedp.SendKeys(chromedp.CSS("#password"), caseStaffPW),
			chromedp.Submit(chromedp.CSS("#password")),
			chromedp.WaitVisible(chromedp.CSS("#logout")),
		)
		if err != nil {
			t.Fatal(err)
		}
	}
	check := func(who string, paths ...string) {
		t.Helper()
		for _, path := range paths {
			if err := chromedp.Do(ctx, chromedp.Navigate(w.srv.URL+path), chromedp.WaitVisible(chromedp.CSS("main"))); err != nil {
				t.Fatal(err)
			}
			width, err := chromedp.Run(ctx, chromedp.Evaluate[int]("document.documentElement.scrollWidth"))
			if err != nil {
				t.Fatal(err)
			}
			if width > 375 {
				t.Errorf("%s as %s is %d px wide on a 375 px screen", path, who, width)
			}
			apptest.Screenshot(t, ctx, "case-"+who+strings.NewReplacer("/", "_", "?", "_", "=", "_", "&", "_").Replace(path))
		}
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(375, 740, chromedp.EmulateScale(2))); err != nil {
		t.Fatal(err)
	}
	login("clerk")
	check("clerk", "/cases?queue=all", "/cases/"+c.No, "/intake?q=%E9%A3%9F%E5%93%81&credit_code="+w.creditA,
		"/apply/matter/"+w.food+"?credit_code="+w.creditA, "/inbox")
	// Wait for the signed-out page itself: "main" is visible on the page
	// being left too, and navigating on before the sign-out's own
	// navigation completes aborts it.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#logout")), chromedp.WaitNotPresent(chromedp.CSS("#logout"))); err != nil {
		t.Fatal(err)
	}
	login("scjg")
	check("reviewer", "/cases?queue=review", "/cases/"+c.No, "/rectifications")
}
