package notify_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/notify"
)

func accounts(t *testing.T, d *db.DB) {
	t.Helper()
	ctx := context.Background()
	now := time.Now()
	err := d.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO enterprises (id, credit_code, name, region_code, industry_code, industry_section, created_at, updated_at)
			VALUES (7, '91500109MA5U5X1234', '测试公司', '500109001', '3670', 'C', ?, ?)`, now, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO departments (code, name) VALUES ('SCJGJ', '区市场监管局')`); err != nil {
			return err
		}
		for id, role := range map[int64]string{1: "enterprise", 2: "reviewer", 3: "window_clerk"} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO accounts (id, username, role, password_hash, password_changed_at, created_at, updated_at)
				VALUES (?, ?, ?, 'x', ?, ?, ?)`, id, role, role, now, now, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestInboxReachesEveryAddressedReaderAndOnlyThem(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		accounts(t, d)
		ctx := context.Background()
		err := d.InTx(ctx, func(tx *db.Tx) error {
			n := notify.Notice{Kind: "case.accepted", Title: i18n.M("您的申请已受理", "Your application was accepted"), Link: "/cases/1"}
			if err := notify.Post(ctx, tx, n, notify.Enterprise(7)); err != nil {
				return err
			}
			return notify.Post(ctx, tx, notify.Notice{Kind: "case.new", Title: i18n.M("有新的办件", "A new case")}, notify.Department("SCJGJ"), notify.Role(identity.RoleWindowClerk))
		})
		if err != nil {
			t.Fatal(err)
		}
		svc := notify.New(d, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
		who := map[string]*identity.Principal{
			"enterprise user": {AccountID: 1, Role: identity.RoleEnterprise, EnterpriseID: 7},
			"reviewer":        {AccountID: 2, Role: identity.RoleReviewer, DepartmentCode: "SCJGJ"},
			"clerk":           {AccountID: 3, Role: identity.RoleWindowClerk},
		}
		want := map[string]string{"enterprise user": "case.accepted", "reviewer": "case.new", "clerk": "case.new"}
		for name, p := range who {
			pctx := identity.WithPrincipal(ctx, p)
			items, unread, err := svc.Inbox(pctx, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != 1 || unread != 1 || items[0].Kind != want[name] {
				t.Errorf("%s sees %+v (unread %d)", name, items, unread)
			}
			if err := svc.MarkAllRead(pctx); err != nil {
				t.Fatal(err)
			}
			if n, _ := svc.Unread(pctx); n != 0 {
				t.Errorf("%s: %d unread after marking all read", name, n)
			}
		}
		// The clerk's read does not mark the reviewer's copy (it is per reader).
		other := identity.WithPrincipal(ctx, &identity.Principal{AccountID: 4, Role: identity.RoleWindowClerk})
		if n, _ := svc.Unread(other); n != 1 {
			t.Errorf("another clerk has %d unread, want 1", n)
		}
	})
}

type flaky struct {
	mu    sync.Mutex
	fails int
	sent  []notify.Message
}

func (f *flaky) Send(ctx context.Context, m notify.Message) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fails > 0 {
		f.fails--
		return errors.New("gateway down")
	}
	f.sent = append(f.sent, m)
	return nil
}

func TestOutboxRetriesAndSendsOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		err := d.InTx(ctx, func(tx *db.Tx) error {
			return notify.Queue(ctx, tx, notify.Message{Channel: "sms", Recipient: "13800000000", Body: "【亲清】您的申请已受理"})
		})
		if err != nil {
			t.Fatal(err)
		}
		gw := &flaky{fails: 1}
		svc := notify.New(d, map[string]notify.Sender{"sms": gw}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		sent, failed, err := svc.Deliver(ctx)
		if err != nil || sent != 0 || failed != 1 {
			t.Fatalf("first pass: sent %d failed %d err %v", sent, failed, err)
		}
		// Not due again yet.
		if sent, _, _ := svc.Deliver(ctx); sent != 0 {
			t.Error("a failed message was retried at once")
		}
		if _, err := d.Writer().Exec(d.Rebind("UPDATE outbox SET not_before = ?"), time.Now().Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		if sent, _, err := svc.Deliver(ctx); sent != 1 || err != nil {
			t.Fatalf("retry: sent %d err %v", sent, err)
		}
		if sent, _, _ := svc.Deliver(ctx); sent != 0 || len(gw.sent) != 1 {
			t.Errorf("message sent %d times", len(gw.sent))
		}
	})
}

func TestSkippedMessagesAreNeverSent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		queue := func(body string) {
			t.Helper()
			if err := d.InTx(ctx, func(tx *db.Tx) error {
				return notify.Queue(ctx, tx, notify.Message{Channel: "sms", Recipient: "13800000000", Body: body})
			}); err != nil {
				t.Fatal(err)
			}
		}
		queue("【亲清】旧消息一")
		queue("【亲清】旧消息二")
		if n, err := notify.SkipPending(ctx, d, "demo history"); n != 2 || err != nil {
			t.Fatalf("skipped %d, %v", n, err)
		}
		queue("【亲清】新消息")
		gw := &flaky{}
		svc := notify.New(d, map[string]notify.Sender{"sms": gw}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if sent, _, err := svc.Deliver(ctx); sent != 1 || err != nil || len(gw.sent) != 1 || gw.sent[0].Body != "【亲清】新消息" {
			t.Errorf("sent %d (%v): %v", sent, err, gw.sent)
		}
	})
}

func TestWebhookSenderPostsTheMessage(t *testing.T) {
	var got map[string]string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		json.NewDecoder(r.Body).Decode(&got)
		if got["to"] == "fail" {
			w.WriteHeader(502)
		}
	}))
	defer srv.Close()
	s := notify.WebhookSender{URL: srv.URL}
	if err := s.Send(context.Background(), notify.Message{Channel: "sms", Recipient: "13800000000", Body: "【亲清】测试"}); err != nil {
		t.Fatal(err)
	}
	if got["to"] != "13800000000" || got["text"] != "【亲清】测试" {
		t.Errorf("posted %v", got)
	}
	if err := s.Send(context.Background(), notify.Message{Recipient: "fail", Body: "x"}); err == nil {
		t.Error("a gateway error was not reported")
	}
}
