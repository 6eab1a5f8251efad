// Package httpmw holds the HTTP middleware every request passes through:
// request IDs and client addresses, language, panic recovery, access logs
// and metrics, security headers, and session or bearer-token authentication.
package httpmw

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/metrics"
)

// Middleware wraps a handler.
type Middleware func(http.Handler) http.Handler

// Chain applies mws so that the first is outermost.
func Chain(h http.Handler, mws ...Middleware) http.Handler {
	for i := len(mws) - 1; i >= 0; i-- {
		h = mws[i](h)
	}
	return h
}

// LangCookie holds the UI language the user picked.
const LangCookie = "lang"

// RequestContext gives each request an ID (a client-supplied X-Request-ID is
// kept when it is short and plain), works out the client address (believing
// X-Forwarded-For only from trusted proxies) and the language, and stores
// them in the context for logs and audit records.
func RequestContext(trusted []*net.IPNet) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id := r.Header.Get("X-Request-ID")
			if !plainID(id) {
				id = newRequestID()
			}
			w.Header().Set("X-Request-ID", id)
			// Pages are Chinese unless the visitor switched to English (the
			// lang cookie); API clients choose with Accept-Language.
			lang := i18n.Zh
			if strings.HasPrefix(r.URL.Path, "/api/") {
				lang = i18n.FromAcceptLanguage(r.Header.Get("Accept-Language"))
			}
			if c, err := r.Cookie(LangCookie); err == nil {
				lang = i18n.ParseLang(c.Value)
			}
			req := identity.Request{ID: id, IP: ClientIP(r, trusted), UserAgent: r.UserAgent(), Lang: lang}
			next.ServeHTTP(w, r.WithContext(identity.WithRequest(r.Context(), req)))
		})
	}
}

func plainID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !(c == '-' || c == '_' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
			return false
		}
	}
	return true
}

func newRequestID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// ClientIP is the peer address, or the right-most untrusted address of
// X-Forwarded-For when the peer is a trusted proxy.
func ClientIP(r *http.Request, trusted []*net.IPNet) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if !isTrusted(host, trusted) {
		return host
	}
	parts := strings.Split(r.Header.Get("X-Forwarded-For"), ",")
	for i := len(parts) - 1; i >= 0; i-- {
		p := strings.TrimSpace(parts[i])
		if p == "" {
			continue
		}
		if !isTrusted(p, trusted) {
			return p
		}
	}
	return host
}

func isTrusted(ip string, trusted []*net.IPNet) bool {
	parsed := net.ParseIP(ip)
	if parsed == nil {
		return false
	}
	for _, n := range trusted {
		if n.Contains(parsed) {
			return true
		}
	}
	return false
}

// Lang is the request's UI language.
func Lang(r *http.Request) i18n.Lang { return identity.RequestFrom(r.Context()).Lang }

// Recover turns a panic in a handler into a generic error answer carrying
// the request ID, logs the stack, and keeps the process alive.
func Recover(log *slog.Logger, answer func(w http.ResponseWriter, r *http.Request)) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				if p := recover(); p != nil {
					if p == http.ErrAbortHandler {
						panic(p)
					}
					log.Error("panic in handler", "request_id", identity.RequestFrom(r.Context()).ID,
						"method", r.Method, "path", r.URL.Path, "panic", p, "stack", string(debug.Stack()))
					answer(w, r)
				}
			}()
			next.ServeHTTP(w, r)
		})
	}
}

// recorder captures the status and size of a response.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (rec *recorder) WriteHeader(code int) {
	if rec.status == 0 {
		rec.status = code
	}
	rec.ResponseWriter.WriteHeader(code)
}

func (rec *recorder) Write(b []byte) (int, error) {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	n, err := rec.ResponseWriter.Write(b)
	rec.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (rec *recorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }

// Flush passes flushes through for streamed responses.
func (rec *recorder) Flush() {
	if f, ok := rec.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Observe logs each request and counts it by route pattern and status.
// patternOf names the route a request matches (the mux's pattern), so that
// metrics stay bounded whatever paths clients send.
func Observe(log *slog.Logger, reg *metrics.Registry, patternOf func(*http.Request) string) Middleware {
	requests := reg.Counter("qinqing_http_requests_total", "HTTP requests by route and status.", "method", "route", "code")
	latency := reg.Histogram("qinqing_http_request_duration_seconds", "HTTP request latency by route.", metrics.DefaultBuckets, "route")
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			rec := &recorder{ResponseWriter: w}
			next.ServeHTTP(rec, r)
			if rec.status == 0 {
				rec.status = http.StatusOK
			}
			d := time.Since(start)
			route := patternOf(r)
			if route == "" || route == "/" {
				route = "unmatched"
			}
			requests.Inc(r.Method, route, strconv.Itoa(rec.status))
			latency.Observe(d.Seconds(), route)
			level := slog.LevelInfo
			if rec.status >= 500 {
				level = slog.LevelError
			}
			if r.URL.Path == "/healthz" || r.URL.Path == "/metrics" || strings.HasPrefix(r.URL.Path, "/static/") {
				level = slog.LevelDebug
			}
			user := ""
			if p := identity.PrincipalFrom(r.Context()); p != nil {
				user = p.Username
			}
			log.Log(r.Context(), level, "request", "request_id", identity.RequestFrom(r.Context()).ID, "method", r.Method,
				"path", r.URL.Path, "route", route, "status", rec.status, "bytes", rec.bytes, "duration_ms", d.Milliseconds(),
				"ip", identity.RequestFrom(r.Context()).IP, "user", user)
		})
	}
}

// SecurityHeaders sets the headers every response carries: a CSP without
// inline script, nosniff, a strict referrer policy, no framing, and HSTS
// when the site is served over TLS.
func SecurityHeaders(hsts bool) Middleware {
	const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
		"connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			h.Set("Content-Security-Policy", csp)
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
			h.Set("X-Frame-Options", "DENY")
			h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
			h.Set("Cross-Origin-Opener-Policy", "same-origin")
			if hsts || r.TLS != nil {
				h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
			}
			next.ServeHTTP(w, r)
		})
	}
}

// CrossOrigin rejects cross-origin state-changing browser requests
// (CSRF) using Go's http.CrossOriginProtection on every route.
func CrossOrigin(deny http.Handler) Middleware {
	cop := http.NewCrossOriginProtection()
	if deny != nil {
		cop.SetDenyHandler(deny)
	}
	return cop.Handler
}

type ctxKey int

const sessionKey ctxKey = 0

func withValue(ctx context.Context, k ctxKey, v any) context.Context {
	return context.WithValue(ctx, k, v)
}
