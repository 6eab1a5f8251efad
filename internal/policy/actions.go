package policy

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/calendar"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/money"
	"github.com/qinqing/qinqing/internal/notify"
)

// The application actions (the API uses these names).
const (
	ActRequestSupplement = "request_supplement" // officer: list what is missing; the clock stops
	ActSupplement        = "supplement"         // applicant: provide it; the clock runs again
	ActApprove           = "approve"            // officer: decide the amount
	ActSecondApprove     = "second_approve"     // another officer: confirm a large amount
	ActReject            = "reject"             // officer: refuse, with the reason
	ActWithdraw          = "withdraw"           // applicant: withdraw before a decision
	ActObject            = "object"             // applicant: 异议 against a rejection, within the objection period
	ActDecideObjection   = "decide_objection"   // officer: decide a 异议 or an objection raised during 公示
)

// Actions lists every action in the order pages show them.
var Actions = []string{ActApprove, ActSecondApprove, ActRequestSupplement, ActReject, ActDecideObjection, ActSupplement, ActWithdraw, ActObject}

// ActionLabel names an action.
func ActionLabel(a string) i18n.Msg {
	switch a {
	case "submit":
		return i18n.M("提交申请", "Submitted")
	case ActRequestSupplement:
		return i18n.M("一次性告知补正", "Supplement requested")
	case ActSupplement:
		return i18n.M("补正材料", "Supplemented")
	case ActApprove:
		return i18n.M("核准", "Approved")
	case ActSecondApprove:
		return i18n.M("复核通过", "Second approval")
	case ActReject:
		return i18n.M("不予通过", "Rejected")
	case ActWithdraw:
		return i18n.M("撤回", "Withdrawn")
	case ActObject:
		return i18n.M("提出异议", "Objected")
	case ActDecideObjection:
		return i18n.M("处理异议", "Objection decided")
	case "publicity":
		return i18n.M("进入公示", "Entered publicity")
	case "publicity_objection":
		return i18n.M("公示期异议", "Objection during publicity")
	case "publicity_end":
		return i18n.M("公示期满", "Publicity ended")
	case "pay":
		return i18n.M("拨付", "Paid")
	}
	return i18n.M(a, a)
}

// Action is one step a person takes on an application.
type Action struct {
	Name      string
	AmountFen int64    // approve: the amount decided; 0 approves what the policy computes (none when it pays nothing)
	Opinion   string   // every action: the opinion recorded with the step
	Reason    string   // reject, object (required)
	Missing   []string // request_supplement: everything to supplement, in one go (一次性告知)
	Files     map[int]string
	Uphold    bool // decide_objection: true upholds the objection
}

var transitions = map[string][]AppState{
	ActRequestSupplement: {AppInReview},
	ActSupplement:        {AppSupplement},
	ActApprove:           {AppInReview},
	ActSecondApprove:     {AppSecondApproval},
	ActReject:            {AppInReview, AppSupplement, AppSecondApproval},
	ActWithdraw:          {AppInReview, AppSupplement, AppSecondApproval},
	ActObject:            {AppRejected},
	ActDecideObjection:   {AppObjected, AppOnHold},
}

// officerAction reports whether an action is the reviewing officer's.
func officerAction(a string) bool {
	return a != ActSupplement && a != ActWithdraw && a != ActObject
}

// allowed says whether p may take action a on application app.
func allowed(p *identity.Principal, app Application, a string) bool {
	if officerAction(a) {
		return p.Can(identity.PermPolicyReview)
	}
	return mayApplyFor(p, app.EnterpriseID)
}

// legal reports whether a may start from app's state.
func legal(app Application, a string, today calendar.Date) bool {
	if !slices.Contains(transitions[a], app.State) {
		return false
	}
	if a == ActObject {
		// 异议 only once, and only within the objection period.
		return app.ObjectionUntil != "" && today.String() <= app.ObjectionUntil
	}
	return true
}

// AvailableActions lists the actions p may take on app now; pages and the
// API offer exactly these, and Act checks the same rules.
func (s *Service) AvailableActions(p *identity.Principal, app Application) []string {
	if p == nil {
		return nil
	}
	today := s.today()
	var out []string
	for _, a := range Actions {
		if legal(app, a, today) && allowed(p, app, a) {
			if a == ActSecondApprove && sameApprover(p, app) {
				continue
			}
			out = append(out, a)
		}
	}
	return out
}

func sameApprover(p *identity.Principal, app Application) bool {
	if p.AccountID != 0 && app.firstApprovedBy != 0 {
		return p.AccountID == app.firstApprovedBy
	}
	return p.Username == app.FirstApprover || p.DisplayName == app.FirstApprover
}

func errIllegal(a string, st AppState) error {
	return errs.Conflict("illegal_transition", i18n.M(
		fmt.Sprintf("申请当前为“%s”，不能执行“%s”", st.Label().Zh, ActionLabel(a).Zh),
		fmt.Sprintf("An application that is %q cannot be %s", st.Label().En, strings.ToLower(ActionLabel(a).En))))
}

// ErrSameApprover refuses a second approval by the officer who approved first.
var ErrSameApprover = errs.New(errs.ErrForbidden, "same_approver", i18n.M(
	"复核须由另一名政策专员完成，不能由首次核准人本人复核", "The second approval must come from another officer, not the one who approved first"))

// Act takes an action on an application. baseRev is the Application.Rev
// the actor saw. It returns ErrPreconditionRequired without it,
// ErrPrecondition when someone acted first, ErrConflict for an action the
// state does not allow, ErrForbidden when the actor may not (including a
// second approval by the first approver), and ErrInvalid when a required
// reason, list or amount is missing or too large.
func (s *Service) Act(ctx context.Context, appID int64, baseRev int, a Action) (Application, error) {
	p := identity.PrincipalFrom(ctx)
	if _, ok := transitions[a.Name]; !ok {
		return Application{}, errs.Invalid("action", i18n.M("未知的操作："+a.Name, "Unknown action: "+a.Name))
	}
	if baseRev == 0 {
		return Application{}, ErrRevRequired
	}
	if err := checkAction(&a); err != nil {
		return Application{}, err
	}
	// Everything read outside the row lock comes first: a transaction
	// holding the lock must not wait for a second connection from the pool
	// (on PostgreSQL a hundred concurrent actors would exhaust it).
	pre, err := loadApp(ctx, s.db, appID, false)
	if err != nil {
		return Application{}, err
	}
	v, err := s.version(ctx, pre.PolicyID, pre.PolicyVersion)
	if err != nil {
		return Application{}, err
	}
	limit := int64(-1)
	if a.Name == ActApprove && allowed(p, pre, a.Name) && pre.Rev == baseRev {
		if limit, err = s.approvalLimit(ctx, pre); err != nil {
			return Application{}, err
		}
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		app, err := loadApp(ctx, tx, appID, true)
		if err != nil {
			return err
		}
		if !allowed(p, app, a.Name) {
			return errForbiddenAfter
		}
		if app.Rev != baseRev {
			return errStale(app.Rev)
		}
		today := s.today()
		if !legal(app, a.Name, today) {
			if a.Name == ActObject && app.State == AppRejected {
				return errs.Conflict("objection_closed", i18n.M("异议期已过或已提出过异议", "The objection period is over or an objection was already made"))
			}
			return errIllegal(a.Name, app.State)
		}
		if a.Name == ActSecondApprove && sameApprover(p, app) {
			return errSameApproverAfter
		}
		return s.apply(ctx, tx, app, a, actCtx{today: today, title: v.Title, limit: limit})
	})
	switch err {
	case errForbiddenAfter:
		return Application{}, s.deny(ctx, "policy.application."+a.Name, "policy_application", idStr(appID))
	case errSameApproverAfter:
		_ = s.deny(ctx, "policy.application."+a.Name, "policy_application", idStr(appID))
		return Application{}, ErrSameApprover
	}
	if err != nil {
		return Application{}, err
	}
	return s.GetApplication(ctx, appID)
}

var errSameApproverAfter = errs.New(errs.ErrForbidden, "same_approver", ErrSameApprover.Msg)

// checkAction enforces what each action must carry.
func checkAction(a *Action) error {
	f := errs.Fields{}
	a.Opinion, a.Reason = strings.TrimSpace(a.Opinion), strings.TrimSpace(a.Reason)
	if a.Reason == "" && (a.Name == ActReject || a.Name == ActObject) {
		a.Reason = a.Opinion
	}
	switch a.Name {
	case ActReject:
		if a.Reason == "" {
			f.Add("reason", i18n.M("不予通过须说明理由", "A rejection needs a reason"))
		}
	case ActObject:
		if a.Reason == "" {
			f.Add("reason", i18n.M("请写明异议理由", "State the grounds of the objection"))
		}
	case ActRequestSupplement:
		var clean []string
		for _, m := range a.Missing {
			if m = strings.TrimSpace(m); m != "" {
				clean = append(clean, m)
			}
		}
		a.Missing = clean
		if len(clean) == 0 {
			f.Add("missing", i18n.M("请一次性列出需要补正的全部内容", "List everything to supplement, in one go"))
		}
	case ActApprove:
		if a.AmountFen < 0 {
			f.Add("amount_yuan", i18n.M("核准金额不能为负", "The amount cannot be negative"))
		}
	case ActDecideObjection:
		if a.Opinion == "" {
			f.Add("opinion", i18n.M("请写明处理意见", "State the decision's grounds"))
		}
	}
	return f.Err()
}

// actCtx is what an action needs that was read before the transaction.
type actCtx struct {
	today calendar.Date
	title string // the policy version's title
	limit int64  // approve: the most that may be approved; -1 when not computed
}

// apply performs a legal action inside tx.
func (s *Service) apply(ctx context.Context, tx *db.Tx, app Application, a Action, ac actCtx) error {
	today := ac.today
	p := identity.PrincipalFrom(ctx)
	now := s.now()
	from, to := app.State, app.State
	var set []string
	var args []any
	put := func(col string, v any) { set = append(set, col+" = ?"); args = append(args, v) }
	detail := map[string]any{}
	var amount *int64
	opinion := a.Opinion
	var notice notify.Notice
	title := ac.title
	tell := func(zh, en string) {
		notice = notify.Notice{Kind: "policy.application." + a.Name, Title: i18n.M(zh+"："+title, en+": "+title),
			Body: i18n.M("申请编号 "+app.No, "Application "+app.No), Link: "/policy-applications/" + idStr(app.ID)}
	}
	switch a.Name {
	case ActRequestSupplement:
		to = AppSupplement
		put("resume_state", string(app.State))
		if _, err := tx.ExecContext(ctx, "INSERT INTO policy_application_pauses (application_id, reason, from_on) VALUES (?, ?, ?)",
			app.ID, "补正："+strings.Join(a.Missing, "、"), today.String()); err != nil {
			return wrap("start pause", err)
		}
		detail["missing"] = a.Missing
		if opinion == "" {
			opinion = "请补正：" + strings.Join(a.Missing, "、")
		}
		tell("请补正政策兑现申请材料", "Please supplement your application")
	case ActSupplement:
		to = app.ResumeState
		if to == "" {
			to = AppInReview
		}
		put("resume_state", "")
		if err := s.attachFiles(ctx, tx, app, a.Files); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE policy_application_pauses SET to_on = ? WHERE application_id = ? AND to_on IS NULL",
			today.String(), app.ID); err != nil {
			return wrap("end pause", err)
		}
		due, err := s.dueOf(ctx, tx, app)
		if err != nil {
			return err
		}
		put("due_on", due)
		detail["files"] = len(a.Files)
	case ActApprove:
		limit := ac.limit
		if limit < 0 {
			return errStale(app.Rev)
		}
		if a.AmountFen > limit {
			return errs.Invalid("amount_yuan", i18n.M(
				"核准金额不能超过按政策核算（含上限）及申请的金额 "+money.FormatYuan(limit)+" 元",
				"The amount cannot exceed "+money.FormatYuan(limit)+" yuan, what the policy gives within its cap and what was requested"))
		}
		if a.AmountFen == 0 {
			// No amount given: the amount the policy computes (fixed or
			// formula within the cap, no more than requested), or none.
			a.AmountFen = limit
		}
		amount = &a.AmountFen
		put("approved_fen", a.AmountFen)
		if a.AmountFen >= s.cfg.SecondApprovalFen {
			to = AppSecondApproval
			put("first_approved_by", nullID(p.AccountID))
			put("first_approver", p.Username)
			detail["threshold_fen"] = s.cfg.SecondApprovalFen
			notice = notify.Notice{Kind: "policy.application.second_approval",
				Title: i18n.M("待复核："+title, "Second approval needed: "+title),
				Body: i18n.M(fmt.Sprintf("%s 核准 %s 元，达到复核金额，须另一名政策专员复核", app.No, money.FormatYuan(a.AmountFen)),
					fmt.Sprintf("%s approved at %s yuan, which needs a second officer", app.No, money.FormatYuan(a.AmountFen))),
				Link: "/policy-applications/" + idStr(app.ID)}
		} else if a.AmountFen == 0 {
			// Nothing to publicise or pay: the approval is the end.
			to = AppGranted
			put("decided_on", today.String())
			tell("政策兑现申请已核准（无资金兑付）", "Application approved (no payment)")
		} else {
			to = AppApproved
			put("decided_on", today.String())
			tell("政策兑现申请已核准", "Application approved")
		}
	case ActSecondApprove:
		to = AppApproved
		amount = app.ApprovedFen
		put("decided_on", today.String())
		tell("政策兑现申请已核准", "Application approved")
	case ActReject:
		to = AppRejected
		put("decided_on", today.String())
		put("decision_note", a.Reason)
		put("approved_fen", nil)
		until := today.AddDays(s.cfg.ObjectionDays)
		put("objection_until", until.String())
		if app.State == AppSupplement {
			if _, err := tx.ExecContext(ctx, "UPDATE policy_application_pauses SET to_on = ? WHERE application_id = ? AND to_on IS NULL",
				today.String(), app.ID); err != nil {
				return wrap("end pause", err)
			}
		}
		opinion = a.Reason
		detail["objection_until"] = until.String()
		tell("政策兑现申请未通过", "Application rejected")
	case ActWithdraw:
		to = AppWithdrawn
		put("decided_on", today.String())
		if app.State == AppSupplement {
			if _, err := tx.ExecContext(ctx, "UPDATE policy_application_pauses SET to_on = ? WHERE application_id = ? AND to_on IS NULL",
				today.String(), app.ID); err != nil {
				return wrap("end pause", err)
			}
		}
	case ActObject:
		to = AppObjected
		put("objection_until", nil) // once only
		opinion = a.Reason
		notice = notify.Notice{Kind: "policy.application.objection", Title: i18n.M("申请人提出异议："+title, "Applicant objects: "+title),
			Body: i18n.M(app.No+"："+a.Reason, app.No+": "+a.Reason), Link: "/policy-applications/" + idStr(app.ID)}
	case ActDecideObjection:
		detail["upheld"] = a.Uphold
		if app.State == AppObjected {
			if a.Uphold { // the rejection is withdrawn; review again on a fresh clock
				to = AppInReview
				put("decided_on", nil)
				put("decision_note", "")
				put("review_from", today.String()) // submitted_on stays: time to payment counts from the application
				due, err := s.cal.AddWorkingDaysPaused(today, app.TimeLimitDays, nil)
				if err != nil {
					return err
				}
				put("due_on", due.Date.String())
				if _, err := tx.ExecContext(ctx, "DELETE FROM policy_application_pauses WHERE application_id = ?", app.ID); err != nil {
					return wrap("reset pauses", err)
				}
				tell("异议成立，申请重新审核", "Objection upheld; the application is reviewed again")
			} else {
				to = AppRejected
				tell("异议不成立，维持不予通过", "Objection dismissed; the rejection stands")
			}
			break
		}
		// on hold: an objection raised during 公示
		ended, err := s.decidePublicityObjections(ctx, tx, app, a, now)
		if err != nil {
			return err
		}
		switch {
		case a.Uphold: // the approval does not stand: review again
			to = AppInReview
			put("approved_fen", nil)
			put("decided_on", nil)
			tell("公示期异议成立，申请重新审核", "Objection in publicity upheld; the application is reviewed again")
		case ended:
			to = AppPayable
			tell("公示期满，待拨付", "Publicity over; awaiting payment")
		default:
			to = AppPublicity
		}
	}
	if err := moveApp(ctx, tx, app, to, set, args, now); err != nil {
		return err
	}
	if err := insertStep(ctx, tx, app.ID, a.Name, from, to, opinion, amount, detail, now); err != nil {
		return err
	}
	if notice.Kind != "" {
		target := notify.Enterprise(app.EnterpriseID)
		if !officerAction(a.Name) || to == AppSecondApproval {
			target = notify.Role(identity.RolePolicyOfficer)
		}
		if err := notify.Post(ctx, tx, notice, target); err != nil {
			return err
		}
	}
	return audit.Write(ctx, tx, audit.Event{Action: "policy.application." + a.Name, ObjectType: "policy_application", ObjectID: app.No,
		Detail: map[string]any{"from": from, "to": to, "opinion": opinion, "amount_fen": amount, "detail": detail}})
}

// moveApp writes the new state with the other columns, bumping the revision.
func moveApp(ctx context.Context, tx *db.Tx, app Application, to AppState, set []string, args []any, now time.Time) error {
	set = append(set, "state = ?", "rev = rev + 1", "updated_at = ?")
	args = append(args, string(to), now, app.ID, app.Rev)
	res, err := tx.ExecContext(ctx, "UPDATE policy_applications SET "+strings.Join(set, ", ")+" WHERE id = ? AND rev = ?", args...)
	if err != nil {
		if db.IsUniqueViolation(err) {
			return errs.Conflict("already_applied", i18n.M("本企业已就该政策本期另行提交了申请", "The firm has another live application for this policy and period"))
		}
		return wrap("update application", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errStale(app.Rev + 1)
	}
	return nil
}

// approvalLimit is the most an officer may approve: what the policy gives
// under the version applied for (fixed, or the formula on today's profile,
// within the cap), and no more than was requested.
func (s *Service) approvalLimit(ctx context.Context, app Application) (int64, error) {
	v, err := s.version(ctx, app.PolicyID, app.PolicyVersion)
	if err != nil {
		return 0, err
	}
	if !v.Benefit.Pays() {
		return 0, nil
	}
	prof, err := s.match.Profile(ctx, app.EnterpriseID, s.today().String())
	if err != nil {
		return 0, err
	}
	limit, missing, ok := v.Entitlement(prof)
	if !ok {
		if app.EntitledFen == nil {
			return 0, errs.Conflict("amount_unknown", i18n.M("一企一档缺少计算金额所需的信息（"+strings.Join(missing, "、")+"），请先补正",
				"The registry lacks what the amount is computed from ("+strings.Join(missing, ", ")+"); request a supplement first"))
		}
		limit = *app.EntitledFen
	}
	if app.RequestedFen > 0 && app.RequestedFen < limit {
		limit = app.RequestedFen
	}
	return limit, nil
}

// dueOf recomputes the deadline from the clock's start with its stops.
func (s *Service) dueOf(ctx context.Context, q db.Queryer, app Application) (string, error) {
	pauses, err := loadPauses(ctx, q, app.ID)
	if err != nil {
		return "", err
	}
	start, err := calendar.ParseDate(app.ReviewFrom)
	if err != nil {
		return "", err
	}
	sp, _ := spansOf(pauses, s.today())
	due, err := s.cal.AddWorkingDaysPaused(start, app.TimeLimitDays, sp)
	if err != nil {
		return "", err
	}
	return due.Date.String(), nil
}

// spansOf turns pauses into calendar spans; an open one runs to end.
func spansOf(ps []Pause, end calendar.Date) ([]calendar.Span, bool) {
	var out []calendar.Span
	open := false
	for _, p := range ps {
		from, err := calendar.ParseDate(p.From)
		if err != nil {
			continue
		}
		to := end
		if p.To != "" {
			if t, err := calendar.ParseDate(p.To); err == nil {
				to = t
			}
		} else {
			open = true
		}
		if to.Before(from) {
			to = from
		}
		out = append(out, calendar.Span{From: from, To: to})
	}
	return out, open
}

// clockOf computes an application's review clock as of today (or its
// decision): working days after submission (or the 异议 upheld), 补正
// excluded.
func (s *Service) clockOf(a Application, today calendar.Date) (Clock, error) {
	ck := Clock{Limit: a.TimeLimitDays}
	start, err := calendar.ParseDate(a.ReviewFrom)
	if err != nil {
		return ck, err
	}
	end := today
	if a.DecidedOn != "" && !a.State.Open() {
		if d, err := calendar.ParseDate(a.DecidedOn); err == nil {
			end = d
		}
	}
	if end.Before(start) {
		end = start
	}
	sp, open := spansOf(a.Pauses, end)
	used, _, err := s.cal.WorkingDaysAfterExcluding(start, end, sp)
	if err != nil {
		return ck, err
	}
	due, err := s.cal.AddWorkingDaysPaused(start, a.TimeLimitDays, sp)
	if err != nil {
		return ck, err
	}
	ck.Used, ck.Left, ck.Due, ck.Paused = used, a.TimeLimitDays-used, due.Date.String(), open && a.State == AppSupplement
	switch {
	case !a.State.Open():
		ck.Status = "done"
	case today.After(due.Date):
		ck.Status = "red"
	case 3*used >= 2*a.TimeLimitDays:
		ck.Status = "yellow"
	default:
		ck.Status = "green"
	}
	return ck, nil
}

// attachFiles records supplemented files against the application's
// materials (index in the list); files outside the list are added.
func (s *Service) attachFiles(ctx context.Context, tx *db.Tx, app Application, files map[int]string) error {
	if len(files) == 0 {
		return nil
	}
	p := identity.PrincipalFrom(ctx)
	f := errs.Fields{}
	var next int
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(seq), -1) + 1 FROM policy_application_materials WHERE application_id = ?", app.ID).Scan(&next); err != nil {
		return wrap("materials", err)
	}
	for seq, id := range files {
		if !fileOwned(ctx, tx, p, id) {
			f.Add(fmt.Sprintf("files.%d", seq), i18n.M("文件不存在或不是您上传的", "No such file among your uploads"))
			continue
		}
		res, err := tx.ExecContext(ctx, "UPDATE policy_application_materials SET file_id = ? WHERE application_id = ? AND seq = ? AND source = 'applicant'", id, app.ID, seq)
		if err != nil {
			return wrap("attach file", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO policy_application_materials (application_id, seq, name, required, source, file_id)
				VALUES (?, ?, '补正材料', FALSE, 'applicant', ?)`, app.ID, next, id); err != nil {
				return wrap("attach file", err)
			}
			next++
		}
	}
	return f.Err()
}
