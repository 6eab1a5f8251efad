package web_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/qinqing/qinqing/internal/app/apptest"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/seed"
)

// demoServer starts the platform in demo mode with the Beibei demo data.
func demoServer(t *testing.T) *apptest.Server {
	t.Helper()
	srv := apptest.Start(t, db.SQLite, apptest.WithEnv("QINQING_DEMO", "true"))
	m := srv.Main
	if err := seed.Demo(apptest.System(), m.DB, m.Enterprise, m.Auth, nil); err != nil {
		t.Fatal(err)
	}
	return srv
}

type page struct {
	status   int
	location string
	body     string
}

func get(t *testing.T, c *http.Client, u string) page {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return page{resp.StatusCode, resp.Header.Get("Location"), string(b)}
}

// follow gets u and follows redirects within the site.
func follow(t *testing.T, c *http.Client, base, path string) page {
	t.Helper()
	p := get(t, c, base+path)
	for i := 0; i < 5 && p.status == http.StatusSeeOther && strings.HasPrefix(p.location, "/"); i++ {
		if strings.HasPrefix(p.location, "/login") {
			t.Errorf("%s sent a signed-in user to %s", path, p.location)
		}
		p = get(t, c, base+p.location)
	}
	return p
}

func postForm(t *testing.T, c *http.Client, u string, form url.Values, origin string) page {
	t.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if origin != "" {
		req.Header.Set("Origin", origin)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		if !strings.HasPrefix(u, origin) {
			req.Header.Set("Sec-Fetch-Site", "cross-site")
		}
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return page{resp.StatusCode, resp.Header.Get("Location"), string(b)}
}

var navRE = regexp.MustCompile(`(?s)<nav class="site-nav".*?</nav>`)
var hrefRE = regexp.MustCompile(`href="(/[^"]*)"`)

// TestEveryRoleSignsInAndEveryNavLinkWorks logs in as each demo account and
// follows every link of its navigation: no dead links, no error pages.
func TestEveryRoleSignsInAndEveryNavLinkWorks(t *testing.T) {
	srv := demoServer(t)
	roles := map[identity.Role]bool{}
	for _, a := range seed.DemoAccounts() {
		t.Run(a.Username, func(t *testing.T) {
			c := srv.Browser()
			p := postForm(t, c, srv.URL+"/login", url.Values{"username": {a.Username}, "password": {a.Password}, "next": {"/"}}, srv.URL)
			if p.status != http.StatusSeeOther || strings.HasPrefix(p.location, "/login") {
				t.Fatalf("login: %d → %q\n%s", p.status, p.location, p.body)
			}
			landing := follow(t, c, srv.URL, p.location)
			if landing.status != 200 {
				t.Fatalf("landing page %s: %d", p.location, landing.status)
			}
			nav := navRE.FindString(landing.body)
			links := hrefRE.FindAllStringSubmatch(nav, -1)
			if len(links) < 2 {
				t.Fatalf("navigation has %d links:\n%s", len(links), nav)
			}
			for _, l := range links {
				if pg := follow(t, c, srv.URL, l[1]); pg.status != 200 {
					t.Errorf("nav link %s: status %d", l[1], pg.status)
				}
			}
			if pg := get(t, c, srv.URL+"/account/password"); pg.status != 200 {
				t.Errorf("/account/password: %d", pg.status)
			}
			roles[a.Role] = true
		})
	}
	for _, r := range identity.Roles {
		if !roles[r] {
			t.Errorf("no demo account signs in as %s", r)
		}
	}
}

func TestAnonymousPagesAndLoginRedirects(t *testing.T) {
	srv := demoServer(t)
	c := srv.Browser()
	for _, path := range []string{"/", "/login", "/tools", "/tools?credit_code=91350100M000100Y43&industry=3670&employees=50&revenue_wan=800"} {
		if p := get(t, c, srv.URL+path); p.status != 200 {
			t.Errorf("%s: %d", path, p.status)
		}
	}
	home := get(t, c, srv.URL+"/")
	for _, l := range hrefRE.FindAllStringSubmatch(navRE.FindString(home.body), -1) {
		if pg := get(t, c, srv.URL+l[1]); pg.status != 200 {
			t.Errorf("anonymous nav link %s: %d", l[1], pg.status)
		}
	}
	for _, want := range []string{`href="/matters"`, `href="/progress"`, `href="/service-points"`} {
		if !strings.Contains(navRE.FindString(home.body), want) {
			t.Errorf("the public navigation lacks %s", want)
		}
	}
	for _, want := range []string{"一企一档", `src="/static/vendor/htmx.min.js"`, "演示环境"} {
		if !strings.Contains(home.body, want) {
			t.Errorf("home page lacks %q", want)
		}
	}
	if strings.Contains(home.body, "<script>") || strings.Contains(home.body, " onclick=") {
		t.Error("the page has inline script, which the CSP forbids")
	}
	if p := get(t, c, srv.URL+"/enterprises"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/login?next=") {
		t.Errorf("/enterprises anonymously: %d → %q", p.status, p.location)
	}
	nf := get(t, c, srv.URL+"/no/such/page")
	if nf.status != 404 || !strings.Contains(nf.body, "请求编号") {
		t.Errorf("404 page: %d", nf.status)
	}
	if p := get(t, c, srv.URL+"/static/vendor/htmx.min.js"); p.status != 200 || len(p.body) < 10000 {
		t.Errorf("htmx is not served: %d, %d bytes", p.status, len(p.body))
	}
	tool := get(t, c, srv.URL+"/tools?credit_code=91350100M000100Y4X")
	if !strings.Contains(tool.body, "第18位") {
		t.Error("the credit-code tool does not explain a wrong check character")
	}
}

func TestLanguageAndLargeTextSwitches(t *testing.T) {
	srv := demoServer(t)
	c := srv.Browser()
	postForm(t, c, srv.URL+"/prefs", url.Values{"lang": {"en"}, "back": {"/"}}, srv.URL)
	if p := get(t, c, srv.URL+"/"); !strings.Contains(p.body, `lang="en"`) || !strings.Contains(p.body, "One profile per enterprise") {
		t.Error("switching to English did not take")
	}
	postForm(t, c, srv.URL+"/prefs", url.Values{"textsize": {"large"}, "back": {"/"}}, srv.URL)
	if p := get(t, c, srv.URL+"/"); !strings.Contains(p.body, `class="large-text"`) {
		t.Error("large-text mode did not take")
	}
	postForm(t, c, srv.URL+"/prefs", url.Values{"lang": {"zh"}, "back": {"https://evil.example/"}}, srv.URL)
	if p := postForm(t, c, srv.URL+"/prefs", url.Values{"back": {"//evil.example/"}}, srv.URL); p.location != "/" {
		t.Errorf("an off-site back link was followed: %q", p.location)
	}
}

func TestCrossSiteFormPostIsRefused(t *testing.T) {
	srv := demoServer(t)
	p := postForm(t, srv.Browser(), srv.URL+"/login", url.Values{"username": {"admin"}, "password": {"x"}}, "https://evil.example")
	if p.status != http.StatusForbidden {
		t.Errorf("a cross-site login post got %d", p.status)
	}
}

// TestImportThroughTheUploadPage uploads a CSV as an administrator and
// follows the job page until the report shows.
func TestImportThroughTheUploadPage(t *testing.T) {
	srv := demoServer(t)
	c := srv.Browser()
	var admin seed.DemoAccount
	for _, a := range seed.DemoAccounts() {
		if a.Role == identity.RoleAdmin {
			admin = a
		}
	}
	postForm(t, c, srv.URL+"/login", url.Values{"username": {admin.Username}, "password": {admin.Password}}, srv.URL)
	csv := "统一社会信用代码,企业名称,区划代码,行业代码,从业人员\n" +
		validCode() + ",重庆北碚上传测试有限公司,500109001,3670,50\n" +
		"91500109MA00000000,坏代码公司,500109001,3670,5\n"
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "名录.csv")
	fw.Write([]byte(csv))
	mw.Close()
	req, _ := http.NewRequest("POST", srv.URL+"/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/jobs/") {
		t.Fatalf("upload: %d → %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	jobURL := srv.URL + resp.Header.Get("Location")
	deadline := time.Now().Add(20 * time.Second)
	var p page
	for time.Now().Before(deadline) {
		p = get(t, c, jobURL)
		if strings.Contains(p.body, `id="job-status">已完成`) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	for _, want := range []string{"已完成", "<strong>1</strong>", "credit_code", "第18位"} {
		if !strings.Contains(p.body, want) {
			t.Errorf("job page lacks %q:\n%s", want, p.body)
		}
	}
	// Another user may not see the job.
	other := srv.Browser()
	for _, a := range seed.DemoAccounts() {
		if a.Role == identity.RoleWindowClerk {
			postForm(t, other, srv.URL+"/login", url.Values{"username": {a.Username}, "password": {a.Password}}, srv.URL)
		}
	}
	if p := get(t, other, jobURL); p.status != http.StatusForbidden {
		t.Errorf("another user's job page: %d", p.status)
	}
}
