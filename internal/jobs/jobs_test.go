package jobs_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/jobs"
	"github.com/qinqing/qinqing/internal/standards"
)

// account stores an admin account and returns a context acting as it.
func account(t *testing.T, d *db.DB, username string) context.Context {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	var id int64
	err := d.InTx(ctx, func(tx *db.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO accounts (username, role, password_hash, password_changed_at, created_at, updated_at)
			VALUES (?, ?, 'x', ?, ?, ?) RETURNING id`, username, identity.RoleAdmin, now, now, now).Scan(&id)
	})
	if err != nil {
		t.Fatal(err)
	}
	p := &identity.Principal{AccountID: id, Username: username, Role: identity.RoleAdmin}
	return identity.WithRequest(identity.WithPrincipal(ctx, p), identity.Request{ID: "t", IP: "10.0.0.1"})
}

func system() context.Context {
	return identity.WithPrincipal(context.Background(), identity.System("test"))
}

// waitFor polls the job until cond holds; the runner writes progress in the
// background, so a reader sees it eventually, not at once.
func waitFor(t *testing.T, r *jobs.Runner, ctx context.Context, id int64, cond func(jobs.Job) bool) jobs.Job {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		j, err := r.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if cond(j) {
			return j
		}
		if time.Now().After(deadline) {
			t.Fatalf("job never reached the expected state: %+v", j)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestProgressShowsWhileAJobRunsAndTheReportWhenItEnds(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		r := jobs.NewRunner(d)
		alice := account(t, d, "alice")
		start, cancel := context.WithCancel(alice)
		release := make(chan struct{})
		id, err := r.Start(start, "enterprise.import", `C:\fakepath\企业名录.xlsx`, func(ctx context.Context, p *jobs.Progress) (any, error) {
			for i := range 1000 {
				p.Set(i/200, 10, i/250, 0) // many calls, few writes
			}
			p.Set(5, 10, 4, 1)
			<-release
			if ctx.Err() != nil || identity.PrincipalFrom(ctx).Username != "alice" {
				return nil, errors.New("the job lost its context values or was cancelled with the request")
			}
			p.Set(10, 10, 8, 2)
			return map[string]int{"rows": 10}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		cancel() // the request that started the job ends
		j := waitFor(t, r, alice, id, func(j jobs.Job) bool { return j.Done == 5 })
		if j.Status != jobs.StatusRunning || j.Total != 10 || j.OK != 4 || j.Failed != 1 || j.Kind != "enterprise.import" || j.FileName != "企业名录.xlsx" {
			t.Errorf("running job = %+v", j)
		}
		close(release)
		r.Wait()
		j, err = r.Get(alice, id)
		if err != nil {
			t.Fatal(err)
		}
		if j.Status != jobs.StatusDone || j.Done != 10 || j.OK != 8 || j.Failed != 2 || string(j.Report) != `{"rows":10}` || j.Error != "" {
			t.Errorf("finished job = %+v (report %s)", j, j.Report)
		}
		if j.CreatedAt.IsZero() || j.UpdatedAt.Before(j.CreatedAt) {
			t.Errorf("times %v %v", j.CreatedAt, j.UpdatedAt)
		}
	})
}

func TestAFailingOrPanickingJobIsMarkedFailed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		r := jobs.NewRunner(d)
		alice := account(t, d, "alice")
		cases := []struct {
			name    string
			fn      func(context.Context, *jobs.Progress) (any, error)
			says    string
			hides   string
			partial string
		}{
			{"a user error is shown", func(context.Context, *jobs.Progress) (any, error) {
				return map[string]int{"total": 3}, errs.Invalid("file", i18n.M("文件超过 50 MB", "The file is larger than 50 MB"))
			}, "文件超过 50 MB", "", `{"total":3}`},
			{"an internal error is not", func(context.Context, *jobs.Progress) (any, error) {
				return nil, errors.New("pq: password authentication failed for user secret")
			}, "内部错误", "secret", "null"},
			{"a panic fails the job, not the process", func(context.Context, *jobs.Progress) (any, error) {
				panic("boom")
			}, "内部错误", "boom", "null"},
		}
		for _, c := range cases {
			id, err := r.Start(alice, "test", "", c.fn)
			if err != nil {
				t.Fatal(err)
			}
			r.Wait()
			j, err := r.Get(alice, id)
			if err != nil {
				t.Fatal(err)
			}
			if j.Status != jobs.StatusFailed || !strings.Contains(j.Error, c.says) || (c.hides != "" && strings.Contains(j.Error, c.hides)) || string(j.Report) != c.partial {
				t.Errorf("%s: %+v (report %s)", c.name, j, j.Report)
			}
		}
	})
}

func TestOnlyTheCreatorOrTheSystemReadsAJob(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		r := jobs.NewRunner(d)
		alice, bob := account(t, d, "alice"), account(t, d, "bob")
		id, err := r.Start(alice, "test", "a.csv", func(context.Context, *jobs.Progress) (any, error) { return nil, nil })
		if err != nil {
			t.Fatal(err)
		}
		r.Wait()
		if _, err := r.Get(alice, id); err != nil {
			t.Errorf("the creator: %v", err)
		}
		if _, err := r.Get(system(), id); err != nil {
			t.Errorf("the system: %v", err)
		}
		noAccount := identity.WithPrincipal(context.Background(), &identity.Principal{Username: "admin0", Role: identity.RoleAdmin})
		for _, c := range []struct {
			name string
			ctx  context.Context
		}{{"another admin", bob}, {"a principal without an account", noAccount}, {"nobody", context.Background()}} {
			if _, err := r.Get(c.ctx, id); !errors.Is(err, errs.ErrForbidden) {
				t.Errorf("%s read the job: %v", c.name, err)
			}
		}
		recs, _, err := audit.List(identity.WithPrincipal(context.Background(), &identity.Principal{Username: "auditor", Role: identity.RoleAuditor}),
			d, audit.Filter{Action: "job.read", Result: audit.ResultDenied})
		if err != nil || len(recs) != 3 || recs[len(recs)-1].Actor != "bob" || recs[0].ObjectID != fmt.Sprint(id) {
			t.Errorf("denied reads audited as %+v (%v)", recs, err)
		}
		if _, err := r.Get(alice, id+1000); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("unknown job: %v", err)
		}
		if _, err := r.Start(context.Background(), "test", "", nil); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("an anonymous caller started a job: %v", err)
		}
	})
}

func code(serial int) string {
	body := fmt.Sprintf("MA%06d", serial)
	oc, _ := standards.OrgCodeCheckChar(body)
	first17 := "91500109" + body + string(oc)
	cc, _ := standards.CreditCodeCheckChar(first17)
	return first17 + string(cc)
}

func TestAnImportRunsAsAJob(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		if err := enterprise.EnsureDefaultTags(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		svc, r := enterprise.NewService(d), jobs.NewRunner(d)
		alice := account(t, d, "alice")
		file := "统一社会信用代码,企业名称,区划代码,行业代码\n" +
			code(1) + ",重庆北碚精密机械有限公司,500109001,3670\n" +
			code(2) + ",重庆区划错误有限公司,110101,3670\n"
		id, err := r.Start(alice, "enterprise.import", "list.csv", func(ctx context.Context, p *jobs.Progress) (any, error) {
			rep, err := svc.Import(ctx, strings.NewReader(file), enterprise.FormatCSV, func(done, total int) { p.Set(done, total, 0, 0) })
			p.Set(rep.Total, rep.Total, rep.Created+rep.Updated, rep.Failed)
			return rep, err
		})
		if err != nil {
			t.Fatal(err)
		}
		r.Wait()
		j, err := r.Get(alice, id)
		if err != nil {
			t.Fatal(err)
		}
		var rep enterprise.ImportReport
		if err := json.Unmarshal(j.Report, &rep); err != nil {
			t.Fatal(err)
		}
		if j.Status != jobs.StatusDone || j.Total != 2 || j.OK != 1 || j.Failed != 1 || rep.Created != 1 || len(rep.Errors) != 1 || rep.Errors[0].Row != 3 {
			t.Errorf("job %+v, report %s", j, j.Report)
		}
	})
}
