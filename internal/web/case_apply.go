package web

import (
	"context"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/qinqing/qinqing/internal/casework"
	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/files"
	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/money"
)

// applyField is one input of the application form.
type applyField struct {
	Name        string
	Label       i18n.Msg
	Type        string
	Required    bool
	Options     []string
	FromProfile bool // the value shown was filled in from 一企一档
	Value       string
	Error       string
}

// heldMaterial is a material the platform already holds: never asked for.
type heldMaterial struct {
	Seq   int
	Name  string
	Where i18n.Msg
}

// uploadMaterial is a material the applicant uploads, with the file
// already uploaded in an earlier attempt (kept in a hidden input).
type uploadMaterial struct {
	Seq      int
	Name     string
	Required bool
	Note     i18n.Msg
	FileID   string
	FileName string
	Error    string
}

type applyMember struct {
	Code, Name, Department string
	LegalDays              int
}

type channelOpt struct {
	Value string
	Label i18n.Msg
}

// applyData backs the application form (apply online, or take in at the
// window or a service point).
type applyData struct {
	Kind, Code, Name, Action string
	Mode                     string // enterprise, clerk or agent
	Ent                      *enterprise.Enterprise
	Department               string
	CaseType                 string
	CommittedDays, LegalDays int
	MailDelivery             bool
	DeliveryField            bool // the form asks how to receive the result
	ContactFields            bool // the form has no contact fields of its own
	PhoneMasked              bool // the profile phone is masked for this user and not prefilled
	Members                  []applyMember
	Fields                   []applyField
	Held                     []heldMaterial
	Upload                   []uploadMaterial
	Values                   map[string]string
	Errors                   map[string]string
	Other                    []string // errors that belong to no input
	Channels                 []channelOpt
	PerFileMB, TotalMB       int64
	Accept                   string
}

// applyMode says how p files: for its own enterprise, at the window, or
// as a service-point agent; "" when p may not file at all.
func applyMode(p *identity.Principal) string {
	switch {
	case p.Can(identity.PermEnterpriseOwn):
		return "enterprise"
	case p.Role == identity.RoleAgent && p.Can(identity.PermCaseIntake):
		return "agent"
	case p.Can(identity.PermCaseIntake):
		return "clerk"
	}
	return ""
}

// applySpec is what an application of a matter or bundle needs, with the
// notes of the matter's materials and whether results may be mailed.
type applySpec struct {
	casework.BundleSpec
	notes map[int]string
	mail  bool
	legal int
}

func (s *Server) applySpec(ctx context.Context, kind, code string) (applySpec, error) {
	cat := casework.MatterCatalogue{Matters: s.Matters}
	var out applySpec
	out.notes = map[int]string{}
	if kind == "bundle" {
		b, err := cat.BundleSpec(ctx, code)
		if err != nil {
			return out, err
		}
		out.BundleSpec = b
		for _, m := range b.Members {
			out.mail = out.mail || m.MailDelivery
			out.legal = max(out.legal, m.LegalDays)
		}
		return out, nil
	}
	m, err := cat.MatterSpec(ctx, code)
	if err != nil {
		return out, err
	}
	out.BundleSpec = casework.BundleSpec{Code: m.Code, Name: m.Name, CommittedDays: m.CommittedDays, Department: m.Department,
		Members: []casework.Spec{m}, Fields: m.Fields, Materials: m.Materials}
	out.mail, out.legal = m.MailDelivery, m.LegalDays
	if full, err := s.Matters.Get(ctx, code); err == nil {
		for _, mat := range full.Current.Materials {
			out.notes[mat.Seq] = mat.Note
		}
	}
	return out, nil
}

// profileValue reads the 一企一档 field a form field is prefilled from (as
// casework does when the field is left blank).
func profileValue(e enterprise.Enterprise, field string) string {
	switch field {
	case "name":
		return e.Name
	case "credit_code":
		return e.CreditCode
	case "legal_rep":
		return e.LegalRep
	case "address":
		return e.Address
	case "contact_name":
		return e.ContactName
	case "contact_phone":
		if e.ContactMasked {
			return "" // left blank, the service fills the real number
		}
		return e.ContactPhone
	case "registered_on":
		return e.RegisteredOn
	case "industry_code":
		return e.IndustryCode
	case "region_code":
		return e.RegionCode
	case "business_scope":
		return e.BusinessScope
	case "registered_capital_yuan":
		if e.RegisteredCapitalFen != nil {
			return money.FormatYuan(*e.RegisteredCapitalFen)
		}
	}
	return ""
}

// applyBuild assembles the form for p. values are what was typed (posted
// is true on a re-render after a failed submit, so typed values win over
// the profile), uploaded the files already uploaded by material seq.
func (s *Server) applyBuild(ctx context.Context, p *identity.Principal, kind, code string, values map[string]string, posted bool,
	uploaded map[int]files.File, errsIn map[string]string, lang i18n.Lang) (applyData, error) {
	spec, err := s.applySpec(ctx, kind, code)
	if err != nil {
		return applyData{}, err
	}
	depts := s.departmentNames(ctx)
	d := applyData{Kind: kind, Code: spec.Code, Name: spec.Name, Action: "/apply/" + kind + "/" + spec.Code, Mode: applyMode(p),
		Department: depts[spec.Department], CommittedDays: spec.CommittedDays, LegalDays: spec.legal, MailDelivery: spec.mail,
		Values: values, Errors: map[string]string{}, Accept: acceptAttr()}
	if d.Department == "" {
		d.Department = spec.Department
	}
	for k, v := range errsIn {
		d.Errors[k] = v
	}
	perFile, total := s.uploadLimits()
	d.PerFileMB, d.TotalMB = perFile>>20, total>>20
	if kind == "matter" {
		d.CaseType = spec.Members[0].CaseType
	}
	if kind == "bundle" {
		for _, m := range spec.Members {
			name := depts[m.Department]
			if name == "" {
				name = m.Department
			}
			d.Members = append(d.Members, applyMember{Code: m.Code, Name: m.Name, Department: name, LegalDays: m.LegalDays})
		}
	}
	switch d.Mode {
	case "clerk":
		d.Channels = []channelOpt{{string(casework.ChannelWindow), casework.ChannelWindow.Label()}, {string(casework.ChannelMail), casework.ChannelMail.Label()}}
		if values["channel"] == "" {
			values["channel"] = string(casework.ChannelWindow)
		}
	case "agent":
		values["channel"] = string(casework.ChannelServicePoint)
	default:
		values["channel"] = string(casework.ChannelOnline)
	}

	// The applying enterprise: one's own, or the one the clerk or agent chose.
	switch {
	case d.Mode == "enterprise":
		e, err := s.Enterprise.Get(ctx, p.EnterpriseID)
		if err != nil {
			return d, err
		}
		d.Ent = &e
	case strings.TrimSpace(values["credit_code"]) != "":
		e, err := s.Enterprise.GetByCreditCode(ctx, values["credit_code"])
		switch {
		case errors.Is(err, errs.ErrNotFound):
			d.Errors["credit_code"] = i18n.M("未找到该信用代码的企业，请核对，或先在企业档案中登记",
				"No enterprise with this credit code; check it, or register the enterprise first").In(lang)
		case err != nil:
			return d, err
		default:
			d.Ent = &e
		}
	}
	held := map[string]string{}
	if d.Ent != nil {
		certs, err := s.Cases.Certificates(ctx, d.Ent.ID)
		if err != nil {
			return d, err
		}
		for _, c := range certs {
			held[c.Name] = c.Number
		}
		d.PhoneMasked = d.Ent.ContactMasked
	}

	hasField := map[string]bool{}
	for _, f := range spec.Fields {
		hasField[f.Name] = true
		af := applyField{Name: f.Name, Label: f.Label, Type: f.Type, Required: f.Required, Options: f.Options,
			Error: d.Errors["form."+f.Name]}
		if v, ok := values["form."+f.Name]; ok && posted {
			af.Value = v
		} else if f.Prefill != "" && d.Ent != nil {
			af.Value = profileValue(*d.Ent, f.Prefill)
			af.FromProfile = af.Value != ""
		}
		d.Fields = append(d.Fields, af)
	}
	d.DeliveryField = hasField["delivery"]
	d.ContactFields = !hasField["contact_name"] && !hasField["contact_phone"]

	for _, m := range spec.Materials {
		ref := m.SourceRef
		switch m.Source {
		case "platform":
			d.Held = append(d.Held, heldMaterial{m.Seq, m.Name, i18n.M("平台从一企一档自动调取", "Taken from the enterprise profile (一企一档)")})
			continue
		case "department":
			name := depts[ref]
			if name == "" {
				name = ref
			}
			d.Held = append(d.Held, heldMaterial{m.Seq, m.Name, i18n.M("由"+name+"共享提供", "Shared by "+name)})
			continue
		case "license":
			if ref == "" {
				ref = m.Name
			}
			if no, ok := held[ref]; ok {
				d.Held = append(d.Held, heldMaterial{m.Seq, m.Name, i18n.M("已有电子证照："+ref+" "+no, "Electronic licence held: "+ref+" "+no)})
				continue
			}
		}
		um := uploadMaterial{Seq: m.Seq, Name: m.Name, Required: m.Required, Error: d.Errors[fmt.Sprintf("materials.%d", m.Seq)]}
		if note := spec.notes[m.Seq]; note != "" {
			um.Note = i18n.M(note, note)
		}
		if m.Source == "license" {
			if d.Ent == nil {
				um.Note = i18n.M("企业已取得电子证照“"+ref+"”的无需上传", "Not needed if the enterprise holds the electronic licence "+ref)
			} else {
				um.Note = i18n.M("平台未查到该企业的电子证照“"+ref+"”，请上传", "The platform holds no electronic "+ref+" for this enterprise; please upload it")
			}
		}
		if f, ok := uploaded[m.Seq]; ok {
			um.FileID, um.FileName = f.ID, f.Name
		}
		d.Upload = append(d.Upload, um)
	}

	// Errors that no input shows go to the top of the form.
	shown := map[string]bool{"credit_code": true, "channel": true, "authorization": true, "contact_name": true, "contact_phone": true, "_form": true}
	for _, f := range d.Fields {
		shown["form."+f.Name] = true
	}
	for _, m := range d.Upload {
		shown[fmt.Sprintf("materials.%d", m.Seq)] = true
	}
	for k, v := range d.Errors {
		if !shown[k] {
			d.Other = append(d.Other, v)
		}
	}
	slices.Sort(d.Other)
	return d, nil
}

// applyAllowed checks who may file, and for an agent that its service
// point takes in every member matter (the service checks again).
func (s *Server) applyAllowed(ctx context.Context, p *identity.Principal, kind, code string) error {
	mode := applyMode(p)
	if mode == "" {
		return errs.Forbidden()
	}
	if mode != "agent" {
		return nil
	}
	spec, err := s.applySpec(ctx, kind, code)
	if err != nil {
		return err
	}
	for _, m := range spec.Members {
		ok, err := s.Points.Accepts(ctx, p.ServicePoint, m.Code)
		if err != nil {
			return err
		}
		if !ok {
			return errs.New(errs.ErrForbidden, "not_accepted_at_point", i18n.M("本服务点不代办该事项："+m.Name, "This service point does not take in: "+m.Name))
		}
	}
	return nil
}

func applyKind(r *http.Request) string {
	if strings.HasPrefix(r.URL.Path, "/apply/bundle/") {
		return "bundle"
	}
	return "matter"
}

func (s *Server) applyPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.requireUser(w, r)
	if !ok {
		return
	}
	kind, code := applyKind(r), r.PathValue("code")
	if err := s.applyAllowed(r.Context(), p, kind, code); err != nil {
		s.failApply(w, r, err)
		return
	}
	values := map[string]string{"credit_code": strings.TrimSpace(r.URL.Query().Get("credit_code"))}
	d, err := s.applyBuild(r.Context(), p, kind, code, values, false, nil, nil, httpmw.Lang(r))
	if err != nil {
		s.failApply(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "case_apply", i18n.M("申请：", "Apply: ").In(httpmw.Lang(r))+d.Name, d)
}

// failApply renders errors of the form's set-up (a matter that does not
// exist or is inactive is a 404), showing why a refusal was made when the
// service said (e.g. a matter the agent's point does not take in).
func (s *Server) failApply(w http.ResponseWriter, r *http.Request, err error) {
	var e *errs.Error
	if errors.Is(err, errs.ErrForbidden) && errors.As(err, &e) && e.Code != "forbidden" {
		lang := httpmw.Lang(r)
		s.render(w, r, http.StatusForbidden, "error", "403", errorData{Status: http.StatusForbidden, Message: e.Msg.In(lang)})
		return
	}
	s.fail(w, r, err)
}

// applyValueKeys are the posted inputs kept besides the form.* fields.
var applyValueKeys = []string{"credit_code", "channel", "authorization", "contact_name", "contact_phone"}

// applySubmit stores every uploaded file, then files the application. On
// any error the form comes back with every message at its input, the
// typed values, and the files already uploaded (as hidden ids, so nothing
// is uploaded twice).
func (s *Server) applySubmit(w http.ResponseWriter, r *http.Request) {
	p, ok := s.requireUser(w, r)
	if !ok {
		return
	}
	ctx, lang := r.Context(), httpmw.Lang(r)
	kind, code := applyKind(r), r.PathValue("code")
	if err := s.applyAllowed(ctx, p, kind, code); err != nil {
		s.failApply(w, r, err)
		return
	}
	perFile, total := s.uploadLimits()
	r.Body = http.MaxBytesReader(w, r.Body, total+1<<20)
	values := map[string]string{}
	errsOut := map[string]string{}
	var posted map[string][]string
	var fileHeaders map[string][]*multipart.FileHeader
	switch err := r.ParseMultipartForm(8 << 20); {
	case err == nil:
		posted, fileHeaders = r.MultipartForm.Value, r.MultipartForm.File
		defer r.MultipartForm.RemoveAll()
	case errors.Is(err, http.ErrNotMultipart):
		posted = r.PostForm // a form without files
	default:
		errsOut["_form"] = i18n.M(fmt.Sprintf("提交失败：上传的文件合计不能超过 %d MB（单个文件不超过 %d MB）。请重新选择文件后提交。", total>>20, perFile>>20),
			fmt.Sprintf("Not submitted: files may total at most %d MB (%d MB each). Choose the files again.", total>>20, perFile>>20)).In(lang)
		d, err := s.applyBuild(ctx, p, kind, code, values, false, nil, errsOut, lang)
		if err != nil {
			s.failApply(w, r, err)
			return
		}
		s.render(w, r, http.StatusRequestEntityTooLarge, "case_apply", i18n.M("申请：", "Apply: ").In(lang)+d.Name, d)
		return
	}
	for k, v := range posted {
		if len(v) > 0 && (strings.HasPrefix(k, "form.") || strings.HasPrefix(k, "fileid.") || slices.Contains(applyValueKeys, k)) {
			values[k] = strings.TrimSpace(v[0])
		}
	}
	// What must be uploaded depends on the enterprise (its certificates).
	d, err := s.applyBuild(ctx, p, kind, code, values, true, nil, nil, lang)
	if err != nil {
		s.failApply(w, r, err)
		return
	}
	uploaded := map[int]files.File{}
	given := map[int]string{}
	for _, m := range d.Upload {
		key := fmt.Sprintf("materials.%d", m.Seq)
		if fhs := fileHeaders[fmt.Sprintf("file.%d", m.Seq)]; len(fhs) > 0 && fhs[0].Size > 0 {
			saved, problem, err := s.saveUpload(ctx, fhs, lang)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			if problem != "" {
				errsOut[key] = m.Name + "：" + problem
				// An id that cannot exist makes Submit refuse the whole
				// application while still reporting every other field.
				given[m.Seq] = "rejected-upload"
				if f, err := s.Files.Owned(ctx, values[fmt.Sprintf("fileid.%d", m.Seq)], p.AccountID); err == nil {
					uploaded[m.Seq] = f // the earlier upload stays offered
				}
				continue
			}
			uploaded[m.Seq], given[m.Seq] = saved, saved.ID
			continue
		}
		if id := values[fmt.Sprintf("fileid.%d", m.Seq)]; id != "" {
			if f, err := s.Files.Owned(ctx, id, p.AccountID); err == nil {
				uploaded[m.Seq], given[m.Seq] = f, f.ID
			}
		}
	}
	sub := casework.Submission{Files: given, Form: map[string]string{}, Authorization: values["authorization"],
		Channel: casework.Channel(values["channel"])}
	if kind == "bundle" {
		sub.BundleCode = code
	} else {
		sub.MatterCode = code
	}
	for _, f := range d.Fields {
		sub.Form[f.Name] = values["form."+f.Name]
	}
	sub.ContactName = firstNonEmpty(values["contact_name"], values["form.contact_name"])
	sub.ContactPhone = firstNonEmpty(values["contact_phone"], values["form.contact_phone"])
	if d.Ent != nil {
		sub.EnterpriseID = d.Ent.ID
	}
	c, err := s.Cases.Submit(ctx, sub)
	if err == nil {
		s.setFlash(w, i18n.M(fmt.Sprintf("申请已提交。办件编号 %s，查询码 %s（凭编号和查询码可随时查询办理进度）", c.No, c.QueryCode),
			fmt.Sprintf("Application submitted. Case number %s, query code %s (use both to follow its progress)", c.No, c.QueryCode)).In(lang))
		redirect(w, r, "/cases/"+c.No)
		return
	}
	fields := errs.FieldsOf(err)
	var e *errs.Error
	switch {
	case fields != nil:
		for k, m := range fields {
			if _, ok := errsOut[k]; !ok {
				errsOut[k] = m.In(lang)
			}
		}
	case errors.Is(err, errs.ErrForbidden):
		s.failApply(w, r, err)
		return
	case errors.As(err, &e):
		errsOut["_form"] = e.Msg.In(lang)
	default:
		s.fail(w, r, err)
		return
	}
	d, err = s.applyBuild(ctx, p, kind, code, values, true, uploaded, errsOut, lang)
	if err != nil {
		s.failApply(w, r, err)
		return
	}
	s.render(w, r, http.StatusUnprocessableEntity, "case_apply", i18n.M("申请：", "Apply: ").In(lang)+d.Name, d)
}

// saveUpload stores the first file posted under fhs. A refusal of the file
// itself (type, content, size) comes back as problem, for the form to show
// next to the field; any other failure as err.
func (s *Server) saveUpload(ctx context.Context, fhs []*multipart.FileHeader, lang i18n.Lang) (saved files.File, problem string, err error) {
	f, err := fhs[0].Open()
	if err != nil {
		return files.File{}, "", err
	}
	defer f.Close()
	saved, err = s.Files.Save(ctx, fhs[0].Filename, f)
	if err != nil {
		if errs.FieldsOf(err) == nil {
			return files.File{}, "", err
		}
		return files.File{}, uploadErrText(err, lang), nil
	}
	return saved, "", nil
}

// uploadErrText is why the file store refused an upload (type, content,
// size).
func uploadErrText(err error, lang i18n.Lang) string {
	if m, ok := errs.FieldsOf(err)["file"]; ok {
		return m.In(lang)
	}
	return caseErrText(err, lang)
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// atoiDefault parses a positive integer or returns def.
func atoiDefault(s string, def int) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n <= 0 {
		return def
	}
	return n
}
