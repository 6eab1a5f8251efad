package casework

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/qinqing/qinqing/internal/calendar"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/identity"
)

// Case is one application. Subs are the sub-cases of a bundle parent.
type Case struct {
	ID              int64
	No              string
	QueryCode       string
	Kind            string // single, bundle (a 一件事 parent) or sub
	ParentID        int64
	MatterCode      string
	MatterVersion   int
	BundleCode      string
	Title           string
	EnterpriseID    int64
	Applicant       string
	ContactName     string
	ContactPhone    string
	Channel         Channel
	FiledBy         int64
	FiledByRole     identity.Role
	ServicePoint    string
	Authorization   string
	Department      string
	State           State
	ResumeState     State // where a supplement returns to
	Form            map[string]string
	CaseType        string
	CommittedDays   int
	LegalDays       int
	SubmittedAt     time.Time
	SubmittedOn     calendar.Date
	AcceptedAt      *time.Time
	AcceptedOn      calendar.Date
	AcceptedBy      int64
	AcceptDocNo     string
	RejectDocNo     string
	SupplementDocNo string
	DueOn           calendar.Date
	DecidedAt       *time.Time
	DecidedOn       calendar.Date
	Decision        string
	DecisionNote    string
	LegalBasis      string
	CertificateName string
	CertificateNo   string
	DeliveryMethod  string
	DeliveryAddress string
	TrackingNo      string
	DeliveredAt     *time.Time
	DeadlineStatus  string
	Version         int
	CreatedAt       time.Time
	UpdatedAt       time.Time

	// Filled by Get.
	Steps     []Step
	Pauses    []Pause
	Materials []CaseMaterial
	Missing   []MissingItem // the latest 一次性告知 list
	Subs      []Case
	Rating    *Rating
	Clock     Clock
	ParentNo  string
}

// Step is one recorded action on a case.
type Step struct {
	Action     string
	From, To   State
	ActorID    int64
	Actor      string
	Role       string
	Department string
	Opinion    string
	Detail     map[string]any
	At         time.Time
}

// Pause is a stretch during which the clock stood still.
type Pause struct {
	Kind        string // supplement or special
	SpecialType string // 检验, 检测, 听证, 专家评审, 现场勘验 …
	Reason      string
	From        calendar.Date
	To          calendar.Date // zero while it lasts
}

// CaseMaterial is one material of a case and how it was satisfied.
type CaseMaterial struct {
	Seq        int
	Name       string
	Required   bool
	Source     string
	Status     string // provided, reused, shared, not_provided
	FileID     string
	ReusedFrom string

	memberOf []string // bundle members needing it, while filing
}

// MissingItem is one entry of a 补正 list.
type MissingItem struct {
	Name        string
	Requirement string
}

const caseCols = `id, case_no, query_code, kind, COALESCE(parent_id, 0), COALESCE(matter_code, ''), COALESCE(matter_version, 0),
	COALESCE(bundle_code, ''), title, enterprise_id, applicant_name, contact_name, contact_phone, channel, COALESCE(filed_by, 0),
	filed_by_role, COALESCE(service_point_code, ''), authorization_note, department_code, state, COALESCE(resume_state, ''), form,
	case_type, committed_days, legal_days, submitted_at, submitted_on, accepted_at, COALESCE(accepted_on, ''),
	COALESCE(accepted_by, 0), accept_doc_no, reject_doc_no, supplement_doc_no, COALESCE(due_on, ''), decided_at,
	COALESCE(decided_on, ''), decision, decision_note, legal_basis, certificate_name, certificate_no, delivery_method,
	delivery_address, tracking_no, delivered_at, deadline_status, version, created_at, updated_at`

func scanCase(row interface{ Scan(...any) error }) (Case, error) {
	var c Case
	var form, submittedOn, acceptedOn, dueOn, decidedOn string
	var acceptedAt, decidedAt, deliveredAt sql.NullTime
	err := row.Scan(&c.ID, &c.No, &c.QueryCode, &c.Kind, &c.ParentID, &c.MatterCode, &c.MatterVersion, &c.BundleCode, &c.Title,
		&c.EnterpriseID, &c.Applicant, &c.ContactName, &c.ContactPhone, &c.Channel, &c.FiledBy, &c.FiledByRole, &c.ServicePoint,
		&c.Authorization, &c.Department, &c.State, &c.ResumeState, &form, &c.CaseType, &c.CommittedDays, &c.LegalDays,
		&c.SubmittedAt, &submittedOn, &acceptedAt, &acceptedOn, &c.AcceptedBy, &c.AcceptDocNo, &c.RejectDocNo,
		&c.SupplementDocNo, &dueOn, &decidedAt, &decidedOn, &c.Decision, &c.DecisionNote, &c.LegalBasis, &c.CertificateName,
		&c.CertificateNo, &c.DeliveryMethod, &c.DeliveryAddress, &c.TrackingNo, &deliveredAt, &c.DeadlineStatus, &c.Version,
		&c.CreatedAt, &c.UpdatedAt)
	if err != nil {
		return c, err
	}
	c.SubmittedOn, c.AcceptedOn, c.DueOn, c.DecidedOn = date(submittedOn), date(acceptedOn), date(dueOn), date(decidedOn)
	c.AcceptedAt, c.DecidedAt, c.DeliveredAt = timePtr(acceptedAt), timePtr(decidedAt), timePtr(deliveredAt)
	c.SubmittedAt, c.CreatedAt, c.UpdatedAt = c.SubmittedAt.UTC(), c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	c.Form = map[string]string{}
	_ = json.Unmarshal([]byte(form), &c.Form)
	return c, nil
}

func date(s string) calendar.Date {
	d, _ := calendar.ParseDate(s)
	return d
}

func dateArg(d calendar.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// loadCase reads a case row by number (q may be a transaction).
func loadCase(ctx context.Context, q db.Queryer, no string) (Case, error) {
	c, err := scanCase(q.QueryRowContext(ctx, "SELECT "+caseCols+" FROM cases WHERE case_no = ?", no))
	if errors.Is(err, sql.ErrNoRows) {
		return Case{}, errCaseNotFound
	}
	return c, wrap("load case "+no, err)
}

func loadCaseByID(ctx context.Context, q db.Queryer, id int64) (Case, error) {
	c, err := scanCase(q.QueryRowContext(ctx, "SELECT "+caseCols+" FROM cases WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return Case{}, errCaseNotFound
	}
	return c, wrap(fmt.Sprintf("load case %d", id), err)
}

func loadSubs(ctx context.Context, q db.Queryer, parent int64) ([]Case, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+caseCols+" FROM cases WHERE parent_id = ? ORDER BY id", parent)
	if err != nil {
		return nil, wrap("load sub-cases", err)
	}
	defer rows.Close()
	var out []Case
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func loadPauses(ctx context.Context, q db.Queryer, caseID int64) ([]Pause, error) {
	rows, err := q.QueryContext(ctx, "SELECT kind, special_type, reason, from_on, COALESCE(to_on, '') FROM case_pauses WHERE case_id = ? ORDER BY id", caseID)
	if err != nil {
		return nil, wrap("load pauses", err)
	}
	defer rows.Close()
	var out []Pause
	for rows.Next() {
		var p Pause
		var from, to string
		if err := rows.Scan(&p.Kind, &p.SpecialType, &p.Reason, &from, &to); err != nil {
			return nil, err
		}
		p.From, p.To = date(from), date(to)
		out = append(out, p)
	}
	return out, rows.Err()
}

func loadSteps(ctx context.Context, q db.Queryer, caseID int64) ([]Step, error) {
	rows, err := q.QueryContext(ctx, `SELECT action, from_state, to_state, COALESCE(actor_id, 0), actor, role, department_code, opinion, detail, at
		FROM case_steps WHERE case_id = ? ORDER BY id`, caseID)
	if err != nil {
		return nil, wrap("load steps", err)
	}
	defer rows.Close()
	var out []Step
	for rows.Next() {
		var st Step
		var detail string
		if err := rows.Scan(&st.Action, &st.From, &st.To, &st.ActorID, &st.Actor, &st.Role, &st.Department, &st.Opinion, &detail, &st.At); err != nil {
			return nil, err
		}
		st.At = st.At.UTC()
		_ = json.Unmarshal([]byte(detail), &st.Detail)
		out = append(out, st)
	}
	return out, rows.Err()
}

func loadMaterials(ctx context.Context, q db.Queryer, caseID int64) ([]CaseMaterial, error) {
	rows, err := q.QueryContext(ctx, `SELECT seq, name, required, source, status, COALESCE(file_id, ''), reused_from
		FROM case_materials WHERE case_id = ? ORDER BY seq`, caseID)
	if err != nil {
		return nil, wrap("load materials", err)
	}
	defer rows.Close()
	var out []CaseMaterial
	for rows.Next() {
		var m CaseMaterial
		if err := rows.Scan(&m.Seq, &m.Name, &m.Required, &m.Source, &m.Status, &m.FileID, &m.ReusedFrom); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func loadMissing(ctx context.Context, q db.Queryer, caseID int64) ([]MissingItem, error) {
	rows, err := q.QueryContext(ctx, `SELECT name, requirement FROM case_missing WHERE case_id = ?
		AND round = (SELECT COALESCE(MAX(round), 0) FROM case_missing WHERE case_id = ?) ORDER BY seq`, caseID, caseID)
	if err != nil {
		return nil, wrap("load missing", err)
	}
	defer rows.Close()
	var out []MissingItem
	for rows.Next() {
		var m MissingItem
		if err := rows.Scan(&m.Name, &m.Requirement); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// insertStep records an action on a case.
func insertStep(ctx context.Context, tx *db.Tx, c Case, action string, from, to State, opinion string, detail map[string]any, at time.Time) error {
	p := identity.PrincipalFrom(ctx)
	actor, role, dept := "system", "system", ""
	var actorID any
	if p != nil {
		actor, role, dept = p.Username, string(p.Role), p.DepartmentCode
		if p.AccountID != 0 {
			actorID = p.AccountID
		}
	}
	if detail == nil {
		detail = map[string]any{}
	}
	b, _ := json.Marshal(detail)
	_, err := tx.ExecContext(ctx, `INSERT INTO case_steps (case_id, action, from_state, to_state, actor_id, actor, role, department_code, opinion, detail, at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, action, string(from), string(to), actorID, actor, role, dept, opinion, string(b), at)
	return wrap("record step", err)
}

// nextCounter increments a named counter inside tx and returns the new value.
func nextCounter(ctx context.Context, tx *db.Tx, name string) (int64, error) {
	var n int64
	err := tx.QueryRowContext(ctx, `INSERT INTO counters (name, last) VALUES (?, 1)
		ON CONFLICT (name) DO UPDATE SET last = counters.last + 1 RETURNING last`, name).Scan(&n)
	return n, wrap("counter "+name, err)
}

// compact renders a date as YYYYMMDD for case numbers.
func compact(d calendar.Date) string { return strings.ReplaceAll(d.String(), "-", "") }
