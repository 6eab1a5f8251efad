package seed_test

import (
	"context"
	"testing"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/auth"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/seed"
	"github.com/qinqing/qinqing/internal/standards"
)

func sys() context.Context {
	return identity.WithPrincipal(context.Background(), identity.System("seed"))
}

// count runs a count(*) query.
func count(t *testing.T, d *db.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func loadDemo(t *testing.T, d *db.DB) (*enterprise.Service, *auth.Service) {
	t.Helper()
	ent := enterprise.NewService(d)
	au := auth.NewService(d, auth.Config{Demo: true, MFA: auth.MFAOff}, nil)
	steps := map[string]int{}
	err := seed.Demo(sys(), d, ent, au, func(step string, done, total int) {
		if done > total {
			t.Errorf("progress %s: done %d > total %d", step, done, total)
		}
		steps[step] = done
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"tags", "organisations", "enterprises", "accounts"} {
		if steps[s] == 0 {
			t.Errorf("no progress reported for step %q", s)
		}
	}
	return ent, au
}

func TestDemo(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := sys()
		ent, au := loadDemo(t, d)

		t.Run("every Beibei street and town has enterprises", func(t *testing.T) {
			streets := standards.RegionChildren("500109")
			if len(streets) != 17 {
				t.Fatalf("Beibei has %d streets in the standards data, want 17", len(streets))
			}
			for _, s := range streets {
				page, err := ent.List(ctx, enterprise.Filter{Region: s.Code})
				if err != nil {
					t.Fatal(err)
				}
				if page.Total == 0 {
					t.Errorf("%s %s has no demo enterprise", s.Code, s.Name)
				}
			}
		})

		t.Run("there are about 200 enterprises, all in Beibei with valid credit codes", func(t *testing.T) {
			if n := count(t, d, "SELECT count(*) FROM enterprises"); n < 180 || n > 220 {
				t.Errorf("%d enterprises, want about 200", n)
			}
			if n := count(t, d, "SELECT count(*) FROM enterprises WHERE region_code NOT LIKE '500109%'"); n != 0 {
				t.Errorf("%d enterprises outside Beibei", n)
			}
			rows, err := d.QueryContext(ctx, "SELECT credit_code FROM enterprises")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var code string
				if err := rows.Scan(&code); err != nil {
					t.Fatal(err)
				}
				if cc := standards.ParseCreditCode(code); !cc.Valid() || len(cc.Warnings) > 0 {
					t.Errorf("credit code %s: errors %v, warnings %v", code, cc.Errors, cc.Warnings)
				}
			}
		})

		t.Run("size classes cover large to micro and a few unknown", func(t *testing.T) {
			for _, size := range []string{"large", "medium", "small", "micro", "unknown"} {
				page, err := ent.List(ctx, enterprise.Filter{Size: size})
				if err != nil {
					t.Fatal(err)
				}
				if page.Total == 0 {
					t.Errorf("no %s enterprise", size)
				}
				t.Logf("%s: %d", size, page.Total)
			}
			if n := count(t, d, "SELECT count(*) FROM enterprises WHERE size_class = 'unknown'"); n > 10 {
				t.Errorf("%d enterprises of unknown size, want a few", n)
			}
		})

		t.Run("several manufacturers are above designated size", func(t *testing.T) {
			yes := true
			page, err := ent.List(ctx, enterprise.Filter{Industry: "C", AboveScale: &yes})
			if err != nil {
				t.Fatal(err)
			}
			if page.Total < 5 {
				t.Errorf("%d 规上 manufacturers, want several", page.Total)
			}
		})

		t.Run("facts cover fiscal years 2023 to 2025", func(t *testing.T) {
			for _, y := range []int{2023, 2024, 2025} {
				if n := count(t, d, "SELECT count(*) FROM enterprise_facts WHERE fiscal_year = ?", y); n < 100 {
					t.Errorf("%d enterprises have %d facts, want most", n, y)
				}
			}
			if n := count(t, d, "SELECT count(*) FROM enterprise_facts WHERE rd_expense_fen > 0 AND tech_staff > 0"); n < 20 {
				t.Errorf("%d fact rows with R&D and tech staff", n)
			}
			if n := count(t, d, "SELECT count(*) FROM enterprise_facts WHERE exports_fen > 0"); n == 0 {
				t.Error("no exporter")
			}
		})

		t.Run("tags and credit flags are present", func(t *testing.T) {
			for _, tag := range []string{"high_tech", "tech_sme", "specialized", "small_taxpayer", "digital_workshop",
				"smart_factory", "integrity_alliance", "ipo_reserve", enterprise.TagQualifiedLimit} {
				if n := count(t, d, "SELECT count(*) FROM enterprise_tags WHERE tag_code = ?", tag); n == 0 {
					t.Errorf("no enterprise tagged %s", tag)
				}
			}
			if n := count(t, d, "SELECT count(*) FROM enterprise_tags WHERE tag_code IN ('high_tech', 'tech_sme') AND (valid_from IS NULL OR valid_to IS NULL)"); n != 0 {
				t.Errorf("%d 高新技术企业 or 科技型中小企业 tags without a validity period", n)
			}
			if n := count(t, d, "SELECT count(*) FROM enterprises WHERE dishonest = TRUE"); n < 1 || n > 2 {
				t.Errorf("%d dishonest enterprises, want one or two", n)
			}
			if n := count(t, d, "SELECT count(DISTINCT tax_credit_grade) FROM enterprises"); n < 3 {
				t.Errorf("%d distinct tax credit grades", n)
			}
		})

		t.Run("departments and banks are loaded", func(t *testing.T) {
			if n := count(t, d, "SELECT count(*) FROM departments"); n < 30 {
				t.Errorf("%d departments", n)
			}
			if n := count(t, d, "SELECT count(*) FROM institutions"); n < 8 {
				t.Errorf("%d institutions", n)
			}
			rows, err := d.QueryContext(ctx, "SELECT credit_code FROM departments")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var code string
				rows.Scan(&code)
				if !standards.ParseCreditCode(code).Valid() {
					t.Errorf("department credit code %s is not valid", code)
				}
			}
		})

		t.Run("every demo account signs in in demo mode", func(t *testing.T) {
			roles := map[identity.Role]bool{}
			for _, a := range seed.DemoAccounts() {
				res, err := au.Login(context.Background(), auth.LoginInput{Username: a.Username, Password: a.Password, Kind: auth.KindWeb})
				if err != nil {
					t.Errorf("login %s: %v", a.Username, err)
					continue
				}
				if res.Stage != auth.StageDone || res.Principal.Role != a.Role || !res.Principal.Demo {
					t.Errorf("login %s: stage %s, role %s, demo %v", a.Username, res.Stage, res.Principal.Role, res.Principal.Demo)
				}
				if a.Enterprise != "" {
					e, err := ent.GetByCreditCode(ctx, a.Enterprise)
					if err != nil || res.Principal.EnterpriseID != e.ID {
						t.Errorf("%s is bound to enterprise %d, want %s (%v)", a.Username, res.Principal.EnterpriseID, a.Enterprise, err)
					}
				}
				roles[a.Role] = true
			}
			for _, r := range identity.Roles {
				if !roles[r] {
					t.Errorf("no demo account for role %s", r)
				}
			}
		})

		t.Run("demo accounts cannot sign in outside demo mode", func(t *testing.T) {
			prod := auth.NewService(d, auth.Config{MFA: auth.MFAOff}, nil)
			a := seed.DemoAccounts()[0]
			if _, err := prod.Login(context.Background(), auth.LoginInput{Username: a.Username, Password: a.Password, Kind: auth.KindWeb}); err == nil {
				t.Errorf("demo account %s signed in outside demo mode", a.Username)
			}
		})

		t.Run("a second run changes nothing", func(t *testing.T) {
			tables := []string{"enterprises", "enterprise_facts", "enterprise_tags", "accounts", "departments", "institutions", "audit_log"}
			before := map[string]int{}
			for _, tb := range tables {
				before[tb] = count(t, d, "SELECT count(*) FROM "+tb)
			}
			if err := seed.Demo(ctx, d, ent, au, nil); err != nil {
				t.Fatal(err)
			}
			for _, tb := range tables {
				if n := count(t, d, "SELECT count(*) FROM "+tb); n != before[tb] {
					t.Errorf("%s: %d rows after the second run, %d before", tb, n, before[tb])
				}
			}
		})

		t.Run("the audit chain is intact", func(t *testing.T) {
			rep, err := audit.Verify(ctx, d, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !rep.OK {
				t.Fatal(rep)
			}
			if n := count(t, d, "SELECT count(*) FROM audit_log WHERE action = 'enterprise.create'"); n < 180 {
				t.Errorf("%d enterprise.create audit records", n)
			}
		})
	})
}

func TestDemoRefusesWithoutPermission(t *testing.T) {
	d := dbtest.OpenSQLite(t)
	ctx := identity.WithPrincipal(context.Background(), &identity.Principal{Username: "x", Role: identity.RoleWindowClerk})
	err := seed.Demo(ctx, d, enterprise.NewService(d), auth.NewService(d, auth.Config{}, nil), nil)
	if err == nil {
		t.Fatal("a window clerk loaded the demo")
	}
	if n := count(t, d, "SELECT count(*) FROM enterprises"); n != 0 {
		t.Errorf("%d enterprises after a refused demo", n)
	}
}

func TestDemoAccountsMeetPasswordPolicy(t *testing.T) {
	for _, a := range seed.DemoAccounts() {
		if msgs := auth.DefaultPasswordPolicy.Check(a.Username, a.Password, a.Role.IsStaff()); len(msgs) > 0 {
			t.Errorf("%s: %v", a.Username, msgs)
		}
		if a.DisplayName == "" {
			t.Errorf("%s has no display name", a.Username)
		}
	}
}
