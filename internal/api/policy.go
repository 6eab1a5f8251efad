package api

import "net/http"

// registerPolicy adds the policy supermarket's routes: the eligibility
// catalogue, policies, matching, the calculator, fulfilment and 免申即享.
func (s *Server) registerPolicy(mux *http.ServeMux) {
	s.handle(mux, "GET /api/v1/eligibility/attributes", s.eligibilityAttributes)
}
