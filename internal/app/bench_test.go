package app_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/qinqing/qinqing/internal/app"
	"github.com/qinqing/qinqing/internal/auth"
	"github.com/qinqing/qinqing/internal/config"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/identity"
)

// openBench opens a Main on url (a fresh SQLite file by default).
func openBench(b *testing.B, url string) *app.Main {
	b.Helper()
	env := map[string]string{"QINQING_DATABASE_URL": url, "QINQING_MFA": "off", "QINQING_LOG_LEVEL": "error", "QINQING_DATA_DIR": b.TempDir()}
	cfg, err := config.Load(func(k string) string { return env[k] }, nil)
	if err != nil {
		b.Fatal(err)
	}
	m := app.New(cfg, io.Discard)
	if err := m.Open(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { m.Close() })
	return m
}

// BenchmarkHandler compares a request through the whole middleware stack
// (request IDs, logging, metrics, recovery, headers, CSRF check, session
// lookup) with a bare net/http handler doing the same work, and measures
// an authenticated API read of one enterprise profile.
func BenchmarkHandler(b *testing.B) {
	m := openBench(b, dbtest.SQLiteURL(b))
	h, err := m.Handler()
	if err != nil {
		b.Fatal(err)
	}
	bare := http.NewServeMux()
	bare.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok\n") })

	ctx := identity.WithPrincipal(context.Background(), identity.System("bench"))
	e, _, err := m.Enterprise.Create(ctx, enterprise.Input{CreditCode: enterprise.Some("91350100M000100Y43"), Name: enterprise.Some("基准测试公司"),
		RegionCode: enterprise.Some("500109001"), IndustryCode: enterprise.Some("3670"), Employees: enterprise.Some[int64](350)})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := m.Auth.CreateAccount(ctx, auth.NewAccount{Username: "bench", Role: identity.RoleWindowClerk, Password: "Jialing-Beibei-2026"}); err != nil {
		b.Fatal(err)
	}
	res, err := m.Auth.Login(ctx, auth.LoginInput{Username: "bench", Password: "Jialing-Beibei-2026", Kind: auth.KindAPI})
	if err != nil {
		b.Fatal(err)
	}
	run := func(b *testing.B, h http.Handler, path, token string) {
		b.ReportAllocs()
		for b.Loop() {
			r := httptest.NewRequest("GET", path, nil)
			r.RemoteAddr = "10.0.0.1:1234"
			if token != "" {
				r.Header.Set("Authorization", "Bearer "+token)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != 200 {
				b.Fatalf("%s: %d %s", path, w.Code, w.Body)
			}
		}
	}
	b.Run("healthz/bare-net-http", func(b *testing.B) { run(b, bare, "/healthz", "") })
	b.Run("healthz/full-stack", func(b *testing.B) { run(b, h, "/healthz", "") })
	b.Run("api-enterprise-get/full-stack", func(b *testing.B) { run(b, h, fmt.Sprintf("/api/v1/enterprises/%d", e.ID), res.Token) })
}

// BenchmarkLogin measures one password check (argon2id, m=19 MiB, t=2) —
// the price of every sign-in, and why failed attempts are rate-limited.
func BenchmarkLogin(b *testing.B) {
	m := openBench(b, dbtest.SQLiteURL(b))
	ctx := identity.WithPrincipal(context.Background(), identity.System("bench"))
	if _, err := m.Auth.CreateAccount(ctx, auth.NewAccount{Username: "bench", Role: identity.RoleWindowClerk, Password: "Jialing-Beibei-2026"}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := m.Auth.Login(ctx, auth.LoginInput{Username: "bench", Password: "Jialing-Beibei-2026", Kind: auth.KindAPI}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRegistryQueries runs the registry's list queries against a large
// existing database named by QINQING_BENCH_DATABASE_URL (for example one
// filled with `qinqing seed synthetic --enterprises 1000000`).
func BenchmarkRegistryQueries(b *testing.B) {
	url := os.Getenv("QINQING_BENCH_DATABASE_URL")
	if url == "" {
		b.Skip("set QINQING_BENCH_DATABASE_URL to a seeded database")
	}
	m := openBench(b, url)
	ctx := identity.WithPrincipal(context.Background(), &identity.Principal{Username: "bench", Role: identity.RoleWindowClerk})
	var n int
	m.DB.QueryRowContext(ctx, "SELECT count(*) FROM enterprises").Scan(&n)
	b.Logf("%s: %d enterprises", db.Redact(url), n)
	filters := []struct {
		name string
		f    enterprise.Filter
	}{
		{"first-page-unfiltered", enterprise.Filter{}},
		{"district", enterprise.Filter{Region: "500109"}},
		{"street+size", enterprise.Filter{Region: "500109001", Size: "micro"}},
		{"industry-section+above-scale", enterprise.Filter{Industry: "C", AboveScale: ptr(true)}},
		{"name-fragment", enterprise.Filter{Q: "汽车"}},
		{"credit-code-prefix", enterprise.Filter{Q: "915001090"}},
		{"name-no-match", enterprise.Filter{Q: "不存在的名称"}},
		{"deep-page", enterprise.Filter{Region: "500109", Page: 200}},
	}
	for _, f := range filters {
		b.Run(f.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := m.Enterprise.List(ctx, f.f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }
