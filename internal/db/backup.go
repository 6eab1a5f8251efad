package db

import (
	"bufio"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// progressEvery is how many rows pass between progress reports.
const progressEvery = 10_000

// BackupInfo describes an archive: its header and, once read or written in
// full, every table it holds.
type BackupInfo struct {
	Format        string      `json:"format"`
	SchemaVersion int         `json:"schema_version"`
	Dialect       Dialect     `json:"dialect"`
	CreatedAt     time.Time   `json:"created_at"`
	Tables        []TableInfo `json:"tables,omitempty"`
}

// TableInfo is one table of an archive: its row count and the hex SHA-256
// of its encoded rows.
type TableInfo struct {
	Name   string `json:"name"`
	Rows   int64  `json:"rows"`
	SHA256 string `json:"sha256"`
}

// colKind is the portable type of a column, derived from its declared type.
type colKind string

const (
	kindInt   colKind = "int"
	kindFloat colKind = "float"
	kindText  colKind = "text"
	kindBool  colKind = "bool"
	kindTime  colKind = "time"
	kindBytes colKind = "bytes"
	kindOther colKind = "other" // passed through as the driver returns it
)

// tableDef is an application table as the live schema describes it.
type tableDef struct {
	name    string
	cols    []string
	kinds   []colKind
	pk      []string // primary-key columns in key order
	parents []string // tables its foreign keys reference
	always  bool     // has a GENERATED ALWAYS identity (PostgreSQL)
}

// rawQueryer runs SQL that is already in the dialect's placeholder style.
type rawQueryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Backup writes a consistent snapshot of every application table to w as a
// portable archive (gzip'ed JSON lines) that Restore loads into either
// dialect. All tables are read in one read-only transaction, so the archive
// is a single point in time even while the platform keeps writing.
// schema_migrations is not copied; its version goes into the header.
// progress, when not nil, is called every 10,000 rows and at the end of
// each table. w is not closed.
func (db *DB) Backup(ctx context.Context, w io.Writer, progress func(table string, rows int64)) (BackupInfo, error) {
	opts := &sql.TxOptions{ReadOnly: true} // a deferred BEGIN: WAL pins the snapshot at the first read
	if db.dialect == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := db.r.BeginTx(ctx, opts)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("backup: begin snapshot: %w", err)
	}
	defer tx.Rollback()
	info := BackupInfo{Format: ArchiveFormat, Dialect: db.dialect, CreatedAt: time.Now().UTC()}
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&info.SchemaVersion); err != nil {
		return info, fmt.Errorf("backup: schema version: %w", err)
	}
	tables, err := listTables(ctx, tx, db.dialect)
	if err != nil {
		return info, fmt.Errorf("backup: %w", err)
	}
	zw := gzip.NewWriter(w)
	bw := bufio.NewWriterSize(zw, 256<<10)
	if err := writeJSONLine(bw, info); err != nil {
		return info, fmt.Errorf("backup: header: %w", err)
	}
	for _, t := range tables {
		ti, err := dumpTable(ctx, tx, bw, t, progress)
		if err != nil {
			return info, fmt.Errorf("backup table %s: %w", t.name, err)
		}
		info.Tables = append(info.Tables, ti)
	}
	trailer := struct {
		End    bool        `json:"end"`
		Tables []TableInfo `json:"tables"`
	}{true, info.Tables}
	if err := writeJSONLine(bw, trailer); err != nil {
		return info, fmt.Errorf("backup: trailer: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return info, fmt.Errorf("backup: write: %w", err)
	}
	if err := zw.Close(); err != nil {
		return info, fmt.Errorf("backup: write: %w", err)
	}
	return info, nil
}

func writeJSONLine(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// dumpTable writes a table's header line and its rows in primary-key order
// (by its columns for a table without one), so equal data gives equal bytes.
func dumpTable(ctx context.Context, db rawQueryer, w io.Writer, t *tableDef, progress func(string, int64)) (TableInfo, error) {
	types := make([]string, len(t.kinds))
	for i, k := range t.kinds {
		types[i] = string(k)
	}
	head := struct {
		Table   string   `json:"table"`
		Columns []string `json:"columns"`
		Types   []string `json:"types"`
	}{t.name, t.cols, types}
	if err := writeJSONLine(w, head); err != nil {
		return TableInfo{}, err
	}
	order := t.pk
	if len(order) == 0 { // every column the engine surely can sort (not json, say)
		for i, c := range t.cols {
			if t.kinds[i] != kindOther {
				order = append(order, c)
			}
		}
	}
	q := "SELECT " + quoteIdents(t.cols) + " FROM " + quoteIdent(t.name)
	if len(order) > 0 {
		q += " ORDER BY " + quoteIdents(order)
	}
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return TableInfo{}, err
	}
	defer rows.Close()
	vals := make([]any, len(t.cols))
	ptrs := make([]any, len(t.cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	h := sha256.New()
	var n int64
	var line []byte
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return TableInfo{}, err
		}
		line = append(line[:0], '[')
		for i, v := range vals {
			if i > 0 {
				line = append(line, ',')
			}
			if line, err = appendValue(line, v, t.kinds[i]); err != nil {
				return TableInfo{}, fmt.Errorf("column %s: %w", t.cols[i], err)
			}
		}
		line = append(line, ']', '\n')
		h.Write(line)
		if _, err := w.Write(line); err != nil {
			return TableInfo{}, err
		}
		if n++; progress != nil && n%progressEvery == 0 {
			progress(t.name, n)
		}
	}
	if err := rows.Err(); err != nil {
		return TableInfo{}, err
	}
	if progress != nil {
		progress(t.name, n)
	}
	return TableInfo{Name: t.name, Rows: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// listTables describes the application tables of the live schema — on
// PostgreSQL the current_schema() — parents before children.
func listTables(ctx context.Context, q rawQueryer, d Dialect) ([]*tableDef, error) {
	var tables []*tableDef
	var err error
	if d == Postgres {
		tables, err = postgresTables(ctx, q)
	} else {
		tables, err = sqliteTables(ctx, q)
	}
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	return orderByDependencies(tables), nil
}

func sqliteTables(ctx context.Context, q rawQueryer) ([]*tableDef, error) {
	// Virtual tables (FTS) and their shadow tables are derived data and not
	// listed as type 'table'.
	names, err := queryStrings(ctx, q, `SELECT name FROM pragma_table_list
		WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' AND name <> 'schema_migrations'`)
	if err != nil {
		return nil, err
	}
	var out []*tableDef
	for _, name := range names {
		t := &tableDef{name: name}
		rows, err := q.QueryContext(ctx, "SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid", name)
		if err != nil {
			return nil, err
		}
		pk := map[int]string{}
		for rows.Next() {
			var col, typ string
			var pos int
			if err := rows.Scan(&col, &typ, &pos); err != nil {
				rows.Close()
				return nil, err
			}
			t.cols = append(t.cols, col)
			t.kinds = append(t.kinds, sqliteKind(typ))
			if pos > 0 {
				pk[pos] = col
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		for i := 1; i <= len(pk); i++ {
			t.pk = append(t.pk, pk[i])
		}
		if t.parents, err = queryStrings(ctx, q, `SELECT DISTINCT "table" FROM pragma_foreign_key_list(?)`, name); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

func postgresTables(ctx context.Context, q rawQueryer) ([]*tableDef, error) {
	rows, err := q.QueryContext(ctx, `SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
			a.attidentity = 'a', COALESCE(array_position(i.indkey::int2[], a.attnum), 0)
		FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace
		JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
		LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
		WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition
			AND c.relname <> 'schema_migrations'
		ORDER BY c.relname, a.attnum`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byName := map[string]*tableDef{}
	var out []*tableDef
	pks := map[*tableDef]map[int]string{}
	for rows.Next() {
		var table, col, typ string
		var always bool
		var pos int
		if err := rows.Scan(&table, &col, &typ, &always, &pos); err != nil {
			return nil, err
		}
		t := byName[table]
		if t == nil {
			t = &tableDef{name: table}
			byName[table] = t
			pks[t] = map[int]string{}
			out = append(out, t)
		}
		t.cols = append(t.cols, col)
		t.kinds = append(t.kinds, postgresKind(typ))
		t.always = t.always || always
		if pos > 0 {
			pks[t][pos] = col
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for t, pk := range pks {
		for i := 1; i <= len(pk); i++ {
			t.pk = append(t.pk, pk[i])
		}
	}
	fks, err := q.QueryContext(ctx, `SELECT DISTINCT c.relname, p.relname FROM pg_constraint k
		JOIN pg_class c ON c.oid = k.conrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace
		JOIN pg_class p ON p.oid = k.confrelid
		WHERE k.contype = 'f' AND n.nspname = current_schema()`)
	if err != nil {
		return nil, err
	}
	defer fks.Close()
	for fks.Next() {
		var child, parent string
		if err := fks.Scan(&child, &parent); err != nil {
			return nil, err
		}
		if t := byName[child]; t != nil {
			t.parents = append(t.parents, parent)
		}
	}
	return out, fks.Err()
}

func sqliteKind(declared string) colKind {
	t := strings.ToUpper(declared)
	switch {
	case strings.Contains(t, "BOOL"):
		return kindBool
	case strings.Contains(t, "INT"):
		return kindInt
	case strings.Contains(t, "TIMESTAMP"), strings.Contains(t, "DATETIME"), t == "DATE":
		return kindTime
	case strings.Contains(t, "CHAR"), strings.Contains(t, "CLOB"), strings.Contains(t, "TEXT"):
		return kindText
	case strings.Contains(t, "BLOB"):
		return kindBytes
	case strings.Contains(t, "REAL"), strings.Contains(t, "FLOA"), strings.Contains(t, "DOUB"):
		return kindFloat
	}
	return kindOther
}

func postgresKind(formatted string) colKind {
	switch {
	case formatted == "boolean":
		return kindBool
	case formatted == "smallint", formatted == "integer", formatted == "bigint":
		return kindInt
	case formatted == "real", formatted == "double precision":
		return kindFloat
	case strings.HasPrefix(formatted, "timestamp"), formatted == "date":
		return kindTime
	case formatted == "text", strings.HasPrefix(formatted, "character"):
		return kindText
	case formatted == "bytea":
		return kindBytes
	}
	return kindOther
}

// orderByDependencies sorts tables so that each comes after the tables its
// foreign keys reference, picking the alphabetically first ready table at
// each step so the order is stable. Self-references are ignored; a cycle is
// broken alphabetically (Restore defers foreign-key checks to commit where
// the engine allows).
func orderByDependencies(tables []*tableDef) []*tableDef {
	slices.SortFunc(tables, func(a, b *tableDef) int { return strings.Compare(a.name, b.name) })
	known := map[string]bool{}
	for _, t := range tables {
		known[t.name] = true
	}
	placed := map[string]bool{}
	out := make([]*tableDef, 0, len(tables))
	for len(out) < len(tables) {
		next := -1
		for i, t := range tables {
			if placed[t.name] {
				continue
			}
			if next < 0 {
				next = i // fallback for a cycle
			}
			ready := !slices.ContainsFunc(t.parents, func(p string) bool {
				return p != t.name && known[p] && !placed[p]
			})
			if ready {
				next = i
				break
			}
		}
		placed[tables[next].name] = true
		out = append(out, tables[next])
	}
	return out
}
