package casework_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/qinqing/qinqing/internal/casework"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/identity"
)

const llc = "有限责任公司设立登记"

func TestOnlineApplicationIsPrefilledAndNumbered(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		c := w.submit("qiyea", w.code(llc), "")
		if !strings.HasPrefix(c.No, "500109-20260302-") || len(c.QueryCode) != 6 || c.State != casework.Submitted {
			t.Errorf("case = %s %s %s", c.No, c.QueryCode, c.State)
		}
		if c.Applicant != "重庆北碚甲科技有限公司" || c.Department != "SCJGJ" || c.MatterVersion != 1 {
			t.Errorf("applicant %s dept %s version %d", c.Applicant, c.Department, c.MatterVersion)
		}
		prefilled := false
		for _, v := range c.Form {
			prefilled = prefilled || v == "重庆北碚甲科技有限公司" || v == "张三"
		}
		if !prefilled {
			t.Errorf("the form was not prefilled from 一企一档: %v", c.Form)
		}
		second := w.submit("qiyea", w.code(llc), "")
		if second.No == c.No {
			t.Error("two cases share a number")
		}
	})
}

func TestMissingMaterialsAreListedAtOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		_, err := w.cases.Submit(w.as("qiyea"), casework.Submission{MatterCode: w.code(llc), Channel: casework.ChannelOnline,
			Form: map[string]string{"no_such_field": "x"}})
		fields := errs.FieldsOf(err)
		required := 0
		for _, m := range w.spec(w.code(llc), "") {
			if (m.Source == "applicant" || m.Source == "license") && m.Required {
				required++ // the firm holds no licence yet, so licences are asked for too
			}
		}
		materialErrs := 0
		for k := range fields {
			if strings.HasPrefix(k, "materials.") {
				materialErrs++
			}
		}
		if materialErrs != required || fields["form.no_such_field"].Zh == "" {
			t.Errorf("got %d material errors (want %d) and %v", materialErrs, required, fields)
		}
		var n int
		d.QueryRowContext(sys(), "SELECT count(*) FROM cases").Scan(&n)
		if n != 0 {
			t.Errorf("%d cases written by a failed submission", n)
		}
	})
}

func TestASupplementRequestNamesEveryItemAndItsRequirement(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		c := w.submit("qiyea", w.code(llc), "")
		for _, tc := range []struct {
			missing []casework.MissingItem
			field   string
		}{
			{nil, "missing"},
			{[]casework.MissingItem{{Name: " ", Requirement: ""}}, "missing"},
			{[]casework.MissingItem{{Name: "公司章程", Requirement: "全体股东签字"}, {Name: "住所证明"}}, "missing[1].requirement"},
			{[]casework.MissingItem{{Requirement: "加盖公章"}}, "missing[0].name"},
		} {
			_, err := w.act("clerk", c.No, casework.Action{Name: casework.ActRequestSupplement, Missing: tc.missing})
			if _, ok := errs.FieldsOf(err)[tc.field]; !ok {
				t.Errorf("%v: %v, want an error on %s", tc.missing, err, tc.field)
			}
		}
		// Blank spare rows are dropped, not refused.
		c = w.mustAct("clerk", c.No, casework.Action{Name: casework.ActRequestSupplement,
			Missing: []casework.MissingItem{{Name: "公司章程", Requirement: "全体股东签字"}, {}}})
		if len(c.Missing) != 1 || c.Missing[0].Requirement != "全体股东签字" {
			t.Errorf("stored list = %v", c.Missing)
		}
	})
}

func TestACertificateTheFirmHoldsIsNeverAskedAgain(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		c := w.submit("qiyea", w.code(llc), "")
		w.mustAct("clerk", c.No, casework.Action{Name: casework.ActAccept})
		done := w.mustAct("scjg", c.No, casework.Action{Name: casework.ActApprove, Opinion: "符合条件"})
		if done.CertificateName != "营业执照" || done.CertificateNo == "" {
			t.Fatalf("certificate %q %q", done.CertificateName, done.CertificateNo)
		}
		// A later bundle application lists 营业执照 as reused, not asked for.
		later := w.submit("qiyea", "", "YJS-QYBG")
		reused := false
		for _, m := range later.Materials {
			if strings.Contains(m.ReusedFrom, "certificate:营业执照") {
				reused = true
			}
		}
		if !reused {
			t.Errorf("营业执照 not reused: %+v", later.Materials)
		}
	})
}

// TestEveryTransition tries every action from every state: the legal ones
// succeed, the others are refused with a conflict and change nothing.
func TestEveryTransition(t *testing.T) {
	legal := map[casework.State][]string{
		casework.Submitted:           {casework.ActAccept, casework.ActReject, casework.ActRequestSupplement, casework.ActWithdraw},
		casework.InReview:            {casework.ActRequestSupplement, casework.ActSuspend, casework.ActApprove, casework.ActDeny, casework.ActWithdraw},
		casework.SupplementRequested: {casework.ActSupplement, casework.ActWithdraw},
		casework.Suspended:           {casework.ActResume, casework.ActWithdraw},
		casework.Approved:            {casework.ActDeliver},
		casework.Delivered:           {},
		casework.Denied:              {},
		casework.NotAccepted:         {},
		casework.Withdrawn:           {},
	}
	// The steps that bring a new case to each state.
	reach := map[casework.State][]casework.Action{
		casework.Submitted:           nil,
		casework.InReview:            {{Name: casework.ActAccept}},
		casework.SupplementRequested: {{Name: casework.ActAccept}, {Name: casework.ActRequestSupplement, Missing: []casework.MissingItem{{Name: "公司章程", Requirement: "全体股东签字"}}}},
		casework.Suspended:           {{Name: casework.ActAccept}, {Name: casework.ActSuspend, SpecialType: "专家评审", Reason: "需专家评审"}},
		casework.Approved:            {{Name: casework.ActAccept}, {Name: casework.ActApprove}},
		casework.Delivered:           {{Name: casework.ActAccept}, {Name: casework.ActApprove}, {Name: casework.ActDeliver, DeliveryMethod: "window"}},
		casework.Denied:              {{Name: casework.ActAccept}, {Name: casework.ActDeny, Reason: "不符合条件", LegalBasis: "《公司法》第二十九条"}},
		casework.NotAccepted:         {{Name: casework.ActReject, Reason: "不属于本机关职权范围"}},
		casework.Withdrawn:           {{Name: casework.ActWithdraw}},
	}
	full := map[string]casework.Action{
		casework.ActAccept: {Name: casework.ActAccept}, casework.ActReject: {Name: casework.ActReject, Reason: "理由"},
		casework.ActRequestSupplement: {Name: casework.ActRequestSupplement, Missing: []casework.MissingItem{{Name: "材料", Requirement: "原件"}}},
		casework.ActSupplement:        {Name: casework.ActSupplement}, casework.ActSuspend: {Name: casework.ActSuspend, SpecialType: "检测", Reason: "检测"},
		casework.ActResume: {Name: casework.ActResume}, casework.ActApprove: {Name: casework.ActApprove},
		casework.ActDeny:    {Name: casework.ActDeny, Reason: "理由", LegalBasis: "依据"},
		casework.ActDeliver: {Name: casework.ActDeliver, DeliveryMethod: "window"}, casework.ActWithdraw: {Name: casework.ActWithdraw},
	}
	// who performs each action on a single SCJGJ matter
	actor := func(a string, st casework.State) string {
		switch a {
		case casework.ActAccept, casework.ActReject, casework.ActDeliver:
			return "clerk"
		case casework.ActSupplement, casework.ActWithdraw:
			return "qiyea"
		case casework.ActRequestSupplement:
			if st == casework.Submitted {
				return "clerk"
			}
		}
		return "scjg"
	}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		code := w.code(llc)
		for st, steps := range reach {
			for _, a := range casework.Actions {
				c := w.submit("qiyea", code, "")
				for _, s := range steps {
					w.mustAct(actor(s.Name, c.State), c.No, s)
					c, _ = w.cases.Get(w.as("jg"), c.No)
				}
				if c.State != st {
					t.Fatalf("setup reached %s, want %s", c.State, st)
				}
				want := slices.Contains(legal[st], a)
				// Pages offer exactly what the service will do.
				if offered := slices.Contains(casework.AvailableActions(identity.PrincipalFrom(w.as(actor(a, st))), c), a); offered != want {
					t.Errorf("%s from %s: offered=%v, legal=%v", a, st, offered, want)
				}
				_, err := w.act(actor(a, st), c.No, full[a])
				switch {
				case want && err != nil:
					t.Errorf("%s from %s was refused: %v", a, st, err)
				case !want && !errors.Is(err, errs.ErrConflict):
					t.Errorf("%s from %s: %v, want a conflict", a, st, err)
				}
				if !want {
					after, _ := w.cases.Get(w.as("jg"), c.No)
					if after.Version != c.Version || after.State != st {
						t.Errorf("a refused %s changed the case", a)
					}
				}
			}
		}
	})
}

func TestSupplementReturnsWhereItWasAndStopsTheClock(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		code := w.code("食品经营许可（新办）")
		c := w.submit("qiyea", code, "")
		w.clock.set("2026-03-02") // Monday
		c = w.mustAct("clerk", c.No, casework.Action{Name: casework.ActAccept})
		committed := c.CommittedDays
		before := c.Clock.Due
		w.clock.set("2026-03-03")
		c = w.mustAct("scjg", c.No, casework.Action{Name: casework.ActRequestSupplement,
			Missing: []casework.MissingItem{{Name: "食品安全管理制度", Requirement: "加盖公章"}, {Name: "设备布局图", Requirement: "标明设备位置"}}})
		if c.State != casework.SupplementRequested || len(c.Missing) != 2 || !c.Clock.Paused {
			t.Fatalf("after request: %s %v paused=%v", c.State, c.Missing, c.Clock.Paused)
		}
		// Three working days pass while the applicant gathers the papers (Tue–Thu).
		w.clock.set("2026-03-06")
		c = w.mustAct("qiyea", c.No, casework.Action{Name: casework.ActSupplement, Files: map[int]string{1: w.upload("qiyea", "制度.pdf")}})
		if c.State != casework.InReview {
			t.Fatalf("after supplement the case is %s, want in_review", c.State)
		}
		// The pause covered 03-03..03-06 (4 working days): the deadline moves by 4.
		want, _ := calendarAdd(before, 4)
		if c.Clock.Due != want {
			t.Errorf("due %s, want %s (was %s, %d committed)", c.Clock.Due, want, before, committed)
		}
		// The clock stood still from the day of the request through the day the
		// supplement arrived (both ends stopped), so nothing was used yet.
		if c.Clock.Used != 0 || len(c.Pauses) != 1 || c.Pauses[0].To.String() != "2026-03-06" {
			t.Errorf("used %d, pauses %+v", c.Clock.Used, c.Pauses)
		}
	})
}
