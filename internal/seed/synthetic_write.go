package seed

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/qinqing/qinqing/internal/db"
)

// bulkWriter writes chunks of synthetic rows, one transaction per call.
type bulkWriter interface {
	write(ctx context.Context, chunks []*synChunk) error
	close() error
}

// sqlWriter uses multi-row INSERT … VALUES (…),(…) statements through
// database/sql; it works on both engines. A statement holds at most
// chunkRows rows (bulkTable.piece): 23,000 parameters for enterprises, under
// SQLite's limit of 32,766 and PostgreSQL's of 65,535.
//
// On SQLite it takes the single writer connection for each transaction
// only, so that other writers (sessions, job progress) get their turn in
// between, and gives it a larger page cache for the run: with the default
// 2 MB, inserting into the name and credit-code indexes spills and re-reads
// pages on every statement, and the load is I/O-bound. close restores the
// setting. (An in-memory statement journal, temp_store=MEMORY, made it
// slower: the allocator returns each freed page to the OS.)
type sqlWriter struct {
	d         *db.DB
	cacheSize int               // the SQLite writer's page cache setting before the run
	stmts     map[string]string // "table/rows" → statement text
	args      []any
}

// sqliteBulkCacheKiB is the SQLite page cache while loading (128 MiB; 256
// MiB was no faster for 1M rows).
const sqliteBulkCacheKiB = 128 * 1024

func newSQLWriter(ctx context.Context, d *db.DB) (*sqlWriter, error) {
	w := &sqlWriter{d: d, stmts: map[string]string{}}
	if d.Dialect() == db.SQLite {
		if err := d.Writer().QueryRowContext(ctx, "PRAGMA cache_size").Scan(&w.cacheSize); err != nil {
			return nil, fmt.Errorf("read cache_size: %w", err)
		}
	}
	return w, nil
}

// close restores the SQLite writer's page cache, which also frees it.
func (w *sqlWriter) close() error {
	if w.d.Dialect() != db.SQLite {
		return nil
	}
	if _, err := w.d.Writer().ExecContext(context.Background(), fmt.Sprintf("PRAGMA cache_size = %d", w.cacheSize)); err != nil {
		return fmt.Errorf("restore cache_size: %w", err)
	}
	return nil
}

// insert returns the statement inserting rows rows into table, with `?`
// placeholders on SQLite and `$n` on PostgreSQL (written directly rather
// than through db.Rebind, whose cache would keep every size forever).
func (w *sqlWriter) insert(table string, cols []string, rows int) string {
	key := table + "/" + strconv.Itoa(rows)
	if q, ok := w.stmts[key]; ok {
		return q
	}
	var b strings.Builder
	b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
	pg := w.d.Dialect() == db.Postgres
	n := 0
	for r := range rows {
		if r > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for c := range cols {
			if c > 0 {
				b.WriteByte(',')
			}
			n++
			if pg {
				b.WriteByte('$')
				b.WriteString(strconv.Itoa(n))
			} else {
				b.WriteByte('?')
			}
		}
		b.WriteByte(')')
	}
	q := b.String()
	w.stmts[key] = q
	return q
}

// bulkTable is a bulk-insert target. Rows go in statements of piece rows,
// prepared once per transaction, and one statement for the remainder:
// parsing a statement of thousands of parameters costs about as much as
// running it.
type bulkTable struct {
	name  string
	cols  []string
	piece int
}

var (
	entTable  = bulkTable{"enterprises", entColumns, chunkRows}
	factTable = bulkTable{"enterprise_facts", factColumns, 250}
	tagTable  = bulkTable{"enterprise_tags", tagColumns, 100}
)

// exec inserts rows rows of t whose values are w.args.
func (w *sqlWriter) exec(ctx context.Context, tx *sql.Tx, prepared map[string]*sql.Stmt, t bulkTable, rows int) error {
	args := w.args
	for rows > 0 {
		n := min(rows, t.piece)
		var err error
		if n == t.piece {
			st := prepared[t.name]
			if st == nil {
				if st, err = tx.PrepareContext(ctx, w.insert(t.name, t.cols, n)); err != nil {
					return fmt.Errorf("prepare insert into %s: %w", t.name, err)
				}
				prepared[t.name] = st
			}
			_, err = st.ExecContext(ctx, args[:n*len(t.cols)]...)
		} else {
			_, err = tx.ExecContext(ctx, w.insert(t.name, t.cols, n), args[:n*len(t.cols)]...)
		}
		if err != nil {
			return fmt.Errorf("insert %d rows into %s: %w", n, t.name, err)
		}
		args, rows = args[n*len(t.cols):], rows-n
	}
	return nil
}

func (w *sqlWriter) write(ctx context.Context, chunks []*synChunk) (err error) {
	conn, err := w.d.Writer().Conn(ctx)
	if err != nil {
		return fmt.Errorf("writer connection: %w", err)
	}
	defer conn.Close()
	if w.d.Dialect() == db.SQLite {
		// Per connection; normally the same one every time, so this only
		// grows the cache on the first call.
		if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = -%d", sqliteBulkCacheKiB)); err != nil {
			return fmt.Errorf("set cache_size: %w", err)
		}
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	prepared := map[string]*sql.Stmt{} // closed with the transaction
	for _, c := range chunks {
		w.args = w.args[:0]
		for i := range c.rows {
			w.args = append(w.args, c.rows[i].ent[:]...)
		}
		if err := w.exec(ctx, tx, prepared, entTable, len(c.rows)); err != nil {
			return err
		}
		w.args = w.args[:0]
		facts := 0
		for i := range c.rows {
			if c.rows[i].hasFacts {
				w.args = append(w.args, c.rows[i].fact[:]...)
				facts++
			}
		}
		if err := w.exec(ctx, tx, prepared, factTable, facts); err != nil {
			return err
		}
		w.args = w.args[:0]
		for i := range c.rows {
			for _, t := range c.rows[i].tags {
				w.args = append(w.args, t[:]...)
			}
		}
		if err := w.exec(ctx, tx, prepared, tagTable, c.tags); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// copyWriter uses PostgreSQL's COPY protocol through the pgx connection
// under database/sql, three COPYs (enterprises, facts, tags) per transaction.
type copyWriter struct {
	conn *sql.Conn
}

func newCopyWriter(ctx context.Context, d *db.DB) (*copyWriter, error) {
	conn, err := d.Writer().Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("copy connection: %w", err)
	}
	return &copyWriter{conn: conn}, nil
}

func (w *copyWriter) close() error { return w.conn.Close() }

func (w *copyWriter) write(ctx context.Context, chunks []*synChunk) error {
	return w.conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("copy needs a pgx connection, have %T", dc)
		}
		tx, err := sc.Conn().Begin(ctx)
		if err != nil {
			return fmt.Errorf("begin: %w", err)
		}
		defer func() { _ = tx.Rollback(ctx) }() // a no-op after Commit
		for _, t := range []struct {
			table string
			cols  []string
			src   pgx.CopyFromSource
		}{
			{"enterprises", entColumns, &rowSource{chunks: chunks, row: -1, values: func(r *synRow) [][]any { return [][]any{r.ent[:]} }}},
			{"enterprise_facts", factColumns, &rowSource{chunks: chunks, row: -1, values: func(r *synRow) [][]any {
				if !r.hasFacts {
					return nil
				}
				return [][]any{r.fact[:]}
			}}},
			{"enterprise_tags", tagColumns, &rowSource{chunks: chunks, row: -1, values: func(r *synRow) [][]any {
				out := make([][]any, len(r.tags))
				for i := range r.tags {
					out[i] = r.tags[i][:]
				}
				return out
			}}},
		} {
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{t.table}, t.cols, t.src); err != nil {
				return fmt.Errorf("copy into %s: %w", t.table, err)
			}
		}
		if err := tx.Commit(ctx); err != nil {
			return fmt.Errorf("commit: %w", err)
		}
		return nil
	})
}

// rowSource walks the rows of some chunks as a pgx.CopyFromSource; values
// gives the table rows (zero or more) one synthetic row contributes.
type rowSource struct {
	chunks     []*synChunk
	chunk, row int
	pending    [][]any
	values     func(r *synRow) [][]any
}

func (s *rowSource) Next() bool {
	if len(s.pending) > 1 {
		s.pending = s.pending[1:]
		return true
	}
	for s.chunk < len(s.chunks) {
		s.row++
		if s.row >= len(s.chunks[s.chunk].rows) {
			s.chunk, s.row = s.chunk+1, -1
			continue
		}
		if s.pending = s.values(&s.chunks[s.chunk].rows[s.row]); len(s.pending) > 0 {
			return true
		}
	}
	s.pending = nil
	return false
}

func (s *rowSource) Values() ([]any, error) { return s.pending[0], nil }

func (s *rowSource) Err() error { return nil }
