package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/money"
	"github.com/qinqing/qinqing/internal/policy"
)

// applicationJSON is a policy application (政策兑现申请). Lists leave out
// the form, materials, steps and pauses.
type applicationJSON struct {
	ID             int64                `json:"id"`
	AppNo          string               `json:"app_no"`
	PolicyID       int64                `json:"policy_id"`
	PolicyCode     string               `json:"policy_code"`
	PolicyTitle    string               `json:"policy_title"`
	PolicyVersion  int                  `json:"policy_version"`
	Mode           string               `json:"mode"` // the policy version's mode: apply, fast (快申快享)
	EnterpriseID   int64                `json:"enterprise_id"`
	EnterpriseName string               `json:"enterprise_name"`
	Period         string               `json:"period"`
	State          string               `json:"state"`
	StateName      string               `json:"state_name"`
	RequestedYuan  money.Yuan           `json:"requested_yuan"`
	EntitledYuan   money.Yuan           `json:"entitled_yuan"`
	ApprovedYuan   money.Yuan           `json:"approved_yuan"`
	FirstApprover  string               `json:"first_approver,omitempty"`
	TimeLimitDays  int                  `json:"time_limit_days"`
	SubmittedAt    time.Time            `json:"submitted_at"`
	SubmittedOn    string               `json:"submitted_on"`
	DueOn          string               `json:"due_on"`
	DecidedOn      string               `json:"decided_on,omitempty"`
	DecisionNote   string               `json:"decision_note,omitempty"`
	ObjectionUntil string               `json:"objection_until,omitempty"`
	Clock          appClockJSON         `json:"clock"`
	Rev            int                  `json:"rev"`
	Actions        []string             `json:"actions"`
	Eligibility    *evaluationJSON      `json:"eligibility,omitempty"`
	Form           map[string]string    `json:"form,omitempty"`
	Materials      []policyMaterialJSON `json:"materials,omitempty"`
	Steps          []appStepJSON        `json:"steps,omitempty"`
	Pauses         []appPauseJSON       `json:"pauses,omitempty"`
	Missing        []string             `json:"missing,omitempty"`
	Payment        *paymentJSON         `json:"payment"`
	CreatedAt      time.Time            `json:"created_at"`
	UpdatedAt      time.Time            `json:"updated_at"`
}

type appClockJSON struct {
	Limit  int    `json:"time_limit_days"`
	Used   int    `json:"working_days_used"`
	Left   int    `json:"working_days_left"`
	Due    string `json:"due_on"`
	Paused bool   `json:"paused"`
	Status string `json:"status"`
}

type appStepJSON struct {
	Action     string     `json:"action"`
	ActionName string     `json:"action_name"`
	From       string     `json:"from"`
	To         string     `json:"to"`
	Actor      string     `json:"actor"`
	Role       string     `json:"role"`
	Opinion    string     `json:"opinion"`
	AmountYuan money.Yuan `json:"amount_yuan"`
	At         time.Time  `json:"at"`
}

type appPauseJSON struct {
	Reason string `json:"reason"`
	From   string `json:"from"`
	To     string `json:"to"`
}

// paymentJSON is a recorded disbursement.
type paymentJSON struct {
	ID            int64      `json:"id"`
	EnterpriseID  int64      `json:"enterprise_id"`
	PolicyID      int64      `json:"policy_id"`
	Period        string     `json:"period"`
	PolicyVersion int        `json:"policy_version"`
	ApplicationID int64      `json:"application_id,omitempty"`
	RunItemID     int64      `json:"run_item_id,omitempty"`
	AmountYuan    money.Yuan `json:"amount_yuan"`
	PaidOn        string     `json:"paid_on"`
	Reference     string     `json:"reference"`
	StartedOn     string     `json:"started_on"`
	RecordedBy    string     `json:"recorded_by"`
	CreatedAt     time.Time  `json:"created_at"`
}

func paymentJSONOf(p *policy.Payment) *paymentJSON {
	if p == nil {
		return nil
	}
	return &paymentJSON{ID: p.ID, EnterpriseID: p.EnterpriseID, PolicyID: p.PolicyID, Period: p.Period, PolicyVersion: p.PolicyVersion,
		ApplicationID: p.ApplicationID, RunItemID: p.RunItemID, AmountYuan: money.Yuan{Fen: p.AmountFen, Valid: true}, PaidOn: p.PaidOn,
		Reference: p.Reference, StartedOn: p.StartedOn, RecordedBy: p.RecordedBy, CreatedAt: p.CreatedAt}
}

// applicationOut renders an application for the caller; full adds what
// hangs off it.
func (s *Server) applicationOut(r *http.Request, a policy.Application, full bool) applicationJSON {
	lang := httpmw.Lang(r)
	c := a.Clock
	out := applicationJSON{ID: a.ID, AppNo: a.No, PolicyID: a.PolicyID, PolicyCode: a.PolicyCode, PolicyTitle: a.PolicyTitle,
		PolicyVersion: a.PolicyVersion, Mode: string(a.PolicyMode), EnterpriseID: a.EnterpriseID, EnterpriseName: a.EnterpriseName, Period: a.Period,
		State: string(a.State), StateName: a.State.Label().In(lang), RequestedYuan: money.Yuan{Fen: a.RequestedFen, Valid: true},
		EntitledYuan: money.YuanOf(a.EntitledFen), ApprovedYuan: money.YuanOf(a.ApprovedFen), FirstApprover: a.FirstApprover,
		TimeLimitDays: a.TimeLimitDays, SubmittedAt: a.SubmittedAt, SubmittedOn: a.SubmittedOn, DueOn: a.DueOn, DecidedOn: a.DecidedOn,
		DecisionNote: a.DecisionNote, ObjectionUntil: a.ObjectionUntil,
		Clock: appClockJSON{Limit: c.Limit, Used: c.Used, Left: c.Left, Due: c.Due, Paused: c.Paused, Status: c.Status},
		Rev:   a.Rev, Actions: []string{}, Payment: paymentJSONOf(a.Payment), CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt}
	if acts := s.Policy.AvailableActions(identity.PrincipalFrom(r.Context()), a); acts != nil {
		out.Actions = acts
	}
	if !full {
		return out
	}
	ev := evaluationOf(a.Eligibility, lang)
	out.Eligibility = &ev
	out.Form = a.Form
	out.Materials = policyMaterialsJSON(a.Materials)
	out.Steps = []appStepJSON{}
	for _, st := range a.Steps {
		out.Steps = append(out.Steps, appStepJSON{Action: st.Action, ActionName: policy.ActionLabel(st.Action).In(lang), From: string(st.From),
			To: string(st.To), Actor: st.Actor, Role: st.Role, Opinion: st.Opinion, AmountYuan: money.YuanOf(st.AmountFen), At: st.At})
	}
	out.Pauses = []appPauseJSON{}
	for _, p := range a.Pauses {
		out.Pauses = append(out.Pauses, appPauseJSON{Reason: p.Reason, From: p.From, To: p.To})
	}
	out.Missing = a.Missing
	return out
}

// applyRequest is the body of POST /api/v1/policy-applications.
type applyRequest struct {
	PolicyID      int64             `json:"policy_id"`
	EnterpriseID  int64             `json:"enterprise_id"` // the caller's own firm when 0
	Period        string            `json:"period"`
	RequestedYuan money.Yuan        `json:"requested_yuan"` // the amount the policy computes when absent; a fast (快申快享) policy takes no other
	Form          map[string]string `json:"form"`
	Files         map[int]string    `json:"files"` // material seq → file id from POST /api/v1/files
}

// createPolicyApplication submits an application for the caller's own
// enterprise. An Idempotency-Key makes a retry return the first answer
// instead of a second application.
func (s *Server) createPolicyApplication(w http.ResponseWriter, r *http.Request) error {
	p, err := requireLogin(r)
	if err != nil {
		return err
	}
	var req applyRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	if req.PolicyID <= 0 {
		return errs.Invalid("policy_id", i18n.M("请指明政策", "Name the policy"))
	}
	if req.EnterpriseID == 0 {
		req.EnterpriseID = p.EnterpriseID
	}
	in := policy.ApplyInput{PolicyID: req.PolicyID, EnterpriseID: req.EnterpriseID, Period: strings.TrimSpace(req.Period),
		RequestedFen: req.RequestedYuan.Fen, Form: req.Form, Files: req.Files}
	a, err := s.Policy.Apply(r.Context(), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/policy-applications/"+strconv.FormatInt(a.ID, 10))
	w.Header().Set("ETag", etag(a.Rev))
	writeJSON(w, http.StatusCreated, s.applicationOut(r, a, true))
	return nil
}

// listPolicyApplications lists applications: an enterprise only its own,
// policy staff all (policy_id, enterprise_id, state and queue=true, the
// officers' work queue by deadline, filter).
func (s *Server) listPolicyApplications(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireLogin(r); err != nil {
		return err
	}
	q := r.URL.Query()
	bad := errs.Fields{}
	f := policy.AppFilter{State: policy.AppState(q.Get("state")), Queue: q.Get("queue") == "true" || q.Get("queue") == "1"}
	if f.State != "" && !hasOption(policy.AppStates, string(f.State)) {
		bad.Add("state", i18n.M("未知的申请状态", "Unknown state"))
	}
	ints := map[string]*int64{"policy_id": &f.PolicyID, "enterprise_id": &f.EnterpriseID}
	for name, dst := range ints {
		if v := q.Get(name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 1 {
				bad.Add(name, i18n.M("应为正整数", "Must be a positive whole number"))
			}
			*dst = n
		}
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
	pg, err := s.Policy.ListApplications(r.Context(), f)
	if err != nil {
		return err
	}
	out := listResponse[applicationJSON]{Items: []applicationJSON{}, Total: pg.Total, Page: pg.Page, PerPage: pg.PerPage,
		Pages: pg.Pages(), HasNext: pg.Page < pg.Pages()}
	for _, a := range pg.Items {
		out.Items = append(out.Items, s.applicationOut(r, a, false))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) getPolicyApplication(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireLogin(r); err != nil {
		return err
	}
	id, err := pathID(r, "id", applicationWhat)
	if err != nil {
		return err
	}
	a, err := s.Policy.GetApplication(r.Context(), id)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(a.Rev))
	writeJSON(w, http.StatusOK, s.applicationOut(r, a, true))
	return nil
}

// appActionRequest is the body of POST /api/v1/policy-applications/{id}/actions.
// AmountYuan is the amount an approval decides, at most what the policy
// gives within its cap and no more than was requested; absent or null, the
// service is given 0, which it approves as exactly that computed amount
// (0 for a policy that pays no money).
type appActionRequest struct {
	Action     string         `json:"action"`
	AmountYuan money.Yuan     `json:"amount_yuan"` // approve only; absent or null: the computed amount
	Opinion    string         `json:"opinion"`
	Reason     string         `json:"reason"`  // reject, object
	Missing    []string       `json:"missing"` // request_supplement: everything, in one go
	Files      map[int]string `json:"files"`   // supplement
	Uphold     bool           `json:"uphold"`  // decide_objection
}

// actOnPolicyApplication takes a review step. If-Match with the
// application's revision is required (428 without it, 412 when someone
// acted first); an action the state does not allow is a 409, one the
// caller may not take a 403 — including a second approval by the officer
// who approved first.
func (s *Server) actOnPolicyApplication(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireLogin(r); err != nil {
		return err
	}
	id, err := pathID(r, "id", applicationWhat)
	if err != nil {
		return err
	}
	rev, err := ifMatchVersion(r)
	if err != nil {
		return err
	}
	var req appActionRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	var amount int64 // absent: 0, the service's "the computed amount"
	if req.AmountYuan.Valid {
		if req.AmountYuan.Fen <= 0 && strings.TrimSpace(req.Action) == "approve" {
			// An explicit 0 would read as "the computed amount" and approve
			// the full award; refusing money is a rejection, not a zero.
			return errs.Invalid("amount_yuan", i18n.M("核准金额须大于 0；不填则按测算金额核准，不予支持请用驳回",
				"The approved amount must be above 0; leave it out to approve the computed amount, or reject"))
		}
		amount = req.AmountYuan.Fen
	}
	a, err := s.Policy.Act(r.Context(), id, rev, policy.Action{Name: strings.TrimSpace(req.Action), AmountFen: amount,
		Opinion: req.Opinion, Reason: req.Reason, Missing: req.Missing, Files: req.Files, Uphold: req.Uphold})
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(a.Rev))
	writeJSON(w, http.StatusOK, s.applicationOut(r, a, true))
	return nil
}

// paymentRequest records a disbursement.
type paymentRequest struct {
	PaidOn     string     `json:"paid_on"`     // today when absent
	AmountYuan money.Yuan `json:"amount_yuan"` // must equal the approved amount; that amount when absent
	Reference  string     `json:"reference"`   // the bank or treasury reference
}

// payPolicyApplication records the payment of an application whose 公示
// has ended. A second payment for the same enterprise, policy and period
// is a 409, whichever way it comes.
func (s *Server) payPolicyApplication(w http.ResponseWriter, r *http.Request) error {
	return s.pay(w, r, applicationWhat, func(id int64) policy.PayTarget { return policy.PayTarget{ApplicationID: id} })
}

// payRunItem records the payment of a 免申即享 list entry whose account the
// enterprise confirmed.
func (s *Server) payRunItem(w http.ResponseWriter, r *http.Request) error {
	return s.pay(w, r, runItemWhat, func(id int64) policy.PayTarget { return policy.PayTarget{RunItemID: id} })
}

func (s *Server) pay(w http.ResponseWriter, r *http.Request, what i18n.Msg, target func(int64) policy.PayTarget) error {
	if _, err := requireLogin(r); err != nil {
		return err
	}
	id, err := pathID(r, "id", what)
	if err != nil {
		return err
	}
	var req paymentRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	pay, err := s.Policy.Pay(r.Context(), target(id), policy.PaymentInput{PaidOn: strings.TrimSpace(req.PaidOn),
		AmountFen: req.AmountYuan.Fen, Reference: req.Reference})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, paymentJSONOf(&pay))
	return nil
}
