package web

import (
	"context"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/qinqing/qinqing/internal/casework"
	"github.com/qinqing/qinqing/internal/docs"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
)

// clockView is a case's working-day clock as the pages show it.
type clockView struct {
	casework.Clock
	Days    int  // committed working days
	Overdue int  // working days past the deadline
	Judged  bool // decided, and whether on time is known
	Late    bool // decided after the deadline
	Label   i18n.Msg
}

func clockOf(c casework.Case) clockView {
	v := clockView{Clock: c.Clock, Days: c.CommittedDays, Label: casework.StatusLabel(c.Clock.Status)}
	if c.Clock.Left < 0 {
		v.Overdue = -c.Clock.Left
	}
	if c.Clock.OnTime != nil {
		v.Judged, v.Late = true, !*c.Clock.OnTime
	}
	return v
}

type stepView struct {
	Action  i18n.Msg
	To      casework.State
	Actor   string
	Role    i18n.Msg
	Dept    string
	Opinion string
	At      time.Time
}

type materialView struct {
	casework.CaseMaterial
	StatusLabel i18n.Msg
	Reuse       i18n.Msg
}

type subView struct {
	No, Title, Dept string
	State           casework.State
	Clock           clockView
}

type pauseView struct {
	casework.Pause
	Kind i18n.Msg
}

type missingRow struct{ Name, Requirement string }

type levelOpt struct {
	Level int
	Name  i18n.Msg
}

// caseView backs the case page and its action forms.
type caseView struct {
	C            casework.Case
	Phone        string // the contact phone, masked for roles without the need
	Clock        clockView
	Dept         string
	Own          bool // the viewer is the applicant enterprise
	ShowQuery    bool
	Actions      []string
	Can          map[string]bool
	Labels       map[string]i18n.Msg // action labels
	Docs         []caseDoc
	Steps        []stepView
	Materials    []materialView
	Subs         []subView
	Pauses       []pauseView
	CanRate      bool
	Levels       []levelOpt
	RatingName   i18n.Msg
	Instant      bool // a 即办件 the front desk may decide on the spot
	SpecialTypes []string
	MissingRows  []missingRow
	Delivery     string // the delivery method to preselect
	PerFileMB    int64
	Accept       string

	Form   string            // the action whose form is re-shown with values and errors
	Values map[string]string // what was typed there
	Errors map[string]string // field errors of that form
	Alert  string
}

// stepLabel names a step's action, including the service's own steps.
func stepLabel(a string) i18n.Msg {
	switch a {
	case "submit":
		return i18n.M("提交申请", "Application submitted")
	case "complete":
		return i18n.M("全部子事项办结", "All member matters decided")
	}
	return casework.ActionLabel(a)
}

// actionButton names what a button does, in the imperative.
var actionButton = map[string]i18n.Msg{
	casework.ActAccept:            i18n.M("受理", "Accept"),
	casework.ActReject:            i18n.M("不予受理", "Refuse to accept"),
	casework.ActRequestSupplement: i18n.M("一次性告知补正", "Ask for a supplement"),
	casework.ActSupplement:        i18n.M("提交补正材料", "Submit the supplement"),
	casework.ActSuspend:           i18n.M("启动特别程序", "Start a special procedure"),
	casework.ActResume:            i18n.M("结束特别程序", "End the special procedure"),
	casework.ActApprove:           i18n.M("准予许可（办结）", "Approve"),
	casework.ActDeny:              i18n.M("不予许可", "Deny"),
	casework.ActDeliver:           i18n.M("出件", "Hand out the result"),
	casework.ActWithdraw:          i18n.M("撤回申请", "Withdraw the application"),
}

var materialStatus = map[string]i18n.Msg{
	"provided":     i18n.M("已提交", "Provided"),
	"reused":       i18n.M("平台已有", "Held by the platform"),
	"shared":       i18n.M("部门共享", "Shared by a department"),
	"not_provided": i18n.M("未提供", "Not provided"),
}

// reuseNote says where a material the applicant did not upload came from.
func reuseNote(m casework.CaseMaterial, depts map[string]string) i18n.Msg {
	switch {
	case m.ReusedFrom == "profile":
		return i18n.M("来自一企一档", "From the enterprise profile")
	case strings.HasPrefix(m.ReusedFrom, "certificate:"):
		cert := strings.TrimPrefix(m.ReusedFrom, "certificate:")
		return i18n.M("已有电子证照："+cert, "Electronic licence held: "+cert)
	case strings.HasPrefix(m.ReusedFrom, "department:"):
		code := strings.TrimPrefix(m.ReusedFrom, "department:")
		name := depts[code]
		if name == "" {
			name = code
		}
		return i18n.M("由"+name+"共享提供", "Shared by "+name)
	}
	return i18n.Msg{}
}

// caseViewOf builds the page of c for p.
func (s *Server) caseViewOf(ctx context.Context, p *identity.Principal, c casework.Case) caseView {
	depts := s.departmentNames(ctx)
	dept := func(code string) string {
		if n := depts[code]; n != "" {
			return n
		}
		return code
	}
	perFile, _ := s.uploadLimits()
	v := caseView{C: c, Clock: clockOf(c), Dept: dept(c.Department), Own: casework.IsApplicant(p, c), Can: map[string]bool{},
		Labels: actionButton, Docs: caseDocs(c), CanRate: casework.MayRate(p, c), SpecialTypes: casework.SpecialTypes,
		PerFileMB: perFile >> 20, Accept: acceptAttr(), Values: map[string]string{}, Errors: map[string]string{}}
	v.ShowQuery = v.Own || p.Can(identity.PermCaseIntake)
	v.Phone = c.ContactPhone
	if !caseSeesContact(p, c) {
		v.Phone = maskPhone(c.ContactPhone)
	}
	v.Actions = casework.AvailableActions(p, c)
	for _, a := range v.Actions {
		v.Can[a] = true
	}
	v.Instant = c.State == casework.Submitted && c.CaseType == "instant" && v.Can[casework.ActApprove]
	for _, st := range c.Steps {
		role := identity.Role(st.Role).Label()
		v.Steps = append(v.Steps, stepView{Action: stepLabel(st.Action), To: st.To, Actor: st.Actor, Role: role, Dept: depts[st.Department],
			Opinion: st.Opinion, At: st.At})
	}
	for _, m := range c.Materials {
		v.Materials = append(v.Materials, materialView{CaseMaterial: m, StatusLabel: materialStatus[m.Status], Reuse: reuseNote(m, depts)})
	}
	for _, sub := range c.Subs {
		v.Subs = append(v.Subs, subView{No: sub.No, Title: sub.Title, Dept: dept(sub.Department), State: sub.State, Clock: clockOf(sub)})
	}
	for _, ps := range c.Pauses {
		kind := i18n.M("补正", "Supplement")
		if ps.Kind == "special" {
			kind = i18n.M("特别程序："+ps.SpecialType, "Special procedure: "+ps.SpecialType)
		}
		v.Pauses = append(v.Pauses, pauseView{Pause: ps, Kind: kind})
	}
	for l := 5; l >= 1; l-- {
		v.Levels = append(v.Levels, levelOpt{Level: l, Name: casework.Levels[l]})
	}
	if c.Rating != nil {
		v.RatingName = casework.Levels[c.Rating.Level]
	}
	v.MissingRows = make([]missingRow, 3)
	v.Delivery = "window"
	if c.Form["delivery"] == "免费邮寄" {
		v.Delivery = "mail"
	}
	return v
}

func (s *Server) caseShow(w http.ResponseWriter, r *http.Request) {
	p, ok := s.requireUser(w, r)
	if !ok {
		return
	}
	c, err := s.Cases.Get(r.Context(), r.PathValue("no"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "case_show", c.Title+" · "+c.No, s.caseViewOf(r.Context(), p, c))
}

// postedForm reads a posted form, urlencoded or multipart (the supplement
// carries files), within the upload limit.
type postedForm struct {
	values map[string][]string
	files  map[string][]*multipart.FileHeader
}

func (f postedForm) get(k string) string {
	if v := f.values[k]; len(v) > 0 {
		return strings.TrimSpace(v[0])
	}
	return ""
}

func (s *Server) readPosted(w http.ResponseWriter, r *http.Request) (postedForm, func(), error) {
	_, total := s.uploadLimits()
	r.Body = http.MaxBytesReader(w, r.Body, total+1<<20)
	err := r.ParseMultipartForm(8 << 20)
	switch {
	case err == nil:
		return postedForm{r.MultipartForm.Value, r.MultipartForm.File}, func() { r.MultipartForm.RemoveAll() }, nil
	case errors.Is(err, http.ErrNotMultipart):
		return postedForm{values: r.PostForm}, func() {}, nil
	}
	return postedForm{}, func() {}, err
}

// caseAct takes an action from one of the case page's forms. "+ 添加一项"
// on the 补正 form re-renders the page with one more row and changes
// nothing, so the list grows without JavaScript.
func (s *Server) caseAct(w http.ResponseWriter, r *http.Request) {
	p, ok := s.requireUser(w, r)
	if !ok {
		return
	}
	ctx, lang := r.Context(), httpmw.Lang(r)
	no := r.PathValue("no")
	form, cleanup, perr := s.readPosted(w, r)
	defer cleanup()
	c, err := s.Cases.Get(ctx, no)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := s.caseViewOf(ctx, p, c)
	if perr != nil {
		perFile, total := s.uploadLimits()
		v.Alert = i18n.M(fmt.Sprintf("提交失败：文件合计不能超过 %d MB（单个不超过 %d MB）", total>>20, perFile>>20),
			fmt.Sprintf("Not submitted: files may total at most %d MB (%d MB each)", total>>20, perFile>>20)).In(lang)
		s.render(w, r, http.StatusRequestEntityTooLarge, "case_show", c.Title+" · "+c.No, v)
		return
	}
	a := casework.Action{Name: form.get("action"), Opinion: form.get("opinion"), Reason: form.get("reason"),
		LegalBasis: form.get("legal_basis"), SpecialType: form.get("special_type"), CertificateNo: form.get("certificate_no"),
		DeliveryMethod: form.get("delivery_method"), TrackingNo: form.get("tracking_no"), Address: form.get("address")}
	a.IfVersion, _ = strconv.Atoi(form.get("version"))
	v.Form = a.Name
	for _, k := range []string{"opinion", "reason", "legal_basis", "special_type", "certificate_no", "delivery_method", "tracking_no", "address", "confirm"} {
		v.Values[k] = form.get(k)
	}
	if a.Name == casework.ActDeliver && a.DeliveryMethod != "" {
		v.Delivery = a.DeliveryMethod
	}
	names, reqs := form.values["missing_name"], form.values["missing_requirement"]
	rows := make([]missingRow, 0, len(names))
	for i, n := range names {
		row := missingRow{Name: strings.TrimSpace(n)}
		if i < len(reqs) {
			row.Requirement = strings.TrimSpace(reqs[i])
		}
		rows = append(rows, row)
		if row.Name != "" {
			a.Missing = append(a.Missing, casework.MissingItem{Name: row.Name, Requirement: row.Requirement})
			// The 补正告知书 must say what each item needs (一次性告知).
			if row.Requirement == "" && a.Name == casework.ActRequestSupplement && v.Errors["missing"] == "" {
				v.Errors["missing"] = i18n.M(fmt.Sprintf("第 %d 项“%s”：请写明补正要求", i+1, row.Name),
					fmt.Sprintf("Row %d (%s): state what is needed", i+1, row.Name)).In(lang)
			}
		}
	}
	if form.get("add_row") != "" {
		rows = append(rows, missingRow{})
	}
	for len(rows) < 3 {
		rows = append(rows, missingRow{})
	}
	v.MissingRows = rows
	if form.get("add_row") != "" {
		s.render(w, r, http.StatusOK, "case_show", c.Title+" · "+c.No, v)
		return
	}
	if a.Name == casework.ActWithdraw && form.get("confirm") != "yes" {
		v.Errors["confirm"] = i18n.M("请勾选确认撤回", "Tick the box to confirm").In(lang)
	}
	if len(v.Errors) > 0 {
		s.render(w, r, http.StatusUnprocessableEntity, "case_show", c.Title+" · "+c.No, v)
		return
	}
	if a.Name == casework.ActSupplement {
		files, ok := s.supplementFiles(ctx, c, form, v.Errors, lang)
		if !ok {
			s.render(w, r, http.StatusUnprocessableEntity, "case_show", c.Title+" · "+c.No, v)
			return
		}
		a.Files = files
	}
	_, err = s.Cases.Act(ctx, no, a)
	if err == nil {
		s.setFlash(w, i18n.M("已办理：", "Done: ").In(lang)+casework.ActionLabel(a.Name).In(lang))
		redirect(w, r, "/cases/"+no)
		return
	}
	s.caseActionFailed(w, r, p, no, v, err)
}

// caseActionFailed re-renders the case after a refused action: field
// errors at their inputs with the typed values, a stale version or an
// illegal move as a notice above the fresh case.
func (s *Server) caseActionFailed(w http.ResponseWriter, r *http.Request, p *identity.Principal, no string, v caseView, err error) {
	lang := httpmw.Lang(r)
	status := http.StatusUnprocessableEntity
	var e *errs.Error
	switch {
	case errs.FieldsOf(err) != nil:
		for k, m := range errs.FieldsOf(err) {
			v.Errors[k] = m.In(lang)
			if !v.Can[v.Form] { // no form on the page shows it
				v.Alert = m.In(lang)
			}
		}
	case errors.Is(err, errs.ErrPrecondition):
		status = http.StatusPreconditionFailed
		v.Alert = i18n.M("办件已被他人处理，请刷新后再操作（您的操作未执行）", "The case was changed by someone else; reload it (your action was not taken)").In(lang)
	case errors.Is(err, errs.ErrPreconditionRequired):
		status = http.StatusPreconditionRequired
		v.Alert = i18n.M("页面已过期，请刷新后再操作", "This page is out of date; reload it").In(lang)
	case errors.Is(err, errs.ErrConflict) && errors.As(err, &e):
		status = http.StatusConflict
		v.Alert = e.Msg.In(lang)
	default:
		s.fail(w, r, err)
		return
	}
	if status != http.StatusUnprocessableEntity {
		// Show the case as it is now; the refused form starts afresh.
		c, gerr := s.Cases.Get(r.Context(), no)
		if gerr != nil {
			s.fail(w, r, gerr)
			return
		}
		alert := v.Alert
		v = s.caseViewOf(r.Context(), p, c)
		v.Alert = alert
	}
	s.render(w, r, status, "case_show", v.C.Title+" · "+v.C.No, v)
}

// supplementFiles stores the files of a supplement: one per item of the
// 补正 list (attached to the material of that name when the case has one)
// and one more of any other document. Upload errors go into errsOut.
func (s *Server) supplementFiles(ctx context.Context, c casework.Case, form postedForm, errsOut map[string]string, lang i18n.Lang) (map[int]string, bool) {
	seqOf := map[string]int{}
	next := 1
	for _, m := range c.Materials {
		seqOf[m.Name] = m.Seq
		next = max(next, m.Seq+1)
	}
	out := map[int]string{}
	save := func(key, label string) string {
		fhs := form.files[key]
		if len(fhs) == 0 || fhs[0].Size == 0 {
			return ""
		}
		saved, problem, err := s.saveUpload(ctx, fhs, lang)
		if err != nil {
			problem = uploadErrText(err, lang)
		}
		if problem != "" {
			errsOut[key] = label + "：" + problem
			return ""
		}
		return saved.ID
	}
	for i, m := range c.Missing {
		id := save(fmt.Sprintf("supp.%d", i), m.Name)
		if id == "" {
			continue
		}
		seq, ok := seqOf[m.Name]
		if !ok {
			seq = next // not on the original list: the service adds it
			next++
		}
		out[seq] = id
	}
	if id := save("supp.extra", i18n.M("其他补正材料", "Other document").In(lang)); id != "" {
		out[next] = id
	}
	return out, len(errsOut) == 0
}

// caseRate records the applicant's 好差评.
func (s *Server) caseRate(w http.ResponseWriter, r *http.Request) {
	p, ok := s.requireUser(w, r)
	if !ok {
		return
	}
	ctx, lang := r.Context(), httpmw.Lang(r)
	no := r.PathValue("no")
	level, _ := strconv.Atoi(r.PostFormValue("level"))
	comment := r.PostFormValue("comment")
	_, err := s.Cases.Rate(ctx, no, level, comment)
	if err == nil {
		s.setFlash(w, i18n.M("感谢您的评价", "Thank you for your rating").In(lang))
		redirect(w, r, "/cases/"+no)
		return
	}
	c, gerr := s.Cases.Get(ctx, no)
	if gerr != nil {
		s.fail(w, r, gerr)
		return
	}
	v := s.caseViewOf(ctx, p, c)
	v.Form = "rating"
	v.Values["level"], v.Values["comment"] = r.PostFormValue("level"), comment
	status := http.StatusUnprocessableEntity
	var e *errs.Error
	switch {
	case errs.FieldsOf(err) != nil:
		for k, m := range errs.FieldsOf(err) {
			v.Errors[k] = m.In(lang)
		}
	case errors.Is(err, errs.ErrConflict) && errors.As(err, &e):
		status, v.Alert = http.StatusConflict, e.Msg.In(lang)
	default:
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "case_show", c.Title+" · "+c.No, v)
}

// caseDocument serves 受理通知书, 不予受理决定书 or 补正告知书 as a PDF
// attachment: /cases/{no}/documents/{kind}.pdf.
func (s *Server) caseDocument(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.requireUser(w, r); !ok {
		return
	}
	kind, ok := strings.CutSuffix(r.PathValue("file"), ".pdf")
	var title string
	for _, d := range docKinds {
		if d.Kind == kind {
			title = d.Title.Zh
		}
	}
	if !ok || title == "" {
		s.NotFound(w, r)
		return
	}
	no := r.PathValue("no")
	pdf, err := s.Cases.Document(r.Context(), no, docs.Kind(kind))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	attachment(w, "application/pdf", title+"-"+no+".pdf", len(pdf))
	w.Write(pdf)
}
