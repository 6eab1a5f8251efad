package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
)

// idempotent makes a create handler safe to retry: with an Idempotency-Key
// header, the first response is stored per account and key; the same key
// with the same body replays it, the same key with a different body is a
// 422, and a retry while the first is still running is a 409.
func (s *Server) idempotent(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		key := r.Header.Get("Idempotency-Key")
		p := identity.PrincipalFrom(r.Context())
		if key == "" || p == nil {
			return h(w, r)
		}
		if len(key) > 200 {
			return badRequest("bad_idempotency_key", i18n.M("Idempotency-Key 过长", "Idempotency-Key is too long"))
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			return badRequest("body_too_large", i18n.M("请求体过大", "Request body too large"))
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		sum := sha256.Sum256(append([]byte(r.Method+" "+r.URL.Path+"\n"), body...))
		hash := hex.EncodeToString(sum[:])
		ctx := r.Context()

		reserved := false
		err = s.DB.InTx(ctx, func(tx *db.Tx) error {
			_, err := tx.ExecContext(ctx, "INSERT INTO idempotency_keys (account_id, key, request_hash, status, body, created_at) VALUES (?, ?, ?, 0, '', ?)",
				p.AccountID, key, hash, time.Now().UTC())
			if err == nil {
				reserved = true
			}
			return err
		})
		if err != nil && !db.IsUniqueViolation(err) {
			return err
		}
		if !reserved {
			var storedHash, storedBody string
			var status int
			err := s.DB.QueryRowContext(ctx, "SELECT request_hash, status, body FROM idempotency_keys WHERE account_id = ? AND key = ?", p.AccountID, key).
				Scan(&storedHash, &status, &storedBody)
			switch {
			case err != nil:
				return err
			case storedHash != hash:
				return errs.New(errs.ErrInvalid, "idempotency_key_reused", i18n.M("该 Idempotency-Key 已用于内容不同的请求", "This Idempotency-Key was used for a different request"))
			case status == 0:
				return errs.Conflict("request_in_progress", i18n.M("相同的请求正在处理中", "The same request is still being processed"))
			}
			w.Header().Set("Idempotent-Replayed", "true")
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.WriteHeader(status)
			io.WriteString(w, storedBody)
			return nil
		}
		rec := &captureWriter{ResponseWriter: w}
		herr := h(rec, r)
		if herr != nil {
			writeError(rec, r, s.Log, herr)
		}
		s.finishKey(context.WithoutCancel(ctx), p.AccountID, key, rec)
		return nil
	}
}

// finishKey stores the response, or frees the key after a server error so
// that a retry runs again.
func (s *Server) finishKey(ctx context.Context, account int64, key string, rec *captureWriter) {
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		if rec.status >= 500 || rec.status == 0 {
			_, err := tx.ExecContext(ctx, "DELETE FROM idempotency_keys WHERE account_id = ? AND key = ?", account, key)
			return err
		}
		_, err := tx.ExecContext(ctx, "UPDATE idempotency_keys SET status = ?, body = ? WHERE account_id = ? AND key = ?", rec.status, rec.buf.String(), account, key)
		return err
	})
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		s.Log.Error("store idempotency key", "err", err)
	}
}

type captureWriter struct {
	http.ResponseWriter
	status int
	buf    bytes.Buffer
}

func (c *captureWriter) WriteHeader(code int) {
	if c.status == 0 {
		c.status = code
	}
	c.ResponseWriter.WriteHeader(code)
}

func (c *captureWriter) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	c.buf.Write(b)
	return c.ResponseWriter.Write(b)
}
