package casework_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/qinqing/qinqing/internal/casework"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/docs"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/identity"
)

func TestSuspensionStopsTheClockAndOverdueTurnsRed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		c := w.submit("qiyea", w.code("食品经营许可（新办）"), "")
		w.clock.set("2026-03-02")
		c = w.mustAct("clerk", c.No, casework.Action{Name: casework.ActAccept})
		due := c.Clock.Due
		w.clock.set("2026-03-04")
		c = w.mustAct("scjg", c.No, casework.Action{Name: casework.ActSuspend, SpecialType: "检验", Reason: "现场核查"})
		w.clock.set("2026-03-10")
		c = w.mustAct("scjg", c.No, casework.Action{Name: casework.ActResume, Opinion: "核查完成"})
		// Paused 03-04..03-10: Wed, Thu, Fri, Mon, Tue = 5 working days.
		want, _ := calendarAdd(due, 5)
		if c.Clock.Due != want {
			t.Errorf("due %s, want %s", c.Clock.Due, want)
		}
		// Leave it untouched past the deadline: the sweep turns it red.
		w.clock.set(want.AddDays(1).String())
		for w.clock.now().Weekday() == 0 || w.clock.now().Weekday() == 6 {
			w.clock.set(calendarDateOf(w.clock.now()).AddDays(1).String())
		}
		rep, err := w.cases.Sweep(sys())
		if err != nil {
			t.Fatal(err)
		}
		if rep.Red != 1 || rep.Changed != 1 {
			t.Errorf("sweep = %+v", rep)
		}
		c, _ = w.cases.Get(w.as("jg"), c.No)
		if c.DeadlineStatus != casework.StatusRed || c.Clock.Status != casework.StatusRed {
			t.Errorf("status %s / %s", c.DeadlineStatus, c.Clock.Status)
		}
		if rep, _ := w.cases.Sweep(sys()); rep.Changed != 0 {
			t.Error("a second sweep changed something again")
		}
		sup, err := w.cases.Supervision(w.as("jg"))
		if err != nil || len(sup) == 0 || sup[0].Department != "SCJGJ" || sup[0].Red != 1 {
			t.Errorf("supervision: %+v %v", sup, err)
		}
	})
}

func TestInstantMattersAreDecidedOnTheSpot(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		var code string
		cat := casework.MatterCatalogue{Matters: w.matters}
		for _, m := range mustList(t, w) {
			s, _ := cat.MatterSpec(sys(), m)
			if s.CaseType == "instant" && s.Department == "GAFJ" {
				code = m
				break
			}
		}
		if code == "" {
			t.Fatal("the demo catalogue lost its instant matter of 区公安分局, which this test needs")
		}
		c, err := w.cases.Submit(w.as("clerk"), casework.Submission{MatterCode: code, EnterpriseID: w.entA, Channel: casework.ChannelWindow,
			Files: w.filesFor("clerk", w.spec(code, "")), Form: w.form(code, "")})
		if err != nil {
			t.Fatal(err)
		}
		c = w.mustAct("clerk", c.No, casework.Action{Name: casework.ActApprove, Opinion: "当场办结"})
		if c.State != casework.Approved || c.AcceptedOn.IsZero() || c.DecidedOn != c.AcceptedOn || len(c.Steps) != 3 {
			t.Errorf("instant case: %s accepted %s decided %s, %d steps", c.State, c.AcceptedOn, c.DecidedOn, len(c.Steps))
		}
		// A promise matter cannot be approved at the window.
		p := w.submit("qiyea", w.code(llc), "")
		if _, err := w.act("clerk", p.No, casework.Action{Name: casework.ActApprove}); !errors.Is(err, errs.ErrForbidden) && !errors.Is(err, errs.ErrConflict) {
			t.Errorf("the front desk approved a promise matter: %v", err)
		}
	})
}

func TestABundleCompletesOnlyWhenEverySubCaseIsDecided(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		c := w.submit("qiyea", "", "YJS-QYKB")
		if c.Kind != "bundle" || len(c.Subs) != 6 || c.CommittedDays != 2 {
			t.Fatalf("bundle parent: kind %s, %d subs, %d days", c.Kind, len(c.Subs), c.CommittedDays)
		}
		c = w.mustAct("clerk", c.No, casework.Action{Name: casework.ActAccept})
		for _, sub := range c.Subs {
			if sub.State != casework.InReview || sub.Clock.Due != c.Clock.Due {
				t.Errorf("sub %s: %s due %s (parent due %s)", sub.No, sub.State, sub.Clock.Due, c.Clock.Due)
			}
		}
		reviewer := map[string]string{"SCJGJ": "scjg", "GAFJ": "gafj", "SWJ": "swj", "RSJ": "rsj", "GJJZX": "gjj"}
		for i, sub := range c.Subs {
			user := reviewer[sub.Department]
			if user == "" {
				user = "scjg" // a member of a department without a test reviewer: act as supervisor check below
				continue
			}
			// Another department's reviewer cannot touch this sub-case.
			other := "swj"
			if user == "swj" {
				other = "scjg"
			}
			if _, err := w.act(other, sub.No, casework.Action{Name: casework.ActApprove}); !errors.Is(err, errs.ErrForbidden) {
				t.Errorf("%s approved %s's sub-case: %v", other, sub.Department, err)
			}
			w.mustAct(user, sub.No, casework.Action{Name: casework.ActApprove, Opinion: "同意"})
			parent, _ := w.cases.Get(w.as("jg"), c.No)
			if i < len(c.Subs)-1 && parent.State != casework.InReview {
				t.Errorf("the parent is %s with sub-cases still open", parent.State)
			}
		}
		// Decide the remaining members (departments without a test reviewer) as their department would.
		parent, _ := w.cases.Get(w.as("jg"), c.No)
		for _, sub := range parent.Subs {
			if sub.State == casework.InReview {
				ctx := w.asDept(sub.Department)
				if _, err := w.cases.Act(ctx, sub.No, casework.Action{Name: casework.ActApprove, IfVersion: sub.Version}); err != nil {
					t.Fatal(err)
				}
			}
		}
		parent, _ = w.cases.Get(w.as("jg"), c.No)
		if parent.State != casework.Approved {
			t.Fatalf("parent %s after every sub-case was approved", parent.State)
		}
		delivered := w.mustAct("clerk", c.No, casework.Action{Name: casework.ActDeliver, DeliveryMethod: "mail", TrackingNo: "EMS1234567890CN", Address: "重庆市北碚区天生路 1 号"})
		for _, sub := range delivered.Subs {
			if sub.State != casework.Delivered {
				t.Errorf("sub %s is %s after delivery", sub.No, sub.State)
			}
		}
	})
}

func TestWhoSeesWhat(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		a := w.submit("qiyea", w.code(llc), "")
		if _, err := w.cases.Get(w.as("qiyeb"), a.No); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("enterprise B read A's case: %v", err)
		}
		if _, err := w.cases.Get(w.as("qiyeb"), "500109-20990101-00001"); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("an unknown number is told apart from a forbidden one: %v", err)
		}
		if _, err := w.cases.Get(w.as("swj"), a.No); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("another department's reviewer read the case: %v", err)
		}
		if _, err := w.cases.Get(w.as("scjg"), a.No); err != nil {
			t.Errorf("the handling department cannot read its case: %v", err)
		}
		pageB, _ := w.cases.List(w.as("qiyeb"), casework.Filter{Queue: "mine"})
		if pageB.Total != 0 {
			t.Errorf("enterprise B's list shows %d cases", pageB.Total)
		}
		if _, err := w.act("qiyeb", a.No, casework.Action{Name: casework.ActWithdraw}); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("enterprise B withdrew A's case: %v", err)
		}
		if _, err := w.cases.Submit(w.as("qiyeb"), casework.Submission{MatterCode: w.code(llc), EnterpriseID: w.entA, Channel: casework.ChannelOnline}); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("enterprise B filed for A: %v", err)
		}
		// An agent files only what its service point takes in.
		bankMatter := ""
		for _, m := range mustList(t, w) {
			if ok, _ := pointAccepts(w, "bank-cqrcb-caijia", m); !ok {
				bankMatter = m
				break
			}
		}
		_, err := w.cases.Submit(w.as("agent2"), casework.Submission{MatterCode: bankMatter, EnterpriseID: w.entA, Channel: casework.ChannelServicePoint,
			Authorization: "委托书 2026-001", Files: w.filesFor("agent2", w.spec(bankMatter, "")), Form: w.form(bankMatter, "")})
		if !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("an agent filed a matter its point does not take in: %v", err)
		}
		c, err := w.cases.Submit(w.as("agent"), casework.Submission{MatterCode: w.code(llc), EnterpriseID: w.entA, Channel: casework.ChannelServicePoint,
			Authorization: "委托书 2026-002", Files: w.filesFor("agent", w.spec(w.code(llc), "")), Form: w.form(w.code(llc), "")})
		if err != nil || c.ServicePoint != "caijiagang-centre" || c.Authorization != "委托书 2026-002" {
			t.Fatalf("agent filing: %+v %v", c, err)
		}
		if _, err := w.cases.Get(w.as("agent2"), c.No); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("another point's agent read the case: %v", err)
		}
	})
}

func TestTwoReviewersActingAtOnceOneWins(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		c := w.submit("qiyea", w.code(llc), "")
		c = w.mustAct("clerk", c.No, casework.Action{Name: casework.ActAccept})
		var wg sync.WaitGroup
		results := make(chan error, 2)
		for _, a := range []casework.Action{{Name: casework.ActApprove, IfVersion: c.Version}, {Name: casework.ActDeny, Reason: "不符合", LegalBasis: "依据", IfVersion: c.Version}} {
			wg.Go(func() {
				_, err := w.cases.Act(w.as("scjg"), c.No, a)
				results <- err
			})
		}
		wg.Wait()
		close(results)
		var ok, stale int
		for err := range results {
			switch {
			case err == nil:
				ok++
			case errors.Is(err, errs.ErrPrecondition):
				stale++
			default:
				t.Errorf("unexpected: %v", err)
			}
		}
		if ok != 1 || stale != 1 {
			t.Errorf("%d succeeded, %d stale; want 1 and 1", ok, stale)
		}
		if _, err := w.cases.Act(w.as("scjg"), c.No, casework.Action{Name: casework.ActApprove}); !errors.Is(err, errs.ErrPreconditionRequired) {
			t.Errorf("an action without a version: %v", err)
		}
	})
}

func TestRatingsAndRectification(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		c := w.submit("qiyea", w.code(llc), "")
		if _, err := w.cases.Rate(w.as("qiyea"), c.No, 5, ""); !errors.Is(err, errs.ErrConflict) {
			t.Errorf("rated before a decision: %v", err)
		}
		w.mustAct("clerk", c.No, casework.Action{Name: casework.ActAccept})
		w.mustAct("scjg", c.No, casework.Action{Name: casework.ActApprove})
		if _, err := w.cases.Rate(w.as("qiyeb"), c.No, 1, "差"); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("another firm rated: %v", err)
		}
		if _, err := w.cases.Rate(w.as("qiyea"), c.No, 2, ""); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("a 差评 without a reason: %v", err)
		}
		w.clock.set("2026-03-02")
		if _, err := w.cases.Rate(w.as("qiyea"), c.No, 2, "窗口解释不清楚"); err != nil {
			t.Fatal(err)
		}
		if _, err := w.cases.Rate(w.as("qiyea"), c.No, 5, ""); !errors.Is(err, errs.ErrConflict) {
			t.Errorf("rated twice: %v", err)
		}
		list, err := w.cases.Rectifications(w.as("scjg"), "")
		if err != nil || len(list) != 1 {
			t.Fatalf("rectifications: %v %v", list, err)
		}
		r := list[0]
		// Chongqing practice: rectify within 5 working days (Mon 03-02 → Mon 03-09).
		if r.DueOn != "2026-03-09" || r.State != "open" {
			t.Errorf("rectification %+v", r)
		}
		if others, _ := w.cases.Rectifications(w.as("swj"), ""); len(others) != 0 {
			t.Error("another department sees the rectification")
		}
		if _, err := w.cases.Rectify(w.as("swj"), r.ID, "contact", "x", r.Version); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("another department acted: %v", err)
		}
		r, err = w.cases.Rectify(w.as("scjg"), r.ID, "appeal", "企业误评，已提供录音", r.Version)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.cases.Rectify(w.as("scjg"), r.ID, "uphold", "部门自己裁定", r.Version); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("the department decided its own appeal: %v", err)
		}
		r, err = w.cases.Rectify(w.as("jg"), r.ID, "overrule", "申诉理由不成立", r.Version)
		if err != nil || r.State != "open" {
			t.Fatalf("overrule: %+v %v", r, err)
		}
		for _, mv := range []string{"contact", "rectify", "return_visit"} {
			if r, err = w.cases.Rectify(w.as("scjg"), r.ID, mv, "已处理："+mv, r.Version); err != nil {
				t.Fatalf("%s: %v", mv, err)
			}
		}
		if r.State != "closed" {
			t.Errorf("final state %s", r.State)
		}
	})
}

func TestDocumentsAndThePublicProgressPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		c := w.submit("qiyea", w.code(llc), "")
		if _, err := w.cases.Document(w.as("qiyea"), c.No, docs.Acceptance); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("an acceptance notice before acceptance: %v", err)
		}
		c = w.mustAct("clerk", c.No, casework.Action{Name: casework.ActRequestSupplement, Missing: []casework.MissingItem{{Name: "公司章程", Requirement: "全体股东签字"}}})
		pdf, err := w.cases.Document(w.as("qiyea"), c.No, docs.Supplement)
		if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
			t.Fatalf("supplement notice: %v", err)
		}
		if _, err := w.cases.Document(w.as("qiyeb"), c.No, docs.Supplement); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("another firm downloaded the notice: %v", err)
		}
		pub, err := w.cases.PublicProgress(sys(), c.No, c.QueryCode)
		if err != nil || pub.State != casework.SupplementRequested || len(pub.Steps) != 2 {
			t.Errorf("public progress: %+v %v", pub, err)
		}
		if _, err := w.cases.PublicProgress(sys(), c.No, "AAAAAA"); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("a wrong query code: %v", err)
		}
		if got := w.cases.ProgressURL(c); got != "https://qinqing.example.gov.cn/progress?code="+c.QueryCode+"&no="+c.No {
			t.Errorf("progress URL %s", got)
		}
		// The code is case-insensitive as printed; a lower-case copy works.
		if _, err := w.cases.PublicProgress(sys(), c.No, strings.ToLower(c.QueryCode)); err != nil {
			t.Errorf("a lower-case query code: %v", err)
		}
		// One address guessing codes is stopped; others are not.
		guesser := identity.WithRequest(context.Background(), identity.Request{IP: "203.0.113.9"})
		for i := range casework.LookupFailures {
			if _, err := w.cases.PublicProgress(guesser, c.No, fmt.Sprintf("Z%05d", i)); !errors.Is(err, errs.ErrNotFound) {
				t.Fatalf("guess %d: %v", i, err)
			}
		}
		if _, err := w.cases.PublicProgress(guesser, c.No, c.QueryCode); !errors.Is(err, errs.ErrTooManyRequest) {
			t.Errorf("after %d misses the address may still look up: %v", casework.LookupFailures, err)
		}
		other := identity.WithRequest(context.Background(), identity.Request{IP: "198.51.100.7"})
		if _, err := w.cases.PublicProgress(other, c.No, c.QueryCode); err != nil {
			t.Errorf("another address was refused: %v", err)
		}
	})
}
