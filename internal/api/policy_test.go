package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qinqing/qinqing/internal/app/apptest"
	"github.com/qinqing/qinqing/internal/auth"
	"github.com/qinqing/qinqing/internal/calendar"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/seed"
)

// policyWorld is a platform on a fixed date (Monday 15 June 2026) with
// the departments, two Beibei enterprises, the demo definitions of three
// policies and the people who use the policy supermarket, signed in
// through the API.
//
//   - A, 重庆北碚嘉陵智造有限公司: auto parts (3670), 80 employees, revenue
//     3,000万, assets 2,000万, taxable income 120万, listed — small, so a
//     小型微利 firm for the income-tax relief (estimated 24万 yuan), eligible
//     for the 上市奖励 (300万) and for 首贷贴息 (10万).
//   - B, 重庆缙云小微商贸有限公司: wholesale (5191), 8 employees, revenue
//     300万, no assets or taxable income on file — micro, so eligible for
//     首贷贴息, unknown for the income-tax relief.
type policyWorld struct {
	t                                          *testing.T
	srv                                        *apptest.Server
	ownerA, ownerB, off1, off2, clerk, liaison string
	entA, entB                                 int64
	defs                                       map[string]json.RawMessage // code → demo definition
	ids                                        map[string]int64           // placeholders of the scenario
	today                                      time.Time
}

const policyToday = "2026-06-15"

func newPolicyWorld(t *testing.T, d db.Dialect, opts ...apptest.Option) *policyWorld {
	t.Helper()
	s := apptest.Start(t, d, opts...)
	m := s.Main
	date, _ := calendar.ParseDate(policyToday)
	w := &policyWorld{t: t, srv: s, defs: map[string]json.RawMessage{},
		today: time.Date(date.Year, date.Month, date.Day, 2, 0, 0, 0, time.UTC)}
	m.Policy.SetClock(func() time.Time { return w.today })
	ctx := apptest.System()
	if err := seed.LoadOrgs(ctx, m.DB); err != nil {
		t.Fatal(err)
	}
	demo, err := seed.DemoPolicies()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range demo {
		w.defs[p.Code] = p.Raw
	}
	yuan := func(y int64) enterprise.Maybe[int64] { return enterprise.Some(y * 100) }
	a, _, err := m.Enterprise.Create(ctx, enterprise.Input{CreditCode: enterprise.Some(creditCode(301)), Name: enterprise.Some("重庆北碚嘉陵智造有限公司"),
		RegionCode: enterprise.Some("500109001"), IndustryCode: enterprise.Some("3670"), RegisteredOn: enterprise.Some("2012-05-08"),
		ContactName: enterprise.Some("王敏"), ContactPhone: enterprise.Some("13983001234"), Address: enterprise.Some("重庆市北碚区蔡家岗街道同兴路 9 号"),
		FiscalYear: 2025, Employees: enterprise.Some[int64](80), RevenueFen: yuan(30_000_000), AssetsFen: yuan(20_000_000),
		TaxableIncomeFen: yuan(1_200_000), Tags: enterprise.Some([]enterprise.TagInput{{Code: "listed", ValidFrom: "2024-03-01"}})})
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := m.Enterprise.Create(ctx, enterprise.Input{CreditCode: enterprise.Some(creditCode(302)), Name: enterprise.Some("重庆缙云小微商贸有限公司"),
		RegionCode: enterprise.Some("500109005"), IndustryCode: enterprise.Some("5191"), RegisteredOn: enterprise.Some("2021-09-01"),
		FiscalYear: 2025, Employees: enterprise.Some[int64](8), RevenueFen: yuan(3_000_000)})
	if err != nil {
		t.Fatal(err)
	}
	w.entA, w.entB = a.ID, b.ID
	acc := func(a auth.NewAccount) string { return s.Token(s.Account(a), a.Password) }
	w.ownerA = acc(auth.NewAccount{Username: "jialing1", Role: identity.RoleEnterprise, EnterpriseID: a.ID, Password: entPW})
	w.ownerB = acc(auth.NewAccount{Username: "jinyun2", Role: identity.RoleEnterprise, EnterpriseID: b.ID, Password: entPW})
	w.off1 = acc(auth.NewAccount{Username: "zhengce1", Role: identity.RolePolicyOfficer, DisplayName: "政策专员甲", Password: staffPW})
	w.off2 = acc(auth.NewAccount{Username: "zhengce2", Role: identity.RolePolicyOfficer, DisplayName: "政策专员乙", Password: staffPW})
	w.clerk = acc(auth.NewAccount{Username: "chuangkou1", Role: identity.RoleWindowClerk, Password: staffPW})
	w.liaison = acc(auth.NewAccount{Username: "teshi1", Role: identity.RoleLiaison, Password: staffPW})
	return w
}

// def returns a demo definition as a map, with changes applied.
func (w *policyWorld) def(code string, changes map[string]any) map[string]any {
	w.t.Helper()
	raw, ok := w.defs[code]
	if !ok {
		w.t.Fatalf("no demo policy %s", code)
	}
	var m map[string]any
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		w.t.Fatal(err)
	}
	for k, v := range changes {
		m[k] = v
	}
	return m
}

// publish creates a demo policy and publishes it effective 2026-01-01;
// it returns the policy id.
func (w *policyWorld) publish(code string) int64 {
	w.t.Helper()
	r := w.srv.Do("POST", "/api/v1/policies", w.off1, w.def(code, nil), nil)
	if r.Status != http.StatusCreated {
		w.t.Fatalf("create %s: %d %s", code, r.Status, r.Body)
	}
	var p struct{ ID int64 }
	r.JSON(w.t, &p)
	r = w.srv.Do("POST", fmt.Sprintf("/api/v1/policies/%d/publish", p.ID), w.off1, map[string]string{"effective_from": "2026-01-01"},
		map[string]string{"If-Match": r.Header.Get("ETag")})
	if r.Status != http.StatusOK {
		w.t.Fatalf("publish %s: %d %s", code, r.Status, r.Body)
	}
	return p.ID
}

// policyStep is one request of a scenario: placeholders {A} {B} {xwqy}
// {ssjl} {sdtx} {draft} {app} {batch} {run} {item} in the path are
// replaced; {etag} in a header by the ETag of the last response that had
// one.
type policyStep struct {
	name   string
	method string
	path   string
	token  func(w *policyWorld) string
	body   any
	header map[string]string
	status int
	want   []string
	absent []string
	check  func(t *testing.T, w *policyWorld, r apptest.Response)
	keep   string // remember the response's "id" under this placeholder
}

func tok(f func(w *policyWorld) string) func(w *policyWorld) string { return f }

var (
	pAnon    = tok(func(*policyWorld) string { return "" })
	pOwnerA  = tok(func(w *policyWorld) string { return w.ownerA })
	pOwnerB  = tok(func(w *policyWorld) string { return w.ownerB })
	pOff1    = tok(func(w *policyWorld) string { return w.off1 })
	pOff2    = tok(func(w *policyWorld) string { return w.off2 })
	pClerk   = tok(func(w *policyWorld) string { return w.clerk })
	pLiaison = tok(func(w *policyWorld) string { return w.liaison })
)

// matchOut is one element of policy-matches, decoded strictly.
type matchOut struct {
	PolicyID   int64 `json:"policy_id"`
	Title      string
	Result     string
	Conditions []struct {
		Attr, Op, Result, Path, Text string
		Value, Actual                any
		Negated                      bool
		Satisfied                    *bool
	}
	Missing              []string
	EstimatedBenefitYuan *float64 `json:"estimated_benefit_yuan"`
	BenefitIsSaving      bool     `json:"benefit_is_saving"`
}

func TestPolicySupermarketScenarios(t *testing.T) {
	badCondition := func(w *policyWorld) any {
		return w.def("xwqy-sds-2023", map[string]any{"code": "bad-op-2026",
			"conditions": map[string]any{"all": []any{map[string]any{"attr": "employees", "op": "about", "value": 300}}}})
	}
	failingTest := func(w *policyWorld) any {
		d := w.def("xwqy-sds-2023", map[string]any{"code": "failing-test-2026"})
		d["tests"] = []any{map[string]any{"name": "301人也算小型微利（错误的预期）", "as_of": "2026-06-30",
			"profile": map[string]any{"taxable_income": 800000, "employees": 301, "assets": 20000000}, "expect": "eligible"}}
		return d
	}
	steps := []policyStep{
		// Writing rules.
		{name: "a bad operator is named by its condition path", method: "POST", path: "/api/v1/policies", token: pOff1,
			body: badCondition, status: 422, want: []string{`"conditions.all[0].op"`}},
		{name: "a failing test of the policy's own is named with why", method: "POST", path: "/api/v1/policies", token: pOff1,
			body: failingTest, status: 422, want: []string{`"tests[0]"`, "301人也算小型微利", "不符合"}},
		{name: "an unknown field is named", method: "POST", path: "/api/v1/policies", token: pOff1,
			body: func(w *policyWorld) any { return w.def("xwqy-sds-2023", map[string]any{"colour": "red"}) }, status: 422, want: []string{`"colour"`}},
		{name: "an enterprise cannot write policies", method: "POST", path: "/api/v1/policies", token: pOwnerA,
			body: func(w *policyWorld) any { return w.def("xwqy-sds-2023", nil) }, status: 403},
		{name: "an officer creates a draft; its own tests run", method: "POST", path: "/api/v1/policies", token: pOff1,
			body: func(w *policyWorld) any { return w.def("zdyjzz-2022", nil) }, status: 201, keep: "draft",
			want: []string{`"status":"draft"`, `"latest_version":1`, `"passed":true`, `"test_results"`}, absent: []string{`"passed":false`}},
		{name: "the same code again is a conflict", method: "POST", path: "/api/v1/policies", token: pOff1,
			body: func(w *policyWorld) any { return w.def("zdyjzz-2022", nil) }, status: 409, want: []string{"policy_code_taken"}},
		{name: "the public does not see a draft", method: "GET", path: "/api/v1/policies/{draft}", token: pAnon, status: 404},
		{name: "an officer sees the draft with its versions", method: "GET", path: "/api/v1/policies/{draft}", token: pOff2, status: 200,
			want: []string{`"versions":[{"number":1,"state":"draft"`, `"document_no":`}},
		{name: "an enterprise cannot publish", method: "POST", path: "/api/v1/policies/{draft}/publish", token: pOwnerA,
			header: map[string]string{"If-Match": `"v1"`}, body: map[string]string{"effective_from": "2026-07-01"}, status: 403},
		{name: "publishing needs If-Match", method: "POST", path: "/api/v1/policies/{draft}/publish", token: pOff1,
			body: map[string]string{"effective_from": "2026-07-01"}, status: 428},
		{name: "a stale If-Match is a 412", method: "POST", path: "/api/v1/policies/{draft}/publish", token: pOff1,
			header: map[string]string{"If-Match": `"v7"`}, body: map[string]string{"effective_from": "2026-07-01"}, status: 412},
		{name: "an edit of the draft moves its revision", method: "PUT", path: "/api/v1/policies/{draft}", token: pOff1,
			header: map[string]string{"If-Match": `"v1"`}, body: func(w *policyWorld) any {
				return w.def("zdyjzz-2022", map[string]any{"keywords": "转贷 应急 周转资金 过桥 续贷"})
			}, status: 200, want: []string{`"rev":2`, `"latest_version":1`}},
		{name: "the old revision is now stale", method: "PUT", path: "/api/v1/policies/{draft}", token: pOff1,
			header: map[string]string{"If-Match": `"v1"`}, body: func(w *policyWorld) any { return w.def("zdyjzz-2022", nil) }, status: 412},

		// Finding policies.
		{name: "the public lists what is on the shelves", method: "GET", path: "/api/v1/policies", token: pAnon, status: 200,
			want: []string{"小型微利企业减免企业所得税", "企业上市奖励", `"total":3`}, absent: []string{"中小企业转贷应急周转资金"}},
		{name: "xwqy finds 小微 policies by their initials", method: "GET", path: "/api/v1/policies?q=xwqy", token: pAnon, status: 200,
			want: []string{`"score":`}, check: checkXwqySearch},
		{name: "a document number finds its policy", method: "GET", path: "/api/v1/policies?q=" + urlq("2023年第12号"), token: pAnon, status: 200,
			want: []string{"小型微利企业减免企业所得税", `"total":1`}},
		{name: "shelves filter", method: "GET", path: "/api/v1/policies?shelf=tax", token: pAnon, status: 200,
			want: []string{"小型微利企业减免企业所得税", `"total":1`}},
		{name: "staff search finds drafts too", method: "GET", path: "/api/v1/policies?q=" + urlq("续贷") + "&status=draft", token: pOff1, status: 200,
			want: []string{"中小企业转贷应急周转资金", `"total":1`}},
		{name: "an unknown shelf is named", method: "GET", path: "/api/v1/policies?shelf=toys", token: pAnon, status: 422, want: []string{`"shelf"`}},
		{name: "anyone reads a published policy", method: "GET", path: "/api/v1/policies/{xwqy}", token: pAnon, status: 200,
			want: []string{`"status":"published"`, `"effective_from":"2026-01-01"`, `"document_no":"财政部 税务总局公告2023年第12号"`, `"shelf_name":"税费减免"`}},

		// Simulating.
		{name: "an officer simulates the stored rule", method: "POST", path: "/api/v1/policies/{xwqy}/simulate", token: pOff1,
			body: map[string]string{"as_of": policyToday}, status: 200,
			want: []string{`"eligible":1`, `"unknown":1`, `"estimated_payout_yuan":240000`, `"by_street":[`, `"by_size":[`, "重庆北碚嘉陵智造有限公司"}},
		{name: "an unsaved rule is simulated as edited", method: "POST", path: "/api/v1/policies/{xwqy}/simulate", token: pOff1,
			body: map[string]any{"conditions": map[string]any{"attr": "employees", "op": "le", "value": 10},
				"benefit": map[string]any{"kind": "fixed", "amount_yuan": 5000, "period": "once"}}, status: 200,
			want: []string{`"eligible":1`, `"ineligible":1`, `"estimated_payout_yuan":5000`, "重庆缙云小微商贸有限公司"}},
		{name: "an enterprise cannot simulate", method: "POST", path: "/api/v1/policies/{xwqy}/simulate", token: pOwnerA, status: 403},

		// Matching.
		{name: "A's matches explain every condition, eligible first", method: "GET", path: "/api/v1/enterprises/{A}/policy-matches?as_of=" + policyToday,
			token: pOwnerA, status: 200, check: checkMatchesOfA},
		{name: "B's matches put the unknown relief after the eligible 首贷贴息", method: "GET", path: "/api/v1/enterprises/{B}/policy-matches",
			token: pOwnerB, status: 200, check: checkMatchesOfB},
		{name: "B cannot read A's matches", method: "GET", path: "/api/v1/enterprises/{A}/policy-matches", token: pOwnerB, status: 403},
		{name: "a bad date is named", method: "GET", path: "/api/v1/enterprises/{A}/policy-matches?as_of=15/06/2026", token: pOwnerA, status: 422,
			want: []string{`"as_of"`}},
		{name: "what-if: 301 employees lose the relief and, A turning medium, 首贷贴息", method: "POST", path: "/api/v1/eligibility/what-if", token: pOwnerA,
			body: func(w *policyWorld) any {
				return map[string]any{"enterprise_id": w.entA, "changes": map[string]any{"employees": 301}}
			},
			status: 200, check: checkWhatIf},
		{name: "what-if names an unknown attribute", method: "POST", path: "/api/v1/eligibility/what-if", token: pOwnerA,
			body: func(w *policyWorld) any {
				return map[string]any{"enterprise_id": w.entA, "changes": map[string]any{"staff": 3}}
			},
			status: 422, want: []string{`"changes.staff"`}},
		{name: "what-if on another firm is refused", method: "POST", path: "/api/v1/eligibility/what-if", token: pOwnerB,
			body: func(w *policyWorld) any {
				return map[string]any{"enterprise_id": w.entA, "changes": map[string]any{"employees": 5}}
			},
			status: 403},
		{name: "the calculator asks its first question", method: "POST", path: "/api/v1/policy-calculator", token: pAnon,
			body: map[string]any{"answers": map[string]any{}}, status: 200, want: []string{`"next":{"attr":"region_code"`, `"asked":0`}},
		{name: "the calculator decides from answers", method: "POST", path: "/api/v1/policy-calculator", token: pAnon,
			body: map[string]any{"answers": map[string]any{"taxable_income": 3000000, "employees": 300, "assets": 50000000, "tags": []string{}}}, status: 200,
			check: checkCalculator},

		// Applying and review.
		{name: "A's prefilled form asks only what the platform lacks", method: "GET", path: "/api/v1/policies/{ssjl}/application-form", token: pOwnerA,
			status: 200, want: []string{`"name":"营业执照","required":true,"source":"profile","asked":false`, `"entitled_yuan":3000000`,
				`"value":"重庆北碚嘉陵智造有限公司"`, `"result":"eligible"`}},
		{name: "B is refused the 上市奖励 with the reason", method: "POST", path: "/api/v1/policy-applications", token: pOwnerB,
			body: func(w *policyWorld) any { return w.application(w.ownerB, "ssjl") }, status: 409, want: []string{"not_eligible", "资质与认定", "不符合"}},
		{name: "a missing material is named", method: "POST", path: "/api/v1/policy-applications", token: pOwnerA,
			body: func(w *policyWorld) any { return map[string]any{"policy_id": w.id("ssjl")} }, status: 422, want: []string{`"files.0"`, `"files.1"`},
			absent: []string{`"files.2"`}},
		{name: "A applies", method: "POST", path: "/api/v1/policy-applications", token: pOwnerA, keep: "app",
			body: func(w *policyWorld) any { return w.application(w.ownerA, "ssjl") }, header: map[string]string{"Idempotency-Key": "ssjl-a-1"},
			status: 201, want: []string{`"state":"in_review"`, `"requested_yuan":3000000`, `"policy_version":1`, `"actions":["withdraw"]`}},
		{name: "B cannot read A's application", method: "GET", path: "/api/v1/policy-applications/{app}", token: pOwnerB, status: 403},
		{name: "B's list is empty", method: "GET", path: "/api/v1/policy-applications", token: pOwnerB, status: 200, want: []string{`"total":0`}},
		{name: "B cannot ask for A's applications by filter", method: "GET", path: "/api/v1/policy-applications?enterprise_id={A}", token: pOwnerB,
			status: 200, want: []string{`"total":0`}},
		{name: "a window clerk cannot list applications", method: "GET", path: "/api/v1/policy-applications", token: pClerk, status: 403},
		{name: "the officer's queue has it", method: "GET", path: "/api/v1/policy-applications?queue=true", token: pOff1, status: 200,
			want: []string{`"total":1`, "重庆北碚嘉陵智造有限公司"}},
		{name: "an approval above the formula is refused", method: "POST", path: "/api/v1/policy-applications/{app}/actions", token: pOff1,
			header: map[string]string{"If-Match": `"v1"`}, body: map[string]any{"action": "approve", "amount_yuan": 3000000.01}, status: 422,
			want: []string{`"amount_yuan"`}},
		{name: "the applicant cannot approve", method: "POST", path: "/api/v1/policy-applications/{app}/actions", token: pOwnerA,
			header: map[string]string{"If-Match": `"v1"`}, body: map[string]any{"action": "approve"}, status: 403},
		{name: "review actions need If-Match", method: "POST", path: "/api/v1/policy-applications/{app}/actions", token: pOff1,
			body: map[string]any{"action": "approve"}, status: 428},
		{name: "officer 1 approves 300万, which needs a second approval", method: "POST", path: "/api/v1/policy-applications/{app}/actions",
			token: pOff1, header: map[string]string{"If-Match": `"v1"`}, body: map[string]any{"action": "approve", "amount_yuan": 3000000, "opinion": "材料齐全"},
			status: 200, want: []string{`"state":"awaiting_second_approval"`, `"approved_yuan":3000000`}},
		{name: "the first approver cannot approve again", method: "POST", path: "/api/v1/policy-applications/{app}/actions", token: pOff1,
			header: map[string]string{"If-Match": "{etag}"}, body: map[string]any{"action": "second_approve"}, status: 403, want: []string{"same_approver"}},
		{name: "a stale revision is a 412", method: "POST", path: "/api/v1/policy-applications/{app}/actions", token: pOff2,
			header: map[string]string{"If-Match": `"v1"`}, body: map[string]any{"action": "second_approve"}, status: 412},
		{name: "officer 2 confirms", method: "POST", path: "/api/v1/policy-applications/{app}/actions", token: pOff2,
			header: map[string]string{"If-Match": "{etag}"}, body: map[string]any{"action": "second_approve", "opinion": "复核同意"}, status: 200,
			want: []string{`"state":"approved"`, `"action":"second_approve"`, `"actor":"政策专员乙"`}},
		{name: "paying before 公示 is refused", method: "POST", path: "/api/v1/policy-applications/{app}/payment", token: pOff1,
			body: map[string]any{"reference": "BB-CZ-2026-0001"}, status: 409},
		{name: "the officer starts a 公示", method: "POST", path: "/api/v1/policies/{ssjl}/publicity", token: pOff1, keep: "batch",
			body: func(w *policyWorld) any { return map[string]any{"application_ids": []int64{w.id("app")}, "days": 5} }, status: 201,
			want: []string{`"state":"open"`, "重庆北碚嘉陵智造有限公司", `"amount_yuan":3000000`}},
		{name: "the public sees the 公示", method: "GET", path: "/api/v1/publicity?open=true", token: pAnon, status: 200,
			want: []string{"重庆北碚嘉陵智造有限公司", "企业上市奖励"}},
		{name: "an objection needs its grounds", method: "POST", path: "/api/v1/publicity/{batch}/objections", token: pAnon,
			body: func(w *policyWorld) any {
				return map[string]any{"application_id": w.id("app"), "name": "张三", "contact": "13900000000"}
			},
			status: 422, want: []string{`"reason"`}},
		{name: "an enterprise cannot see the indicators", method: "GET", path: "/api/v1/stats/policy", token: pOwnerA, status: 403},
		{name: "the indicators come with their formulas", method: "GET", path: "/api/v1/stats/policy?from=2026-01-01&to=" + policyToday, token: pOff1,
			status: 200, want: []string{`"key":"policies_live"`, `"formula":`, `"from":"2026-01-01"`}, check: checkIndicators},
		{name: "a period ending before it starts is refused", method: "GET", path: "/api/v1/stats/policy?from=2026-06-01&to=2026-01-01", token: pOff1,
			status: 422, want: []string{`"period"`}},
		{name: "pushes: the liaison officer sees who was told", method: "GET", path: "/api/v1/policy-pushes", token: pLiaison, status: 200,
			want: []string{`"items":[`}},
	}
	dbtest.EachDialect(t, func(t *testing.T, d db.Dialect) {
		w := newPolicyWorld(t, d)
		ids := map[string]int64{"A": w.entA, "B": w.entB}
		for _, code := range []string{"xwqy-sds-2023", "bb-ssjl-2025", "bb-sdtx-2025"} {
			ids[strings.Split(strings.TrimPrefix(code, "bb-"), "-")[0]] = w.publish(code)
		}
		w.ids = ids
		lastETag := ""
		for _, st := range steps {
			t.Run(st.name, func(t *testing.T) {
				path := st.path
				for k, v := range ids {
					path = strings.ReplaceAll(path, "{"+k+"}", fmt.Sprint(v))
				}
				header := map[string]string{}
				for k, v := range st.header {
					header[k] = strings.ReplaceAll(v, "{etag}", lastETag)
				}
				body := st.body
				if f, ok := body.(func(*policyWorld) any); ok {
					body = f(w)
				}
				r := w.srv.Do(st.method, path, st.token(w), body, header)
				if r.Status != st.status {
					t.Fatalf("%s %s: %d, want %d: %s", st.method, path, r.Status, st.status, r.Body)
				}
				for _, frag := range st.want {
					if !strings.Contains(r.Body, frag) {
						t.Errorf("body lacks %s: %s", frag, r.Body)
					}
				}
				for _, frag := range st.absent {
					if strings.Contains(r.Body, frag) {
						t.Errorf("body has %s: %s", frag, r.Body)
					}
				}
				if r.Status >= 400 {
					var e struct {
						Error struct{ Code, Message string }
					}
					if json.Unmarshal([]byte(r.Body), &e) != nil || e.Error.Code == "" || e.Error.Message == "" {
						t.Errorf("error body is not {error:{code,message}}: %s", r.Body)
					}
				}
				if tag := r.Header.Get("ETag"); tag != "" {
					lastETag = tag
				}
				if st.keep != "" {
					var x struct{ ID int64 }
					r.JSON(t, &x)
					ids[st.keep] = x.ID
				}
				if st.check != nil {
					st.check(t, w, r)
				}
			})
		}
	})
}

func urlq(s string) string { return url.QueryEscape(s) }

func (w *policyWorld) id(key string) int64 {
	w.t.Helper()
	id, ok := w.ids[key]
	if !ok {
		w.t.Fatalf("no id kept for %s", key)
	}
	return id
}

// application is a complete application of the caller's firm for a demo
// policy: a PDF for every material the applicant provides.
func (w *policyWorld) application(token, key string) map[string]any {
	w.t.Helper()
	cw := &caseWorld{t: w.t, srv: w.srv}
	return map[string]any{"policy_id": w.id(key), "files": map[string]string{
		"0": cw.fileID(token, "上市奖励申请表.pdf"), "1": cw.fileID(token, "上市公告书.pdf")}}
}

func decodeMatches(t *testing.T, r apptest.Response) []matchOut {
	t.Helper()
	// Exactly the promised keys, nothing more.
	var raw []map[string]json.RawMessage
	r.JSON(t, &raw)
	for _, m := range raw {
		var keys []string
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if want := []string{"benefit_is_saving", "conditions", "estimated_benefit_yuan", "missing", "policy_id", "result", "title"}; !slices.Equal(keys, want) {
			t.Errorf("match keys %v, want %v", keys, want)
		}
		var conds []map[string]json.RawMessage
		json.Unmarshal(m["conditions"], &conds)
		for _, c := range conds {
			var keys []string
			for k := range c {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			if want := []string{"actual", "attr", "negated", "op", "path", "result", "satisfied", "text", "value"}; !slices.Equal(keys, want) {
				t.Errorf("condition keys %v, want %v", keys, want)
			}
		}
	}
	var out []matchOut
	r.JSON(t, &out)
	return out
}

func checkMatchesOfA(t *testing.T, w *policyWorld, r apptest.Response) {
	ms := decodeMatches(t, r)
	if len(ms) != 3 {
		t.Fatalf("%d matches, want the 3 live policies: %s", len(ms), r.Body)
	}
	// All eligible, largest benefit first: 上市奖励 300万, the relief 24万, 首贷贴息 10万.
	if ms[0].Title != "企业上市奖励" || ms[1].Title != "小型微利企业减免企业所得税" || ms[2].Title != "小微企业首贷贴息" {
		t.Errorf("order: %+v", ms)
	}
	for _, m := range ms {
		if m.Result != "eligible" {
			t.Errorf("%s: %s", m.Title, m.Result)
		}
	}
	relief := ms[1]
	if relief.EstimatedBenefitYuan == nil || *relief.EstimatedBenefitYuan != 240000 {
		t.Errorf("relief benefit %v, want 240000 (120万 × 20%%)", relief.EstimatedBenefitYuan)
	}
	want := map[string][3]any{"taxable_income": {"le", 3000000.0, 1200000.0}, "employees": {"le", 300.0, 80.0}, "assets": {"le", 50000000.0, 20000000.0}}
	for _, c := range relief.Conditions {
		if c.Attr == "tags" { // not in a restricted or prohibited industry: a negated condition, met
			if c.Op != "has" || c.Value != "restricted_industry" || c.Result != "not_met" || !c.Negated || c.Satisfied == nil || !*c.Satisfied {
				t.Errorf("restricted-industry condition %+v", c)
			}
			continue
		}
		x, ok := want[c.Attr]
		if !ok || c.Op != x[0] || c.Value != x[1] || c.Actual != x[2] || c.Result != "met" || c.Negated || c.Satisfied == nil || !*c.Satisfied ||
			!strings.Contains(c.Text, "（符合）") {
			t.Errorf("relief condition %+v", c)
		}
		delete(want, c.Attr)
	}
	if len(want) != 0 || len(relief.Missing) != 0 {
		t.Errorf("conditions not explained: %v; missing %v", want, relief.Missing)
	}
}

func checkMatchesOfB(t *testing.T, w *policyWorld, r apptest.Response) {
	ms := decodeMatches(t, r)
	if len(ms) != 3 || ms[0].Title != "小微企业首贷贴息" || ms[0].Result != "eligible" || ms[1].Result != "unknown" || ms[2].Result != "ineligible" {
		t.Fatalf("order: %+v", ms)
	}
	if ms[2].Title != "企业上市奖励" || ms[2].EstimatedBenefitYuan != nil {
		t.Errorf("the ineligible 上市奖励 is last without an estimate: %+v", ms[2])
	}
	if !slices.Equal(ms[1].Missing, []string{"assets", "taxable_income"}) && !slices.Equal(ms[1].Missing, []string{"taxable_income", "assets"}) {
		t.Errorf("the relief misses %v, want taxable_income and assets", ms[1].Missing)
	}
	for _, c := range ms[1].Conditions {
		if c.Attr == "taxable_income" && (c.Actual != nil || c.Result != "unknown" || c.Satisfied != nil) {
			t.Errorf("an unknown value is explained as %+v", c)
		}
	}
}

// TestPolicyMatchExplainsNegatedConditions reads the 研发费用加计扣除
// match of a manufacturer with R&D spending: its industry is not on the
// excluded list, so the comparisons under "not" are not met — which is
// what the rule wants. The explanation must say they are satisfied, in
// the request's language, and where they sit in the rule.
func TestPolicyMatchExplainsNegatedConditions(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, d db.Dialect) {
		w := newPolicyWorld(t, d)
		id := w.publish("yffy-jjkc-2023")
		if _, _, err := w.srv.Main.Enterprise.Update(apptest.System(), w.entA, enterprise.Input{FiscalYear: 2025,
			RDExpenseFen: enterprise.Some[int64](100_000_000)}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			lang, satisfied string
		}{{"zh-CN", "（符合）"}, {"en", "(satisfied)"}} {
			t.Run("in "+tc.lang, func(t *testing.T) {
				r := w.srv.Do("GET", fmt.Sprintf("/api/v1/enterprises/%d/policy-matches?as_of=%s", w.entA, policyToday), w.ownerA, nil,
					map[string]string{"Accept-Language": tc.lang})
				if r.Status != http.StatusOK {
					t.Fatalf("matches: %d %s", r.Status, r.Body)
				}
				ms := decodeMatches(t, r)
				i := slices.IndexFunc(ms, func(m matchOut) bool { return m.PolicyID == id })
				if i < 0 || ms[i].Result != "eligible" {
					t.Fatalf("A is not eligible for 研发费用加计扣除: %s", r.Body)
				}
				want := map[string]struct {
					result  string
					negated bool
					path    string
				}{
					"rd_expense":       {"met", false, "all[0]"},
					"industry_section": {"not_met", true, "all[1].not.any[0]"},
					"industry_code":    {"not_met", true, "all[1].not.any[1]"},
				}
				for _, c := range ms[i].Conditions {
					x, ok := want[c.Attr]
					if !ok || c.Result != x.result || c.Negated != x.negated || c.Path != x.path {
						t.Errorf("condition %+v, want %+v", c, x)
					}
					if c.Satisfied == nil || !*c.Satisfied {
						t.Errorf("%s (%s, negated %v) is not explained as satisfied: %v", c.Attr, c.Result, c.Negated, c.Satisfied)
					}
					if !strings.Contains(c.Text, tc.satisfied) || strings.Contains(c.Text, "不符合") || strings.Contains(c.Text, "not satisfied") {
						t.Errorf("%s reads %q, want %s", c.Attr, c.Text, tc.satisfied)
					}
					delete(want, c.Attr)
				}
				if len(want) != 0 {
					t.Errorf("conditions not explained: %v", want)
				}
			})
		}
	})
}

func checkWhatIf(t *testing.T, w *policyWorld, r apptest.Response) {
	var cs []struct {
		PolicyID      int64 `json:"policy_id"`
		Title         string
		Before, After string
		Conditions    []struct{ Attr, Result string }
	}
	r.JSON(t, &cs)
	if len(cs) != 2 || cs[0].Title != "小型微利企业减免企业所得税" || cs[1].Title != "小微企业首贷贴息" {
		t.Fatalf("what-if: %s", r.Body)
	}
	for _, c := range cs {
		if c.Before != "eligible" || c.After != "ineligible" {
			t.Errorf("%s: %s → %s", c.Title, c.Before, c.After)
		}
	}
	// 首贷贴息 tests small_micro, derived from the size class, which the
	// change of employees moved.
	for _, c := range cs[1].Conditions {
		if c.Attr == "small_micro" && c.Result != "not_met" {
			t.Errorf("small_micro after the change: %+v", c)
		}
	}
	for _, c := range cs[0].Conditions {
		if c.Attr == "employees" && c.Result != "not_met" {
			t.Errorf("employees after the change: %+v", c)
		}
	}
}

func checkXwqySearch(t *testing.T, w *policyWorld, r apptest.Response) {
	var out struct{ Items []struct{ Title string } }
	r.JSON(t, &out)
	if len(out.Items) < 2 || out.Items[0].Title != "小型微利企业减免企业所得税" || out.Items[1].Title != "小微企业首贷贴息" {
		t.Errorf("xwqy: want the two 小微 policies first: %s", r.Body)
	}
}

func checkIndicators(t *testing.T, w *policyWorld, r apptest.Response) {
	var out struct {
		Items []struct {
			Key, Formula string
			Value        *float64
		}
	}
	r.JSON(t, &out)
	for _, it := range out.Items {
		if it.Formula == "" {
			t.Errorf("%s has no formula", it.Key)
		}
		if it.Key == "policies_live" && (it.Value == nil || *it.Value != 3) {
			t.Errorf("policies live: %v, want 3", it.Value)
		}
	}
	if len(out.Items) < 7 {
		t.Errorf("%d indicators: %s", len(out.Items), r.Body)
	}
}

func checkCalculator(t *testing.T, w *policyWorld, r apptest.Response) {
	var out struct {
		Matches []matchOut
		Next    *struct{ Attr string }
		Asked   int
		Total   float64 `json:"estimated_total_yuan"`
		Saving  float64 `json:"estimated_saving_yuan"`
	}
	r.JSON(t, &out)
	if out.Asked != 4 {
		t.Errorf("asked %d", out.Asked)
	}
	// Savings (the income-tax relief among them) and money received are
	// summed apart.
	var money, saving float64
	for _, m := range out.Matches {
		if m.Result == "eligible" && m.EstimatedBenefitYuan != nil {
			if m.BenefitIsSaving {
				saving += *m.EstimatedBenefitYuan
			} else {
				money += *m.EstimatedBenefitYuan
			}
		}
	}
	if out.Saving != saving || out.Total != money || saving < 600000 {
		t.Errorf("estimated money %v (want %v), saving %v (want %v, at least 600000)", out.Total, money, out.Saving, saving)
	}
	for _, m := range out.Matches {
		if m.Title == "小型微利企业减免企业所得税" {
			if m.Result != "eligible" || m.EstimatedBenefitYuan == nil || *m.EstimatedBenefitYuan != 600000 {
				t.Errorf("300万 exactly is eligible with 60万: %+v", m)
			}
			return
		}
	}
	t.Errorf("the relief is not among the matches: %s", r.Body)
}

// TestPolicyApplicationIsIdempotent retries one application with one key,
// then in parallel: one application, the same answer each time; another
// body under the key is refused.
func TestPolicyApplicationIsIdempotent(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, d db.Dialect) {
		w := newPolicyWorld(t, d)
		w.ids = map[string]int64{"ssjl": w.publish("bb-ssjl-2025")}
		body := w.application(w.ownerA, "ssjl")
		key := map[string]string{"Idempotency-Key": "ssjl-retry"}
		first := w.srv.Do("POST", "/api/v1/policy-applications", w.ownerA, body, key)
		if first.Status != http.StatusCreated {
			t.Fatalf("apply: %d %s", first.Status, first.Body)
		}
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				r := w.srv.Do("POST", "/api/v1/policy-applications", w.ownerA, body, key)
				if r.Status != http.StatusCreated || r.Body != first.Body || r.Header.Get("Idempotent-Replayed") != "true" {
					t.Errorf("retry: %d %s", r.Status, r.Body)
				}
			})
		}
		wg.Wait()
		other := w.srv.Do("POST", "/api/v1/policy-applications", w.ownerA, map[string]any{"policy_id": w.id("ssjl")}, key)
		if other.Status != http.StatusUnprocessableEntity || !strings.Contains(other.Body, "idempotency_key_reused") {
			t.Errorf("same key, other body: %d %s", other.Status, other.Body)
		}
		again := w.srv.Do("POST", "/api/v1/policy-applications", w.ownerA, body, map[string]string{"Idempotency-Key": "ssjl-second"})
		if again.Status != http.StatusConflict || !strings.Contains(again.Body, "already_applied") {
			t.Errorf("a second application for the period under a new key: %d %s", again.Status, again.Body)
		}
		list := w.srv.Do("GET", "/api/v1/policy-applications", w.ownerA, nil, nil)
		if !strings.Contains(list.Body, `"total":1`) {
			t.Errorf("one application expected: %s", list.Body)
		}
	})
}

// TestPolicyFulfilmentThroughTheAPI takes an application from approval
// through 公示 (with an objection dismissed) to one payment, however many
// officers record it at once; and pays a 免申即享 run with no application.
func TestPolicyFulfilmentThroughTheAPI(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, d db.Dialect) {
		w := newPolicyWorld(t, d)
		w.ids = map[string]int64{"ssjl": w.publish("bb-ssjl-2025"), "xwqy": w.publish("xwqy-sds-2023")}
		do := func(method, path, token string, body any, header map[string]string, status int) apptest.Response {
			t.Helper()
			r := w.srv.Do(method, path, token, body, header)
			if r.Status != status {
				t.Fatalf("%s %s: %d, want %d: %s", method, path, r.Status, status, r.Body)
			}
			return r
		}
		type appOut struct {
			ID      int64
			State   string
			Rev     int
			Payment *struct {
				AmountYuan float64 `json:"amount_yuan"`
				Reference  string
			}
		}
		var app appOut
		do("POST", "/api/v1/policy-applications", w.ownerA, w.application(w.ownerA, "ssjl"), nil, 201).JSON(t, &app)
		act := func(token string, body map[string]any, status int) appOut {
			t.Helper()
			var out appOut
			r := do("POST", fmt.Sprintf("/api/v1/policy-applications/%d/actions", app.ID), token, body,
				map[string]string{"If-Match": fmt.Sprintf(`"v%d"`, app.Rev)}, status)
			if status == 200 {
				r.JSON(t, &out)
				app = out
			}
			return out
		}
		act(w.off1, map[string]any{"action": "approve", "amount_yuan": 3000000}, 200)
		act(w.off2, map[string]any{"action": "second_approve"}, 200)
		if app.State != "approved" {
			t.Fatalf("after two approvals: %s", app.State)
		}
		var batch struct{ ID int64 }
		do("POST", fmt.Sprintf("/api/v1/policies/%d/publicity", w.id("ssjl")), w.off1, map[string]any{"application_ids": []int64{app.ID}}, nil, 201).JSON(t, &batch)

		// Anyone may object; the payment waits for the officer's decision.
		do("POST", fmt.Sprintf("/api/v1/publicity/%d/objections", batch.ID), "", map[string]any{"application_id": app.ID,
			"name": "李四", "contact": "13800000000", "reason": "该企业上市时间早于政策有效期"}, nil, 201)
		do("GET", fmt.Sprintf("/api/v1/policy-applications/%d", app.ID), w.off1, nil, nil, 200).JSON(t, &app)
		if app.State != "on_hold" {
			t.Fatalf("after an objection: %s", app.State)
		}
		act(w.off1, map[string]any{"action": "decide_objection", "uphold": false, "opinion": "经核实，企业于2025年上市，符合政策"}, 200)

		// The 公示 ends: the platform's tick makes the application payable.
		w.today = w.today.AddDate(0, 0, 14)
		if _, err := w.srv.Main.Policy.Tick(apptest.System(), w.today); err != nil {
			t.Fatal(err)
		}
		do("GET", fmt.Sprintf("/api/v1/policy-applications/%d", app.ID), w.ownerA, nil, nil, 200).JSON(t, &app)
		if app.State != "payable" {
			t.Fatalf("after the 公示: %s", app.State)
		}

		// Twenty officers record the payment at once: one payment.
		var wg sync.WaitGroup
		statuses := make(chan int, 20)
		for i := range 20 {
			wg.Go(func() {
				r := w.srv.Do("POST", fmt.Sprintf("/api/v1/policy-applications/%d/payment", app.ID), w.off1,
					map[string]any{"reference": fmt.Sprintf("BB-CZ-2026-%04d", i)}, map[string]string{"Idempotency-Key": fmt.Sprintf("pay-%d", i)})
				statuses <- r.Status
			})
		}
		wg.Wait()
		close(statuses)
		created := 0
		for st := range statuses {
			switch st {
			case 201:
				created++
			case 409:
			default:
				t.Errorf("a concurrent payment got %d", st)
			}
		}
		if created != 1 {
			t.Errorf("%d payments recorded, want exactly 1", created)
		}
		do("GET", fmt.Sprintf("/api/v1/policy-applications/%d", app.ID), w.ownerA, nil, nil, 200).JSON(t, &app)
		if app.State != "paid" || app.Payment == nil || app.Payment.AmountYuan != 3000000 || !strings.HasPrefix(app.Payment.Reference, "BB-CZ-2026-") {
			t.Errorf("the enterprise sees: %+v", app)
		}

		// 免申即享: the relief's run lists A (B's facts are incomplete).
		var run struct {
			ID    int64
			Rev   int
			State string
			Items []struct {
				ID             int64
				EnterpriseName string  `json:"enterprise_name"`
				AmountYuan     float64 `json:"amount_yuan"`
				State          string
			}
		}
		do("POST", fmt.Sprintf("/api/v1/policies/%d/runs", w.id("xwqy")), w.ownerA, map[string]any{"period": "2026"}, nil, 403)
		// 小型微利's amount is a tax saving the firm realises in its own
		// return: no run pays it. The same rule paying cash is run instead.
		do("POST", fmt.Sprintf("/api/v1/policies/%d/runs", w.id("xwqy")), w.off1, map[string]any{"period": "2026"}, nil, 409)
		cash := w.def("xwqy-sds-2023", map[string]any{"code": "xwqy-cash-2026"})
		delete(cash["benefit"].(map[string]any), "saving")
		raw, err := json.Marshal(cash)
		if err != nil {
			t.Fatal(err)
		}
		w.defs["xwqy-cash-2026"] = raw
		w.ids["cash"] = w.publish("xwqy-cash-2026")
		do("POST", fmt.Sprintf("/api/v1/policies/%d/runs", w.id("cash")), w.off1, map[string]any{"period": "2026Q1"}, nil, 422)
		do("POST", fmt.Sprintf("/api/v1/policies/%d/runs", w.id("cash")), w.off1, map[string]any{"period": "2026"}, nil, 201).JSON(t, &run)
		if len(run.Items) != 1 || run.Items[0].EnterpriseName != "重庆北碚嘉陵智造有限公司" || run.Items[0].AmountYuan != 240000 {
			t.Fatalf("the run lists: %+v", run)
		}
		item := run.Items[0].ID
		runPath := fmt.Sprintf("/api/v1/policy-runs/%d/confirm", run.ID)
		do("POST", runPath, w.off2, nil, map[string]string{"If-Match": fmt.Sprintf(`"v%d"`, run.Rev+1)}, 412)
		do("POST", runPath, w.off2, nil, nil, 428)
		do("POST", runPath, w.off2, nil, map[string]string{"If-Match": fmt.Sprintf(`"v%d"`, run.Rev)}, 200).JSON(t, &run)
		if run.State != "confirmed" {
			t.Fatalf("run: %+v", run)
		}
		account := map[string]any{"bank_name": "重庆农村商业银行北碚支行", "account_name": "重庆北碚嘉陵智造有限公司", "account_no": "6228480402564890018"}
		accountPath := fmt.Sprintf("/api/v1/policy-run-items/%d/account", item)
		do("POST", accountPath, w.ownerB, account, nil, 403)
		r := do("POST", accountPath, w.ownerA, account, nil, 200)
		if strings.Contains(r.Body, "6228480402564890018") || !strings.Contains(r.Body, "0018") || !strings.Contains(r.Body, `"state":"account_confirmed"`) {
			t.Errorf("the account is not shown masked: %s", r.Body)
		}
		payPath := fmt.Sprintf("/api/v1/policy-run-items/%d/payment", item)
		do("POST", payPath, w.ownerA, map[string]any{"reference": "BB-SWJ-2026-0001"}, nil, 403)
		do("POST", payPath, w.off1, map[string]any{"reference": "BB-SWJ-2026-0001", "amount_yuan": 1}, nil, 422)
		do("POST", payPath, w.off1, map[string]any{"reference": "BB-SWJ-2026-0001"}, nil, 201)
		do("POST", payPath, w.off1, map[string]any{"reference": "BB-SWJ-2026-0002"}, nil, 409)
		items := do("GET", fmt.Sprintf("/api/v1/enterprises/%d/policy-run-items", w.entA), w.ownerA, nil, nil, 200)
		if !strings.Contains(items.Body, `"state":"paid"`) || !strings.Contains(items.Body, `"amount_yuan":240000`) {
			t.Errorf("A's run items: %s", items.Body)
		}
		do("GET", fmt.Sprintf("/api/v1/enterprises/%d/policy-run-items", w.entA), w.ownerB, nil, nil, 403)
	})
}

// TestPublicityObjectionsAreLimitedPerAddress files objections without
// signing in, each of which would put A's payment on hold: the sixth
// within the hour from one address is refused with a 429 in the caller's
// language and not recorded, while another address may still object.
func TestPublicityObjectionsAreLimitedPerAddress(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, d db.Dialect) {
		// The test client is a trusted proxy, so X-Forwarded-For names the objector.
		w := newPolicyWorld(t, d, apptest.WithEnv("QINQING_TRUSTED_PROXIES", "127.0.0.1/32"))
		w.ids = map[string]int64{"ssjl": w.publish("bb-ssjl-2025")}
		r := w.srv.Do("POST", "/api/v1/policy-applications", w.ownerA, w.application(w.ownerA, "ssjl"), nil)
		var app struct{ ID int64 }
		r.JSON(t, &app)
		appPath := fmt.Sprintf("/api/v1/policy-applications/%d/actions", app.ID)
		r = w.srv.Do("POST", appPath, w.off1, map[string]any{"action": "approve", "amount_yuan": 3000000}, map[string]string{"If-Match": r.Header.Get("ETag")})
		r = w.srv.Do("POST", appPath, w.off2, map[string]any{"action": "second_approve"}, map[string]string{"If-Match": r.Header.Get("ETag")})
		if r.Status != http.StatusOK {
			t.Fatalf("second approval: %d %s", r.Status, r.Body)
		}
		r = w.srv.Do("POST", fmt.Sprintf("/api/v1/policies/%d/publicity", w.id("ssjl")), w.off1, map[string]any{"application_ids": []int64{app.ID}}, nil)
		var batch struct{ ID int64 }
		r.JSON(t, &batch)
		if r.Status != http.StatusCreated {
			t.Fatalf("start 公示: %d %s", r.Status, r.Body)
		}
		object := func(ip, lang string) apptest.Response {
			return w.srv.Do("POST", fmt.Sprintf("/api/v1/publicity/%d/objections", batch.ID), "", map[string]any{"application_id": app.ID,
				"name": "匿名", "contact": "13800000000", "reason": "怀疑不符合条件"}, map[string]string{"X-Forwarded-For": ip, "Accept-Language": lang})
		}
		for i := range 5 {
			if r := object("203.0.113.7", "zh-CN"); r.Status != http.StatusCreated {
				t.Fatalf("objection %d: %d %s", i+1, r.Status, r.Body)
			}
		}
		for _, c := range []struct{ lang, msg string }{{"zh-CN", "请 1 小时后再试"}, {"en", "try again in an hour"}} {
			r := object("203.0.113.7", c.lang)
			var e struct {
				Error struct{ Code, Message string }
			}
			r.JSON(t, &e)
			if r.Status != http.StatusTooManyRequests || e.Error.Code != "too_many_objections" || !strings.Contains(e.Error.Message, c.msg) {
				t.Errorf("objection past the limit (%s): %d %s", c.lang, r.Status, r.Body)
			}
		}
		if r := object("198.51.100.9", "zh-CN"); r.Status != http.StatusCreated {
			t.Errorf("another address is refused: %d %s", r.Status, r.Body)
		}
		var n int
		if err := w.srv.Main.DB.QueryRowContext(t.Context(), "SELECT count(*) FROM policy_publicity_objections WHERE application_id = ?", app.ID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 6 {
			t.Errorf("%d objections recorded, want the 5 within the limit and 1 from the other address", n)
		}
	})
}

// TestPolicyApprovalWithoutAnAmount approves A's 上市奖励 application
// without amount_yuan: the officer approves what the policy computes
// (300万, within its cap and what was requested), which, being above the
// threshold, then waits for a second officer.
func TestPolicyApprovalWithoutAnAmount(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, d db.Dialect) {
		w := newPolicyWorld(t, d)
		w.ids = map[string]int64{"ssjl": w.publish("bb-ssjl-2025")}
		r := w.srv.Do("POST", "/api/v1/policy-applications", w.ownerA, w.application(w.ownerA, "ssjl"), nil)
		var app struct{ ID int64 }
		r.JSON(t, &app)
		tag := r.Header.Get("ETag")
		// An explicit 0 is refused: it would otherwise approve the full award.
		if r0 := w.srv.Do("POST", fmt.Sprintf("/api/v1/policy-applications/%d/actions", app.ID), w.off1,
			map[string]any{"action": "approve", "amount_yuan": 0, "opinion": "材料齐全"}, map[string]string{"If-Match": tag}); r0.Status != http.StatusUnprocessableEntity || !strings.Contains(r0.Body, "amount_yuan") {
			t.Errorf("approve with amount_yuan 0: %d %s", r0.Status, r0.Body)
		}
		r = w.srv.Do("POST", fmt.Sprintf("/api/v1/policy-applications/%d/actions", app.ID), w.off1, map[string]any{"action": "approve", "opinion": "材料齐全"},
			map[string]string{"If-Match": tag})
		var out struct {
			State    string
			Approved *float64 `json:"approved_yuan"`
		}
		r.JSON(t, &out)
		if r.Status != http.StatusOK || out.State != "awaiting_second_approval" || out.Approved == nil || *out.Approved != 3000000 {
			t.Errorf("approve without amount_yuan: %d %s", r.Status, r.Body)
		}
	})
}
