package db

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations
var migrationFS embed.FS

// Migration is one schema step; files are named NNNN_name.sql per dialect.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations lists the embedded migrations for a dialect in order.
func Migrations(d Dialect) ([]Migration, error) {
	dir := path.Join("migrations", string(d))
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var out []Migration
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, rest, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must be NNNN_name.sql", name)
		}
		b, err := fs.ReadFile(migrationFS, path.Join(dir, name))
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: v, Name: strings.TrimSuffix(rest, ".sql"), SQL: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i := range out {
		if out[i].Version != i+1 {
			return nil, fmt.Errorf("migrations for %s: expected version %d, found %d", d, i+1, out[i].Version)
		}
	}
	return out, nil
}

// SchemaVersion is the highest migration version applied, 0 on an empty database.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var exists bool
	q := "SELECT count(*) > 0 FROM sqlite_master WHERE type='table' AND name='schema_migrations'"
	if db.dialect == Postgres {
		q = "SELECT to_regclass('schema_migrations') IS NOT NULL"
	}
	if err := db.w.QueryRowContext(ctx, q).Scan(&exists); err != nil {
		return 0, fmt.Errorf("schema version: %w", err)
	}
	if !exists {
		return 0, nil
	}
	var v int
	err := db.w.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v)
	return v, err
}

// Migrate applies every embedded migration not yet applied, each in its own
// transaction. On PostgreSQL an advisory lock keeps concurrent nodes from
// migrating at the same time. It returns the versions it applied.
func (db *DB) Migrate(ctx context.Context) ([]int, error) {
	migs, err := Migrations(db.dialect)
	if err != nil {
		return nil, err
	}
	if db.dialect == Postgres {
		conn, err := db.w.Conn(ctx)
		if err != nil {
			return nil, err
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(7263001)"); err != nil {
			return nil, fmt.Errorf("migrate lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(7263001)")
	}
	create := `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMP NOT NULL)`
	if _, err := db.w.ExecContext(ctx, create); err != nil {
		return nil, fmt.Errorf("create schema_migrations: %w", err)
	}
	cur, err := db.SchemaVersion(ctx)
	if err != nil {
		return nil, err
	}
	if cur > len(migs) {
		return nil, fmt.Errorf("database schema version %d is newer than this binary knows (%d)", cur, len(migs))
	}
	var applied []int
	for _, m := range migs[cur:] {
		err := db.InTx(ctx, func(tx *Tx) error {
			if _, err := tx.tx.ExecContext(ctx, m.SQL); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", m.Version, m.Name, time.Now().UTC())
			return err
		})
		if err != nil {
			return applied, fmt.Errorf("migration %04d_%s: %w", m.Version, m.Name, err)
		}
		applied = append(applied, m.Version)
	}
	return applied, nil
}
