// Package db opens the platform's database — embedded SQLite by default,
// PostgreSQL for production — behind one small API: a write transaction
// helper, a read pool, per-dialect embedded migrations and portable SQL with
// `?` placeholders that are rewritten for PostgreSQL.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// Dialect names the SQL engine behind a DB.
type Dialect string

// The supported dialects.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is an open database. On SQLite it holds a single-connection writer pool
// (so writers queue in Go instead of failing with "database is locked") beside
// a read pool; on PostgreSQL both are the same pool.
type DB struct {
	dialect Dialect
	w       *sql.DB
	r       *sql.DB
	path    string // SQLite file path; empty on PostgreSQL
	url     string // redacted
}

// Open opens the database named by rawURL: "sqlite:///abs/file.db",
// "sqlite://relative/file.db" or "postgres://user@host/db?…". It does not
// migrate; call Migrate.
func Open(ctx context.Context, rawURL string) (*DB, error) {
	switch {
	case strings.HasPrefix(rawURL, "sqlite://"):
		return openSQLite(ctx, strings.TrimPrefix(rawURL, "sqlite://"))
	case strings.HasPrefix(rawURL, "postgres://"), strings.HasPrefix(rawURL, "postgresql://"):
		return openPostgres(ctx, rawURL)
	default:
		return nil, fmt.Errorf("open database: unsupported URL %q (want sqlite:// or postgres://)", Redact(rawURL))
	}
}

// sqlitePragmas are applied on every connection. busy_timeout comes first so
// that the following pragmas already wait instead of failing. synchronous=FULL
// makes every acknowledged commit survive power loss and kill -9, which case
// and money writes need. cache_size gives each connection 32 MiB of page
// cache (the default 2 MiB makes bulk work disk-bound).
const sqlitePragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=foreign_keys(1)&_pragma=cache_size(-32768)&_time_format=sqlite&_timezone=UTC"

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	if path == "" {
		return nil, errors.New("open sqlite: empty file path")
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
	}
	w, err := sql.Open("sqlite", path+"?"+sqlitePragmas+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open sqlite writer: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	// The writer goes first so that the file exists in WAL mode before readers open it.
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	// Gather planner statistics for tables that lack or have outgrown them
	// (bounded work; SQLite's recommended call when a connection opens).
	if _, err := w.ExecContext(ctx, "PRAGMA analysis_limit=2000; PRAGMA optimize=0x10002"); err != nil {
		w.Close()
		return nil, fmt.Errorf("optimize sqlite %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", path+"?"+sqlitePragmas+"&_query_only=1")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite reader: %w", err)
	}
	n := max(4, runtime.GOMAXPROCS(0)*2)
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	return &DB{dialect: SQLite, w: w, r: r, path: path, url: "sqlite://" + path}, nil
}

func openPostgres(ctx context.Context, rawURL string) (*DB, error) {
	p, err := sql.Open("pgx", rawURL)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	p.SetMaxOpenConns(32)
	p.SetMaxIdleConns(8)
	p.SetConnMaxIdleTime(5 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := p.PingContext(pctx); err != nil {
		p.Close()
		return nil, fmt.Errorf("open postgres %s: %w", Redact(rawURL), err)
	}
	return &DB{dialect: Postgres, w: p, r: p, url: Redact(rawURL)}, nil
}

// Redact hides the password in a database URL so it can be logged.
func Redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.User == nil {
		return rawURL
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// Dialect reports which engine this DB talks to.
func (db *DB) Dialect() Dialect { return db.dialect }

// URL is the redacted database URL.
func (db *DB) URL() string { return db.url }

// Path is the SQLite file path, or "" on PostgreSQL.
func (db *DB) Path() string { return db.path }

// Close closes both pools.
func (db *DB) Close() error {
	err := db.w.Close()
	if db.r != db.w {
		err = errors.Join(err, db.r.Close())
	}
	return err
}

// Analyze refreshes the query planner's statistics in full; bulk loads call
// it so that the planner picks the selective index. (The bounded sampling
// done when a connection opens misjudges skewed columns such as the size
// class, where most firms are micro.)
func (db *DB) Analyze(ctx context.Context) error {
	q := "ANALYZE"
	if db.dialect == SQLite {
		q = "PRAGMA analysis_limit=0; ANALYZE"
	}
	if _, err := db.w.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	return nil
}

// Ping checks that the database answers a query.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	return db.r.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Queryer is what read helpers need; both *DB (its read pool) and *Tx have it.
type Queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	Dialect() Dialect
}

// QueryContext runs a read query on the read pool.
func (db *DB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return db.r.QueryContext(ctx, db.rebind(query), args...)
}

// QueryRowContext runs a single-row read query on the read pool.
func (db *DB) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return db.r.QueryRowContext(ctx, db.rebind(query), args...)
}

// Tx is a write transaction. Its methods take `?` placeholders.
type Tx struct {
	tx      *sql.Tx
	dialect Dialect
	before  []func() error
	after   []func()
	values  map[any]any
}

// Dialect reports the engine of the transaction's database.
func (tx *Tx) Dialect() Dialect { return tx.dialect }

// ExecContext executes a statement inside the transaction.
func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return tx.tx.ExecContext(ctx, rebind(tx.dialect, query), args...)
}

// QueryContext runs a query inside the transaction.
func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return tx.tx.QueryContext(ctx, rebind(tx.dialect, query), args...)
}

// QueryRowContext runs a single-row query inside the transaction.
func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return tx.tx.QueryRowContext(ctx, rebind(tx.dialect, query), args...)
}

// BeforeCommit registers fn to run, in order, just before the transaction
// commits; an error rolls it back. The audit trail appends its records here
// so that its chain lock is always the last lock a transaction takes.
func (tx *Tx) BeforeCommit(fn func() error) { tx.before = append(tx.before, fn) }

// Value returns what SetValue stored under key in this transaction.
func (tx *Tx) Value(key any) any { return tx.values[key] }

// SetValue stores a value for the life of the transaction.
func (tx *Tx) SetValue(key, v any) {
	if tx.values == nil {
		tx.values = map[any]any{}
	}
	tx.values[key] = v
}

// AfterCommit registers fn to run once the transaction has committed, for
// side effects (index updates, notifications) that must not happen on rollback.
func (tx *Tx) AfterCommit(fn func()) { tx.after = append(tx.after, fn) }

// InTx runs fn in a write transaction and commits when fn returns nil. On
// SQLite the transaction begins IMMEDIATE on the single writer connection.
func (db *DB) InTx(ctx context.Context, fn func(tx *Tx) error) (err error) {
	stx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	tx := &Tx{tx: stx, dialect: db.dialect}
	defer func() {
		if p := recover(); p != nil {
			_ = stx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = stx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	for i := 0; i < len(tx.before); i++ {
		if err = tx.before[i](); err != nil {
			return err
		}
	}
	if err = stx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	for _, f := range tx.after {
		f()
	}
	return nil
}

// Writer exposes the write pool for bulk loaders (seeding, restore) that
// manage their own batching. Ordinary code uses InTx.
func (db *DB) Writer() *sql.DB { return db.w }

// Rebind rewrites `?` placeholders for this DB's dialect.
func (db *DB) Rebind(query string) string { return rebind(db.dialect, query) }

func (db *DB) rebind(q string) string { return rebind(db.dialect, q) }
