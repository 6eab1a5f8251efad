// Package identity says who is acting: roles, their permissions, the
// authenticated principal and the request it acts through. It sits at the
// bottom of the import graph so every service can check permissions and
// every audit record can name its actor.
package identity

import (
	"context"
	"slices"

	"github.com/qinqing/qinqing/internal/i18n"
)

// Role is an account's single role. Roles follow the platform's users and the
// 等保 level-3 separation of system, security and audit administrators
// (GB/T 22239-2019 8.1.4.2 / 8.1.10.2 三权分立).
type Role string

// The roles.
const (
	RoleEnterprise    Role = "enterprise"     // enterprise staff, bound to one enterprise
	RoleWindowClerk   Role = "window_clerk"   // 综合窗口
	RoleAgent         Role = "agent"          // service-point 代办员
	RoleReviewer      Role = "reviewer"       // department reviewer, bound to a department
	RoleLiaison       Role = "liaison"        // 亲清特使
	RolePolicyOfficer Role = "policy_officer" // 政策专员
	RoleBankStaff     Role = "bank_staff"     // bank staff, bound to an institution
	RoleSupervisor    Role = "supervisor"     // 效能监管
	RoleAdmin         Role = "admin"          // 系统管理员
	RoleSecurityAdmin Role = "security_admin" // 安全管理员: accounts and security settings
	RoleAuditor       Role = "auditor"        // 审计管理员: reads the audit trail only

	// RoleSystem is the platform itself acting from the command line or a
	// background job. No account can hold it.
	RoleSystem Role = "system"
)

// Roles lists every role an account can hold, in display order.
var Roles = []Role{
	RoleEnterprise, RoleWindowClerk, RoleAgent, RoleReviewer, RoleLiaison,
	RolePolicyOfficer, RoleBankStaff, RoleSupervisor, RoleAdmin, RoleSecurityAdmin, RoleAuditor,
}

var roleLabels = map[Role]i18n.Msg{
	RoleEnterprise:    i18n.M("企业用户", "Enterprise user"),
	RoleWindowClerk:   i18n.M("综合窗口人员", "Window clerk"),
	RoleAgent:         i18n.M("代办员", "Service-point agent"),
	RoleReviewer:      i18n.M("部门审批人员", "Department reviewer"),
	RoleLiaison:       i18n.M("亲清特使", "Liaison officer"),
	RolePolicyOfficer: i18n.M("政策专员", "Policy officer"),
	RoleBankStaff:     i18n.M("金融机构人员", "Bank staff"),
	RoleSupervisor:    i18n.M("效能监管人员", "Supervisor"),
	RoleAdmin:         i18n.M("系统管理员", "System administrator"),
	RoleSecurityAdmin: i18n.M("安全管理员", "Security administrator"),
	RoleAuditor:       i18n.M("审计管理员", "Auditor"),
	RoleSystem:        i18n.M("系统", "System"),
}

// Valid reports whether an account may hold r.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// IsStaff reports whether r is a civil-servant or institution role (all but
// enterprise users); staff accounts follow the stricter password profile and
// need a second factor.
func (r Role) IsStaff() bool { return r.Valid() && r != RoleEnterprise }

// Label is the role's display name.
func (r Role) Label() i18n.Msg {
	if m, ok := roleLabels[r]; ok {
		return m
	}
	return i18n.M(string(r), string(r))
}

// Permission is a coarse capability; services add per-object checks
// (an enterprise user only its own enterprise, a reviewer only its department).
type Permission string

// The permissions.
const (
	PermEnterpriseRead   Permission = "enterprise.read"   // read any enterprise profile
	PermEnterpriseWrite  Permission = "enterprise.write"  // create and edit any enterprise
	PermEnterpriseVerify Permission = "enterprise.verify" // set verified fields and facts
	PermEnterpriseOwn    Permission = "enterprise.own"    // read and edit one's own enterprise
	PermContactReveal    Permission = "contact.reveal"    // unmask a firm's contact phone (audited), for staff who must call it
	PermEnterpriseImport Permission = "enterprise.import" // bulk import
	PermEnterpriseExport Permission = "enterprise.export" // bulk export
	PermTagManage        Permission = "tag.manage"        // the qualification vocabulary
	PermAccountManage    Permission = "account.manage"    // create, disable, unlock accounts
	PermAuditRead        Permission = "audit.read"        // browse the audit trail

	PermCalendarManage  Permission = "calendar.manage"  // load the State Council holiday schedule of a new year
	PermCatalogueManage Permission = "catalogue.manage" // edit matters, bundles and service points
	PermCaseIntake      Permission = "case.intake"      // take in applications on an enterprise's behalf (window, service point)
	PermCaseAccept      Permission = "case.accept"      // accept or refuse submitted applications (前台综合受理)
	PermCaseReview      Permission = "case.review"      // decide cases of one's own department (后台分类办理)
	PermCaseDeliver     Permission = "case.deliver"     // hand out results (统一窗口出件)
	PermCaseSupervise   Permission = "case.supervise"   // see every case, overdue lists, decide rating appeals
	PermRectify         Permission = "rating.rectify"   // follow up bad ratings of one's own department

	// The policy supermarket (政策超市). Writing rules and deciding on money
	// are separate permissions so a deployment can give them to different
	// people; within review, the second approval of a large amount must
	// come from another officer (the service enforces it per application).
	PermPolicyManage Permission = "policy.manage" // write, test, simulate, publish and unpublish policies; start 免申即享 runs
	PermPolicyReview Permission = "policy.review" // review applications, approve, 公示, decide objections, confirm runs, record payments
	PermPolicyRead   Permission = "policy.read"   // see drafts, every application, run and payment, and the indicators
	PermPolicyPushes Permission = "policy.pushes" // see which enterprises were told of a policy they now qualify for

	PermLiaisonAssign Permission = "liaison.assign" // pair an enterprise with its liaison officer (亲清特使)
)

// rolePerms is the allow-list; anything not listed is denied.
var rolePerms = map[Role][]Permission{
	RoleEnterprise: {PermEnterpriseOwn},
	RoleWindowClerk: {PermEnterpriseRead, PermEnterpriseWrite, PermEnterpriseVerify,
		PermCaseIntake, PermCaseAccept, PermCaseDeliver},
	RoleAgent:         {PermEnterpriseRead, PermContactReveal, PermCaseIntake},
	RoleReviewer:      {PermEnterpriseRead, PermContactReveal, PermCaseReview, PermRectify},
	RoleLiaison:       {PermEnterpriseRead, PermContactReveal, PermPolicyPushes},
	RolePolicyOfficer: {PermEnterpriseRead, PermContactReveal, PermPolicyManage, PermPolicyReview, PermPolicyRead, PermPolicyPushes},
	RoleBankStaff:     {},
	RoleSupervisor:    {PermEnterpriseRead, PermCaseSupervise, PermPolicyRead, PermPolicyPushes, PermLiaisonAssign},
	RoleAdmin: {PermEnterpriseRead, PermEnterpriseWrite, PermEnterpriseVerify,
		PermEnterpriseImport, PermEnterpriseExport, PermTagManage, PermCalendarManage, PermCatalogueManage, PermLiaisonAssign},
	RoleSecurityAdmin: {PermAccountManage},
	RoleAuditor:       {PermAuditRead},
	RoleSystem: {PermEnterpriseRead, PermEnterpriseWrite, PermEnterpriseVerify,
		PermEnterpriseImport, PermEnterpriseExport, PermTagManage, PermAccountManage, PermAuditRead,
		PermCalendarManage, PermCatalogueManage, PermCaseIntake, PermCaseAccept, PermCaseReview, PermCaseDeliver,
		PermCaseSupervise, PermRectify, PermPolicyManage, PermPolicyReview, PermPolicyRead, PermPolicyPushes, PermLiaisonAssign},
}

// Permissions lists what a role may do.
func (r Role) Permissions() []Permission { return slices.Clone(rolePerms[r]) }

// Principal is an authenticated actor.
type Principal struct {
	AccountID       int64
	Username        string
	DisplayName     string
	Role            Role
	EnterpriseID    int64  // RoleEnterprise only
	DepartmentCode  string // RoleReviewer only
	InstitutionCode string // RoleBankStaff only
	ServicePoint    string // RoleAgent only: the service point (代办点) the agent works at
	Demo            bool
}

// Can reports whether p holds perm. A nil principal can do nothing.
func (p *Principal) Can(perm Permission) bool {
	if p == nil {
		return false
	}
	return slices.Contains(rolePerms[p.Role], perm)
}

// System returns the principal for the platform acting on its own behalf,
// named after what acts (e.g. "cli", "seed").
func System(name string) *Principal {
	return &Principal{Username: name, DisplayName: name, Role: RoleSystem}
}

// Request describes the HTTP request (or command) an action comes through.
type Request struct {
	ID        string
	IP        string
	UserAgent string
	Lang      i18n.Lang
}

type ctxKey int

const (
	principalKey ctxKey = iota
	requestKey
)

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey, p)
}

// PrincipalFrom returns the principal in ctx, or nil when anonymous.
func PrincipalFrom(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey).(*Principal)
	return p
}

// WithRequest returns ctx carrying r.
func WithRequest(ctx context.Context, r Request) context.Context {
	return context.WithValue(ctx, requestKey, r)
}

// RequestFrom returns the request metadata in ctx (zero when none).
func RequestFrom(ctx context.Context) Request {
	r, _ := ctx.Value(requestKey).(Request)
	return r
}
