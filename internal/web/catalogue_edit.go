package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/matter"
	"github.com/qinqing/qinqing/internal/money"
)

// catBlankMaterialRows are the empty rows the material editor offers for
// new materials; a form posted with all of them used offers as many again.
const catBlankMaterialRows = 3

// catMatterForm backs the matter edit form. Values and Materials keep
// exactly what was typed, so that nothing is lost when a field is
// rejected or someone else saved first.
type catMatterForm struct {
	Code, BasicCode string
	Name            string // the matter's name, for the heading
	Version         int    // the version the edit started from
	Values          map[string]string
	Events          map[string]bool
	Materials       []catMaterialRow
	Errors          map[string]string
	Extra           []string // messages with no field of their own
	Stale           bool

	Depts, Types, Levels, CaseTypes, Visits, Depths, EventOpts, Forms, Sources []catOption
}

// catMaterialRow is one row of the material editor.
type catMaterialRow struct {
	I                                           int
	Name, Form, Copies, Source, SourceRef, Note string
	Required                                    bool
	Errors                                      map[string]string
}

func (r catMaterialRow) blank() bool {
	return strings.TrimSpace(r.Name) == "" && strings.TrimSpace(r.SourceRef) == "" && strings.TrimSpace(r.Note) == ""
}

// catTextFields are the form's single-value inputs, by the service's field
// names.
var catTextFields = []string{"name", "name_en", "type", "department_code", "exercise_level", "legal_basis",
	"legal_limit_days", "committed_limit_days", "limit_note", "case_type", "visits", "online_depth", "fee_yuan",
	"fee_basis", "accept_conditions", "process", "location", "hours", "consult_phone", "complaint_phone",
	"result_name", "form_fields", "change_note"}

func (s *Server) catNewMatterForm(r *http.Request) (catMatterForm, error) {
	depts, err := s.catDepartments(r.Context())
	if err != nil {
		return catMatterForm{}, err
	}
	return catMatterForm{Values: map[string]string{}, Events: map[string]bool{}, Errors: map[string]string{},
		Depts: depts.Options(), Types: catTypeOptions(), Levels: catMatterOptions(matter.ExerciseLevels),
		CaseTypes: catMatterOptions(matter.CaseTypes), Visits: catMatterOptions(matter.VisitOptions),
		Depths: catMatterOptions(matter.Depths), EventOpts: catMatterOptions(matter.Events),
		Forms: catMatterOptions(matter.MaterialForms), Sources: catMatterOptions(matter.MaterialSources)}, nil
}

func catBlankRow(i int) catMaterialRow {
	return catMaterialRow{I: i, Form: matter.FormOriginal, Copies: "1", Source: matter.SourceApplicant, Required: true, Errors: map[string]string{}}
}

// catFill puts a matter's current elements into the form.
func catFill(d *catMatterForm, m matter.Matter) {
	v := m.Current
	d.Code, d.BasicCode, d.Name, d.Version = m.Code, m.BasicCode, v.Name, m.Versions
	fee := ""
	if v.FeeFen != nil {
		fee = money.FormatYuan(*v.FeeFen)
	}
	fields := "[]"
	if len(v.FormFields) > 0 {
		b, _ := json.MarshalIndent(v.FormFields, "", "  ")
		fields = string(b)
	}
	d.Values = map[string]string{
		"name": v.Name, "name_en": v.NameEn, "type": v.Type, "department_code": v.DepartmentCode,
		"exercise_level": v.ExerciseLevel, "legal_basis": v.LegalBasis, "legal_limit_days": strconv.Itoa(v.LegalLimitDays),
		"committed_limit_days": strconv.Itoa(v.CommittedLimitDays), "limit_note": v.LimitNote, "case_type": v.CaseType,
		"visits": strconv.Itoa(v.Visits), "online_depth": strconv.Itoa(v.OnlineDepth), "fee_yuan": fee, "fee_basis": v.FeeBasis,
		"accept_conditions": v.AcceptConditions, "process": v.Process, "location": v.Location, "hours": v.Hours,
		"consult_phone": v.ConsultPhone, "complaint_phone": v.ComplaintPhone, "result_name": v.ResultName,
		"form_fields": fields, "change_note": "",
	}
	if v.MailDelivery {
		d.Values["mail_delivery"] = "on"
	}
	for _, e := range v.Events {
		d.Events[e] = true
	}
	for i, mat := range v.Materials {
		d.Materials = append(d.Materials, catMaterialRow{I: i, Name: mat.Name, Required: mat.Required, Form: mat.Form,
			Copies: strconv.Itoa(mat.Copies), Source: mat.Source, SourceRef: mat.SourceRef, Note: mat.Note, Errors: map[string]string{}})
	}
	for range catBlankMaterialRows {
		d.Materials = append(d.Materials, catBlankRow(len(d.Materials)))
	}
}

func (s *Server) catMatterEdit(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.catRequire(w, r, identity.PermCatalogueManage); !ok {
		return
	}
	m, err := s.Matters.Get(r.Context(), r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.catNewMatterForm(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	catFill(&d, m)
	s.render(w, r, http.StatusOK, "catalogue_matter_form", catEditTitle(d, httpmw.Lang(r)), d)
}

func catEditTitle(d catMatterForm, lang i18n.Lang) string {
	return i18n.M("编辑事项：", "Edit matter: ").In(lang) + d.Name
}

// catMatterSave records a new version from the form. A stale version shows
// the conflict with everything typed kept; field errors are shown at their
// fields.
func (s *Server) catMatterSave(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.catRequire(w, r, identity.PermCatalogueManage); !ok {
		return
	}
	ctx := r.Context()
	lang := httpmw.Lang(r)
	m, err := s.Matters.Get(ctx, r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.catNewMatterForm(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Code, d.BasicCode, d.Name = m.Code, m.BasicCode, m.Current.Name
	in, index, ok := catReadMatterForm(r, &d, lang)
	in.Code, in.BasicCode = m.Code, m.BasicCode
	if r.PostFormValue("more_rows") != "" {
		// The no-JavaScript way to grow the material editor: the form
		// comes back as typed, with more blank rows, and nothing is saved.
		for range catBlankMaterialRows {
			d.Materials = append(d.Materials, catBlankRow(len(d.Materials)))
		}
		d.Errors = map[string]string{}
		for i := range d.Materials {
			d.Materials[i].Errors = map[string]string{}
		}
		s.render(w, r, http.StatusOK, "catalogue_matter_form", catEditTitle(d, lang), d)
		return
	}
	if !ok {
		// Show the service's own checks too, so that every problem is
		// listed at once; what the form already reported stays first.
		if verr := in.Validate(); verr != nil {
			catMatterErrors(&d, verr, index, lang)
		}
	}
	if ok {
		out, err := s.Matters.Update(ctx, m.Code, in, d.Version)
		if err == nil {
			msg := i18n.M("内容没有变化，未生成新版本", "Nothing changed; no new version was made")
			if out.Versions > d.Version {
				msg = i18n.M(fmt.Sprintf("已保存，已生成第 %d 版", out.Versions), fmt.Sprintf("Saved as version %d", out.Versions))
			}
			s.setFlash(w, msg.In(lang))
			redirect(w, r, "/matters/"+out.Code)
			return
		}
		if !catMatterErrors(&d, err, index, lang) {
			s.fail(w, r, err)
			return
		}
		if errors.Is(err, errs.ErrPrecondition) {
			d.Stale = true
			if cur, err := s.Matters.Get(ctx, m.Code); err == nil {
				d.Values["_current"] = strconv.Itoa(cur.Versions)
			}
		}
	}
	if n := len(d.Materials); n == 0 || !d.Materials[n-1].blank() {
		d.Materials = append(d.Materials, catBlankRow(n))
	}
	status := http.StatusUnprocessableEntity
	if d.Stale {
		status = http.StatusConflict
	}
	s.render(w, r, status, "catalogue_matter_form", catEditTitle(d, lang), d)
}

// catReadMatterForm reads the posted form into d (as typed) and an input.
// index maps the position of a material in the input to its form row, for
// placing the service's "materials[2].name" errors; blank rows are left out
// of the input.
func catReadMatterForm(r *http.Request, d *catMatterForm, lang i18n.Lang) (matter.MatterInput, []int, bool) {
	if err := r.ParseForm(); err != nil {
		d.Errors["_form"] = i18n.M("表单无法解析", "The form could not be read").In(lang)
		return matter.MatterInput{}, nil, false
	}
	for _, f := range catTextFields {
		d.Values[f] = strings.TrimSpace(r.PostFormValue(f))
	}
	if r.PostFormValue("mail_delivery") == "on" {
		d.Values["mail_delivery"] = "on"
	}
	d.Version, _ = strconv.Atoi(r.PostFormValue("version"))
	for _, e := range r.PostForm["events"] {
		d.Events[e] = true
	}
	in := matter.MatterInput{
		Name: d.Values["name"], NameEn: d.Values["name_en"], Type: d.Values["type"], DepartmentCode: d.Values["department_code"],
		ExerciseLevel: d.Values["exercise_level"], LegalBasis: d.Values["legal_basis"], LimitNote: d.Values["limit_note"],
		CaseType: d.Values["case_type"], MailDelivery: d.Values["mail_delivery"] == "on", FeeBasis: d.Values["fee_basis"],
		AcceptConditions: d.Values["accept_conditions"], Process: d.Values["process"], Location: d.Values["location"],
		Hours: d.Values["hours"], ConsultPhone: d.Values["consult_phone"], ComplaintPhone: d.Values["complaint_phone"],
		ResultName: d.Values["result_name"], ChangeNote: d.Values["change_note"], Events: []string{},
	}
	for _, o := range d.EventOpts {
		if d.Events[o.Code] {
			in.Events = append(in.Events, o.Code)
		}
	}
	integer := func(name string, dst *int) {
		n, err := strconv.Atoi(d.Values[name])
		if err != nil {
			d.Errors[name] = i18n.M("请填写整数", "Enter a whole number").In(lang)
			return
		}
		*dst = n
	}
	integer("legal_limit_days", &in.LegalLimitDays)
	integer("committed_limit_days", &in.CommittedLimitDays)
	integer("visits", &in.Visits)
	integer("online_depth", &in.OnlineDepth)
	if v := d.Values["fee_yuan"]; v != "" {
		fen, err := money.ParseYuan(v)
		if err != nil {
			d.Errors["fee_yuan"] = i18n.M("请填写以元为单位的金额，最多两位小数；不收费请留空", "Enter an amount in yuan with at most two decimals; leave blank when free").In(lang)
		} else {
			in.FeeFen = &fen
		}
	}
	if v := d.Values["form_fields"]; v != "" {
		dec := json.NewDecoder(bytes.NewReader([]byte(v)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&in.FormFields); err != nil {
			d.Errors["form_fields"] = i18n.M("不是有效的字段列表 JSON：", "Not a valid JSON list of fields: ").In(lang) + err.Error()
		}
	}
	if d.Values["change_note"] == "" {
		d.Errors["change_note"] = i18n.M("请说明本次修改的内容和依据，它会显示在版本记录中", "Say what changed and why; it appears in the version history").In(lang)
	}
	rows, _ := strconv.Atoi(r.PostFormValue("material_rows"))
	rows = min(max(rows, 0), 200)
	var index []int
	for i := range rows {
		at := func(f string) string {
			return strings.TrimSpace(r.PostFormValue(fmt.Sprintf("materials[%d].%s", i, f)))
		}
		row := catMaterialRow{I: i, Name: at("name"), Form: at("form"), Copies: at("copies"), Source: at("source"),
			SourceRef: at("source_ref"), Note: at("note"), Required: at("required") == "on", Errors: map[string]string{}}
		d.Materials = append(d.Materials, row)
		if row.blank() {
			continue
		}
		copies := 0
		if row.Copies != "" {
			n, err := strconv.Atoi(row.Copies)
			if err != nil {
				row.Errors["copies"] = i18n.M("请填写整数", "Enter a whole number").In(lang)
				d.Errors["materials"] = i18n.M("申请材料有误，请看标红的行", "Some materials need correcting (rows in red)").In(lang)
			}
			copies = n
		}
		in.Materials = append(in.Materials, matter.Material{Name: row.Name, Required: row.Required, Form: row.Form,
			Copies: copies, Source: row.Source, SourceRef: row.SourceRef, Note: row.Note})
		index = append(index, i)
	}
	return in, index, len(d.Errors) == 0
}

var catIndexedRE = regexp.MustCompile(`^(materials|form_fields)\[(\d+)\]\.(\w+)$`)

// catMatterErrors places the service's errors on the form: a field error
// at its field, a material's at its row, a form field's at the JSON box, a
// stale version at the top. It returns false for errors a form cannot show.
func catMatterErrors(d *catMatterForm, err error, index []int, lang i18n.Lang) bool {
	var e *errs.Error
	if !errors.As(err, &e) || !(errors.Is(err, errs.ErrInvalid) || errors.Is(err, errs.ErrPrecondition) || errors.Is(err, errs.ErrConflict)) {
		return false
	}
	if len(e.Fields) == 0 {
		catSet(d.Errors, "_form", e.Msg.In(lang))
		return true
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		msg := e.Fields[k].In(lang)
		if m := catIndexedRE.FindStringSubmatch(k); m != nil {
			n, _ := strconv.Atoi(m[2])
			if m[1] == "materials" && n < len(index) {
				catSet(d.Materials[index[n]].Errors, m[3], msg)
				d.Errors["materials"] = i18n.M("申请材料有误，请看标红的行", "Some materials need correcting (rows in red)").In(lang)
				continue
			}
			if m[1] == "form_fields" {
				prev := d.Errors["form_fields"]
				if prev != "" {
					prev += "；"
				}
				d.Errors["form_fields"] = prev + fmt.Sprintf(i18n.M("第 %d 个字段 %s：", "field %d, %s: ").In(lang), n+1, m[3]) + msg
				continue
			}
		}
		if slices.Contains(catTextFields, k) || k == "events" || k == "materials" {
			catSet(d.Errors, k, msg)
			continue
		}
		d.Extra = append(d.Extra, k+"："+msg)
	}
	return true
}

// catSet records msg for key unless a message is already there: the first
// problem found with a field is the one shown.
func catSet(m map[string]string, key, msg string) {
	if _, ok := m[key]; !ok {
		m[key] = msg
	}
}
