package web_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

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
	"github.com/qinqing/qinqing/internal/standards"
)

const (
	caseStaffPW    = "Beibei-Staff-2026"
	caseEntPW      = "beibei-qiye-2026"
	caseFoodMatter = "食品经营许可（新办）"
)

// caseWorld is a platform with the demo catalogue and service network,
// two enterprises (the first holding an electronic business licence) and
// the people who handle cases.
type caseWorld struct {
	srv      *apptest.Server
	entA     int64
	creditA  string
	licenceA string
	food     string // the code of 食品经营许可（新办）
}

func caseCreditCode(serial int) string {
	body := fmt.Sprintf("MC%06d", serial)
	oc, _ := standards.OrgCodeCheckChar(body)
	first := "91500109" + body + string(oc)
	cc, _ := standards.CreditCodeCheckChar(first)
	return first + string(cc)
}

func newCaseWorld(t *testing.T, d db.Dialect) caseWorld {
	t.Helper()
	srv := apptest.Start(t, d)
	m := srv.Main
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
	w := caseWorld{srv: srv, creditA: caseCreditCode(1), licenceA: "500109202600SCJGJ000777"}
	names := map[string]string{}
	for _, x := range all {
		names[x.Code] = x.Current.Name
		if x.Current.Name == caseFoodMatter {
			w.food = x.Code
		}
	}
	if err := servicepoint.EnsureDemo(ctx, m.DB, m.Points, names); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for i, name := range []string{"重庆北碚嘉陵餐饮管理有限公司", "重庆北碚缙云食品贸易有限公司"} {
		e, _, err := m.Enterprise.Create(ctx, enterprise.Input{CreditCode: enterprise.Some(caseCreditCode(i + 1)), Name: enterprise.Some(name),
			LegalRep: enterprise.Some("陈志强"), RegionCode: enterprise.Some("500109001"), IndustryCode: enterprise.Some("6210"),
			Address: enterprise.Some("重庆市北碚区天生路 8 号"), ContactName: enterprise.Some("刘红"), ContactPhone: enterprise.Some("13983000001")})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, e.ID)
	}
	w.entA = ids[0]
	// An electronic business licence issued earlier: never asked for again.
	if _, err := m.DB.Writer().Exec(m.DB.Rebind(`INSERT INTO certificates (enterprise_id, name, number, issued_on, department_code, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`), w.entA, "营业执照", w.licenceA, "2026-01-05", "SCJGJ", time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
	for _, a := range []auth.NewAccount{
		{Username: "firma", Role: identity.RoleEnterprise, EnterpriseID: ids[0], Password: caseEntPW},
		{Username: "firmb", Role: identity.RoleEnterprise, EnterpriseID: ids[1], Password: caseEntPW},
		{Username: "clerk", Role: identity.RoleWindowClerk, Password: caseStaffPW},
		{Username: "scjg", Role: identity.RoleReviewer, DepartmentCode: "SCJGJ", Password: caseStaffPW},
		{Username: "shuiwu", Role: identity.RoleReviewer, DepartmentCode: "SWJ", Password: caseStaffPW},
		{Username: "jianguan", Role: identity.RoleSupervisor, Password: caseStaffPW},
		{Username: "daiban", Role: identity.RoleAgent, ServicePoint: seed.DemoAgentPoint, Password: caseStaffPW},
	} {
		srv.Account(a)
	}
	if w.food == "" {
		t.Fatalf("no demo matter %s", caseFoodMatter)
	}
	return w
}

// login signs a user in through the login form.
func (w caseWorld) login(t *testing.T, user string) *http.Client {
	t.Helper()
	pw := caseStaffPW
	if strings.HasPrefix(user, "firm") {
		pw = caseEntPW
	}
	c := w.srv.Browser()
	if p := postForm(t, c, w.srv.URL+"/login", url.Values{"username": {user}, "password": {pw}}, w.srv.URL); p.status != http.StatusSeeOther {
		t.Fatalf("login %s: %d", user, p.status)
	}
	return c
}

type caseUpload struct {
	name string
	data []byte
}

func casePDF(name string) caseUpload {
	return caseUpload{name, []byte("%PDF-1.7\n% " + name + "\n1 0 obj << >> endobj\n%%EOF\n")}
}

// casePostMultipart posts a multipart form the way a browser does.
func casePostMultipart(t *testing.T, c *http.Client, base, path string, fields url.Values, uploads map[string]caseUpload) page {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for field, u := range uploads {
		fw, _ := mw.CreateFormFile(field, u.name)
		fw.Write(u.data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", base+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return page{resp.StatusCode, resp.Header.Get("Location"), string(b)}
}

var (
	caseFileInputRE = regexp.MustCompile(`name="(file\.\d+)" type="file"`)
	caseFileIDRE    = regexp.MustCompile(`name="(fileid\.\d+)" value="([0-9a-f]{64})"`)
	caseVersionRE   = regexp.MustCompile(`id="act-(\w+)"[^>]*>\s*<input type="hidden" name="action" value="\w+"><input type="hidden" name="version" value="(\d+)">`)
	caseNoRE        = regexp.MustCompile(`href="/cases/(500109-\d{8}-\d{5})"`)
)

// caseActVersion reads the case version the page's form for action carries.
func caseActVersion(t *testing.T, body, action string) string {
	t.Helper()
	for _, m := range caseVersionRE.FindAllStringSubmatch(body, -1) {
		if m[1] == action {
			return m[2]
		}
	}
	t.Fatalf("the page offers no %s form", action)
	return ""
}

func caseHasAction(body, action string) bool { return strings.Contains(body, `id="act-`+action+`"`) }

// TestApplyingOnlineAndHandlingTheCaseThroughTheForms drives one food
// business licence from the online application through acceptance, 补正,
// approval, delivery and the rating, as the people involved would.
func TestApplyingOnlineAndHandlingTheCaseThroughTheForms(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, d db.Dialect) {
		w := newCaseWorld(t, d)
		base := w.srv.URL
		applyPath := "/apply/matter/" + w.food
		qiye := w.login(t, "firma")

		// The form: prefilled from 一企一档, materials the platform holds set apart.
		form := get(t, qiye, base+applyPath)
		if form.status != 200 {
			t.Fatalf("apply form: %d\n%s", form.status, form.body)
		}
		for _, want := range []string{"平台已有，无需提交", "已有电子证照：营业执照 " + w.licenceA, "由区卫生健康委共享提供", "需要上传",
			`value="重庆北碚嘉陵餐饮管理有限公司"`, `accept=".pdf,.jpg,.jpeg,.png,.ofd"`, "已从一企一档预填", "3</strong> 个工作日"} {
			if !strings.Contains(form.body, want) {
				t.Errorf("the apply form lacks %q", want)
			}
		}
		inputs := caseFileInputRE.FindAllStringSubmatch(form.body, -1)
		if len(inputs) < 3 {
			t.Fatalf("the form asks for %d uploads", len(inputs))
		}
		if strings.Contains(form.body, `name="file.1" type="file"`) {
			t.Error("the form asks to upload the business licence the platform already holds")
		}
		files := map[string]caseUpload{}
		for _, in := range inputs {
			files[in[1]] = casePDF(in[1] + ".pdf")
		}
		fields := url.Values{"form.enterprise_name": {"重庆北碚嘉陵餐饮管理有限公司"}, "form.credit_code": {w.creditA},
			"form.legal_rep": {"陈志强"}, "form.contact_name": {"刘红"}, "form.contact_phone": {"13983000999"},
			"form.food_business": {"热食类食品制售"}, "form.operator_kind": {"餐饮服务经营者"}, "form.business_area_m2": {""}}

		// A missing field: every typed value and every uploaded file comes back.
		bad := casePostMultipart(t, qiye, base, applyPath, fields, files)
		if bad.status != http.StatusUnprocessableEntity {
			t.Fatalf("a missing required field: %d\n%s", bad.status, bad.body)
		}
		for _, want := range []string{"经营场所面积（平方米）：必填", `value="13983000999"`, "<option selected>热食类食品制售</option>", "已上传"} {
			if !strings.Contains(bad.body, want) {
				t.Errorf("the re-shown form lacks %q", want)
			}
		}
		kept := caseFileIDRE.FindAllStringSubmatch(bad.body, -1)
		if len(kept) != len(inputs) {
			t.Fatalf("%d uploaded files kept, want %d", len(kept), len(inputs))
		}
		// A file that is not what its name says is refused at its input.
		wrong := casePostMultipart(t, qiye, base, applyPath, fields, map[string]caseUpload{inputs[0][1]: {"申请书.pdf", []byte("MZ\x90\x00 not a pdf")}})
		if wrong.status != http.StatusUnprocessableEntity || !strings.Contains(wrong.body, "文件内容与扩展名 .pdf 不符") {
			t.Errorf("an exe named .pdf: %d", wrong.status)
		}

		// Corrected, without uploading again.
		fields.Set("form.business_area_m2", "120")
		for _, k := range kept {
			fields.Set(k[1], k[2])
		}
		ok := casePostMultipart(t, qiye, base, applyPath, fields, nil)
		if ok.status != http.StatusSeeOther || !strings.HasPrefix(ok.location, "/cases/") {
			t.Fatalf("submit: %d → %q\n%s", ok.status, ok.location, ok.body)
		}
		no := strings.TrimPrefix(ok.location, "/cases/")
		show := get(t, qiye, base+ok.location)
		if show.status != 200 || !strings.Contains(show.body, no) || !strings.Contains(show.body, "查询码") || !strings.Contains(show.body, `id="query-code"`) {
			t.Fatalf("the case page after filing: %d\n%s", show.status, show.body)
		}
		if !strings.Contains(show.body, "已有电子证照：营业执照 "+w.licenceA) {
			t.Error("the case page does not say where the business licence came from")
		}
		if caseHasAction(show.body, "accept") || !caseHasAction(show.body, "withdraw") {
			t.Error("the applicant is offered the wrong actions")
		}
		if strings.Contains(show.body, `id="rate"`) {
			t.Error("the rating form shows before a decision")
		}

		// The window's queue lists it; the clerk accepts it.
		clerk := w.login(t, "clerk")
		queue := get(t, clerk, base+"/cases?queue=accept")
		if queue.status != 200 || !strings.Contains(queue.body, no) || !strings.Contains(queue.body, "待受理") {
			t.Fatalf("the clerk's queue: %d", queue.status)
		}
		page := get(t, clerk, base+"/cases/"+no)
		v1 := caseActVersion(t, page.body, "accept")
		if p := postForm(t, clerk, base+"/cases/"+no+"/actions", url.Values{"action": {"accept"}, "version": {v1}}, base); p.status != http.StatusSeeOther {
			t.Fatalf("accept: %d\n%s", p.status, p.body)
		}
		// The same form sent again with the old version changes nothing.
		stale := postForm(t, clerk, base+"/cases/"+no+"/actions", url.Values{"action": {"accept"}, "version": {v1}}, base)
		if stale.status != http.StatusPreconditionFailed || !strings.Contains(stale.body, "办件已被他人处理") {
			t.Errorf("a stale accept: %d", stale.status)
		}

		// Another department's reviewer may not even look at it.
		if p := get(t, w.login(t, "shuiwu"), base+"/cases/"+no); p.status != http.StatusForbidden {
			t.Errorf("a reviewer of another department sees the case: %d", p.status)
		}

		// The department asks for a supplement, growing the list without JavaScript.
		scjg := w.login(t, "scjg")
		if q := get(t, scjg, base+"/cases?queue=review"); !strings.Contains(q.body, no) {
			t.Error("the reviewer's queue lacks the case")
		}
		page = get(t, scjg, base+"/cases/"+no)
		v := caseActVersion(t, page.body, "request_supplement")
		grown := postForm(t, scjg, base+"/cases/"+no+"/actions", url.Values{"action": {"request_supplement"}, "version": {v},
			"missing_name": {"场所平面图", "", ""}, "missing_requirement": {"标明功能分区", "", ""}, "add_row": {"1"}}, base)
		if grown.status != 200 || strings.Count(grown.body, `name="missing_name"`) != 4 || !strings.Contains(grown.body, `value="场所平面图"`) {
			t.Fatalf("+ 添加一项: %d, %d rows", grown.status, strings.Count(grown.body, `name="missing_name"`))
		}
		empty := postForm(t, scjg, base+"/cases/"+no+"/actions", url.Values{"action": {"request_supplement"}, "version": {v},
			"missing_name": {"", "", ""}, "missing_requirement": {"", "", ""}}, base)
		if empty.status != http.StatusUnprocessableEntity || !strings.Contains(empty.body, "一次性列出") {
			t.Errorf("an empty 补正 list: %d", empty.status)
		}
		vague := postForm(t, scjg, base+"/cases/"+no+"/actions", url.Values{"action": {"request_supplement"}, "version": {v},
			"missing_name": {"场所平面图", "食品安全管理人员证明", ""}, "missing_requirement": {"标明功能分区", "", ""}}, base)
		if vague.status != http.StatusUnprocessableEntity || !strings.Contains(vague.body, "请写明补正要求") || !strings.Contains(vague.body, `value="食品安全管理人员证明"`) {
			t.Errorf("an item without a requirement: %d", vague.status)
		}
		if p := postForm(t, scjg, base+"/cases/"+no+"/actions", url.Values{"action": {"request_supplement"}, "version": {v},
			"missing_name": {"场所平面图", "食品安全管理人员证明", ""}, "missing_requirement": {"标明功能分区", "健康证明和培训合格证明", ""}}, base); p.status != http.StatusSeeOther {
			t.Fatalf("request_supplement: %d\n%s", p.status, p.body)
		}

		// The applicant supplements with files, from the list it was given.
		page = get(t, qiye, base+"/cases/"+no)
		if !strings.Contains(page.body, "补正告知（一次性告知）") || !strings.Contains(page.body, "场所平面图") || !strings.Contains(page.body, "计时暂停") {
			t.Error("the applicant does not see the 补正 list or the paused clock")
		}
		if !strings.Contains(page.body, "/documents/supplement.pdf") {
			t.Error("no link to the 补正告知书")
		}
		if p := get(t, qiye, base+"/cases/"+no+"/documents/supplement.pdf"); p.status != 200 || !strings.HasPrefix(p.body, "%PDF") {
			t.Errorf("the 补正告知书: %d", p.status)
		}
		v = caseActVersion(t, page.body, "supplement")
		if p := casePostMultipart(t, qiye, base, "/cases/"+no+"/actions", url.Values{"action": {"supplement"}, "version": {v}},
			map[string]caseUpload{"supp.0": casePDF("平面图.pdf"), "supp.1": casePDF("管理人员.pdf")}); p.status != http.StatusSeeOther {
			t.Fatalf("supplement: %d\n%s", p.status, p.body)
		}

		// The department approves.
		page = get(t, scjg, base+"/cases/"+no)
		v = caseActVersion(t, page.body, "approve")
		if p := postForm(t, scjg, base+"/cases/"+no+"/actions", url.Values{"action": {"approve"}, "version": {v}, "opinion": {"符合条件，准予许可"}}, base); p.status != http.StatusSeeOther {
			t.Fatalf("approve: %d\n%s", p.status, p.body)
		}

		// Now the applicant may rate it, and downloads the acceptance notice.
		page = get(t, qiye, base+"/cases/"+no)
		for _, want := range []string{`id="rate"`, "非常满意", "非常不满意", "食品经营许可证", "/documents/acceptance.pdf"} {
			if !strings.Contains(page.body, want) {
				t.Errorf("after the decision the case page lacks %q", want)
			}
		}
		doc, err := qiye.Get(base + "/cases/" + no + "/documents/acceptance.pdf")
		if err != nil {
			t.Fatal(err)
		}
		pdfBody, _ := io.ReadAll(doc.Body)
		doc.Body.Close()
		if doc.StatusCode != 200 || doc.Header.Get("Content-Type") != "application/pdf" ||
			!strings.HasPrefix(doc.Header.Get("Content-Disposition"), "attachment") || !bytes.HasPrefix(pdfBody, []byte("%PDF")) {
			t.Errorf("acceptance notice: %d %s %s", doc.StatusCode, doc.Header.Get("Content-Type"), doc.Header.Get("Content-Disposition"))
		}

		// One window hands it out: mail needs a tracking number.
		page = get(t, clerk, base+"/cases/"+no)
		v = caseActVersion(t, page.body, "deliver")
		if p := postForm(t, clerk, base+"/cases/"+no+"/actions", url.Values{"action": {"deliver"}, "version": {v}, "delivery_method": {"mail"}}, base); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "运单号") {
			t.Errorf("mail without a tracking number: %d", p.status)
		}
		if p := postForm(t, clerk, base+"/cases/"+no+"/actions", url.Values{"action": {"deliver"}, "version": {v}, "delivery_method": {"mail"},
			"tracking_no": {"SF1234567890"}, "address": {"重庆市北碚区天生路 8 号"}}, base); p.status != http.StatusSeeOther {
			t.Fatalf("deliver: %d\n%s", p.status, p.body)
		}

		// A 差评 needs a reason, then opens a follow-up for the department.
		if p := postForm(t, qiye, base+"/cases/"+no+"/rating", url.Values{"level": {"2"}}, base); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "差评请说明原因") {
			t.Errorf("a 差评 without a comment: %d", p.status)
		}
		if p := postForm(t, qiye, base+"/cases/"+no+"/rating", url.Values{"level": {"2"}, "comment": {"补正要求不够清楚"}}, base); p.status != http.StatusSeeOther {
			t.Fatalf("rate: %d\n%s", p.status, p.body)
		}
		page = get(t, qiye, base+"/cases/"+no)
		if strings.Contains(page.body, `id="rate"`) || !strings.Contains(page.body, "补正要求不够清楚") || !strings.Contains(page.body, "已出件") {
			t.Error("the rated, delivered case page is wrong")
		}
		rect := get(t, scjg, base+"/rectifications")
		if rect.status != 200 || !strings.Contains(rect.body, no) || !strings.Contains(rect.body, "已联系核实") {
			t.Errorf("the department's follow-up list: %d", rect.status)
		}

		// The applicant's inbox has the notices; all can be marked read.
		inbox := get(t, qiye, base+"/inbox")
		for _, want := range []string{"申请已提交", "申请已受理", "请补正材料", "申请已办结", "结果已送达", `id="unread"`} {
			if !strings.Contains(inbox.body, want) {
				t.Errorf("the inbox lacks %q", want)
			}
		}
		if p := postForm(t, qiye, base+"/inbox/read", nil, base); p.status != http.StatusSeeOther {
			t.Errorf("mark read: %d", p.status)
		}
		if p := get(t, qiye, base+"/inbox"); strings.Contains(p.body, `id="unread"`) {
			t.Error("notices are still unread")
		}

		// Uploaded materials download for those who may see the case only.
		id := kept[0][2]
		resp, err := qiye.Get(base + "/files/" + id)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("Content-Type") != "application/pdf" ||
			!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("file download: %d %v", resp.StatusCode, resp.Header)
		}
		if p := get(t, w.login(t, "firmb"), base+"/files/"+id); p.status != http.StatusForbidden {
			t.Errorf("another enterprise downloads the file: %d", p.status)
		}
		if p := get(t, w.login(t, "firmb"), base+"/cases/"+no); p.status != http.StatusForbidden {
			t.Errorf("another enterprise sees the case: %d", p.status)
		}
		mine := get(t, qiye, base+"/cases")
		if !strings.Contains(mine.body, "我的办件") || len(caseNoRE.FindAllString(mine.body, -1)) != 1 {
			t.Errorf("我的办件 does not list the one case")
		}
	})
}

// TestWindowIntakeAndSupervision takes in a walk-in at the window with
// the enterprise chosen on the intake page, decides nothing, and shows
// the supervisors' page.
func TestWindowIntakeAndSupervision(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, d db.Dialect) {
		w := newCaseWorld(t, d)
		base := w.srv.URL
		clerk := w.login(t, "clerk")
		intake := get(t, clerk, base+"/intake?credit_code="+w.creditA+"&q="+url.QueryEscape("食品经营"))
		link := "/apply/matter/" + w.food + "?credit_code=" + w.creditA
		if intake.status != 200 || !strings.Contains(intake.body, link) || !strings.Contains(intake.body, "重庆北碚嘉陵餐饮管理有限公司") {
			t.Fatalf("intake: %d\n%s", intake.status, intake.body)
		}
		form := get(t, clerk, base+link)
		if form.status != 200 || !strings.Contains(form.body, "申请企业统一社会信用代码") || !strings.Contains(form.body, `value="`+w.creditA+`"`) ||
			!strings.Contains(form.body, `<option value="window" selected>`) {
			t.Fatalf("the clerk's form: %d", form.status)
		}
		if p := get(t, w.login(t, "firma"), base+"/intake"); p.status != http.StatusForbidden {
			t.Errorf("an enterprise user opens the intake page: %d", p.status)
		}
		if p := get(t, clerk, base+"/apply/matter/NO-SUCH-MATTER"); p.status != http.StatusNotFound {
			t.Errorf("an unknown matter's form: %d", p.status)
		}
		// A bundle's form lists its members and asks how to receive the results.
		bundle := get(t, clerk, base+"/apply/bundle/YJS-QYKB?credit_code="+w.creditA)
		if bundle.status != 200 || !strings.Contains(bundle.body, "同步办理") || !strings.Contains(bundle.body, "领取方式") || !strings.Contains(bundle.body, "公章刻制") {
			t.Errorf("the bundle form: %d", bundle.status)
		}
		// An agent's form asks for the authorisation; matters its point does not take in are closed.
		agent := w.login(t, "daiban")
		var taken, notTaken string
		all, _ := w.srv.Main.Matters.List(apptest.System(), matter.Filter{ActiveOnly: true})
		for _, x := range all {
			ok, _ := w.srv.Main.Points.Accepts(apptest.System(), seed.DemoAgentPoint, x.Code)
			switch {
			case ok && taken == "":
				taken = x.Code
			case !ok && notTaken == "":
				notTaken = x.Code
			}
		}
		if p := get(t, agent, base+"/apply/matter/"+taken+"?credit_code="+w.creditA); p.status != 200 || !strings.Contains(p.body, `name="authorization"`) {
			t.Errorf("the agent's form: %d", p.status)
		}
		if p := get(t, agent, base+"/apply/matter/"+notTaken); p.status != http.StatusForbidden || !strings.Contains(p.body, "本服务点不代办该事项") {
			t.Errorf("a matter the agent's point does not take in: %d", p.status)
		}
		// A wrong credit code is reported at its input.
		files := map[string]caseUpload{}
		for _, in := range caseFileInputRE.FindAllStringSubmatch(form.body, -1) {
			files[in[1]] = casePDF(in[1] + ".pdf")
		}
		fields := url.Values{"credit_code": {caseCreditCode(99)}, "channel": {"window"}, "form.food_business": {"散装食品销售"},
			"form.operator_kind": {"食品销售经营者"}, "form.business_area_m2": {"40"}}
		bad := casePostMultipart(t, clerk, base, "/apply/matter/"+w.food, fields, files)
		if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, "未找到该信用代码的企业") {
			t.Errorf("an unknown enterprise: %d", bad.status)
		}
		fields.Set("credit_code", w.creditA)
		ok := casePostMultipart(t, clerk, base, "/apply/matter/"+w.food, fields, files)
		if ok.status != http.StatusSeeOther {
			t.Fatalf("window intake: %d\n%s", ok.status, ok.body)
		}
		no := strings.TrimPrefix(ok.location, "/cases/")
		c, err := w.srv.Main.Cases.Get(apptest.System(), no)
		if err != nil || c.Channel != casework.ChannelWindow || c.EnterpriseID != w.entA || c.ContactPhone != "13983000001" {
			t.Errorf("the case taken in: %+v %v", c, err)
		}
		// A 即办件 taken in at the window is decided on the spot.
		if no := caseInstant(t, w); no != "" {
			page := get(t, clerk, base+"/cases/"+no)
			if !strings.Contains(page.body, "当场办结") {
				t.Errorf("the window is not offered to decide the 即办件 on the spot")
			}
			v := caseActVersion(t, page.body, "approve")
			if p := postForm(t, clerk, base+"/cases/"+no+"/actions", url.Values{"action": {"approve"}, "version": {v}}, base); p.status != http.StatusSeeOther {
				t.Errorf("当场办结: %d", p.status)
			}
			if c, _ := w.srv.Main.Cases.Get(apptest.System(), no); c.State != casework.Approved || c.AcceptedOn.IsZero() {
				t.Errorf("the 即办件 after 当场办结: %s", c.State)
			}
		}
		jg := w.login(t, "jianguan")
		if p := get(t, jg, base+"/supervision"); p.status != 200 || !strings.Contains(p.body, "各部门在办情况") {
			t.Errorf("supervision: %d", p.status)
		}
		if p := get(t, clerk, base+"/supervision"); p.status != http.StatusForbidden {
			t.Errorf("a clerk opens the supervision page: %d", p.status)
		}
		if p := get(t, jg, base+"/cases/"+no); p.status != 200 || caseHasAction(p.body, "accept") || strings.Contains(p.body, "13983000001") || !strings.Contains(p.body, "139****0001") {
			t.Errorf("a supervisor's view of a case: %d (no actions, the phone masked)", p.status)
		}
	})
}

// caseInstant files a 即办件 at the window for enterprise A (as the
// platform, with every material) and returns its number.
func caseInstant(t *testing.T, w caseWorld) string {
	t.Helper()
	sys := apptest.System()
	m := w.srv.Main
	all, err := m.Matters.List(sys, matter.Filter{ActiveOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	cat := casework.MatterCatalogue{Matters: m.Matters}
	for _, x := range all {
		if x.Current.CaseType != "instant" {
			continue
		}
		spec, err := cat.MatterSpec(sys, x.Code)
		if err != nil {
			t.Fatal(err)
		}
		files, form := map[int]string{}, map[string]string{}
		for _, mat := range spec.Materials {
			if mat.Required && (mat.Source == "applicant" || mat.Source == "license") {
				f, err := m.Files.Save(sys, mat.Name+".pdf", bytes.NewReader(casePDF(mat.Name).data))
				if err != nil {
					t.Fatal(err)
				}
				files[mat.Seq] = f.ID
			}
		}
		for _, f := range spec.Fields {
			switch {
			case !f.Required || f.Prefill != "":
			case f.Type == "select":
				form[f.Name] = f.Options[0]
			case f.Type == "number":
				form[f.Name] = "1"
			case f.Type == "date":
				form[f.Name] = "2026-03-02"
			default:
				form[f.Name] = "窗口填写"
			}
		}
		c, err := m.Cases.Submit(sys, casework.Submission{MatterCode: x.Code, EnterpriseID: w.entA, Channel: casework.ChannelWindow, Files: files, Form: form})
		if err != nil {
			t.Fatalf("file the 即办件 %s: %v", x.Current.Name, err)
		}
		return c.No
	}
	t.Error("the demo catalogue has no 即办件")
	return ""
}
