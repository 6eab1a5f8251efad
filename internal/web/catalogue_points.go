package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"

	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/servicepoint"
	"github.com/qinqing/qinqing/internal/standards"
)

type catPointsData struct {
	Tier, Street, Service, Matter string
	MatterName                    i18n.Msg
	Tiers, Services               []catOption
	Streets                       []standards.Region
	Rows                          []catPointRow
	Total, Page, Pages            int
	HasNext                       bool
	Error                         string
}

// catPointList is the 三级四务 directory with its filters; ?matter= is how a
// matter's guide sends visitors here.
func (s *Server) catPointList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	lang := httpmw.Lang(r)
	q := r.URL.Query()
	d := catPointsData{Tier: q.Get("tier"), Street: q.Get("street"), Service: q.Get("service"), Matter: strings.TrimSpace(q.Get("matter")),
		Tiers: catPointOptions(servicepoint.Tiers), Services: catPointOptions(servicepoint.Services),
		Streets: standards.RegionChildren(beibei), Page: catPage(q)}
	if d.Matter != "" {
		if m, err := s.Matters.Get(ctx, d.Matter); err == nil {
			d.Matter = m.Code
			d.MatterName = i18n.M(m.Current.Name, catOr(m.Current.NameEn, m.Current.Name))
		}
	}
	points, err := s.Points.List(ctx, servicepoint.Filter{Tier: d.Tier, Street: d.Street, Service: d.Service, Matter: d.Matter, ActiveOnly: true})
	if err != nil {
		if errs.FieldsOf(err) == nil {
			s.fail(w, r, err)
			return
		}
		d.Error = errText(err, lang)
		d.Tier, d.Street, d.Service = "", "", ""
		if points, err = s.Points.List(ctx, servicepoint.Filter{Matter: d.Matter, ActiveOnly: true}); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	d.Total = len(points)
	d.Pages = max(1, (d.Total+catPerPage-1)/catPerPage)
	d.HasNext = d.Page < d.Pages
	from := min((d.Page-1)*catPerPage, len(points))
	for _, p := range points[from:min(from+catPerPage, len(points))] {
		d.Rows = append(d.Rows, catPointRowOf(p))
	}
	s.render(w, r, http.StatusOK, "catalogue_points", i18n.M("三级四务服务网络", "Service network").In(lang), d)
}

// catPointData is one point's page.
type catPointData struct {
	catPointRow
	P           servicepoint.Point
	Matters     []catRef
	WGS84       string
	GCJ02       string
	StreetFull  string
	CanEdit     bool
	Description string
}

// catPointPage shows a point with the matters it takes in and where it is.
func (s *Server) catPointPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, err := s.Points.ByCode(ctx, r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	manager := identity.PrincipalFrom(ctx).Can(identity.PermCatalogueManage)
	if !p.Active && !manager {
		s.fail(w, r, errs.NotFound(i18n.M("服务点", "Service point")))
		return
	}
	names, err := s.catMatterNames(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := catPointData{catPointRow: catPointRowOf(p), P: p, Matters: catSortedRefs(p.Matters, names), CanEdit: manager,
		StreetFull: standards.RegionFullName(p.StreetCode), Description: p.Description}
	if p.Lat != nil && p.Lng != nil {
		d.WGS84 = fmt.Sprintf("%.6f, %.6f", *p.Lat, *p.Lng)
		glat, glng := servicepoint.ToGCJ02(*p.Lat, *p.Lng)
		d.GCJ02 = fmt.Sprintf("%.6f, %.6f", glat, glng)
	}
	title := p.Name
	if httpmw.Lang(r) == i18n.En && p.NameEn != "" {
		title = p.NameEn
	}
	s.render(w, r, http.StatusOK, "catalogue_point", title, d)
}

// catPointsHSDS downloads the network as an Open Referral HSDS 3.0
// document.
func (s *Server) catPointsHSDS(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	if err := s.Points.ExportHSDS(r.Context(), &buf); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="service-points-hsds.json"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}
