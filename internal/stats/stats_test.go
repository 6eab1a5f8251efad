package stats_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"math"
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
	"github.com/qinqing/qinqing/internal/stats"
)

// TestIndicatorsFollowTheData files three applications with known
// outcomes and checks every case indicator against a hand count.
func TestIndicatorsFollowTheData(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		sys := identity.WithPrincipal(context.Background(), identity.System("test"))
		if err := seed.LoadOrgs(sys, d); err != nil {
			t.Fatal(err)
		}
		ms := matter.NewService(d)
		if err := matter.EnsureDemo(sys, d, ms); err != nil {
			t.Fatal(err)
		}
		ents := enterprise.NewService(d)
		e, _, err := ents.Create(sys, enterprise.Input{CreditCode: enterprise.Some("91350100M000100Y43"), Name: enterprise.Some("重庆北碚统计测试有限公司"),
			RegionCode: enterprise.Some("500109001"), IndustryCode: enterprise.Some("6513"), LegalRep: enterprise.Some("张三"),
			Address: enterprise.Some("天生路 1 号"), ContactName: enterprise.Some("李四"), ContactPhone: enterprise.Some("13800000001"),
			BusinessScope: enterprise.Some("软件开发")})
		if err != nil {
			t.Fatal(err)
		}
		var clerkID int64
		err = d.InTx(sys, func(tx *db.Tx) error {
			return tx.QueryRowContext(sys, `INSERT INTO accounts (username, role, password_hash, password_changed_at, created_at, updated_at)
				VALUES ('clerk', 'window_clerk', 'x', ?, ?, ?) RETURNING id`, time.Now(), time.Now(), time.Now()).Scan(&clerkID)
		})
		if err != nil {
			t.Fatal(err)
		}
		cal := calendar.New(calendar.Options{})
		fs := files.NewStore(d, files.LocalBlobs{Dir: t.TempDir()}, 1<<20)
		cases := casework.NewService(d, cal, casework.MatterCatalogue{Matters: ms}, nil, ents, fs, casework.Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		at := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC) // Monday 10:00 in China
		cases.SetClock(func() time.Time { return at })
		file, err := fs.Save(sys, "a.pdf", bytes.NewReader([]byte("%PDF-1.4\n%%EOF")))
		if err != nil {
			t.Fatal(err)
		}
		all, _ := ms.List(sys, matter.Filter{ActiveOnly: true})
		var code string
		for _, m := range all {
			if m.Current.Name == "有限责任公司设立登记" {
				code = m.Code
			}
		}
		spec, _ := casework.MatterCatalogue{Matters: ms}.MatterSpec(sys, code)
		filesFor := map[int]string{}
		for _, m := range spec.Materials {
			if m.Source == "applicant" || m.Source == "license" {
				filesFor[m.Seq] = file.ID
			}
		}
		clerk := identity.WithPrincipal(context.Background(), &identity.Principal{AccountID: clerkID, Username: "clerk", Role: identity.RoleWindowClerk})
		reviewer := identity.WithPrincipal(context.Background(), &identity.Principal{Username: "scjg", Role: identity.RoleReviewer, DepartmentCode: "SCJGJ"})
		owner := identity.WithPrincipal(context.Background(), &identity.Principal{Username: "qiye", Role: identity.RoleEnterprise, EnterpriseID: e.ID})
		file1 := func(ch casework.Channel) casework.Case {
			c, err := cases.Submit(sys, casework.Submission{MatterCode: code, EnterpriseID: e.ID, Channel: ch, Files: filesFor,
				Form: map[string]string{"company_kind": spec.Fields[len(spec.Fields)-1].Options[0]}})
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		act := func(ctx context.Context, no string, a casework.Action) casework.Case {
			c, _ := cases.Get(identity.WithPrincipal(context.Background(), identity.System("t")), no)
			a.IfVersion = c.Version
			out, err := cases.Act(ctx, no, a)
			if err != nil {
				t.Fatalf("%s: %v", a.Name, err)
			}
			return out
		}
		// 1: online, comprehensive window, decided the next working day (on time), mailed, 非常满意.
		c1 := file1(casework.ChannelOnline)
		act(clerk, c1.No, casework.Action{Name: casework.ActAccept})
		at = at.Add(24 * time.Hour)
		act(reviewer, c1.No, casework.Action{Name: casework.ActApprove})
		act(clerk, c1.No, casework.Action{Name: casework.ActDeliver, DeliveryMethod: "mail", TrackingNo: "EMS1"})
		if _, err := cases.Rate(owner, c1.No, 5, ""); err != nil {
			t.Fatal(err)
		}
		// 2: at the window, accepted at the department's own window, decided 3 working days late, 不满意 then rectified.
		at = time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC)
		c2 := file1(casework.ChannelWindow)
		act(reviewer, c2.No, casework.Action{Name: casework.ActAccept})
		at = time.Date(2026, 3, 6, 3, 0, 0, 0, time.UTC) // Friday: committed 1 day → due Tue 03-03
		act(reviewer, c2.No, casework.Action{Name: casework.ActApprove})
		if _, err := cases.Rate(owner, c2.No, 2, "等待太久"); err != nil {
			t.Fatal(err)
		}
		reviewerR := identity.WithPrincipal(context.Background(), &identity.Principal{Username: "scjg", Role: identity.RoleReviewer, DepartmentCode: "SCJGJ"})
		list, _ := cases.Rectifications(reviewerR, "")
		r := list[0]
		for _, mv := range []string{"contact", "rectify", "return_visit"} {
			if r, err = cases.Rectify(reviewerR, r.ID, mv, "已处理", r.Version); err != nil {
				t.Fatal(err)
			}
		}
		// 3: online, withdrawn before acceptance.
		c3 := file1(casework.ChannelOnline)
		act(owner, c3.No, casework.Action{Name: casework.ActWithdraw})

		rep, err := stats.New(d, cal).GovernmentServices(sys, stats.Period{From: "2026-03", To: "2026-03"})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string][2]float64{ // numerator, denominator
			"applications":       {3, 1},
			"full_online_rate":   {1, 3}, // only case 1: case 3 was withdrawn, case 2 came to the window
			"one_window_rate":    {1, 2}, // case 2 was accepted at the department's window
			"on_time_rate":       {1, 2},
			"avg_working_days":   {1 + 4, 2},
			"satisfaction_rate":  {1, 2},
			"rectification_rate": {1, 1},
		}
		got := map[string]stats.Indicator{}
		for _, in := range rep.Overall {
			got[in.Key] = in
		}
		for key, w := range want {
			in, ok := got[key]
			if !ok {
				t.Errorf("no indicator %s", key)
				continue
			}
			if in.Numerator != w[0] || in.Denominator != w[1] {
				t.Errorf("%s = %v / %v, want %v / %v", key, in.Numerator, in.Denominator, w[0], w[1])
			}
			if in.Formula.Zh == "" || in.Name.En == "" {
				t.Errorf("%s has no formula or name", key)
			}
		}
		if v := got["on_time_rate"].Value; v == nil || math.Abs(*v-50) > 1e-9 {
			t.Errorf("on-time rate %v", v)
		}
		if c := got["time_limit_compression"]; c.Value == nil || *c.Value <= 0 || *c.Value >= 100 {
			t.Errorf("compression %+v", c)
		}
		if len(rep.ByMonth) != 1 || rep.ByMonth[0].Key != "2026-03" || len(rep.ByDepartment) != 1 || rep.ByDepartment[0].Key != "SCJGJ" {
			t.Errorf("groups: %d months, %d departments", len(rep.ByMonth), len(rep.ByDepartment))
		}
		empty, _ := stats.New(d, cal).GovernmentServices(sys, stats.Period{From: "2025-01", To: "2025-02"})
		for _, in := range empty.Overall {
			if in.Unit == "percent" && in.Key != "time_limit_compression" && in.Value != nil {
				t.Errorf("%s has a value with no data: %v", in.Key, *in.Value)
			}
		}
		if _, err := stats.New(d, cal).GovernmentServices(sys, stats.Period{From: "2026-3"}); err == nil {
			t.Error("a malformed month was accepted")
		}
	})
}
