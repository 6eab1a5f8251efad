package eligibility

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/enterprise"
)

// Across app nodes an enterprise change travels as a PostgreSQL
// notification: the node that made it updates its own index and notifies
// "<id> <origin>"; every node that follows updates the enterprise from the
// database. The channel is per schema, so deployments (or tests) sharing a
// database in different schemas do not hear each other.
const channelPrefix = "qinqing_enterprise."

// channel returns the notification channel of d's schema ("" on SQLite).
func (x *Index) channel(ctx context.Context, d *db.DB) (string, error) {
	if d.Dialect() != db.Postgres {
		return "", nil
	}
	x.chMu.Lock()
	defer x.chMu.Unlock()
	if ch, ok := x.ch[d]; ok {
		return ch, nil
	}
	var schema string
	if err := d.QueryRowContext(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
		return "", fmt.Errorf("index channel: %w", err)
	}
	ch := channelPrefix + strings.ToLower(schema)
	if len(ch) > 63 {
		ch = ch[:63]
	}
	if x.ch == nil {
		x.ch = map[any]string{}
	}
	x.ch[d] = ch
	return ch, nil
}

// Attach keeps the index current with es: after every committed change the
// enterprise is updated here, and on PostgreSQL the other nodes following
// the database (Follow) are told. Failures are logged: the change itself
// has committed, and the next Load repairs the index.
func (x *Index) Attach(es *enterprise.Service, d *db.DB) {
	es.OnChange(func(ctx context.Context, id int64) {
		// The request may end right after; the index and the other nodes
		// must hear of the change anyway.
		ctx = context.WithoutCancel(ctx)
		if err := x.Update(ctx, d, id); err != nil {
			slog.ErrorContext(ctx, "eligibility index update", slog.Int64("enterprise_id", id), slog.Any("err", err))
		}
		if d.Dialect() != db.Postgres {
			return
		}
		ch, err := x.channel(ctx, d)
		if err == nil {
			err = d.Notify(ctx, ch, strconv.FormatInt(id, 10)+" "+x.origin)
		}
		if err != nil {
			slog.ErrorContext(ctx, "eligibility index notify", slog.Int64("enterprise_id", id), slog.Any("err", err))
		}
	})
}

// Follow applies the changes other nodes announce (see Attach) until ctx
// ends, then returns nil. After a lost connection it reconnects with
// backoff (0.1 s doubling to 10 s) and reloads the whole index, since
// notifications sent meanwhile are gone. On SQLite, a single node, it
// returns nil at once.
func (x *Index) Follow(ctx context.Context, d *db.DB) error {
	if d.Dialect() != db.Postgres {
		return nil
	}
	const minWait, maxWait = 100 * time.Millisecond, 10 * time.Second
	wait := minWait
	reload := false
	for {
		ch, err := x.channel(ctx, d)
		if err == nil {
			err = d.Listen(ctx, ch, func() {
				wait = minWait
				if reload {
					// Listening again: reload what changed while deaf. Changes
					// notified from now on queue up and are applied after.
					if err := x.Load(ctx, d, nil); err != nil {
						slog.ErrorContext(ctx, "eligibility index reload", slog.Any("err", err))
					}
				}
			}, func(payload string) { x.applyNotice(ctx, d, payload) })
		}
		if ctx.Err() != nil {
			return nil
		}
		if errors.Is(err, db.ErrNoListen) {
			return err
		}
		slog.WarnContext(ctx, "eligibility index follow: reconnecting", slog.Duration("after", wait), slog.Any("err", err))
		reload = true
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		wait = min(2*wait, maxWait)
	}
}

// applyNotice updates the enterprise a notification names, unless this
// index sent it (Attach has updated it already).
func (x *Index) applyNotice(ctx context.Context, d *db.DB, payload string) {
	idText, origin, _ := strings.Cut(payload, " ")
	if origin == x.origin {
		return
	}
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil {
		slog.WarnContext(ctx, "eligibility index follow: bad notification", slog.String("payload", payload))
		return
	}
	if err := x.Update(ctx, d, id); err != nil && ctx.Err() == nil {
		slog.ErrorContext(ctx, "eligibility index update", slog.Int64("enterprise_id", id), slog.Any("err", err))
	}
}
