package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/servicepoint"
	"github.com/qinqing/qinqing/internal/standards"
)

// catPointForm backs the service-point edit form; Values keep what was
// typed.
type catPointForm struct {
	Code     string
	Values   map[string]string
	Services map[string]bool
	Errors   map[string]string
	Extra    []string // messages with no field of their own
	Tiers    []catOption
	Kinds    []catOption
	Offers   []catOption
	Streets  []standards.Region
}

// catPointFields are the point form's single-value inputs.
var catPointFields = []string{"name", "name_en", "tier", "agency_kind", "street_code", "address", "lat", "lng", "hours",
	"phone", "contact", "description", "matters"}

func newCatPointForm(code string) catPointForm {
	return catPointForm{Code: code, Values: map[string]string{}, Services: map[string]bool{}, Errors: map[string]string{},
		Tiers: catPointOptions(servicepoint.Tiers), Kinds: catPointOptions(servicepoint.AgencyKinds),
		Offers: catPointOptions(servicepoint.Services), Streets: standards.RegionChildren(beibei)}
}

// catStreetChoices offers Beibei's streets, plus the point's own street
// when it lies elsewhere in Chongqing.
func (d *catPointForm) catStreetChoices() {
	code := d.Values["street_code"]
	for _, st := range d.Streets {
		if st.Code == code {
			return
		}
	}
	if r, ok := standards.LookupRegion(code); ok && r.Level == standards.RegionStreet {
		d.Streets = append([]standards.Region{{Code: r.Code, Name: standards.RegionFullName(r.Code), Level: r.Level}}, d.Streets...)
	}
}

func (s *Server) catPointEdit(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.catRequire(w, r, identity.PermCatalogueManage); !ok {
		return
	}
	p, err := s.Points.ByCode(r.Context(), r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := newCatPointForm(p.Code)
	coord := func(f *float64) string {
		if f == nil {
			return ""
		}
		return strconv.FormatFloat(*f, 'f', -1, 64)
	}
	d.Values = map[string]string{"name": p.Name, "name_en": p.NameEn, "tier": p.Tier, "agency_kind": p.AgencyKind,
		"street_code": p.StreetCode, "address": p.Address, "lat": coord(p.Lat), "lng": coord(p.Lng), "hours": p.Hours,
		"phone": p.Phone, "contact": p.Contact, "description": p.Description, "matters": strings.Join(p.Matters, "\n")}
	if p.Active {
		d.Values["active"] = "on"
	}
	for _, sv := range p.Services {
		d.Services[sv] = true
	}
	d.catStreetChoices()
	s.render(w, r, http.StatusOK, "catalogue_point_form", i18n.M("编辑服务点：", "Edit service point: ").In(httpmw.Lang(r))+p.Name, d)
}

// catPointSave replaces every field of the point from the form, including
// the set of matters it takes in.
func (s *Server) catPointSave(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.catRequire(w, r, identity.PermCatalogueManage); !ok {
		return
	}
	ctx := r.Context()
	lang := httpmw.Lang(r)
	p, err := s.Points.ByCode(ctx, r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := newCatPointForm(p.Code)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, errs.Invalid("_form", i18n.M("表单无法解析", "The form could not be read")))
		return
	}
	for _, f := range catPointFields {
		d.Values[f] = strings.TrimSpace(r.PostFormValue(f))
	}
	active := r.PostFormValue("active") == "on"
	if active {
		d.Values["active"] = "on"
	}
	var services []string
	for _, sv := range r.PostForm["services"] {
		d.Services[sv] = true
		services = append(services, sv)
	}
	in := servicepoint.PointInput{Code: p.Code, Name: d.Values["name"], NameEn: d.Values["name_en"], Tier: d.Values["tier"],
		AgencyKind: d.Values["agency_kind"], StreetCode: d.Values["street_code"], Address: d.Values["address"],
		Hours: d.Values["hours"], Phone: d.Values["phone"], Contact: d.Values["contact"], Description: d.Values["description"],
		Services: services, Active: &active, Matters: []string{}}
	if in.Tier != servicepoint.TierAgency {
		in.AgencyKind = "" // the kind select is only meaningful for agency points
	}
	for _, c := range strings.FieldsFunc(d.Values["matters"], func(r rune) bool { return strings.ContainsRune(" \t\r\n,，;；、", r) }) {
		in.Matters = append(in.Matters, strings.ToUpper(c))
	}
	coord := func(name string) *float64 {
		v := d.Values[name]
		if v == "" {
			return nil
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			d.Errors[name] = i18n.M("请填写十进制度数，如 29.8253", "Enter decimal degrees, e.g. 29.8253").In(lang)
			return nil
		}
		return &f
	}
	in.Lat, in.Lng = coord("lat"), coord("lng")
	if len(d.Errors) == 0 {
		_, err := s.Points.Update(ctx, p.ID, in)
		if err == nil {
			s.setFlash(w, i18n.M("服务点已保存", "Service point saved").In(lang))
			redirect(w, r, "/service-points/"+p.Code)
			return
		}
		var e *errs.Error
		if !errors.As(err, &e) || len(e.Fields) == 0 {
			s.fail(w, r, err)
			return
		}
		for k, m := range e.Fields {
			switch {
			case k == "coordinates":
				catSet(d.Errors, "lat", m.In(lang))
			case k == "services" || slices.Contains(catPointFields, k):
				catSet(d.Errors, k, m.In(lang))
			default:
				d.Extra = append(d.Extra, m.In(lang))
			}
		}
	}
	d.catStreetChoices()
	s.render(w, r, http.StatusUnprocessableEntity, "catalogue_point_form", i18n.M("编辑服务点：", "Edit service point: ").In(lang)+p.Name, d)
}
