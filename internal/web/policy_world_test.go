package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/qinqing/qinqing/internal/app/apptest"
	"github.com/qinqing/qinqing/internal/auth"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/policy"
	"github.com/qinqing/qinqing/internal/seed"
)

const (
	policyStaffPW = "Beibei-Staff-2026"
	policyEntPW   = "beibei-qiye-2026"
)

// policyWorld is a platform with the district's departments, two
// enterprises in Beibei (a small manufacturer that fits the test policy and
// a large one that does not), their users, two policy officers and a
// supervisor, and one published policy.
type policyWorld struct {
	srv      *apptest.Server
	small    int64 // 重庆北碚嘉陵精密机械有限公司, 80 employees
	large    int64 // 重庆北碚缙云重工有限公司, 1200 employees
	policyID int64
}

// policyWenGang is the test policy: a district job-keeping subsidy of
// 50,000 yuan for Beibei firms with at most 300 employees that are not on
// the dishonesty list, asking for one form and taking the licence from the
// registry.
const policyWenGang = `{
  "code": "bb-test-wg-2026",
  "title": "北碚区中小微企业稳岗补贴（测试）",
  "title_en": "Beibei job-keeping subsidy for SMEs (test)",
  "document_no": "北碚人社发〔2026〕9号",
  "issuer": "重庆市北碚区人力资源和社会保障局",
  "level": "district", "shelf": "employment", "mode": "apply",
  "department_code": "RSJ", "contact_name": "周敏", "contact_phone": "023-68862211",
  "valid_from": "2026-01-01", "valid_to": "",
  "summary": "注册在北碚区、从业人数不超过300人且未列入严重失信主体名单的企业，可申请一次性稳岗补贴5万元。",
  "full_text": "第一条 为稳定就业岗位，对符合条件的中小微企业给予一次性稳岗补贴。",
  "keywords": "稳岗 补贴 就业 wg",
  "guide": {"beneficiaries": "北碚区中小微企业", "conditions": "注册在北碚区；从业人数不超过300人；未列入严重失信主体名单。",
    "time_limit_days": 10, "address": "北碚区政务服务中心 惠企政策兑现窗口", "phone": "023-68862211"},
  "benefit": {"kind": "fixed", "amount_yuan": 50000, "period": "once", "description": "一次性补贴5万元"},
  "materials": [{"name": "稳岗补贴申请表", "required": true, "source": "applicant"}, {"name": "营业执照", "required": true, "source": "profile"}],
  "conditions": {"all": [{"attr": "region_code", "op": "prefix", "value": "500109"},
    {"attr": "employees", "op": "le", "value": 300}, {"attr": "dishonest", "op": "eq", "value": false}]},
  "tests": [
    {"name": "从业人数恰为300人，符合", "as_of": "2026-06-30", "profile": {"region_code": "500109001", "employees": 300, "dishonest": false}, "expect": "eligible", "benefit_yuan": 50000},
    {"name": "从业人数301人，不符合", "as_of": "2026-06-30", "profile": {"region_code": "500109001", "employees": 301, "dishonest": false}, "expect": "ineligible"}
  ]
}`

func newPolicyWorld(t *testing.T, d db.Dialect) policyWorld {
	t.Helper()
	srv := apptest.Start(t, d)
	m := srv.Main
	ctx := apptest.System()
	if err := seed.LoadOrgs(ctx, m.DB); err != nil {
		t.Fatal(err)
	}
	w := policyWorld{srv: srv}
	firm := func(serial int, name string, employees int64) int64 {
		e, _, err := m.Enterprise.Create(ctx, enterprise.Input{CreditCode: enterprise.Some(caseCreditCode(serial)), Name: enterprise.Some(name),
			LegalRep: enterprise.Some("陈志强"), RegionCode: enterprise.Some("500109001"), IndustryCode: enterprise.Some("3670"),
			Address: enterprise.Some("重庆市北碚区天生路 8 号"), ContactName: enterprise.Some("刘红"), ContactPhone: enterprise.Some("13983000001"),
			FiscalYear: 2025, Employees: enterprise.Some(employees)})
		if err != nil {
			t.Fatal(err)
		}
		return e.ID
	}
	w.small = firm(21, "重庆北碚嘉陵精密机械有限公司", 80)
	w.large = firm(22, "重庆北碚缙云重工有限公司", 1200)
	for _, a := range []auth.NewAccount{
		{Username: "firma", DisplayName: "嘉陵精密", Role: identity.RoleEnterprise, EnterpriseID: w.small, Password: policyEntPW},
		{Username: "firmb", DisplayName: "缙云重工", Role: identity.RoleEnterprise, EnterpriseID: w.large, Password: policyEntPW},
		{Username: "zhengce1", DisplayName: "王政策", Role: identity.RolePolicyOfficer, Password: policyStaffPW},
		{Username: "zhengce2", DisplayName: "李复核", Role: identity.RolePolicyOfficer, Password: policyStaffPW},
		{Username: "jianguan", Role: identity.RoleSupervisor, Password: policyStaffPW},
	} {
		srv.Account(a)
	}
	w.policyID = w.publish(t, policyWenGang)
	return w
}

// publish creates a policy from its JSON definition and publishes it from
// its validity start.
func (w policyWorld) publish(t *testing.T, def string) int64 {
	t.Helper()
	ctx := apptest.System()
	in, err := policy.ParseInput([]byte(def))
	if err != nil {
		t.Fatal(err)
	}
	p, err := w.srv.Main.Policy.Create(ctx, in)
	if err != nil {
		t.Fatalf("create %s: %v", in.Code, err)
	}
	if p, err = w.srv.Main.Policy.Publish(ctx, p.ID, p.Rev, in.ValidFrom); err != nil {
		t.Fatalf("publish %s: %v", in.Code, err)
	}
	return p.ID
}

func (w policyWorld) login(t *testing.T, user string) *http.Client {
	t.Helper()
	pw := policyStaffPW
	if strings.HasPrefix(user, "firm") {
		pw = policyEntPW
	}
	return policyLogin(t, w.srv, user, pw)
}

func (w policyWorld) url(format string, args ...any) string {
	return w.srv.URL + fmt.Sprintf(format, args...)
}

// tick runs the policy service's time-driven work as of days from now, the
// way the background worker would then: 公示 windows that ended close.
func (w policyWorld) tick(t *testing.T, days int) policy.TickReport {
	t.Helper()
	rep, err := w.srv.Main.Policy.Tick(context.Background(), time.Now().AddDate(0, 0, days))
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// policyPost posts a form from this site.
func policyPost(t *testing.T, c *http.Client, w policyWorld, path string, form url.Values) page {
	t.Helper()
	return postForm(t, c, w.srv.URL+path, form, w.srv.URL)
}
