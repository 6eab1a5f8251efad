// Package seed loads data into an empty platform: the Beibei district demo
// (北碚区, Chongqing, 500109) — departments, banks, about 200 enterprises and a
// login for every role — and a fast, deterministic synthetic generator of up
// to millions of enterprises for scale tests.
//
// Demo data goes through the services, so it is validated and audited like
// real data; synthetic data is bulk-loaded with one audit summary.
package seed

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/qinqing/qinqing/internal/auth"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
)

// DemoAgentPoint is the service point the demo agent works at: the 蔡家岗
// street centre of the demo service network.
const DemoAgentPoint = "caijiagang-centre"

// DemoAccount is a demo login printed at start and shown on the login page.
// Enterprise is the credit code of the bound enterprise, Department and
// Institution the codes of the bound department or bank.
type DemoAccount struct {
	Role                                identity.Role
	Username, Password, DisplayName     string
	Enterprise, Department, Institution string
	ServicePoint                        string // an agent's service point (its code in the demo network)
}

// DemoAccounts lists the demo logins, at least one per role in
// identity.Roles. Staff passwords have three character classes, and none
// contains its username (auth.PasswordPolicy).
func DemoAccounts() []DemoAccount {
	firms := showcaseFirms()
	code := func(i int) string { return firms[i].in.CreditCode.V }
	return []DemoAccount{
		{Role: identity.RoleEnterprise, Username: "qiye1", Password: "Jialing-River-2026", DisplayName: "陈志强", Enterprise: code(showcaseAuto)},
		{Role: identity.RoleEnterprise, Username: "qiye2", Password: "Jinyun-Shan-2026", DisplayName: "周丽华", Enterprise: code(showcaseSoftware)},
		{Role: identity.RoleEnterprise, Username: "qiye3", Password: "Beiwenquan-2026", DisplayName: "何建国", Enterprise: code(showcaseRestaurant)},
		{Role: identity.RoleWindowClerk, Username: "clerk", Password: "Chuangkou-Demo-2026", DisplayName: "李静"},
		{Role: identity.RoleAgent, Username: "agent", Password: "Daiban-Demo-2026", DisplayName: "王芳", ServicePoint: DemoAgentPoint},
		{Role: identity.RoleReviewer, Username: "reviewer", Password: "Shenpi-Demo-2026", DisplayName: "张磊", Department: "SCJGJ"},
		{Role: identity.RoleReviewer, Username: "reviewer2", Password: "Renshe-Demo-2026", DisplayName: "赵敏", Department: "RSJ"},
		// With the two above, a reviewer for every department of 开办企业一件事.
		{Role: identity.RoleReviewer, Username: "gongan", Password: "Jingwu-Demo-2026", DisplayName: "钱伟", Department: "GAFJ"},
		{Role: identity.RoleReviewer, Username: "shuiwu", Password: "Fapiao-Demo-2026", DisplayName: "冯雪", Department: "SWJ"},
		{Role: identity.RoleReviewer, Username: "gongjijin", Password: "Zhufang-Demo-2026", DisplayName: "蒋立", Department: "GJJZX"},
		{Role: identity.RoleReviewer, Username: "zhengwu", Password: "Yichuang-Demo-2026", DisplayName: "韩梅", Department: "ZWFWZX"},
		{Role: identity.RoleLiaison, Username: "liaison", Password: "Teshi-Demo-2026", DisplayName: "刘洋"},
		{Role: identity.RolePolicyOfficer, Username: "policy", Password: "Zhengce-Demo-2026", DisplayName: "杨帆"},
		// Large awards need a second officer's approval (never the first one's).
		{Role: identity.RolePolicyOfficer, Username: "policy2", Password: "Duixian-Demo-2026", DisplayName: "许婷"},
		{Role: identity.RoleBankStaff, Username: "bank", Password: "Jinrong-Demo-2026", DisplayName: "黄晓东", Institution: "CQRCB_BB"},
		{Role: identity.RoleBankStaff, Username: "bank2", Password: "Danbao-Demo-2026", DisplayName: "吕倩", Institution: "BB_GUAR"},
		{Role: identity.RoleSupervisor, Username: "supervisor", Password: "Xiaoneng-Demo-2026", DisplayName: "吴涛"},
		{Role: identity.RoleAdmin, Username: "admin", Password: "Xitong-Demo-2026", DisplayName: "郑宇"},
		{Role: identity.RoleSecurityAdmin, Username: "security", Password: "Anquan-Demo-2026", DisplayName: "孙颖"},
		{Role: identity.RoleAuditor, Username: "auditor", Password: "Shenji-Demo-2026", DisplayName: "马骏"},
	}
}

// Demo loads the Beibei demo data unless it is already there: when every demo
// account exists it returns at once without changing anything. A run that
// stopped half-way is completed by the next one (organisations, enterprises
// and accounts that exist are skipped). progress(step, done, total) reports
// each step; it may be nil.
//
// The ctx must carry a principal that may write enterprises and manage
// accounts (identity.System("seed")). Demo refuses, with ErrConflict, to
// run where a demo username belongs to a real (non-demo) account.
func Demo(ctx context.Context, d *db.DB, ent *enterprise.Service, au *auth.Service, progress func(step string, done, total int)) (err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("seed demo: %w", err)
		}
	}()
	if progress == nil {
		progress = func(string, int, int) {}
	}
	p := identity.PrincipalFrom(ctx)
	if !p.Can(identity.PermEnterpriseWrite) || !p.Can(identity.PermAccountManage) || !p.Can(identity.PermTagManage) {
		return errs.Forbidden()
	}
	accounts := DemoAccounts()
	existing, err := demoAccountsPresent(ctx, d, accounts)
	if err != nil {
		return err
	}
	if len(existing) == len(accounts) {
		return nil
	}

	progress("tags", 0, 1)
	if err := enterprise.EnsureDefaultTags(ctx, d); err != nil {
		return err
	}
	progress("tags", 1, 1)

	progress("organisations", 0, 1)
	if err := LoadOrgs(ctx, d); err != nil {
		return err
	}
	progress("organisations", 1, 1)

	firms := demoFirms()
	for i, f := range firms {
		if err := loadFirm(ctx, d, ent, f); err != nil {
			return err
		}
		progress("enterprises", i+1, len(firms))
	}

	for i, a := range accounts {
		if !existing[a.Username] {
			if err := createAccount(ctx, d, au, a); err != nil {
				return err
			}
		}
		progress("accounts", i+1, len(accounts))
	}
	return demoLiaisons(ctx, d, accounts)
}

// demoAccountsPresent returns the demo usernames that already have an
// account, and an ErrConflict if any of them is not a demo account.
func demoAccountsPresent(ctx context.Context, d *db.DB, accounts []DemoAccount) (map[string]bool, error) {
	names := make([]string, len(accounts))
	for i, a := range accounts {
		names[i] = a.Username
	}
	in, args := db.In(names)
	rows, err := d.QueryContext(ctx, "SELECT username, demo FROM accounts WHERE username IN "+in, args...)
	if err != nil {
		return nil, fmt.Errorf("look up demo accounts: %w", err)
	}
	defer rows.Close()
	present := map[string]bool{}
	var real []string
	for rows.Next() {
		var name string
		var demo bool
		if err := rows.Scan(&name, &demo); err != nil {
			return nil, err
		}
		present[name] = true
		if !demo {
			real = append(real, name)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(real) > 0 {
		list := strings.Join(real, ", ")
		return nil, errs.Conflict("demo_username_taken", i18n.M(
			"以下用户名已被正式账户使用，不能加载演示数据："+list,
			"These usernames belong to real accounts, so the demo cannot be loaded: "+list))
	}
	return present, nil
}

// loadFirm creates a demo enterprise with its oldest year of facts, then
// adds each later year, unless its credit code is already registered.
func loadFirm(ctx context.Context, d *db.DB, ent *enterprise.Service, f demoFirm) error {
	code := f.in.CreditCode.V
	var n int
	if err := d.QueryRowContext(ctx, "SELECT count(*) FROM enterprises WHERE credit_code = ?", code).Scan(&n); err != nil {
		return fmt.Errorf("look up %s: %w", code, err)
	}
	if n > 0 {
		return nil
	}
	in := f.in
	in.Tags = enterprise.Some(f.tags)
	if len(f.facts) > 0 {
		fi := f.facts[0].input()
		in.FiscalYear = fi.FiscalYear
		in.Employees, in.RevenueFen, in.AssetsFen, in.TaxableIncomeFen = fi.Employees, fi.RevenueFen, fi.AssetsFen, fi.TaxableIncomeFen
		in.RDExpenseFen, in.TechStaff, in.ExportsFen = fi.RDExpenseFen, fi.TechStaff, fi.ExportsFen
		in.HighTechRevenueFen, in.CostsFen, in.IPClass1, in.IPClass2 = fi.HighTechRevenueFen, fi.CostsFen, fi.IPClass1, fi.IPClass2
	}
	e, _, err := ent.Create(ctx, in)
	switch {
	case errors.Is(err, errs.ErrConflict):
		return nil // created meanwhile by a concurrent run
	case err != nil:
		return fmt.Errorf("create %s %s: %w", code, f.in.Name.V, err)
	}
	for _, y := range f.facts[min(1, len(f.facts)):] {
		if _, _, err := ent.Update(ctx, e.ID, y.input()); err != nil {
			return fmt.Errorf("facts %d of %s: %w", y.year, code, err)
		}
	}
	return nil
}

// createAccount creates one demo account, resolving its enterprise binding.
func createAccount(ctx context.Context, d *db.DB, au *auth.Service, a DemoAccount) error {
	na := auth.NewAccount{Username: a.Username, DisplayName: a.DisplayName, Role: a.Role,
		DepartmentCode: a.Department, InstitutionCode: a.Institution, ServicePoint: a.ServicePoint, Password: a.Password, Demo: true}
	if a.Enterprise != "" {
		err := d.QueryRowContext(ctx, "SELECT id FROM enterprises WHERE credit_code = ?", a.Enterprise).Scan(&na.EnterpriseID)
		if err != nil {
			return fmt.Errorf("enterprise %s of demo account %s: %w", a.Enterprise, a.Username, err)
		}
	}
	if _, err := au.CreateAccount(ctx, na); err != nil {
		if errors.Is(err, errs.ErrConflict) {
			return nil // created meanwhile by a concurrent run
		}
		return fmt.Errorf("demo account %s: %w", a.Username, err)
	}
	return nil
}
