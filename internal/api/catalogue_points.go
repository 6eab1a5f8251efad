package api

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/matter"
	"github.com/qinqing/qinqing/internal/servicepoint"
)

// listServicePoints lists the active points of the 三级四务 network, filtered
// by tier, street (or a whole district), service and a matter they take in.
func (s *Server) listServicePoints(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	points, err := s.Points.List(r.Context(), servicepoint.Filter{Tier: q.Get("tier"), Street: q.Get("street"),
		Service: q.Get("service"), Matter: strings.ToUpper(strings.TrimSpace(q.Get("matter"))), ActiveOnly: true})
	if err != nil {
		return err
	}
	lang := httpmw.Lang(r)
	items := make([]cataloguePointJSON, 0, len(points))
	for _, p := range points {
		items = append(items, cataloguePoint(p, lang))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": len(items)})
	return nil
}

// getServicePoint returns a point with the matters it takes in. An inactive
// point is visible only to catalogue managers.
func (s *Server) getServicePoint(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, err := s.Points.ByCode(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	if !p.Active && !identity.PrincipalFrom(ctx).Can(identity.PermCatalogueManage) {
		return errs.NotFound(i18n.M("服务点", "Service point"))
	}
	all, err := s.Matters.List(ctx, matter.Filter{})
	if err != nil {
		return err
	}
	names := make(map[string]string, len(all))
	for _, m := range all {
		names[m.Code] = m.Current.Name
	}
	out := cataloguePointDetail{cataloguePointJSON: cataloguePoint(p, httpmw.Lang(r)), Matters: []catalogueRef{}}
	for _, c := range p.Matters {
		out.Matters = append(out.Matters, catalogueRef{Code: c, Name: names[c]})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// servicePointsHSDS is the active network as an Open Referral HSDS 3.0
// document, as a download.
func (s *Server) servicePointsHSDS(w http.ResponseWriter, r *http.Request) error {
	var buf bytes.Buffer
	if err := s.Points.ExportHSDS(r.Context(), &buf); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="service-points-hsds.json"`)
	w.Header().Set("Cache-Control", "no-store")
	_, err := w.Write(buf.Bytes())
	return err
}
