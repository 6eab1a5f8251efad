package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/qinqing/qinqing/internal/api"
	"github.com/qinqing/qinqing/internal/app/apptest"
	"github.com/qinqing/qinqing/internal/auth"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/standards"
)

const (
	staffPW = "Beibei-Staff-2026"
	entPW   = "beibei-qiye-2026"
)

// creditCode builds a valid Beibei credit code from a serial.
func creditCode(serial int) string {
	body := fmt.Sprintf("MA%06d", serial)
	oc, _ := standards.OrgCodeCheckChar(body)
	first := "91500109" + body + string(oc)
	cc, _ := standards.CreditCodeCheckChar(first)
	return first + string(cc)
}

// wrongCheck returns code with a wrong check character and the right one.
func wrongCheck(code string) (string, byte) {
	const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	i := strings.IndexByte(alphabet, code[17])
	return code[:17] + string(alphabet[(i+1)%31]), code[17]
}

type world struct {
	srv                                       *apptest.Server
	clerk, admin, owner, other, auditor, bank string
	entID                                     int64
}

func setup(t *testing.T, d db.Dialect) world {
	s := apptest.Start(t, d)
	m := s.Main
	ctx := apptest.System()
	a, _, err := m.Enterprise.Create(ctx, enterprise.Input{CreditCode: enterprise.Some(creditCode(1)), Name: enterprise.Some("重庆北碚齿轮有限公司"),
		RegionCode: enterprise.Some("500109001"), IndustryCode: enterprise.Some("3453"), ContactPhone: enterprise.Some("13900001111"),
		Employees: enterprise.Some[int64](120), RevenueFen: enterprise.Some[int64](3000 * 1_000_000)})
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := m.Enterprise.Create(ctx, enterprise.Input{CreditCode: enterprise.Some(creditCode(2)), Name: enterprise.Some("重庆缙云仪表有限公司"),
		RegionCode: enterprise.Some("500109005"), IndustryCode: enterprise.Some("4011")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.DB.Writer().Exec(m.DB.Rebind("INSERT INTO institutions (code, name) VALUES (?, ?)"), "CQRCB", "重庆农商行北碚支行"); err != nil {
		t.Fatal(err)
	}
	w := world{srv: s, entID: a.ID}
	w.clerk = s.Token(s.Account(auth.NewAccount{Username: "clerk1", Role: identity.RoleWindowClerk, Password: staffPW}), staffPW)
	w.admin = s.Token(s.Account(auth.NewAccount{Username: "admin1", Role: identity.RoleAdmin, Password: staffPW}), staffPW)
	w.owner = s.Token(s.Account(auth.NewAccount{Username: "qiye1", Role: identity.RoleEnterprise, EnterpriseID: a.ID, Password: entPW}), entPW)
	w.other = s.Token(s.Account(auth.NewAccount{Username: "qiye2", Role: identity.RoleEnterprise, EnterpriseID: b.ID, Password: entPW}), entPW)
	w.auditor = s.Token(s.Account(auth.NewAccount{Username: "auditor1", Role: identity.RoleAuditor, Password: staffPW}), staffPW)
	w.bank = s.Token(s.Account(auth.NewAccount{Username: "bank1", Role: identity.RoleBankStaff, InstitutionCode: "CQRCB", Password: staffPW}), staffPW)
	return w
}

type scenario struct {
	name   string
	method string
	path   string
	token  func(w world) string
	body   any
	header map[string]string
	status int
	want   []string // fragments the body must contain
	absent []string // fragments it must not contain
}

func as(f func(w world) string) func(w world) string { return f }

var (
	anon    = as(func(world) string { return "" })
	clerk   = as(func(w world) string { return w.clerk })
	admin   = as(func(w world) string { return w.admin })
	owner   = as(func(w world) string { return w.owner })
	other   = as(func(w world) string { return w.other })
	auditor = as(func(w world) string { return w.auditor })
	bank    = as(func(w world) string { return w.bank })
	bogus   = as(func(world) string { return "not-a-real-token" })
)

func newEnterprise(serial int, extra map[string]any) map[string]any {
	m := map[string]any{"credit_code": creditCode(serial), "name": fmt.Sprintf("重庆北碚新材料有限公司%d", serial),
		"region_code": "500109008", "industry_code": "3670", "employees": 350, "revenue_yuan": 25000000, "assets_yuan": 80000000}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

func TestAPIScenarios(t *testing.T) {
	bad, right := wrongCheck(creditCode(10))
	scenarios := []scenario{
		{name: "the OpenAPI document is public", method: "GET", path: "/api/v1/openapi.json", token: anon, status: 200, want: []string{`"openapi": "3.1.0"`}},
		{name: "a wrong password is a generic 401", method: "POST", path: "/api/v1/auth/login", token: anon, body: map[string]string{"username": "clerk1", "password": "wrong-password-x"}, status: 401, want: []string{`"code":"login_failed"`}},
		{name: "an unknown user gets the same 401", method: "POST", path: "/api/v1/auth/login", token: anon, body: map[string]string{"username": "ghost", "password": "wrong-password-x"}, status: 401, want: []string{`"code":"login_failed"`}},
		{name: "a login without fields names both", method: "POST", path: "/api/v1/auth/login", token: anon, body: map[string]string{}, status: 422, want: []string{`"username"`, `"password"`}},
		{name: "me needs a token", method: "GET", path: "/api/v1/me", token: anon, status: 401},
		{name: "a bogus token is refused", method: "GET", path: "/api/v1/me", token: bogus, status: 401, want: []string{"session_invalid"}},
		{name: "me describes the caller", method: "GET", path: "/api/v1/me", token: clerk, status: 200, want: []string{`"role":"window_clerk"`, `"enterprise.write"`}},
		{name: "a clerk registers an enterprise and gets its size", method: "POST", path: "/api/v1/enterprises", token: clerk, body: newEnterprise(20, nil), status: 201,
			want: []string{`"size":"medium"`, `"above_scale":true`, `"industry_name":"汽车零部件及配件制造"`, `"revenue_yuan":25000000`}},
		{name: "a wrong check character names position 18 and the right character", method: "POST", path: "/api/v1/enterprises", token: clerk,
			body: newEnterprise(10, map[string]any{"credit_code": bad}), status: 422, want: []string{`"credit_code":"第18位`, string(right)}},
		{name: "field errors follow Accept-Language", method: "POST", path: "/api/v1/enterprises", token: clerk, header: map[string]string{"Accept-Language": "en-US,en;q=0.9"},
			body: newEnterprise(10, map[string]any{"credit_code": bad}), status: 422, want: []string{"position 18"}},
		{name: "every bad field is reported at once", method: "POST", path: "/api/v1/enterprises", token: clerk,
			body: newEnterprise(11, map[string]any{"region_code": "999999", "industry_code": "ZZ", "employees": -5}), status: 422, want: []string{`"region_code"`, `"industry_code"`, `"employees"`}},
		{name: "an already registered credit code is a conflict", method: "POST", path: "/api/v1/enterprises", token: clerk, body: newEnterprise(1, nil), status: 409, want: []string{"credit_code_taken"}},
		{name: "unknown fields are named", method: "POST", path: "/api/v1/enterprises", token: clerk, body: newEnterprise(12, map[string]any{"colour": "red"}), status: 422, want: []string{`"colour"`}},
		{name: "sub-fen amounts are refused, naming the field", method: "POST", path: "/api/v1/enterprises", token: clerk, body: newEnterprise(13, map[string]any{"revenue_yuan": 1.005}), status: 422, want: []string{`"revenue_yuan"`}},
		{name: "broken JSON is a 400", method: "POST", path: "/api/v1/enterprises", token: clerk, body: `{"name":`, status: 400, want: []string{"bad_json"}},
		{name: "an enterprise user cannot register enterprises", method: "POST", path: "/api/v1/enterprises", token: owner, body: newEnterprise(14, nil), status: 403},
		{name: "an owner reads its own profile with the phone in full", method: "GET", path: "/api/v1/enterprises/{ent}", token: owner, status: 200, want: []string{`"contact_phone":"13900001111"`, `"size_basis"`}},
		{name: "another enterprise cannot read it", method: "GET", path: "/api/v1/enterprises/{ent}", token: other, status: 403},
		{name: "bank staff cannot read profiles", method: "GET", path: "/api/v1/enterprises/{ent}", token: bank, status: 403},
		{name: "a missing profile is a 404", method: "GET", path: "/api/v1/enterprises/999999", token: clerk, status: 404},
		{name: "an owner may change its phone", method: "PATCH", path: "/api/v1/enterprises/{ent}", token: owner, body: map[string]any{"contact_phone": "023-68862000"}, status: 200, want: []string{`"contact_phone":"023-68862000"`}},
		{name: "an owner may not rename itself", method: "PATCH", path: "/api/v1/enterprises/{ent}", token: owner, body: map[string]any{"name": "改名"}, status: 422, want: []string{`"name"`}},
		{name: "a stale If-Match is a 412", method: "PATCH", path: "/api/v1/enterprises/{ent}", token: clerk, header: map[string]string{"If-Match": `"v1"`}, body: map[string]any{"address": "x"}, status: 412},
		{name: "search filters by industry section", method: "GET", path: "/api/v1/enterprises?industry=C&region=500109&per_page=1", token: clerk, status: 200, want: []string{`"per_page":1`, `"items":[{`}},
		{name: "a bad filter is a 422", method: "GET", path: "/api/v1/enterprises?size=huge", token: clerk, status: 422, want: []string{`"size"`}},
		{name: "enterprise users cannot search the registry", method: "GET", path: "/api/v1/enterprises", token: owner, status: 403},
		{name: "a clerk records the innovation facts", method: "PATCH", path: "/api/v1/enterprises/{ent}", token: clerk,
			body: map[string]any{"hightech_revenue_yuan": 1200000.5, "costs_yuan": 2000000, "ip_class1": 1, "ip_class2": 4}, status: 200,
			want: []string{`"hightech_revenue_yuan":1200000.5`, `"costs_yuan":2000000`, `"ip_class1":1`, `"ip_class2":4`}},
		{name: "high-tech revenue above revenue is refused", method: "PATCH", path: "/api/v1/enterprises/{ent}", token: clerk,
			body: map[string]any{"revenue_yuan": 1000000, "hightech_revenue_yuan": 1000000.01}, status: 422, want: []string{`"hightech_revenue_yuan"`}},
		{name: "facts history", method: "GET", path: "/api/v1/enterprises/{ent}/facts", token: clerk, status: 200,
			want: []string{`"fiscal_year"`, `"ip_class2":4`, `"costs_yuan":2000000`}},
		{name: "a clerk cannot read the audit trail", method: "GET", path: "/api/v1/audit", token: clerk, status: 403},
		{name: "an admin cannot read the audit trail either", method: "GET", path: "/api/v1/audit", token: admin, status: 403},
		{name: "an auditor sees denied attempts", method: "GET", path: "/api/v1/audit?result=denied", token: auditor, status: 200, want: []string{`"result":"denied"`, `"actor":"clerk1"`}},
		{name: "the credit-code checker is public", method: "GET", path: "/api/v1/standards/credit-codes/" + bad, token: anon, status: 200, want: []string{`"valid":false`, "第18位"}},
		{name: "the size calculator is public", method: "GET", path: "/api/v1/standards/size?industry=6513&employees=120&revenue_yuan=15000000", token: anon, status: 200, want: []string{`"size":"medium"`}},
		{name: "Beibei has 17 streets", method: "GET", path: "/api/v1/standards/regions?parent=500109", token: anon, status: 200, want: []string{"天生街道", "澄江镇"}},
		{name: "the tag vocabulary is public", method: "GET", path: "/api/v1/tags", token: anon, status: 200, want: []string{"high_tech", "高新技术企业"}},
		{name: "unknown API routes are JSON 404s", method: "GET", path: "/api/v1/nothing-here", token: clerk, status: 404, want: []string{`"code":"no_route"`}},
	}
	dbtest.EachDialect(t, func(t *testing.T, d db.Dialect) {
		w := setup(t, d)
		for _, sc := range scenarios {
			t.Run(sc.name, func(t *testing.T) {
				path := strings.ReplaceAll(sc.path, "{ent}", fmt.Sprint(w.entID))
				resp := w.srv.Do(sc.method, path, sc.token(w), sc.body, sc.header)
				if resp.Status != sc.status {
					t.Fatalf("%s %s: status %d, want %d; body %s", sc.method, path, resp.Status, sc.status, resp.Body)
				}
				for _, frag := range sc.want {
					if !strings.Contains(resp.Body, frag) {
						t.Errorf("body lacks %q: %s", frag, resp.Body)
					}
				}
				for _, frag := range sc.absent {
					if strings.Contains(resp.Body, frag) {
						t.Errorf("body has %q: %s", frag, resp.Body)
					}
				}
				if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") && resp.Status >= 400 {
					var e struct {
						Error struct{ Code, Message string }
					}
					if json.Unmarshal([]byte(resp.Body), &e) != nil || e.Error.Code == "" || e.Error.Message == "" {
						t.Errorf("error body is not {error:{code,message}}: %s", resp.Body)
					}
				}
				if resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("X-Request-ID") == "" {
					t.Errorf("missing security or request-id headers: %v", resp.Header)
				}
			})
		}
	})
}

func TestIdempotentCreate(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, d db.Dialect) {
		w := setup(t, d)
		key := map[string]string{"Idempotency-Key": "create-30"}
		first := w.srv.Do("POST", "/api/v1/enterprises", w.clerk, newEnterprise(30, nil), key)
		if first.Status != 201 {
			t.Fatalf("first: %d %s", first.Status, first.Body)
		}
		again := w.srv.Do("POST", "/api/v1/enterprises", w.clerk, newEnterprise(30, nil), key)
		if again.Status != 201 || again.Body != first.Body || again.Header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("replay: %d %q %s", again.Status, again.Header.Get("Idempotent-Replayed"), again.Body)
		}
		changed := w.srv.Do("POST", "/api/v1/enterprises", w.clerk, newEnterprise(31, nil), key)
		if changed.Status != 422 || !strings.Contains(changed.Body, "idempotency_key_reused") {
			t.Errorf("same key, other body: %d %s", changed.Status, changed.Body)
		}
		// Concurrent retries of one request create exactly one enterprise.
		var wg sync.WaitGroup
		statuses := make(chan int, 8)
		for range 8 {
			wg.Go(func() {
				r := w.srv.Do("POST", "/api/v1/enterprises", w.clerk, newEnterprise(32, nil), map[string]string{"Idempotency-Key": "create-32"})
				statuses <- r.Status
			})
		}
		wg.Wait()
		close(statuses)
		for st := range statuses {
			if st != 201 && st != 409 {
				t.Errorf("concurrent retry got %d", st)
			}
		}
		list := w.srv.Do("GET", "/api/v1/enterprises?q="+creditCode(32), w.clerk, nil, nil)
		if !strings.Contains(list.Body, `"total":1`) {
			t.Errorf("concurrent retries: %s", list.Body)
		}
	})
}

func TestLogoutRevokesTheToken(t *testing.T) {
	w := setup(t, db.SQLite)
	if r := w.srv.Do("POST", "/api/v1/auth/logout", w.clerk, nil, nil); r.Status != 204 {
		t.Fatalf("logout: %d %s", r.Status, r.Body)
	}
	if r := w.srv.Do("GET", "/api/v1/me", w.clerk, nil, nil); r.Status != 401 {
		t.Errorf("a revoked token still works: %d", r.Status)
	}
}

func TestETagRoundTrip(t *testing.T) {
	w := setup(t, db.SQLite)
	path := fmt.Sprintf("/api/v1/enterprises/%d", w.entID)
	get := w.srv.Do("GET", path, w.clerk, nil, nil)
	tag := get.Header.Get("ETag")
	if tag == "" {
		t.Fatal("no ETag")
	}
	ok := w.srv.Do("PATCH", path, w.clerk, map[string]any{"address": "重庆市北碚区天生路 2 号"}, map[string]string{"If-Match": tag})
	if ok.Status != 200 || ok.Header.Get("ETag") == tag {
		t.Fatalf("patch with a fresh ETag: %d %s", ok.Status, ok.Body)
	}
	stale := w.srv.Do("PATCH", path, w.clerk, map[string]any{"address": "x"}, map[string]string{"If-Match": tag})
	if stale.Status != http.StatusPreconditionFailed {
		t.Errorf("patch with the old ETag: %d", stale.Status)
	}
}

// TestOpenAPIMatchesRoutes keeps the published document equal to the set of
// registered routes: a route added without documentation, or documentation
// for a route that does not exist, fails here.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(api.OpenAPIDocument(), &doc); err != nil {
		t.Fatal(err)
	}
	var refs []string
	var generic map[string]any
	json.Unmarshal(api.OpenAPIDocument(), &generic)
	collectRefs(generic, &refs)
	if len(refs) < 20 {
		t.Errorf("only %d $refs found", len(refs))
	}
	var full struct {
		Components struct{ Schemas map[string]any } `json:"components"`
	}
	json.Unmarshal(api.OpenAPIDocument(), &full)
	for _, r := range refs {
		name := strings.TrimPrefix(r, "#/components/schemas/")
		if strings.HasPrefix(r, "#/components/schemas/") && full.Components.Schemas[name] == nil {
			t.Errorf("openapi refers to a missing schema %s", name)
		}
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q", doc.OpenAPI)
	}
	var documented, registered []string
	for p, ops := range doc.Paths {
		for m := range ops {
			documented = append(documented, strings.ToUpper(m)+" "+p)
		}
	}
	srv := api.New(api.Deps{})
	srv.Register(http.NewServeMux())
	for _, r := range srv.Routes() {
		registered = append(registered, r.Method+" "+r.Path)
	}
	slices.Sort(documented)
	slices.Sort(registered)
	for _, r := range registered {
		if !slices.Contains(documented, r) {
			t.Errorf("route %s is not in openapi.json", r)
		}
	}
	for _, d := range documented {
		if !slices.Contains(registered, d) {
			t.Errorf("openapi.json documents %s, which is not registered", d)
		}
	}
}

func collectRefs(v any, out *[]string) {
	switch x := v.(type) {
	case map[string]any:
		for k, vv := range x {
			if k == "$ref" {
				if s, ok := vv.(string); ok {
					*out = append(*out, s)
				}
			}
			collectRefs(vv, out)
		}
	case []any:
		for _, vv := range x {
			collectRefs(vv, out)
		}
	}
}
