package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/matter"
	"github.com/qinqing/qinqing/internal/search"
)

// registerCatalogue adds the public catalogue, service-network, progress
// and catalogue-administration pages.
func (s *Server) registerCatalogue(mux *http.ServeMux) {
	mux.HandleFunc("GET /matters", s.catMatterList)
	mux.HandleFunc("GET /matters/{code}", s.catMatterGuide)
	mux.HandleFunc("GET /bundles", s.catBundleList)
	mux.HandleFunc("GET /bundles/{code}", s.catBundlePage)
	mux.HandleFunc("GET /service-points", s.catPointList)
	mux.HandleFunc("GET /service-points/hsds.json", s.catPointsHSDS)
	mux.HandleFunc("GET /service-points/{code}", s.catPointPage)
	mux.HandleFunc("GET /progress", s.catProgress)

	mux.HandleFunc("GET /admin/catalogue", s.catAdminPage)
	mux.HandleFunc("GET /admin/catalogue/export.xlsx", s.catExport)
	mux.HandleFunc("POST /admin/catalogue/import", s.catImport)
	mux.HandleFunc("POST /admin/matters/{code}/active", s.catSetActive)
	mux.HandleFunc("GET /admin/matters/{code}/edit", s.catMatterEdit)
	mux.HandleFunc("POST /admin/matters/{code}", s.catMatterSave)
	mux.HandleFunc("GET /admin/service-points/{code}/edit", s.catPointEdit)
	mux.HandleFunc("POST /admin/service-points/{code}", s.catPointSave)
	mux.HandleFunc("GET /admin/calendar", s.catCalendarPage)
	mux.HandleFunc("POST /admin/calendar", s.catCalendarUpload)
}

// catPerPage is the page size of the catalogue and the directory.
const catPerPage = 20

// catMatterRow is one matter in the catalogue list; Name and Result carry
// the search terms marked.
type catMatterRow struct {
	Code       string
	Name       []search.Segment
	Result     []search.Segment
	Department i18n.Msg
	Type       i18n.Msg
	Limits     i18n.Msg
	Flags      []catFlag
	Depth      int
	DepthName  i18n.Msg
	Fee        i18n.Msg
}

// catBundleHit is a bundle the search found beside the matters.
type catBundleHit struct {
	Code        string
	Name        []search.Segment
	Description string
	Limit       i18n.Msg
}

type catListData struct {
	Q, Department, Type, Flag, Event  string
	Departments, Types, Flags, Events []catOption
	Rows                              []catMatterRow
	Bundles                           []catBundleHit
	Total, Page, Pages                int
	Start                             int // the number of the page's first result
	HasNext                           bool
	Searched                          bool
	Error                             string
}

// catMatterList is the catalogue: search by Chinese, pinyin or initials
// through the search index, the filters as facets; without a query it lists
// the catalogue in its own order. With htmx the results update as one
// types (the page's "fragment" is the results block).
func (s *Server) catMatterList(w http.ResponseWriter, r *http.Request) {
	lang := httpmw.Lang(r)
	ctx := r.Context()
	q := r.URL.Query()
	depts, err := s.catDepartments(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := catListData{Q: strings.TrimSpace(q.Get("q")), Department: q.Get("department"), Type: q.Get("type"), Flag: q.Get("flag"),
		Event: q.Get("event"), Departments: depts.Options(), Types: catTypeOptions(), Flags: catMatterOptions(matter.FlagOptions),
		Events: catMatterOptions(matter.Events), Page: catPage(q)}
	// A filter value no list offers (an old or edited link) is dropped
	// with a notice rather than failing the page.
	var bad []string
	for _, f := range []struct {
		v    *string
		opts []catOption
		name i18n.Msg
	}{{&d.Department, d.Departments, i18n.M("部门", "department")}, {&d.Type, d.Types, i18n.M("事项类型", "type")},
		{&d.Flag, d.Flags, i18n.M("标签", "label")}, {&d.Event, d.Events, i18n.M("主题", "theme")}} {
		if *f.v != "" && !catHas(f.opts, *f.v) {
			bad = append(bad, f.name.In(lang))
			*f.v = ""
		}
	}
	if len(bad) > 0 {
		d.Error = i18n.M("已忽略无法识别的筛选条件：", "Ignored filters that were not recognised: ").In(lang) + strings.Join(bad, "、")
	}

	if d.Q != "" && s.Catalogue != nil {
		d.Searched = true
		filters := map[string][]string{"kind": {"matter"}}
		for k, v := range map[string]string{"department": d.Department, "type": d.Type, "flag": d.Flag, "event": d.Event} {
			if v != "" {
				filters[k] = []string{v}
			}
		}
		res := s.Catalogue.Search(search.Query{Text: d.Q, Filters: filters, Limit: catPerPage, Offset: (d.Page - 1) * catPerPage})
		d.Total = res.Total
		for _, h := range res.Hits {
			m, err := s.Matters.Get(ctx, strings.TrimPrefix(h.ID, "m:"))
			if err != nil {
				continue // withdrawn since the index was read
			}
			d.Rows = append(d.Rows, catRowOf(m, h.Matched, depts))
		}
		if d.Page == 1 {
			bres := s.Catalogue.Search(search.Query{Text: d.Q, Filters: map[string][]string{"kind": {"bundle"}}, Limit: 3})
			for _, h := range bres.Hits {
				b, err := s.Matters.GetBundle(ctx, strings.TrimPrefix(h.ID, "b:"))
				if err != nil || !b.Active {
					continue
				}
				d.Bundles = append(d.Bundles, catBundleHit{Code: b.Code, Name: catSegments(b.Name, h.Matched), Description: b.Description,
					Limit: catCommitted(b.CommittedLimitDays)})
			}
		}
	} else {
		all, err := s.Matters.List(ctx, matter.Filter{Department: d.Department, Type: d.Type, Flag: d.Flag, Event: d.Event, Q: d.Q, ActiveOnly: true})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.Total = len(all)
		from := min((d.Page-1)*catPerPage, len(all))
		for _, m := range all[from:min(from+catPerPage, len(all))] {
			d.Rows = append(d.Rows, catRowOf(m, nil, depts))
		}
	}
	d.Pages = max(1, (d.Total+catPerPage-1)/catPerPage)
	d.HasNext = d.Page < d.Pages
	d.Start = (d.Page-1)*catPerPage + 1
	s.render(w, r, http.StatusOK, "catalogue_matters", i18n.M("政务服务事项目录", "Government service catalogue").In(lang), d)
}

// catPage reads a 1-based page number; anything else is page 1.
func catPage(q url.Values) int {
	n, err := strconv.Atoi(q.Get("page"))
	if err != nil || n < 1 || n > 10000 {
		return 1
	}
	return n
}

func catRowOf(m matter.Matter, terms []string, depts catDepts) catMatterRow {
	v := m.Current
	row := catMatterRow{Code: m.Code, Name: catSegments(v.Name, terms), Department: depts.Name(v.DepartmentCode),
		Type: matter.TypeLabel(v.Type), Limits: catLimits(v.CommittedLimitDays, v.LegalLimitDays),
		Flags: catVersionFlags(v, len(m.InBundles) > 0), Depth: v.OnlineDepth, DepthName: matter.DepthLabel(v.OnlineDepth),
		Fee: catFee(v.FeeFen)}
	if v.ResultName != "" {
		row.Result = catSegments(v.ResultName, terms)
	}
	return row
}

// catGuide is the 办事指南 of one matter version.
type catGuide struct {
	M             matter.Matter
	V             matter.Version
	Current       bool
	Department    i18n.Msg
	Type          i18n.Msg
	ExerciseLevel i18n.Msg
	CaseType      i18n.Msg
	Visits        i18n.Msg
	Depth         i18n.Msg
	Committed     i18n.Msg
	Legal         i18n.Msg
	Fee           i18n.Msg
	Flags         []catFlag
	Events        []i18n.Msg
	Steps         []string
	Materials     []catMaterial
	ToHandIn      int // required materials the applicant provides
	Fields        []catField
	Bundles       []catRef
	Points        []catPointRow
	Versions      []catVersionRow
	Online        bool
	CanEdit       bool
}

type catVersionRow struct {
	Number  int
	Date    string
	Note    string
	Current bool
	Shown   bool
}

// catMatterGuide is the guide of an active matter: every element, where to
// get help, the bundles it is part of and its version history. ?version=N
// shows an earlier version.
func (s *Server) catMatterGuide(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	lang := httpmw.Lang(r)
	m, err := s.Matters.Get(ctx, r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := identity.PrincipalFrom(ctx)
	manager := p.Can(identity.PermCatalogueManage)
	if !m.Active && !manager {
		s.fail(w, r, errs.NotFound(i18n.M("事项", "Matter")))
		return
	}
	g := catGuide{M: m, V: m.Current, Current: true, CanEdit: manager}
	if vs := r.URL.Query().Get("version"); vs != "" {
		n, err := strconv.Atoi(vs)
		if err != nil || n < 1 || n > m.Versions {
			s.fail(w, r, errs.NotFound(i18n.M("事项版本", "Matter version")))
			return
		}
		if n != m.Versions {
			if g.V, err = s.Matters.Version(ctx, m.Code, n); err != nil {
				s.fail(w, r, err)
				return
			}
			g.Current = false
		}
	}
	depts, err := s.catDepartments(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := g.V
	g.Department = depts.Name(v.DepartmentCode)
	g.Type = matter.TypeLabel(v.Type)
	g.ExerciseLevel = catLabel(catMatterOptions(matter.ExerciseLevels), v.ExerciseLevel)
	g.CaseType = catLabel(catMatterOptions(matter.CaseTypes), v.CaseType)
	g.Visits = catVisits(v.Visits)
	g.Depth = matter.DepthLabel(v.OnlineDepth)
	g.Committed, g.Legal = catCommitted(v.CommittedLimitDays), catLegal(v.LegalLimitDays)
	g.Fee = catFee(v.FeeFen)
	g.Flags = catVersionFlags(v, len(m.InBundles) > 0)
	for _, e := range v.Events {
		g.Events = append(g.Events, matter.EventLabel(e))
	}
	g.Steps = catProcessSteps(v.Process)
	g.Materials = catMaterialsOf(v.Materials, depts)
	for _, mat := range v.Materials {
		if mat.Required && mat.Source == matter.SourceApplicant {
			g.ToHandIn++
		}
	}
	g.Fields = catFieldsOf(v.FormFields)
	g.Online = m.Active && g.Current && v.OnlineDepth >= 3
	for _, code := range m.InBundles {
		if b, err := s.Matters.GetBundle(ctx, code); err == nil && b.Active {
			g.Bundles = append(g.Bundles, catRef{Code: b.Code, Name: i18n.M(b.Name, catOr(b.NameEn, b.Name))})
		}
	}
	points, err := s.Points.PointsForMatter(ctx, m.Code)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, pt := range points {
		g.Points = append(g.Points, catPointRowOf(pt))
	}
	versions, err := s.Matters.Versions(ctx, m.Code)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, ver := range versions {
		g.Versions = append(g.Versions, catVersionRow{Number: ver.Version, Date: s.catDay(ver.CreatedAt), Note: ver.ChangeNote,
			Current: ver.Version == m.Versions, Shown: ver.Version == v.Version})
	}
	title := v.Name
	if lang == i18n.En && v.NameEn != "" {
		title = v.NameEn
	}
	s.render(w, r, http.StatusOK, "catalogue_matter", title, g)
}

// catBundleRow is a bundle in the list.
type catBundleRow struct {
	Code        string
	Name        i18n.Msg
	Description string
	Limit       i18n.Msg
	Lead        i18n.Msg
	Members     int
	Flags       []catFlag
	Events      []i18n.Msg
}

func (s *Server) catBundleList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	bundles, err := s.Matters.ListBundles(ctx, true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	depts, err := s.catDepartments(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows := make([]catBundleRow, 0, len(bundles))
	for _, b := range bundles {
		rows = append(rows, catBundleRowOf(b, depts))
	}
	s.render(w, r, http.StatusOK, "catalogue_bundles", i18n.M("一件事一次办", "One thing, one application").In(httpmw.Lang(r)), rows)
}

func catBundleRowOf(b matter.Bundle, depts catDepts) catBundleRow {
	row := catBundleRow{Code: b.Code, Name: i18n.M(b.Name, catOr(b.NameEn, b.Name)), Description: b.Description,
		Limit: catCommitted(b.CommittedLimitDays), Lead: depts.Name(b.LeadDepartmentCode), Members: len(b.Members),
		Flags: catFlagsOf(b.Flags().List())}
	for _, e := range b.Events {
		row.Events = append(row.Events, matter.EventLabel(e))
	}
	return row
}

// catBundleData is one bundle's page.
type catBundleData struct {
	catBundleRow
	MemberRows []catMemberRow
	Materials  []catMaterial
	ToHandIn   int
	Fields     []catField
	Online     bool
}

type catMemberRow struct {
	Code       string
	Name       i18n.Msg
	Department i18n.Msg
	Limits     i18n.Msg
	Flags      []catFlag
	Active     bool
}

// catBundlePage shows a 一件事: its members, the de-duplicated materials
// (saying which members need each) and the merged form.
func (s *Server) catBundlePage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	b, err := s.Matters.GetBundle(ctx, r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !b.Active && !identity.PrincipalFrom(ctx).Can(identity.PermCatalogueManage) {
		s.fail(w, r, errs.NotFound(i18n.M("一件事", "Bundle")))
		return
	}
	depts, err := s.catDepartments(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := catBundleData{catBundleRow: catBundleRowOf(b, depts), Fields: catFieldsOf(b.MergedForm()), Online: b.Active}
	names := map[string]i18n.Msg{}
	for _, v := range b.Members {
		name := i18n.M(v.Name, catOr(v.NameEn, v.Name))
		names[v.MatterCode] = name
		active := true
		if m, err := s.Matters.Get(ctx, v.MatterCode); err == nil {
			active = m.Active
		}
		d.MemberRows = append(d.MemberRows, catMemberRow{Code: v.MatterCode, Name: name, Department: depts.Name(v.DepartmentCode),
			Limits: catLimits(v.CommittedLimitDays, v.LegalLimitDays), Flags: catVersionFlags(v, false), Active: active})
	}
	refs := func(codes []string) []catRef {
		out := make([]catRef, 0, len(codes))
		for _, c := range codes {
			out = append(out, catRef{Code: c, Name: names[c]})
		}
		return out
	}
	for i, bm := range b.Materials() {
		cm := catMaterial{Seq: i + 1, Name: bm.Name, Required: bm.Required, Form: matter.FormLabel(bm.Form), Copies: bm.Copies,
			Source: bm.Source, SourceBadge: catSourceBadge(bm.Source), SourceRef: catSourceRef(bm.Source, bm.SourceRef, depts),
			Members: refs(bm.Members), RequiredBy: refs(bm.RequiredBy)}
		if cm.Required && cm.Source == matter.SourceApplicant {
			d.ToHandIn++
		}
		d.Materials = append(d.Materials, cm)
	}
	title := b.Name
	if httpmw.Lang(r) == i18n.En && b.NameEn != "" {
		title = b.NameEn
	}
	s.render(w, r, http.StatusOK, "catalogue_bundle", title, d)
}

// catMatterNames names matters by code (active or not), for lists of codes.
func (s *Server) catMatterNames(r *http.Request) (map[string]i18n.Msg, error) {
	all, err := s.Matters.List(r.Context(), matter.Filter{})
	if err != nil {
		return nil, err
	}
	out := make(map[string]i18n.Msg, len(all))
	for _, m := range all {
		out[m.Code] = i18n.M(m.Current.Name, catOr(m.Current.NameEn, m.Current.Name))
	}
	return out, nil
}

// catSortedRefs turns codes into links named by names, in code order (the
// catalogue's codes group matters by type and department).
func catSortedRefs(codes []string, names map[string]i18n.Msg) []catRef {
	out := make([]catRef, 0, len(codes))
	for _, c := range codes {
		n, ok := names[c]
		if !ok {
			n = i18n.M(c, c)
		}
		out = append(out, catRef{Code: c, Name: n})
	}
	slices.SortStableFunc(out, func(a, b catRef) int { return strings.Compare(a.Code, b.Code) })
	return out
}
