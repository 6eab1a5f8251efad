package httpmw

import (
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/metrics"
)

func TestClientIPBelievesOnlyTrustedProxies(t *testing.T) {
	_, proxy, _ := net.ParseCIDR("10.0.0.0/8")
	trusted := []*net.IPNet{proxy}
	cases := []struct {
		remote, xff, want string
	}{
		{"203.0.113.5:4000", "", "203.0.113.5"},
		{"203.0.113.5:4000", "1.2.3.4", "203.0.113.5"},              // an untrusted peer cannot claim another address
		{"10.0.0.2:4000", "198.51.100.7", "198.51.100.7"},           // through our proxy
		{"10.0.0.2:4000", "6.6.6.6, 198.51.100.7", "198.51.100.7"},  // a forged left-most entry is ignored
		{"10.0.0.2:4000", "198.51.100.7, 10.0.0.3", "198.51.100.7"}, // a chain of our proxies
	}
	for _, c := range cases {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.remote
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		if got := ClientIP(r, trusted); got != c.want {
			t.Errorf("ClientIP(%s, XFF %q) = %s, want %s", c.remote, c.xff, got, c.want)
		}
	}
}

func TestRequestContextKeepsPlainIDsAndReplacesOthers(t *testing.T) {
	var seen identity.Request
	h := RequestContext(nil)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen = identity.RequestFrom(r.Context()) }))
	for _, c := range []struct {
		id   string
		keep bool
	}{{"abc-123", true}, {"", false}, {"<script>", false}, {strings.Repeat("a", 65), false}} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("X-Request-ID", c.id)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if (seen.ID == c.id) != c.keep || seen.ID == "" || w.Header().Get("X-Request-ID") != seen.ID {
			t.Errorf("X-Request-ID %q → %q (keep=%v)", c.id, seen.ID, c.keep)
		}
	}
}

func TestLanguage(t *testing.T) {
	var lang i18n.Lang
	h := RequestContext(nil)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { lang = Lang(r) }))
	try := func(path, accept, cookie string) i18n.Lang {
		r := httptest.NewRequest("GET", path, nil)
		r.Header.Set("Accept-Language", accept)
		if cookie != "" {
			r.AddCookie(&http.Cookie{Name: LangCookie, Value: cookie})
		}
		h.ServeHTTP(httptest.NewRecorder(), r)
		return lang
	}
	if try("/enterprises", "en-US", "") != i18n.Zh {
		t.Error("pages are not Chinese first")
	}
	if try("/enterprises", "zh-CN", "en") != i18n.En {
		t.Error("the lang cookie does not switch pages to English")
	}
	if try("/api/v1/me", "en-US,en;q=0.9", "") != i18n.En {
		t.Error("the API ignores Accept-Language")
	}
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	h := SecurityHeaders(true)(http.NotFoundHandler())
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/x", nil))
	csp := w.Header().Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("CSP allows inline or eval: %q", csp)
	}
	for k, v := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "strict-origin-when-cross-origin",
		"X-Frame-Options": "DENY", "Strict-Transport-Security": "max-age=31536000; includeSubDomains"} {
		if w.Header().Get(k) != v {
			t.Errorf("%s = %q, want %q", k, w.Header().Get(k), v)
		}
	}
	w = httptest.NewRecorder()
	SecurityHeaders(false)(http.NotFoundHandler()).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	if w.Header().Get("Strict-Transport-Security") != "" {
		t.Error("HSTS over plain HTTP")
	}
}

func TestRecoverAnswersAndTheProcessLivesOn(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	answered := false
	h := Chain(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }),
		RequestContext(nil), Recover(log, func(w http.ResponseWriter, r *http.Request) {
			answered = true
			w.WriteHeader(500)
		}))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	if !answered || w.Code != 500 {
		t.Errorf("panic answered=%v code=%d", answered, w.Code)
	}
}

func TestCrossOriginPostsAreRefused(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) })
	h := CrossOrigin(nil)(ok)
	post := func(headers map[string]string) int {
		r := httptest.NewRequest("POST", "http://qinqing.example/enterprises", nil)
		for k, v := range headers {
			r.Header.Set(k, v)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code
	}
	if c := post(map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}); c != http.StatusForbidden {
		t.Errorf("a cross-site form post got %d", c)
	}
	if c := post(map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": "http://qinqing.example"}); c != 204 {
		t.Errorf("a same-origin post got %d", c)
	}
	if c := post(nil); c != 204 {
		t.Errorf("a non-browser client (no Origin, no Sec-Fetch-Site) got %d", c)
	}
}

func TestObserveCountsByRoutePattern(t *testing.T) {
	reg := metrics.NewRegistry()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /enterprises/{id}", func(w http.ResponseWriter, r *http.Request) {})
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	h := Observe(log, reg, func(r *http.Request) string { _, p := mux.Handler(r); return p })(mux)
	for _, p := range []string{"/enterprises/1", "/enterprises/2", "/nowhere"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", p, nil))
	}
	var b strings.Builder
	reg.Write(&b)
	if !strings.Contains(b.String(), `qinqing_http_requests_total{method="GET",route="GET /enterprises/{id}",code="200"} 2`) ||
		!strings.Contains(b.String(), `route="unmatched",code="404"} 1`) {
		t.Errorf("metrics:\n%s", b.String())
	}
}
