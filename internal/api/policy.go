package api

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/qinqing/qinqing/internal/eligibility"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/policy"
	"github.com/qinqing/qinqing/internal/search"
)

// registerPolicy adds the policy supermarket's routes: the eligibility
// catalogue, policies, matching, the calculator, fulfilment and 免申即享.
func (s *Server) registerPolicy(mux *http.ServeMux) {
	s.handle(mux, "GET /api/v1/eligibility/attributes", s.eligibilityAttributes)

	s.handle(mux, "GET /api/v1/policies", s.listPolicies)
	s.handle(mux, "POST /api/v1/policies", s.idempotent(s.createPolicy))
	s.handle(mux, "GET /api/v1/policies/{id}", s.getPolicy)
	s.handle(mux, "PUT /api/v1/policies/{id}", s.updatePolicy)
	s.handle(mux, "POST /api/v1/policies/{id}/publish", s.publishPolicy)
	s.handle(mux, "POST /api/v1/policies/{id}/unpublish", s.unpublishPolicy)
	s.handle(mux, "POST /api/v1/policies/{id}/simulate", s.simulatePolicy)
	s.handle(mux, "GET /api/v1/policies/{id}/application-form", s.policyApplicationForm)

	s.handle(mux, "GET /api/v1/enterprises/{id}/policy-matches", s.policyMatches)
	s.handle(mux, "POST /api/v1/eligibility/what-if", s.whatIf)
	s.handle(mux, "POST /api/v1/policy-calculator", s.policyCalculator)

	s.handle(mux, "GET /api/v1/policy-applications", s.listPolicyApplications)
	s.handle(mux, "POST /api/v1/policy-applications", s.idempotent(s.createPolicyApplication))
	s.handle(mux, "GET /api/v1/policy-applications/{id}", s.getPolicyApplication)
	s.handle(mux, "POST /api/v1/policy-applications/{id}/actions", s.actOnPolicyApplication)
	s.handle(mux, "POST /api/v1/policy-applications/{id}/payment", s.idempotent(s.payPolicyApplication))

	s.handle(mux, "POST /api/v1/policies/{id}/publicity", s.idempotent(s.startPublicity))
	s.handle(mux, "GET /api/v1/publicity", s.listPublicity)
	s.handle(mux, "GET /api/v1/publicity/{id}", s.getPublicity)
	s.handle(mux, "POST /api/v1/publicity/{id}/objections", s.objectToPublicity())

	s.handle(mux, "POST /api/v1/policies/{id}/runs", s.idempotent(s.startRun))
	s.handle(mux, "GET /api/v1/policies/{id}/runs", s.listRuns)
	s.handle(mux, "GET /api/v1/policy-runs/{id}", s.getRun)
	s.handle(mux, "POST /api/v1/policy-runs/{id}/confirm", s.confirmRun)
	s.handle(mux, "GET /api/v1/enterprises/{id}/policy-run-items", s.enterpriseRunItems)
	s.handle(mux, "POST /api/v1/policy-run-items/{id}/account", s.confirmRunAccount)
	s.handle(mux, "POST /api/v1/policy-run-items/{id}/payment", s.idempotent(s.payRunItem))

	s.handle(mux, "GET /api/v1/policy-pushes", s.listPolicyPushes)
	s.handle(mux, "GET /api/v1/stats/policy", s.policyStats)
}

// pathID reads a positive integer path value; anything else is a 404, as
// for an id that does not exist.
func pathID(r *http.Request, name string, what i18n.Msg) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.NotFound(what)
	}
	return id, nil
}

var (
	policyWhat      = i18n.M("政策", "Policy")
	applicationWhat = i18n.M("政策兑现申请", "Policy application")
	enterpriseWhat  = i18n.M("企业", "Enterprise")
	runWhat         = i18n.M("免申即享批次", "No-application run")
	runItemWhat     = i18n.M("免申即享名单条目", "Run item")
	publicityWhat   = i18n.M("公示批次", "Publicity batch")
)

// decodePolicyInput reads the agreed policy definition. Wrongly typed or
// unknown fields are named like any other body (decode); the value itself
// is read by policy.ParseInput, which keeps numbers as written so that
// amounts such as 3000000.01 yuan in tests stay exact.
func decodePolicyInput(w http.ResponseWriter, r *http.Request) (policy.Input, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		return policy.Input{}, badRequest("body_too_large", i18n.M("请求体过大或读取失败", "Request body too large or unreadable"))
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	var probe policy.Input
	if err := decode(w, r, &probe); err != nil {
		return policy.Input{}, err
	}
	return policy.ParseInput(body)
}

// createPolicy stores a new policy as draft version 1. Every bad field is
// named at once, condition paths included ("conditions.all[0].op"), and
// each failing test of the policy's own ("tests[1]") with why it failed.
func (s *Server) createPolicy(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireLogin(r); err != nil {
		return err
	}
	in, err := decodePolicyInput(w, r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	p, err := s.Policy.Create(ctx, in)
	if err != nil {
		return err
	}
	tests, err := s.Policy.RunTests(ctx, p.Current.Input)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/policies/"+strconv.FormatInt(p.ID, 10))
	w.Header().Set("ETag", etag(p.Rev))
	out, err := s.policyOut(r, p)
	if err != nil {
		return err
	}
	out.Tests = testResultsJSON(tests, httpmw.Lang(r))
	writeJSON(w, http.StatusCreated, out)
	return nil
}

// getPolicy returns a policy with the version the caller may see and its
// versions: the public the published version in effect today, policy
// staff the newest (a draft, possibly).
func (s *Server) getPolicy(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", policyWhat)
	if err != nil {
		return err
	}
	p, err := s.Policy.Get(r.Context(), id)
	if err != nil {
		return err
	}
	out, err := s.policyOut(r, p)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(p.Rev))
	writeJSON(w, http.StatusOK, out)
	return nil
}

// updatePolicy edits a policy (If-Match required): a draft is rewritten,
// a published version never changes — the edit becomes a new draft
// version.
func (s *Server) updatePolicy(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireLogin(r); err != nil {
		return err
	}
	id, err := pathID(r, "id", policyWhat)
	if err != nil {
		return err
	}
	rev, err := ifMatchVersion(r)
	if err != nil {
		return err
	}
	in, err := decodePolicyInput(w, r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	p, err := s.Policy.Update(ctx, id, rev, in)
	if err != nil {
		return err
	}
	tests, err := s.Policy.RunTests(ctx, p.Current.Input)
	if err != nil {
		return err
	}
	out, err := s.policyOut(r, p)
	if err != nil {
		return err
	}
	out.Tests = testResultsJSON(tests, httpmw.Lang(r))
	w.Header().Set("ETag", etag(p.Rev))
	writeJSON(w, http.StatusOK, out)
	return nil
}

type publishRequest struct {
	EffectiveFrom string `json:"effective_from"`
}

// publishPolicy publishes the newest draft with the day its rules take
// effect (If-Match required).
func (s *Server) publishPolicy(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireLogin(r); err != nil {
		return err
	}
	id, err := pathID(r, "id", policyWhat)
	if err != nil {
		return err
	}
	rev, err := ifMatchVersion(r)
	if err != nil {
		return err
	}
	var req publishRequest
	if r.ContentLength != 0 {
		if err := decode(w, r, &req); err != nil {
			return err
		}
	}
	p, err := s.Policy.Publish(r.Context(), id, rev, strings.TrimSpace(req.EffectiveFrom))
	if err != nil {
		return err
	}
	return s.writePolicy(w, r, p)
}

// unpublishPolicy takes a policy off the shelves (If-Match required).
func (s *Server) unpublishPolicy(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireLogin(r); err != nil {
		return err
	}
	id, err := pathID(r, "id", policyWhat)
	if err != nil {
		return err
	}
	rev, err := ifMatchVersion(r)
	if err != nil {
		return err
	}
	p, err := s.Policy.Unpublish(r.Context(), id, rev)
	if err != nil {
		return err
	}
	return s.writePolicy(w, r, p)
}

func (s *Server) writePolicy(w http.ResponseWriter, r *http.Request, p policy.Policy) error {
	out, err := s.policyOut(r, p)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(p.Rev))
	writeJSON(w, http.StatusOK, out)
	return nil
}

// simulateRequest is the body of POST /api/v1/policies/{id}/simulate: the
// date, and optionally the conditions and benefit being edited, which are
// simulated instead of the stored newest version.
type simulateRequest struct {
	AsOf       string            `json:"as_of"`
	Conditions *eligibility.Node `json:"conditions"`
	Benefit    *policy.Benefit   `json:"benefit"`
	SampleSize int               `json:"sample_size"`
}

// simulatePolicy counts the enterprises a rule reaches as of a date, with
// breakdowns by street, industry section and size and the estimated
// payout. Policy staff only.
func (s *Server) simulatePolicy(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireLogin(r); err != nil {
		return err
	}
	id, err := pathID(r, "id", policyWhat)
	if err != nil {
		return err
	}
	var req simulateRequest
	if r.ContentLength != 0 {
		if err := decode(w, r, &req); err != nil {
			return err
		}
	}
	ctx := r.Context()
	in := policy.SimulateInput{PolicyID: id, AsOf: strings.TrimSpace(req.AsOf), SampleSize: req.SampleSize}
	if req.Conditions != nil || req.Benefit != nil {
		// An unsaved rule: the policy must still exist and be the caller's
		// to see.
		if _, err := s.Policy.Get(ctx, id); err != nil {
			return err
		}
		in.PolicyID = 0
		if req.Conditions != nil {
			in.Conditions = *req.Conditions
		}
		if req.Benefit != nil {
			in.Benefit = *req.Benefit
		}
	}
	sim, err := s.Policy.Simulate(ctx, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, simulationJSONOf(sim, httpmw.Lang(r)))
	return nil
}

// listPolicies lists policies: the public and enterprises those on the
// shelves, policy staff every policy (status= filters). q searches title,
// 文号, issuer, keywords and summary by Chinese words, pinyin or initials
// ("xwqy"), best match first; without q the newest come first.
func (s *Server) listPolicies(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	bad := errs.Fields{}
	f := policy.Filter{Shelf: policy.Shelf(q.Get("shelf")), Level: policy.Level(q.Get("level")), Mode: policy.Mode(q.Get("mode")),
		Department: strings.TrimSpace(q.Get("department")), Status: policy.Status(q.Get("status"))}
	for _, c := range []struct {
		name, val string
		opts      []policy.Option
	}{{"shelf", string(f.Shelf), policy.Shelves}, {"level", string(f.Level), policy.Levels}, {"mode", string(f.Mode), policy.Modes},
		{"status", string(f.Status), policy.Statuses}} {
		if c.val != "" && !hasOption(c.opts, c.val) {
			bad.Add(c.name, i18n.M("未知的取值“"+c.val+"”", "Unknown value “"+c.val+"”"))
		}
	}
	page, perPage := 1, 20
	for name, dst := range map[string]*int{"page": &page, "per_page": &perPage} {
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
	perPage = min(perPage, 100)
	ctx := r.Context()
	text := strings.TrimSpace(q.Get("q"))
	var items []policy.Policy
	var total int
	scores := map[int64]float64{}
	if text == "" {
		f.Page, f.PerPage = page, perPage
		pg, err := s.Policy.List(ctx, f)
		if err != nil {
			return err
		}
		items, total = pg.Items, pg.Total
	} else {
		// Everything the caller may see under the filters, ranked by the
		// search index.
		visible, err := search.AllPolicies(ctx, s.Policy, f)
		if err != nil {
			return err
		}
		ranked, err := s.PolicySearch.Rank(ctx, text, visible)
		if err != nil {
			return err
		}
		total = len(ranked)
		from := min((page-1)*perPage, total)
		for _, h := range ranked[from:min(from+perPage, total)] {
			items = append(items, h.Policy)
			scores[h.Policy.ID] = h.Score
		}
	}
	lang := httpmw.Lang(r)
	pages := (total + perPage - 1) / perPage
	out := listResponse[policySummaryJSON]{Items: []policySummaryJSON{}, Total: total, Page: page, PerPage: perPage, Pages: pages, HasNext: page < pages}
	for _, p := range items {
		j := policySummaryOf(p, lang)
		if sc, ok := scores[p.ID]; ok {
			j.Score = &sc
		}
		out.Items = append(out.Items, j)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func hasOption(opts []policy.Option, code string) bool {
	for _, o := range opts {
		if o.Code == code {
			return true
		}
	}
	return false
}

// policyApplicationForm is the application form for the caller's own
// enterprise: prefilled from 一企一档, only the materials the applicant
// must provide asked, with the eligibility explained and the amount the
// policy gives.
func (s *Server) policyApplicationForm(w http.ResponseWriter, r *http.Request) error {
	p, err := requireLogin(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id", policyWhat)
	if err != nil {
		return err
	}
	form, err := s.Policy.PrepareApplication(r.Context(), id, p.EnterpriseID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, applyFormJSONOf(form, httpmw.Lang(r)))
	return nil
}
