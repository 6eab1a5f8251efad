package api

import (
	"context"
	"strings"

	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/matter"
	"github.com/qinqing/qinqing/internal/money"
	"github.com/qinqing/qinqing/internal/servicepoint"
	"github.com/qinqing/qinqing/internal/standards"
)

// The catalogue as the API speaks it: codes for machines, names in the
// request's language beside them, money in yuan (null: free of charge),
// dates YYYY-MM-DD.

// catalogueMatterSummary is a matter in a list.
type catalogueMatterSummary struct {
	Code               string     `json:"code"`
	Name               string     `json:"name"`
	NameEn             string     `json:"name_en"`
	DepartmentCode     string     `json:"department_code"`
	DepartmentName     string     `json:"department_name"`
	Type               string     `json:"type"`
	TypeName           string     `json:"type_name"`
	LegalLimitDays     int        `json:"legal_limit_days"`
	CommittedLimitDays int        `json:"committed_limit_days"`
	CaseType           string     `json:"case_type"`
	Flags              []string   `json:"flags"`
	OnlineDepth        int        `json:"online_depth"`
	Visits             int        `json:"visits"`
	MailDelivery       bool       `json:"mail_delivery"`
	FeeYuan            money.Yuan `json:"fee_yuan"`
	ResultName         string     `json:"result_name"`
	Events             []string   `json:"events"`
	InBundles          []string   `json:"in_bundles"`
	Version            int        `json:"version"`
	Score              *float64   `json:"score,omitempty"`
	Matched            []string   `json:"matched,omitempty"`
}

// catalogueMatterJSON is every element of one version of a matter.
type catalogueMatterJSON struct {
	catalogueMatterSummary
	BasicCode         string                  `json:"basic_code"`
	Active            bool                    `json:"active"`
	CurrentVersion    int                     `json:"current_version"`
	VersionDate       string                  `json:"version_date"`
	ChangeNote        string                  `json:"change_note"`
	ExerciseLevel     string                  `json:"exercise_level"`
	ExerciseLevelName string                  `json:"exercise_level_name"`
	LegalBasis        string                  `json:"legal_basis"`
	LimitNote         string                  `json:"limit_note"`
	CaseTypeName      string                  `json:"case_type_name"`
	FeeBasis          string                  `json:"fee_basis"`
	AcceptConditions  string                  `json:"accept_conditions"`
	Process           string                  `json:"process"`
	Location          string                  `json:"location"`
	Hours             string                  `json:"hours"`
	ConsultPhone      string                  `json:"consult_phone"`
	ComplaintPhone    string                  `json:"complaint_phone"`
	Materials         []catalogueMaterialJSON `json:"materials"`
	FormFields        []matter.FormField      `json:"form_fields"`
	Versions          []catalogueVersionJSON  `json:"versions"`
	Bundles           []catalogueRef          `json:"bundles"`
	ServicePoints     []cataloguePointJSON    `json:"service_points"`
}

type catalogueMaterialJSON struct {
	Seq        int    `json:"seq"`
	Name       string `json:"name"`
	Required   bool   `json:"required"`
	Form       string `json:"form"`
	FormName   string `json:"form_name"`
	Copies     int    `json:"copies"`
	Source     string `json:"source"`
	SourceName string `json:"source_name"`
	SourceRef  string `json:"source_ref"`
	// FromApplicant: the applicant hands it in; otherwise the platform
	// fetches it (once-only).
	FromApplicant bool   `json:"from_applicant"`
	Note          string `json:"note"`
}

type catalogueVersionJSON struct {
	Version    int    `json:"version"`
	Date       string `json:"date"`
	ChangeNote string `json:"change_note"`
}

// catalogueRef names a matter or bundle by code.
type catalogueRef struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

type catalogueBundleSummary struct {
	Code               string   `json:"code"`
	Name               string   `json:"name"`
	NameEn             string   `json:"name_en"`
	Description        string   `json:"description"`
	Events             []string `json:"events"`
	CommittedLimitDays int      `json:"committed_limit_days"`
	LeadDepartmentCode string   `json:"lead_department_code"`
	LeadDepartmentName string   `json:"lead_department_name"`
	Flags              []string `json:"flags"`
	MemberCodes        []string `json:"member_codes"`
	Active             bool     `json:"active"`
	Version            int      `json:"version"`
}

type catalogueBundleJSON struct {
	catalogueBundleSummary
	Members    []catalogueMatterSummary      `json:"members"`
	Materials  []catalogueBundleMaterialJSON `json:"materials"`
	FormFields []matter.FormField            `json:"form_fields"`
}

type catalogueBundleMaterialJSON struct {
	Key           string   `json:"key"`
	Name          string   `json:"name"`
	Required      bool     `json:"required"`
	Form          string   `json:"form"`
	Copies        int      `json:"copies"`
	Source        string   `json:"source"`
	SourceName    string   `json:"source_name"`
	SourceRef     string   `json:"source_ref"`
	FromApplicant bool     `json:"from_applicant"`
	Members       []string `json:"members"`
	RequiredBy    []string `json:"required_by"`
}

type cataloguePointJSON struct {
	Code           string   `json:"code"`
	Name           string   `json:"name"`
	NameEn         string   `json:"name_en"`
	Tier           string   `json:"tier"`
	TierName       string   `json:"tier_name"`
	AgencyKind     string   `json:"agency_kind,omitempty"`
	AgencyKindName string   `json:"agency_kind_name,omitempty"`
	StreetCode     string   `json:"street_code"`
	StreetName     string   `json:"street_name"`
	Address        string   `json:"address"`
	Lat            *float64 `json:"lat"`
	Lng            *float64 `json:"lng"`
	Hours          string   `json:"hours"`
	Phone          string   `json:"phone"`
	Contact        string   `json:"contact"`
	Services       []string `json:"services"`
	ServiceNames   []string `json:"service_names"`
	Description    string   `json:"description"`
	Active         bool     `json:"active"`
	MatterCount    int      `json:"matter_count"`
}

type cataloguePointDetail struct {
	cataloguePointJSON
	Matters []catalogueRef `json:"matters"`
}

// catalogueNames names departments in the request's language.
type catalogueNames struct {
	lang  i18n.Lang
	depts map[string]matter.Department
}

func (s *Server) catalogueNames(ctx context.Context, lang i18n.Lang) (catalogueNames, error) {
	list, err := s.Matters.Departments(ctx)
	if err != nil {
		return catalogueNames{}, err
	}
	n := catalogueNames{lang: lang, depts: make(map[string]matter.Department, len(list))}
	for _, d := range list {
		n.depts[d.Code] = d
	}
	return n, nil
}

func (n catalogueNames) dept(code string) string {
	d, ok := n.depts[code]
	if !ok {
		return code
	}
	if n.lang == i18n.En && d.NameEn != "" {
		return d.NameEn
	}
	return d.Name
}

func catalogueNonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// matterSummary describes version v of matter m.
func (n catalogueNames) matterSummary(m matter.Matter, v matter.Version) catalogueMatterSummary {
	flags := v.Flags().List()
	if len(m.InBundles) > 0 {
		flags = append(flags, matter.FlagInBundle)
	}
	return catalogueMatterSummary{Code: m.Code, Name: v.Name, NameEn: v.NameEn, DepartmentCode: v.DepartmentCode,
		DepartmentName: n.dept(v.DepartmentCode), Type: v.Type, TypeName: matter.TypeLabel(v.Type).In(n.lang),
		LegalLimitDays: v.LegalLimitDays, CommittedLimitDays: v.CommittedLimitDays, CaseType: v.CaseType, Flags: flags,
		OnlineDepth: v.OnlineDepth, Visits: v.Visits, MailDelivery: v.MailDelivery, FeeYuan: money.YuanOf(v.FeeFen),
		ResultName: v.ResultName, Events: catalogueNonNil(v.Events), InBundles: catalogueNonNil(m.InBundles), Version: v.Version}
}

// catalogueSourceName says in plain words who provides a material.
func catalogueSourceName(source string) i18n.Msg {
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

func (n catalogueNames) materials(ms []matter.Material) []catalogueMaterialJSON {
	out := make([]catalogueMaterialJSON, 0, len(ms))
	for _, m := range ms {
		out = append(out, catalogueMaterialJSON{Seq: m.Seq, Name: m.Name, Required: m.Required, Form: m.Form,
			FormName: matter.FormLabel(m.Form).In(n.lang), Copies: m.Copies, Source: m.Source,
			SourceName: catalogueSourceName(m.Source).In(n.lang), SourceRef: m.SourceRef,
			FromApplicant: m.Source == matter.SourceApplicant, Note: m.Note})
	}
	return out
}

func catalogueFormFields(fs []matter.FormField) []matter.FormField {
	if fs == nil {
		return []matter.FormField{}
	}
	return fs
}

func (n catalogueNames) bundleSummary(b matter.Bundle) catalogueBundleSummary {
	return catalogueBundleSummary{Code: b.Code, Name: b.Name, NameEn: b.NameEn, Description: b.Description,
		Events: catalogueNonNil(b.Events), CommittedLimitDays: b.CommittedLimitDays, LeadDepartmentCode: b.LeadDepartmentCode,
		LeadDepartmentName: n.dept(b.LeadDepartmentCode), Flags: b.Flags().List(), MemberCodes: catalogueNonNil(b.MemberCodes()),
		Active: b.Active, Version: b.Version}
}

func cataloguePoint(p servicepoint.Point, lang i18n.Lang) cataloguePointJSON {
	out := cataloguePointJSON{Code: p.Code, Name: p.Name, NameEn: p.NameEn, Tier: p.Tier,
		TierName: servicepoint.Label(servicepoint.Tiers, p.Tier).In(lang), AgencyKind: p.AgencyKind,
		StreetCode: p.StreetCode, Address: p.Address, Lat: p.Lat, Lng: p.Lng, Hours: p.Hours, Phone: p.Phone,
		Contact: p.Contact, Services: catalogueNonNil(p.Services), ServiceNames: []string{}, Description: p.Description,
		Active: p.Active, MatterCount: len(p.Matters)}
	if p.AgencyKind != "" {
		out.AgencyKindName = servicepoint.Label(servicepoint.AgencyKinds, p.AgencyKind).In(lang)
	}
	if r, ok := standards.LookupRegion(p.StreetCode); ok {
		out.StreetName = r.Name
	}
	for _, sv := range p.Services {
		out.ServiceNames = append(out.ServiceNames, servicepoint.Label(servicepoint.Services, sv).In(lang))
	}
	return out
}

// catalogueResolve maps a code or a label (Chinese or English) of opts to
// its code.
func catalogueResolve(opts []matter.Option, v string) (string, bool) {
	v = strings.TrimSpace(v)
	for _, o := range opts {
		if v == o.Code || v == o.Name.Zh || strings.EqualFold(v, o.Name.En) {
			return o.Code, true
		}
	}
	return "", false
}
