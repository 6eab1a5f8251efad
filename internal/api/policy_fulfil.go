package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/money"
	"github.com/qinqing/qinqing/internal/policy"
)

// 公示, 免申即享 runs, pushes and the indicators.

// publicityJSON is a 公示 as the public sees it: who gets how much under
// which policy, and until when (ends_on, inclusive, while the state is
// open) objections are taken.
type publicityJSON struct {
	ID          int64               `json:"id"`
	PolicyID    int64               `json:"policy_id"`
	PolicyTitle string              `json:"policy_title"`
	StartsOn    string              `json:"starts_on"`
	EndsOn      string              `json:"ends_on"`
	Days        int                 `json:"days"`
	State       string              `json:"state"`
	Items       []publicityItemJSON `json:"items"`
	CreatedAt   time.Time           `json:"created_at"`
}

type publicityItemJSON struct {
	ApplicationID  int64      `json:"application_id"`
	ApplicationNo  string     `json:"application_no"`
	EnterpriseName string     `json:"enterprise_name"`
	PolicyTitle    string     `json:"policy_title"`
	AmountYuan     money.Yuan `json:"amount_yuan"`
	State          string     `json:"state"`
}

func publicityJSONOf(b policy.PublicityBatch) publicityJSON {
	out := publicityJSON{ID: b.ID, PolicyID: b.PolicyID, PolicyTitle: b.PolicyTitle, StartsOn: b.StartsOn, EndsOn: b.EndsOn, Days: b.Days,
		State: b.State, Items: []publicityItemJSON{}, CreatedAt: b.CreatedAt}
	for _, it := range b.Items {
		out.Items = append(out.Items, publicityItemJSON{ApplicationID: it.ApplicationID, ApplicationNo: it.ApplicationNo,
			EnterpriseName: it.EnterpriseName, PolicyTitle: it.PolicyTitle, AmountYuan: money.Yuan{Fen: it.AmountFen, Valid: true},
			State: string(it.State)})
	}
	return out
}

type publicityRequest struct {
	ApplicationIDs []int64 `json:"application_ids"`
	Days           int     `json:"days"` // working days; the configured default when 0
}

// startPublicity puts approved applications of a policy into a 公示.
func (s *Server) startPublicity(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireLogin(r); err != nil {
		return err
	}
	id, err := pathID(r, "id", policyWhat)
	if err != nil {
		return err
	}
	var req publicityRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	b, err := s.Policy.StartPublicity(r.Context(), id, req.ApplicationIDs, req.Days)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/publicity/"+strconv.FormatInt(b.ID, 10))
	writeJSON(w, http.StatusCreated, publicityJSONOf(b))
	return nil
}

// listPublicity is the public list of 公示, newest first (?open=true: only
// those taking objections; ?policy_id=).
func (s *Server) listPublicity(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := policy.PublicityFilter{Open: q.Get("open") == "true" || q.Get("open") == "1"}
	if v := q.Get("policy_id"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			return errs.Invalid("policy_id", i18n.M("应为正整数", "Must be a positive whole number"))
		}
		f.PolicyID = n
	}
	bs, err := s.Policy.ListPublicity(r.Context(), f)
	if err != nil {
		return err
	}
	out := make([]publicityJSON, 0, len(bs))
	for _, b := range bs {
		out = append(out, publicityJSONOf(b))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

func (s *Server) getPublicity(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", publicityWhat)
	if err != nil {
		return err
	}
	b, err := s.Policy.GetPublicity(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, publicityJSONOf(b))
	return nil
}

type objectionRequest struct {
	ApplicationID int64  `json:"application_id"`
	Name          string `json:"name"`
	Contact       string `json:"contact"`
	Reason        string `json:"reason"`
}

// objectToPublicity takes an objection from anyone, signed in or not, to
// one recipient of an open 公示; the payment waits until an officer
// decides. The policy service limits objections per client address (429).
func (s *Server) objectToPublicity() handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id", publicityWhat)
		if err != nil {
			return err
		}
		var req objectionRequest
		if err := decode(w, r, &req); err != nil {
			return err
		}
		if req.ApplicationID <= 0 {
			return errs.Invalid("application_id", i18n.M("请指明对哪一家公示对象提出异议", "Name the recipient you object to"))
		}
		o, err := s.Policy.ObjectToPublicity(r.Context(), id, req.ApplicationID, policy.ObjectionInput{Name: req.Name, Contact: req.Contact, Reason: req.Reason})
		if err != nil {
			return err
		}
		// The objector's contact is for officers; the answer confirms receipt.
		writeJSON(w, http.StatusCreated, map[string]any{"id": o.ID, "batch_id": o.BatchID, "application_id": o.ApplicationID, "state": o.State,
			"created_at": o.CreatedAt})
		return nil
	}
}

// runJSON is a 免申即享 run.
type runJSON struct {
	ID            int64         `json:"id"`
	PolicyID      int64         `json:"policy_id"`
	PolicyTitle   string        `json:"policy_title"`
	PolicyVersion int           `json:"policy_version"`
	Period        string        `json:"period"`
	AsOf          string        `json:"as_of"`
	State         string        `json:"state"`
	Eligible      int           `json:"eligible"`
	TotalYuan     money.Yuan    `json:"total_yuan"`
	CreatedBy     string        `json:"created_by"`
	CreatedAt     time.Time     `json:"created_at"`
	ConfirmedBy   string        `json:"confirmed_by,omitempty"`
	ConfirmedAt   *time.Time    `json:"confirmed_at,omitempty"`
	Rev           int           `json:"rev"`
	Items         []runItemJSON `json:"items,omitempty"`
}

// runItemJSON is one listed enterprise; the account number only ever
// masked.
type runItemJSON struct {
	ID             int64        `json:"id"`
	RunID          int64        `json:"run_id"`
	RunState       string       `json:"run_state"`
	PolicyID       int64        `json:"policy_id"`
	PolicyTitle    string       `json:"policy_title"`
	Period         string       `json:"period"`
	EnterpriseID   int64        `json:"enterprise_id"`
	EnterpriseName string       `json:"enterprise_name"`
	AmountYuan     money.Yuan   `json:"amount_yuan"`
	State          string       `json:"state"`
	BankName       string       `json:"bank_name,omitempty"`
	AccountName    string       `json:"account_name,omitempty"`
	AccountMasked  string       `json:"account_masked,omitempty"`
	ConfirmedAt    *time.Time   `json:"confirmed_at,omitempty"`
	Payment        *paymentJSON `json:"payment"`
}

func runItemJSONOf(it policy.RunItem) runItemJSON {
	return runItemJSON{ID: it.ID, RunID: it.RunID, RunState: it.RunState, PolicyID: it.PolicyID, PolicyTitle: it.PolicyTitle, Period: it.Period,
		EnterpriseID: it.EnterpriseID, EnterpriseName: it.EnterpriseName, AmountYuan: money.Yuan{Fen: it.AmountFen, Valid: true},
		State: it.State, BankName: it.BankName, AccountName: it.AccountName, AccountMasked: it.AccountMasked, ConfirmedAt: it.ConfirmedAt,
		Payment: paymentJSONOf(it.Payment)}
}

func runJSONOf(run policy.Run, items bool) runJSON {
	out := runJSON{ID: run.ID, PolicyID: run.PolicyID, PolicyTitle: run.PolicyTitle, PolicyVersion: run.PolicyVersion, Period: run.Period,
		AsOf: run.AsOf, State: run.State, Eligible: run.Eligible, TotalYuan: money.Yuan{Fen: run.TotalFen, Valid: true},
		CreatedBy: run.CreatedBy, CreatedAt: run.CreatedAt, ConfirmedBy: run.ConfirmedBy, ConfirmedAt: run.ConfirmedAt, Rev: run.Rev}
	if items {
		out.Items = []runItemJSON{}
		for _, it := range run.Items {
			out.Items = append(out.Items, runItemJSONOf(it))
		}
	}
	return out
}

type runRequest struct {
	Period string `json:"period"` // "2026", "2026Q3", "2026-09" or "once", as the benefit's period requires
	AsOf   string `json:"as_of"`  // the evaluation date; today when absent
}

// startRun evaluates every enterprise for a 免申即享 policy and lists the
// eligible ones with their amounts, for an officer to confirm.
func (s *Server) startRun(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireLogin(r); err != nil {
		return err
	}
	id, err := pathID(r, "id", policyWhat)
	if err != nil {
		return err
	}
	var req runRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	run, err := s.Policy.StartRun(r.Context(), id, strings.TrimSpace(req.Period), strings.TrimSpace(req.AsOf))
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/policy-runs/"+strconv.FormatInt(run.ID, 10))
	w.Header().Set("ETag", etag(run.Rev))
	writeJSON(w, http.StatusCreated, runJSONOf(run, true))
	return nil
}

func (s *Server) listRuns(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireLogin(r); err != nil {
		return err
	}
	id, err := pathID(r, "id", policyWhat)
	if err != nil {
		return err
	}
	runs, err := s.Policy.ListRuns(r.Context(), id)
	if err != nil {
		return err
	}
	out := make([]runJSON, 0, len(runs))
	for _, run := range runs {
		out = append(out, runJSONOf(run, false))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

func (s *Server) getRun(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireLogin(r); err != nil {
		return err
	}
	id, err := pathID(r, "id", runWhat)
	if err != nil {
		return err
	}
	run, err := s.Policy.GetRun(r.Context(), id)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(run.Rev))
	writeJSON(w, http.StatusOK, runJSONOf(run, true))
	return nil
}

// confirmRun confirms a run's list (If-Match required); each listed
// enterprise is told and asked for its receiving account.
func (s *Server) confirmRun(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireLogin(r); err != nil {
		return err
	}
	id, err := pathID(r, "id", runWhat)
	if err != nil {
		return err
	}
	rev, err := ifMatchVersion(r)
	if err != nil {
		return err
	}
	run, err := s.Policy.ConfirmRun(r.Context(), id, rev)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(run.Rev))
	writeJSON(w, http.StatusOK, runJSONOf(run, true))
	return nil
}

// enterpriseRunItems lists what confirmed 免申即享 runs owe or paid an
// enterprise: its own users and policy staff.
func (s *Server) enterpriseRunItems(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireLogin(r); err != nil {
		return err
	}
	id, err := pathID(r, "id", enterpriseWhat)
	if err != nil {
		return err
	}
	items, err := s.Policy.RunItemsFor(r.Context(), id)
	if err != nil {
		return err
	}
	out := make([]runItemJSON, 0, len(items))
	for _, it := range items {
		out = append(out, runItemJSONOf(it))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

type accountRequest struct {
	BankName    string `json:"bank_name"`
	AccountName string `json:"account_name"`
	AccountNo   string `json:"account_no"`
}

// confirmRunAccount records the account a listed enterprise is paid into
// (its own users only); the answer shows the number masked.
func (s *Server) confirmRunAccount(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireLogin(r); err != nil {
		return err
	}
	id, err := pathID(r, "id", runItemWhat)
	if err != nil {
		return err
	}
	var req accountRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	it, err := s.Policy.ConfirmAccount(r.Context(), id, policy.AccountInput{BankName: req.BankName, AccountName: req.AccountName, AccountNo: req.AccountNo})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, runItemJSONOf(it))
	return nil
}

type pushJSON struct {
	ID             int64     `json:"id"`
	PolicyID       int64     `json:"policy_id"`
	PolicyTitle    string    `json:"policy_title"`
	PolicyVersion  int       `json:"policy_version"`
	EnterpriseID   int64     `json:"enterprise_id"`
	EnterpriseName string    `json:"enterprise_name"`
	Reason         string    `json:"reason"`
	CreatedAt      time.Time `json:"created_at"`
}

// listPolicyPushes lists the enterprises told of a policy they qualify
// for, newest first: liaison officers and policy staff all, an enterprise
// its own (?enterprise_id=, ?policy_id=, ?limit=).
func (s *Server) listPolicyPushes(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireLogin(r); err != nil {
		return err
	}
	q := r.URL.Query()
	var f policy.PushFilter
	bad := errs.Fields{}
	for name, dst := range map[string]*int64{"enterprise_id": &f.EnterpriseID, "policy_id": &f.PolicyID} {
		if v := q.Get(name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 1 {
				bad.Add(name, i18n.M("应为正整数", "Must be a positive whole number"))
			}
			*dst = n
		}
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			bad.Add("limit", i18n.M("应为正整数", "Must be a positive whole number"))
		}
		f.Limit = n
	}
	if err := bad.Err(); err != nil {
		return err
	}
	ps, err := s.Policy.ListPushes(r.Context(), f)
	if err != nil {
		return err
	}
	out := make([]pushJSON, 0, len(ps))
	for _, p := range ps {
		out = append(out, pushJSON{ID: p.ID, PolicyID: p.PolicyID, PolicyTitle: p.PolicyTitle, PolicyVersion: p.PolicyVersion,
			EnterpriseID: p.EnterpriseID, EnterpriseName: p.EnterpriseName, Reason: p.Reason, CreatedAt: p.CreatedAt})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}
