package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/matter"
)

// catRequire lets through a signed-in user holding perm; anonymous
// visitors go to the login page, others get the forbidden page and the
// refusal is audited.
func (s *Server) catRequire(w http.ResponseWriter, r *http.Request, perm identity.Permission) (*identity.Principal, bool) {
	p, ok := s.requireUser(w, r)
	if !ok {
		return nil, false
	}
	if !p.Can(perm) {
		_ = audit.WriteAlone(r.Context(), s.DB, audit.Event{Action: "page." + string(perm), ObjectType: "page",
			ObjectID: r.Method + " " + r.URL.Path, Result: audit.ResultDenied})
		s.fail(w, r, errs.Forbidden())
		return nil, false
	}
	return p, true
}

type catAdminRow struct {
	Code       string
	Name       string
	Department i18n.Msg
	Versions   int
	Active     bool
	Bundles    []string
}

type catAdminData struct {
	Q                  string
	Rows               []catAdminRow
	Total, Active      int
	Page, Pages        int
	HasNext            bool
	Report             *matter.ImportReport
	ImportError, Error string
	MaxMB              int
	Back               string
}

const catAdminPerPage = 50

// catAdminPage is the catalogue administrators' desk: export, import and
// the list of every matter with its edit link and (de)activation.
func (s *Server) catAdminPage(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.catRequire(w, r, identity.PermCatalogueManage); !ok {
		return
	}
	s.catRenderAdmin(w, r, http.StatusOK, catAdminData{})
}

func (s *Server) catRenderAdmin(w http.ResponseWriter, r *http.Request, status int, d catAdminData) {
	ctx := r.Context()
	q := r.URL.Query()
	d.Q, d.Page, d.MaxMB = strings.TrimSpace(q.Get("q")), catPage(q), matter.MaxImportBytes>>20
	d.Back = "/admin/catalogue"
	if r.URL.RawQuery != "" && r.Method == http.MethodGet {
		d.Back += "?" + r.URL.RawQuery
	}
	all, err := s.Matters.List(ctx, matter.Filter{Q: d.Q})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	depts, err := s.catDepartments(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Total = len(all)
	for _, m := range all {
		if m.Active {
			d.Active++
		}
	}
	d.Pages = max(1, (d.Total+catAdminPerPage-1)/catAdminPerPage)
	d.HasNext = d.Page < d.Pages
	from := min((d.Page-1)*catAdminPerPage, len(all))
	for _, m := range all[from:min(from+catAdminPerPage, len(all))] {
		d.Rows = append(d.Rows, catAdminRow{Code: m.Code, Name: m.Current.Name, Department: depts.Name(m.DepartmentCode),
			Versions: m.Versions, Active: m.Active, Bundles: m.InBundles})
	}
	s.render(w, r, status, "catalogue_admin", i18n.M("事项目录管理", "Catalogue administration").In(httpmw.Lang(r)), d)
}

// catExport downloads the whole catalogue as the XLSX workbook Import
// reads back.
func (s *Server) catExport(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.catRequire(w, r, identity.PermCatalogueManage); !ok {
		return
	}
	var buf bytes.Buffer
	if err := s.Matters.Export(r.Context(), &buf); err != nil {
		s.fail(w, r, err)
		return
	}
	name := "catalogue-" + time.Now().In(s.loc).Format("20060102-1504") + ".xlsx"
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}

// catImport takes an XLSX workbook in the export's layout, checked by
// extension and by content, and shows the import report: how many rows
// were created, updated, unchanged or refused, and why, cell by cell.
func (s *Server) catImport(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.catRequire(w, r, identity.PermCatalogueManage); !ok {
		return
	}
	lang := httpmw.Lang(r)
	again := func(msg string) {
		s.catRenderAdmin(w, r, http.StatusUnprocessableEntity, catAdminData{ImportError: msg})
	}
	r.Body = http.MaxBytesReader(w, r.Body, matter.MaxImportBytes+1<<20)
	file, hdr, err := r.FormFile("file")
	if err != nil {
		again(i18n.M(fmt.Sprintf("请选择一个不超过 %d MB 的 XLSX 文件", matter.MaxImportBytes>>20),
			fmt.Sprintf("Choose an XLSX file of at most %d MB", matter.MaxImportBytes>>20)).In(lang))
		return
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, matter.MaxImportBytes+1))
	if err != nil || len(data) > matter.MaxImportBytes {
		again(i18n.M("文件过大", "The file is too large").In(lang))
		return
	}
	if ext := strings.ToLower(filepath.Ext(hdr.Filename)); ext != ".xlsx" || !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		again(i18n.M("只接受 Excel 工作簿（.xlsx），请使用“导出”得到的文件格式", "Only Excel workbooks (.xlsx) in the export's layout are accepted").In(lang))
		return
	}
	rep, err := s.Matters.Import(r.Context(), bytes.NewReader(data))
	if err != nil {
		if errs.FieldsOf(err) == nil {
			s.fail(w, r, err)
			return
		}
		again(errText(err, lang))
		return
	}
	status := http.StatusOK
	if rep.Failed > 0 {
		status = http.StatusUnprocessableEntity
	}
	s.catRenderAdmin(w, r, status, catAdminData{Report: &rep})
}

// catSetActive lists or withdraws a matter (the form asks for confirmation
// through htmx; without JavaScript the button itself is the confirmation).
func (s *Server) catSetActive(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.catRequire(w, r, identity.PermCatalogueManage); !ok {
		return
	}
	lang := httpmw.Lang(r)
	code := r.PathValue("code")
	active := r.PostFormValue("active") == "true"
	back := safeNext(r.PostFormValue("back"))
	if !strings.HasPrefix(back, "/admin/catalogue") {
		back = "/admin/catalogue"
	}
	if err := s.Matters.SetActive(r.Context(), code, active); err != nil {
		var e *errs.Error
		if errors.Is(err, errs.ErrConflict) && errors.As(err, &e) {
			s.catRenderAdmin(w, r, http.StatusConflict, catAdminData{Error: e.Msg.In(lang)})
			return
		}
		s.fail(w, r, err)
		return
	}
	msg := i18n.M("已停用事项 ", "Withdrawn: ")
	if active {
		msg = i18n.M("已启用事项 ", "Listed again: ")
	}
	s.setFlash(w, msg.In(lang)+code)
	redirect(w, r, back)
}
