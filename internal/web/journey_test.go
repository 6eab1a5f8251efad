package web_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/qinqing/qinqing/internal/app/apptest"
)

// journey drives one Chromium tab through a user journey on a test server,
// saving a screenshot named after the journey when a step fails.
type journey struct {
	t    *testing.T
	ctx  context.Context
	base string // the server's URL
	shot string // screenshot name on failure
}

// do runs steps, failing the test with what was being done.
func (j *journey) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	j.t.Helper()
	if err := chromedp.Do(j.ctx, steps...); err != nil {
		apptest.Screenshot(j.t, j.ctx, j.shot)
		j.t.Fatalf("%s: %v", what, err)
	}
}

// text returns the visible text of the first element matching sel.
func (j *journey) text(sel string) string {
	j.t.Helper()
	s, err := chromedp.Run(j.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		apptest.Screenshot(j.t, j.ctx, j.shot)
		j.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// login signs in through the login form.
func (j *journey) login(user, password string) {
	j.t.Helper()
	j.do("sign in as "+user,
		chromedp.Navigate(j.base+"/login"),
		chromedp.SendKeys(chromedp.CSS("#username"), user),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS("#logout")))
}

// logout signs out with the header's button.
func (j *journey) logout() {
	j.t.Helper()
	j.do("sign out", chromedp.Click(chromedp.CSS("#logout")), chromedp.WaitNotPresent(chromedp.CSS("#logout")))
}
