package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/money"
	"github.com/qinqing/qinqing/internal/standards"
)

// enterpriseJSON is a profile as the API speaks it: money in yuan, derived
// size and 规上 status with their basis in the request's language.
type enterpriseJSON struct {
	ID                    int64      `json:"id"`
	CreditCode            string     `json:"credit_code"`
	Name                  string     `json:"name"`
	LegalRep              string     `json:"legal_rep"`
	RegisteredOn          string     `json:"registered_on,omitempty"`
	RegionCode            string     `json:"region_code"`
	RegionName            string     `json:"region_name"`
	Address               string     `json:"address"`
	IndustryCode          string     `json:"industry_code"`
	IndustrySection       string     `json:"industry_section"`
	IndustryName          string     `json:"industry_name"`
	Ownership             string     `json:"ownership"`
	RegisteredCapitalYuan money.Yuan `json:"registered_capital_yuan"`
	ContactName           string     `json:"contact_name"`
	ContactPhone          string     `json:"contact_phone"`
	ContactMasked         bool       `json:"contact_masked,omitempty"`
	BusinessScope         string     `json:"business_scope"`
	TaxCreditGrade        string     `json:"tax_credit_grade"`
	Dishonest             bool       `json:"dishonest"`
	DishonestNote         string     `json:"dishonest_note,omitempty"`
	FiscalYear            int        `json:"fiscal_year,omitempty"`
	factFigures
	FactsVerified   bool      `json:"facts_verified"`
	Tags            []string  `json:"tags"`
	TagDetails      []tagJSON `json:"tag_details"`
	Size            string    `json:"size"`
	SizeName        string    `json:"size_name"`
	SizeBasis       string    `json:"size_basis"`
	SizeRow         string    `json:"size_row,omitempty"`
	SizeMissing     []string  `json:"size_missing,omitempty"`
	AboveScale      *bool     `json:"above_scale"`
	AboveScaleBasis string    `json:"above_scale_basis"`
	Version         int       `json:"version"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
	Notices         []string  `json:"notices,omitempty"`
}

type tagJSON struct {
	Code          string `json:"code"`
	Name          string `json:"name,omitempty"`
	ValidFrom     string `json:"valid_from,omitempty"`
	ValidTo       string `json:"valid_to,omitempty"`
	CertificateNo string `json:"certificate_no,omitempty"`
}

// UnmarshalJSON accepts a bare tag code or name as well as an object.
func (t *tagJSON) UnmarshalJSON(b []byte) error {
	if bytes.HasPrefix(bytes.TrimSpace(b), []byte(`"`)) {
		return json.Unmarshal(b, &t.Code)
	}
	type plain tagJSON
	var p plain
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return err
	}
	*t = tagJSON(p)
	return nil
}

func toJSON(e enterprise.Enterprise, lang i18n.Lang, notices []enterprise.Notice) enterpriseJSON {
	out := enterpriseJSON{
		ID: e.ID, CreditCode: e.CreditCode, Name: e.Name, LegalRep: e.LegalRep, RegisteredOn: e.RegisteredOn,
		RegionCode: e.RegionCode, RegionName: standards.RegionFullName(e.RegionCode), Address: e.Address,
		IndustryCode: e.IndustryCode, IndustrySection: e.IndustrySection, Ownership: e.Ownership,
		RegisteredCapitalYuan: money.YuanOf(e.RegisteredCapitalFen), ContactName: e.ContactName,
		ContactPhone: e.ContactPhone, ContactMasked: e.ContactMasked, BusinessScope: e.BusinessScope,
		TaxCreditGrade: e.TaxCreditGrade, Dishonest: e.Dishonest, DishonestNote: e.DishonestNote,
		FiscalYear: e.Facts.FiscalYear, factFigures: figuresOf(e.Facts), FactsVerified: e.Facts.Verified,
		Tags: []string{}, TagDetails: []tagJSON{},
		Size: string(e.Size.Class), SizeName: i18n.Msg(e.Size.Class.Name()).In(lang), SizeBasis: i18n.Msg(e.Size.Basis).In(lang),
		SizeRow: e.Size.Row.ID, SizeMissing: e.Size.Missing,
		AboveScale: e.AboveScale.Status, AboveScaleBasis: i18n.Msg(e.AboveScale.Basis).In(lang),
		Version: e.Version, CreatedAt: e.CreatedAt.UTC(), UpdatedAt: e.UpdatedAt.UTC(),
	}
	if ind, ok := standards.LookupIndustry(e.IndustryCode); ok {
		out.IndustryName = ind.Name
	}
	for _, t := range e.Tags {
		out.Tags = append(out.Tags, t.Code)
		out.TagDetails = append(out.TagDetails, tagJSON{Code: t.Code, Name: t.Name.In(lang), ValidFrom: t.ValidFrom, ValidTo: t.ValidTo, CertificateNo: t.CertificateNo})
	}
	for _, n := range notices {
		out.Notices = append(out.Notices, n.Msg.In(lang))
	}
	return out
}

// enterpriseRequest is the body of create and patch. Absent fields are left
// alone; null clears a value.
type enterpriseRequest struct {
	CreditCode            enterprise.Maybe[string]     `json:"credit_code"`
	Name                  enterprise.Maybe[string]     `json:"name"`
	LegalRep              enterprise.Maybe[string]     `json:"legal_rep"`
	RegisteredOn          enterprise.Maybe[string]     `json:"registered_on"`
	RegionCode            enterprise.Maybe[string]     `json:"region_code"`
	Address               enterprise.Maybe[string]     `json:"address"`
	IndustryCode          enterprise.Maybe[string]     `json:"industry_code"`
	Ownership             enterprise.Maybe[string]     `json:"ownership"`
	RegisteredCapitalYuan enterprise.Maybe[money.Yuan] `json:"registered_capital_yuan"`
	ContactName           enterprise.Maybe[string]     `json:"contact_name"`
	ContactPhone          enterprise.Maybe[string]     `json:"contact_phone"`
	BusinessScope         enterprise.Maybe[string]     `json:"business_scope"`
	TaxCreditGrade        enterprise.Maybe[string]     `json:"tax_credit_grade"`
	Dishonest             enterprise.Maybe[bool]       `json:"dishonest"`
	DishonestNote         enterprise.Maybe[string]     `json:"dishonest_note"`
	FiscalYear            int                          `json:"fiscal_year"`
	Employees             enterprise.Maybe[int64]      `json:"employees"`
	RevenueYuan           enterprise.Maybe[money.Yuan] `json:"revenue_yuan"`
	AssetsYuan            enterprise.Maybe[money.Yuan] `json:"assets_yuan"`
	TaxableIncomeYuan     enterprise.Maybe[money.Yuan] `json:"taxable_income_yuan"`
	RDExpenseYuan         enterprise.Maybe[money.Yuan] `json:"rd_expense_yuan"`
	TechStaff             enterprise.Maybe[int64]      `json:"tech_staff"`
	ExportsYuan           enterprise.Maybe[money.Yuan] `json:"exports_yuan"`
	HighTechRevenueYuan   enterprise.Maybe[money.Yuan] `json:"hightech_revenue_yuan"`
	CostsYuan             enterprise.Maybe[money.Yuan] `json:"costs_yuan"`
	IPClass1              enterprise.Maybe[int64]      `json:"ip_class1"`
	IPClass2              enterprise.Maybe[int64]      `json:"ip_class2"`
	Tags                  enterprise.Maybe[[]tagJSON]  `json:"tags"`
}

func fen(m enterprise.Maybe[money.Yuan]) enterprise.Maybe[int64] {
	return enterprise.Maybe[int64]{Set: m.Set, Valid: m.Valid && m.V.Valid, V: m.V.Fen}
}

func (req enterpriseRequest) input() enterprise.Input {
	in := enterprise.Input{
		CreditCode: req.CreditCode, Name: req.Name, LegalRep: req.LegalRep, RegisteredOn: req.RegisteredOn,
		RegionCode: req.RegionCode, Address: req.Address, IndustryCode: req.IndustryCode, Ownership: req.Ownership,
		RegisteredCapitalFen: fen(req.RegisteredCapitalYuan), ContactName: req.ContactName, ContactPhone: req.ContactPhone,
		BusinessScope: req.BusinessScope, TaxCreditGrade: req.TaxCreditGrade, Dishonest: req.Dishonest,
		DishonestNote: req.DishonestNote, FiscalYear: req.FiscalYear, Employees: req.Employees,
		RevenueFen: fen(req.RevenueYuan), AssetsFen: fen(req.AssetsYuan), TaxableIncomeFen: fen(req.TaxableIncomeYuan),
		RDExpenseFen: fen(req.RDExpenseYuan), TechStaff: req.TechStaff, ExportsFen: fen(req.ExportsYuan),
		HighTechRevenueFen: fen(req.HighTechRevenueYuan), CostsFen: fen(req.CostsYuan), IPClass1: req.IPClass1, IPClass2: req.IPClass2,
	}
	if req.Tags.Set {
		tags := []enterprise.TagInput{}
		for _, t := range req.Tags.V {
			tags = append(tags, enterprise.TagInput{Code: t.Code, ValidFrom: t.ValidFrom, ValidTo: t.ValidTo, CertificateNo: t.CertificateNo})
		}
		in.Tags = enterprise.Some(tags)
	}
	return in
}

// decodeEnterprise decodes a create or patch body.
func decodeEnterprise(w http.ResponseWriter, r *http.Request) (enterpriseRequest, error) {
	var req enterpriseRequest
	err := decode(w, r, &req)
	return req, err
}

// enterpriseID requires a signed-in caller and reads the {id} path value.
func enterpriseID(r *http.Request) (int64, error) {
	if _, err := requireLogin(r); err != nil {
		return 0, err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.NotFound(i18n.M("企业", "Enterprise"))
	}
	return id, nil
}

func etag(version int) string { return fmt.Sprintf(`"v%d"`, version) }

// ifMatchVersion reads If-Match ("v3", W/"v3" or *); 0 means no condition.
func ifMatchVersion(r *http.Request) (int, error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" || h == "*" {
		return 0, nil
	}
	h = strings.Trim(strings.TrimPrefix(h, "W/"), `"`)
	v, err := strconv.Atoi(strings.TrimPrefix(h, "v"))
	if err != nil || v <= 0 {
		return 0, badRequest("bad_if_match", i18n.M("If-Match 应为 GET 返回的 ETag", "If-Match must be an ETag returned by GET"))
	}
	return v, nil
}

func (s *Server) createEnterprise(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireLogin(r); err != nil {
		return err
	}
	req, err := decodeEnterprise(w, r)
	if err != nil {
		return err
	}
	e, notices, err := s.Enterprise.Create(r.Context(), req.input())
	if err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/enterprises/%d", e.ID))
	w.Header().Set("ETag", etag(e.Version))
	writeJSON(w, http.StatusCreated, toJSON(e, httpmw.Lang(r), notices))
	return nil
}

func (s *Server) getEnterprise(w http.ResponseWriter, r *http.Request) error {
	id, err := enterpriseID(r)
	if err != nil {
		return err
	}
	e, err := s.Enterprise.Get(r.Context(), id)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(e.Version))
	writeJSON(w, http.StatusOK, toJSON(e, httpmw.Lang(r), nil))
	return nil
}

func (s *Server) patchEnterprise(w http.ResponseWriter, r *http.Request) error {
	id, err := enterpriseID(r)
	if err != nil {
		return err
	}
	version, err := ifMatchVersion(r)
	if err != nil {
		return err
	}
	req, err := decodeEnterprise(w, r)
	if err != nil {
		return err
	}
	in := req.input()
	in.Version = version
	e, notices, err := s.Enterprise.Update(r.Context(), id, in)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(e.Version))
	writeJSON(w, http.StatusOK, toJSON(e, httpmw.Lang(r), notices))
	return nil
}

type listResponse[T any] struct {
	Items       []T  `json:"items"`
	Total       int  `json:"total"`
	TotalCapped bool `json:"total_capped,omitempty"` // more match than were counted; total is a lower bound
	Page        int  `json:"page"`
	PerPage     int  `json:"per_page"`
	Pages       int  `json:"pages"`
	HasNext     bool `json:"has_next"`
}

func (s *Server) listEnterprises(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireLogin(r); err != nil {
		return err
	}
	f, err := enterprise.ParseFilter(r.URL.Query())
	if err != nil {
		return err
	}
	page, err := s.Enterprise.List(r.Context(), f)
	if err != nil {
		return err
	}
	out := listResponse[enterpriseJSON]{Items: []enterpriseJSON{}, Total: page.Total, TotalCapped: page.TotalCapped,
		Page: page.Page, PerPage: page.PerPage, Pages: page.Pages(), HasNext: page.HasNext()}
	for _, e := range page.Items {
		out.Items = append(out.Items, toJSON(e, httpmw.Lang(r), nil))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// factFigures are one fiscal year's figures, in a profile and in its
// history alike.
type factFigures struct {
	Employees           *int64     `json:"employees"`
	RevenueYuan         money.Yuan `json:"revenue_yuan"`
	AssetsYuan          money.Yuan `json:"assets_yuan"`
	TaxableIncomeYuan   money.Yuan `json:"taxable_income_yuan"`
	RDExpenseYuan       money.Yuan `json:"rd_expense_yuan"`
	TechStaff           *int64     `json:"tech_staff"`
	ExportsYuan         money.Yuan `json:"exports_yuan"`
	HighTechRevenueYuan money.Yuan `json:"hightech_revenue_yuan"`
	CostsYuan           money.Yuan `json:"costs_yuan"`
	IPClass1            *int64     `json:"ip_class1"`
	IPClass2            *int64     `json:"ip_class2"`
}

func figuresOf(f enterprise.Facts) factFigures {
	return factFigures{Employees: f.Employees, RevenueYuan: money.YuanOf(f.RevenueFen), AssetsYuan: money.YuanOf(f.AssetsFen),
		TaxableIncomeYuan: money.YuanOf(f.TaxableIncomeFen), RDExpenseYuan: money.YuanOf(f.RDExpenseFen), TechStaff: f.TechStaff,
		ExportsYuan: money.YuanOf(f.ExportsFen), HighTechRevenueYuan: money.YuanOf(f.HighTechRevenueFen),
		CostsYuan: money.YuanOf(f.CostsFen), IPClass1: f.IPClass1, IPClass2: f.IPClass2}
}

type factsJSON struct {
	FiscalYear int `json:"fiscal_year"`
	factFigures
	Source    string    `json:"source"`
	Verified  bool      `json:"verified"`
	UpdatedAt time.Time `json:"updated_at"`
}

func (s *Server) enterpriseFacts(w http.ResponseWriter, r *http.Request) error {
	id, err := enterpriseID(r)
	if err != nil {
		return err
	}
	years, err := s.Enterprise.FactsHistory(r.Context(), id)
	if err != nil {
		return err
	}
	out := []factsJSON{}
	for _, f := range years {
		out = append(out, factsJSON{FiscalYear: f.FiscalYear, factFigures: figuresOf(f),
			Source: f.Source, Verified: f.Verified, UpdatedAt: f.UpdatedAt.UTC()})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

func (s *Server) revealContact(w http.ResponseWriter, r *http.Request) error {
	id, err := enterpriseID(r)
	if err != nil {
		return err
	}
	phone, err := s.Enterprise.RevealContact(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]string{"contact_phone": phone})
	return nil
}

func (s *Server) listTags(w http.ResponseWriter, r *http.Request) error {
	defs, err := s.Enterprise.Tags(r.Context(), r.URL.Query().Get("all") == "")
	if err != nil {
		return err
	}
	lang := httpmw.Lang(r)
	type tagDefJSON struct {
		Code        string `json:"code"`
		Name        string `json:"name"`
		Category    string `json:"category"`
		Description string `json:"description,omitempty"`
		Active      bool   `json:"active"`
	}
	out := []tagDefJSON{}
	for _, d := range defs {
		out = append(out, tagDefJSON{Code: d.Code, Name: d.Name.In(lang), Category: d.Category, Description: d.Description, Active: d.Active})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}
