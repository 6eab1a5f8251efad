package web

import (
	"strings"

	"github.com/qinqing/qinqing/internal/casework"
	"github.com/qinqing/qinqing/internal/identity"
)

// caseSeesContact: those who handle the case or applied see the contact
// phone in full; supervisors see it masked.
func caseSeesContact(p *identity.Principal, c casework.Case) bool {
	return p.Can(identity.PermCaseIntake) || p.Can(identity.PermCaseAccept) || p.Can(identity.PermCaseReview) ||
		p.Can(identity.PermCaseDeliver) || casework.IsApplicant(p, c)
}

// maskPhone keeps the first three and last four characters.
func maskPhone(s string) string {
	r := []rune(s)
	if len(r) < 8 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:3]) + strings.Repeat("*", len(r)-7) + string(r[len(r)-4:])
}
