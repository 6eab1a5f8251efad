package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/qinqing/qinqing/internal/casework"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
)

type noticeJSON struct {
	ID        int64     `json:"id"`
	Kind      string    `json:"kind"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	Link      string    `json:"link,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	Read      bool      `json:"read"`
}

// inbox lists the caller's newest notices (limit, default 50, at most 200)
// with the unread count.
func (s *Server) inbox(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireLogin(r); err != nil {
		return err
	}
	limit := 50
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 200 {
			return errs.Invalid("limit", i18n.M("limit 为 1–200", "limit is 1 to 200"))
		}
		limit = n
	}
	items, unread, err := s.Notify.Inbox(r.Context(), limit)
	if err != nil {
		return err
	}
	lang := httpmw.Lang(r)
	out := []noticeJSON{}
	for _, it := range items {
		out = append(out, noticeJSON{ID: it.ID, Kind: it.Kind, Title: it.Title.In(lang), Body: it.Body.In(lang), Link: it.Link,
			CreatedAt: it.CreatedAt.UTC(), Read: it.Read})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out, "unread": unread})
	return nil
}

func (s *Server) inboxRead(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireLogin(r); err != nil {
		return err
	}
	if err := s.Notify.MarkAllRead(r.Context()); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type rectificationJSON struct {
	ID              int64  `json:"id"`
	CaseNo          string `json:"case_no"`
	CaseTitle       string `json:"case_title"`
	Department      string `json:"department"`
	Level           int    `json:"level"`
	LevelName       string `json:"level_name"`
	Comment         string `json:"comment"`
	State           string `json:"state"`
	DueOn           string `json:"due_on"`
	Overdue         bool   `json:"overdue"`
	ContactNote     string `json:"contact_note,omitempty"`
	RectifyNote     string `json:"rectify_note,omitempty"`
	ReturnVisitNote string `json:"return_visit_note,omitempty"`
	AppealReason    string `json:"appeal_reason,omitempty"`
	AppealNote      string `json:"appeal_note,omitempty"`
	ClosedOn        string `json:"closed_on,omitempty"`
	Version         int    `json:"version"`
}

func rectificationOf(x casework.Rectification, lang i18n.Lang) rectificationJSON {
	return rectificationJSON{ID: x.ID, CaseNo: x.CaseNo, CaseTitle: x.CaseTitle, Department: x.Department, Level: x.Level,
		LevelName: casework.Levels[x.Level].In(lang), Comment: x.Comment, State: x.State, DueOn: x.DueOn, Overdue: x.Overdue,
		ContactNote: x.ContactNote, RectifyNote: x.RectifyNote, ReturnVisitNote: x.ReturnVisitNote, AppealReason: x.AppealReason,
		AppealNote: x.AppealNote, ClosedOn: x.ClosedOn, Version: x.Version}
}

// listRectifications lists 差评 follow-ups: a reviewer its department's, a
// supervisor all (state=appealed for the appeals to decide).
func (s *Server) listRectifications(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireLogin(r); err != nil {
		return err
	}
	list, err := s.Cases.Rectifications(r.Context(), r.URL.Query().Get("state"))
	if err != nil {
		return err
	}
	lang := httpmw.Lang(r)
	out := []rectificationJSON{}
	for _, x := range list {
		out = append(out, rectificationOf(x, lang))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

type rectifyRequest struct {
	Note string `json:"note"`
}

// rectify moves a follow-up (contact, rectify, return_visit, appeal by the
// department; uphold, overrule by a supervisor) with If-Match.
func (s *Server) rectify(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireLogin(r); err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return errs.NotFound(i18n.M("整改任务", "Rectification"))
	}
	version, err := ifMatchVersion(r)
	if err != nil {
		return err
	}
	var req rectifyRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	x, err := s.Cases.Rectify(r.Context(), id, r.PathValue("move"), req.Note, version)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(x.Version))
	writeJSON(w, http.StatusOK, rectificationOf(x, httpmw.Lang(r)))
	return nil
}

type supervisionJSON struct {
	Department     string `json:"department"`
	DepartmentName string `json:"department_name"`
	Open           int    `json:"open"`
	AtRisk         int    `json:"at_risk"`
	Overdue        int    `json:"overdue"`
}

// supervision is the per-department deadline picture for supervisors.
func (s *Server) supervision(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireLogin(r); err != nil {
		return err
	}
	rows, err := s.Cases.Supervision(r.Context())
	if err != nil {
		return err
	}
	j := s.caseJSONer(r.Context(), httpmw.Lang(r))
	out := []supervisionJSON{}
	for _, o := range rows {
		out = append(out, supervisionJSON{Department: o.Department, DepartmentName: j.depts[o.Department], Open: o.Open, AtRisk: o.Yellow, Overdue: o.Red})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}
