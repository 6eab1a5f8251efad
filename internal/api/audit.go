package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
)

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}()

func (s *Server) listAudit(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireLogin(r); err != nil {
		return err
	}
	f, page, err := audit.ParseFilter(r.URL.Query(), shanghai)
	if err != nil {
		return err
	}
	recs, total, err := audit.List(r.Context(), s.DB, f)
	if err != nil {
		return err
	}
	if recs == nil {
		recs = []audit.Record{}
	}
	for i := range recs {
		recs[i].At = recs[i].At.UTC()
	}
	pages := (total + f.Limit - 1) / f.Limit
	writeJSON(w, http.StatusOK, listResponse[audit.Record]{Items: recs, Total: total, Page: page, PerPage: f.Limit, Pages: pages, HasNext: page < pages})
	return nil
}

func (s *Server) getJob(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireLogin(r); err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return errs.NotFound(i18n.M("任务", "Job"))
	}
	j, err := s.Jobs.Get(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, j)
	return nil
}
