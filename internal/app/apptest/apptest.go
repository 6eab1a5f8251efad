// Package apptest starts the whole platform — real database, real HTTP
// server on a free port — for end-to-end and API tests, and offers small
// helpers to sign in and call it.
package apptest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"time"

	"github.com/qinqing/qinqing/internal/app"
	"github.com/qinqing/qinqing/internal/auth"
	"github.com/qinqing/qinqing/internal/config"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/identity"
)

// Server is a running platform.
type Server struct {
	URL  string
	Main *app.Main
	t    testing.TB
}

// Option adjusts the configuration before start.
type Option func(env map[string]string)

// WithEnv sets a QINQING_* variable.
func WithEnv(k, v string) Option { return func(env map[string]string) { env[k] = v } }

// Start boots the platform on a fresh database of dialect d in a temp dir.
// By default MFA is off and cookies are not Secure (plain HTTP).
func Start(t testing.TB, d db.Dialect, opts ...Option) *Server {
	t.Helper()
	env := map[string]string{
		"QINQING_DATA_DIR":      t.TempDir(),
		"QINQING_DATABASE_URL":  dbtest.URL(t, d),
		"QINQING_ADDR":          "127.0.0.1:0",
		"QINQING_MFA":           "off",
		"QINQING_COOKIE_SECURE": "false",
		"QINQING_LOG_LEVEL":     "warn",
	}
	for _, o := range opts {
		o(env)
	}
	cfg, err := config.Load(func(k string) string { return env[k] }, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := app.New(cfg, testWriter{t})
	ctx, cancel := context.WithCancel(context.Background())
	if err := m.Open(ctx); err != nil {
		cancel()
		t.Fatal(err)
	}
	if err := m.Listen(); err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- m.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve: %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Error("server did not shut down within 20 s")
		}
		m.Close()
	})
	return &Server{URL: m.URL(), Main: m, t: t}
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// System is a context acting as the platform itself.
func System() context.Context {
	return identity.WithRequest(identity.WithPrincipal(context.Background(), identity.System("test")), identity.Request{ID: "test"})
}

// Account creates an account and returns its username.
func (s *Server) Account(in auth.NewAccount) string {
	s.t.Helper()
	if _, err := s.Main.Auth.CreateAccount(System(), in); err != nil {
		s.t.Fatalf("create account %s: %v", in.Username, err)
	}
	return in.Username
}

// Token signs in through the API and returns a bearer token.
func (s *Server) Token(username, password string) string {
	s.t.Helper()
	resp := s.Do("POST", "/api/v1/auth/login", "", map[string]string{"username": username, "password": password}, nil)
	if resp.Status != http.StatusOK {
		s.t.Fatalf("login %s: %d %s", username, resp.Status, resp.Body)
	}
	var out struct{ Token string }
	json.Unmarshal([]byte(resp.Body), &out)
	return out.Token
}

// Response is a captured HTTP response.
type Response struct {
	Status int
	Header http.Header
	Body   string
}

// JSON decodes the body into v.
func (r Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.Body), v); err != nil {
		t.Fatalf("decode %q: %v", r.Body, err)
	}
}

// Do sends a request with an optional bearer token and JSON body (a string
// is sent as is).
func (s *Server) Do(method, path, token string, body any, header map[string]string) Response {
	s.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			s.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, s.URL+path, rd)
	if err != nil {
		s.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: string(b)}
}

// Browser is an HTTP client with a cookie jar that does not follow
// redirects, for driving the HTML interface without a real browser.
func (s *Server) Browser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}
