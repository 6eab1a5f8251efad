package identity

import "testing"

func TestDenyByDefault(t *testing.T) {
	var nobody *Principal
	if nobody.Can(PermEnterpriseRead) {
		t.Error("an anonymous caller can read enterprises")
	}
	unknown := &Principal{Role: "hacker"}
	if unknown.Can(PermEnterpriseRead) {
		t.Error("an unknown role has a permission")
	}
}

func TestAdministratorDutiesAreSeparated(t *testing.T) {
	// 等保 level 3: system, security and audit administration are separate.
	admin := &Principal{Role: RoleAdmin}
	sec := &Principal{Role: RoleSecurityAdmin}
	aud := &Principal{Role: RoleAuditor}
	if admin.Can(PermAccountManage) || admin.Can(PermAuditRead) {
		t.Error("the system administrator can manage accounts or read the audit trail")
	}
	if sec.Can(PermAuditRead) || sec.Can(PermEnterpriseWrite) {
		t.Error("the security administrator can read the audit trail or edit enterprises")
	}
	if aud.Can(PermAccountManage) || aud.Can(PermEnterpriseRead) {
		t.Error("the auditor can manage accounts or read enterprises")
	}
}

func TestEveryRoleHasALabelAndSystemIsNotAssignable(t *testing.T) {
	for _, r := range Roles {
		if r.Label().Zh == string(r) {
			t.Errorf("role %s has no Chinese label", r)
		}
	}
	if RoleSystem.Valid() {
		t.Error("the system role can be given to an account")
	}
	if RoleEnterprise.IsStaff() || !RoleReviewer.IsStaff() {
		t.Error("IsStaff is wrong")
	}
}
