package db_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
)

func TestMigrateIsIdempotent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		applied, err := d.Migrate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) != 0 {
			t.Errorf("second migrate applied %v, want nothing", applied)
		}
		migs, _ := db.Migrations(d.Dialect())
		v, err := d.SchemaVersion(ctx)
		if err != nil || v != len(migs) {
			t.Errorf("schema version = %d, %v; want %d", v, err, len(migs))
		}
	})
}

func TestBothDialectsHaveTheSameMigrations(t *testing.T) {
	s, err := db.Migrations(db.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	p, err := db.Migrations(db.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	if len(s) != len(p) {
		t.Fatalf("sqlite has %d migrations, postgres %d", len(s), len(p))
	}
	for i := range s {
		if s[i].Name != p[i].Name {
			t.Errorf("migration %d: sqlite %q, postgres %q", i+1, s[i].Name, p[i].Name)
		}
	}
}

func TestRebindSkipsQuotedQuestionMarks(t *testing.T) {
	d := dbtest.OpenSQLite(t)
	if got := d.Rebind("SELECT ?"); got != "SELECT ?" {
		t.Errorf("sqlite rebind changed the query: %q", got)
	}
	pg := dbtest.OpenPostgres(t)
	got := pg.Rebind(`SELECT '?', "a?" FROM t WHERE a = ? AND b = ?`)
	want := `SELECT '?', "a?" FROM t WHERE a = $1 AND b = $2`
	if got != want {
		t.Errorf("rebind = %q, want %q", got, want)
	}
}

func TestInTxRollsBackOnError(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		boom := errors.New("boom")
		err := d.InTx(ctx, func(tx *db.Tx) error {
			if _, err := tx.ExecContext(ctx, "INSERT INTO departments (code, name) VALUES (?, ?)", "X1", "测试部门"); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx error = %v, want boom", err)
		}
		var n int
		if err := d.QueryRowContext(ctx, "SELECT count(*) FROM departments").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("rolled-back insert is visible: %d rows", n)
		}
	})
}

func TestUniqueViolationIsRecognisedOnBothEngines(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		ins := func() error {
			return d.InTx(ctx, func(tx *db.Tx) error {
				_, err := tx.ExecContext(ctx, "INSERT INTO departments (code, name) VALUES (?, ?)", "X1", "测试部门")
				return err
			})
		}
		if err := ins(); err != nil {
			t.Fatal(err)
		}
		if err := ins(); !db.IsUniqueViolation(err) {
			t.Errorf("duplicate insert error %v is not recognised as a unique violation", err)
		}
	})
}

func TestConcurrentWritersDoNotFail(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var wg sync.WaitGroup
		errs := make(chan error, 50)
		for i := range 50 {
			wg.Go(func() {
				errs <- d.InTx(ctx, func(tx *db.Tx) error {
					_, err := tx.ExecContext(ctx, "INSERT INTO institutions (code, name) VALUES (?, ?)", "B"+string(rune('A'+i%26))+string(rune('a'+i/26)), "银行")
					return err
				})
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Error(err)
			}
		}
		var n int
		d.QueryRowContext(ctx, "SELECT count(*) FROM institutions").Scan(&n)
		if n != 50 {
			t.Errorf("got %d rows, want 50", n)
		}
	})
}

func TestAuditLogRejectsUpdateAndDelete(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		err := d.InTx(ctx, func(tx *db.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (id, at, actor, role, ip, action, object_type, object_id, result, request_id, detail, prev_hash, hash)
				VALUES (1, ?, 'a', 'admin', '', 'x', 'y', 'z', 'ok', '', '{}', '', 'h')`, nowUTC())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"UPDATE audit_log SET actor = 'b'", "DELETE FROM audit_log"} {
			err := d.InTx(ctx, func(tx *db.Tx) error { _, err := tx.ExecContext(ctx, q); return err })
			if err == nil {
				t.Errorf("%s succeeded on the append-only audit log", q)
			}
		}
	})
}

// TestSQLiteIsDurableAndSafe checks the pragmas every connection gets:
// WAL, synchronous=FULL (commits survive power loss, not only a killed
// process), foreign keys on and a busy timeout.
func TestSQLiteIsDurableAndSafe(t *testing.T) {
	d := dbtest.OpenSQLite(t)
	ctx := context.Background()
	for _, c := range []struct {
		pragma string
		want   string
	}{{"journal_mode", "wal"}, {"synchronous", "2"}, {"foreign_keys", "1"}, {"busy_timeout", "10000"}} {
		var got string
		if err := d.QueryRowContext(ctx, "PRAGMA "+c.pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("read pool: PRAGMA %s = %s, want %s", c.pragma, got, c.want)
		}
		err := d.InTx(ctx, func(tx *db.Tx) error { return tx.QueryRowContext(ctx, "PRAGMA "+c.pragma).Scan(&got) })
		if err != nil || got != c.want {
			t.Errorf("writer: PRAGMA %s = %s, want %s (%v)", c.pragma, got, c.want, err)
		}
	}
}
