package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
)

// TestPublicityObjectionsFromOneAddressAreLimited objects to a recipient
// of an open 公示 through the public page, without signing in: each
// objection holds the payment, so the sixth within the hour from one
// address is refused with the reason on the page, what was typed kept,
// and nothing recorded.
func TestPublicityObjectionsFromOneAddressAreLimited(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, d db.Dialect) {
		w := newPolicyWorld(t, d)
		firm := w.login(t, "firma")
		p := casePostMultipart(t, firm, w.srv.URL, fmt.Sprintf("/policies/%d/apply", w.policyID), url.Values{"period": {"once"}},
			map[string]caseUpload{"file.0": casePDF("申请表.pdf")})
		m := policyAppIDRE.FindStringSubmatch(p.location)
		if p.status != http.StatusSeeOther || m == nil {
			t.Fatalf("apply: %d\n%s", p.status, p.body)
		}
		officer := w.login(t, "zhengce1")
		appPage := get(t, officer, w.srv.URL+p.location)
		if p := policyPost(t, officer, w, p.location+"/actions", url.Values{"action": {"approve"}, "rev": {policyRev(t, appPage.body, "approve")},
			"amount_yuan": {"50000"}}); p.status != http.StatusSeeOther {
			t.Fatalf("approve: %d\n%s", p.status, p.body)
		}
		admin := get(t, officer, w.url("/admin/policy-publicity"))
		choice := regexp.MustCompile(`name="application" value="(\d+:\d+)"`).FindStringSubmatch(admin.body)
		if choice == nil {
			t.Fatalf("the approved application is not offered for 公示:\n%s", admin.body)
		}
		if p := policyPost(t, officer, w, "/admin/policy-publicity", url.Values{"application": {choice[1]}, "days": {"5"}}); p.status != http.StatusSeeOther {
			t.Fatalf("start 公示: %d\n%s", p.status, p.body)
		}
		public := get(t, w.srv.Browser(), w.url("/policies/publicity"))
		batch := regexp.MustCompile(`action="/policies/publicity/(\d+)/objections"`).FindStringSubmatch(public.body)
		if batch == nil {
			t.Fatalf("no objection form during 公示:\n%s", public.body)
		}
		visitor := w.srv.Browser()
		object := func(reason string) page {
			return policyPost(t, visitor, w, "/policies/publicity/"+batch[1]+"/objections",
				url.Values{"application": {m[1]}, "name": {"匿名群众"}, "contact": {"13800000000"}, "reason": {reason}})
		}
		for i := range 5 {
			if p := object(fmt.Sprintf("第%d次：怀疑不符合条件", i+1)); p.status != http.StatusSeeOther {
				t.Fatalf("objection %d: %d\n%s", i+1, p.status, p.body)
			}
		}
		p = object("第6次：怀疑不符合条件")
		if p.status != http.StatusTooManyRequests || !strings.Contains(p.body, `id="objection-error"`) || !strings.Contains(p.body, "请 1 小时后再试") ||
			!strings.Contains(p.body, "第6次：怀疑不符合条件") {
			t.Errorf("the sixth objection within the hour: %d\n%s", p.status, p.body)
		}
		var n int
		if err := w.srv.Main.DB.QueryRowContext(t.Context(), "SELECT count(*) FROM policy_publicity_objections WHERE application_id = ?", m[1]).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 5 {
			t.Errorf("%d objections recorded, want the 5 within the limit", n)
		}
	})
}
