package casework

import (
	"context"
	"crypto/subtle"
	"errors"
	"strings"
	"time"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
)

// canSee says whether p may read case c: the applicant enterprise, the
// front desk, the deciding department (and the bundle its sub-case belongs
// to), the agent's service point, supervisors.
func canSee(p *identity.Principal, c Case, subDepartments []string) bool {
	switch {
	case p == nil:
		return false
	case p.Can(identity.PermCaseSupervise), p.Can(identity.PermCaseAccept), p.Can(identity.PermCaseDeliver):
		return true
	case p.Can(identity.PermEnterpriseOwn):
		return p.EnterpriseID == c.EnterpriseID
	case p.Can(identity.PermCaseReview):
		if p.DepartmentCode == c.Department && c.Kind != "bundle" {
			return true
		}
		for _, d := range subDepartments {
			if d == p.DepartmentCode {
				return true
			}
		}
	case p.Role == identity.RoleAgent && p.Can(identity.PermCaseIntake):
		return p.ServicePoint != "" && p.ServicePoint == c.ServicePoint
	}
	return false
}

// Get returns a case with its steps, pauses, materials, 补正 list,
// sub-cases, rating and clock. Enterprise users see only their own cases,
// reviewers only their department's, agents only their point's.
func (s *Service) Get(ctx context.Context, no string) (Case, error) {
	p := identity.PrincipalFrom(ctx)
	c, err := loadCase(ctx, s.db, no)
	if err != nil {
		if p == nil || p.Can(identity.PermEnterpriseOwn) {
			_ = s.deny(ctx, "case.read", no) // do not reveal which numbers exist
			return Case{}, errs.Forbidden()
		}
		return Case{}, err
	}
	var subDepts []string
	if c.Kind == "bundle" {
		if c.Subs, err = loadSubs(ctx, s.db, c.ID); err != nil {
			return Case{}, err
		}
		for _, sub := range c.Subs {
			subDepts = append(subDepts, sub.Department)
		}
	}
	if !canSee(p, c, subDepts) {
		return Case{}, s.deny(ctx, "case.read", no)
	}
	return s.fill(ctx, s.db, c)
}

// fill loads what belongs to a case.
func (s *Service) fill(ctx context.Context, q db.Queryer, c Case) (Case, error) {
	var err error
	if c.Steps, err = loadSteps(ctx, q, c.ID); err != nil {
		return c, err
	}
	if c.Pauses, err = loadPauses(ctx, q, c.ID); err != nil {
		return c, err
	}
	if c.Materials, err = loadMaterials(ctx, q, c.ID); err != nil {
		return c, err
	}
	if c.Missing, err = loadMissing(ctx, q, c.ID); err != nil {
		return c, err
	}
	if c.Rating, err = loadRating(ctx, q, c.ID); err != nil {
		return c, err
	}
	if c.ParentID != 0 {
		parent, err := loadCaseByID(ctx, q, c.ParentID)
		if err != nil {
			return c, err
		}
		c.ParentNo = parent.No
	}
	if c.Kind == "bundle" && c.Subs == nil {
		if c.Subs, err = loadSubs(ctx, q, c.ID); err != nil {
			return c, err
		}
	}
	for i := range c.Subs {
		pauses, err := loadPauses(ctx, q, c.Subs[i].ID)
		if err != nil {
			return c, err
		}
		if c.Subs[i].Clock, err = s.clockOf(c.Subs[i], pauses, s.today()); err != nil {
			return c, err
		}
	}
	c.Clock, err = s.clockOf(c, c.Pauses, s.today())
	return c, err
}

// Public is what the public progress page shows with the case number and
// query code, without sign-in: no personal data.
type Public struct {
	No          string
	Title       string
	State       State
	SubmittedOn string
	AcceptedOn  string
	DueOn       string
	DecidedOn   string
	Steps       []PublicStep
	Subs        []Public
	Clock       Clock
}

// PublicStep is one step as the public sees it (who acted is not shown).
type PublicStep struct {
	Action string
	To     State
	At     string
}

// PublicProgress returns the public view of a case when the query code
// matches; a wrong code and an unknown number look the same.
func (s *Service) PublicProgress(ctx context.Context, no, code string) (Public, error) {
	ip, now := identity.RequestFrom(ctx).IP, s.now()
	if s.lookups.Blocked(ip, now) {
		return Public{}, errTooManyLookups
	}
	c, err := loadCase(ctx, s.db, strings.TrimSpace(no))
	if err != nil && !errors.Is(err, errs.ErrNotFound) {
		return Public{}, err
	}
	given := strings.ToUpper(strings.TrimSpace(code))
	if err != nil || c.Kind == "sub" || subtle.ConstantTimeCompare([]byte(given), []byte(c.QueryCode)) != 1 {
		s.lookups.Fail(ip, now)
		return Public{}, errs.NotFound(i18n.M("办件（请核对编号和查询码）", "Case (check the number and query code)"))
	}
	full, err := s.fill(ctx, s.db, c)
	if err != nil {
		return Public{}, err
	}
	pub := publicOf(full)
	for _, sub := range full.Subs {
		pub.Subs = append(pub.Subs, publicOf(sub))
	}
	return pub, nil
}

// A query code has six characters from a 31-letter alphabet (about 8.9
// × 10⁸ values) and case numbers are sequential, so the public lookup
// limits how often one address may guess wrong: LookupFailures misses per
// LookupWindow, after which it is refused until old misses age out.
const (
	LookupFailures = 30
	LookupWindow   = 15 * time.Minute
)

var errTooManyLookups = errs.New(errs.ErrTooManyRequest, "too_many_lookups", i18n.M(
	"查询失败次数过多，请 15 分钟后再试；如忘记查询码，可登录后在“我的办件”中查看",
	"Too many failed lookups; try again in 15 minutes, or sign in and find the case under My cases"))

func publicOf(c Case) Public {
	pub := Public{No: c.No, Title: c.Title, State: c.State, SubmittedOn: c.SubmittedOn.String(), Clock: c.Clock}
	if !c.AcceptedOn.IsZero() {
		pub.AcceptedOn = c.AcceptedOn.String()
	}
	if !c.Clock.Due.IsZero() {
		pub.DueOn = c.Clock.Due.String()
	}
	if !c.DecidedOn.IsZero() {
		pub.DecidedOn = c.DecidedOn.String()
	}
	for _, st := range c.Steps {
		pub.Steps = append(pub.Steps, PublicStep{Action: st.Action, To: st.To, At: st.At.In(chinaTZ).Format("2006-01-02 15:04")})
	}
	return pub
}

// Filter selects cases for a list or a work queue.
type Filter struct {
	Queue        string // accept, review, deliver, supplement, mine, point, supervise, all
	EnterpriseID int64
	Department   string
	State        State
	Deadline     string // yellow, red, at_risk (yellow or red)
	Q            string // case number or applicant name fragment
	Page         int
	PerPage      int
}

// Page is a page of cases.
type Page struct {
	Items   []Case
	Total   int
	Page    int
	PerPage int
}

// List returns a queue or list of cases the caller may see, ordered so the
// most urgent come first: overdue, then at risk, then by deadline.
func (s *Service) List(ctx context.Context, f Filter) (Page, error) {
	p := identity.PrincipalFrom(ctx)
	if p == nil {
		return Page{}, errs.New(errs.ErrUnauthorized, "unauthenticated", i18n.M("请先登录", "Sign in first"))
	}
	var where []string
	var args []any
	add := func(cond string, a ...any) { where = append(where, cond); args = append(args, a...) }
	switch f.Queue {
	case "accept":
		if !p.Can(identity.PermCaseAccept) {
			return Page{}, s.deny(ctx, "case.queue", f.Queue)
		}
		add("state = 'submitted' AND kind <> 'sub'")
	case "deliver":
		if !p.Can(identity.PermCaseDeliver) {
			return Page{}, s.deny(ctx, "case.queue", f.Queue)
		}
		add("state = 'approved' AND kind <> 'sub'")
	case "review":
		if !p.Can(identity.PermCaseReview) || p.DepartmentCode == "" {
			return Page{}, s.deny(ctx, "case.queue", f.Queue)
		}
		add("department_code = ? AND kind <> 'bundle' AND state IN ('in_review', 'suspended', 'supplement_requested')", p.DepartmentCode)
	case "mine":
		if !p.Can(identity.PermEnterpriseOwn) {
			return Page{}, s.deny(ctx, "case.queue", f.Queue)
		}
		add("enterprise_id = ? AND kind <> 'sub'", p.EnterpriseID)
	case "point":
		if p.Role != identity.RoleAgent || p.ServicePoint == "" {
			return Page{}, s.deny(ctx, "case.queue", f.Queue)
		}
		add("service_point_code = ? AND kind <> 'sub'", p.ServicePoint)
	case "supervise", "all", "":
		switch {
		case p.Can(identity.PermCaseSupervise), p.Can(identity.PermCaseAccept):
			add("kind <> 'sub'")
		case p.Can(identity.PermEnterpriseOwn):
			add("enterprise_id = ? AND kind <> 'sub'", p.EnterpriseID)
		case p.Can(identity.PermCaseReview) && p.DepartmentCode != "":
			add("department_code = ? AND kind <> 'bundle'", p.DepartmentCode)
		case p.Role == identity.RoleAgent && p.ServicePoint != "":
			add("service_point_code = ? AND kind <> 'sub'", p.ServicePoint)
		default:
			return Page{}, s.deny(ctx, "case.list", "")
		}
		if f.Queue == "supervise" {
			if !p.Can(identity.PermCaseSupervise) {
				return Page{}, s.deny(ctx, "case.queue", f.Queue)
			}
			where, args = nil, nil
			add("kind <> 'bundle' AND state IN ('in_review', 'suspended', 'supplement_requested')")
		}
	default:
		return Page{}, errs.Invalid("queue", i18n.M("未知的工作队列", "Unknown queue"))
	}
	if f.EnterpriseID != 0 {
		add("enterprise_id = ?", f.EnterpriseID)
	}
	if f.Department != "" {
		add("department_code = ?", f.Department)
	}
	if f.State != "" {
		add("state = ?", string(f.State))
	}
	switch f.Deadline {
	case "yellow", "red":
		add("deadline_status = ?", f.Deadline)
	case "at_risk":
		add("deadline_status IN ('yellow', 'red')")
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		add(`(case_no LIKE ? OR applicant_name LIKE ? ESCAPE '\')`, q+"%", "%"+escapeLike(q)+"%")
	}
	f.PerPage = min(max(f.PerPage, 0), 100)
	if f.PerPage == 0 {
		f.PerPage = 20
	}
	f.Page = max(f.Page, 1)
	cond := " WHERE " + strings.Join(where, " AND ")
	page := Page{Page: f.Page, PerPage: f.PerPage}
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM cases"+cond, args...).Scan(&page.Total); err != nil {
		return Page{}, wrap("count cases", err)
	}
	order := ` ORDER BY CASE deadline_status WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 WHEN 'green' THEN 2 ELSE 3 END,
		COALESCE(due_on, '9999'), id DESC`
	if f.Queue == "mine" || f.Queue == "point" || f.Queue == "all" {
		order = " ORDER BY id DESC"
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+caseCols+" FROM cases"+cond+order+" LIMIT ? OFFSET ?",
		append(args, f.PerPage, (f.Page-1)*f.PerPage)...)
	if err != nil {
		return Page{}, wrap("list cases", err)
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return Page{}, err
		}
		page.Items = append(page.Items, c)
	}
	if err := rows.Err(); err != nil {
		return Page{}, err
	}
	rows.Close()
	today := s.today()
	for i := range page.Items {
		pauses, err := loadPauses(ctx, s.db, page.Items[i].ID)
		if err != nil {
			return Page{}, err
		}
		if page.Items[i].Clock, err = s.clockOf(page.Items[i], pauses, today); err != nil {
			return Page{}, err
		}
	}
	return page, nil
}

// Overdue summarises open cases by department for supervisors: how many
// are open, at risk (yellow) and overdue (red).
type Overdue struct {
	Department string
	Open       int
	Yellow     int
	Red        int
}

// Supervision returns the per-department deadline picture.
func (s *Service) Supervision(ctx context.Context) ([]Overdue, error) {
	if !identity.PrincipalFrom(ctx).Can(identity.PermCaseSupervise) {
		return nil, s.deny(ctx, "case.supervise", "")
	}
	rows, err := s.db.QueryContext(ctx, `SELECT department_code, count(*),
		SUM(CASE WHEN deadline_status = 'yellow' THEN 1 ELSE 0 END), SUM(CASE WHEN deadline_status = 'red' THEN 1 ELSE 0 END)
		FROM cases WHERE kind <> 'bundle' AND state IN ('in_review', 'suspended', 'supplement_requested')
		GROUP BY department_code ORDER BY 4 DESC, 3 DESC, 1`)
	if err != nil {
		return nil, wrap("supervision", err)
	}
	defer rows.Close()
	var out []Overdue
	for rows.Next() {
		var o Overdue
		if err := rows.Scan(&o.Department, &o.Open, &o.Yellow, &o.Red); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// FileAllowed reports whether the caller may download a file because it is
// attached to a case they may see (or they uploaded it).
func (s *Service) FileAllowed(ctx context.Context, fileID string) (bool, error) {
	p := identity.PrincipalFrom(ctx)
	if p == nil {
		return false, nil
	}
	if _, err := s.files.Owned(ctx, fileID, p.AccountID); err == nil {
		return true, nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT k.case_no FROM case_materials m JOIN cases k ON k.id = m.case_id WHERE m.file_id = ?`, fileID)
	if err != nil {
		return false, err
	}
	var nos []string
	for rows.Next() {
		var no string
		rows.Scan(&no)
		nos = append(nos, no)
	}
	rows.Close()
	for _, no := range nos {
		c, err := loadCase(ctx, s.db, no)
		if err != nil {
			continue
		}
		var depts []string
		if c.Kind == "bundle" {
			subs, _ := loadSubs(ctx, s.db, c.ID)
			for _, sub := range subs {
				depts = append(depts, sub.Department)
			}
		}
		if canSee(p, c, depts) {
			return true, nil
		}
	}
	_ = s.deny(ctx, "file.read", fileID)
	return false, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
