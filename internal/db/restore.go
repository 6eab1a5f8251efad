package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// Errors Restore refuses with; match them with errors.Is.
var (
	// ErrArchiveCorrupt means the archive fails its own checks: damaged
	// gzip data, a missing trailer, or rows that do not match the trailer's
	// counts and checksums.
	ErrArchiveCorrupt = errors.New("backup archive is corrupt or truncated")
	// ErrSchemaMismatch means the archive was made at another schema version.
	ErrSchemaMismatch = errors.New("backup archive has a different schema version")
	// ErrNotEmpty means the target database already holds application rows.
	ErrNotEmpty = errors.New("database is not empty")
)

// seededTables are filled by the migrations themselves. Restore empties
// them rather than refusing the database as not empty; a migration that
// seeds rows into a table must add the table here.
var seededTables = []string{"audit_head"}

// insertParams bounds the parameters of one multi-row INSERT, well below
// SQLite's 32,766 and PostgreSQL's 65,535.
const insertParams = 8000

// Restore loads an archive into a freshly migrated database of either dialect,
// whichever dialect wrote it. It refuses, changing nothing, when the archive's
// schema version differs from the database's (ErrSchemaMismatch), when the
// archive is damaged or cut short (ErrArchiveCorrupt), or when any table
// already holds rows other than those the migrations seed (ErrNotEmpty).
// Everything loads in one write transaction, with the audit log's
// append-only triggers in place; on PostgreSQL identity sequences then
// continue after the highest restored id. progress, when not nil, is called
// every 10,000 rows and at the end of each table. The returned info lists
// the tables read so far, also on error.
func (db *DB) Restore(ctx context.Context, r io.Reader, progress func(table string, rows int64)) (BackupInfo, error) {
	ar, err := openArchive(r)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("restore: %w", err)
	}
	err = db.load(ctx, ar, progress)
	if err != nil && !errors.Is(err, ErrArchiveCorrupt) && !errors.Is(err, ErrNotEmpty) && ctx.Err() == nil {
		// Damage can surface as a bad value before the checksums are
		// reached; report the damage rather than its symptom.
		if cerr := ar.drain(); cerr != nil {
			err = fmt.Errorf("restore: %w (loading had stopped: %w)", cerr, err)
		}
	}
	return ar.info, err
}

func (db *DB) load(ctx context.Context, ar *archiveReader, progress func(string, int64)) error {
	have, err := db.SchemaVersion(ctx)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if have != ar.info.SchemaVersion {
		return fmt.Errorf("restore: %w: the archive is at version %d, this database at %d",
			ErrSchemaMismatch, ar.info.SchemaVersion, have)
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("restore: begin: %w", err)
	}
	defer tx.Rollback()
	if err := db.loadTx(ctx, tx, ar, progress); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("restore: commit: %w", err)
	}
	return nil
}

// loadTx loads the archive's tables inside tx, all or nothing.
func (db *DB) loadTx(ctx context.Context, tx *sql.Tx, ar *archiveReader, progress func(string, int64)) error {
	defs, err := listTables(ctx, tx, db.dialect)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if err := refuseNonEmpty(ctx, tx, defs); err != nil {
		return err
	}
	deferFKs := "PRAGMA defer_foreign_keys = ON"
	if db.dialect == Postgres {
		deferFKs = "SET CONSTRAINTS ALL DEFERRED" // only DEFERRABLE ones; the rest rely on the table order
	}
	if _, err := tx.ExecContext(ctx, deferFKs); err != nil {
		return fmt.Errorf("restore: defer foreign keys: %w", err)
	}
	var loaded []string
	var ld *tableLoader
	for {
		table, row, err := ar.next()
		if err != nil && err != io.EOF {
			return fmt.Errorf("restore: %w", err)
		}
		if row != nil {
			if err := ld.add(ctx, row); err != nil {
				return err
			}
			continue
		}
		if ld != nil {
			if err := ld.finish(ctx); err != nil {
				return err
			}
			loaded = append(loaded, ld.name)
			ld = nil
		}
		if err == io.EOF {
			break
		}
		var def *tableDef
		if i := slices.IndexFunc(defs, func(d *tableDef) bool { return d.name == table.Table }); i >= 0 {
			def = defs[i]
		}
		if ld, err = newTableLoader(ctx, tx, db.dialect, def, table, progress); err != nil {
			return err
		}
	}
	if db.dialect == Postgres {
		return resetSequences(ctx, tx, loaded)
	}
	return nil
}

// refuseNonEmpty returns ErrNotEmpty naming every table that holds rows,
// seeded tables apart.
func refuseNonEmpty(ctx context.Context, tx *sql.Tx, defs []*tableDef) error {
	var busy []string
	for _, t := range defs {
		if slices.Contains(seededTables, t.name) {
			continue
		}
		var one int
		err := tx.QueryRowContext(ctx, "SELECT 1 FROM "+quoteIdent(t.name)+" LIMIT 1").Scan(&one)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return fmt.Errorf("restore: check table %s is empty: %w", t.name, err)
		default:
			busy = append(busy, t.name)
		}
	}
	if len(busy) > 0 {
		return fmt.Errorf("restore: %w: %s already hold rows; restore into a freshly migrated database",
			ErrNotEmpty, strings.Join(busy, ", "))
	}
	return nil
}

// resetSequences moves every identity or serial sequence of the restored
// tables past the highest restored value, so that inserts without an id
// do not collide with restored rows.
func resetSequences(ctx context.Context, tx *sql.Tx, tables []string) error {
	rows, err := tx.QueryContext(ctx, `SELECT c.relname, a.attname, s.seq
		FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace
		JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
		CROSS JOIN LATERAL pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname) AS s(seq)
		WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND s.seq IS NOT NULL`)
	if err != nil {
		return fmt.Errorf("restore: list sequences: %w", err)
	}
	type seqCol struct{ table, col, seq string }
	var seqs []seqCol
	for rows.Next() {
		var s seqCol
		if err := rows.Scan(&s.table, &s.col, &s.seq); err != nil {
			rows.Close()
			return fmt.Errorf("restore: list sequences: %w", err)
		}
		if slices.Contains(tables, s.table) {
			seqs = append(seqs, s)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("restore: list sequences: %w", err)
	}
	for _, s := range seqs {
		q := "SELECT setval($1::regclass, GREATEST(COALESCE(MAX(" + quoteIdent(s.col) + "), 0) + 1, 1), false) FROM " + quoteIdent(s.table)
		if _, err := tx.ExecContext(ctx, q, s.seq); err != nil {
			return fmt.Errorf("restore table %s: reset sequence %s: %w", s.table, s.seq, err)
		}
	}
	return nil
}

// tableLoader inserts one table's rows in multi-row batches.
type tableLoader struct {
	tx       *sql.Tx
	dialect  Dialect
	name     string
	cols     []string
	kinds    []colKind // the target's kind for each archive column
	prefix   string    // INSERT INTO … VALUES
	perStmt  int
	full     *sql.Stmt // prepared for a full batch
	args     []any
	pending  int
	rows     int64
	progress func(string, int64)
}

func newTableLoader(ctx context.Context, tx *sql.Tx, d Dialect, def *tableDef, at *archiveTable, progress func(string, int64)) (*tableLoader, error) {
	if def == nil {
		return nil, fmt.Errorf("restore table %s: the table is not in this database's schema", at.Table)
	}
	if len(at.Columns) == 0 {
		return nil, fmt.Errorf("restore table %s: %w: no columns", at.Table, ErrArchiveCorrupt)
	}
	l := &tableLoader{tx: tx, dialect: d, name: def.name, cols: at.Columns, progress: progress}
	for _, c := range at.Columns {
		i := slices.Index(def.cols, c)
		if i < 0 {
			return nil, fmt.Errorf("restore table %s: column %s is not in this database's schema", def.name, c)
		}
		l.kinds = append(l.kinds, def.kinds[i])
	}
	l.prefix = "INSERT INTO " + quoteIdent(def.name) + " (" + quoteIdents(at.Columns) + ")"
	if d == Postgres && def.always {
		l.prefix += " OVERRIDING SYSTEM VALUE"
	}
	l.prefix += " VALUES "
	l.perStmt = max(1, insertParams/len(at.Columns))
	l.args = make([]any, 0, l.perStmt*len(at.Columns))
	if slices.Contains(seededTables, def.name) {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+quoteIdent(def.name)); err != nil {
			return nil, fmt.Errorf("restore table %s: clear seeded rows: %w", def.name, err)
		}
	}
	return l, nil
}

func (l *tableLoader) add(ctx context.Context, line []byte) error {
	vals, err := decodeRow(line)
	if err != nil {
		return fmt.Errorf("restore table %s: row %d: %w: %v", l.name, l.rows+1, ErrArchiveCorrupt, err)
	}
	if len(vals) != len(l.cols) {
		return fmt.Errorf("restore table %s: row %d: %w: %d values for %d columns", l.name, l.rows+1, ErrArchiveCorrupt, len(vals), len(l.cols))
	}
	for i, v := range vals {
		c, err := convert(v, l.kinds[i], l.dialect)
		if err != nil {
			return fmt.Errorf("restore table %s: row %d column %s: %w", l.name, l.rows+1, l.cols[i], err)
		}
		l.args = append(l.args, c)
	}
	l.pending++
	l.rows++
	if l.pending == l.perStmt {
		if err := l.flush(ctx); err != nil {
			return err
		}
	}
	if l.progress != nil && l.rows%progressEvery == 0 {
		l.progress(l.name, l.rows)
	}
	return nil
}

func (l *tableLoader) flush(ctx context.Context) error {
	if l.pending == 0 {
		return nil
	}
	var err error
	if l.pending == l.perStmt {
		if l.full == nil {
			if l.full, err = l.tx.PrepareContext(ctx, l.insertSQL(l.pending)); err != nil {
				return fmt.Errorf("restore table %s: %w", l.name, err)
			}
		}
		_, err = l.full.ExecContext(ctx, l.args...)
	} else {
		_, err = l.tx.ExecContext(ctx, l.insertSQL(l.pending), l.args...)
	}
	if err != nil {
		return fmt.Errorf("restore table %s: %w", l.name, err)
	}
	l.args, l.pending = l.args[:0], 0
	return nil
}

// finish writes the last batch and reports the table done.
func (l *tableLoader) finish(ctx context.Context) error {
	err := l.flush(ctx)
	if l.full != nil {
		l.full.Close()
	}
	if err == nil && l.progress != nil {
		l.progress(l.name, l.rows)
	}
	return err
}

// insertSQL builds the statement for n rows, with placeholders already in
// the dialect's style.
func (l *tableLoader) insertSQL(n int) string {
	var b strings.Builder
	b.WriteString(l.prefix)
	p := 0
	for r := range n {
		if r > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for c := range l.cols {
			if c > 0 {
				b.WriteByte(',')
			}
			p++
			if l.dialect == Postgres {
				b.WriteByte('$')
				b.WriteString(strconv.Itoa(p))
			} else {
				b.WriteByte('?')
			}
		}
		b.WriteByte(')')
	}
	return b.String()
}

func queryStrings(ctx context.Context, q rawQueryer, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func quoteIdent(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

func quoteIdents(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quoteIdent(n)
	}
	return strings.Join(q, ", ")
}
