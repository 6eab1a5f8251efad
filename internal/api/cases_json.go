package api

import (
	"context"
	"maps"
	"strings"
	"time"

	"github.com/qinqing/qinqing/internal/casework"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
)

// caseJSON is a case as the API speaks it: times RFC 3339 in UTC, dates
// YYYY-MM-DD, the working-day clock, and for a bundle its sub-cases. The
// steps, pauses, materials and form come with a single case, not in lists.
type caseJSON struct {
	CaseNo          string            `json:"case_no"`
	QueryCode       string            `json:"query_code"`
	Kind            string            `json:"kind"`
	ParentNo        string            `json:"parent_no,omitempty"`
	MatterCode      string            `json:"matter_code,omitempty"`
	MatterVersion   int               `json:"matter_version,omitempty"`
	BundleCode      string            `json:"bundle_code,omitempty"`
	Title           string            `json:"title"`
	EnterpriseID    int64             `json:"enterprise_id"`
	Applicant       string            `json:"applicant"`
	ContactName     string            `json:"contact_name"`
	ContactPhone    string            `json:"contact_phone"`
	ContactMasked   bool              `json:"contact_masked,omitempty"`
	Channel         string            `json:"channel"`
	ChannelName     string            `json:"channel_name"`
	ServicePoint    string            `json:"service_point,omitempty"`
	Authorization   string            `json:"authorization,omitempty"`
	Department      string            `json:"department"`
	DepartmentName  string            `json:"department_name"`
	State           string            `json:"state"`
	StateName       string            `json:"state_name"`
	CaseType        string            `json:"case_type"`
	CommittedDays   int               `json:"committed_days"`
	LegalDays       int               `json:"legal_days"`
	SubmittedAt     time.Time         `json:"submitted_at"`
	SubmittedOn     string            `json:"submitted_on"`
	AcceptedAt      *time.Time        `json:"accepted_at"`
	AcceptedOn      string            `json:"accepted_on,omitempty"`
	AcceptDocNo     string            `json:"accept_doc_no,omitempty"`
	RejectDocNo     string            `json:"reject_doc_no,omitempty"`
	SupplementDocNo string            `json:"supplement_doc_no,omitempty"`
	DecidedAt       *time.Time        `json:"decided_at"`
	DecidedOn       string            `json:"decided_on,omitempty"`
	Decision        string            `json:"decision,omitempty"`
	DecisionNote    string            `json:"decision_note,omitempty"`
	LegalBasis      string            `json:"legal_basis,omitempty"`
	CertificateName string            `json:"certificate_name,omitempty"`
	CertificateNo   string            `json:"certificate_no,omitempty"`
	Delivery        *deliveryJSON     `json:"delivery,omitempty"`
	Clock           clockJSON         `json:"clock"`
	Version         int               `json:"version"`
	CreatedAt       time.Time         `json:"created_at"`
	UpdatedAt       time.Time         `json:"updated_at"`
	Actions         []string          `json:"actions"`
	Documents       []string          `json:"documents,omitempty"`
	Form            map[string]string `json:"form,omitempty"`
	Steps           []stepJSON        `json:"steps,omitempty"`
	Pauses          []pauseJSON       `json:"pauses,omitempty"`
	Materials       []materialJSON    `json:"materials,omitempty"`
	Missing         []missingJSON     `json:"missing,omitempty"`
	Subs            []caseJSON        `json:"subs,omitempty"`
	Rating          *ratingJSON       `json:"rating,omitempty"`
}

type clockJSON struct {
	Started    bool   `json:"started"`
	Running    bool   `json:"running"`
	Paused     bool   `json:"paused"`
	Used       int    `json:"working_days_used"`
	Left       int    `json:"working_days_left"`
	Due        string `json:"due_on,omitempty"`
	Status     string `json:"status"`
	StatusName string `json:"status_name"`
	OnTime     *bool  `json:"on_time,omitempty"`
	Fallback   bool   `json:"fallback,omitempty"`
}

type deliveryJSON struct {
	Method      string     `json:"method"`
	TrackingNo  string     `json:"tracking_no,omitempty"`
	Address     string     `json:"address,omitempty"`
	DeliveredAt *time.Time `json:"delivered_at"`
}

type stepJSON struct {
	Action     string    `json:"action"`
	ActionName string    `json:"action_name"`
	From       string    `json:"from,omitempty"`
	To         string    `json:"to"`
	Actor      string    `json:"actor"`
	Role       string    `json:"role"`
	Department string    `json:"department,omitempty"`
	Opinion    string    `json:"opinion,omitempty"`
	At         time.Time `json:"at"`
}

type pauseJSON struct {
	Kind        string `json:"kind"`
	SpecialType string `json:"special_type,omitempty"`
	Reason      string `json:"reason"`
	From        string `json:"from"`
	To          string `json:"to,omitempty"`
}

type materialJSON struct {
	Seq        int    `json:"seq"`
	Name       string `json:"name"`
	Required   bool   `json:"required"`
	Source     string `json:"source"`
	Status     string `json:"status"`
	FileID     string `json:"file_id,omitempty"`
	Download   string `json:"download,omitempty"`
	ReusedFrom string `json:"reused_from,omitempty"`
}

type missingJSON struct {
	Name        string `json:"name"`
	Requirement string `json:"requirement"`
}

type ratingJSON struct {
	Level     int       `json:"level"`
	LevelName string    `json:"level_name"`
	Bad       bool      `json:"bad"`
	Comment   string    `json:"comment"`
	Excluded  bool      `json:"excluded"`
	RatedAt   time.Time `json:"rated_at"`
}

// caseJSONer converts cases for one request: its language, its caller
// and the department names.
type caseJSONer struct {
	lang  i18n.Lang
	p     *identity.Principal
	depts map[string]string
}

func (s *Server) caseJSONer(ctx context.Context, lang i18n.Lang) caseJSONer {
	j := caseJSONer{lang: lang, p: identity.PrincipalFrom(ctx), depts: map[string]string{}}
	if s.Matters != nil {
		if deps, err := s.Matters.Departments(ctx); err == nil {
			for _, d := range deps {
				j.depts[d.Code] = d.Name
			}
		}
	}
	return j
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// maskPhone keeps the first three and last four digits.
func maskPhone(s string) string {
	r := []rune(s)
	if len(r) < 8 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:3]) + strings.Repeat("*", len(r)-7) + string(r[len(r)-4:])
}

// seesCaseContact: those who handle the case or applied see the phone in
// full; supervisors see it masked.
func seesCaseContact(p *identity.Principal, c casework.Case) bool {
	return p.Can(identity.PermCaseIntake) || p.Can(identity.PermCaseAccept) || p.Can(identity.PermCaseReview) ||
		p.Can(identity.PermCaseDeliver) || (p.Can(identity.PermEnterpriseOwn) && p.EnterpriseID == c.EnterpriseID) ||
		(p != nil && p.Role == identity.RoleSystem)
}

func (j caseJSONer) clock(c casework.Case) clockJSON {
	ck := c.Clock
	return clockJSON{Started: ck.Started, Running: ck.Running, Paused: ck.Paused, Used: ck.Used, Left: ck.Left, Due: ck.Due.String(),
		Status: ck.Status, StatusName: casework.StatusLabel(ck.Status).In(j.lang), OnTime: ck.OnTime, Fallback: ck.Fallback}
}

// summary is a case without its steps, pauses, materials and form.
func (j caseJSONer) summary(c casework.Case) caseJSON {
	out := caseJSON{CaseNo: c.No, QueryCode: c.QueryCode, Kind: c.Kind, ParentNo: c.ParentNo, MatterCode: c.MatterCode,
		MatterVersion: c.MatterVersion, BundleCode: c.BundleCode, Title: c.Title, EnterpriseID: c.EnterpriseID, Applicant: c.Applicant,
		ContactName: c.ContactName, ContactPhone: c.ContactPhone, Channel: string(c.Channel), ChannelName: c.Channel.Label().In(j.lang),
		ServicePoint: c.ServicePoint, Authorization: c.Authorization, Department: c.Department, DepartmentName: j.depts[c.Department],
		State: string(c.State), StateName: c.State.Label().In(j.lang), CaseType: c.CaseType, CommittedDays: c.CommittedDays,
		LegalDays: c.LegalDays, SubmittedAt: c.SubmittedAt.UTC(), SubmittedOn: c.SubmittedOn.String(), AcceptedAt: utcPtr(c.AcceptedAt),
		AcceptedOn: c.AcceptedOn.String(), AcceptDocNo: c.AcceptDocNo, RejectDocNo: c.RejectDocNo, SupplementDocNo: c.SupplementDocNo,
		DecidedAt: utcPtr(c.DecidedAt), DecidedOn: c.DecidedOn.String(), Decision: c.Decision, DecisionNote: c.DecisionNote,
		LegalBasis: c.LegalBasis, CertificateName: c.CertificateName, CertificateNo: c.CertificateNo, Clock: j.clock(c),
		Version: c.Version, CreatedAt: c.CreatedAt.UTC(), UpdatedAt: c.UpdatedAt.UTC(), Actions: casework.AvailableActions(j.p, c)}
	if out.Actions == nil {
		out.Actions = []string{}
	}
	if !seesCaseContact(j.p, c) {
		out.ContactPhone, out.ContactMasked = maskPhone(c.ContactPhone), true
	}
	if c.DeliveredAt != nil {
		out.Delivery = &deliveryJSON{Method: c.DeliveryMethod, TrackingNo: c.TrackingNo, Address: c.DeliveryAddress, DeliveredAt: utcPtr(c.DeliveredAt)}
	}
	if c.AcceptDocNo != "" {
		out.Documents = append(out.Documents, "acceptance")
	}
	if c.RejectDocNo != "" {
		out.Documents = append(out.Documents, "rejection")
	}
	if c.SupplementDocNo != "" && len(c.Missing) > 0 {
		out.Documents = append(out.Documents, "supplement")
	}
	for _, sub := range c.Subs {
		out.Subs = append(out.Subs, j.summary(sub))
	}
	if c.Rating != nil {
		out.Rating = j.rating(*c.Rating)
	}
	return out
}

// full is a case with everything that belongs to it.
func (j caseJSONer) full(c casework.Case) caseJSON {
	out := j.summary(c)
	out.Form = c.Form
	if out.ContactMasked && c.Form["contact_phone"] != "" {
		out.Form = maps.Clone(c.Form)
		out.Form["contact_phone"] = maskPhone(c.Form["contact_phone"])
	}
	for _, st := range c.Steps {
		out.Steps = append(out.Steps, stepJSON{Action: st.Action, ActionName: stepName(st.Action).In(j.lang), From: string(st.From),
			To: string(st.To), Actor: st.Actor, Role: st.Role, Department: st.Department, Opinion: st.Opinion, At: st.At.UTC()})
	}
	for _, ps := range c.Pauses {
		out.Pauses = append(out.Pauses, pauseJSON{Kind: ps.Kind, SpecialType: ps.SpecialType, Reason: ps.Reason, From: ps.From.String(), To: ps.To.String()})
	}
	for _, m := range c.Materials {
		mj := materialJSON{Seq: m.Seq, Name: m.Name, Required: m.Required, Source: m.Source, Status: m.Status, FileID: m.FileID, ReusedFrom: m.ReusedFrom}
		if m.FileID != "" {
			mj.Download = "/api/v1/files/" + m.FileID
		}
		out.Materials = append(out.Materials, mj)
	}
	for _, m := range c.Missing {
		out.Missing = append(out.Missing, missingJSON{Name: m.Name, Requirement: m.Requirement})
	}
	return out
}

func (j caseJSONer) rating(r casework.Rating) *ratingJSON {
	return &ratingJSON{Level: r.Level, LevelName: casework.Levels[r.Level].In(j.lang), Bad: casework.Bad(r.Level), Comment: r.Comment,
		Excluded: r.Excluded, RatedAt: r.RatedAt.UTC()}
}

// stepName names a step's action, including the service's own steps.
func stepName(a string) i18n.Msg {
	switch a {
	case "submit":
		return i18n.M("提交申请", "submitted")
	case "complete":
		return i18n.M("全部子事项办结", "all member matters decided")
	}
	return casework.ActionLabel(a)
}
