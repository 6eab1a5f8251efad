package web

import "net/http"

// registerCatalogue adds the public catalogue, service-network, progress
// and catalogue-administration pages.
func (s *Server) registerCatalogue(mux *http.ServeMux) {}
