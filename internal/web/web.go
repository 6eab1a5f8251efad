// Package web serves the server-rendered HTML interface: Chinese first with
// English, htmx for partial updates, no inline script (the CSP forbids it),
// a large-text mode for older users, and pages that work down to phone width.
package web

import (
	"bytes"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/qinqing/qinqing/internal/auth"
	"github.com/qinqing/qinqing/internal/calendar"
	"github.com/qinqing/qinqing/internal/casework"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/eligibility"
	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/files"
	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/jobs"
	"github.com/qinqing/qinqing/internal/matter"
	"github.com/qinqing/qinqing/internal/notify"
	"github.com/qinqing/qinqing/internal/policy"
	"github.com/qinqing/qinqing/internal/search"
	"github.com/qinqing/qinqing/internal/servicepoint"
	"github.com/qinqing/qinqing/internal/stats"
)

//go:embed templates
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Deps are what the web interface needs.
type Deps struct {
	DB           *db.DB
	Auth         *auth.Service
	Enterprise   *enterprise.Service
	Jobs         *jobs.Runner
	Log          *slog.Logger
	CookieSecure bool
	Demo         bool
	Version      string
	MaxUpload    int64
	DemoLogins   []DemoLogin // shown on the login page in demo mode

	Calendar  *calendar.Calendar
	Matters   *matter.Service
	Points    *servicepoint.Service
	Cases     *casework.Service
	Files     *files.Store
	Notify    *notify.Service
	Stats     *stats.Service
	Catalogue *search.Catalogue
	Policy    *policy.Service
	// PolicySearch ranks policies for the search box (Chinese, pinyin, initials).
	PolicySearch *search.PolicyFinder
	// Eligibility is the in-memory index over every enterprise (matching
	// a rule against all of them at once).
	Eligibility *eligibility.Index
}

// DemoLogin is a demo account shown on the login page in demo mode.
type DemoLogin struct {
	Role     identity.Role
	Username string
	Password string
}

// Server renders pages.
type Server struct {
	Deps
	pages map[i18n.Lang]map[string]*template.Template
	loc   *time.Location
}

// New parses every template once, in both languages, failing fast on any
// error.
func New(d Deps) (*Server, error) {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		loc = time.FixedZone("CST", 8*3600)
	}
	s := &Server{Deps: d, loc: loc, pages: map[i18n.Lang]map[string]*template.Template{}}
	for _, lang := range []i18n.Lang{i18n.Zh, i18n.En} {
		pages, err := parsePages(lang, s.funcs(lang))
		if err != nil {
			return nil, err
		}
		s.pages[lang] = pages
	}
	return s, nil
}

// parsePages parses layout.html and partials with each page file.
func parsePages(lang i18n.Lang, funcs template.FuncMap) (map[string]*template.Template, error) {
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	files, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for _, f := range files {
		t, err := template.Must(base.Clone()).ParseFS(templateFS, f)
		if err != nil {
			return nil, fmt.Errorf("parse %s (%s): %w", f, lang, err)
		}
		name := strings.TrimSuffix(strings.TrimPrefix(f, "templates/pages/"), ".html")
		out[name] = t
	}
	return out, nil
}

// page is the data every page template receives.
type page struct {
	Lang      i18n.Lang
	Title     string
	Path      string
	RawQuery  string
	User      *identity.Principal
	LargeText bool
	Flash     string
	RequestID string
	Demo      bool
	Version   string
	Nav       []navItem
	Data      any
}

type navItem struct {
	Href, Label string
	Active      bool
}

// nav lists the pages the user can reach, their own work first; only
// pages that exist appear. A signed-in user sees the unread count on 消息.
func (s *Server) nav(r *http.Request, p *identity.Principal, lang i18n.Lang) []navItem {
	tr := func(zh, en string) string { return i18n.M(zh, en).In(lang) }
	items := []navItem{{"/", tr("首页", "Home"), false}}
	add := func(ok bool, href, zh, en string) {
		if ok {
			items = append(items, navItem{href, tr(zh, en), false})
		}
	}
	// Work first: what this person came to do.
	add(p.Can(identity.PermEnterpriseOwn), "/my", "我的企业", "My enterprise")
	add(p.Can(identity.PermEnterpriseOwn), "/my/policies", "为我匹配", "Policies for me")
	add(p.Can(identity.PermEnterpriseOwn), "/my/policy-applications", "政策申请", "Policy applications")
	add(p.Can(identity.PermPolicyReview) || p.Can(identity.PermPolicyRead), "/admin/policy-applications", "兑现审核", "Policy review")
	add(p.Can(identity.PermPolicyManage) || p.Can(identity.PermPolicyRead), "/admin/policies", "政策管理", "Policies")
	add(p.Can(identity.PermPolicyPushes), "/policy-pushes", "政策推送", "Policy pushes")
	add(len(caseTabs(p)) > 0, "/cases", casesLabel(p).Zh, casesLabel(p).En)
	add(p.Can(identity.PermCaseIntake), "/intake", "代为申请", "File for a firm")
	add(p.Can(identity.PermCaseSupervise), "/supervision", "督办", "Supervision")
	add(p.Can(identity.PermCaseSupervise) || (p.Can(identity.PermRectify) && p.DepartmentCode != ""), "/rectifications", "差评整改", "Rectification")
	add(p.Can(identity.PermEnterpriseRead), "/enterprises", "企业档案", "Enterprises")
	add(p.Can(identity.PermCatalogueManage), "/admin/catalogue", "事项管理", "Catalogue")
	add(p.Can(identity.PermCalendarManage), "/admin/calendar", "工作日历", "Calendar")
	add(p.Can(identity.PermEnterpriseImport), "/import", "导入导出", "Import & export")
	add(p.Can(identity.PermTagManage), "/tags", "资质标签", "Tags")
	add(p.Can(identity.PermAccountManage), "/accounts", "账户管理", "Accounts")
	add(p.Can(identity.PermAuditRead), "/audit", "审计日志", "Audit trail")
	// Then what everyone may read.
	add(true, "/matters", "办事指南", "Service guide")
	add(true, "/bundles", "一件事一次办", "One-go bundles")
	add(true, "/policies", "政策超市", "Policy supermarket")
	add(p == nil, "/service-points", "服务网络", "Service network")
	add(p == nil, "/progress", "进度查询", "Track a case")
	add(true, "/stats", "效能指标", "Indicators")
	add(true, "/tools", "办事工具", "Tools")
	if p != nil && p.AccountID != 0 && s.Notify != nil {
		label := tr("消息", "Inbox")
		if n, err := s.Notify.Unread(r.Context()); err == nil && n > 0 {
			label = fmt.Sprintf("%s (%d)", label, n)
		}
		items = append(items, navItem{"/inbox", label, false})
	}
	for i := range items {
		h := items[i].Href
		items[i].Active = r.URL.Path == h || (h != "/" && strings.HasPrefix(r.URL.Path, h+"/"))
	}
	return items
}

// casesLabel names the case list for its reader: an enterprise's own
// cases, or a member of staff's work queues.
func casesLabel(p *identity.Principal) i18n.Msg {
	if p.Can(identity.PermEnterpriseOwn) {
		return i18n.M("我的办件", "My cases")
	}
	return i18n.M("办件", "Cases")
}

// render writes a page with the layout.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) {
	lang := httpmw.Lang(r)
	t, ok := s.pages[lang][name]
	if !ok {
		panic("web: no template " + name)
	}
	p := identity.PrincipalFrom(r.Context())
	pg := page{Lang: lang, Title: title, Path: r.URL.Path, RawQuery: r.URL.RawQuery, User: p, Demo: s.Demo,
		Version: s.Version, RequestID: identity.RequestFrom(r.Context()).ID, Nav: s.nav(r, p, lang), Data: data,
		Flash: s.takeFlash(w, r)}
	if c, err := r.Cookie("textsize"); err == nil && c.Value == "large" {
		pg.LargeText = true
	}
	var buf bytes.Buffer
	tmpl := "layout.html"
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Boosted") != "true" && t.Lookup("fragment") != nil {
		tmpl = "fragment"
	}
	if err := t.ExecuteTemplate(&buf, tmpl, pg); err != nil {
		s.Log.Error("render", "page", name, "err", err, "request_id", pg.RequestID)
		http.Error(w, "internal error, request "+pg.RequestID, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// setFlash stores a one-time message for the next page.
func (s *Server) setFlash(w http.ResponseWriter, msg string) {
	http.SetCookie(w, &http.Cookie{Name: "flash", Value: base64.RawURLEncoding.EncodeToString([]byte(msg)), Path: "/",
		MaxAge: 60, HttpOnly: true, Secure: s.CookieSecure, SameSite: http.SameSiteLaxMode})
}

func (s *Server) takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie("flash")
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: "flash", Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.CookieSecure, SameSite: http.SameSiteLaxMode})
	b, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil {
		return ""
	}
	return string(b)
}

// redirect answers a form post with 303 See Other (htmx follows it too).
func redirect(w http.ResponseWriter, r *http.Request, to string) {
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// safeNext accepts only local paths as a post-login destination.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	if u, err := url.Parse(next); err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return next
}

// Static serves the embedded static files with long caching.
func Static() http.Handler {
	sub, _ := fs.Sub(staticFS, "static")
	fsrv := http.StripPrefix("/static/", http.FileServer(http.FS(sub)))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=86400")
		fsrv.ServeHTTP(w, r)
	})
}

// renderFragment renders a named partial template without the layout (htmx
// swaps).
func (s *Server) renderFragment(w http.ResponseWriter, r *http.Request, name string, data any) {
	lang := httpmw.Lang(r)
	t := s.pages[lang]["home"]
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		s.Log.Error("render fragment", "name", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}
