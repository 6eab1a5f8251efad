package api

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/matter"
	"github.com/qinqing/qinqing/internal/search"
)

// registerCatalogue adds the catalogue, service-network and calendar routes.
// Reading is public; loading a holiday schedule needs calendar.manage.
func (s *Server) registerCatalogue(mux *http.ServeMux) {
	s.handle(mux, "GET /api/v1/matters", s.listMatters)
	s.handle(mux, "GET /api/v1/matters/{code}", s.getMatter)
	s.handle(mux, "GET /api/v1/bundles", s.listBundles)
	s.handle(mux, "GET /api/v1/bundles/{code}", s.getBundle)
	s.handle(mux, "GET /api/v1/service-points", s.listServicePoints)
	s.handle(mux, "GET /api/v1/service-points/hsds.json", s.servicePointsHSDS)
	s.handle(mux, "GET /api/v1/service-points/{code}", s.getServicePoint)
	s.handle(mux, "GET /api/v1/calendar/deadline", s.calendarDeadline)
	s.handle(mux, "GET /api/v1/calendar/years", s.calendarYears)
	s.handle(mux, "POST /api/v1/calendar/years", s.idempotent(s.saveCalendarYear))
}

// catalogueMaxPerPage bounds per_page of the matter list.
const catalogueMaxPerPage = 100

// cataloguePaging reads page (1-based) and per_page (default 20).
func cataloguePaging(q url.Values, f errs.Fields) (page, perPage int) {
	page, perPage = 1, search.DefaultLimit
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100000 {
			f.Add("page", i18n.M("页码应为正整数", "page must be a positive whole number"))
		} else {
			page = n
		}
	}
	if v := q.Get("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > catalogueMaxPerPage {
			f.Add("per_page", i18n.M("每页条数应为 1–100", "per_page must be 1–100"))
		} else {
			perPage = n
		}
	}
	return page, perPage
}

// matterQuery is a checked matter-list request, filters as codes.
type matterQuery struct {
	q, department, typ, flag, event string
	page, perPage                   int
}

func (s *Server) readMatterQuery(r *http.Request) (matterQuery, error) {
	q := r.URL.Query()
	f := errs.Fields{}
	mq := matterQuery{q: strings.TrimSpace(q.Get("q"))}
	mq.page, mq.perPage = cataloguePaging(q, f)
	if d := strings.ToUpper(strings.TrimSpace(q.Get("department"))); d != "" {
		deps, err := s.Matters.Departments(r.Context())
		if err != nil {
			return mq, err
		}
		for _, dep := range deps {
			if dep.Code == d || dep.Name == q.Get("department") {
				mq.department = dep.Code
			}
		}
		if mq.department == "" {
			f.Add("department", i18n.M("未知的部门："+d, "Unknown department: "+d))
		}
	}
	types := make([]matter.Option, len(matter.Types))
	for i, t := range matter.Types {
		types[i] = t.Option
	}
	for _, p := range []struct {
		name string
		dst  *string
		opts []matter.Option
		msg  i18n.Msg
	}{{"type", &mq.typ, types, i18n.M("未知的事项类型", "Unknown matter type")},
		{"flag", &mq.flag, matter.FlagOptions, i18n.M("未知的标签", "Unknown flag")},
		{"event", &mq.event, matter.Events, i18n.M("未知的主题", "Unknown event")}} {
		v := strings.TrimSpace(q.Get(p.name))
		if v == "" {
			continue
		}
		code, ok := catalogueResolve(p.opts, v)
		if !ok {
			f.Add(p.name, i18n.M(p.msg.Zh+"："+v, p.msg.En+": "+v))
		}
		*p.dst = code
	}
	return mq, f.Err()
}

// listMatters lists the active catalogue: with q, in search order (Chinese,
// pinyin or initials) with each hit's score and matched terms; without, in
// the catalogue's own order.
func (s *Server) listMatters(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	mq, err := s.readMatterQuery(r)
	if err != nil {
		return err
	}
	names, err := s.catalogueNames(ctx, httpmw.Lang(r))
	if err != nil {
		return err
	}
	out := listResponse[catalogueMatterSummary]{Items: []catalogueMatterSummary{}, Page: mq.page, PerPage: mq.perPage}
	if mq.q != "" && s.Catalogue != nil {
		filters := map[string][]string{"kind": {"matter"}}
		for k, v := range map[string]string{"department": mq.department, "type": mq.typ, "flag": mq.flag, "event": mq.event} {
			if v != "" {
				filters[k] = []string{v}
			}
		}
		res := s.Catalogue.Search(search.Query{Text: mq.q, Filters: filters, Limit: mq.perPage, Offset: (mq.page - 1) * mq.perPage})
		out.Total = res.Total
		for _, h := range res.Hits {
			m, err := s.Matters.Get(ctx, strings.TrimPrefix(h.ID, "m:"))
			if err != nil || !m.Active {
				continue // withdrawn since the index was read
			}
			item := names.matterSummary(m, m.Current)
			score := h.Score
			item.Score, item.Matched = &score, h.Matched
			out.Items = append(out.Items, item)
		}
	} else {
		all, err := s.Matters.List(ctx, matter.Filter{Department: mq.department, Type: mq.typ, Flag: mq.flag, Event: mq.event,
			Q: mq.q, ActiveOnly: true})
		if err != nil {
			return err
		}
		out.Total = len(all)
		from := min((mq.page-1)*mq.perPage, len(all))
		for _, m := range all[from:min(from+mq.perPage, len(all))] {
			out.Items = append(out.Items, names.matterSummary(m, m.Current))
		}
	}
	out.Pages = (out.Total + mq.perPage - 1) / mq.perPage
	out.HasNext = mq.page < out.Pages
	writeJSON(w, http.StatusOK, out)
	return nil
}

// getMatter returns every element of a matter — the current version, or
// ?version=N — with its materials, form, version history, the bundles it
// belongs to and the service points that take it in. A withdrawn matter is
// visible only to catalogue managers.
func (s *Server) getMatter(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	lang := httpmw.Lang(r)
	m, err := s.Matters.Get(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	if !m.Active && !identity.PrincipalFrom(ctx).Can(identity.PermCatalogueManage) {
		return errs.NotFound(i18n.M("事项", "Matter"))
	}
	v := m.Current
	if vs := r.URL.Query().Get("version"); vs != "" {
		n, err := strconv.Atoi(vs)
		if err != nil || n < 1 {
			return errs.Invalid("version", i18n.M("版本号应为正整数", "version must be a positive whole number"))
		}
		if v, err = s.Matters.Version(ctx, m.Code, n); err != nil {
			return err
		}
	}
	names, err := s.catalogueNames(ctx, lang)
	if err != nil {
		return err
	}
	out := catalogueMatterJSON{catalogueMatterSummary: names.matterSummary(m, v), BasicCode: m.BasicCode, Active: m.Active,
		CurrentVersion: m.Versions, VersionDate: v.CreatedAt.In(shanghai).Format("2006-01-02"), ChangeNote: v.ChangeNote,
		ExerciseLevel: v.ExerciseLevel, LegalBasis: v.LegalBasis, LimitNote: v.LimitNote, FeeBasis: v.FeeBasis,
		AcceptConditions: v.AcceptConditions, Process: v.Process, Location: v.Location, Hours: v.Hours,
		ConsultPhone: v.ConsultPhone, ComplaintPhone: v.ComplaintPhone, Materials: names.materials(v.Materials),
		FormFields: catalogueFormFields(v.FormFields), Versions: []catalogueVersionJSON{}, Bundles: []catalogueRef{},
		ServicePoints: []cataloguePointJSON{}}
	for _, o := range matter.ExerciseLevels {
		if o.Code == v.ExerciseLevel {
			out.ExerciseLevelName = o.Name.In(lang)
		}
	}
	for _, o := range matter.CaseTypes {
		if o.Code == v.CaseType {
			out.CaseTypeName = o.Name.In(lang)
		}
	}
	versions, err := s.Matters.Versions(ctx, m.Code)
	if err != nil {
		return err
	}
	for _, ver := range versions {
		out.Versions = append(out.Versions, catalogueVersionJSON{Version: ver.Version, Date: ver.CreatedAt.In(shanghai).Format("2006-01-02"),
			ChangeNote: ver.ChangeNote})
	}
	for _, code := range m.InBundles {
		if b, err := s.Matters.GetBundle(ctx, code); err == nil && b.Active {
			out.Bundles = append(out.Bundles, catalogueRef{Code: b.Code, Name: b.Name})
		}
	}
	points, err := s.Points.PointsForMatter(ctx, m.Code)
	if err != nil {
		return err
	}
	for _, p := range points {
		out.ServicePoints = append(out.ServicePoints, cataloguePoint(p, lang))
	}
	w.Header().Set("ETag", etag(m.Versions))
	writeJSON(w, http.StatusOK, out)
	return nil
}

// listBundles lists the active 一件事 bundles.
func (s *Server) listBundles(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	bundles, err := s.Matters.ListBundles(ctx, true)
	if err != nil {
		return err
	}
	names, err := s.catalogueNames(ctx, httpmw.Lang(r))
	if err != nil {
		return err
	}
	items := make([]catalogueBundleSummary, 0, len(bundles))
	for _, b := range bundles {
		items = append(items, names.bundleSummary(b))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": len(items)})
	return nil
}

// getBundle returns a bundle with its members, its de-duplicated materials
// (naming the members that need each) and its merged form.
func (s *Server) getBundle(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	lang := httpmw.Lang(r)
	b, err := s.Matters.GetBundle(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	if !b.Active && !identity.PrincipalFrom(ctx).Can(identity.PermCatalogueManage) {
		return errs.NotFound(i18n.M("一件事", "Bundle"))
	}
	names, err := s.catalogueNames(ctx, lang)
	if err != nil {
		return err
	}
	out := catalogueBundleJSON{catalogueBundleSummary: names.bundleSummary(b), Members: []catalogueMatterSummary{},
		Materials: []catalogueBundleMaterialJSON{}, FormFields: catalogueFormFields(b.MergedForm())}
	for _, v := range b.Members {
		m, err := s.Matters.Get(ctx, v.MatterCode)
		if err != nil {
			return err
		}
		out.Members = append(out.Members, names.matterSummary(m, v))
	}
	for _, bm := range b.Materials() {
		out.Materials = append(out.Materials, catalogueBundleMaterialJSON{Key: bm.Key, Name: bm.Name, Required: bm.Required,
			Form: bm.Form, Copies: bm.Copies, Source: bm.Source, SourceName: catalogueSourceName(bm.Source).In(lang),
			SourceRef: bm.SourceRef, FromApplicant: bm.Source == matter.SourceApplicant, Members: catalogueNonNil(bm.Members),
			RequiredBy: catalogueNonNil(bm.RequiredBy)})
	}
	w.Header().Set("ETag", etag(b.Version))
	writeJSON(w, http.StatusOK, out)
	return nil
}
