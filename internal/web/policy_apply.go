package web

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/qinqing/qinqing/internal/eligibility"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/files"
	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/money"
	"github.com/qinqing/qinqing/internal/policy"
)

// pvUpload is one material on the apply form.
type pvUpload struct {
	policy.AppMaterial
	Uploaded *files.File // an upload kept from an earlier attempt
	Error    string
}

type policyApplyData struct {
	Card       pvCard
	PolicyID   int64
	Fields     []policy.FormField
	Values     map[string]string
	Upload     []pvUpload
	Held       []policy.AppMaterial
	Checks     []pvCheck
	Entitled   string
	Requested  string
	Period     string
	PeriodText i18n.Msg
	Errors     map[string]string
	Accept     string
	MaxMB      int64
	// Fast is a 快申快享 policy: a one-step confirmation of what the
	// platform holds, at the computed amount, decided within LimitDays.
	Fast         bool
	LimitDays    int
	Optional     []policy.AppMaterial // applicant materials a fast application does without
	Eligible     bool                 // the registry shows the firm eligible today
	Pays         bool                 // the platform pays an amount (Entitled "" then means not computable)
	EnterpriseID int64
}

// policyApplyTemplate is the page that takes an application: the
// 快申快享 confirmation or the full form.
func policyApplyTemplate(d policyApplyData) string {
	if d.Fast {
		return "policy_apply_fast"
	}
	return "policy_apply"
}

// policyApplyTitle is the title of the page that takes an application.
func policyApplyTitle(d policyApplyData, lang i18n.Lang) string {
	if d.Fast {
		return i18n.M("快申快享 · 确认申请：", "Fast track · confirm: ").In(lang) + d.Card.Title
	}
	return i18n.M("申请：", "Apply: ").In(lang) + d.Card.Title
}

// pvEditable are the prefilled fields an applicant may correct for this
// application; the registered ones come from 一企一档 as they are.
var pvEditable = map[string]bool{"contact_name": true, "contact_phone": true, "address": true}

// policyApplyPage is the application form: everything 一企一档 holds is
// filled in, materials the platform holds are listed and never asked, and
// only what the applicant must provide has an upload. A 快申快享 policy
// shows instead a one-step confirmation: what the platform will use, the
// computed amount and the decision limit.
func (s *Server) policyApplyPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.policyRequire(w, r, func(p *identity.Principal) bool { return p.Can(identity.PermEnterpriseOwn) && p.EnterpriseID != 0 })
	if !ok {
		return
	}
	id, err := policyPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.policyApplyBuild(r, id, p, nil, nil, map[string]string{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, policyApplyTemplate(d), policyApplyTitle(d, httpmw.Lang(r)), d)
}

func (s *Server) policyApplyBuild(r *http.Request, id int64, p *identity.Principal, values map[string]string, kept map[int]files.File, errsOut map[string]string) (policyApplyData, error) {
	form, err := s.Policy.PrepareApplication(r.Context(), id, p.EnterpriseID)
	if err != nil {
		return policyApplyData{}, err
	}
	perFile, _ := s.uploadLimits()
	d := policyApplyData{Card: pvCardOf(form.Policy), PolicyID: id, Fields: form.Fields, Values: map[string]string{}, Checks: pvChecks(form.Result),
		Entitled: pvYuan(form.EntitledFen), Period: form.Period, PeriodText: pvPeriod(form.Period), Errors: errsOut, Accept: acceptAttr(), MaxMB: perFile >> 20,
		Fast: form.Policy.Current.IsFast(), LimitDays: form.TimeLimitDays, Eligible: form.Result.Outcome == eligibility.Eligible,
		Pays: form.Policy.Current.Benefit.Pays(), EnterpriseID: p.EnterpriseID}
	for _, f := range form.Fields {
		d.Values[f.Name] = f.Value
	}
	for k, v := range values {
		if strings.HasPrefix(k, "form.") && pvEditable[strings.TrimPrefix(k, "form.")] {
			d.Values[strings.TrimPrefix(k, "form.")] = v
		}
	}
	d.Requested = values["requested_yuan"]
	if d.Requested == "" && form.EntitledFen != nil {
		d.Requested = money.FormatYuan(*form.EntitledFen)
	}
	for _, m := range form.Materials {
		if m.Source == "profile" {
			d.Held = append(d.Held, m)
			continue
		}
		if d.Fast {
			// Saving refuses a fast policy that requires the applicant's
			// material; an optional one is not asked in the confirmation.
			d.Optional = append(d.Optional, m)
			continue
		}
		u := pvUpload{AppMaterial: m, Error: errsOut[fmt.Sprintf("files.%d", m.Seq)]}
		if f, ok := kept[m.Seq]; ok {
			u.Uploaded = &f
		}
		d.Upload = append(d.Upload, u)
	}
	return d, nil
}

// policyApplySubmit submits the application with its uploads. A refused
// attempt keeps everything typed and every file already uploaded.
func (s *Server) policyApplySubmit(w http.ResponseWriter, r *http.Request) {
	p, ok := s.policyRequire(w, r, func(p *identity.Principal) bool { return p.Can(identity.PermEnterpriseOwn) && p.EnterpriseID != 0 })
	if !ok {
		return
	}
	ctx, lang := r.Context(), httpmw.Lang(r)
	id, err := policyPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	perFile, total := s.uploadLimits()
	r.Body = http.MaxBytesReader(w, r.Body, total+1<<20)
	errsOut := map[string]string{}
	values := map[string]string{}
	var posted map[string][]string
	var fileHeaders map[string][]*multipart.FileHeader
	switch err := r.ParseMultipartForm(8 << 20); {
	case err == nil:
		posted, fileHeaders = r.MultipartForm.Value, r.MultipartForm.File
		defer r.MultipartForm.RemoveAll()
	case errors.Is(err, http.ErrNotMultipart):
		posted = r.PostForm
	default:
		errsOut["_form"] = i18n.M(fmt.Sprintf("提交失败：上传的文件合计不能超过 %d MB（单个文件不超过 %d MB）。请重新选择文件后提交。", total>>20, perFile>>20),
			fmt.Sprintf("Not submitted: files may total at most %d MB (%d MB each). Choose the files again.", total>>20, perFile>>20)).In(lang)
		d, err := s.policyApplyBuild(r, id, p, values, nil, errsOut)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.render(w, r, http.StatusRequestEntityTooLarge, policyApplyTemplate(d), policyApplyTitle(d, lang), d)
		return
	}
	for k, v := range posted {
		if len(v) > 0 {
			values[k] = strings.TrimSpace(v[0])
		}
	}
	prep, err := s.Policy.PrepareApplication(ctx, id, p.EnterpriseID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in := policy.ApplyInput{PolicyID: id, EnterpriseID: p.EnterpriseID, Period: values["period"], Form: map[string]string{}, Files: map[int]string{}}
	for k := range pvEditable {
		if v, ok := values["form."+k]; ok {
			in.Form[k] = v
		}
	}
	if y := values["requested_yuan"]; y != "" {
		fen, err := money.ParseYuan(y)
		if err != nil {
			errsOut["requested_yuan"] = i18n.M("请填写以元为单位的金额，最多两位小数", "Enter an amount in yuan with at most two decimals").In(lang)
		} else {
			in.RequestedFen = fen
		}
	}
	kept := map[int]files.File{}
	for _, m := range prep.Materials {
		if m.Source == "profile" {
			continue
		}
		key := fmt.Sprintf("files.%d", m.Seq)
		if fhs := fileHeaders[fmt.Sprintf("file.%d", m.Seq)]; len(fhs) > 0 && fhs[0].Size > 0 {
			saved, problem, err := s.saveUpload(ctx, fhs, lang)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			if problem != "" {
				errsOut[key] = m.Name + "：" + problem
				continue
			}
			kept[m.Seq], in.Files[m.Seq] = saved, saved.ID
			continue
		}
		if fid := values[fmt.Sprintf("fileid.%d", m.Seq)]; fid != "" {
			if f, err := s.Files.Owned(ctx, fid, p.AccountID); err == nil {
				kept[m.Seq], in.Files[m.Seq] = f, f.ID
			}
		}
	}
	if len(errsOut) == 0 {
		app, err := s.Policy.Apply(ctx, in)
		if err == nil {
			msg := i18n.M("申请已提交，申请编号 "+app.No+"。审核时限内会有结果，进展见消息。",
				"Application submitted as "+app.No+". You will hear within the time limit; see your inbox.")
			if app.PolicyMode == policy.ModeFast {
				msg = i18n.M(fmt.Sprintf("快申快享申请已提交，申请编号 %s，将于 %d 个工作日内（%s 前）办结，进展见消息。", app.No, app.TimeLimitDays, app.DueOn),
					fmt.Sprintf("Fast-track application submitted as %s; it will be decided within %d working days (by %s). See your inbox.", app.No, app.TimeLimitDays, app.DueOn))
			}
			s.setFlash(w, msg.In(lang))
			redirect(w, r, "/policy-applications/"+strconv.FormatInt(app.ID, 10))
			return
		}
		fields, ok := pvFormErrors(err, lang)
		if !ok {
			s.fail(w, r, err)
			return
		}
		for k, v := range fields {
			if _, had := errsOut[k]; !had {
				errsOut[k] = v
			}
		}
	}
	d, err := s.policyApplyBuild(r, id, p, values, kept, errsOut)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusUnprocessableEntity, policyApplyTemplate(d), policyApplyTitle(d, lang), d)
}

// pvAppRow is an application in a list.
type pvAppRow struct {
	policy.Application
	PeriodText i18n.Msg
	Amount     string // approved, else requested
	Paid       string
	ClockTag   string
	Clock      i18n.Msg
}

func pvAppRowOf(a policy.Application) pvAppRow {
	row := pvAppRow{Application: a, PeriodText: pvPeriod(a.Period)}
	amount := a.RequestedFen
	if a.ApprovedFen != nil {
		amount = *a.ApprovedFen
	}
	row.Amount = money.FormatYuanGrouped(amount)
	if a.Payment != nil {
		row.Paid = money.FormatYuanGrouped(a.Payment.AmountFen) + " · " + a.Payment.PaidOn
	}
	row.ClockTag, row.Clock = pvClock(a.Clock)
	return row
}

// pvClock describes a review clock with its colour: green on track,
// yellow with two thirds used, red overdue, and always the words too.
func pvClock(c policy.Clock) (string, i18n.Msg) {
	switch {
	case c.Status == "done":
		return "done", i18n.M("已办结", "Decided")
	case c.Paused:
		return "yellow", i18n.M("补正中，暂停计时", "Paused for a supplement")
	case c.Left < 0:
		return "red", i18n.M(fmt.Sprintf("已超期 %d 个工作日（应于 %s 前）", -c.Left, c.Due), fmt.Sprintf("%d working days overdue (due %s)", -c.Left, c.Due))
	}
	tag := c.Status
	if tag == "" {
		tag = "green"
	}
	return tag, i18n.M(fmt.Sprintf("剩余 %d 个工作日（%s 前）", c.Left, c.Due), fmt.Sprintf("%d working days left (due %s)", c.Left, c.Due))
}

type policyAppListData struct {
	Rows               []pvAppRow
	Total, Page, Pages int
	HasNext            bool
	Payouts            int
}

// policyMyApplications lists the enterprise's own applications with their
// state, amount and payment.
func (s *Server) policyMyApplications(w http.ResponseWriter, r *http.Request) {
	p, ok := s.policyRequire(w, r, func(p *identity.Principal) bool { return p.Can(identity.PermEnterpriseOwn) && p.EnterpriseID != 0 })
	if !ok {
		return
	}
	ctx, lang := r.Context(), httpmw.Lang(r)
	page := max(atoiDefault(r.URL.Query().Get("page"), 1), 1)
	pg, err := s.Policy.ListApplications(ctx, policy.AppFilter{EnterpriseID: p.EnterpriseID, Page: page})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := policyAppListData{Total: pg.Total, Page: pg.Page, Pages: max(pg.Pages(), 1), HasNext: pg.Page < pg.Pages()}
	for _, a := range pg.Items {
		d.Rows = append(d.Rows, pvAppRowOf(a))
	}
	if items, err := s.Policy.RunItemsFor(ctx, p.EnterpriseID); err == nil {
		d.Payouts = len(items)
	}
	s.render(w, r, http.StatusOK, "policy_applications", i18n.M("我的政策申请", "My policy applications").In(lang), d)
}

type policyAppData struct {
	A          policy.Application
	Row        pvAppRow
	Card       pvCard
	Checks     []pvCheck
	Entitled   string
	Approved   string
	Requested  string
	Paid       string
	Actions    map[string]bool
	Steps      []pvStep
	Objections []policy.PublicityObjection
	Officer    bool
	Payable    bool
	Values     map[string]string
	Errors     map[string]string
	AV, AE     map[string]map[string]string // values and errors of the action form that was posted
	Accept     string
	Fast       bool // a 快申快享 application: approved at the computed amount in one click
}

type pvStep struct {
	policy.Step
	Label  i18n.Msg
	Amount string
}

// policyApplicationShow is one application for its applicant or an
// officer: the state, clock, explanation at submission, materials, every
// step, and the actions the viewer may take now.
func (s *Server) policyApplicationShow(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.requireUser(w, r); !ok {
		return
	}
	s.renderApplication(w, r, http.StatusOK, nil, nil)
}

func (s *Server) renderApplication(w http.ResponseWriter, r *http.Request, status int, values, errsOut map[string]string) {
	ctx, lang := r.Context(), httpmw.Lang(r)
	p := identity.PrincipalFrom(ctx)
	id, err := policyPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, err := s.Policy.GetApplication(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := policyAppData{A: a, Row: pvAppRowOf(a), Checks: pvChecks(a.Eligibility), Entitled: pvYuan(a.EntitledFen), Approved: pvYuan(a.ApprovedFen),
		Requested: money.FormatYuanGrouped(a.RequestedFen),
		Actions:   map[string]bool{}, Officer: p.Can(identity.PermPolicyReview), Values: values, Errors: errsOut, Accept: acceptAttr(),
		Fast: a.PolicyMode == policy.ModeFast}
	if d.Values == nil {
		d.Values = map[string]string{}
	}
	if d.Errors == nil {
		d.Errors = map[string]string{}
	}
	if a.Payment != nil {
		d.Paid = money.FormatYuanGrouped(a.Payment.AmountFen)
	}
	if pol, err := s.Policy.Get(ctx, a.PolicyID); err == nil {
		d.Card = pvCardOf(pol)
	} else {
		d.Card = pvCard{ID: a.PolicyID, Title: a.PolicyTitle}
	}
	for _, act := range s.Policy.AvailableActions(p, a) {
		d.Actions[act] = true
	}
	d.Payable = d.Officer && a.State == policy.AppPayable
	act := d.Errors["_action"]
	d.AV, d.AE = map[string]map[string]string{act: d.Values}, map[string]map[string]string{act: d.Errors}
	if d.AV["approve"] == nil {
		limit := a.RequestedFen
		if a.EntitledFen != nil && *a.EntitledFen < limit {
			limit = *a.EntitledFen
		}
		d.AV["approve"] = map[string]string{"amount_yuan": money.FormatYuan(limit)}
	}
	for _, st := range a.Steps {
		d.Steps = append(d.Steps, pvStep{Step: st, Label: policy.ActionLabel(st.Action), Amount: pvYuan(st.AmountFen)})
	}
	if p.Can(identity.PermPolicyReview) || p.Can(identity.PermPolicyRead) {
		if d.Objections, err = s.Policy.Objections(ctx, a.ID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, status, "policy_application", i18n.M("政策兑现申请 ", "Policy application ").In(lang)+a.No, d)
}

// policyApplicationAct takes an action on an application from its page:
// the officer's approve, reject, supplement request, second approval and
// objection decisions, and the applicant's supplement, withdrawal and 异议.
func (s *Server) policyApplicationAct(w http.ResponseWriter, r *http.Request) {
	p, ok := s.requireUser(w, r)
	if !ok {
		return
	}
	ctx, lang := r.Context(), httpmw.Lang(r)
	id, err := policyPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_, total := s.uploadLimits()
	r.Body = http.MaxBytesReader(w, r.Body, total+1<<20)
	var fileHeaders map[string][]*multipart.FileHeader
	switch err := r.ParseMultipartForm(8 << 20); {
	case err == nil:
		fileHeaders = r.MultipartForm.File
		defer r.MultipartForm.RemoveAll()
	case errors.Is(err, http.ErrNotMultipart):
	default:
		s.renderApplication(w, r, http.StatusRequestEntityTooLarge, nil, map[string]string{"_form": i18n.M("上传的文件过大", "The files are too large").In(lang)})
		return
	}
	values := map[string]string{}
	for _, k := range []string{"action", "rev", "amount_yuan", "opinion", "reason", "missing", "uphold", "computed", "back"} {
		values[k] = strings.TrimSpace(r.FormValue(k))
	}
	rev, _ := strconv.Atoi(values["rev"])
	a := policy.Action{Name: values["action"], Opinion: values["opinion"], Reason: values["reason"], Uphold: values["uphold"] == "yes"}
	errsOut := map[string]string{}
	// The one-click approval of a 快申快享 application sends no amount:
	// the service approves what the policy computes (0), and the second
	// approval threshold applies to that amount as to any other.
	if a.Name == policy.ActApprove && !(values["computed"] == "yes" && values["amount_yuan"] == "") {
		fen, err := money.ParseYuan(values["amount_yuan"])
		if err != nil {
			errsOut["amount_yuan"] = i18n.M("请填写以元为单位的金额，最多两位小数", "Enter an amount in yuan with at most two decimals").In(lang)
		}
		a.AmountFen = fen
	}
	if a.Name == policy.ActRequestSupplement {
		for _, line := range strings.FieldsFunc(values["missing"], func(r rune) bool { return r == '\n' || r == '；' || r == ';' }) {
			if line = strings.TrimSpace(line); line != "" {
				a.Missing = append(a.Missing, line)
			}
		}
	}
	if a.Name == policy.ActSupplement {
		a.Files = map[int]string{}
		for key, fhs := range fileHeaders {
			seq, err := strconv.Atoi(strings.TrimPrefix(key, "file."))
			if err != nil || !strings.HasPrefix(key, "file.") || len(fhs) == 0 || fhs[0].Size == 0 {
				continue
			}
			saved, problem, err := s.saveUpload(ctx, fhs, lang)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			if problem != "" {
				errsOut[key] = problem
				continue
			}
			a.Files[seq] = saved.ID
		}
	}
	if len(errsOut) == 0 {
		out, err := s.Policy.Act(ctx, id, rev, a)
		if err == nil {
			s.setFlash(w, i18n.M("已"+policy.ActionLabel(a.Name).Zh+" "+out.No+"，申请现为“"+out.State.Label().Zh+"”",
				policy.ActionLabel(a.Name).En+" "+out.No+"; the application is now "+strings.ToLower(out.State.Label().En)).In(lang))
			if values["back"] == "queue" && p.Can(identity.PermPolicyReview) {
				redirect(w, r, "/admin/policy-applications")
				return
			}
			redirect(w, r, "/policy-applications/"+strconv.FormatInt(id, 10))
			return
		}
		fields, ok := pvFormErrors(err, lang)
		if !ok {
			if errors.Is(err, errs.ErrForbidden) && p != nil {
				// A refusal the page can explain (the same officer
				// approving twice) stays on the page.
				var e *errs.Error
				if errors.As(err, &e) && e.Code == "same_approver" {
					s.renderApplication(w, r, http.StatusForbidden, values, map[string]string{"_form": e.Msg.In(lang), "_action": a.Name})
					return
				}
			}
			s.fail(w, r, err)
			return
		}
		errsOut = fields
	}
	errsOut["_action"] = a.Name
	status := http.StatusUnprocessableEntity
	if _, stale := errsOut["_form"]; stale && rev == 0 {
		status = http.StatusPreconditionRequired
	}
	s.renderApplication(w, r, status, values, errsOut)
}

// policyRecordPayment records the disbursement of a payable application.
func (s *Server) policyRecordPayment(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.policyRequire(w, r, func(p *identity.Principal) bool { return p.Can(identity.PermPolicyReview) }); !ok {
		return
	}
	ctx, lang := r.Context(), httpmw.Lang(r)
	id, err := policyPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	values := map[string]string{"paid_on": strings.TrimSpace(r.PostFormValue("paid_on")), "reference": strings.TrimSpace(r.PostFormValue("reference")),
		"pay_amount_yuan": strings.TrimSpace(r.PostFormValue("pay_amount_yuan"))}
	in := policy.PaymentInput{PaidOn: values["paid_on"], Reference: values["reference"]}
	errsOut := map[string]string{}
	if v := values["pay_amount_yuan"]; v != "" {
		fen, err := money.ParseYuan(v)
		if err != nil {
			errsOut["amount_yuan"] = i18n.M("请填写以元为单位的金额，最多两位小数", "Enter an amount in yuan with at most two decimals").In(lang)
		}
		in.AmountFen = fen
	}
	if len(errsOut) == 0 {
		pay, err := s.Policy.Pay(ctx, policy.PayTarget{ApplicationID: id}, in)
		if err == nil {
			s.setFlash(w, i18n.M("已记录拨付 "+money.FormatYuanGrouped(pay.AmountFen)+" 元，凭证号 "+pay.Reference,
				"Payment of "+money.FormatYuanGrouped(pay.AmountFen)+" yuan recorded, reference "+pay.Reference).In(lang))
			redirect(w, r, "/policy-applications/"+strconv.FormatInt(id, 10))
			return
		}
		fields, ok := pvFormErrors(err, lang)
		if !ok {
			s.fail(w, r, err)
			return
		}
		errsOut = fields
	}
	errsOut["_action"] = "pay"
	s.renderApplication(w, r, http.StatusUnprocessableEntity, values, errsOut)
}

// policyApplicationFile serves a material uploaded with an application to
// those who may read the application (its enterprise, policy staff).
func (s *Server) policyApplicationFile(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.requireUser(w, r); !ok {
		return
	}
	ctx := r.Context()
	id, err := policyPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	seq, err := strconv.Atoi(r.PathValue("seq"))
	if err != nil {
		s.NotFound(w, r)
		return
	}
	a, err := s.Policy.GetApplication(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, m := range a.Materials {
		if m.Seq != seq || m.FileID == "" {
			continue
		}
		meta, err := s.Files.Meta(ctx, m.FileID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		rc, err := s.Files.Open(ctx, m.FileID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		defer rc.Close()
		attachment(w, meta.MIME, m.Name+"."+meta.Ext, int(meta.Size))
		if _, err := io.Copy(w, rc); err != nil {
			s.Log.Warn("policy file download", "id", m.FileID, "err", err)
		}
		return
	}
	s.NotFound(w, r)
}

// pvPeriod names a benefit period for people: "once" is 一次性, the others
// ("2026", "2026Q3", "2026-09") read as they are.
func pvPeriod(p string) i18n.Msg {
	if p == string(policy.PeriodOnce) {
		return i18n.M("一次性", "once")
	}
	return i18n.M(p, p)
}
