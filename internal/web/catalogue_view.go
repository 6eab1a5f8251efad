package web

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/matter"
	"github.com/qinqing/qinqing/internal/money"
	"github.com/qinqing/qinqing/internal/search"
	"github.com/qinqing/qinqing/internal/servicepoint"
	"github.com/qinqing/qinqing/internal/standards"
)

// The catalogue pages hand their templates view values whose texts are
// already bilingual (i18n.Msg, printed with msg), so the templates need no
// helpers beyond the shared ones.

// catOption is one choice of a select or a set of checkboxes.
type catOption struct {
	Code string
	Name i18n.Msg
}

// catFlag is a reform label shown as a badge; Code picks its colour.
type catFlag struct {
	Code string
	Name i18n.Msg
}

// catDepts names the district departments by code.
type catDepts struct {
	byCode map[string]matter.Department
	list   []matter.Department
}

func (s *Server) catDepartments(ctx context.Context) (catDepts, error) {
	list, err := s.Matters.Departments(ctx)
	if err != nil {
		return catDepts{}, err
	}
	d := catDepts{byCode: make(map[string]matter.Department, len(list)), list: list}
	for _, dep := range list {
		d.byCode[dep.Code] = dep
	}
	return d, nil
}

// Name is the department's name in both languages, or its code when it is
// unknown.
func (d catDepts) Name(code string) i18n.Msg {
	dep, ok := d.byCode[code]
	if !ok {
		return i18n.M(code, code)
	}
	return i18n.M(dep.Name, catOr(dep.NameEn, dep.Name))
}

// Options lists the departments for a filter or a form.
func (d catDepts) Options() []catOption {
	out := make([]catOption, 0, len(d.list))
	for _, dep := range d.list {
		out = append(out, catOption{Code: dep.Code, Name: d.Name(dep.Code)})
	}
	return out
}

func catOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func catMatterOptions(opts []matter.Option) []catOption {
	out := make([]catOption, len(opts))
	for i, o := range opts {
		out[i] = catOption{Code: o.Code, Name: o.Name}
	}
	return out
}

func catTypeOptions() []catOption {
	out := make([]catOption, len(matter.Types))
	for i, t := range matter.Types {
		out[i] = catOption{Code: t.Code, Name: t.Name}
	}
	return out
}

func catPointOptions(opts []servicepoint.Option) []catOption {
	out := make([]catOption, len(opts))
	for i, o := range opts {
		out[i] = catOption{Code: o.Code, Name: o.Name}
	}
	return out
}

func catLabel(opts []catOption, code string) i18n.Msg {
	for _, o := range opts {
		if o.Code == code {
			return o.Name
		}
	}
	return i18n.M(code, code)
}

func catHas(opts []catOption, code string) bool {
	for _, o := range opts {
		if o.Code == code {
			return true
		}
	}
	return false
}

// workingDays is "N 个工作日" in both languages.
func catWorkingDays(n int) i18n.Msg {
	en := fmt.Sprintf("%d working days", n)
	if n == 1 {
		en = "1 working day"
	}
	return i18n.M(fmt.Sprintf("%d 个工作日", n), en)
}

// committedLimit says what the department promises: "承诺 1 个工作日", or
// "当场办结" for a matter decided on the spot.
func catCommitted(days int) i18n.Msg {
	if days == 0 {
		return i18n.M("承诺当场办结", "Committed: decided on the spot")
	}
	w := catWorkingDays(days)
	return i18n.M("承诺 "+w.Zh, "Committed: "+w.En)
}

// legalLimit is the statutory limit, "法定 3 个工作日" or "无法定时限".
func catLegal(days int) i18n.Msg {
	if days == 0 {
		return i18n.M("无法定时限", "No statutory limit")
	}
	w := catWorkingDays(days)
	return i18n.M("法定 "+w.Zh, "Statutory: "+w.En)
}

// limits puts the promise next to the law: "承诺 1 个工作日 / 法定 3 个工作日".
func catLimits(committed, legal int) i18n.Msg {
	c, l := catCommitted(committed), catLegal(legal)
	return i18n.M(c.Zh+" / "+l.Zh, c.En+" / "+l.En)
}

// feeText is "不收费" or the amount in yuan.
func catFee(fen *int64) i18n.Msg {
	if fen == nil {
		return i18n.M("不收费", "Free of charge")
	}
	y := money.FormatYuan(*fen)
	return i18n.M(y+" 元", y+" yuan")
}

// versionFlags lists a version's reform labels, with 一件事 when the matter
// belongs to an active bundle.
func catVersionFlags(v matter.Version, inBundle bool) []catFlag {
	names := v.Flags().List()
	if inBundle {
		names = append(names, matter.FlagInBundle)
	}
	return catFlagsOf(names)
}

func catFlagsOf(names []string) []catFlag {
	out := make([]catFlag, 0, len(names))
	for _, n := range names {
		out = append(out, catFlag{Code: n, Name: matter.FlagLabel(n)})
	}
	return out
}

// visitsLabel reads 到办事现场次数.
func catVisits(n int) i18n.Msg {
	for _, o := range matter.VisitOptions {
		if o.Code == fmt.Sprint(n) {
			return o.Name
		}
	}
	return i18n.M(fmt.Sprint(n), fmt.Sprint(n))
}

// catMaterial is one application material as the guide shows it: the
// source is said in plain words, and whether the applicant hands it in.
type catMaterial struct {
	Seq         int
	Name        string
	Required    bool
	Form        i18n.Msg
	Copies      int
	Source      string
	SourceBadge i18n.Msg
	SourceRef   i18n.Msg
	Note        string
	Members     []catRef // bundles: the members that list it
	RequiredBy  []catRef // bundles: the members that require it
}

// catRef links to a matter or bundle by code.
type catRef struct {
	Code string
	Name i18n.Msg
}

// sourceBadge is the plain-language badge of a material source: whether
// the applicant hands it in or the platform fetches it (once-only).
func catSourceBadge(source string) i18n.Msg {
	switch source {
	case matter.SourceApplicant:
		return i18n.M("申请人提供", "Provided by the applicant")
	case matter.SourceLicense:
		return i18n.M("电子证照共享，免提交", "Shared e-licence, nothing to hand in")
	case matter.SourceDepartment:
		return i18n.M("部门间共享，免提交", "Shared between departments, nothing to hand in")
	case matter.SourcePlatform:
		return i18n.M("一企一档已有，免提交", "Already in the enterprise profile, nothing to hand in")
	}
	return matter.SourceLabel(source)
}

// sourceRef explains where a shared material comes from.
func catSourceRef(source, ref string, depts catDepts) i18n.Msg {
	switch {
	case ref == "":
		return i18n.Msg{}
	case source == matter.SourceLicense:
		return i18n.M("电子证照："+ref, "E-licence: "+ref)
	case source == matter.SourceDepartment:
		n := depts.Name(ref)
		return i18n.M("出具部门："+n.Zh, "Issued by: "+n.En)
	case source == matter.SourcePlatform && ref == matter.ProfileRef:
		return i18n.M("一企一档企业档案", "The enterprise profile")
	case source == matter.SourcePlatform:
		for _, f := range matter.PrefillFields {
			if f.Code == ref {
				return i18n.M("一企一档："+f.Name.Zh, "Enterprise profile: "+f.Name.En)
			}
		}
	}
	return i18n.M(ref, ref)
}

func catMaterialsOf(ms []matter.Material, depts catDepts) []catMaterial {
	out := make([]catMaterial, 0, len(ms))
	for _, m := range ms {
		out = append(out, catMaterial{Seq: m.Seq, Name: m.Name, Required: m.Required, Form: matter.FormLabel(m.Form),
			Copies: m.Copies, Source: m.Source, SourceBadge: catSourceBadge(m.Source), SourceRef: catSourceRef(m.Source, m.SourceRef, depts),
			Note: m.Note})
	}
	return out
}

// catField is one field of an online form.
type catField struct {
	Name     string
	Label    i18n.Msg
	Type     i18n.Msg
	Required bool
	Options  []string
	Prefill  i18n.Msg
}

func catFieldsOf(fs []matter.FormField) []catField {
	out := make([]catField, 0, len(fs))
	for _, f := range fs {
		cf := catField{Name: f.Name, Label: i18n.M(f.LabelZh, catOr(f.LabelEn, f.LabelZh)), Type: catLabel(catMatterOptions(matter.FieldTypes), f.Type),
			Required: f.Required, Options: f.Options}
		if f.Prefill != "" {
			p := catLabel(catMatterOptions(matter.PrefillFields), f.Prefill)
			cf.Prefill = i18n.M("由一企一档自动填写："+p.Zh, "Filled in from the enterprise profile: "+p.En)
		}
		out = append(out, cf)
	}
	return out
}

// catPointRow is a service point in a list.
type catPointRow struct {
	Code     string
	Name     i18n.Msg
	Tier     string
	TierName i18n.Msg
	Kind     i18n.Msg
	Street   string
	Address  string
	Hours    string
	Phone    string
	Services []i18n.Msg
	Matters  int
	Active   bool
}

func catPointRowOf(p servicepoint.Point) catPointRow {
	row := catPointRow{Code: p.Code, Name: i18n.M(p.Name, catOr(p.NameEn, p.Name)), Tier: p.Tier,
		TierName: servicepoint.Label(servicepoint.Tiers, p.Tier), Street: catStreetName(p.StreetCode), Address: p.Address,
		Hours: p.Hours, Phone: p.Phone, Matters: len(p.Matters), Active: p.Active}
	if p.AgencyKind != "" {
		row.Kind = servicepoint.Label(servicepoint.AgencyKinds, p.AgencyKind)
	}
	for _, sv := range p.Services {
		row.Services = append(row.Services, servicepoint.Label(servicepoint.Services, sv))
	}
	return row
}

// streetName is a street's name, with its district when it is not in
// Beibei.
func catStreetName(code string) string {
	r, ok := standards.LookupRegion(code)
	if !ok {
		return code
	}
	if strings.HasPrefix(r.Code, beibei) {
		return r.Name
	}
	return standards.RegionFullName(code)
}

// segments is the text with the search terms marked, or the plain text.
func catSegments(text string, terms []string) []search.Segment {
	if text == "" {
		return nil
	}
	if len(terms) == 0 {
		return []search.Segment{{Text: text}}
	}
	return search.Highlight(text, terms)
}

// processSteps cuts a process written as "步骤→步骤→步骤" into its steps.
func catProcessSteps(p string) []string {
	var out []string
	for _, st := range strings.FieldsFunc(p, func(r rune) bool { return r == '→' || r == '\n' }) {
		if st = strings.TrimSpace(st); st != "" {
			out = append(out, st)
		}
	}
	return out
}

// day formats a time as a date in China.
func (s *Server) catDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(s.loc).Format("2006-01-02")
}
