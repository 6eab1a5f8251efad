// Package dbtest opens real, migrated, isolated databases for tests: a SQLite
// file in the test's temp dir, and a fresh schema on the PostgreSQL server
// named by QINQING_TEST_POSTGRES_URL (default: the local server). PostgreSQL
// tests skip with a clear message when no server answers, unless
// QINQING_TEST_POSTGRES=require, which CI sets so that they cannot skip.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/qinqing/qinqing/internal/db"
)

// DefaultPostgresURL is tried when QINQING_TEST_POSTGRES_URL is unset.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// PostgresURL is the server tests use.
func PostgresURL() string {
	if u := os.Getenv("QINQING_TEST_POSTGRES_URL"); u != "" {
		return u
	}
	return DefaultPostgresURL
}

// PostgresRequired reports whether PostgreSQL tests must run rather than skip.
func PostgresRequired() bool { return os.Getenv("QINQING_TEST_POSTGRES") == "require" }

var (
	pgOnce  sync.Once
	pgAdmin *sql.DB
	pgErr   error
)

func admin() (*sql.DB, error) {
	pgOnce.Do(func() {
		d, err := sql.Open("pgx", PostgresURL())
		if err != nil {
			pgErr = err
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		if err := d.PingContext(ctx); err != nil {
			d.Close()
			pgErr = err
			return
		}
		d.SetMaxOpenConns(4)
		pgAdmin = d
	})
	return pgAdmin, pgErr
}

// SkipWithoutPostgres skips (or, when required, fails) the test if no
// PostgreSQL server answers.
func SkipWithoutPostgres(tb testing.TB) {
	tb.Helper()
	if _, err := admin(); err != nil {
		if PostgresRequired() {
			tb.Fatalf("PostgreSQL is required (QINQING_TEST_POSTGRES=require) but %s does not answer: %v", db.Redact(PostgresURL()), err)
		}
		tb.Skipf("skipping PostgreSQL test: no server at %s (%v); set QINQING_TEST_POSTGRES_URL to run it", db.Redact(PostgresURL()), err)
	}
}

// PostgresSchemaURL creates an empty schema for the test, dropped at cleanup,
// and returns a URL whose connections use it.
func PostgresSchemaURL(tb testing.TB) string {
	tb.Helper()
	SkipWithoutPostgres(tb)
	a, _ := admin()
	schema := "t_" + randomHex(8)
	if _, err := a.Exec("CREATE SCHEMA " + schema); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		if _, err := a.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			tb.Logf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(PostgresURL())
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// SQLiteURL returns a URL for a new SQLite file in the test's temp dir.
func SQLiteURL(tb testing.TB) string {
	tb.Helper()
	return "sqlite://" + filepath.Join(tb.TempDir(), "qinqing.db")
}

// Open opens and migrates a database at rawURL, closed at cleanup.
func Open(tb testing.TB, rawURL string) *db.DB {
	tb.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, rawURL)
	if err != nil {
		tb.Fatalf("open %s: %v", db.Redact(rawURL), err)
	}
	tb.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(ctx); err != nil {
		tb.Fatalf("migrate: %v", err)
	}
	return d
}

// OpenSQLite opens a migrated SQLite database in the test's temp dir.
func OpenSQLite(tb testing.TB) *db.DB {
	tb.Helper()
	return Open(tb, SQLiteURL(tb))
}

// OpenPostgres opens a migrated database in a fresh PostgreSQL schema.
func OpenPostgres(tb testing.TB) *db.DB {
	tb.Helper()
	return Open(tb, PostgresSchemaURL(tb))
}

// URL returns a fresh database URL of the given dialect for tests that start
// the whole program rather than a *db.DB.
func URL(tb testing.TB, d db.Dialect) string {
	tb.Helper()
	if d == db.Postgres {
		return PostgresSchemaURL(tb)
	}
	return SQLiteURL(tb)
}

// Each runs fn as a subtest on every dialect, each with its own fresh database.
func Each(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, OpenSQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, OpenPostgres(t)) })
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// EachDialect runs fn as a subtest per dialect, for tests that start the
// whole program and need only the dialect (PostgreSQL subtests skip when no
// server answers, unless required).
func EachDialect(t *testing.T, fn func(t *testing.T, d db.Dialect)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, db.SQLite) })
	t.Run("postgres", func(t *testing.T) {
		SkipWithoutPostgres(t)
		fn(t, db.Postgres)
	})
}
