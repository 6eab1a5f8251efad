package api

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/qinqing/qinqing/internal/casework"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
)

// registerCases adds the file, case, rating, inbox and rectification routes.
func (s *Server) registerCases(mux *http.ServeMux) {
	s.handle(mux, "POST /api/v1/files", s.uploadFile)
	s.handle(mux, "GET /api/v1/files/{id}", s.downloadFile)

	s.handle(mux, "GET /api/v1/cases", s.listCases)
	s.handle(mux, "POST /api/v1/cases", s.idempotent(s.createCase))
	s.handle(mux, "GET /api/v1/cases/{case_no}", s.getCase)
	s.handle(mux, "POST /api/v1/cases/{case_no}/actions", s.actOnCase)
	s.handle(mux, "POST /api/v1/cases/{case_no}/rating", s.rateCase)
	s.handle(mux, "GET /api/v1/cases/{case_no}/documents/{kind}", s.caseDocument)
	s.handle(mux, "GET /api/v1/progress", s.progress)

	s.handle(mux, "GET /api/v1/inbox", s.inbox)
	s.handle(mux, "POST /api/v1/inbox/read", s.inboxRead)
	s.handle(mux, "GET /api/v1/rectifications", s.listRectifications)
	s.handle(mux, "POST /api/v1/rectifications/{id}/{move}", s.rectify)
	s.handle(mux, "GET /api/v1/supervision", s.supervision)
}

// caseRequest is the body of POST /api/v1/cases.
type caseRequest struct {
	MatterCode    string            `json:"matter_code"`
	BundleCode    string            `json:"bundle_code"`
	CreditCode    string            `json:"credit_code"`
	Channel       string            `json:"channel"`
	Form          map[string]string `json:"form"`
	Files         map[int]string    `json:"files"` // material seq → file id from POST /api/v1/files
	ContactName   string            `json:"contact_name"`
	ContactPhone  string            `json:"contact_phone"`
	Authorization string            `json:"authorization"`
}

// defaultChannel is the channel a filer uses when the request names none.
func defaultChannel(p *identity.Principal) casework.Channel {
	switch {
	case p.Can(identity.PermEnterpriseOwn):
		return casework.ChannelOnline
	case p.Role == identity.RoleAgent:
		return casework.ChannelServicePoint
	case p.Can(identity.PermCaseIntake):
		return casework.ChannelWindow
	}
	return casework.ChannelOnline
}

// createCase files an application. An enterprise user files for its own
// firm (credit_code may be omitted); a window clerk or an agent names the
// applying enterprise by credit code.
func (s *Server) createCase(w http.ResponseWriter, r *http.Request) error {
	p, err := requireLogin(r)
	if err != nil {
		return err
	}
	var req caseRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	ctx := r.Context()
	sub := casework.Submission{MatterCode: strings.TrimSpace(req.MatterCode), BundleCode: strings.TrimSpace(req.BundleCode),
		Channel: casework.Channel(req.Channel), Form: req.Form, Files: req.Files, ContactName: strings.TrimSpace(req.ContactName),
		ContactPhone: strings.TrimSpace(req.ContactPhone), Authorization: strings.TrimSpace(req.Authorization)}
	if sub.Channel == "" {
		sub.Channel = defaultChannel(p)
	}
	if code := strings.TrimSpace(req.CreditCode); code != "" {
		e, err := s.Enterprise.GetByCreditCode(ctx, code)
		if errors.Is(err, errs.ErrNotFound) {
			return errs.Invalid("credit_code", i18n.M("未找到该信用代码的企业", "No enterprise has this credit code"))
		}
		if err != nil {
			return err
		}
		sub.EnterpriseID = e.ID
	}
	c, err := s.Cases.Submit(ctx, sub)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/cases/"+c.No)
	w.Header().Set("ETag", etag(c.Version))
	writeJSON(w, http.StatusCreated, s.caseJSONer(ctx, httpmw.Lang(r)).full(c))
	return nil
}

var caseStates = []casework.State{casework.Submitted, casework.InReview, casework.SupplementRequested, casework.Suspended,
	casework.Approved, casework.Delivered, casework.Denied, casework.NotAccepted, casework.Withdrawn}

// listCases is a work queue or list, the most urgent first.
func (s *Server) listCases(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireLogin(r); err != nil {
		return err
	}
	q := r.URL.Query()
	bad := errs.Fields{}
	f := casework.Filter{Queue: q.Get("queue"), State: casework.State(q.Get("state")), Deadline: q.Get("deadline"),
		Department: q.Get("department"), Q: q.Get("q")}
	if f.State != "" && !slices.Contains(caseStates, f.State) {
		bad.Add("state", i18n.M("未知的办件状态", "Unknown state"))
	}
	if f.Deadline != "" && f.Deadline != "yellow" && f.Deadline != "red" && f.Deadline != "at_risk" {
		bad.Add("deadline", i18n.M("时限筛选为 yellow、red 或 at_risk", "deadline is yellow, red or at_risk"))
	}
	for name, dst := range map[string]*int{"page": &f.Page, "per_page": &f.PerPage} {
		if v := q.Get(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				bad.Add(name, i18n.M("应为正整数", "Must be a positive whole number"))
			}
			*dst = n
		}
	}
	if err := bad.Err(); err != nil {
		return err
	}
	page, err := s.Cases.List(r.Context(), f)
	if err != nil {
		return err
	}
	j := s.caseJSONer(r.Context(), httpmw.Lang(r))
	pages := (page.Total + page.PerPage - 1) / max(page.PerPage, 1)
	out := listResponse[caseJSON]{Items: []caseJSON{}, Total: page.Total, Page: page.Page, PerPage: page.PerPage, Pages: pages, HasNext: page.Page < pages}
	for _, c := range page.Items {
		out.Items = append(out.Items, j.summary(c))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) getCase(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireLogin(r); err != nil {
		return err
	}
	c, err := s.Cases.Get(r.Context(), r.PathValue("case_no"))
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(c.Version))
	writeJSON(w, http.StatusOK, s.caseJSONer(r.Context(), httpmw.Lang(r)).full(c))
	return nil
}

// actionRequest is the body of POST /api/v1/cases/{case_no}/actions.
type actionRequest struct {
	Action         string         `json:"action"`
	Opinion        string         `json:"opinion"`
	Reason         string         `json:"reason"`
	LegalBasis     string         `json:"legal_basis"`
	Missing        []missingJSON  `json:"missing"`
	SpecialType    string         `json:"special_type"`
	Files          map[int]string `json:"files"`
	CertificateNo  string         `json:"certificate_no"`
	DeliveryMethod string         `json:"delivery_method"`
	TrackingNo     string         `json:"tracking_no"`
	Address        string         `json:"address"`
}

// actOnCase takes an action. If-Match with the case's version is required
// (428 without it, 412 when someone acted first); an action the state does
// not allow is a 409, one the caller may not take a 403.
func (s *Server) actOnCase(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireLogin(r); err != nil {
		return err
	}
	version, err := ifMatchVersion(r)
	if err != nil {
		return err
	}
	var req actionRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	a := casework.Action{Name: req.Action, IfVersion: version, Opinion: req.Opinion, Reason: req.Reason, LegalBasis: req.LegalBasis,
		SpecialType: req.SpecialType, Files: req.Files, CertificateNo: req.CertificateNo, DeliveryMethod: req.DeliveryMethod,
		TrackingNo: req.TrackingNo, Address: req.Address}
	bad := errs.Fields{}
	for i, m := range req.Missing {
		a.Missing = append(a.Missing, casework.MissingItem{Name: m.Name, Requirement: m.Requirement})
		// The 补正告知书 must say what each item needs (一次性告知).
		if a.Name == casework.ActRequestSupplement && strings.TrimSpace(m.Name) != "" && strings.TrimSpace(m.Requirement) == "" {
			bad.Add(fmt.Sprintf("missing[%d].requirement", i), i18n.M("请写明补正要求", "State what must be supplemented or corrected"))
		}
	}
	if err := bad.Err(); err != nil {
		return err
	}
	c, err := s.Cases.Act(r.Context(), r.PathValue("case_no"), a)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(c.Version))
	writeJSON(w, http.StatusOK, s.caseJSONer(r.Context(), httpmw.Lang(r)).full(c))
	return nil
}

type ratingRequest struct {
	Level   int    `json:"level"`
	Comment string `json:"comment"`
}

// rateCase records the applicant's 好差评 once the case is decided.
func (s *Server) rateCase(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireLogin(r); err != nil {
		return err
	}
	var req ratingRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	rt, err := s.Cases.Rate(r.Context(), r.PathValue("case_no"), req.Level, req.Comment)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, s.caseJSONer(r.Context(), httpmw.Lang(r)).rating(rt))
	return nil
}
