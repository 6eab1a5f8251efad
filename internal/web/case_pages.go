package web

import "net/http"

// registerCases adds the application, case, queue, inbox and follow-up
// pages.
func (s *Server) registerCases(mux *http.ServeMux) {}
