// Package jobs runs long work (bulk imports, exports) in the background and
// keeps its progress in the jobs table, so that a page polling any node of
// the platform can show it.
package jobs

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
)

// The job statuses.
const (
	StatusRunning = "running"
	StatusDone    = "done"
	StatusFailed  = "failed"
)

// Job is the stored state of one piece of background work.
type Job struct {
	ID        int64           `json:"id"`
	Kind      string          `json:"kind"`   // e.g. "enterprise.import"
	Status    string          `json:"status"` // running, done or failed
	FileName  string          `json:"file_name"`
	Total     int             `json:"total"`
	Done      int             `json:"done"`
	OK        int             `json:"ok"`
	Failed    int             `json:"failed"`
	Report    json.RawMessage `json:"report"` // the work's JSON-encoded result; null until it ends
	Error     string          `json:"error"`  // why the job failed, fit to show its owner
	CreatedBy int64           `json:"created_by"`
	CreatedAt time.Time       `json:"created_at"`
	UpdatedAt time.Time       `json:"updated_at"`
}

// Runner starts jobs and reads their state.
type Runner struct {
	db       *db.DB
	now      func() time.Time
	interval time.Duration // least time between two progress writes
	wg       sync.WaitGroup
}

// NewRunner returns a runner that keeps job state in d.
func NewRunner(d *db.DB) *Runner {
	return &Runner{db: d, now: func() time.Time { return time.Now().UTC() }, interval: 500 * time.Millisecond}
}

// Progress is how a job reports how far it has got. Set is cheap and never
// waits for the database: a writer stores the latest values at most every
// 500 ms, and the runner stores the final ones when the job ends.
type Progress struct {
	mu                      sync.Mutex
	total, done, ok, failed int
	dirty                   bool
}

// Set records the job's progress: done of total items, of which ok
// succeeded and failed failed.
func (p *Progress) Set(done, total, ok, failed int) {
	p.mu.Lock()
	p.done, p.total, p.ok, p.failed, p.dirty = done, total, ok, failed, true
	p.mu.Unlock()
}

// take returns the current values and whether they changed since the last take.
func (p *Progress) take() (total, done, ok, failed int, changed bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	changed, p.dirty = p.dirty, false
	return p.total, p.done, p.ok, p.failed, changed
}

// Start records a running job and runs fn in the background. fn runs with
// ctx's values (principal, request) but not its cancellation, so the job
// outlives the HTTP request that started it. When fn returns, its report is
// stored JSON-encoded and the job is done, or failed if fn returned an
// error or panicked. Start returns ErrForbidden without a principal.
func (r *Runner) Start(ctx context.Context, kind, fileName string, fn func(ctx context.Context, p *Progress) (report any, err error)) (int64, error) {
	pr := identity.PrincipalFrom(ctx)
	if pr == nil {
		return 0, errs.Forbidden()
	}
	var createdBy any
	if pr.AccountID != 0 {
		createdBy = pr.AccountID
	}
	now := r.now()
	var id int64
	err := r.db.InTx(ctx, func(tx *db.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO jobs (kind, status, file_name, report, created_by, created_at, updated_at)
			VALUES (?, ?, ?, 'null', ?, ?, ?) RETURNING id`, kind, StatusRunning, cleanFileName(fileName), createdBy, now, now).Scan(&id)
	})
	if err != nil {
		return 0, fmt.Errorf("start job %s: %w", kind, err)
	}
	r.wg.Add(1)
	go r.run(context.WithoutCancel(ctx), id, kind, fn)
	return id, nil
}

// cleanFileName keeps only the base name of an uploaded file, without
// control characters, at most 255 characters: it is shown on pages.
func cleanFileName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, name)
	if name == "." || name == "/" {
		return ""
	}
	if r := []rune(name); len(r) > 255 {
		name = string(r[:255])
	}
	return name
}

func (r *Runner) run(ctx context.Context, id int64, kind string, fn func(context.Context, *Progress) (any, error)) {
	defer r.wg.Done()
	p := &Progress{}
	stop := make(chan struct{})
	flushed := make(chan struct{})
	go func() {
		defer close(flushed)
		t := time.NewTicker(r.interval)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				r.saveProgress(ctx, id, p)
			}
		}
	}()

	report, err := call(ctx, fn, p)
	close(stop)
	<-flushed

	status, msg := StatusDone, ""
	if err != nil {
		status, msg = StatusFailed, failureText(err, id)
		slog.ErrorContext(ctx, "job failed", slog.Int64("job", id), slog.String("kind", kind), slog.Any("err", err))
	}
	b, jerr := json.Marshal(report)
	if jerr != nil {
		status, msg, b = StatusFailed, failureText(jerr, id), []byte("null")
		slog.ErrorContext(ctx, "job report not encodable", slog.Int64("job", id), slog.Any("err", jerr))
	}
	total, done, ok, failed, _ := p.take()
	err = r.db.InTx(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE jobs SET status = ?, total = ?, done = ?, ok = ?, failed = ?, report = ?, error = ?,
			updated_at = ? WHERE id = ?`, status, total, done, ok, failed, string(b), msg, r.now(), id)
		return err
	})
	if err != nil {
		slog.ErrorContext(ctx, "job state not saved", slog.Int64("job", id), slog.Any("err", err))
	}
}

// call runs fn, turning a panic into an error so that the job fails and the
// process lives on.
func call(ctx context.Context, fn func(context.Context, *Progress) (any, error), p *Progress) (report any, err error) {
	defer func() {
		if v := recover(); v != nil {
			report, err = nil, fmt.Errorf("panic: %v\n%s", v, debug.Stack())
		}
	}()
	return fn(ctx, p)
}

// failureText is what the job's owner sees: the message of a typed error,
// or a generic one (the detail goes to the log only).
func failureText(err error, id int64) string {
	var e *errs.Error
	if errors.As(err, &e) {
		m := e.Msg
		if len(e.Fields) == 1 {
			for _, fm := range e.Fields {
				m = fm
			}
		}
		return m.Zh + " / " + m.En
	}
	m := i18n.M(fmt.Sprintf("内部错误，请联系管理员（任务 %d）", id), fmt.Sprintf("Internal error; contact the administrator (job %d)", id))
	return m.Zh + " / " + m.En
}

func (r *Runner) saveProgress(ctx context.Context, id int64, p *Progress) {
	total, done, ok, failed, changed := p.take()
	if !changed {
		return
	}
	err := r.db.InTx(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, "UPDATE jobs SET total = ?, done = ?, ok = ?, failed = ?, updated_at = ? WHERE id = ? AND status = ?",
			total, done, ok, failed, r.now(), id, StatusRunning)
		return err
	})
	if err != nil {
		slog.WarnContext(ctx, "job progress not saved", slog.Int64("job", id), slog.Any("err", err))
	}
}

// Wait blocks until every job this runner started has ended.
func (r *Runner) Wait() { r.wg.Wait() }

var errNotFound = errs.NotFound(i18n.M("任务", "Job"))

// Get returns job id. It returns ErrNotFound for an unknown id and
// ErrForbidden unless the caller started the job or is the system.
func (r *Runner) Get(ctx context.Context, id int64) (Job, error) {
	p := identity.PrincipalFrom(ctx)
	if p == nil {
		return Job{}, r.deny(ctx, id)
	}
	var j Job
	var createdBy sql.NullInt64
	var report string
	err := r.db.QueryRowContext(ctx, `SELECT id, kind, status, file_name, total, done, ok, failed, report, error, created_by,
		created_at, updated_at FROM jobs WHERE id = ?`, id).Scan(&j.ID, &j.Kind, &j.Status, &j.FileName, &j.Total, &j.Done,
		&j.OK, &j.Failed, &report, &j.Error, &createdBy, &j.CreatedAt, &j.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return Job{}, errNotFound
	}
	if err != nil {
		return Job{}, fmt.Errorf("get job %d: %w", id, err)
	}
	j.CreatedBy = createdBy.Int64
	if p.Role != identity.RoleSystem && (p.AccountID == 0 || p.AccountID != j.CreatedBy) {
		return Job{}, r.deny(ctx, id)
	}
	j.Report = json.RawMessage(report)
	j.CreatedAt, j.UpdatedAt = j.CreatedAt.UTC(), j.UpdatedAt.UTC()
	return j, nil
}

func (r *Runner) deny(ctx context.Context, id int64) error {
	_ = audit.WriteAlone(ctx, r.db, audit.Event{Action: "job.read", ObjectType: "job", ObjectID: fmt.Sprint(id), Result: audit.ResultDenied})
	return errs.Forbidden()
}
