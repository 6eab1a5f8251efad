package policy

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/calendar"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/eligibility"
	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/money"
	"github.com/qinqing/qinqing/internal/notify"
)

// AppState is where an application (政策兑现申请) stands.
type AppState string

// The application states.
const (
	AppInReview       AppState = "in_review"                // submitted; the review clock runs
	AppSupplement     AppState = "supplement_requested"     // sent back for materials; the clock stops
	AppSecondApproval AppState = "awaiting_second_approval" // approved once; a large amount needs another officer
	AppApproved       AppState = "approved"                 // amount decided; awaiting 公示
	AppGranted        AppState = "granted"                  // approved with no money to pay (a service, a tax saving, an amount of 0); final
	AppPublicity      AppState = "in_publicity"             // in a 公示 batch, objection window open
	AppOnHold         AppState = "on_hold"                  // someone objected during 公示; an officer decides
	AppPayable        AppState = "payable"                  // 公示 ended without a standing objection
	AppPaid           AppState = "paid"                     // disbursement recorded
	AppRejected       AppState = "rejected"                 // refused with a reason; the applicant may object (异议)
	AppObjected       AppState = "objection_pending"        // the applicant objected to the rejection
	AppWithdrawn      AppState = "withdrawn"                // withdrawn by the applicant before a decision
)

// AppStates lists the states with their names.
var AppStates = []Option{
	{string(AppInReview), i18n.M("审核中", "In review")},
	{string(AppSupplement), i18n.M("待补正", "Supplement requested")},
	{string(AppSecondApproval), i18n.M("待复核", "Awaiting second approval")},
	{string(AppApproved), i18n.M("已核准，待公示", "Approved, awaiting publicity")},
	{string(AppGranted), i18n.M("已核准（无资金兑付）", "Approved (no payment)")},
	{string(AppPublicity), i18n.M("公示中", "In publicity")},
	{string(AppOnHold), i18n.M("公示异议处理中", "On hold: objection in publicity")},
	{string(AppPayable), i18n.M("待拨付", "Awaiting payment")},
	{string(AppPaid), i18n.M("已拨付", "Paid")},
	{string(AppRejected), i18n.M("未通过", "Rejected")},
	{string(AppObjected), i18n.M("异议处理中", "Objection pending")},
	{string(AppWithdrawn), i18n.M("已撤回", "Withdrawn")},
}

// Label is the state's display name.
func (st AppState) Label() i18n.Msg { return Label(AppStates, string(st)) }

// Open reports whether the application awaits a review decision.
func (st AppState) Open() bool {
	return st == AppInReview || st == AppSupplement || st == AppSecondApproval || st == AppObjected
}

// Application is one enterprise's application for a policy's benefit.
type Application struct {
	ID             int64
	No             string
	PolicyID       int64
	PolicyCode     string
	PolicyTitle    string
	PolicyVersion  int  // the version it is decided under, kept whatever is published later
	PolicyMode     Mode // that version's mode: ModeFast applications are confirmed at the computed amount and decided quickly
	EnterpriseID   int64
	EnterpriseName string
	Period         string
	State          AppState
	ResumeState    AppState
	RequestedFen   int64
	EntitledFen    *int64 // the formula or fixed amount within the cap, computed at submission; nil when not computable
	ApprovedFen    *int64
	FirstApprover  string // who approved first, when a second approval is needed
	Form           map[string]string
	Eligibility    eligibility.Result // the evaluation at submission
	TimeLimitDays  int
	SubmittedAt    time.Time
	SubmittedOn    string
	ReviewFrom     string // the review clock's start: SubmittedOn, or the day a 异议 against the rejection was upheld
	DueOn          string
	DecidedOn      string
	DecisionNote   string
	ObjectionUntil string // last day a rejected applicant may object; "" when no objection is possible
	Rev            int
	CreatedAt      time.Time
	UpdatedAt      time.Time

	// Filled by GetApplication.
	Materials []AppMaterial
	Steps     []Step
	Pauses    []Pause
	Missing   []string // the latest supplement list
	Payment   *Payment
	Clock     Clock

	firstApprovedBy int64
}

// AppMaterial is one material of an application.
type AppMaterial struct {
	Seq      int
	Name     string
	Required bool
	Source   string // applicant or profile
	FileID   string // "" when not uploaded (always for profile materials)
}

// Step is one recorded action on an application.
type Step struct {
	Action    string
	From, To  AppState
	ActorID   int64
	Actor     string
	Role      string
	Opinion   string
	AmountFen *int64
	Detail    map[string]any
	At        time.Time
}

// Pause is a stretch during which the review clock stood still (补正).
type Pause struct {
	Reason string
	From   string
	To     string // "" while it lasts
}

// Clock is an application's review clock.
type Clock struct {
	Limit  int    // working days allowed (兑现时限)
	Used   int    // working days used so far, pauses excluded
	Left   int    // Limit - Used (negative when overdue)
	Due    string // the deadline, moved by pauses
	Paused bool
	Status string // green, yellow (two thirds used), red (overdue), done
}

// ApplyInput is an application as the enterprise submits it.
type ApplyInput struct {
	PolicyID     int64
	EnterpriseID int64
	Period       string            // "once", "2026", "2026Q3" or "2026-09", as the benefit's period requires
	RequestedFen int64             // 0: the amount the policy computes
	Form         map[string]string // the prefilled form as confirmed or corrected
	Files        map[int]string    // index in the version's materials → uploaded file id
}

// FormField is one prefilled field of an application form.
type FormField struct {
	Name  string
	Label i18n.Msg
	Value string
	// Editable fields (the contact for this application) may be corrected
	// in the application; the others are 一企一档's record and win: a
	// different value is refused.
	Editable bool
}

// ApplyForm is what the application page shows before submitting: the
// form prefilled from 一企一档, the materials with only those the
// applicant must provide asked, the eligibility and the computed amount.
type ApplyForm struct {
	Policy      Policy
	Fields      []FormField
	Materials   []AppMaterial
	Result      eligibility.Result
	EntitledFen *int64
	Period      string // the current period
	// TimeLimitDays is the review limit an application submitted today
	// gets, in working days (for 快申快享 the shorter fast limit).
	TimeLimitDays int
}

// PeriodOf names the period of date for a benefit period: "once", "2026",
// "2026Q3" or "2026-09".
func PeriodOf(p Period, d calendar.Date) string {
	switch p {
	case PeriodYear:
		return strconv.Itoa(d.Year)
	case PeriodQuarter:
		return fmt.Sprintf("%dQ%d", d.Year, (int(d.Month)-1)/3+1)
	case PeriodMonth:
		return fmt.Sprintf("%d-%02d", d.Year, int(d.Month))
	}
	return string(PeriodOnce)
}

var periodPatterns = map[Period]*regexp.Regexp{
	PeriodOnce:    regexp.MustCompile(`^once$`),
	PeriodYear:    regexp.MustCompile(`^20\d\d$`),
	PeriodQuarter: regexp.MustCompile(`^20\d\dQ[1-4]$`),
	PeriodMonth:   regexp.MustCompile(`^20\d\d-(0[1-9]|1[0-2])$`),
}

func checkPeriod(p Period, s string) error {
	if re := periodPatterns[p]; re != nil && re.MatchString(s) {
		return nil
	}
	examples := map[Period]string{PeriodOnce: "once", PeriodYear: "2026", PeriodQuarter: "2026Q3", PeriodMonth: "2026-09"}
	return errs.Invalid("period", i18n.M("兑现周期应写作 "+examples[p], "The period is written like "+examples[p]))
}

// periodSpan is the first and last day (YYYY-MM-DD) of a period already
// in its benefit's format; both "" for "once", which has no dates.
func periodSpan(s string) (from, to string) {
	var y, q, m int
	switch {
	case s == string(PeriodOnce):
		return "", ""
	case len(s) == 4:
		fmt.Sscanf(s, "%d", &y)
		return fmt.Sprintf("%d-01-01", y), fmt.Sprintf("%d-12-31", y)
	case strings.Contains(s, "Q"):
		fmt.Sscanf(s, "%dQ%d", &y, &q)
		m = 3*(q-1) + 1
		first := time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
		return first.Format(time.DateOnly), first.AddDate(0, 3, -1).Format(time.DateOnly)
	default:
		fmt.Sscanf(s, "%d-%d", &y, &m)
		first := time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
		return first.Format(time.DateOnly), first.AddDate(0, 1, -1).Format(time.DateOnly)
	}
}

// checkPeriodIn checks a period's format and that it is one the version
// can pay for: it overlaps the policy's validity and has begun by today
// (nobody is paid in advance for a year, quarter or month to come).
func checkPeriodIn(v *Version, s string, today calendar.Date) error {
	if err := checkPeriod(v.Benefit.Period, s); err != nil {
		return err
	}
	from, to := periodSpan(s)
	if from == "" {
		return nil
	}
	if from > today.String() {
		return errs.Invalid("period", i18n.M("兑现周期 "+s+" 尚未开始，不能提前兑现", "The period "+s+" has not begun; it cannot be claimed in advance"))
	}
	if to < v.ValidFrom || (v.ValidTo != "" && from > v.ValidTo) {
		valid := v.ValidFrom + " 至 " + v.ValidTo
		validEn := v.ValidFrom + " to " + v.ValidTo
		if v.ValidTo == "" {
			valid, validEn = v.ValidFrom+" 起", "from "+v.ValidFrom
		}
		return errs.Invalid("period", i18n.M("兑现周期 "+s+" 不在政策有效期（"+valid+"）内", "The period "+s+" lies outside the policy's validity ("+validEn+")"))
	}
	return nil
}

// prefill is the form 一企一档 fills.
func prefill(e enterprise.Enterprise) []FormField {
	capital := ""
	if e.RegisteredCapitalFen != nil {
		capital = money.FormatYuan(*e.RegisteredCapitalFen)
	}
	return []FormField{
		{"name", i18n.M("企业名称", "Enterprise name"), e.Name, false},
		{"credit_code", i18n.M("统一社会信用代码", "Unified social credit code"), e.CreditCode, false},
		{"legal_rep", i18n.M("法定代表人", "Legal representative"), e.LegalRep, false},
		{"address", i18n.M("注册地址", "Registered address"), e.Address, true},
		{"contact_name", i18n.M("联系人", "Contact"), e.ContactName, true},
		{"contact_phone", i18n.M("联系电话", "Contact phone"), e.ContactPhone, true},
		{"registered_capital_yuan", i18n.M("注册资本（元）", "Registered capital (yuan)"), capital, false},
		{"industry_code", i18n.M("行业代码", "Industry code"), e.IndustryCode, false},
	}
}

// mayApplyFor reports whether p may apply for enterprise id: its own users.
func mayApplyFor(p *identity.Principal, id int64) bool {
	return p.Can(identity.PermEnterpriseOwn) && p.EnterpriseID == id
}

// PrepareApplication returns the prefilled form for an enterprise and a
// policy: what the apply page shows. Only the enterprise's own users.
func (s *Service) PrepareApplication(ctx context.Context, policyID, enterpriseID int64) (ApplyForm, error) {
	p := identity.PrincipalFrom(ctx)
	if !mayApplyFor(p, enterpriseID) {
		return ApplyForm{}, s.deny(ctx, "policy.apply", "policy", idStr(policyID))
	}
	today := s.today()
	l, err := s.livePolicy(ctx, policyID, today.String())
	if err != nil {
		return ApplyForm{}, err
	}
	e, err := s.ents.Get(ctx, enterpriseID)
	if err != nil {
		return ApplyForm{}, err
	}
	prof, err := s.match.Profile(ctx, enterpriseID, today.String())
	if err != nil {
		return ApplyForm{}, err
	}
	form := ApplyForm{Policy: l.policy, Fields: prefill(e), Materials: materialsOf(l.version), Result: l.version.rule.Evaluate(prof),
		Period: PeriodOf(l.version.Benefit.Period, today), TimeLimitDays: s.reviewLimit(l.version)}
	if fen, _, ok := l.version.Entitlement(prof); ok && l.version.Benefit.Pays() {
		form.EntitledFen = &fen
	}
	return form, nil
}

func materialsOf(v *Version) []AppMaterial {
	out := make([]AppMaterial, len(v.Materials))
	for i, m := range v.Materials {
		out[i] = AppMaterial{Seq: i, Name: m.Name, Required: m.Required, Source: m.Source}
	}
	return out
}

// livePolicy is one policy on the shelves with its version in effect on date.
func (s *Service) livePolicy(ctx context.Context, id int64, date string) (live, error) {
	row, err := loadPolicyRow(ctx, s.db, id, false)
	if err != nil {
		return live{}, err
	}
	if row.Status != StatusPublished {
		return live{}, errs.Conflict("policy_not_live", i18n.M("该政策未在架，不能申请", "The policy is not on the shelves"))
	}
	vs, err := s.publishedVersions(ctx, id)
	if err != nil {
		return live{}, err
	}
	v := effectiveOn(vs, date)
	if v == nil || !v.ValidOn(date) {
		return live{}, errs.Conflict("policy_not_in_effect", i18n.M("该政策今日不在有效期内", "The policy is not in effect today"))
	}
	row.Current = *v
	return live{policy: row, version: v}, nil
}

// Apply submits an application. Only the enterprise's own users apply; the
// policy must be on the shelves, in effect and not 免申即享; the firm must
// be eligible today under the version in effect (the refusal explains
// which conditions fail or are unknown); every required material the
// applicant provides must be attached (materials the platform holds are
// never asked); the requested amount may not exceed what the policy
// computes. A 快申快享 application is for exactly the computed amount (any
// other requested amount is a field error; an amount the registry cannot
// compute is an ErrConflict) and is decided within the fast limit. A
// second live application for the same policy and period is an
// ErrConflict.
func (s *Service) Apply(ctx context.Context, in ApplyInput) (Application, error) {
	p := identity.PrincipalFrom(ctx)
	if !mayApplyFor(p, in.EnterpriseID) {
		return Application{}, s.deny(ctx, "policy.apply", "policy", idStr(in.PolicyID))
	}
	today := s.today()
	l, err := s.livePolicy(ctx, in.PolicyID, today.String())
	if err != nil {
		return Application{}, err
	}
	v := l.version
	if v.Mode == ModeNoApply {
		return Application{}, errs.Conflict("no_apply", i18n.M("该政策免申即享，无需申请：符合条件的企业由平台统一兑现",
			"This policy needs no application: eligible firms are paid without applying"))
	}
	if in.Period == "" {
		in.Period = PeriodOf(v.Benefit.Period, today)
	}
	if err := checkPeriodIn(v, in.Period, today); err != nil {
		return Application{}, err
	}
	prof, err := s.match.Profile(ctx, in.EnterpriseID, today.String())
	if err != nil {
		return Application{}, err
	}
	res := v.rule.Evaluate(prof)
	if res.Outcome != eligibility.Eligible {
		return Application{}, notEligible(res)
	}
	var entitled *int64
	var lacking []string // the facts the amount needs that the registry lacks
	if v.Benefit.Pays() {
		if fen, missing, ok := v.Entitlement(prof); ok {
			entitled = &fen
		} else {
			lacking = missing
		}
	}
	f := errs.Fields{}
	switch {
	case in.RequestedFen < 0:
		f.Add("requested_yuan", i18n.M("申请金额不能为负", "The amount cannot be negative"))
	case in.RequestedFen > 0 && !v.Benefit.Pays():
		f.Add("requested_yuan", i18n.M("该政策不由平台拨付资金（税费减免由企业申报时享受），无需填写申请金额",
			"The platform pays no money under this policy (a tax or fee saving is realised in the firm's return); leave the amount empty"))
	}
	if v.IsFast() {
		if err := checkFastAmount(v, entitled, lacking, in.RequestedFen, f); err != nil {
			return Application{}, err
		}
	}
	if in.RequestedFen == 0 && entitled != nil {
		in.RequestedFen = *entitled
	}
	if entitled != nil && in.RequestedFen > *entitled {
		f.Add("requested_yuan", i18n.M("申请金额超过按政策核算的 "+money.FormatYuan(*entitled)+" 元",
			"The amount exceeds the "+money.FormatYuan(*entitled)+" yuan the policy gives"))
	}
	mats := materialsOf(v)
	for i := range mats {
		id, given := in.Files[i]
		switch {
		case mats[i].Source == "profile":
			if given {
				f.Add(fmt.Sprintf("files.%d", i), i18n.M("平台已有此材料，无需上传", "The platform holds this material; do not upload it"))
			}
		case given && id != "":
			if !fileOwned(ctx, s.db, p, id) {
				f.Add(fmt.Sprintf("files.%d", i), i18n.M("文件不存在或不是您上传的", "No such file among your uploads"))
			}
			mats[i].FileID = id
		case mats[i].Required:
			f.Add(fmt.Sprintf("files.%d", i), i18n.M("请上传“"+mats[i].Name+"”", "Upload “"+mats[i].Name+"”"))
		}
	}
	for seq := range in.Files {
		if seq < 0 || seq >= len(mats) {
			f.Add(fmt.Sprintf("files.%d", seq), i18n.M("没有这项材料", "No such material"))
		}
	}
	e, err := s.ents.Get(ctx, in.EnterpriseID)
	if err != nil {
		return Application{}, err
	}
	form := map[string]string{}
	for k, val := range in.Form {
		form[k] = strings.TrimSpace(val)
	}
	// 一企一档 is the record: what it holds is not restated in an
	// application, so a different value is refused rather than kept.
	for _, fld := range prefill(e) {
		if val, given := form[fld.Name]; given && !fld.Editable && val != fld.Value {
			f.Add("form."+fld.Name, i18n.M("“"+fld.Label.Zh+"”取自一企一档，不能在申请中修改；如有变化请先更新企业档案",
				"“"+fld.Label.En+"” comes from the registry and cannot be changed in an application; update the registry first"))
		}
		if _, given := form[fld.Name]; !given || !fld.Editable {
			form[fld.Name] = fld.Value
		}
	}
	if err := f.Err(); err != nil {
		return Application{}, err
	}
	limit := s.reviewLimit(v)
	due, err := s.cal.AddWorkingDaysPaused(today, limit, nil)
	if err != nil {
		return Application{}, err
	}
	var id int64
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		now := s.now()
		n, err := nextCounter(ctx, tx, "policy-app:"+strconv.Itoa(today.Year))
		if err != nil {
			return err
		}
		no := fmt.Sprintf("ZC%s%06d", strings.ReplaceAll(today.String(), "-", ""), n)
		formJSON, _ := json.Marshal(form)
		resJSON, _ := json.Marshal(storedResult(res))
		err = tx.QueryRowContext(ctx, `INSERT INTO policy_applications (app_no, policy_id, policy_version, enterprise_id, period, state,
			requested_fen, entitled_fen, form, eligibility, time_limit_days, submitted_at, submitted_on, due_on, filed_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			no, in.PolicyID, v.Number, in.EnterpriseID, in.Period, AppInReview, in.RequestedFen, entitled, string(formJSON), string(resJSON),
			limit, now, today.String(), due.Date.String(), nullID(p.AccountID), now, now).Scan(&id)
		if db.IsUniqueViolation(err) {
			return errs.Conflict("already_applied", i18n.M("本企业已就该政策本期（"+in.Period+"）提交过申请", "The firm already applied for this policy and period ("+in.Period+")"))
		}
		if err != nil {
			return wrap("insert application", err)
		}
		for _, m := range mats {
			if _, err := tx.ExecContext(ctx, `INSERT INTO policy_application_materials (application_id, seq, name, required, source, file_id)
				VALUES (?, ?, ?, ?, ?, ?)`, id, m.Seq, m.Name, m.Required, m.Source, nullStr(m.FileID)); err != nil {
				return wrap("insert material", err)
			}
		}
		if err := insertStep(ctx, tx, id, "submit", "", AppInReview, "", &in.RequestedFen, nil, now); err != nil {
			return err
		}
		body := i18n.M(e.Name+" 申请 "+v.Title+"（"+no+"）", e.Name+" applied for "+v.Title+" ("+no+")")
		if v.IsFast() {
			body = i18n.M(fmt.Sprintf("%s（快申快享，%d 个工作日内办结）", body.Zh, limit),
				fmt.Sprintf("%s (fast track, to be decided within %d working days)", body.En, limit))
		}
		if err := notify.Post(ctx, tx, notify.Notice{Kind: "policy.application.submitted",
			Title: i18n.M("新的政策兑现申请："+v.Title, "New policy application: "+v.Title),
			Body:  body,
			Link:  "/policy-applications/" + idStr(id)}, notify.Role(identity.RolePolicyOfficer)); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Event{Action: "policy.apply", ObjectType: "policy_application", ObjectID: no,
			Detail: map[string]any{"policy_id": in.PolicyID, "version": v.Number, "mode": v.Mode, "enterprise_id": in.EnterpriseID, "period": in.Period,
				"requested_fen": in.RequestedFen, "time_limit_days": limit}})
	})
	if err != nil {
		return Application{}, err
	}
	return s.GetApplication(ctx, id)
}

// notEligible explains a refusal to take an application.
func notEligible(res eligibility.Result) error {
	var zh, en []string
	for _, c := range res.Checks {
		if c.Result == eligibility.TruthUnknown || (c.Result == eligibility.Met) == c.Negated {
			zh = append(zh, c.Text.Zh)
			en = append(en, c.Text.En)
		}
	}
	if len(res.Missing) > 0 {
		zh = append(zh, "一企一档缺少："+strings.Join(res.Missing, "、"))
		en = append(en, "the registry lacks: "+strings.Join(res.Missing, ", "))
	}
	head := i18n.M("不符合申请条件", "Not eligible")
	if res.Outcome == eligibility.Unknown {
		head = i18n.M("一企一档信息不足，暂不能判断是否符合条件", "The registry lacks facts to decide eligibility")
	}
	return errs.New(errs.ErrConflict, "not_eligible", i18n.M(head.Zh+"："+strings.Join(zh, "；"), head.En+": "+strings.Join(en, "; ")))
}

// storedResult is the evaluation kept with an application.
type storedCheck struct {
	Attr    string            `json:"attr"`
	Op      eligibility.Op    `json:"op"`
	Value   any               `json:"value"`
	Actual  any               `json:"actual"`
	Result  eligibility.Truth `json:"result"`
	Negated bool              `json:"negated,omitempty"`
	Path    string            `json:"path"`
	Text    i18n.Msg          `json:"text"`
}

type storedEval struct {
	Outcome eligibility.Outcome `json:"outcome"`
	Checks  []storedCheck       `json:"checks"`
	Missing []string            `json:"missing,omitempty"`
	AsOf    string              `json:"as_of"`
}

func storedResult(r eligibility.Result) storedEval {
	out := storedEval{Outcome: r.Outcome, Missing: r.Missing, AsOf: r.AsOf}
	for _, c := range r.Checks {
		out.Checks = append(out.Checks, storedCheck{c.Attr, c.Op, c.Value, c.Actual, c.Result, c.Negated, c.Path, c.Text})
	}
	return out
}

func (e storedEval) result() eligibility.Result {
	r := eligibility.Result{Outcome: e.Outcome, Missing: e.Missing, AsOf: e.AsOf}
	for _, c := range e.Checks {
		r.Checks = append(r.Checks, eligibility.Check{Attr: c.Attr, Op: c.Op, Value: c.Value, Actual: c.Actual, Result: c.Result,
			Negated: c.Negated, Path: c.Path, Text: c.Text})
	}
	return r
}

// fileOwned reports whether p uploaded file id (the platform acting on its
// own may attach any stored file).
func fileOwned(ctx context.Context, q db.Queryer, p *identity.Principal, id string) bool {
	var n int
	var err error
	if p != nil && p.Role == identity.RoleSystem {
		err = q.QueryRowContext(ctx, "SELECT count(*) FROM files WHERE id = ?", id).Scan(&n)
	} else {
		err = q.QueryRowContext(ctx, "SELECT count(*) FROM file_owners WHERE file_id = ? AND account_id = ?", id, p.AccountID).Scan(&n)
	}
	return err == nil && n > 0
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nextCounter(ctx context.Context, tx *db.Tx, name string) (int64, error) {
	var n int64
	err := tx.QueryRowContext(ctx, `INSERT INTO counters (name, last) VALUES (?, 1)
		ON CONFLICT (name) DO UPDATE SET last = counters.last + 1 RETURNING last`, name).Scan(&n)
	return n, wrap("counter "+name, err)
}

func insertStep(ctx context.Context, tx *db.Tx, appID int64, action string, from, to AppState, opinion string, amount *int64, detail map[string]any, at time.Time) error {
	p := identity.PrincipalFrom(ctx)
	actor, role := "system", "system"
	var actorID any
	if p != nil {
		actor, role = p.Username, string(p.Role)
		if p.DisplayName != "" {
			actor = p.DisplayName
		}
		actorID = nullID(p.AccountID)
	}
	if detail == nil {
		detail = map[string]any{}
	}
	b, _ := json.Marshal(detail)
	_, err := tx.ExecContext(ctx, `INSERT INTO policy_application_steps (application_id, action, from_state, to_state, actor_id, actor, role,
		opinion, amount_fen, detail, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		appID, action, string(from), string(to), actorID, actor, role, opinion, amount, string(b), at)
	return wrap("record step", err)
}

const appCols = `a.id, a.app_no, a.policy_id, p.code, a.policy_version, pv.mode, a.enterprise_id, e.name, a.period, a.state, a.resume_state,
	a.requested_fen, a.entitled_fen, a.approved_fen, a.first_approved_by, a.first_approver, a.form, a.eligibility, a.time_limit_days,
	a.submitted_at, a.submitted_on, COALESCE(a.review_from, a.submitted_on), a.due_on, COALESCE(a.decided_on, ''), a.decision_note, COALESCE(a.objection_until, ''), a.rev,
	a.created_at, a.updated_at`

const appFrom = ` FROM policy_applications a JOIN policies p ON p.id = a.policy_id
	JOIN policy_versions pv ON pv.policy_id = a.policy_id AND pv.number = a.policy_version JOIN enterprises e ON e.id = a.enterprise_id`

func scanApp(row interface{ Scan(...any) error }) (Application, error) {
	var a Application
	var entitled, approved, firstBy sql.NullInt64
	var form, elig string
	err := row.Scan(&a.ID, &a.No, &a.PolicyID, &a.PolicyCode, &a.PolicyVersion, &a.PolicyMode, &a.EnterpriseID, &a.EnterpriseName, &a.Period, &a.State,
		&a.ResumeState, &a.RequestedFen, &entitled, &approved, &firstBy, &a.FirstApprover, &form, &elig, &a.TimeLimitDays,
		&a.SubmittedAt, &a.SubmittedOn, &a.ReviewFrom, &a.DueOn, &a.DecidedOn, &a.DecisionNote, &a.ObjectionUntil, &a.Rev, &a.CreatedAt, &a.UpdatedAt)
	if err != nil {
		return a, err
	}
	if entitled.Valid {
		a.EntitledFen = &entitled.Int64
	}
	if approved.Valid {
		a.ApprovedFen = &approved.Int64
	}
	a.firstApprovedBy = firstBy.Int64
	_ = json.Unmarshal([]byte(form), &a.Form)
	var ev storedEval
	_ = json.Unmarshal([]byte(elig), &ev)
	a.Eligibility = ev.result()
	a.SubmittedAt, a.CreatedAt, a.UpdatedAt = a.SubmittedAt.UTC(), a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	return a, nil
}

// loadApp reads one application through q (locked on PostgreSQL when
// forUpdate).
func loadApp(ctx context.Context, q db.Queryer, id int64, forUpdate bool) (Application, error) {
	query := "SELECT " + appCols + appFrom + " WHERE a.id = ?"
	if forUpdate && q.Dialect() == db.Postgres {
		query += " FOR UPDATE OF a"
	}
	a, err := scanApp(q.QueryRowContext(ctx, query, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Application{}, errApplicationNotFound
	}
	if err != nil {
		return Application{}, wrap("load application", err)
	}
	return a, nil
}

// mayRead reports whether p may see application a: its enterprise's users
// and policy staff.
func mayRead(p *identity.Principal, a Application) bool {
	return p.Can(identity.PermPolicyReview) || p.Can(identity.PermPolicyRead) ||
		(p.Can(identity.PermEnterpriseOwn) && p.EnterpriseID == a.EnterpriseID)
}

// GetApplication returns an application with its materials, steps, clock
// stops and payment. ErrNotFound for an unknown id, ErrForbidden for an
// enterprise that is not the applicant.
func (s *Service) GetApplication(ctx context.Context, id int64) (Application, error) {
	a, err := loadApp(ctx, s.db, id, false)
	if err != nil {
		return Application{}, err
	}
	if !mayRead(identity.PrincipalFrom(ctx), a) {
		return Application{}, s.deny(ctx, "policy.application.read", "policy_application", a.No)
	}
	if err := s.fill(ctx, &a); err != nil {
		return Application{}, err
	}
	return a, nil
}

// fill loads what hangs off an application.
func (s *Service) fill(ctx context.Context, a *Application) error {
	v, err := s.version(ctx, a.PolicyID, a.PolicyVersion)
	if err != nil {
		return err
	}
	a.PolicyTitle = v.Title
	rows, err := s.db.QueryContext(ctx, "SELECT seq, name, required, source, COALESCE(file_id, '') FROM policy_application_materials WHERE application_id = ? ORDER BY seq", a.ID)
	if err != nil {
		return wrap("load materials", err)
	}
	for rows.Next() {
		var m AppMaterial
		if err := rows.Scan(&m.Seq, &m.Name, &m.Required, &m.Source, &m.FileID); err != nil {
			rows.Close()
			return err
		}
		a.Materials = append(a.Materials, m)
	}
	rows.Close()
	rows, err = s.db.QueryContext(ctx, `SELECT action, from_state, to_state, COALESCE(actor_id, 0), actor, role, opinion, amount_fen, detail, at
		FROM policy_application_steps WHERE application_id = ? ORDER BY id`, a.ID)
	if err != nil {
		return wrap("load steps", err)
	}
	for rows.Next() {
		var st Step
		var amount sql.NullInt64
		var detail string
		if err := rows.Scan(&st.Action, &st.From, &st.To, &st.ActorID, &st.Actor, &st.Role, &st.Opinion, &amount, &detail, &st.At); err != nil {
			rows.Close()
			return err
		}
		if amount.Valid {
			st.AmountFen = &amount.Int64
		}
		_ = json.Unmarshal([]byte(detail), &st.Detail)
		st.At = st.At.UTC()
		a.Steps = append(a.Steps, st)
		if st.Action == ActRequestSupplement {
			a.Missing = nil
			if list, ok := st.Detail["missing"].([]any); ok {
				for _, x := range list {
					if s, ok := x.(string); ok {
						a.Missing = append(a.Missing, s)
					}
				}
			}
		}
	}
	rows.Close()
	if a.Pauses, err = loadPauses(ctx, s.db, a.ID); err != nil {
		return err
	}
	pay, err := s.paymentOf(ctx, "application_id", a.ID)
	if err != nil {
		return err
	}
	a.Payment = pay
	a.Clock, err = s.clockOf(*a, s.today())
	return err
}

func loadPauses(ctx context.Context, q db.Queryer, appID int64) ([]Pause, error) {
	rows, err := q.QueryContext(ctx, "SELECT reason, from_on, COALESCE(to_on, '') FROM policy_application_pauses WHERE application_id = ? ORDER BY id", appID)
	if err != nil {
		return nil, wrap("load pauses", err)
	}
	defer rows.Close()
	var out []Pause
	for rows.Next() {
		var p Pause
		if err := rows.Scan(&p.Reason, &p.From, &p.To); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
