package api

import (
	"net/http"

	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/stats"
)

// registerStats adds the indicator routes.
func (s *Server) registerStats(mux *http.ServeMux) {
	s.handle(mux, "GET /api/v1/stats/government-services", s.governmentStats)
}

// governmentStats computes the 政务服务 indicators, each with its formula.
// They are public: the district publishes its service performance.
func (s *Server) governmentStats(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	rep, err := s.Stats.GovernmentServices(r.Context(), stats.Period{From: q.Get("from"), To: q.Get("to"), Department: q.Get("department")})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, stats.JSON(rep, httpmw.Lang(r)))
	return nil
}
