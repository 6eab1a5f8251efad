package api_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/qinqing/qinqing/internal/app/apptest"
	"github.com/qinqing/qinqing/internal/calendar"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/matter"
	"github.com/qinqing/qinqing/internal/seed"
	"github.com/qinqing/qinqing/internal/servicepoint"
)

// The demo catalogue's codes these tests rely on.
const (
	catLLC    = "01240010000150010901" // 有限责任公司设立登记, 营业执照
	catBundle = "YJS-QYKB"             // 开办企业一件事
)

// catalogueSetup is setup with the demo departments, catalogue, bundles and
// service network loaded, before any request searches: apptest starts the
// platform with an empty catalogue, and the search index follows the
// catalogue through its change hooks, which EnsureDemo fires.
func catalogueSetup(t *testing.T, d db.Dialect) world {
	t.Helper()
	w := setup(t, d)
	m := w.srv.Main
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
	names := make(map[string]string, len(all))
	for _, x := range all {
		names[x.Code] = x.Current.Name
	}
	if err := servicepoint.EnsureDemo(ctx, m.DB, m.Points, names); err != nil {
		t.Fatal(err)
	}
	if got, want := m.Catalogue.Len(), len(all)+len(matter.DemoBundles()); got != want {
		t.Fatalf("the search index holds %d documents, the catalogue %d", got, want)
	}
	return w
}

// catalogueFirstWorkingDayAfter walks the embedded 2026 schedule day by day — an
// independent reading of the holiday-cn data, not the calendar's tables.
func catalogueFirstWorkingDayAfter(t *testing.T, start string) string {
	t.Helper()
	b, err := os.ReadFile("../calendar/data/holiday-cn-2026.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Days []struct {
			Date     string
			IsOffDay bool
		}
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	marked := map[string]bool{} // date → off
	for _, d := range doc.Days {
		marked[d.Date] = d.IsOffDay
	}
	day, err := calendar.ParseDate(start)
	if err != nil {
		t.Fatal(err)
	}
	for range 40 {
		day = day.AddDays(1)
		off, ok := marked[day.String()]
		weekend := day.Weekday() == 0 || day.Weekday() == 6
		if (ok && !off) || (!ok && !weekend) {
			return day.String()
		}
	}
	t.Fatal("no working day within 40 days")
	return ""
}

func TestCatalogueAPIScenarios(t *testing.T) {
	schedule2027 := `{"year":2027,"papers":["https://www.gov.cn/example-2027"],"days":[{"name":"元旦","date":"2027-01-01","isOffDay":true}]}`
	scenarios := []scenario{
		{name: "the catalogue is public", method: "GET", path: "/api/v1/matters", token: anon, status: 200, want: []string{`"total":`, `"per_page":20`, `"has_next":true`, `"fee_yuan":`}},
		{name: "a Chinese query ranks the matter named by it first", method: "GET", path: "/api/v1/matters?q=" + url.QueryEscape("有限责任公司设立"), token: anon, status: 200,
			want: []string{`"items":[{"code":"` + catLLC + `"`, `"score":`, `"matched":[`}},
		{name: "filters are facets of the search", method: "GET", path: "/api/v1/matters?q=yyzz&department=SWJ", token: anon, status: 200, absent: []string{catLLC}},
		{name: "a type may be given by its label", method: "GET", path: "/api/v1/matters?type=" + url.QueryEscape("行政许可") + "&department=SCJGJ&per_page=100", token: anon, status: 200,
			want: []string{catLLC, `"type":"permit"`}, absent: []string{`"type":"public_service"`}},
		{name: "unknown filters name every bad field", method: "GET", path: "/api/v1/matters?flag=shiny&event=moon&department=XX&per_page=500", token: anon, status: 422,
			want: []string{`"flag"`, `"event"`, `"department"`, `"per_page"`}},
		{name: "names follow Accept-Language", method: "GET", path: "/api/v1/matters?q=" + url.QueryEscape("有限责任公司设立"), token: anon,
			header: map[string]string{"Accept-Language": "en"}, status: 200, want: []string{`"type_name":"Administrative permit"`}},
		{name: "a matter's guide has its materials with their sources", method: "GET", path: "/api/v1/matters/" + catLLC, token: anon, status: 200,
			want: []string{`"name":"有限责任公司设立登记"`, `"legal_limit_days":3`, `"committed_limit_days":1`, `"fee_yuan":null`,
				`"source":"license"`, `"source_name":"电子证照共享，免提交"`, `"source_ref":"居民身份证"`, `"from_applicant":true`,
				`{"code":"` + catBundle + `","name":"开办企业一件事"}`, `"service_points":[{`, `"versions":[{"version":1`, `"form_fields":[{`, `"prefill":"name"`}},
		{name: "an unknown matter is a 404", method: "GET", path: "/api/v1/matters/012400100001500109ZZ", token: anon, status: 404},
		{name: "a version that does not exist is a 404", method: "GET", path: "/api/v1/matters/" + catLLC + "?version=9", token: anon, status: 404},
		{name: "a version that is not a number is a 422", method: "GET", path: "/api/v1/matters/" + catLLC + "?version=x", token: anon, status: 422, want: []string{`"version"`}},
		{name: "bundles are listed", method: "GET", path: "/api/v1/bundles", token: anon, status: 200, want: []string{`"code":"` + catBundle + `"`, "开办企业一件事"}},
		{name: "an unknown bundle is a 404", method: "GET", path: "/api/v1/bundles/NO-SUCH", token: anon, status: 404},
		{name: "service points filter by tier and service", method: "GET", path: "/api/v1/service-points?tier=park&service=business", token: anon, status: 200,
			want: []string{`"tier":"park"`}, absent: []string{`"tier":"community"`, `"tier":"street"`}},
		{name: "a bad service-point filter names the field", method: "GET", path: "/api/v1/service-points?tier=moon&street=123", token: anon, status: 422, want: []string{`"tier"`, `"street"`}},
		{name: "a service point lists the matters it takes in", method: "GET", path: "/api/v1/service-points/caijiagang-centre", token: anon, status: 200,
			want: []string{`"street_code":"500109006"`, `"matters":[{`, `"code":"` + catLLC + `"`, `"services":["party","government","business","life"]`}},
		{name: "an unknown service point is a 404", method: "GET", path: "/api/v1/service-points/nowhere", token: anon, status: 404},
		{name: "the deadline calculator refuses bad input, naming both fields", method: "GET", path: "/api/v1/calendar/deadline?start=2026-02-30&working_days=-1", token: anon, status: 422,
			want: []string{`"start"`, `"working_days"`}},
		{name: "the deadline calculator needs both parameters", method: "GET", path: "/api/v1/calendar/deadline", token: anon, status: 422, want: []string{`"start"`, `"working_days"`}},
		{name: "a year without a schedule is refused, naming the year", method: "GET", path: "/api/v1/calendar/deadline?start=2027-03-01&working_days=5", token: anon, status: 422,
			want: []string{"no_holiday_schedule", "2027"}},
		{name: "the message names the year in English too", method: "GET", path: "/api/v1/calendar/deadline?start=2027-03-01&working_days=5", token: anon,
			header: map[string]string{"Accept-Language": "en"}, status: 422, want: []string{"No holiday schedule is loaded for 2027"}},
		{name: "the years loaded are public", method: "GET", path: "/api/v1/calendar/years", token: anon, status: 200, want: []string{`"year":2025`, `"year":2026`, `"source":"embedded"`}},
		{name: "loading a year needs a sign-in", method: "POST", path: "/api/v1/calendar/years", token: anon, body: schedule2027, status: 401},
		{name: "a window clerk cannot load a year", method: "POST", path: "/api/v1/calendar/years", token: clerk, body: schedule2027, status: 403},
		{name: "a malformed schedule names every problem", method: "POST", path: "/api/v1/calendar/years", token: admin,
			body: `{"year":2027,"days":[{"name":"元旦","date":"2027-13-01","isOffDay":true},{"name":"","date":"2027-01-09","isOffDay":true}]}`, status: 422,
			want: []string{`"days[0].date"`, `"days[1].name"`}},
		{name: "a schedule that is not JSON is a 422", method: "POST", path: "/api/v1/calendar/years", token: admin, body: `year: 2027`, status: 422, want: []string{`"data"`}},
		{name: "an administrator loads 2027", method: "POST", path: "/api/v1/calendar/years", token: admin, body: schedule2027, status: 201,
			want: []string{`"year":2027`, `"source":"loaded"`, `"loaded_by":"admin1"`}},
		{name: "after which 2027 deadlines are computed", method: "GET", path: "/api/v1/calendar/deadline?start=2026-12-31&working_days=1", token: anon, status: 200,
			want: []string{`{"deadline":"2027-01-04","fallback":false}`}},
		{name: "the public does not see who loaded a year", method: "GET", path: "/api/v1/calendar/years", token: anon, status: 200, want: []string{`"year":2027`}, absent: []string{"admin1"}},
	}
	dbtest.EachDialect(t, func(t *testing.T, d db.Dialect) {
		w := catalogueSetup(t, d)
		for _, sc := range scenarios {
			t.Run(sc.name, func(t *testing.T) {
				resp := w.srv.Do(sc.method, sc.path, sc.token(w), sc.body, sc.header)
				if resp.Status != sc.status {
					t.Fatalf("%s %s: status %d, want %d; body %.2000s", sc.method, sc.path, resp.Status, sc.status, resp.Body)
				}
				for _, frag := range sc.want {
					if !strings.Contains(resp.Body, frag) {
						t.Errorf("body lacks %q: %.2000s", frag, resp.Body)
					}
				}
				for _, frag := range sc.absent {
					if strings.Contains(resp.Body, frag) {
						t.Errorf("body has %q", frag)
					}
				}
				if resp.Status >= 400 {
					var e struct {
						Error struct{ Code, Message string }
					}
					if json.Unmarshal([]byte(resp.Body), &e) != nil || e.Error.Code == "" || e.Error.Message == "" {
						t.Errorf("error body is not {error:{code,message}}: %s", resp.Body)
					}
				}
			})
		}
		t.Run("yyzz finds the business-licence matters, 营业执照 first", func(t *testing.T) { catalogueSearch(t, w) })
		t.Run("a matter's old version stays readable after an edit", func(t *testing.T) { catalogueVersions(t, w) })
		t.Run("开办企业一件事 has 6 members and one material list", func(t *testing.T) { catalogueBundle(t, w) })
		t.Run("service points by street and by matter", func(t *testing.T) { cataloguePoints(t, w) })
		t.Run("the HSDS export is a JSON download", func(t *testing.T) { catalogueHSDS(t, w) })
		t.Run("the deadline after the National Day break", func(t *testing.T) { catalogueDeadline(t, w) })
	})
}

type catalogueItem struct {
	Code       string
	Name       string
	ResultName string `json:"result_name"`
	Flags      []string
	Matched    []string
}

type catalogueList struct {
	Items []catalogueItem
	Total int
}

func catalogueSearch(t *testing.T, w world) {
	var list catalogueList
	resp := w.srv.Do("GET", "/api/v1/matters?q=yyzz", "", nil, nil)
	resp.JSON(t, &list)
	if resp.Status != 200 || len(list.Items) == 0 {
		t.Fatalf("yyzz: %d %.500s", resp.Status, resp.Body)
	}
	first := list.Items[0]
	if !slices.Contains(first.Matched, "营业执照") || !strings.Contains(first.Name+first.ResultName, "营业执照") {
		t.Errorf("the first hit for yyzz is %s (%s), matching %v", first.Name, first.ResultName, first.Matched)
	}
	if !slices.ContainsFunc(list.Items, func(it catalogueItem) bool { return it.Code == catLLC }) {
		t.Errorf("有限责任公司设立登记 is not on the first page for yyzz")
	}
	var zero catalogueList
	w.srv.Do("GET", "/api/v1/matters?flag=zero_materials&per_page=100", "", nil, nil).JSON(t, &zero)
	var all catalogueList
	w.srv.Do("GET", "/api/v1/matters?per_page=100", "", nil, nil).JSON(t, &all)
	if zero.Total == 0 || zero.Total >= all.Total {
		t.Errorf("零材料 filter: %d of %d", zero.Total, all.Total)
	}
	for _, it := range zero.Items {
		if !slices.Contains(it.Flags, "zero_materials") {
			t.Errorf("%s passed the 零材料 filter without the flag", it.Code)
		}
	}
	var p2 catalogueList
	w.srv.Do("GET", "/api/v1/matters?q=yyzz&page=2&per_page=5", "", nil, nil).JSON(t, &p2)
	if len(p2.Items) != 5 || p2.Items[0].Code == first.Code || p2.Total != list.Total {
		t.Errorf("page 2 of yyzz: %d items, total %d vs %d", len(p2.Items), p2.Total, list.Total)
	}
}

func catalogueVersions(t *testing.T, w world) {
	ctx := apptest.System()
	m, err := w.srv.Main.Matters.Get(ctx, catLLC)
	if err != nil {
		t.Fatal(err)
	}
	oldNote := m.Current.LimitNote
	in := m.Input()
	in.LimitNote, in.ChangeNote = "北碚区承诺当日提交、次日办结", "压缩承诺时限说明"
	if _, err := w.srv.Main.Matters.Update(ctx, catLLC, in, m.Versions); err != nil {
		t.Fatal(err)
	}
	var cur, old struct {
		Version        int
		CurrentVersion int    `json:"current_version"`
		LimitNote      string `json:"limit_note"`
		ChangeNote     string `json:"change_note"`
		Versions       []struct{ Version int }
	}
	w.srv.Do("GET", "/api/v1/matters/"+catLLC, "", nil, nil).JSON(t, &cur)
	w.srv.Do("GET", "/api/v1/matters/"+catLLC+"?version=1", "", nil, nil).JSON(t, &old)
	if cur.Version != 2 || cur.LimitNote != in.LimitNote || cur.ChangeNote != "压缩承诺时限说明" || len(cur.Versions) != 2 {
		t.Errorf("current: %+v", cur)
	}
	if old.Version != 1 || old.CurrentVersion != 2 || old.LimitNote != oldNote {
		t.Errorf("version 1: %+v", old)
	}
}

func catalogueBundle(t *testing.T, w world) {
	var b struct {
		Name        string
		MemberCodes []string `json:"member_codes"`
		Members     []struct {
			Code      string
			Name      string
			Committed int `json:"committed_limit_days"`
		}
		Materials []struct {
			Key     string
			Name    string
			Members []string
		}
		FormFields []struct{ Name string } `json:"form_fields"`
	}
	resp := w.srv.Do("GET", "/api/v1/bundles/"+catBundle, "", nil, nil)
	resp.JSON(t, &b)
	if b.Name != "开办企业一件事" || len(b.Members) != 6 || len(b.MemberCodes) != 6 || b.Members[0].Code != catLLC {
		t.Fatalf("bundle: %+v", b)
	}
	listed, shared := 0, false
	keys := map[string]bool{}
	for _, mat := range b.Materials {
		if keys[mat.Key] {
			t.Errorf("material %s is listed twice", mat.Key)
		}
		keys[mat.Key] = true
		shared = shared || len(mat.Members) > 1
	}
	for _, code := range b.MemberCodes {
		var m struct{ Materials []any }
		w.srv.Do("GET", "/api/v1/matters/"+code, "", nil, nil).JSON(t, &m)
		listed += len(m.Materials)
	}
	if !shared || len(b.Materials) >= listed {
		t.Errorf("materials were not merged: %d distinct of %d listed", len(b.Materials), listed)
	}
	if !slices.ContainsFunc(b.FormFields, func(f struct{ Name string }) bool { return f.Name == "delivery" }) {
		t.Error("the merged form lacks the bundle's own field")
	}
}

func cataloguePoints(t *testing.T, w world) {
	var list struct {
		Items []struct {
			Code       string
			StreetCode string `json:"street_code"`
		}
		Total int
	}
	w.srv.Do("GET", "/api/v1/service-points?street=500109006", "", nil, nil).JSON(t, &list)
	if list.Total == 0 {
		t.Fatal("蔡家岗 has no service points")
	}
	for _, p := range list.Items {
		if p.StreetCode != "500109006" {
			t.Errorf("point %s in %s passed the street filter", p.Code, p.StreetCode)
		}
	}
	var byMatter struct {
		Items []struct{ Code string }
		Total int
	}
	w.srv.Do("GET", "/api/v1/service-points?matter="+catLLC, "", nil, nil).JSON(t, &byMatter)
	if byMatter.Total == 0 {
		t.Fatal("no point takes in 有限责任公司设立登记")
	}
	for _, p := range byMatter.Items {
		ok, err := w.srv.Main.Points.Accepts(apptest.System(), p.Code, catLLC)
		if err != nil || !ok {
			t.Errorf("point %s passed the matter filter but does not take it in", p.Code)
		}
	}
	var all struct{ Total int }
	w.srv.Do("GET", "/api/v1/service-points", "", nil, nil).JSON(t, &all)
	if byMatter.Total >= all.Total {
		t.Errorf("the matter filter kept %d of %d points", byMatter.Total, all.Total)
	}
}

func catalogueHSDS(t *testing.T, w world) {
	resp := w.srv.Do("GET", "/api/v1/service-points/hsds.json", "", nil, nil)
	if resp.Status != 200 || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") ||
		!strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("hsds: %d %v", resp.Status, resp.Header)
	}
	var orgs []struct {
		ID        string
		Locations []struct {
			ID   string
			Name string
		}
		Services []struct{ Name string }
	}
	resp.JSON(t, &orgs)
	var points struct{ Total int }
	w.srv.Do("GET", "/api/v1/service-points", "", nil, nil).JSON(t, &points)
	if len(orgs) != 1 || len(orgs[0].Locations) != points.Total || len(orgs[0].Services) != 4 {
		t.Errorf("HSDS: %d organisations, %d locations for %d points", len(orgs), len(orgs[0].Locations), points.Total)
	}
}

func catalogueDeadline(t *testing.T, w world) {
	want := catalogueFirstWorkingDayAfter(t, "2026-09-30")
	resp := w.srv.Do("GET", "/api/v1/calendar/deadline?start=2026-09-30&working_days=1", "", nil, nil)
	var got map[string]any
	resp.JSON(t, &got)
	if resp.Status != 200 || len(got) != 2 || got["deadline"] != want || got["fallback"] != false {
		t.Errorf("2026-09-30 + 1 working day = %s, want {deadline: %s, fallback: false}", resp.Body, want)
	}
	if want != "2026-10-08" {
		t.Errorf("the 2026 schedule puts the first working day after National Day on %s", want)
	}
}

// TestDeadlineWithTheWeekendsFallback: an instance configured to fall back
// to weekends only answers for a year without a schedule, and says so.
func TestDeadlineWithTheWeekendsFallback(t *testing.T) {
	srv := apptest.Start(t, db.SQLite, apptest.WithEnv("QINQING_CALENDAR_FALLBACK", "true"))
	resp := srv.Do("GET", "/api/v1/calendar/deadline?start=2027-03-01&working_days=5", "", nil, nil)
	if resp.Status != http.StatusOK || strings.TrimSpace(resp.Body) != `{"deadline":"2027-03-08","fallback":true,"fallback_years":[2027]}` {
		t.Errorf("fallback: %d %s", resp.Status, resp.Body)
	}
	years := srv.Do("GET", "/api/v1/calendar/years", "", nil, nil)
	if !strings.Contains(years.Body, `"fallback_weekends":true`) {
		t.Errorf("years: %s", years.Body)
	}
}
