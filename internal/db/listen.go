package db

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"regexp"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Change notifications between app nodes go through PostgreSQL's
// LISTEN/NOTIFY, so that nodes share nothing but the database. SQLite is a
// single node: there is nobody to tell, so Notify does nothing there and
// Listen refuses.

// ErrNoListen is returned by Listen on a dialect without LISTEN/NOTIFY.
var ErrNoListen = errors.New("listen: only PostgreSQL delivers notifications")

// channelRE is what Notify and Listen accept as a channel name: PostgreSQL
// identifiers are at most 63 bytes (NAMEDATALEN - 1).
var channelRE = regexp.MustCompile(`^[a-z_][a-z0-9_.]{0,62}$`)

func checkChannel(ch string) error {
	if !channelRE.MatchString(ch) {
		return fmt.Errorf("notify channel %q: want lower-case letters, digits, '_' or '.', at most 63 bytes", ch)
	}
	return nil
}

// Notify sends payload on channel to every session listening on this
// database (PostgreSQL delivers it after the sending transaction commits;
// here it is sent on its own). On SQLite it does nothing.
func (db *DB) Notify(ctx context.Context, channel, payload string) error {
	if db.dialect != Postgres {
		return nil
	}
	if err := checkChannel(channel); err != nil {
		return err
	}
	if _, err := db.w.ExecContext(ctx, "SELECT pg_notify($1, $2)", channel, payload); err != nil {
		return fmt.Errorf("notify %s: %w", channel, err)
	}
	return nil
}

// Listen holds one connection of the pool, listens on channel and calls fn
// with each payload, in order, until ctx ends (it then returns ctx's error)
// or the connection fails (it returns that error; the caller reconnects).
// ready, if not nil, is called once the LISTEN is in place: anything
// notified from then on reaches fn. The connection is discarded afterwards
// rather than returned to the pool still listening. On SQLite it returns
// ErrNoListen.
func (db *DB) Listen(ctx context.Context, channel string, ready func(), fn func(payload string)) error {
	if db.dialect != Postgres {
		return ErrNoListen
	}
	if err := checkChannel(channel); err != nil {
		return err
	}
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return fmt.Errorf("listen %s: %w", channel, err)
	}
	defer conn.Close()
	var listenErr error
	err = conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			listenErr = fmt.Errorf("listen %s: unexpected driver connection %T", channel, dc)
			return driver.ErrBadConn
		}
		pc := sc.Conn()
		if _, err := pc.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize()); err != nil {
			listenErr = fmt.Errorf("listen %s: %w", channel, err)
			return driver.ErrBadConn
		}
		if ready != nil {
			ready()
		}
		for {
			n, err := pc.WaitForNotification(ctx)
			if err != nil {
				if ctx.Err() != nil {
					listenErr = ctx.Err()
				} else {
					listenErr = fmt.Errorf("listen %s: %w", channel, err)
				}
				// Never hand a listening (or broken) connection back to the pool.
				return driver.ErrBadConn
			}
			fn(n.Payload)
		}
	})
	if listenErr != nil {
		return listenErr
	}
	if err != nil && !errors.Is(err, driver.ErrBadConn) {
		return fmt.Errorf("listen %s: %w", channel, err)
	}
	return err
}
