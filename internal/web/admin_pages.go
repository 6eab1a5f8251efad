package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/qinqing/qinqing/internal/auth"
	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/jobs"
)

type tagsData struct {
	Tags   []enterprise.TagDef
	Values map[string]string
	Errors map[string]string
}

func (s *Server) tagsPage(w http.ResponseWriter, r *http.Request) {
	s.renderTags(w, r, http.StatusOK, tagsData{Values: map[string]string{"category": "qualification"}, Errors: map[string]string{}})
}

func (s *Server) renderTags(w http.ResponseWriter, r *http.Request, status int, d tagsData) {
	p, ok := s.requireUser(w, r)
	if !ok {
		return
	}
	if !p.Can(identity.PermTagManage) {
		s.fail(w, r, errs.Forbidden())
		return
	}
	tags, err := s.Enterprise.Tags(r.Context(), false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Tags = tags
	s.render(w, r, status, "tags", i18n.M("资质标签目录", "Tag vocabulary").In(httpmw.Lang(r)), d)
}

func (s *Server) tagSave(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.requireUser(w, r); !ok {
		return
	}
	sort, _ := strconv.Atoi(r.PostFormValue("sort"))
	t := enterprise.TagDef{Code: r.PostFormValue("code"), Name: i18n.M(r.PostFormValue("name"), r.PostFormValue("name_en")),
		Category: r.PostFormValue("category"), Description: r.PostFormValue("description"),
		Active: r.PostFormValue("active") != "off", Sort: sort}
	if err := s.Enterprise.SaveTag(r.Context(), t); err != nil {
		d := tagsData{Values: map[string]string{}, Errors: map[string]string{}}
		for _, k := range []string{"code", "name", "name_en", "category", "description", "sort"} {
			d.Values[k] = r.PostFormValue(k)
		}
		if f := errs.FieldsOf(err); f != nil {
			for k, m := range f {
				d.Errors[k] = m.In(httpmw.Lang(r))
			}
			s.renderTags(w, r, http.StatusUnprocessableEntity, d)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, i18n.M("标签已保存：", "Tag saved: ").In(httpmw.Lang(r))+t.Code)
	redirect(w, r, "/tags")
}

type importData struct {
	MaxMB int64
	Error string
}

func (s *Server) importPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.requireUser(w, r)
	if !ok {
		return
	}
	if !p.Can(identity.PermEnterpriseImport) {
		s.fail(w, r, errs.Forbidden())
		return
	}
	s.render(w, r, http.StatusOK, "import", i18n.M("导入导出", "Import and export").In(httpmw.Lang(r)), importData{MaxMB: s.MaxUpload >> 20})
}

// importUpload accepts a CSV or XLSX file, checks its type by content as
// well as name, and starts a background job whose progress page polls.
func (s *Server) importUpload(w http.ResponseWriter, r *http.Request) {
	p, ok := s.requireUser(w, r)
	if !ok {
		return
	}
	lang := httpmw.Lang(r)
	if !p.Can(identity.PermEnterpriseImport) {
		s.fail(w, r, errs.Forbidden())
		return
	}
	again := func(msg string) {
		s.render(w, r, http.StatusUnprocessableEntity, "import", i18n.M("导入导出", "Import and export").In(lang), importData{MaxMB: s.MaxUpload >> 20, Error: msg})
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.MaxUpload+1<<20)
	file, hdr, err := r.FormFile("file")
	if err != nil {
		again(i18n.M(fmt.Sprintf("请选择一个不超过 %d MB 的 CSV 或 XLSX 文件", s.MaxUpload>>20),
			fmt.Sprintf("Choose a CSV or XLSX file of at most %d MB", s.MaxUpload>>20)).In(lang))
		return
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, s.MaxUpload+1))
	if err != nil || int64(len(data)) > s.MaxUpload {
		again(i18n.M("文件过大", "The file is too large").In(lang))
		return
	}
	name := filepath.Base(hdr.Filename)
	format, err := enterprise.DetectFormat(name, data[:min(len(data), 512)])
	if err != nil {
		again(errText(err, lang))
		return
	}
	id, err := s.Jobs.Start(r.Context(), "enterprise.import", name, func(ctx context.Context, pr *jobs.Progress) (any, error) {
		rep, err := s.Enterprise.Import(ctx, bytes.NewReader(data), format, func(done, total int) { pr.Set(done, total, 0, 0) })
		if err != nil {
			return nil, err
		}
		pr.Set(rep.Total, rep.Total, rep.Created+rep.Updated, rep.Failed)
		return rep, nil
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/jobs/%d", id))
}

type jobData struct {
	Job     jobs.Job
	Percent int
	Report  *enterprise.ImportReport
}

// jobPage shows a job's progress; while it runs the page polls itself with
// htmx every second.
func (s *Server) jobPage(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.requireUser(w, r); !ok {
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	j, err := s.Jobs.Get(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := jobData{Job: j}
	if j.Total > 0 {
		d.Percent = j.Done * 100 / j.Total
	}
	if j.Status == "done" && j.Kind == "enterprise.import" && len(j.Report) > 0 {
		var rep enterprise.ImportReport
		if err := json.Unmarshal(j.Report, &rep); err == nil {
			d.Report = &rep
		}
	}
	s.render(w, r, http.StatusOK, "job", i18n.M("任务进度", "Job progress").In(httpmw.Lang(r)), d)
}

// exportDownload streams an XLSX of the registry with the list's filters.
func (s *Server) exportDownload(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.requireUser(w, r); !ok {
		return
	}
	f, err := enterprise.ParseFilter(r.URL.Query())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if _, err := s.Enterprise.Export(r.Context(), &buf, f, nil); err != nil {
		s.fail(w, r, err)
		return
	}
	name := "enterprises-" + time.Now().In(s.loc).Format("20060102-1504") + ".xlsx"
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}

type accountsData struct {
	Accounts []auth.Account
	Values   map[string]string
	Errors   map[string]string
	Roles    []identity.Role
	Now      time.Time
}

func (s *Server) accountsPage(w http.ResponseWriter, r *http.Request) {
	s.renderAccounts(w, r, http.StatusOK, accountsData{Values: map[string]string{}, Errors: map[string]string{}})
}

func (s *Server) renderAccounts(w http.ResponseWriter, r *http.Request, status int, d accountsData) {
	if _, ok := s.requireUser(w, r); !ok {
		return
	}
	accts, err := s.Auth.ListAccounts(r.Context(), identity.Role(r.URL.Query().Get("role")))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Accounts, d.Roles, d.Now = accts, identity.Roles, time.Now()
	s.render(w, r, status, "accounts", i18n.M("账户管理", "Accounts").In(httpmw.Lang(r)), d)
}

func (s *Server) accountCreate(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.requireUser(w, r); !ok {
		return
	}
	lang := httpmw.Lang(r)
	d := accountsData{Values: map[string]string{}, Errors: map[string]string{}}
	for _, k := range []string{"username", "display_name", "role", "enterprise", "department", "institution"} {
		d.Values[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	in := auth.NewAccount{Username: d.Values["username"], DisplayName: d.Values["display_name"], Role: identity.Role(d.Values["role"]),
		DepartmentCode: d.Values["department"], InstitutionCode: d.Values["institution"], Password: r.PostFormValue("password"),
		MustChangePassword: true}
	if code := d.Values["enterprise"]; code != "" {
		e, err := s.Enterprise.GetByCreditCode(r.Context(), code)
		if err != nil {
			d.Errors["enterprise"] = i18n.M("未找到该统一社会信用代码的企业", "No enterprise with this credit code").In(lang)
			s.renderAccounts(w, r, http.StatusUnprocessableEntity, d)
			return
		}
		in.EnterpriseID = e.ID
	}
	if _, err := s.Auth.CreateAccount(r.Context(), in); err != nil {
		if f := errs.FieldsOf(err); f != nil {
			for k, m := range f {
				d.Errors[k] = m.In(lang)
			}
		} else if e := (*errs.Error)(nil); errors.As(err, &e) {
			d.Errors["username"] = e.Msg.In(lang)
		} else {
			s.fail(w, r, err)
			return
		}
		s.renderAccounts(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	s.setFlash(w, i18n.M("账户已创建，首次登录须修改密码：", "Account created; the user must change the password at first sign-in: ").In(lang)+in.Username)
	redirect(w, r, "/accounts")
}

// accountAction disables, enables, unlocks or resets an account's second factor.
func (s *Server) accountAction(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.requireUser(w, r); !ok {
		return
	}
	lang := httpmw.Lang(r)
	user := r.PathValue("username")
	var err error
	var done i18n.Msg
	switch r.PathValue("action") {
	case "disable":
		err, done = s.Auth.DisableAccount(r.Context(), user), i18n.M("已停用并结束其全部会话：", "Disabled and signed out everywhere: ")
	case "enable":
		err, done = s.Auth.EnableAccount(r.Context(), user), i18n.M("已启用：", "Enabled: ")
	case "unlock":
		err, done = s.Auth.UnlockAccount(r.Context(), user), i18n.M("已解锁：", "Unlocked: ")
	case "reset-totp":
		err, done = s.Auth.ResetTOTP(r.Context(), user), i18n.M("已重置身份验证器，下次登录须重新绑定：", "Authenticator reset; it must be set up again at next sign-in: ")
	default:
		s.NotFound(w, r)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, done.In(lang)+user)
	redirect(w, r, "/accounts")
}
