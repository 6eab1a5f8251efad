package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/qinqing/qinqing/internal/app/apptest"
	"github.com/qinqing/qinqing/internal/casework"
	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/matter"
	"github.com/qinqing/qinqing/internal/seed"
)

// The demo catalogue's codes the tests rely on.
const (
	catLLCCode     = "01240010000150010901" // 有限责任公司设立登记 (区市场监管局), 营业执照
	catStartBundle = "YJS-QYKB"             // 开办企业一件事
	catCaijiaPoint = "caijiagang-centre"    // 蔡家岗街道公共服务中心
)

// catServer is demoServer with the demo catalogue, bundles and
// service network loaded (demoServer seeds the registry only). The search
// index is built empty when the server starts and follows the catalogue
// through its change hooks, which the demo loader fires.
func catServer(t *testing.T) *apptest.Server {
	t.Helper()
	srv := demoServer(t)
	m := srv.Main
	if err := seed.DemoServices(apptest.System(), m.DB, seed.Services{Matters: m.Matters, Points: m.Points}, nil); err != nil {
		t.Fatal(err)
	}
	if m.Catalogue.Len() == 0 {
		t.Fatal("the search index did not follow the demo catalogue")
	}
	return srv
}

// catEnglish switches a client to English.
func catEnglish(t *testing.T, srv *apptest.Server, c *http.Client) {
	t.Helper()
	postForm(t, c, srv.URL+"/prefs", url.Values{"lang": {"en"}, "back": {"/"}}, srv.URL)
}

// catUpload posts a multipart form from the site, with a file when file
// (the field name) is not empty.
func catUpload(t *testing.T, c *http.Client, u, origin string, fields map[string]string, file, name string, content []byte) page {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if file != "" {
		fw, _ := mw.CreateFormFile(file, name)
		fw.Write(content)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", u, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", origin)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return page{resp.StatusCode, resp.Header.Get("Location"), string(b)}
}

// catWant requires every fragment in body.
func catWant(t *testing.T, what, body string, frags ...string) {
	t.Helper()
	for _, f := range frags {
		if !strings.Contains(body, f) {
			t.Errorf("%s lacks %q", what, f)
		}
	}
}

var catTdRE = regexp.MustCompile(`<td[^>]*>`)

// catFitsAPhone checks what keeps a page usable 375 px wide without a
// browser: no inline styles or fixed widths, and every table cell labelled
// for the stacked phone layout.
func catFitsAPhone(t *testing.T, path, body string) {
	t.Helper()
	if strings.Contains(body, " style=") || regexp.MustCompile(`\swidth="\d`).MatchString(body) {
		t.Errorf("%s sets a fixed size inline", path)
	}
	for _, td := range catTdRE.FindAllString(body, -1) {
		if !strings.Contains(td, "data-label=") && !strings.Contains(td, "colspan=") {
			t.Errorf("%s has a table cell without data-label: %s", path, td)
			return
		}
	}
	if strings.Contains(body, "<script>") || strings.Contains(body, " onclick=") || strings.Contains(body, " onsubmit=") {
		t.Errorf("%s has inline script, which the CSP forbids", path)
	}
}

// catSubmitCase files an application for a demo enterprise the way the demo
// history does (as the platform), on the first zero-materials matter whose
// form the enterprise profile and a few typed values complete.
func catSubmitCase(t *testing.T, srv *apptest.Server) casework.Case {
	t.Helper()
	ctx := apptest.System()
	page, err := srv.Main.Enterprise.List(ctx, enterprise.Filter{Page: 1, PerPage: 1})
	if err != nil || len(page.Items) == 0 {
		t.Fatalf("no enterprise to apply for: %v", err)
	}
	all, err := srv.Main.Matters.List(ctx, matter.Filter{Flag: matter.FlagZeroMaterials, ActiveOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var last error
	for _, m := range all {
		form := map[string]string{}
		for _, f := range m.Current.FormFields {
			switch {
			case len(f.Options) > 0:
				form[f.Name] = f.Options[0]
			case f.Type == "number":
				form[f.Name] = "1"
			case f.Type == "date":
				form[f.Name] = "2026-06-01"
			default:
				form[f.Name] = "测试"
			}
		}
		c, err := srv.Main.Cases.Submit(ctx, casework.Submission{MatterCode: m.Code, EnterpriseID: page.Items[0].ID,
			Channel: casework.ChannelOnline, Form: form, ContactName: "陈志强", ContactPhone: "13900001111"})
		if err == nil {
			return c
		}
		last = err
	}
	t.Fatalf("no zero-materials matter could be filed: %v", last)
	return casework.Case{}
}

// TestPublicCataloguePages renders every public page of the catalogue, the
// bundles, the service network and the progress lookup, anonymously, in
// Chinese and in English.
func TestPublicCataloguePages(t *testing.T) {
	srv := catServer(t)
	c := srv.Browser()
	paths := []string{"/matters", "/matters?q=yyzz", "/matters?flag=zero_materials&event=startup", "/matters/" + catLLCCode,
		"/bundles", "/bundles/" + catStartBundle, "/service-points", "/service-points?street=500109006",
		"/service-points?matter=" + catLLCCode, "/service-points/" + catCaijiaPoint, "/progress"}
	check := func(lang string, want map[string]string) {
		for _, path := range paths {
			p := get(t, c, srv.URL+path)
			if p.status != 200 {
				t.Errorf("%s (%s): status %d", path, lang, p.status)
				continue
			}
			if !strings.Contains(p.body, `<html lang="`+lang) {
				t.Errorf("%s is not in %s", path, lang)
			}
			if w := want[strings.SplitN(path, "?", 2)[0]]; w != "" && !strings.Contains(p.body, w) {
				t.Errorf("%s (%s) lacks %q", path, lang, w)
			}
			catFitsAPhone(t, path, p.body)
		}
	}
	check("zh-CN", map[string]string{"/matters": "政务服务事项目录", "/bundles": "一件事一次办", "/service-points": "三级四务服务网络",
		"/progress": "办件进度查询", "/matters/" + catLLCCode: "办事指南", "/bundles/" + catStartBundle: "一次申请"})
	catEnglish(t, srv, c)
	check("en", map[string]string{"/matters": "Government service catalogue", "/bundles": "One thing, one application",
		"/service-points": "The service network", "/progress": "Case progress", "/matters/" + catLLCCode: "Registration of a limited liability company",
		"/bundles/" + catStartBundle: "Apply once"})
}

func TestCatalogueSearch(t *testing.T) {
	srv := catServer(t)
	c := srv.Browser()

	t.Run("pinyin initials find the business licence, marked", func(t *testing.T) {
		p := get(t, c, srv.URL+"/matters?q=yyzz")
		catWant(t, "yyzz results", p.body, "<mark>营业执照</mark>", `href="/matters/`+catLLCCode+`"`, "有限责任公司设立登记", "开办企业一件事")
		first := regexp.MustCompile(`(?s)<li class="card cat-result">.*?</li>`).FindString(p.body)
		if !strings.Contains(first, "<mark>营业执照</mark>") {
			t.Errorf("the first hit does not show 营业执照: %s", first)
		}
	})
	t.Run("a Chinese query ranks the matter named by it first", func(t *testing.T) {
		p := get(t, c, srv.URL+"/matters?q="+url.QueryEscape("有限责任公司设立"))
		first := regexp.MustCompile(`(?s)<li class="card cat-result">.*?</li>`).FindString(p.body)
		if !strings.Contains(first, catLLCCode) {
			t.Errorf("first hit for 有限责任公司设立: %s", first)
		}
	})
	t.Run("results show limits, department and reform labels", func(t *testing.T) {
		p := get(t, c, srv.URL+"/matters?q="+url.QueryEscape("有限责任公司设立登记"))
		catWant(t, "results", p.body, "承诺 1 个工作日 / 法定 3 个工作日", "区市场监管局", "零跑腿", "全程网办", "一件事")
	})
	t.Run("filters narrow the list and are kept in the form", func(t *testing.T) {
		all := get(t, c, srv.URL+"/matters")
		some := get(t, c, srv.URL+"/matters?flag=zero_materials")
		total := func(body string) int {
			m := regexp.MustCompile(`<strong>(\d+)</strong>`).FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("no count in %s", body)
			}
			var n int
			fmt.Sscan(m[1], &n)
			return n
		}
		if a, s := total(all.body), total(some.body); s == 0 || s >= a {
			t.Errorf("零材料 filter: %d of %d", s, a)
		}
		if !strings.Contains(some.body, `<option value="zero_materials" selected>`) {
			t.Error("the chosen filter is not kept")
		}
		bad := get(t, c, srv.URL+"/matters?type=nonsense")
		if bad.status != 200 || !strings.Contains(bad.body, "已忽略无法识别的筛选条件") {
			t.Errorf("an unknown filter: %d", bad.status)
		}
		dept := get(t, c, srv.URL+"/matters?q=yyzz&department=SWJ")
		if strings.Contains(dept.body, catLLCCode) {
			t.Error("the department filter did not apply to a search")
		}
	})
	t.Run("pages of twenty", func(t *testing.T) {
		p1, p2 := get(t, c, srv.URL+"/matters"), get(t, c, srv.URL+"/matters?page=2")
		if n := strings.Count(p1.body, `class="card cat-result"`); n != 20 {
			t.Errorf("page 1 has %d results", n)
		}
		if !strings.Contains(p1.body, `rel="next"`) || !strings.Contains(p2.body, `start="21"`) {
			t.Error("no pager")
		}
	})
	t.Run("htmx gets only the results block", func(t *testing.T) {
		req, _ := http.NewRequest("GET", srv.URL+"/matters?q=spjy", nil)
		req.Header.Set("HX-Request", "true")
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		body := strings.TrimSpace(string(b))
		if !strings.HasPrefix(body, `<div id="cat-results"`) || strings.Contains(body, "<html") || !strings.Contains(body, "<mark>食品经营</mark>") {
			t.Errorf("htmx fragment: %.300s", body)
		}
	})
	t.Run("the search form works without JavaScript and updates with htmx", func(t *testing.T) {
		p := get(t, c, srv.URL+"/matters")
		catWant(t, "search form", p.body, `<form method="get" action="/matters"`, `hx-trigger="keyup changed delay:300ms`, `hx-select="#cat-results"`, `hx-target="#cat-results"`)
	})
}

func TestMatterGuideAndBundlePages(t *testing.T) {
	srv := catServer(t)
	c := srv.Browser()
	g := get(t, c, srv.URL+"/matters/"+catLLCCode)
	catWant(t, "the guide", g.body,
		"有限责任公司设立登记", "行政许可", "区市场监管局", "《中华人民共和国公司法》", "承诺 1 个工作日", "法定 3 个工作日",
		"承诺件", "0 次（零跑腿）", "全程网办", "不收费", "营业执照", "12345", "住所（经营场所）申报承诺书",
		"电子证照共享，免提交", "申请人提供", "开办企业一件事", `href="/bundles/`+catStartBundle+`"`,
		`href="/apply/matter/`+catLLCCode+`"`, "在线办理", "蔡家岗街道公共服务中心", `href="/service-points/`+catCaijiaPoint+`"`,
		"第1版", "演示目录初始版本", "由一企一档自动填写")
	if p := get(t, c, srv.URL+"/matters/012400100001500109XX"); p.status != 404 || !strings.Contains(p.body, "请求编号") {
		t.Errorf("an unknown matter: %d", p.status)
	}
	if p := get(t, c, srv.URL+"/matters/"+catLLCCode+"?version=7"); p.status != 404 {
		t.Errorf("a version that does not exist: %d", p.status)
	}
	// A matter that can only be partly handled online has no 在线办理 button.
	ctx := apptest.System()
	m, err := srv.Main.Matters.Get(ctx, "01240030000150010901") // 有限责任公司变更登记
	if err != nil {
		t.Fatal(err)
	}
	in := m.Input()
	in.OnlineDepth, in.ChangeNote = 2, "暂停网上办理"
	if _, err := srv.Main.Matters.Update(ctx, m.Code, in, m.Versions); err != nil {
		t.Fatal(err)
	}
	if p := get(t, c, srv.URL+"/matters/"+m.Code); p.status != 200 || strings.Contains(p.body, "/apply/matter/") || !strings.Contains(p.body, "在线咨询、表格下载") {
		t.Errorf("a matter of online depth 2: %d, offers online application or lacks its depth", p.status)
	}

	b := get(t, c, srv.URL+"/bundles/"+catStartBundle)
	catWant(t, "the bundle", b.body, "开办企业一件事", "承诺 2 个工作日", "区市场监管局", `href="/apply/bundle/`+catStartBundle+`"`,
		"一套材料", "一张表单", "领取方式", `href="/matters/`+catLLCCode+`"`)
	members := regexp.MustCompile(`(?s)包含的事项.*?</table>`).FindString(b.body)
	if n := strings.Count(members, "<tr>") - 1; n != 6 {
		t.Errorf("开办企业一件事 lists %d members", n)
	}
	if p := get(t, c, srv.URL+"/bundles"); !strings.Contains(p.body, `href="/bundles/`+catStartBundle+`"`) {
		t.Error("the bundle list lacks 开办企业一件事")
	}
	if p := get(t, c, srv.URL+"/bundles/NO-SUCH"); p.status != 404 {
		t.Errorf("an unknown bundle: %d", p.status)
	}
}

func TestServiceNetworkPages(t *testing.T) {
	srv := catServer(t)
	c := srv.Browser()
	st := get(t, c, srv.URL+"/service-points?street=500109006")
	catWant(t, "蔡家岗 points", st.body, "蔡家岗街道公共服务中心", "查看可代办事项", `<option value="500109006" selected>`)
	if strings.Contains(st.body, "天生街道公共服务中心") {
		t.Error("the street filter lets other streets through")
	}
	parks := get(t, c, srv.URL+"/service-points?tier=park&service=business")
	if !strings.Contains(parks.body, "园区/商圈党群服务中心") || strings.Contains(parks.body, `cat-tier-community"`) {
		t.Error("the tier filter")
	}
	m := get(t, c, srv.URL+"/service-points?matter="+catLLCCode)
	catWant(t, "points for a matter", m.body, "有限责任公司设立登记", "蔡家岗街道公共服务中心")
	if bad := get(t, c, srv.URL+"/service-points?tier=moon"); bad.status != 200 || !strings.Contains(bad.body, `class="alert"`) {
		t.Errorf("a bad filter: %d", bad.status)
	}
	d := get(t, c, srv.URL+"/service-points/"+catCaijiaPoint)
	catWant(t, "a point", d.body, "可代办事项", `href="/matters/`+catLLCCode+`"`, "WGS-84", "GCJ-02", "党务", "政务")
	if p := get(t, c, srv.URL+"/service-points/no-such-point"); p.status != 404 {
		t.Errorf("an unknown point: %d", p.status)
	}

	resp, err := c.Get(srv.URL + "/service-points/hsds.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Errorf("HSDS download headers: %q %q", cd, resp.Header.Get("Content-Type"))
	}
	var orgs []struct {
		Name      string
		Locations []struct{ Name string } `json:"locations"`
		Services  []struct{ Name string } `json:"services"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&orgs); err != nil || len(orgs) != 1 || len(orgs[0].Locations) < 17 || len(orgs[0].Services) != 4 {
		t.Errorf("HSDS document: %v, %+v", err, orgs)
	}
}

func TestProgressPage(t *testing.T) {
	srv := catServer(t)
	c := srv.Browser()
	form := get(t, c, srv.URL+"/progress")
	catWant(t, "the empty lookup", form.body, `name="no"`, `name="code"`)
	cs := catSubmitCase(t, srv)
	p := get(t, c, srv.URL+"/progress?no="+url.QueryEscape(cs.No)+"&code="+url.QueryEscape(cs.QueryCode))
	if p.status != 200 {
		t.Fatalf("progress: %d", p.status)
	}
	catWant(t, "the progress page", p.body, cs.No, "已提交，待受理", "提交日期", "尚未受理", "办理过程", "提交申请 → <strong>已提交，待受理</strong>")
	wrongCode := get(t, c, srv.URL+"/progress?no="+url.QueryEscape(cs.No)+"&code=ZZZZZZ")
	wrongNo := get(t, c, srv.URL+"/progress?no=NO-SUCH-CASE&code="+url.QueryEscape(cs.QueryCode))
	for _, w := range []page{wrongCode, wrongNo} {
		if w.status != 404 || !strings.Contains(w.body, "未找到该办件") || strings.Contains(w.body, "已提交，待受理") {
			t.Errorf("a wrong pair: %d", w.status)
		}
	}
	strip := func(s string) string {
		return regexp.MustCompile(`(?s)<footer.*</footer>|value="[^"]*"`).ReplaceAllString(s, "")
	}
	if strip(wrongCode.body) != strip(wrongNo.body) {
		t.Error("a wrong query code and a wrong number answer differently")
	}
	half := get(t, c, srv.URL+"/progress?no="+url.QueryEscape(cs.No))
	if half.status != http.StatusUnprocessableEntity || !strings.Contains(half.body, "请填写查询码") {
		t.Errorf("a missing query code: %d", half.status)
	}
	// Guessing codes from one address stops, with a way out.
	for range casework.LookupFailures {
		get(t, c, srv.URL+"/progress?no="+url.QueryEscape(cs.No)+"&code=ZZZZZZ")
	}
	if p := get(t, c, srv.URL+"/progress?no="+url.QueryEscape(cs.No)+"&code="+url.QueryEscape(cs.QueryCode)); p.status != http.StatusTooManyRequests || !strings.Contains(p.body, "我的办件") {
		t.Errorf("after many wrong codes: %d", p.status)
	}
}

// TestAdminEditsAMatter: the edit makes version 2, the guide shows both
// versions, an edit of the old version shows the conflict and keeps what
// was typed, and bad input is shown at its fields.
func TestAdminEditsAMatter(t *testing.T) {
	srv := catServer(t)
	c, _ := signIn(t, srv, identity.RoleAdmin)
	edit := get(t, c, srv.URL+"/admin/matters/"+catLLCCode+"/edit")
	if edit.status != 200 {
		t.Fatalf("edit page: %d", edit.status)
	}
	catFitsAPhone(t, "edit", edit.body)
	form := catEditForm(t, edit.body)
	if form.Get("version") != "1" || form.Get("materials[0].name") != "公司登记（备案）申请书" || form.Get("material_rows") == "" {
		t.Fatalf("the form does not carry the version and materials: %v", form)
	}
	form.Set("limit_note", "依据新规定，北碚区承诺 1 个工作日办结")
	form.Set("change_note", "更新时限说明")
	var rows int
	fmt.Sscan(form.Get("material_rows"), &rows)
	form.Set(fmt.Sprintf("materials[%d].name", rows-1), "经营场所照片")
	form.Del(fmt.Sprintf("materials[%d].required", rows-1))
	p := postForm(t, c, srv.URL+"/admin/matters/"+catLLCCode, form, srv.URL)
	if p.status != http.StatusSeeOther || p.location != "/matters/"+catLLCCode {
		t.Fatalf("save: %d → %q\n%s", p.status, p.location, p.body)
	}
	guide := follow(t, c, srv.URL, p.location)
	catWant(t, "the guide after the edit", guide.body, "已生成第 2 版", "依据新规定", "经营场所照片", "第2版", "第1版",
		`href="/matters/`+catLLCCode+`?version=1"`, "更新时限说明")
	old := get(t, c, srv.URL+"/matters/"+catLLCCode+"?version=1")
	catWant(t, "version 1", old.body, "历史版本", "市场主体登记管理条例第十九条")
	if strings.Contains(old.body, "依据新规定") || strings.Contains(old.body, "经营场所照片") {
		t.Error("version 1 shows version 2's elements")
	}

	t.Run("a stale version shows the conflict and keeps the input", func(t *testing.T) {
		form.Set("name", "有限责任公司设立登记（基于旧版本的修改）")
		form.Set("change_note", "基于第一版的修改")
		p := postForm(t, c, srv.URL+"/admin/matters/"+catLLCCode, form, srv.URL)
		if p.status != http.StatusConflict || !strings.Contains(p.body, "已被他人修改") ||
			!strings.Contains(p.body, "基于旧版本的修改") || !strings.Contains(p.body, "基于第一版的修改") || !strings.Contains(p.body, "经营场所照片") {
			t.Errorf("stale save: %d\n%s", p.status, p.body)
		}
	})
	t.Run("every field error at its field, nothing lost", func(t *testing.T) {
		fresh := catEditForm(t, get(t, c, srv.URL+"/admin/matters/"+catLLCCode+"/edit").body)
		fresh.Set("committed_limit_days", "9")
		fresh.Set("fee_yuan", "12.345")
		fresh.Set("change_note", "")
		fresh.Set("materials[1].copies", "两份")
		fresh.Set("materials[2].source", matter.SourceLicense)
		fresh.Set("materials[2].source_ref", "")
		fresh.Set("name", "保留我输入的名称")
		p := postForm(t, c, srv.URL+"/admin/matters/"+catLLCCode, fresh, srv.URL)
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("bad input: %d", p.status)
		}
		catWant(t, "the rejected form", p.body, "保留我输入的名称", `value="两份"`, "请填写整数",
			"承诺时限（9 个工作日）不得超过法定时限（3 个工作日）", "最多两位小数", "请说明本次修改", "请填写共享的电子证照名称")
		if !regexp.MustCompile(`id="f-committed_limit_days"[^>]*aria-invalid="true"`).MatchString(p.body) {
			t.Error("the committed limit is not marked invalid")
		}
		if m, _ := srv.Main.Matters.Get(apptest.System(), catLLCCode); m.Versions != 2 {
			t.Errorf("a rejected form made version %d", m.Versions)
		}
	})
	t.Run("blank rows can be added without saving", func(t *testing.T) {
		fresh := catEditForm(t, get(t, c, srv.URL+"/admin/matters/"+catLLCCode+"/edit").body)
		fresh.Set("more_rows", "1")
		fresh.Set("name", "尚未保存的名称")
		p := postForm(t, c, srv.URL+"/admin/matters/"+catLLCCode, fresh, srv.URL)
		var before, after int
		fmt.Sscan(fresh.Get("material_rows"), &before)
		fmt.Sscan(catEditForm(t, p.body).Get("material_rows"), &after)
		if p.status != 200 || after != before+3 || !strings.Contains(p.body, "尚未保存的名称") {
			t.Errorf("more rows: %d, %d → %d", p.status, before, after)
		}
	})
}

var catInputRE = regexp.MustCompile(`<(input|select|textarea)\b[^>]*\bname="([^"]+)"[^>]*>`)

// catEditForm reads an edit form the way a browser would post it: inputs'
// values, checked checkboxes, selected options and textarea text.
func catEditForm(t *testing.T, body string) url.Values {
	t.Helper()
	v := url.Values{}
	for _, m := range catInputRE.FindAllStringSubmatchIndex(body, -1) {
		tag, kind, name := body[m[0]:m[1]], body[m[2]:m[3]], body[m[4]:m[5]]
		attr := func(a string) (string, bool) {
			am := regexp.MustCompile(`\b` + a + `="([^"]*)"`).FindStringSubmatch(tag)
			if am == nil {
				return "", false
			}
			return catUnescape(am[1]), true
		}
		switch kind {
		case "input":
			typ, _ := attr("type")
			val, _ := attr("value")
			switch typ {
			case "checkbox":
				if strings.Contains(tag, " checked") {
					if val == "" {
						val = "on"
					}
					v.Add(name, val)
				}
			case "file", "submit":
			default:
				v.Set(name, val)
			}
		case "select":
			rest := body[m[1]:]
			sel := rest[:strings.Index(rest, "</select>")]
			if o := regexp.MustCompile(`<option value="([^"]*)" selected>`).FindStringSubmatch(sel); o != nil {
				v.Set(name, catUnescape(o[1]))
			} else if o := regexp.MustCompile(`<option value="([^"]*)"`).FindStringSubmatch(sel); o != nil {
				v.Set(name, catUnescape(o[1]))
			}
		case "textarea":
			rest := body[m[1]:]
			v.Set(name, catUnescape(rest[:strings.Index(rest, "</textarea>")]))
		}
	}
	return v
}

func catUnescape(s string) string {
	r := strings.NewReplacer("&#34;", `"`, "&quot;", `"`, "&#39;", "'", "&lt;", "<", "&gt;", ">", "&amp;", "&")
	return r.Replace(s)
}

func TestAdminCatalogueDesk(t *testing.T) {
	srv := catServer(t)
	c, _ := signIn(t, srv, identity.RoleAdmin)
	desk := get(t, c, srv.URL+"/admin/catalogue?q="+url.QueryEscape("有限责任公司设立"))
	catWant(t, "the desk", desk.body, "/admin/catalogue/export.xlsx", `action="/admin/catalogue/import"`, `/admin/matters/`+catLLCCode+`/edit`, "hx-confirm=")
	catFitsAPhone(t, "/admin/catalogue", desk.body)

	resp, err := c.Get(srv.URL + "/admin/catalogue/export.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	xlsx, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.HasPrefix(xlsx, []byte("PK\x03\x04")) || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("export: %d bytes, %q", len(xlsx), resp.Header.Get("Content-Disposition"))
	}
	t.Run("the export imports back unchanged", func(t *testing.T) {
		p := catUpload(t, c, srv.URL+"/admin/catalogue/import", srv.URL, nil, "file", "目录.xlsx", xlsx)
		if p.status != 200 || !strings.Contains(p.body, "导入结果") || !regexp.MustCompile(`无变化 <strong>\d{3}</strong>`).MatchString(p.body) {
			t.Errorf("re-import: %d\n%s", p.status, p.body)
		}
	})
	t.Run("a file that is not a workbook is refused", func(t *testing.T) {
		p := catUpload(t, c, srv.URL+"/admin/catalogue/import", srv.URL, nil, "file", "目录.xlsx", []byte("代码,名称\n1,2\n"))
		if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "只接受 Excel 工作簿") {
			t.Errorf("a CSV named .xlsx: %d", p.status)
		}
	})
	t.Run("withdrawing a matter takes it off the public catalogue", func(t *testing.T) {
		var code string
		all, _ := srv.Main.Matters.List(apptest.System(), matter.Filter{ActiveOnly: true})
		for _, m := range all {
			if len(m.InBundles) == 0 {
				code = m.Code
				break
			}
		}
		p := postForm(t, c, srv.URL+"/admin/matters/"+code+"/active", url.Values{"active": {"false"}, "back": {"/admin/catalogue?page=2"}}, srv.URL)
		if p.status != http.StatusSeeOther || p.location != "/admin/catalogue?page=2" {
			t.Fatalf("withdraw: %d → %q", p.status, p.location)
		}
		anon := srv.Browser()
		if g := get(t, anon, srv.URL+"/matters/"+code); g.status != 404 {
			t.Errorf("a withdrawn matter's guide: %d", g.status)
		}
		if g := get(t, c, srv.URL+"/matters/"+code); g.status != 200 || !strings.Contains(g.body, "该事项已停用") {
			t.Errorf("the administrator's view of a withdrawn matter: %d", g.status)
		}
		postForm(t, c, srv.URL+"/admin/matters/"+code+"/active", url.Values{"active": {"true"}}, srv.URL)
		if g := get(t, anon, srv.URL+"/matters/"+code); g.status != 200 {
			t.Errorf("a listed-again matter: %d", g.status)
		}
		inBundle := postForm(t, c, srv.URL+"/admin/matters/"+catLLCCode+"/active", url.Values{"active": {"false"}}, srv.URL)
		if inBundle.status != http.StatusConflict || !strings.Contains(inBundle.body, "请先从一件事中移除") {
			t.Errorf("withdrawing a bundle member: %d", inBundle.status)
		}
	})
	t.Run("a service point is edited with every field", func(t *testing.T) {
		edit := get(t, c, srv.URL+"/admin/service-points/"+catCaijiaPoint+"/edit")
		if edit.status != 200 {
			t.Fatalf("point edit: %d", edit.status)
		}
		form := catEditForm(t, edit.body)
		if !strings.Contains(form.Get("matters"), catLLCCode) || len(form["services"]) != 4 {
			t.Fatalf("point form: %v", form)
		}
		form.Set("phone", "12")
		form.Set("lat", "北纬")
		form.Del("services")
		bad := postForm(t, c, srv.URL+"/admin/service-points/"+catCaijiaPoint, form, srv.URL)
		if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, "请填写十进制度数") || !strings.Contains(bad.body, `value="北纬"`) {
			t.Errorf("bad point: %d", bad.status)
		}
		form.Set("lat", "29.74")
		bad = postForm(t, c, srv.URL+"/admin/service-points/"+catCaijiaPoint, form, srv.URL)
		if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, "固定电话") || !strings.Contains(bad.body, "至少提供一项服务") {
			t.Errorf("bad point (service side): %d", bad.status)
		}
		form.Set("phone", "023-68261234")
		form["services"] = []string{"government", "business"}
		form.Set("matters", catLLCCode)
		ok := postForm(t, c, srv.URL+"/admin/service-points/"+catCaijiaPoint, form, srv.URL)
		if ok.status != http.StatusSeeOther {
			t.Fatalf("save point: %d\n%s", ok.status, ok.body)
		}
		pt := get(t, c, srv.URL+"/service-points/"+catCaijiaPoint)
		if !strings.Contains(pt.body, "023-68261234") || !strings.Contains(pt.body, "（1）") {
			t.Error("the point page does not show the edit")
		}
	})
}

func TestAdminCalendar(t *testing.T) {
	srv := catServer(t)
	c, _ := signIn(t, srv, identity.RoleAdmin)
	p := get(t, c, srv.URL+"/admin/calendar")
	catWant(t, "the calendar", p.body, "<strong>2025</strong>", "<strong>2026</strong>", "内置", "载入 2027 年")
	catFitsAPhone(t, "/admin/calendar", p.body)

	calc := get(t, c, srv.URL+"/admin/calendar?start=2026-09-30&working_days=1")
	catWant(t, "the calculator", calc.body, "<strong class=\"big\">2026-10-08</strong>", "星期四")
	no := get(t, c, srv.URL+"/admin/calendar?start=2027-03-01&working_days=5")
	catWant(t, "a year without schedule", no.body, "尚未载入 2027 年的节假日安排")
	bad := get(t, c, srv.URL+"/admin/calendar?start=2026-02-30&working_days=x")
	catWant(t, "bad calculator input", bad.body, "请按 YYYY-MM-DD 填写日期", "请填写 0–3650 之间的整数")

	malformed := `{"year": 2027, "papers": [], "days": [{"name": "元旦", "date": "2027-13-01", "isOffDay": true}, {"name": "", "date": "2027-01-04", "isOffDay": false}]}`
	up := catUpload(t, c, srv.URL+"/admin/calendar", srv.URL, map[string]string{"data": malformed}, "", "", nil)
	if up.status != http.StatusUnprocessableEntity || !strings.Contains(up.body, "<code>days[0].date</code>") || !strings.Contains(up.body, "days[1]") ||
		!strings.Contains(up.body, "2027-13-01") {
		t.Errorf("a malformed schedule: %d\n%s", up.status, up.body)
	}
	notJSON := catUpload(t, c, srv.URL+"/admin/calendar", srv.URL, nil, "file", "2027.json", []byte("year: 2027"))
	if notJSON.status != http.StatusUnprocessableEntity || !strings.Contains(notJSON.body, "不是有效的节假日安排 JSON") {
		t.Errorf("not JSON: %d", notJSON.status)
	}

	good := `{"year": 2027, "papers": ["https://www.gov.cn/example-2027"], "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}]}`
	ok := catUpload(t, c, srv.URL+"/admin/calendar", srv.URL, map[string]string{"data": good}, "", "", nil)
	if ok.status != http.StatusSeeOther {
		t.Fatalf("a good schedule: %d\n%s", ok.status, ok.body)
	}
	after := follow(t, c, srv.URL, ok.location)
	catWant(t, "after loading 2027", after.body, "已载入 2027 年节假日安排", "<strong>2027</strong>", "管理员载入")
}

func TestCatalogueAdminPagesNeedTheAdministrator(t *testing.T) {
	srv := catServer(t)
	clerk, _ := signIn(t, srv, identity.RoleWindowClerk)
	anon := srv.Browser()
	for _, path := range []string{"/admin/catalogue", "/admin/catalogue/export.xlsx", "/admin/matters/" + catLLCCode + "/edit",
		"/admin/service-points/" + catCaijiaPoint + "/edit", "/admin/calendar"} {
		if p := get(t, clerk, srv.URL+path); p.status != http.StatusForbidden || !strings.Contains(p.body, "无权") {
			t.Errorf("clerk GET %s: %d", path, p.status)
		}
		if p := get(t, anon, srv.URL+path); p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/login?next=") {
			t.Errorf("anonymous GET %s: %d → %q", path, p.status, p.location)
		}
	}
	for _, path := range []string{"/admin/matters/" + catLLCCode, "/admin/matters/" + catLLCCode + "/active", "/admin/service-points/" + catCaijiaPoint,
		"/admin/calendar", "/admin/catalogue/import"} {
		if p := postForm(t, clerk, srv.URL+path, url.Values{"active": {"false"}, "change_note": {"x"}}, srv.URL); p.status != http.StatusForbidden {
			t.Errorf("clerk POST %s: %d", path, p.status)
		}
	}
	if m, _ := srv.Main.Matters.Get(apptest.System(), catLLCCode); !m.Active || m.Versions != 1 {
		t.Error("a refused post changed the matter")
	}
}

// TestCataloguePagesFitAPhoneScreen renders the catalogue pages 375 px
// wide in Chromium and types a pinyin query to see the results update.
func TestCataloguePagesFitAPhoneScreen(t *testing.T) {
	ctx := apptest.Chrome(t)
	srv := catServer(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(375, 740, chromedp.EmulateScale(2))); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/matters?q=yyzz", "/matters/" + catLLCCode, "/bundles", "/bundles/" + catStartBundle, "/service-points",
		"/service-points/" + catCaijiaPoint, "/progress"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+path), chromedp.WaitVisible(chromedp.CSS("main"))); err != nil {
			t.Fatal(err)
		}
		width, err := chromedp.Run(ctx, chromedp.Evaluate[int]("document.documentElement.scrollWidth"))
		if err != nil {
			t.Fatal(err)
		}
		if width > 375 {
			t.Errorf("%s is %d px wide on a 375 px screen", path, width)
		}
		apptest.Screenshot(t, ctx, "phone"+strings.NewReplacer("/", "_", "?", "_", "=", "_").Replace(path))
	}
	err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/matters"),
		chromedp.WaitVisible(chromedp.CSS("#cat-q")),
		chromedp.SendKeys(chromedp.CSS("#cat-q"), "spjy"),
		chromedp.WaitVisible(chromedp.CSS("#cat-results mark")),
	)
	if err != nil {
		t.Fatal(err)
	}
	first, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#cat-results .cat-result-title")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(first, "食品经营") {
		t.Errorf("typing spjy shows %q first", first)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Evaluate[string]("location.search"))
	if !strings.Contains(loc, "q=spjy") {
		t.Errorf("the address bar does not follow the search: %q", loc)
	}
}
