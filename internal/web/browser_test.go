package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/qinqing/qinqing/internal/app/apptest"
	"github.com/qinqing/qinqing/internal/auth"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/seed"
	"github.com/qinqing/qinqing/internal/standards"
)

// TestClerkRegistersAnEnterpriseInTheBrowser is the registry's user journey:
// a window clerk signs in, types a credit code with a wrong check character,
// sees exactly what is wrong without losing anything typed, corrects it,
// saves, and sees the size class on the new profile.
func TestClerkRegistersAnEnterpriseInTheBrowser(t *testing.T) {
	ctx := apptest.Chrome(t)
	srv := apptest.Start(t, db.SQLite)
	srv.Account(auth.NewAccount{Username: "clerk1", DisplayName: "王小窗", Role: identity.RoleWindowClerk, Password: "Beibei-Chuangkou-2026"})

	good := validCode()
	const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	bad := good[:17] + string(alphabet[(strings.IndexByte(alphabet, good[17])+1)%31])

	err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/login"),
		chromedp.SendKeys(chromedp.CSS("#username"), "clerk1"),
		chromedp.SendKeys(chromedp.CSS("#password"), "Beibei-Chuangkou-2026"),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/enterprises/new"]`)),
		chromedp.Navigate(srv.URL+"/enterprises/new"),
		chromedp.SendKeys(chromedp.CSS("#f-credit_code"), bad),
		chromedp.SendKeys(chromedp.CSS("#f-name"), "重庆北碚浏览器测试汽车零部件有限公司"),
		chromedp.SendKeys(chromedp.CSS("#f-industry_code"), "3670"),
		chromedp.SendKeys(chromedp.CSS("#f-employees"), "350"),
		chromedp.SendKeys(chromedp.CSS("#f-revenue_wan"), "2500"),
		chromedp.SendKeys(chromedp.CSS("#f-assets_wan"), "8000"),
		chromedp.Click(chromedp.CSS("#save")),
		chromedp.WaitVisible(chromedp.CSS("#e-credit_code")),
	)
	if err != nil {
		t.Fatal(err)
	}
	apptest.Screenshot(t, ctx, "registry-invalid-credit-code")
	msg, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#e-credit_code")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(msg, "第18位") || !strings.Contains(msg, string(good[17])) || !strings.Contains(msg, string(bad[17])) {
		t.Fatalf("the error %q does not name position 18, the expected %c and the given %c", msg, good[17], bad[17])
	}
	kept, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#f-name")))
	if err != nil || kept != "重庆北碚浏览器测试汽车零部件有限公司" {
		t.Fatalf("the name typed before the error was lost: %q %v", kept, err)
	}

	err = chromedp.Do(ctx,
		chromedp.Clear(chromedp.CSS("#f-credit_code")),
		chromedp.SendKeys(chromedp.CSS("#f-credit_code"), good),
		chromedp.Click(chromedp.CSS("#save")),
		chromedp.WaitVisible(chromedp.CSS("#size-class")),
	)
	if err != nil {
		t.Fatal(err)
	}
	apptest.Screenshot(t, ctx, "registry-profile")
	size, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#size-class")))
	if err != nil {
		t.Fatal(err)
	}
	if size != "中型" {
		t.Errorf("size class on the profile = %q, want 中型 (工业: 350 人, 2500 万元)", size)
	}
	heading, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main h1")))
	if heading != "重庆北碚浏览器测试汽车零部件有限公司" {
		t.Errorf("profile heading = %q", heading)
	}
}

func validCode() string {
	body := "MA7C9Q2K"
	oc, _ := standards.OrgCodeCheckChar(body)
	first := "91500109" + body + string(oc)
	cc, _ := standards.CreditCodeCheckChar(first)
	return first + string(cc)
}

// TestPagesFitAPhoneScreen renders the main pages 375 px wide (a small
// phone) and requires that nothing forces horizontal scrolling.
func TestPagesFitAPhoneScreen(t *testing.T) {
	ctx := apptest.Chrome(t)
	srv := demoServer(t)
	var clerk string
	var pw string
	for _, a := range seed.DemoAccounts() {
		if a.Role == identity.RoleWindowClerk {
			clerk, pw = a.Username, a.Password
		}
	}
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(375, 740, chromedp.EmulateScale(2)),
		chromedp.Navigate(srv.URL+"/login"),
		chromedp.SendKeys(chromedp.CSS("#username"), clerk),
		chromedp.SendKeys(chromedp.CSS("#password"), pw),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/enterprises/new"]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/", "/tools", "/enterprises", "/enterprises/new", "/enterprises/1", "/enterprises/1/edit"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+path), chromedp.WaitVisible(chromedp.CSS("main"))); err != nil {
			t.Fatal(err)
		}
		width, err := chromedp.Run(ctx, chromedp.Evaluate[int]("document.documentElement.scrollWidth"))
		if err != nil {
			t.Fatal(err)
		}
		if width > 375 {
			t.Errorf("%s is %d px wide on a 375 px screen", path, width)
		}
		apptest.Screenshot(t, ctx, "phone"+strings.ReplaceAll(path, "/", "_"))
	}
}
