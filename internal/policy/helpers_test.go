package policy_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/qinqing/qinqing/internal/calendar"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/eligibility"
	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/money"
	"github.com/qinqing/qinqing/internal/notify"
	"github.com/qinqing/qinqing/internal/policy"
	"github.com/qinqing/qinqing/internal/standards"
)

// clock is a settable clock shared by the service and the test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// set moves the clock to 10:00 in China on date.
func (c *clock) set(date string) {
	d, err := calendar.ParseDate(date)
	if err != nil {
		panic(err)
	}
	c.mu.Lock()
	c.t = time.Date(d.Year, d.Month, d.Day, 2, 0, 0, 0, time.UTC)
	c.mu.Unlock()
}

// world is a migrated database with departments, the registry and the
// policy service on a test clock (Monday 2 March 2026).
type world struct {
	t     *testing.T
	d     *db.DB
	ents  *enterprise.Service
	svc   *policy.Service
	clock *clock
	n     int
}

func newWorld(t *testing.T, d *db.DB, cfg policy.Config) *world {
	t.Helper()
	ctx := sys()
	err := d.InTx(ctx, func(tx *db.Tx) error {
		for i, dep := range [][2]string{{"SWJ", "区税务局"}, {"JXW", "区经济信息委"}, {"RSJ", "区人力社保局"}, {"KJJ", "区科技局"}} {
			if _, err := tx.ExecContext(ctx, "INSERT INTO departments (code, name, sort) VALUES (?, ?, ?)", dep[0], dep[1], i); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := enterprise.EnsureDefaultTags(ctx, d); err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, d: d, ents: enterprise.NewService(d), clock: &clock{}}
	w.clock.set("2026-03-02")
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	w.svc = policy.NewService(d, calendar.New(calendar.Options{}), w.ents, notify.New(d, nil, log), nil, cfg, log)
	w.svc.SetClock(w.clock.now)
	w.ents.OnChange(w.svc.EnterpriseChanged)
	return w
}

// indexed returns a second world on the same database whose service reads
// profiles from a freshly loaded eligibility index, attached to its own
// registry service before the push hook, as the app wires them.
func (w *world) indexed() *world {
	w.t.Helper()
	x := eligibility.NewIndex(eligibility.Default)
	if err := x.Load(sys(), w.d, nil); err != nil {
		w.t.Fatal(err)
	}
	v := &world{t: w.t, d: w.d, ents: enterprise.NewService(w.d), clock: w.clock, n: w.n}
	x.Attach(v.ents, w.d)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	v.svc = policy.NewService(w.d, calendar.New(calendar.Options{}), v.ents, notify.New(w.d, nil, log), policy.NewIndexMatcher(x, v.ents), w.svc.Config(), log)
	v.svc.SetClock(v.clock.now)
	v.ents.OnChange(v.svc.EnterpriseChanged)
	return v
}

func sys() context.Context {
	return identity.WithRequest(identity.WithPrincipal(context.Background(), identity.System("test")), identity.Request{ID: "t"})
}

func anonymous() context.Context {
	return identity.WithRequest(context.Background(), identity.Request{ID: "t", IP: "10.0.0.9"})
}

// officer acts as policy officer number n (account id 100+n).
func officer(n int) context.Context {
	p := &identity.Principal{AccountID: int64(100 + n), Username: fmt.Sprintf("policy%d", n), DisplayName: fmt.Sprintf("政策专员%d", n),
		Role: identity.RolePolicyOfficer}
	return identity.WithRequest(identity.WithPrincipal(context.Background(), p), identity.Request{ID: "t", IP: "10.0.0.2"})
}

// owner acts as a user of enterprise id.
func owner(id int64) context.Context {
	p := &identity.Principal{AccountID: 1000 + id, Username: fmt.Sprintf("qiye%d", id), Role: identity.RoleEnterprise, EnterpriseID: id}
	return identity.WithRequest(identity.WithPrincipal(context.Background(), p), identity.Request{ID: "t", IP: "10.0.0.3"})
}

func as(role identity.Role) context.Context {
	p := &identity.Principal{AccountID: 500, Username: string(role), Role: role}
	return identity.WithRequest(identity.WithPrincipal(context.Background(), p), identity.Request{ID: "t", IP: "10.0.0.4"})
}

func creditCode(serial int) string {
	body := fmt.Sprintf("MC%06d", serial)
	oc, _ := standards.OrgCodeCheckChar(body)
	first := "91500109" + body + string(oc)
	cc, _ := standards.CreditCodeCheckChar(first)
	return first + string(cc)
}

// firm describes a test enterprise's facts (yuan; nil unknown).
type firm struct {
	name      string
	industry  string
	region    string
	employees *int64
	revenue   *int64 // yuan
	assets    *int64 // yuan
	taxable   *int64 // yuan
	rd        *int64 // yuan
	tags      []string
}

func n(v int64) *int64 { return &v }

func yuanFen(v *int64) enterprise.Maybe[int64] {
	if v == nil {
		return enterprise.Maybe[int64]{}
	}
	return enterprise.Some(*v * money.FenPerYuan)
}

// add registers a firm and returns its id.
func (w *world) add(f firm) int64 {
	w.t.Helper()
	w.n++
	if f.industry == "" {
		f.industry = "3670"
	}
	if f.region == "" {
		f.region = "500109001"
	}
	if f.name == "" {
		f.name = fmt.Sprintf("重庆北碚测试制造有限公司%d", w.n)
	}
	in := enterprise.Input{CreditCode: enterprise.Some(creditCode(w.n)), Name: enterprise.Some(f.name), LegalRep: enterprise.Some("王芳"),
		RegisteredOn: enterprise.Some("2018-05-10"), RegionCode: enterprise.Some(f.region), Address: enterprise.Some("重庆市北碚区云汉大道 1 号"),
		IndustryCode: enterprise.Some(f.industry), ContactName: enterprise.Some("李明"), ContactPhone: enterprise.Some("13900001111"),
		TaxCreditGrade: enterprise.Some("A"), FiscalYear: 2025,
		Employees: enterprise.Maybe[int64]{}, RevenueFen: yuanFen(f.revenue), AssetsFen: yuanFen(f.assets),
		TaxableIncomeFen: yuanFen(f.taxable), RDExpenseFen: yuanFen(f.rd)}
	if f.employees != nil {
		in.Employees = enterprise.Some(*f.employees)
	}
	if f.tags != nil {
		var tags []enterprise.TagInput
		for _, t := range f.tags {
			tags = append(tags, enterprise.TagInput{Code: t})
		}
		in.Tags = enterprise.Some(tags)
	}
	e, _, err := w.ents.Create(sys(), in)
	if err != nil {
		w.t.Fatalf("create firm: %v", err)
	}
	return e.ID
}

// smallProfit is 小型微利企业所得税优惠 (财政部 税务总局公告2023年第12号)
// as a policy paying a fixed subsidy so that the fulfilment paths have
// money to move: 年应纳税所得额 ≤ 300万, 从业人数 ≤ 300, 资产总额 ≤ 5000万.
func smallProfit(code string) policy.Input {
	return policy.Input{
		Code: code, Title: "小型微利企业所得税优惠", TitleEn: "Income tax relief for small low-profit enterprises",
		DocumentNo: "财政部 税务总局公告2023年第12号", Issuer: "财政部 税务总局", Level: policy.LevelNational, Shelf: policy.ShelfTax,
		Mode: policy.ModeApply, Department: "SWJ", ContactName: "陈静", ContactPhone: "023-68863366",
		ValidFrom: "2023-01-01", ValidTo: "2027-12-31", Summary: "对小型微利企业减按25%计算应纳税所得额，按20%的税率缴纳企业所得税。",
		Keywords: "小微 所得税 减免",
		Guide:    policy.Guide{Beneficiaries: "小型微利企业", Conditions: "年应纳税所得额不超过300万元等", TimeLimitDays: 10, Address: "北碚区新华路 88 号", Phone: "023-68863366"},
		Benefit:  policy.Benefit{Kind: policy.BenefitFixed, Amount: money.Yuan{Fen: 20_000 * 100, Valid: true}, Period: policy.PeriodYear, Description: "一次性补助 2 万元"},
		Materials: []policy.Material{
			{Name: "营业执照", Required: true, Source: "profile"},
			{Name: "情况说明", Required: false, Source: "applicant"},
		},
		Conditions: cond(`{"all":[{"attr":"taxable_income","op":"le","value":3000000},{"attr":"employees","op":"le","value":300},{"attr":"assets","op":"le","value":50000000}]}`),
		Tests: []policy.TestCase{
			{Name: "应纳税所得额恰为300万元", AsOf: "2026-06-30", Profile: map[string]any{"taxable_income": 3000000, "employees": 300, "assets": 50000000}, Expect: eligibility.Eligible},
			{Name: "应纳税所得额多一分", AsOf: "2026-06-30", Profile: map[string]any{"taxable_income": "3000000.01", "employees": 300, "assets": 50000000}, Expect: eligibility.Ineligible},
		},
	}
}

func cond(s string) eligibility.Node {
	var n eligibility.Node
	if err := json.Unmarshal([]byte(s), &n); err != nil {
		panic(err)
	}
	return n
}

// publish creates and publishes a policy effective from date.
func (w *world) publish(in policy.Input, from string) policy.Policy {
	w.t.Helper()
	p, err := w.svc.Create(officer(1), in)
	if err != nil {
		w.t.Fatalf("create %s: %v", in.Code, err)
	}
	p, err = w.svc.Publish(officer(1), p.ID, p.Rev, from)
	if err != nil {
		w.t.Fatalf("publish %s: %v", in.Code, err)
	}
	return p
}

func yuan(v int64) int64 { return v * 100 }
