package web

import (
	"net/http"

	"github.com/qinqing/qinqing/internal/identity"
)

// registerPolicy adds the policy supermarket's pages: the public shelves,
// calculator and 公示, the enterprise's matches and applications, and the
// policy officer's editor, review and payment pages.
func (s *Server) registerPolicy(mux *http.ServeMux) {
	mux.HandleFunc("GET /policy-builder/row", s.pbRowFragment)
	mux.HandleFunc("POST /policy-builder", s.pbCommandFragment)
}

// policyEditor reports whether p writes policy rules.
func policyEditor(p *identity.Principal) bool {
	return p != nil && (p.Role == identity.RolePolicyOfficer || p.Role == identity.RoleSystem)
}
