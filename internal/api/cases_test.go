package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/qinqing/qinqing/internal/app/apptest"
	"github.com/qinqing/qinqing/internal/auth"
	"github.com/qinqing/qinqing/internal/casework"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/matter"
	"github.com/qinqing/qinqing/internal/seed"
	"github.com/qinqing/qinqing/internal/servicepoint"
)

// caseWorld is a platform with the demo catalogue and service network,
// two enterprises and the people who handle cases, signed in through the
// API.
type caseWorld struct {
	t                                          *testing.T
	srv                                        *apptest.Server
	owner, other, clerk, scjg, swj, agent, sup string
	creditA                                    string
	food                                       string // 食品经营许可（新办）, 区市场监管局, a promise matter
	atPoint, notAtPoint                        string // matters the agent's service point does and does not take in
}

func newCaseWorld(t *testing.T, d db.Dialect) *caseWorld {
	t.Helper()
	s := apptest.Start(t, d)
	m := s.Main
	ctx := apptest.System()
	if err := seed.LoadOrgs(ctx, m.DB); err != nil {
		t.Fatal(err)
	}
	if err := matter.EnsureDemo(ctx, m.DB, m.Matters); err != nil {
		t.Fatal(err)
	}
	all, err := m.Matters.List(ctx, matter.Filter{ActiveOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, x := range all {
		names[x.Code] = x.Current.Name
	}
	if err := servicepoint.EnsureDemo(ctx, m.DB, m.Points, names); err != nil {
		t.Fatal(err)
	}
	w := &caseWorld{t: t, srv: s, creditA: creditCode(101)}
	for _, x := range all {
		if x.Current.Name == "食品经营许可（新办）" {
			w.food = x.Code
		}
		ok, err := m.Points.Accepts(ctx, seed.DemoAgentPoint, x.Code)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case ok && w.atPoint == "" && x.Current.CaseType == "promise":
			w.atPoint = x.Code
		case !ok && w.notAtPoint == "":
			w.notAtPoint = x.Code
		}
	}
	if w.food == "" || w.atPoint == "" || w.notAtPoint == "" {
		t.Fatalf("demo catalogue: food %q, at point %q, not at point %q", w.food, w.atPoint, w.notAtPoint)
	}
	var ids []int64
	for i, name := range []string{"重庆北碚嘉陵餐饮管理有限公司", "重庆北碚缙云食品贸易有限公司"} {
		e, _, err := m.Enterprise.Create(ctx, enterprise.Input{CreditCode: enterprise.Some(creditCode(101 + i)), Name: enterprise.Some(name),
			LegalRep: enterprise.Some("陈志强"), RegionCode: enterprise.Some("500109001"), IndustryCode: enterprise.Some("6210"),
			Address: enterprise.Some("重庆市北碚区天生路 8 号"), ContactName: enterprise.Some("刘红"), ContactPhone: enterprise.Some("13983000001"),
			BusinessScope: enterprise.Some("餐饮服务；食品销售")})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, e.ID)
	}
	acc := func(a auth.NewAccount) string { return s.Token(s.Account(a), a.Password) }
	w.owner = acc(auth.NewAccount{Username: "canyin1", Role: identity.RoleEnterprise, EnterpriseID: ids[0], Password: entPW})
	w.other = acc(auth.NewAccount{Username: "shipin2", Role: identity.RoleEnterprise, EnterpriseID: ids[1], Password: entPW})
	w.clerk = acc(auth.NewAccount{Username: "window1", Role: identity.RoleWindowClerk, Password: staffPW})
	w.scjg = acc(auth.NewAccount{Username: "scjg1", Role: identity.RoleReviewer, DepartmentCode: "SCJGJ", Password: staffPW})
	w.swj = acc(auth.NewAccount{Username: "swj1", Role: identity.RoleReviewer, DepartmentCode: "SWJ", Password: staffPW})
	w.agent = acc(auth.NewAccount{Username: "daiban1", Role: identity.RoleAgent, ServicePoint: seed.DemoAgentPoint, Password: staffPW})
	w.sup = acc(auth.NewAccount{Username: "jianguan1", Role: identity.RoleSupervisor, Password: staffPW})
	return w
}

// upload posts a file to /api/v1/files.
func (w *caseWorld) upload(token, name string, data []byte) apptest.Response {
	w.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", w.srv.URL+"/api/v1/files", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return apptest.Response{Status: resp.StatusCode, Header: resp.Header, Body: string(b)}
}

func casePDFBytes(name string) []byte { return []byte("%PDF-1.7\n% " + name + "\n%%EOF\n") }

// fileID uploads a small PDF and returns its id.
func (w *caseWorld) fileID(token, name string) string {
	w.t.Helper()
	r := w.upload(token, name, casePDFBytes(name))
	if r.Status != http.StatusCreated {
		w.t.Fatalf("upload %s: %d %s", name, r.Status, r.Body)
	}
	var f struct{ ID string }
	r.JSON(w.t, &f)
	return f.ID
}

// application builds a complete request body for a matter or bundle: the
// questions the profile cannot answer, and an uploaded file for every
// material the applicant must provide.
func (w *caseWorld) application(token, matterCode, bundleCode string) map[string]any {
	w.t.Helper()
	cat := casework.MatterCatalogue{Matters: w.srv.Main.Matters}
	var fields []casework.Field
	var mats []casework.Material
	body := map[string]any{}
	if bundleCode != "" {
		b, err := cat.BundleSpec(apptest.System(), bundleCode)
		if err != nil {
			w.t.Fatal(err)
		}
		fields, mats, body["bundle_code"] = b.Fields, b.Materials, bundleCode
	} else {
		m, err := cat.MatterSpec(apptest.System(), matterCode)
		if err != nil {
			w.t.Fatal(err)
		}
		fields, mats, body["matter_code"] = m.Fields, m.Materials, matterCode
	}
	form := map[string]string{}
	for _, f := range fields {
		switch {
		case !f.Required || f.Prefill != "":
		case f.Type == "select":
			form[f.Name] = f.Options[0]
		case f.Type == "number":
			form[f.Name] = "60"
		case f.Type == "date":
			form[f.Name] = "2026-03-01"
		default:
			form[f.Name] = "测试填写"
		}
	}
	files := map[string]string{}
	for _, m := range mats {
		if m.Required && (m.Source == "applicant" || m.Source == "license") {
			files[fmt.Sprint(m.Seq)] = w.fileID(token, fmt.Sprintf("%d-%s.pdf", m.Seq, m.Name))
		}
	}
	body["form"], body["files"] = form, files
	return body
}

type caseOut struct {
	CaseNo    string `json:"case_no"`
	QueryCode string `json:"query_code"`
	State     string
	Version   int
	Actions   []string
	Kind      string
	Subs      []caseOut
	Clock     struct {
		Started bool   `json:"started"`
		Used    int    `json:"working_days_used"`
		Left    int    `json:"working_days_left"`
		Due     string `json:"due_on"`
		Status  string `json:"status"`
	}
	Materials []struct {
		Seq    int
		FileID string `json:"file_id"`
	}
	Missing []struct{ Name string }
}

func (w *caseWorld) file(token string, body map[string]any, header map[string]string) caseOut {
	w.t.Helper()
	r := w.srv.Do("POST", "/api/v1/cases", token, body, header)
	if r.Status != http.StatusCreated {
		w.t.Fatalf("file a case: %d %s", r.Status, r.Body)
	}
	var c caseOut
	r.JSON(w.t, &c)
	return c
}

func (w *caseWorld) act(token, no string, version int, body map[string]any) apptest.Response {
	w.t.Helper()
	h := map[string]string{}
	if version > 0 {
		h["If-Match"] = fmt.Sprintf(`"v%d"`, version)
	}
	return w.srv.Do("POST", "/api/v1/cases/"+no+"/actions", token, body, h)
}

// mustAct takes an action that must succeed and returns the case after it.
func (w *caseWorld) mustAct(token, no string, version int, body map[string]any) caseOut {
	w.t.Helper()
	r := w.act(token, no, version, body)
	if r.Status != http.StatusOK {
		w.t.Fatalf("%v on %s: %d %s", body["action"], no, r.Status, r.Body)
	}
	if r.Header.Get("ETag") == "" {
		w.t.Errorf("%v: no ETag", body["action"])
	}
	var c caseOut
	r.JSON(w.t, &c)
	return c
}

func TestFileUploadsAreCheckedByTypeAndContent(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, d db.Dialect) {
		w := newCaseWorld(t, d)
		for _, tc := range []struct {
			name, file string
			data       []byte
			token      string
			status     int
			want       string
		}{
			{"a real PDF is stored", "营业执照.pdf", casePDFBytes("x"), w.owner, 201, `"mime":"application/pdf"`},
			{"an exe named .pdf is refused", "申请书.pdf", []byte("MZ\x90\x00\x03\x00\x00\x00PE"), w.owner, 422, "文件内容与扩展名 .pdf 不符"},
			{"a text file is refused", "说明.txt", []byte("hello"), w.owner, 422, "只接受 PDF、JPG、PNG、OFD"},
			{"an empty file is refused", "空.pdf", nil, w.owner, 422, `"file"`},
			{"anonymous uploads are refused", "营业执照.pdf", casePDFBytes("x"), "", 401, "unauthenticated"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := w.upload(tc.token, tc.file, tc.data)
				if r.Status != tc.status || !strings.Contains(r.Body, tc.want) {
					t.Errorf("%d %s", r.Status, r.Body)
				}
				if r.Status == 201 && (r.Header.Get("Location") == "" || !strings.Contains(r.Body, `"size":`) || !strings.Contains(r.Body, `"name":"营业执照.pdf"`)) {
					t.Errorf("the stored file is not described: %s", r.Body)
				}
			})
		}
		// A file is downloaded only by who may see it.
		id := w.fileID(w.owner, "平面图.pdf")
		dl := w.srv.Do("GET", "/api/v1/files/"+id, w.owner, nil, nil)
		if dl.Status != 200 || dl.Header.Get("Content-Type") != "application/pdf" || dl.Header.Get("X-Content-Type-Options") != "nosniff" ||
			!strings.HasPrefix(dl.Header.Get("Content-Disposition"), "attachment") || !strings.HasPrefix(dl.Body, "%PDF") {
			t.Errorf("download by the uploader: %d %v", dl.Status, dl.Header)
		}
		if r := w.srv.Do("GET", "/api/v1/files/"+id, w.other, nil, nil); r.Status != http.StatusForbidden {
			t.Errorf("another enterprise downloads it: %d", r.Status)
		}
	})
}

// TestCaseLifecycleThroughTheAPI files an application twice with one
// Idempotency-Key and takes it from acceptance through 补正, approval and
// delivery to the rating, with every refusal along the way.
func TestCaseLifecycleThroughTheAPI(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, d db.Dialect) {
		w := newCaseWorld(t, d)
		body := w.application(w.owner, w.food, "")
		key := map[string]string{"Idempotency-Key": "food-licence-1"}
		first := w.srv.Do("POST", "/api/v1/cases", w.owner, body, key)
		if first.Status != http.StatusCreated || first.Header.Get("ETag") != `"v1"` || !strings.HasPrefix(first.Header.Get("Location"), "/api/v1/cases/") {
			t.Fatalf("file: %d %v %s", first.Status, first.Header, first.Body)
		}
		again := w.srv.Do("POST", "/api/v1/cases", w.owner, body, key)
		if again.Status != http.StatusCreated || again.Body != first.Body || again.Header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("the same key again: %d %s", again.Status, again.Body)
		}
		if r := w.srv.Do("GET", "/api/v1/cases?queue=mine", w.owner, nil, nil); !strings.Contains(r.Body, `"total":1`) {
			t.Errorf("one key, one case: %s", r.Body)
		}
		var c caseOut
		first.JSON(t, &c)
		no := c.CaseNo
		if c.State != "submitted" || c.QueryCode == "" || c.Clock.Status != "none" || !strings.Contains(first.Body, `"submitted_at":"`) {
			t.Errorf("the new case: %s", first.Body)
		}
		if !strings.Contains(first.Body, `"withdraw"`) || strings.Contains(first.Body, `"accept"`) {
			t.Errorf("the applicant's actions: %v", c.Actions)
		}

		// Who may see it.
		if r := w.srv.Do("GET", "/api/v1/cases/"+no, w.other, nil, nil); r.Status != http.StatusForbidden {
			t.Errorf("enterprise B reads A's case: %d", r.Status)
		}
		if r := w.srv.Do("GET", "/api/v1/cases/500109-20990101-99999", w.other, nil, nil); r.Status != http.StatusForbidden {
			t.Errorf("an unknown number for an enterprise user: %d (must look the same as another's case)", r.Status)
		}
		if r := w.srv.Do("GET", "/api/v1/cases/"+no, w.clerk, nil, nil); r.Status != 200 || r.Header.Get("ETag") != `"v1"` {
			t.Errorf("the clerk reads it: %d %q", r.Status, r.Header.Get("ETag"))
		}
		if r := w.srv.Do("GET", "/api/v1/cases?queue=accept", w.clerk, nil, nil); !strings.Contains(r.Body, no) {
			t.Errorf("the accept queue lacks it: %s", r.Body)
		}

		// Acceptance needs the version; the applicant may not accept.
		if r := w.act(w.clerk, no, 0, map[string]any{"action": "accept"}); r.Status != http.StatusPreconditionRequired {
			t.Errorf("without If-Match: %d %s", r.Status, r.Body)
		}
		if r := w.act(w.owner, no, 1, map[string]any{"action": "accept"}); r.Status != http.StatusForbidden {
			t.Errorf("the applicant accepts: %d", r.Status)
		}
		c = w.mustAct(w.clerk, no, 1, map[string]any{"action": "accept", "opinion": "材料齐全"})
		if c.State != "in_review" || !c.Clock.Started || c.Clock.Due == "" || c.Clock.Left != 3 || c.Clock.Status != "green" {
			t.Errorf("after acceptance: %+v", c)
		}
		if r := w.act(w.clerk, no, 1, map[string]any{"action": "accept"}); r.Status != http.StatusPreconditionFailed {
			t.Errorf("a stale version: %d %s", r.Status, r.Body)
		}
		if r := w.act(w.clerk, no, c.Version, map[string]any{"action": "deliver", "delivery_method": "window"}); r.Status != http.StatusConflict {
			t.Errorf("delivering before a decision: %d %s", r.Status, r.Body)
		}
		if r := w.act(w.swj, no, c.Version, map[string]any{"action": "approve"}); r.Status != http.StatusForbidden {
			t.Errorf("another department's reviewer approves: %d", r.Status)
		}
		if r := w.srv.Do("GET", "/api/v1/cases/"+no, w.swj, nil, nil); r.Status != http.StatusForbidden {
			t.Errorf("another department's reviewer reads it: %d", r.Status)
		}
		if r := w.act(w.scjg, no, c.Version, map[string]any{"action": "request_supplement", "missing": []any{}}); r.Status != 422 || !strings.Contains(r.Body, `"missing"`) {
			t.Errorf("an empty 补正 list: %d %s", r.Status, r.Body)
		}
		if r := w.act(w.scjg, no, c.Version, map[string]any{"action": "request_supplement", "missing": []map[string]string{{"name": "场所平面图"}}}); r.Status != 422 || !strings.Contains(r.Body, `"missing[0].requirement"`) {
			t.Errorf("an item without a requirement: %d %s", r.Status, r.Body)
		}

		// 补正: one complete list; the clock stops; the applicant supplements.
		c = w.mustAct(w.scjg, no, c.Version, map[string]any{"action": "request_supplement",
			"missing": []map[string]string{{"name": "场所平面图", "requirement": "标明功能分区"}, {"name": "食品安全管理人员证明", "requirement": "健康证明和培训合格证明"}}})
		if c.State != "supplement_requested" || len(c.Missing) != 2 {
			t.Errorf("after request_supplement: %+v", c)
		}
		plan := w.fileID(w.owner, "平面图.pdf")
		c = w.mustAct(w.owner, no, c.Version, map[string]any{"action": "supplement", "files": map[string]string{"50": plan}})
		if c.State != "in_review" {
			t.Errorf("after the supplement: %s", c.State)
		}

		// Decision and delivery.
		c = w.mustAct(w.scjg, no, c.Version, map[string]any{"action": "approve", "opinion": "准予许可"})
		full := w.srv.Do("GET", "/api/v1/cases/"+no, w.owner, nil, nil)
		if c.State != "approved" || !strings.Contains(full.Body, `"certificate_name":"食品经营许可证"`) || !strings.Contains(full.Body, `"documents":["acceptance","supplement"]`) {
			t.Errorf("after approval: %s", full.Body)
		}
		if r := w.act(w.clerk, no, c.Version, map[string]any{"action": "deliver", "delivery_method": "mail"}); r.Status != 422 || !strings.Contains(r.Body, "tracking_no") {
			t.Errorf("mail without a tracking number: %d %s", r.Status, r.Body)
		}
		c = w.mustAct(w.clerk, no, c.Version, map[string]any{"action": "deliver", "delivery_method": "mail", "tracking_no": "SF1234567890", "address": "重庆市北碚区天生路 8 号"})
		if c.State != "delivered" {
			t.Errorf("after delivery: %s", c.State)
		}

		// 好差评: once, by the applicant.
		if r := w.srv.Do("POST", "/api/v1/cases/"+no+"/rating", w.other, map[string]any{"level": 5}, nil); r.Status != http.StatusForbidden {
			t.Errorf("another enterprise rates it: %d", r.Status)
		}
		if r := w.srv.Do("POST", "/api/v1/cases/"+no+"/rating", w.owner, map[string]any{"level": 5, "comment": "很快"}, nil); r.Status != 201 || !strings.Contains(r.Body, `"level_name":"非常满意"`) {
			t.Errorf("rating: %d %s", r.Status, r.Body)
		}
		if r := w.srv.Do("POST", "/api/v1/cases/"+no+"/rating", w.owner, map[string]any{"level": 4}, nil); r.Status != http.StatusConflict {
			t.Errorf("a second rating: %d", r.Status)
		}

		// Documents as PDF.
		for kind, want := range map[string]int{"acceptance": 200, "supplement": 200, "rejection": 404, "receipt": 404} {
			r := w.srv.Do("GET", "/api/v1/cases/"+no+"/documents/"+kind, w.owner, nil, nil)
			if r.Status != want {
				t.Errorf("document %s: %d", kind, r.Status)
			}
			if want == 200 && (r.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(r.Body, "%PDF") ||
				!strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment")) {
				t.Errorf("document %s is not a PDF attachment: %v", kind, r.Header)
			}
		}
		if r := w.srv.Do("GET", "/api/v1/cases/"+no+"/documents/acceptance", w.other, nil, nil); r.Status != http.StatusForbidden {
			t.Errorf("another enterprise downloads the notice: %d", r.Status)
		}

		// Public progress by number and query code only.
		if r := w.srv.Do("GET", "/api/v1/progress?no="+no+"&code=WRONG2", "", nil, nil); r.Status != http.StatusNotFound {
			t.Errorf("a wrong query code: %d", r.Status)
		}
		pub := w.srv.Do("GET", "/api/v1/progress?"+url.Values{"no": {no}, "code": {c.QueryCode}}.Encode(), "", nil, nil)
		if pub.Status != 200 || !strings.Contains(pub.Body, `"state":"delivered"`) || strings.Contains(pub.Body, "重庆北碚嘉陵") || strings.Contains(pub.Body, "13983000001") {
			t.Errorf("public progress: %d %s", pub.Status, pub.Body)
		}

		// The applicant's inbox.
		var inbox struct {
			Items []struct {
				Kind string
				Read bool
			}
			Unread int
		}
		w.srv.Do("GET", "/api/v1/inbox", w.owner, nil, nil).JSON(t, &inbox)
		kinds := map[string]bool{}
		for _, it := range inbox.Items {
			kinds[it.Kind] = true
		}
		for _, k := range []string{"case.submitted", "case.accepted", "case.supplement", "case.decided", "case.delivered"} {
			if !kinds[k] {
				t.Errorf("the inbox lacks %s: %+v", k, inbox.Items)
			}
		}
		if inbox.Unread == 0 {
			t.Error("nothing unread")
		}
		if r := w.srv.Do("POST", "/api/v1/inbox/read", w.owner, nil, nil); r.Status != http.StatusNoContent {
			t.Errorf("mark read: %d", r.Status)
		}
		if r := w.srv.Do("GET", "/api/v1/inbox", w.owner, nil, nil); !strings.Contains(r.Body, `"unread":0`) {
			t.Errorf("after mark read: %s", r.Body)
		}
	})
}

// TestConcurrentActionsOnOneVersion: two people act on the same version
// at once; one wins, the other gets 412.
func TestConcurrentActionsOnOneVersion(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, d db.Dialect) {
		w := newCaseWorld(t, d)
		c := w.file(w.owner, w.application(w.owner, w.food, ""), nil)
		c = w.mustAct(w.clerk, c.CaseNo, c.Version, map[string]any{"action": "accept"})
		bodies := []map[string]any{
			{"action": "approve", "opinion": "同意"},
			{"action": "suspend", "special_type": "检验", "reason": "现场核查"},
		}
		statuses := make([]int, len(bodies))
		var wg sync.WaitGroup
		for i, b := range bodies {
			wg.Go(func() { statuses[i] = w.act(w.scjg, c.CaseNo, c.Version, b).Status })
		}
		wg.Wait()
		ok, stale := 0, 0
		for _, st := range statuses {
			switch st {
			case 200:
				ok++
			case 412:
				stale++
			}
		}
		if ok != 1 || stale != 1 {
			t.Errorf("concurrent actions on one version: %v", statuses)
		}
	})
}

// TestWhoMayFileWhat: an agent files only what its service point takes in,
// and with the enterprise's authorisation; a bundle makes one sub-case per
// member.
func TestWhoMayFileWhat(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, d db.Dialect) {
		w := newCaseWorld(t, d)
		refused := w.application(w.agent, w.notAtPoint, "")
		refused["credit_code"], refused["authorization"] = w.creditA, "委托书 2026-03-01"
		if r := w.srv.Do("POST", "/api/v1/cases", w.agent, refused, nil); r.Status != http.StatusForbidden || !strings.Contains(r.Body, "not_accepted_at_point") {
			t.Errorf("an agent files a matter its point does not take in: %d %s", r.Status, r.Body)
		}
		body := w.application(w.agent, w.atPoint, "")
		body["credit_code"] = w.creditA
		if r := w.srv.Do("POST", "/api/v1/cases", w.agent, body, nil); r.Status != 422 || !strings.Contains(r.Body, `"authorization"`) {
			t.Errorf("an agent without authorisation: %d %s", r.Status, r.Body)
		}
		body["authorization"] = "委托书 2026-03-01"
		c := w.file(w.agent, body, nil)
		if r := w.srv.Do("GET", "/api/v1/cases?queue=point", w.agent, nil, nil); !strings.Contains(r.Body, c.CaseNo) || !strings.Contains(r.Body, `"channel":"service_point"`) {
			t.Errorf("the point's queue: %s", r.Body)
		}
		// An enterprise user cannot file for another firm.
		other := w.application(w.other, w.food, "")
		other["credit_code"] = w.creditA
		if r := w.srv.Do("POST", "/api/v1/cases", w.other, other, nil); r.Status != http.StatusForbidden {
			t.Errorf("enterprise B files for A: %d %s", r.Status, r.Body)
		}
		if r := w.srv.Do("POST", "/api/v1/cases", w.clerk, map[string]any{"matter_code": w.food, "credit_code": creditCode(999)}, nil); r.Status != 422 || !strings.Contains(r.Body, `"credit_code"`) {
			t.Errorf("an unknown enterprise: %d %s", r.Status, r.Body)
		}
		// A bundle: the parent and one sub-case per member, each with its clock.
		b := w.file(w.owner, w.application(w.owner, "", "YJS-QYKB"), nil)
		if b.Kind != "bundle" || len(b.Subs) != 6 || b.Subs[0].Clock.Status != "none" {
			t.Errorf("the bundle: kind %s, %d subs", b.Kind, len(b.Subs))
		}
		if r := w.srv.Do("GET", "/api/v1/cases?state=nonsense", w.clerk, nil, nil); r.Status != 422 {
			t.Errorf("an unknown state filter: %d", r.Status)
		}
	})
}

// TestBadRatingFollowUp: a 差评 opens a rectification the department moves
// with If-Match; supervisors see it.
func TestBadRatingFollowUp(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, d db.Dialect) {
		w := newCaseWorld(t, d)
		c := w.file(w.owner, w.application(w.owner, w.food, ""), nil)
		c = w.mustAct(w.clerk, c.CaseNo, c.Version, map[string]any{"action": "accept"})
		c = w.mustAct(w.scjg, c.CaseNo, c.Version, map[string]any{"action": "deny", "reason": "场所不符合要求", "legal_basis": "《食品经营许可和备案管理办法》第十二条"})
		if r := w.srv.Do("POST", "/api/v1/cases/"+c.CaseNo+"/rating", w.owner, map[string]any{"level": 1}, nil); r.Status != 422 || !strings.Contains(r.Body, `"comment"`) {
			t.Errorf("a 差评 without a comment: %d %s", r.Status, r.Body)
		}
		if r := w.srv.Do("POST", "/api/v1/cases/"+c.CaseNo+"/rating", w.owner, map[string]any{"level": 1, "comment": "理由不清楚"}, nil); r.Status != 201 || !strings.Contains(r.Body, `"bad":true`) {
			t.Fatalf("a 差评: %d %s", r.Status, r.Body)
		}
		var list struct {
			Items []struct {
				ID      int64
				CaseNo  string `json:"case_no"`
				State   string
				Version int
			}
		}
		w.srv.Do("GET", "/api/v1/rectifications", w.scjg, nil, nil).JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].CaseNo != c.CaseNo || list.Items[0].State != "open" {
			t.Fatalf("the department's follow-ups: %+v", list.Items)
		}
		x := list.Items[0]
		path := fmt.Sprintf("/api/v1/rectifications/%d/contact", x.ID)
		if r := w.srv.Do("POST", path, w.scjg, map[string]any{"note": "已电话联系"}, nil); r.Status != http.StatusPreconditionRequired {
			t.Errorf("without If-Match: %d", r.Status)
		}
		if r := w.srv.Do("POST", path, w.swj, map[string]any{"note": "x"}, map[string]string{"If-Match": fmt.Sprintf(`"v%d"`, x.Version)}); r.Status != http.StatusForbidden {
			t.Errorf("another department: %d", r.Status)
		}
		r := w.srv.Do("POST", path, w.scjg, map[string]any{"note": "已电话联系并核实"}, map[string]string{"If-Match": fmt.Sprintf(`"v%d"`, x.Version)})
		if r.Status != 200 || !strings.Contains(r.Body, `"state":"contacted"`) || r.Header.Get("ETag") != fmt.Sprintf(`"v%d"`, x.Version+1) {
			t.Errorf("contact: %d %s", r.Status, r.Body)
		}
		if r := w.srv.Do("POST", path, w.scjg, map[string]any{"note": "again"}, map[string]string{"If-Match": fmt.Sprintf(`"v%d"`, x.Version)}); r.Status != http.StatusPreconditionFailed {
			t.Errorf("a stale move: %d", r.Status)
		}
		if r := w.srv.Do("GET", "/api/v1/cases/"+c.CaseNo, w.sup, nil, nil); r.Status != 200 || strings.Contains(r.Body, "13983000001") || !strings.Contains(r.Body, `"contact_masked":true`) {
			t.Errorf("a supervisor reads the case with the phone masked: %d %s", r.Status, r.Body)
		}
		if r := w.srv.Do("GET", "/api/v1/rectifications", w.sup, nil, nil); !strings.Contains(r.Body, c.CaseNo) {
			t.Errorf("supervisors see it: %s", r.Body)
		}
		if r := w.srv.Do("GET", "/api/v1/rectifications", w.owner, nil, nil); r.Status != http.StatusForbidden {
			t.Errorf("an enterprise lists follow-ups: %d", r.Status)
		}
		sup := w.srv.Do("GET", "/api/v1/supervision", w.sup, nil, nil)
		var s struct{ Items []json.RawMessage }
		sup.JSON(t, &s)
		if sup.Status != 200 {
			t.Errorf("supervision: %d", sup.Status)
		}
		if r := w.srv.Do("GET", "/api/v1/supervision", w.clerk, nil, nil); r.Status != http.StatusForbidden {
			t.Errorf("a clerk reads supervision: %d", r.Status)
		}
	})
}
