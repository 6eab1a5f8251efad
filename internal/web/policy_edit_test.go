package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/web"
)

// TestPolicyEditorThroughTheForm writes a policy with the editor as an
// officer would: a first save with mistakes and a failing test keeps
// everything typed and shows each problem where it belongs; the live panel
// counts the firms the conditions reach; the fixed policy saves with its
// tests passing, publishes, and an edit after publishing makes version 2
// while a stale form is refused.
func TestPolicyEditorThroughTheForm(t *testing.T) {
	w := newPolicyWorld(t, db.SQLite)
	officer := w.login(t, "zhengce1")
	blank := get(t, officer, w.url("/admin/policies/new"))
	if blank.status != 200 || !strings.Contains(blank.body, `id="cond-builder"`) {
		t.Fatalf("new policy form: %d", blank.status)
	}
	form := web.FormOf(blank.body)
	for k, v := range map[string]string{
		"code": "bb-test-cy-2026", "title": "", "document_no": "北碚科发〔2026〕3号", "issuer": "北碚区科技局", "shelf": "tech",
		"department_code": "RSJ", "valid_from": "2026-01-01", "summary": "科技型小微企业研发补助（测试）",
		"benefit.kind": "formula", "benefit.formula": "min(rd_expense * 0.1, 200000)", "benefit.cap_yuan": "200000",
		"materials[0].name": "研发费用专项审计报告",
		"tests[0].name":     "从业人数400人也符合（错误的预期）", "tests[0].as_of": "2026-06-30",
		"tests[0].profile": "region_code = 500109001\nemployees = 400\nrd_expense = 500000", "tests[0].expect": "eligible",
		// The builder: all [ employees ≤ 300 (typed wrong first), region starts with 500109 ].
		"cond.rows": "3", "cond[1].depth": "1", "cond[1].kind": "leaf", "cond[1].attr": "employees", "cond[1].op": "le", "cond[1].v": "三百",
		"cond[2].depth": "1", "cond[2].kind": "leaf", "cond[2].attr": "region_code", "cond[2].op": "prefix", "cond[2].v": "500109",
	} {
		form.Set(k, v)
	}
	p := policyPost(t, officer, w, "/admin/policies", form)
	if p.status != http.StatusUnprocessableEntity {
		t.Fatalf("a form with mistakes: %d\n%s", p.status, p.body)
	}
	for _, want := range []string{"请填写政策名称", "请填写数字", `value="三百"`, `value="北碚科发〔2026〕3号"`, "min(rd_expense * 0.1, 200000)", "研发费用专项审计报告"} {
		if !strings.Contains(p.body, want) {
			t.Errorf("after a refused save the form lacks %q", want)
		}
	}
	form = web.FormOf(p.body)
	form.Set("title", "北碚区科技型小微企业研发补助（测试）")
	form.Set("cond[1].v", "300")
	p = policyPost(t, officer, w, "/admin/policies", form)
	if p.status != http.StatusUnprocessableEntity || !regexp.MustCompile(`(?s)id="test-0".*?预期.*?实际`).MatchString(p.body) {
		t.Fatalf("a failing test is not shown on its row: %d\n%s", p.status, p.body)
	}
	// The live panel counts the firm of 80 employees, not the one of 1200.
	sim := policyPost(t, officer, w, "/admin/policies/simulate", web.FormOf(p.body))
	if !strings.Contains(sim.body, `<dd id="sim-eligible">1</dd>`) || !strings.Contains(sim.body, `<dd id="sim-ineligible">1</dd>`) ||
		!strings.Contains(sim.body, "预计兑现总额") {
		t.Errorf("live panel:\n%s", sim.body)
	}
	// Marked as a tax saving, the estimate is revenue forgone, not a payout.
	saving := web.FormOf(p.body)
	saving.Set("benefit.saving", "on")
	if sim := policyPost(t, officer, w, "/admin/policies/simulate", saving); !strings.Contains(sim.body, "预计减免总额") || strings.Contains(sim.body, "预计兑现总额") {
		t.Errorf("live panel of a saving:\n%s", sim.body)
	}
	form = web.FormOf(p.body)
	form.Set("tests[0].name", "从业人数400人，不符合")
	form.Set("tests[0].expect", "ineligible")
	form.Set("tests[1].name", "研发费用50万元，补助5万元")
	form.Set("tests[1].as_of", "2026-06-30")
	form.Set("tests[1].profile", "所在地区划代码 = 500109001\n从业人数 = 80\nrd_expense = 500000")
	form.Set("tests[1].expect", "eligible")
	form.Set("tests[1].benefit_yuan", "50000")
	p = policyPost(t, officer, w, "/admin/policies", form)
	if p.status != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", p.status, p.body)
	}
	edit := follow(t, officer, w.srv.URL, p.location)
	for _, want := range []string{"2 项测试全部通过", "草稿", `id="publish"`, "研发费用专项审计报告", `value="300"`} {
		if !strings.Contains(edit.body, want) {
			t.Errorf("the saved policy's editor lacks %q", want)
		}
	}
	id := regexp.MustCompile(`/admin/policies/(\d+)/edit`).FindStringSubmatch(p.location)[1]
	rev := regexp.MustCompile(`id="publish-form">\s*<input type="hidden" name="rev" value="(\d+)"`).FindStringSubmatch(edit.body)
	if rev == nil {
		t.Fatal("no publish form")
	}
	if p := policyPost(t, officer, w, "/admin/policies/"+id+"/publish", url.Values{"rev": {rev[1]}, "effective_from": {"2026-01-01"}}); p.status != http.StatusSeeOther {
		t.Fatalf("publish: %d", p.status)
	}
	if p := get(t, w.srv.Browser(), w.url("/policies/%s", id)); p.status != 200 || !strings.Contains(p.body, "北碚区科技型小微企业研发补助（测试）") {
		t.Errorf("the published policy is not public: %d", p.status)
	}
	// Editing the published policy makes a new draft version.
	edit = get(t, officer, w.url("/admin/policies/%s/edit", id))
	form = web.FormOf(edit.body)
	stale := form.Get("rev")
	form.Set("summary", "科技型小微企业研发补助（测试），第二版")
	if p := policyPost(t, officer, w, "/admin/policies/"+id, form); p.status != http.StatusSeeOther {
		t.Fatalf("edit after publishing: %d\n%s", p.status, p.body)
	}
	edit = get(t, officer, w.url("/admin/policies/%s/edit", id))
	if !strings.Contains(edit.body, "最新第 2 版") || !regexp.MustCompile(`(?s)id="versions".*<td>2</td><td>草稿</td>.*<td>1</td><td>已发布</td>`).MatchString(edit.body) {
		t.Errorf("no version 2 draft beside the published version 1")
	}
	form.Set("summary", "另一位专员同时修改")
	form.Set("rev", stale)
	if p := policyPost(t, officer, w, "/admin/policies/"+id, form); p.status != http.StatusConflict || !strings.Contains(p.body, `id="conflict"`) || !strings.Contains(p.body, "另一位专员同时修改") {
		t.Errorf("a stale save: %d", p.status)
	}
	// Only officers write policies.
	firm := w.login(t, "firma")
	if p := get(t, firm, w.url("/admin/policies/new")); p.status != http.StatusForbidden {
		t.Errorf("an enterprise opened the editor: %d", p.status)
	}
	if p := policyPost(t, firm, w, "/admin/policies", form); p.status != http.StatusForbidden {
		t.Errorf("an enterprise posted a policy: %d", p.status)
	}
	supervisor := w.login(t, "jianguan")
	if p := get(t, supervisor, w.url("/admin/policies")); p.status != 200 {
		t.Errorf("a supervisor cannot read the policy list: %d", p.status)
	}
	if p := get(t, supervisor, w.url("/admin/policies/new")); p.status != http.StatusForbidden {
		t.Errorf("a supervisor opened the new-policy form: %d", p.status)
	}
}
