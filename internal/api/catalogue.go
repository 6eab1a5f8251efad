package api

import "net/http"

// registerCatalogue adds the catalogue, service-network and calendar routes.
func (s *Server) registerCatalogue(mux *http.ServeMux) {}
