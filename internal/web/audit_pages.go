package web

import (
	"net/http"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
)

type auditData struct {
	Filter  audit.Filter
	Query   map[string]string
	Records []audit.Record
	Total   int
	Page    int
	Pages   int
	Error   string
	Verify  *audit.Report
}

// auditPage lets an auditor browse and filter the trail and verify the
// hash chain.
func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.requireUser(w, r)
	if !ok {
		return
	}
	lang := httpmw.Lang(r)
	q := r.URL.Query()
	d := auditData{Query: map[string]string{}}
	for _, k := range []string{"actor", "action", "object_type", "object_id", "result", "from", "to"} {
		d.Query[k] = q.Get(k)
	}
	f, page, err := audit.ParseFilter(q, s.loc)
	if err != nil {
		d.Error = errText(err, lang)
		f, page = audit.Filter{Limit: 50}, 1
	}
	recs, total, err := audit.List(r.Context(), s.DB, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Filter, d.Records, d.Total, d.Page = f, recs, total, page
	d.Pages = (total + f.Limit - 1) / f.Limit
	if q.Get("verify") != "" && p.Can(identity.PermAuditRead) {
		rep, err := audit.Verify(r.Context(), s.DB, nil)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.Verify = &rep
	}
	s.render(w, r, http.StatusOK, "audit", i18n.M("审计日志", "Audit trail").In(lang), d)
}
