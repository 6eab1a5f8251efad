package casework_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/qinqing/qinqing/internal/calendar"
	"github.com/qinqing/qinqing/internal/casework"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/files"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/matter"
	"github.com/qinqing/qinqing/internal/seed"
	"github.com/qinqing/qinqing/internal/servicepoint"
)

// BenchmarkCaseIntake times the steps of a case's intake through the case
// service on SQLite and PostgreSQL — an online 有限责任公司设立登记 with its
// materials (Submit), acceptance at the comprehensive window (Accept), the
// department's approval with its certificate (Approve) and reading the
// case with its materials and steps (Get) — against the obvious
// alternative in the same run: one bare INSERT of a comparable row into
// cases in its own transaction, with no validation, steps, materials,
// notices or audit record:
//
//	go test -run '^$' -bench CaseIntake ./internal/casework/
func BenchmarkCaseIntake(b *testing.B) {
	for _, engine := range []struct {
		name string
		open func(testing.TB) *db.DB
	}{{"sqlite", dbtest.OpenSQLite}, {"postgres", dbtest.OpenPostgres}} {
		b.Run(engine.name, func(b *testing.B) {
			in := newIntake(b, engine.open(b))
			b.Run("submit", func(b *testing.B) {
				for b.Loop() {
					in.submit(b)
				}
				reportCases(b)
			})
			b.Run("accept", func(b *testing.B) {
				cs := make([]casework.Case, b.N)
				for i := range cs {
					cs[i] = in.submit(b)
				}
				b.ResetTimer()
				for _, c := range cs {
					in.act(b, in.clerk, c, casework.ActAccept)
				}
				reportCases(b)
			})
			b.Run("approve", func(b *testing.B) {
				cs := make([]casework.Case, b.N)
				for i := range cs {
					cs[i] = in.act(b, in.clerk, in.submit(b), casework.ActAccept)
				}
				b.ResetTimer()
				for _, c := range cs {
					in.act(b, in.reviewer, c, casework.ActApprove)
				}
				reportCases(b)
			})
			b.Run("get", func(b *testing.B) {
				c := in.act(b, in.reviewer, in.act(b, in.clerk, in.submit(b), casework.ActAccept), casework.ActApprove)
				for b.Loop() {
					if _, err := in.cases.Get(in.firm, c.No); err != nil {
						b.Fatal(err)
					}
				}
				reportCases(b)
			})
			b.Run("bare_insert", func(b *testing.B) {
				c := in.submit(b)
				form, err := json.Marshal(c.Form)
				if err != nil {
					b.Fatal(err)
				}
				ctx := sys()
				i := 0
				for b.Loop() {
					i++
					now := time.Now()
					err := in.d.InTx(ctx, func(tx *db.Tx) error {
						_, err := tx.ExecContext(ctx, `INSERT INTO cases (case_no, query_code, kind, matter_code, matter_version, title,
							enterprise_id, applicant_name, contact_name, contact_phone, channel, filed_by, filed_by_role, department_code,
							state, form, case_type, committed_days, legal_days, submitted_at, submitted_on, created_at, updated_at)
							VALUES (?, ?, 'single', ?, ?, ?, ?, ?, ?, ?, 'online', ?, 'enterprise', ?, 'submitted', ?, ?, ?, ?, ?, ?, ?, ?)`,
							fmt.Sprintf("BENCH-%d", i), c.QueryCode, c.MatterCode, c.MatterVersion, c.Title, c.EnterpriseID, c.Applicant,
							c.ContactName, c.ContactPhone, c.FiledBy, c.Department, string(form), c.CaseType, c.CommittedDays, c.LegalDays,
							now, c.SubmittedOn.String(), now, now)
						return err
					})
					if err != nil {
						b.Fatal(err)
					}
				}
				reportCases(b)
			})
		})
	}
}

// reportCases adds the rate the timed loop reached.
func reportCases(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "cases/s")
}

// intake is a seeded platform with one enterprise, its user, a window
// clerk and a reviewer of market regulation (who approves 有限责任公司设立登记).
type intake struct {
	d                     *db.DB
	cases                 *casework.Service
	firm, clerk, reviewer context.Context
	matterCode            string
	form                  map[string]string
	files                 map[int]string
}

func newIntake(tb testing.TB, d *db.DB) *intake {
	tb.Helper()
	ctx := sys()
	if err := seed.LoadOrgs(ctx, d); err != nil {
		tb.Fatal(err)
	}
	if err := enterprise.EnsureDefaultTags(ctx, d); err != nil {
		tb.Fatal(err)
	}
	ms := matter.NewService(d)
	if err := matter.EnsureDemo(ctx, d, ms); err != nil {
		tb.Fatal(err)
	}
	ents := enterprise.NewService(d)
	e, _, err := ents.Create(ctx, enterprise.Input{CreditCode: enterprise.Some(validCode(1)), Name: enterprise.Some("重庆北碚甲科技有限公司"),
		LegalRep: enterprise.Some("张三"), RegionCode: enterprise.Some("500109001"), IndustryCode: enterprise.Some("6513"),
		Address: enterprise.Some("重庆市北碚区天生路 1 号"), ContactPhone: enterprise.Some("13800000001"),
		ContactName: enterprise.Some("李四"), BusinessScope: enterprise.Some("软件开发；信息技术咨询服务"),
		RegisteredCapitalFen: enterprise.Some[int64](100_000_000)})
	if err != nil {
		tb.Fatal(err)
	}
	principal := func(user string, role identity.Role, ent int64, dept string) context.Context {
		var id int64
		var entArg, deptArg any
		if ent != 0 {
			entArg = ent
		}
		if dept != "" {
			deptArg = dept
		}
		now := time.Now()
		err := d.InTx(ctx, func(tx *db.Tx) error {
			return tx.QueryRowContext(ctx, `INSERT INTO accounts (username, role, enterprise_id, department_code, password_hash,
				password_changed_at, created_at, updated_at) VALUES (?, ?, ?, ?, 'x', ?, ?, ?) RETURNING id`,
				user, role, entArg, deptArg, now, now, now).Scan(&id)
		})
		if err != nil {
			tb.Fatal(err)
		}
		p := &identity.Principal{AccountID: id, Username: user, Role: role, EnterpriseID: ent, DepartmentCode: dept}
		return identity.WithRequest(identity.WithPrincipal(context.Background(), p), identity.Request{ID: "bench-" + user, IP: "10.0.0.1"})
	}
	in := &intake{d: d, firm: principal("qiyea", identity.RoleEnterprise, e.ID, ""),
		clerk: principal("clerk", identity.RoleWindowClerk, 0, ""), reviewer: principal("scjg", identity.RoleReviewer, 0, "SCJGJ")}

	all, err := ms.List(ctx, matter.Filter{ActiveOnly: true})
	if err != nil {
		tb.Fatal(err)
	}
	for _, m := range all {
		if m.Current.Name == llc {
			in.matterCode = m.Code
		}
	}
	cat := casework.MatterCatalogue{Matters: ms}
	spec, err := cat.MatterSpec(ctx, in.matterCode)
	if err != nil {
		tb.Fatalf("%s: %v", llc, err)
	}
	// The same uploads serve every application: uploading is not intake.
	fs := files.NewStore(d, files.LocalBlobs{Dir: tb.TempDir()}, 1<<20)
	in.files = map[int]string{}
	for _, m := range spec.Materials {
		if (m.Source == "applicant" || m.Source == "license") && m.Required {
			name := fmt.Sprintf("%d-%s.pdf", m.Seq, m.Name)
			f, err := fs.Save(in.firm, name, bytes.NewReader([]byte("%PDF-1.7\n"+name+"\n%%EOF")))
			if err != nil {
				tb.Fatal(err)
			}
			in.files[m.Seq] = f.ID
		}
	}
	in.form = map[string]string{}
	for _, f := range spec.Fields {
		if !f.Required || f.Prefill != "" {
			continue
		}
		switch {
		case f.Type == "select" && len(f.Options) > 0:
			in.form[f.Name] = f.Options[0]
		case f.Type == "number":
			in.form[f.Name] = "10"
		case f.Type == "date":
			in.form[f.Name] = "2026-03-01"
		default:
			in.form[f.Name] = "测试填写"
		}
	}
	in.cases = casework.NewService(d, calendar.New(calendar.Options{}), cat, servicepoint.NewService(d, nil), ents, fs,
		casework.Config{PublicURL: "https://qinqing.example.gov.cn"}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	// A working day, so acceptance starts the clock as on any office day.
	today := time.Date(2026, time.March, 2, 2, 0, 0, 0, time.UTC)
	in.cases.SetClock(func() time.Time { return today })
	return in
}

// submit files the application online as the enterprise user.
func (in *intake) submit(tb testing.TB) casework.Case {
	tb.Helper()
	c, err := in.cases.Submit(in.firm, casework.Submission{MatterCode: in.matterCode, Channel: casework.ChannelOnline,
		Files: in.files, Form: in.form})
	if err != nil {
		tb.Fatalf("submit: %v", err)
	}
	return c
}

// act takes action a on c at the version c was read with.
func (in *intake) act(tb testing.TB, as context.Context, c casework.Case, a string) casework.Case {
	tb.Helper()
	out, err := in.cases.Act(as, c.No, casework.Action{Name: a, IfVersion: c.Version})
	if err != nil {
		tb.Fatalf("%s %s: %v", a, c.No, err)
	}
	return out
}
