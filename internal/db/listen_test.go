package db_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
)

func TestNotifyReachesListenerOnAnotherHandle(t *testing.T) {
	url := dbtest.PostgresSchemaURL(t)
	sender, receiver := dbtest.Open(t, url), dbtest.Open(t, url)
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan struct{})
	got := make(chan string, 10)
	done := make(chan error, 1)
	go func() {
		done <- receiver.Listen(ctx, "qinqing_test.listen", func() { close(ready) }, func(p string) { got <- p })
	}()
	select {
	case <-ready:
	case err := <-done:
		t.Fatalf("Listen returned before listening: %v", err)
	case <-time.After(5 * time.Second):
		t.Fatal("Listen never became ready")
	}
	for _, p := range []string{"1", "企业 42"} {
		if err := sender.Notify(ctx, "qinqing_test.listen", p); err != nil {
			t.Fatal(err)
		}
	}
	if err := sender.Notify(ctx, "qinqing_test.other", "not for us"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"1", "企业 42"} {
		select {
		case p := <-got:
			if p != want {
				t.Errorf("payload %q, want %q", p, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("payload %q never arrived", want)
		}
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Listen after cancel returned %v, want context.Canceled", err)
	}
	select {
	case p := <-got:
		t.Errorf("a payload from another channel arrived: %q", p)
	default:
	}
	// The listening connection was not handed back to the pool: the pool
	// still works.
	if err := receiver.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestListenRefusesSQLiteAndBadChannels(t *testing.T) {
	d := dbtest.OpenSQLite(t)
	ctx := context.Background()
	if err := d.Listen(ctx, "qinqing_test", nil, func(string) {}); !errors.Is(err, db.ErrNoListen) {
		t.Errorf("Listen on SQLite: %v, want ErrNoListen", err)
	}
	if err := d.Notify(ctx, "qinqing_test", "1"); err != nil {
		t.Errorf("Notify on SQLite: %v, want nothing done", err)
	}
	pg := dbtest.OpenPostgres(t)
	for _, ch := range []string{"", "Robert'); DROP TABLE enterprises;--", "a b", "x123456789012345678901234567890123456789012345678901234567890123"} {
		if err := pg.Notify(ctx, ch, "1"); err == nil {
			t.Errorf("Notify accepted channel %q", ch)
		}
		if err := pg.Listen(ctx, ch, nil, func(string) {}); err == nil {
			t.Errorf("Listen accepted channel %q", ch)
		}
	}
}
