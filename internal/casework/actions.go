package casework

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/calendar"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/notify"
)

// The action names (the API uses these).
const (
	ActAccept            = "accept"
	ActReject            = "reject"
	ActRequestSupplement = "request_supplement"
	ActSupplement        = "supplement"
	ActSuspend           = "suspend"
	ActResume            = "resume"
	ActApprove           = "approve"
	ActDeny              = "deny"
	ActDeliver           = "deliver"
	ActWithdraw          = "withdraw"
)

// Actions lists every action.
var Actions = []string{ActAccept, ActReject, ActRequestSupplement, ActSupplement, ActSuspend, ActResume, ActApprove, ActDeny, ActDeliver, ActWithdraw}

// SpecialTypes are the special procedures that stop the clock
// (《行政许可法》第四十五条: 听证、招标、拍卖、检验、检测、检疫、鉴定和专家评审).
var SpecialTypes = []string{"听证", "招标", "拍卖", "检验", "检测", "检疫", "鉴定", "专家评审", "现场勘验"}

// Action is one step a person takes on a case.
type Action struct {
	Name           string
	IfVersion      int // the case version the actor saw; required
	Opinion        string
	Reason         string        // reject, deny, suspend, request_supplement
	LegalBasis     string        // deny (required), reject
	Missing        []MissingItem // request_supplement: the complete list (一次性告知)
	SpecialType    string        // suspend
	Files          map[int]string
	CertificateNo  string // approve: the number of the issued certificate (generated when empty)
	DeliveryMethod string // deliver: window or mail
	TrackingNo     string // deliver by mail
	Address        string // deliver by mail
}

// transition is a legal move: from which states, to which, who may.
type transition struct {
	from []State
	to   State
}

var transitions = map[string]transition{
	ActAccept:            {[]State{Submitted}, InReview},
	ActReject:            {[]State{Submitted}, NotAccepted},
	ActRequestSupplement: {[]State{Submitted, InReview}, SupplementRequested},
	ActSupplement:        {[]State{SupplementRequested}, ""}, // back where it was
	ActSuspend:           {[]State{InReview}, Suspended},
	ActResume:            {[]State{Suspended}, InReview},
	ActApprove:           {[]State{InReview, Submitted}, Approved}, // from submitted only for 即办件
	ActDeny:              {[]State{InReview}, Denied},
	ActDeliver:           {[]State{Approved}, Delivered},
	ActWithdraw:          {[]State{Submitted, InReview, SupplementRequested, Suspended}, Withdrawn},
}

// ErrVersionRequired asks for the case version (If-Match) on an action.
var ErrVersionRequired = errs.New(errs.ErrPreconditionRequired, "version_required",
	i18n.M("请带上办件的当前版本（If-Match）", "Send the case's current version (If-Match)"))

func errStale(have int) error {
	return errs.New(errs.ErrPrecondition, "stale_version", i18n.M(
		fmt.Sprintf("办件已被他人处理（当前版本 %d），请刷新后再操作", have),
		fmt.Sprintf("The case was changed by someone else (now version %d); reload before acting", have)))
}

func errIllegal(a string, st State) error {
	return errs.Conflict("illegal_transition", i18n.M(
		fmt.Sprintf("办件当前为“%s”，不能执行“%s”", st.Label().Zh, actionLabel(a).Zh),
		fmt.Sprintf("A case that is %q cannot be %s", st.Label().En, actionLabel(a).En)))
}

// actionLabel names an action.
func actionLabel(a string) i18n.Msg {
	switch a {
	case "submit":
		return i18n.M("提交申请", "applied")
	case "complete":
		return i18n.M("一件事办结", "bundle completed")
	case ActAccept:
		return i18n.M("受理", "accepted")
	case ActReject:
		return i18n.M("不予受理", "refused")
	case ActRequestSupplement:
		return i18n.M("一次性告知补正", "sent back for supplement")
	case ActSupplement:
		return i18n.M("补正材料", "supplemented")
	case ActSuspend:
		return i18n.M("启动特别程序", "suspended")
	case ActResume:
		return i18n.M("结束特别程序", "resumed")
	case ActApprove:
		return i18n.M("准予", "approved")
	case ActDeny:
		return i18n.M("不予许可", "denied")
	case ActDeliver:
		return i18n.M("出件", "delivered")
	case ActWithdraw:
		return i18n.M("撤回", "withdrawn")
	}
	return i18n.M(a, a)
}

// ActionLabel is the display name of an action.
func ActionLabel(a string) i18n.Msg { return actionLabel(a) }

// allowed says whether p may take action a on case c (its department,
// its enterprise, its role).
func allowed(p *identity.Principal, c Case, a string) bool {
	ownFirm := p.Can(identity.PermEnterpriseOwn) && p.EnterpriseID == c.EnterpriseID
	ownDept := p.Can(identity.PermCaseReview) && p.DepartmentCode == c.Department && c.Kind != "bundle"
	frontDesk := p.Can(identity.PermCaseAccept) && c.Kind != "sub"
	// A department's own window (专窗) may accept its single-matter cases
	// too; the one-window acceptance rate measures how much goes through
	// the comprehensive window instead.
	deptWindow := ownDept && c.Kind == "single"
	switch a {
	case ActAccept, ActReject:
		return frontDesk || deptWindow
	case ActRequestSupplement:
		if c.State == Submitted {
			return frontDesk || deptWindow
		}
		return ownDept
	case ActSupplement:
		return ownFirm || p.Can(identity.PermCaseIntake)
	case ActSuspend, ActResume, ActDeny:
		return ownDept
	case ActApprove:
		if c.State == Submitted && c.CaseType == "instant" {
			return frontDesk && c.Kind == "single"
		}
		return ownDept
	case ActDeliver:
		return p.Can(identity.PermCaseDeliver) && c.Kind != "sub"
	case ActWithdraw:
		return (ownFirm || p.Can(identity.PermCaseIntake)) && c.Kind != "sub"
	}
	return false
}

// legal reports whether action a may start from c's state.
func legal(c Case, a string) bool {
	tr, ok := transitions[a]
	if !ok || !slices.Contains(tr.from, c.State) {
		return false
	}
	// Only 即办件 go from submitted straight to approved.
	if a == ActApprove && c.State == Submitted {
		return c.CaseType == "instant" && c.Kind == "single"
	}
	return true
}

// AvailableActions lists, in Actions order, the actions p may take on c
// now: legal in the case's state and allowed to p's role, department or
// enterprise. Pages and the API offer exactly these; Act checks the same
// rules again against the stored case.
func AvailableActions(p *identity.Principal, c Case) []string {
	if p == nil {
		return nil
	}
	var out []string
	for _, a := range Actions {
		if legal(c, a) && allowed(p, c, a) {
			out = append(out, a)
		}
	}
	return out
}

// IsApplicant reports whether p acts for the enterprise that applied.
func IsApplicant(p *identity.Principal, c Case) bool {
	return p != nil && p.Can(identity.PermEnterpriseOwn) && p.EnterpriseID == c.EnterpriseID
}

// MayRate reports whether p may rate c now: the applicant, once the case
// is decided, once (Rate enforces the same).
func MayRate(p *identity.Principal, c Case) bool {
	return IsApplicant(p, c) && c.Kind != "sub" && c.State.Decided() && c.Rating == nil
}

// Act takes an action on a case. It returns ErrPreconditionRequired without
// a version, ErrPrecondition when the version is stale (someone acted
// first), ErrConflict for an action the state does not allow, ErrForbidden
// when the actor may not, and ErrInvalid when a required reason, list or
// number is missing.
func (s *Service) Act(ctx context.Context, caseNo string, a Action) (Case, error) {
	p := identity.PrincipalFrom(ctx)
	tr, ok := transitions[a.Name]
	if !ok {
		return Case{}, errs.Invalid("action", i18n.M("未知的操作："+a.Name, "Unknown action: "+a.Name))
	}
	if a.IfVersion == 0 {
		return Case{}, ErrVersionRequired
	}
	if err := s.checkInput(&a); err != nil {
		return Case{}, err
	}
	var touched []int64
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		c, err := loadCase(ctx, tx, caseNo)
		if err != nil {
			return err
		}
		if !allowed(p, c, a.Name) {
			return errForbiddenAfter
		}
		if c.Version != a.IfVersion {
			return errStale(c.Version)
		}
		if !legal(c, a.Name) {
			return errIllegal(a.Name, c.State)
		}
		touched, err = s.apply(ctx, tx, c, a, tr)
		return err
	})
	if err == errForbiddenAfter {
		return Case{}, s.deny(ctx, "case."+a.Name, caseNo)
	}
	if err != nil {
		return Case{}, err
	}
	_ = touched
	return s.Get(ctx, caseNo)
}

// errForbiddenAfter carries a refusal out of the transaction so the denial
// is audited in its own.
var errForbiddenAfter = errs.Forbidden()

// checkInput enforces what each action must carry.
func (s *Service) checkInput(a *Action) error {
	f := errs.Fields{}
	a.Reason, a.Opinion, a.LegalBasis = strings.TrimSpace(a.Reason), strings.TrimSpace(a.Opinion), strings.TrimSpace(a.LegalBasis)
	if a.Reason == "" && (a.Name == ActReject || a.Name == ActDeny || a.Name == ActSuspend) {
		a.Reason = a.Opinion
	}
	switch a.Name {
	case ActReject, ActSuspend:
		if a.Reason == "" {
			f.Add("reason", i18n.M("必须说明理由", "A reason is required"))
		}
	case ActDeny:
		if a.Reason == "" {
			f.Add("reason", i18n.M("必须说明不予许可的理由", "A reason is required"))
		}
		if a.LegalBasis == "" {
			f.Add("legal_basis", i18n.M("必须写明法律依据", "The legal basis is required"))
		}
	case ActRequestSupplement:
		var clean []MissingItem
		// Every listed item says what is missing and what would put it
		// right: the 补正通知书 prints both (行政许可法第三十二条). Rows
		// left wholly blank (a form's spare lines) are dropped.
		for i, m := range a.Missing {
			m = MissingItem{Name: strings.TrimSpace(m.Name), Requirement: strings.TrimSpace(m.Requirement)}
			switch {
			case m.Name == "" && m.Requirement == "":
				continue
			case m.Name == "":
				f.Add(fmt.Sprintf("missing[%d].name", i), i18n.M("请写明缺少或需更正的材料", "Name the missing or faulty material"))
			case m.Requirement == "":
				f.Add(fmt.Sprintf("missing[%d].requirement", i), i18n.M("请写明补正要求", "State what must be supplemented or corrected"))
			}
			clean = append(clean, m)
		}
		a.Missing = clean
		if len(a.Missing) == 0 {
			f.Add("missing", i18n.M("请一次性列出需要补正的全部内容", "List everything to supplement, in one go"))
		}
	case ActDeliver:
		switch a.DeliveryMethod {
		case "window":
		case "mail":
			if strings.TrimSpace(a.TrackingNo) == "" {
				f.Add("tracking_no", i18n.M("邮寄出件须填写运单号", "Mail delivery needs a tracking number"))
			}
		default:
			f.Add("delivery_method", i18n.M("出件方式为窗口领取或免费邮寄", "Delivery is window pickup or mail"))
		}
	}
	if a.Name == ActSuspend && !slices.Contains(SpecialTypes, a.SpecialType) {
		f.Add("special_type", i18n.M("特别程序类型应为："+strings.Join(SpecialTypes, "、"), "Special procedure must be one of: "+strings.Join(SpecialTypes, ", ")))
	}
	return f.Err()
}

// apply performs a legal action inside tx and returns the ids of the cases
// it changed.
func (s *Service) apply(ctx context.Context, tx *db.Tx, c Case, a Action, tr transition) ([]int64, error) {
	now := s.now()
	today := s.today()
	from := c.State
	to := tr.to
	detail := map[string]any{}
	set := []string{}
	args := []any{}
	put := func(col string, v any) { set = append(set, col+" = ?"); args = append(args, v) }

	switch a.Name {
	case ActAccept:
		put("accepted_at", now)
		put("accepted_on", today.String())
		if p := identity.PrincipalFrom(ctx); p != nil && p.AccountID != 0 {
			put("accepted_by", p.AccountID)
		}
		docNo, err := s.docNo(ctx, tx, "受", today)
		if err != nil {
			return nil, err
		}
		put("accept_doc_no", docNo)
		due, err := s.dueDate(today, c.CommittedDays, nil)
		if err != nil {
			return nil, err
		}
		put("due_on", due.String())
		put("deadline_status", "green")
		detail["due_on"], detail["doc_no"] = due.String(), docNo
	case ActReject:
		docNo, err := s.docNo(ctx, tx, "不受", today)
		if err != nil {
			return nil, err
		}
		put("reject_doc_no", docNo)
		put("decided_at", now)
		put("decided_on", today.String())
		put("decision", "not_accepted")
		put("decision_note", a.Reason)
		put("legal_basis", a.LegalBasis)
		detail["doc_no"] = docNo
	case ActRequestSupplement:
		put("resume_state", string(c.State))
		docNo, err := s.docNo(ctx, tx, "补", today)
		if err != nil {
			return nil, err
		}
		put("supplement_doc_no", docNo)
		var round int
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(round), 0) + 1 FROM case_missing WHERE case_id = ?", c.ID).Scan(&round); err != nil {
			return nil, err
		}
		for i, m := range a.Missing {
			if _, err := tx.ExecContext(ctx, "INSERT INTO case_missing (case_id, round, seq, name, requirement) VALUES (?, ?, ?, ?, ?)",
				c.ID, round, i+1, m.Name, m.Requirement); err != nil {
				return nil, err
			}
		}
		if c.State == InReview { // the clock runs only after acceptance
			if err := s.startPause(ctx, tx, c, "supplement", "", a.Reason, today); err != nil {
				return nil, err
			}
		}
		detail["missing"], detail["doc_no"] = a.Missing, docNo
	case ActSupplement:
		to = c.ResumeState
		put("resume_state", nil)
		if err := s.attach(ctx, tx, c, a.Files); err != nil {
			return nil, err
		}
		if to == InReview {
			if err := s.endPause(ctx, tx, c, today); err != nil {
				return nil, err
			}
		}
		detail["files"] = len(a.Files)
	case ActSuspend:
		if err := s.startPause(ctx, tx, c, "special", a.SpecialType, a.Reason, today); err != nil {
			return nil, err
		}
		detail["special_type"] = a.SpecialType
	case ActResume:
		if err := s.endPause(ctx, tx, c, today); err != nil {
			return nil, err
		}
	case ActApprove:
		if c.State == Submitted { // 即办件: accepted and decided on the spot
			docNo, err := s.docNo(ctx, tx, "受", today)
			if err != nil {
				return nil, err
			}
			put("accepted_at", now)
			put("accepted_on", today.String())
			put("accept_doc_no", docNo)
			put("due_on", today.String())
			if err := insertStep(ctx, tx, c, ActAccept, Submitted, InReview, "即办件当场受理", map[string]any{"doc_no": docNo}, now); err != nil {
				return nil, err
			}
			from = InReview
		}
		put("decided_at", now)
		put("decided_on", today.String())
		put("decision", "approved")
		put("decision_note", a.Opinion)
		name, no, err := s.issueCertificate(ctx, tx, c, a.CertificateNo, today)
		if err != nil {
			return nil, err
		}
		put("certificate_name", name)
		put("certificate_no", no)
		put("deadline_status", "done")
		detail["certificate"] = strings.TrimSpace(name + " " + no)
	case ActDeny:
		put("decided_at", now)
		put("decided_on", today.String())
		put("decision", "denied")
		put("decision_note", a.Reason)
		put("legal_basis", a.LegalBasis)
		put("deadline_status", "done")
	case ActDeliver:
		put("delivery_method", a.DeliveryMethod)
		put("tracking_no", strings.TrimSpace(a.TrackingNo))
		put("delivery_address", strings.TrimSpace(a.Address))
		put("delivered_at", now)
		detail["method"], detail["tracking_no"] = a.DeliveryMethod, a.TrackingNo
	case ActWithdraw:
		if c.State == SupplementRequested || c.State == Suspended {
			if err := s.endPause(ctx, tx, c, today); err != nil {
				return nil, err
			}
		}
		put("decided_at", now)
		put("decided_on", today.String())
		put("deadline_status", "done")
	}
	if a.Name == ActReject {
		put("deadline_status", "done")
	}
	if err := s.moveTo(ctx, tx, c, to, set, args); err != nil {
		return nil, err
	}
	if a.Name == ActSupplement || a.Name == ActResume || a.Name == ActRequestSupplement || a.Name == ActSuspend {
		if err := s.refreshDue(ctx, tx, c.ID); err != nil {
			return nil, err
		}
	}
	opinion := a.Opinion
	if opinion == "" {
		opinion = a.Reason
	}
	if err := insertStep(ctx, tx, c, a.Name, from, to, opinion, detail, now); err != nil {
		return nil, err
	}
	touched := []int64{c.ID}
	switch {
	case c.Kind == "bundle" && (a.Name == ActAccept || a.Name == ActReject || a.Name == ActWithdraw || a.Name == ActDeliver):
		ids, err := s.cascade(ctx, tx, c, a, to)
		if err != nil {
			return nil, err
		}
		touched = append(touched, ids...)
	case c.Kind == "sub" && (to == Approved || to == Denied):
		id, err := s.completeParent(ctx, tx, c)
		if err != nil {
			return nil, err
		}
		if id != 0 {
			touched = append(touched, id)
		}
	}
	if err := s.notifyAction(ctx, tx, c, a, to); err != nil {
		return nil, err
	}
	return touched, audit.Write(ctx, tx, audit.Event{Action: "case." + a.Name, ObjectType: "case", ObjectID: c.No,
		Detail: map[string]any{"from": from, "to": to, "opinion": opinion, "detail": detail}})
}

// moveTo writes the new state with the other columns, bumping the version.
func (s *Service) moveTo(ctx context.Context, tx *db.Tx, c Case, to State, set []string, args []any) error {
	set = append(set, "state = ?", "version = version + 1", "updated_at = ?")
	args = append(args, string(to), s.now(), c.ID, c.Version)
	res, err := tx.ExecContext(ctx, "UPDATE cases SET "+strings.Join(set, ", ")+" WHERE id = ? AND version = ?", args...)
	if err != nil {
		return wrap("update case", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errStale(c.Version + 1)
	}
	return nil
}

// cascade applies a parent's acceptance, refusal, withdrawal or delivery
// to its sub-cases.
func (s *Service) cascade(ctx context.Context, tx *db.Tx, parent Case, a Action, to State) ([]int64, error) {
	subs, err := loadSubs(ctx, tx, parent.ID)
	if err != nil {
		return nil, err
	}
	now, today := s.now(), s.today()
	var ids []int64
	for _, sub := range subs {
		var set []string
		var args []any
		put := func(col string, v any) { set = append(set, col+" = ?"); args = append(args, v) }
		target := to
		switch a.Name {
		case ActAccept:
			if sub.State != Submitted {
				continue
			}
			due, err := s.dueDate(today, sub.CommittedDays, nil)
			if err != nil {
				return nil, err
			}
			put("accepted_at", now)
			put("accepted_on", today.String())
			put("due_on", due.String())
			put("deadline_status", "green")
		case ActReject, ActWithdraw:
			if !sub.State.Open() {
				continue
			}
			if sub.State == SupplementRequested || sub.State == Suspended {
				if err := s.endPause(ctx, tx, sub, today); err != nil {
					return nil, err
				}
			}
			put("decided_at", now)
			put("decided_on", today.String())
			put("deadline_status", "done")
		case ActDeliver:
			if sub.State != Approved {
				continue
			}
			put("delivered_at", now)
			put("delivery_method", a.DeliveryMethod)
		}
		if err := s.moveTo(ctx, tx, sub, target, set, args); err != nil {
			return nil, err
		}
		if err := insertStep(ctx, tx, sub, a.Name, sub.State, target, "随一件事办件 "+parent.No, nil, now); err != nil {
			return nil, err
		}
		ids = append(ids, sub.ID)
	}
	return ids, nil
}

// completeParent decides a bundle parent once every sub-case is decided:
// approved when all were approved, otherwise denied, naming the members
// that were denied. It returns the parent's id when it moved.
func (s *Service) completeParent(ctx context.Context, tx *db.Tx, sub Case) (int64, error) {
	parent, err := loadCaseByID(ctx, tx, sub.ParentID)
	if err != nil {
		return 0, err
	}
	if parent.State != InReview {
		return 0, nil
	}
	subs, err := loadSubs(ctx, tx, parent.ID) // sees this transaction's update of sub
	if err != nil {
		return 0, err
	}
	var denied []string
	for _, c := range subs {
		switch c.State {
		case Approved, Delivered:
		case Denied:
			denied = append(denied, c.Title)
		default:
			return 0, nil // others still in progress
		}
	}
	now, today := s.now(), s.today()
	to, decision, note := Approved, "approved", "全部子事项已办结"
	if len(denied) > 0 {
		to, decision, note = Denied, "denied", "以下子事项不予许可："+strings.Join(denied, "、")
	}
	set := []string{"decided_at = ?", "decided_on = ?", "decision = ?", "decision_note = ?", "deadline_status = ?"}
	args := []any{now, today.String(), decision, note, "done"}
	if err := s.moveTo(ctx, tx, parent, to, set, args); err != nil {
		return 0, err
	}
	if err := insertStep(ctx, tx, parent, "complete", InReview, to, note, nil, now); err != nil {
		return 0, err
	}
	title := i18n.M("一件事已全部办结："+parent.Title, "Bundle complete: "+parent.Title)
	if to == Denied {
		title = i18n.M("一件事办理结果："+parent.Title, "Bundle decided: "+parent.Title)
	}
	if err := notify.Post(ctx, tx, notify.Notice{Kind: "case.completed", Title: title, Body: i18n.M(note, note), Link: "/cases/" + parent.No},
		notify.Enterprise(parent.EnterpriseID), notify.Role(identity.RoleWindowClerk)); err != nil {
		return 0, err
	}
	return parent.ID, nil
}

// dueDate is n working days after start, skipping paused spans.
func (s *Service) dueDate(start calendar.Date, n int, spans []calendar.Span) (calendar.Date, error) {
	res, err := s.cal.AddWorkingDaysPaused(start, n, spans)
	if err != nil {
		return calendar.Date{}, err
	}
	return res.Date, nil
}

// docNo numbers a document: 北碚政服受〔2026〕第000123号.
func (s *Service) docNo(ctx context.Context, tx *db.Tx, kind string, today calendar.Date) (string, error) {
	n, err := nextCounter(ctx, tx, fmt.Sprintf("doc:%s:%d", kind, today.Year))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s%s〔%d〕第%06d号", s.cfg.DocPrefix, kind, today.Year, n), nil
}
