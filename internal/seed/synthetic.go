package seed

import (
	"context"
	"fmt"
	"runtime"
	"time"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
)

// txChunks is the number of chunks written per transaction. On SQLite
// every transaction rewrites most leaf pages of the name and credit-code
// indexes (random keys) into the WAL, so fewer, larger transactions load
// faster: 1M rows took 82 s at 10,000 rows per transaction, 70 s at 25,000
// and 68 s at 50,000. COPY on PostgreSQL is indifferent; 10,000 rows keep
// each transaction short.
func txChunks(d db.Dialect) int {
	if d == db.SQLite {
		return 25
	}
	return 10
}

// Synthetic adds n enterprises with realistic, deterministic data: the same
// n and seed on two databases in the same state write the same rows. Firms
// are spread over all of Chongqing's streets and towns weighted by district,
// over real GB/T 4754 classes weighted by section, with one year of facts
// (fiscal 2025), the derived size class and 规上 status, and a few tags.
//
// It bypasses the enterprise service for speed (multi-row inserts in
// transactions of 25,000 rows on SQLite, COPY in transactions of 10,000 rows
// on PostgreSQL) and writes one seed.synthetic audit record instead of one
// per row. Ids continue after the largest in use, and the batch with the
// largest ids is written first (on PostgreSQL the identity sequence is moved
// past the range before that), so enterprises created meanwhile through the
// service get ids after the range. Other writers get their turn between
// transactions. An error leaves the committed batches in place.
//
// progress(done, total) is called after each transaction; it may be nil. The
// ctx must carry a principal allowed to import enterprises. Processes that
// keep an index of enterprises (eligibility) must reload it afterwards.
func Synthetic(ctx context.Context, d *db.DB, n int, seed uint64, progress func(done, total int)) error {
	kind := writerSQL
	if d.Dialect() == db.Postgres {
		kind = writerCopy
	}
	return synthetic(ctx, d, n, seed, progress, kind)
}

// writerKind selects the bulk-insert method.
type writerKind string

const (
	writerSQL  writerKind = "multirow" // multi-row INSERT … VALUES (…),(…) through database/sql
	writerCopy writerKind = "copy"     // PostgreSQL COPY through pgx
)

func synthetic(ctx context.Context, d *db.DB, n int, seed uint64, progress func(done, total int), kind writerKind) (err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("seed synthetic: %w", err)
		}
	}()
	if !identity.PrincipalFrom(ctx).Can(identity.PermEnterpriseImport) {
		return errs.Forbidden()
	}
	if n < 0 {
		return errs.Invalid("n", i18n.M("数量不能为负数", "The number of enterprises must not be negative"))
	}
	if n == 0 {
		return nil
	}
	if progress == nil {
		progress = func(int, int) {}
	}
	started := time.Now()
	if err := enterprise.EnsureDefaultTags(ctx, d); err != nil {
		return err
	}
	firstID, err := reserveIDs(ctx, d, n)
	if err != nil {
		return err
	}
	done := 0
	defer func() {
		// One audit record for the whole run, also when it stopped part-way
		// with rows committed.
		if err == nil || done > 0 {
			lastID := firstID + int64(n) - 1
			detail := map[string]any{"requested": n, "written": done, "seed": seed, "first_id": firstID,
				"last_id": lastID, "engine": string(d.Dialect()), "writer": string(kind),
				"seconds": time.Since(started).Seconds()}
			ev := audit.Event{Action: "seed.synthetic", ObjectType: "enterprise",
				ObjectID: fmt.Sprintf("%d-%d", firstID, lastID), Detail: detail}
			if err != nil {
				ev.Result, detail["error"] = audit.ResultFailed, err.Error()
			}
			if aerr := audit.WriteAlone(context.WithoutCancel(ctx), d, ev); aerr != nil && err == nil {
				err = aerr
			}
		}
	}()
	if err = writeAll(ctx, d, n, seed, firstID, kind, func(rows int) {
		done += rows
		progress(done, n)
	}); err != nil {
		return err
	}
	// Fresh statistics, so the registry's filters use the right index.
	return d.Analyze(ctx)
}

// writeAll generates and writes the rows, calling wrote after each
// transaction. It releases its connection before returning, so the caller
// can write the audit record (on SQLite there is a single writer connection).
func writeAll(ctx context.Context, d *db.DB, n int, seed uint64, firstID int64, kind writerKind, wrote func(rows int)) (err error) {
	var w bulkWriter
	if kind == writerCopy {
		w, err = newCopyWriter(ctx, d)
	} else {
		w, err = newSQLWriter(ctx, d)
	}
	if err != nil {
		return err
	}
	defer func() {
		if cerr := w.close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	wrote(0)
	// The chunk with the largest ids goes first, in a transaction of its
	// own: from then on an enterprise created meanwhile through the service
	// gets an id above the whole range (SQLite takes the largest id + 1).
	total := (n + chunkRows - 1) / chunkRows
	last, err := genChunk(seed, total-1, n, firstID)
	if err != nil {
		return err
	}
	if err := w.write(ctx, []*synChunk{last}); err != nil {
		return err
	}
	wrote(len(last.rows))

	gctx, cancel := context.WithCancel(ctx)
	defer cancel()
	gen := startGenerators(gctx, seed, n, firstID, total-1)
	per := txChunks(d.Dialect())
	batch := make([]*synChunk, 0, per)
	for no := 0; no < gen.chunks; no++ {
		c, err := gen.next(gctx, no)
		if err != nil {
			return err
		}
		batch = append(batch, c)
		if len(batch) < per && no < gen.chunks-1 {
			continue
		}
		if err := w.write(ctx, batch); err != nil {
			return err
		}
		rows := 0
		for _, c := range batch {
			rows += len(c.rows)
		}
		batch = batch[:0]
		wrote(rows)
	}
	return nil
}

// reserveIDs returns the first id of n new enterprises: one after the largest
// in use. On PostgreSQL it also moves the identity sequence past the range so
// that concurrent inserts through the service do not take those ids.
func reserveIDs(ctx context.Context, d *db.DB, n int) (int64, error) {
	var first int64
	err := d.InTx(ctx, func(tx *db.Tx) error {
		var maxID int64
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM enterprises").Scan(&maxID); err != nil {
			return fmt.Errorf("max enterprise id: %w", err)
		}
		first = maxID + 1
		if d.Dialect() != db.Postgres {
			return nil
		}
		var next int64
		if err := tx.QueryRowContext(ctx, "SELECT nextval(pg_get_serial_sequence('enterprises', 'id'))").Scan(&next); err != nil {
			return fmt.Errorf("enterprise id sequence: %w", err)
		}
		first = max(first, next)
		_, err := tx.ExecContext(ctx, "SELECT setval(pg_get_serial_sequence('enterprises', 'id'), ?)", first+int64(n)-1)
		return err
	})
	return first, err
}

// generators produce chunks in parallel: worker k makes chunks k, k+W, …
// into its own channel, so reading the channels round-robin gives the
// chunks in order.
type generators struct {
	chunks int
	outs   []chan genResult
}

type genResult struct {
	c   *synChunk
	err error
}

// startGenerators starts making chunks 0 to chunks-1 of a run of n rows.
func startGenerators(ctx context.Context, seed uint64, n int, firstID int64, chunks int) *generators {
	g := &generators{chunks: chunks}
	workers := max(1, min(runtime.GOMAXPROCS(0), 4, chunks))
	g.outs = make([]chan genResult, workers)
	for k := range workers {
		ch := make(chan genResult, 2)
		g.outs[k] = ch
		go func() {
			defer close(ch)
			for no := k; no < g.chunks; no += workers {
				c, err := genChunk(seed, no, n, firstID)
				select {
				case ch <- genResult{c, err}:
				case <-ctx.Done():
					return
				}
				if err != nil {
					return
				}
			}
		}()
	}
	return g
}

// next returns chunk no; chunks must be asked for in order.
func (g *generators) next(ctx context.Context, no int) (*synChunk, error) {
	select {
	case res, ok := <-g.outs[no%len(g.outs)]:
		if !ok {
			return nil, fmt.Errorf("chunk %d: generator stopped: %w", no, context.Cause(ctx))
		}
		return res.c, res.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
