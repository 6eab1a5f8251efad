package casework_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/qinqing/qinqing/internal/calendar"
	"github.com/qinqing/qinqing/internal/casework"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/files"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/matter"
	"github.com/qinqing/qinqing/internal/seed"
	"github.com/qinqing/qinqing/internal/servicepoint"
	"github.com/qinqing/qinqing/internal/standards"
)

// world is a seeded platform for case tests: departments, the demo
// catalogue and service network, two enterprises and their people.
type world struct {
	t       *testing.T
	d       *db.DB
	cases   *casework.Service
	matters *matter.Service
	files   *files.Store
	clock   *clock
	entA    int64
	entB    int64
	ids     map[string]int64 // account ids by username
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(s string) {
	d, err := calendar.ParseDate(s)
	if err != nil {
		panic(err)
	}
	c.mu.Lock()
	c.t = time.Date(d.Year, d.Month, d.Day, 2, 0, 0, 0, time.UTC) // 10:00 in China
	c.mu.Unlock()
}

func sys() context.Context {
	return identity.WithRequest(identity.WithPrincipal(context.Background(), identity.System("test")), identity.Request{ID: "t"})
}

func validCode(serial int) string {
	body := fmt.Sprintf("MB%06d", serial)
	oc, _ := standards.OrgCodeCheckChar(body)
	first := "91500109" + body + string(oc)
	cc, _ := standards.CreditCodeCheckChar(first)
	return first + string(cc)
}

func newWorld(t *testing.T, d *db.DB) *world {
	t.Helper()
	ctx := sys()
	if err := seed.LoadOrgs(ctx, d); err != nil {
		t.Fatal(err)
	}
	if err := enterprise.EnsureDefaultTags(ctx, d); err != nil {
		t.Fatal(err)
	}
	ms := matter.NewService(d)
	if err := matter.EnsureDemo(ctx, d, ms); err != nil {
		t.Fatal(err)
	}
	all, err := ms.List(ctx, matter.Filter{ActiveOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, m := range all {
		names[m.Code] = m.Current.Name
	}
	ps := servicepoint.NewService(d, nil)
	if err := servicepoint.EnsureDemo(ctx, d, ps, names); err != nil {
		t.Fatal(err)
	}
	ents := enterprise.NewService(d)
	w := &world{t: t, d: d, matters: ms, clock: &clock{}, ids: map[string]int64{}}
	for i, name := range []string{"重庆北碚甲科技有限公司", "重庆北碚乙贸易有限公司"} {
		e, _, err := ents.Create(ctx, enterprise.Input{CreditCode: enterprise.Some(validCode(i + 1)), Name: enterprise.Some(name),
			LegalRep: enterprise.Some("张三"), RegionCode: enterprise.Some("500109001"), IndustryCode: enterprise.Some("6513"),
			Address: enterprise.Some("重庆市北碚区天生路 1 号"), ContactPhone: enterprise.Some("13800000001"),
			ContactName: enterprise.Some("李四"), BusinessScope: enterprise.Some("软件开发；信息技术咨询服务"),
			RegisteredCapitalFen: enterprise.Some[int64](100_000_000)})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			w.entA = e.ID
		} else {
			w.entB = e.ID
		}
	}
	for _, a := range []struct {
		user, role, dept, point string
		ent                     int64
	}{
		{"qiyea", "enterprise", "", "", w.entA}, {"qiyeb", "enterprise", "", "", w.entB},
		{"clerk", "window_clerk", "", "", 0}, {"scjg", "reviewer", "SCJGJ", "", 0}, {"swj", "reviewer", "SWJ", "", 0},
		{"gafj", "reviewer", "GAFJ", "", 0}, {"rsj", "reviewer", "RSJ", "", 0}, {"gjj", "reviewer", "GJJZX", "", 0},
		{"jg", "supervisor", "", "", 0}, {"agent", "agent", "", "caijiagang-centre", 0}, {"agent2", "agent", "", "bank-cqrcb-caijia", 0},
	} {
		var id int64
		var ent, dept, point any
		if a.ent != 0 {
			ent = a.ent
		}
		if a.dept != "" {
			dept = a.dept
		}
		if a.point != "" {
			point = a.point
		}
		err := d.InTx(ctx, func(tx *db.Tx) error {
			return tx.QueryRowContext(ctx, `INSERT INTO accounts (username, role, enterprise_id, department_code, service_point_code,
				password_hash, password_changed_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'x', ?, ?, ?) RETURNING id`,
				a.user, a.role, ent, dept, point, time.Now(), time.Now(), time.Now()).Scan(&id)
		})
		if err != nil {
			t.Fatal(err)
		}
		w.ids[a.user] = id
	}
	w.files = files.NewStore(d, files.LocalBlobs{Dir: t.TempDir()}, 1<<20)
	cal := calendar.New(calendar.Options{})
	w.cases = casework.NewService(d, cal, casework.MatterCatalogue{Matters: ms}, ps, ents, w.files,
		casework.Config{PublicURL: "https://qinqing.example.gov.cn"}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	w.clock.set("2026-03-02")
	w.cases.SetClock(w.clock.now)
	return w
}

// as returns a context acting as the named test account.
func (w *world) as(user string) context.Context {
	w.t.Helper()
	p := &identity.Principal{AccountID: w.ids[user], Username: user}
	switch user {
	case "qiyea":
		p.Role, p.EnterpriseID = identity.RoleEnterprise, w.entA
	case "qiyeb":
		p.Role, p.EnterpriseID = identity.RoleEnterprise, w.entB
	case "clerk":
		p.Role = identity.RoleWindowClerk
	case "jg":
		p.Role = identity.RoleSupervisor
	case "agent":
		p.Role, p.ServicePoint = identity.RoleAgent, "caijiagang-centre"
	case "agent2":
		p.Role, p.ServicePoint = identity.RoleAgent, "bank-cqrcb-caijia"
	default:
		p.Role = identity.RoleReviewer
		p.DepartmentCode = map[string]string{"scjg": "SCJGJ", "swj": "SWJ", "gafj": "GAFJ", "rsj": "RSJ", "gjj": "GJJZX"}[user]
	}
	if p.AccountID == 0 {
		w.t.Fatalf("no test account %s", user)
	}
	return identity.WithRequest(identity.WithPrincipal(context.Background(), p), identity.Request{ID: "t-" + user, IP: "10.0.0.1"})
}

// upload stores a small PDF as user and returns its id.
func (w *world) upload(user, name string) string {
	w.t.Helper()
	f, err := w.files.Save(w.as(user), name, bytes.NewReader([]byte("%PDF-1.7\n"+name+"\n%%EOF")))
	if err != nil {
		w.t.Fatal(err)
	}
	return f.ID
}

// filesFor uploads a file for every required applicant material.
func (w *world) filesFor(user string, mats []casework.Material) map[int]string {
	out := map[int]string{}
	for _, m := range mats {
		// A licence the firm does not hold yet must be uploaded as well.
		if (m.Source == "applicant" || m.Source == "license") && m.Required {
			out[m.Seq] = w.upload(user, fmt.Sprintf("%d-%s.pdf", m.Seq, m.Name))
		}
	}
	return out
}

// act performs an action with the case's current version.
func (w *world) act(user, no string, a casework.Action) (casework.Case, error) {
	w.t.Helper()
	c, err := w.cases.Get(w.as("jg"), no)
	if err != nil {
		w.t.Fatal(err)
	}
	a.IfVersion = c.Version
	return w.cases.Act(w.as(user), no, a)
}

func (w *world) mustAct(user, no string, a casework.Action) casework.Case {
	w.t.Helper()
	c, err := w.act(user, no, a)
	if err != nil {
		w.t.Fatalf("%s %s on %s: %v", user, a.Name, no, err)
	}
	return c
}

// code finds a demo matter's code by its name.
func (w *world) code(name string) string {
	w.t.Helper()
	all, err := w.matters.List(sys(), matter.Filter{ActiveOnly: true})
	if err != nil {
		w.t.Fatal(err)
	}
	for _, m := range all {
		if m.Current.Name == name {
			return m.Code
		}
	}
	w.t.Fatalf("no demo matter named %s", name)
	return ""
}

// spec returns what a filer must provide for a matter or bundle.
func (w *world) spec(matterCode, bundleCode string) []casework.Material {
	w.t.Helper()
	cat := casework.MatterCatalogue{Matters: w.matters}
	if bundleCode != "" {
		b, err := cat.BundleSpec(sys(), bundleCode)
		if err != nil {
			w.t.Fatal(err)
		}
		return b.Materials
	}
	m, err := cat.MatterSpec(sys(), matterCode)
	if err != nil {
		w.t.Fatal(err)
	}
	return m.Materials
}

// form answers the required questions the profile cannot prefill.
func (w *world) form(matterCode, bundleCode string) map[string]string {
	cat := casework.MatterCatalogue{Matters: w.matters}
	var fields []casework.Field
	if bundleCode != "" {
		b, _ := cat.BundleSpec(sys(), bundleCode)
		fields = b.Fields
	} else {
		m, _ := cat.MatterSpec(sys(), matterCode)
		fields = m.Fields
	}
	out := map[string]string{}
	for _, f := range fields {
		if !f.Required || f.Prefill != "" {
			continue
		}
		switch {
		case f.Type == "select" && len(f.Options) > 0:
			out[f.Name] = f.Options[0]
		case f.Type == "number":
			out[f.Name] = "10"
		case f.Type == "date":
			out[f.Name] = "2026-03-01"
		default:
			out[f.Name] = "测试填写"
		}
	}
	return out
}

// submit files an application online as the enterprise user.
func (w *world) submit(user, matterCode, bundleCode string) casework.Case {
	w.t.Helper()
	c, err := w.cases.Submit(w.as(user), casework.Submission{MatterCode: matterCode, BundleCode: bundleCode, Channel: casework.ChannelOnline,
		Files: w.filesFor(user, w.spec(matterCode, bundleCode)), Form: w.form(matterCode, bundleCode)})
	if err != nil {
		w.t.Fatalf("submit %s%s: %v", matterCode, bundleCode, err)
	}
	return c
}

// asDept acts as a reviewer of any department.
func (w *world) asDept(code string) context.Context {
	return identity.WithRequest(identity.WithPrincipal(context.Background(), &identity.Principal{AccountID: w.ids["scjg"],
		Username: "reviewer-" + code, Role: identity.RoleReviewer, DepartmentCode: code}), identity.Request{ID: "t"})
}

func mustList(t *testing.T, w *world) []string {
	all, err := w.matters.List(sys(), matter.Filter{ActiveOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range all {
		out = append(out, m.Code)
	}
	return out
}

func pointAccepts(w *world, point, code string) (bool, error) {
	return servicepoint.NewService(w.d, nil).Accepts(sys(), point, code)
}

func calendarDateOf(t time.Time) calendar.Date { return calendar.DateOf(t) }
