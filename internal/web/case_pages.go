package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/qinqing/qinqing/internal/casework"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/files"
	"github.com/qinqing/qinqing/internal/i18n"
)

// registerCases adds the application, case, queue, inbox and follow-up
// pages.
func (s *Server) registerCases(mux *http.ServeMux) {
	mux.HandleFunc("GET /apply/matter/{code}", s.applyPage)
	mux.HandleFunc("POST /apply/matter/{code}", s.applySubmit)
	mux.HandleFunc("GET /apply/bundle/{code}", s.applyPage)
	mux.HandleFunc("POST /apply/bundle/{code}", s.applySubmit)
	mux.HandleFunc("GET /intake", s.intakePage)

	mux.HandleFunc("GET /cases", s.caseList)
	mux.HandleFunc("GET /cases/{no}", s.caseShow)
	mux.HandleFunc("POST /cases/{no}/actions", s.caseAct)
	mux.HandleFunc("POST /cases/{no}/rating", s.caseRate)
	mux.HandleFunc("GET /cases/{no}/documents/{file}", s.caseDocument)
	mux.HandleFunc("GET /files/{id}", s.fileDownload)

	mux.HandleFunc("GET /inbox", s.inboxPage)
	mux.HandleFunc("POST /inbox/read", s.inboxRead)
	mux.HandleFunc("GET /rectifications", s.rectificationsPage)
	mux.HandleFunc("POST /rectifications/{id}/{move}", s.rectificationMove)
	mux.HandleFunc("GET /supervision", s.supervisionPage)
}

// departmentNames maps department codes to their names for display; an
// unknown code shows as itself.
func (s *Server) departmentNames(ctx context.Context) map[string]string {
	out := map[string]string{}
	if s.Matters == nil {
		return out
	}
	deps, err := s.Matters.Departments(ctx)
	if err != nil {
		s.Log.Warn("department names", "err", err)
		return out
	}
	for _, d := range deps {
		out[d.Code] = d.Name
	}
	return out
}

// uploadLimits are the per-file and per-request upload limits in bytes.
func (s *Server) uploadLimits() (perFile, total int64) {
	perFile = 20 << 20
	if s.Files != nil && s.Files.MaxSize() > 0 {
		perFile = s.Files.MaxSize()
	}
	total = s.MaxUpload
	if total <= 0 {
		total = 50 << 20
	}
	return perFile, max(total, perFile)
}

// acceptAttr is the file inputs' accept attribute: the store's allow-list.
func acceptAttr() string {
	exts := files.AcceptedExtensions()
	for i, e := range exts {
		exts[i] = "." + e
	}
	return strings.Join(exts, ",")
}

// attachment sets the headers of a download: the stored type, never
// sniffed, never cached, saved rather than shown.
func attachment(w http.ResponseWriter, contentType, name string, size int) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "private, no-store")
	disp := mime.FormatMediaType("attachment", map[string]string{"filename": name})
	if disp == "" {
		disp = "attachment"
	}
	w.Header().Set("Content-Disposition", disp)
	if size > 0 {
		w.Header().Set("Content-Length", fmt.Sprint(size))
	}
}

// fileDownload serves an uploaded material to those who may see it (its
// uploader, or anyone who may see a case it is attached to).
func (s *Server) fileDownload(w http.ResponseWriter, r *http.Request) {
	p, ok := s.requireUser(w, r)
	if !ok {
		return
	}
	id := r.PathValue("id")
	allowed, err := s.Cases.FileAllowed(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !allowed {
		s.fail(w, r, errs.Forbidden())
		return
	}
	meta, err := s.Files.Meta(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if own, err := s.Files.Owned(r.Context(), id, p.AccountID); err == nil && own.Name != "" {
		meta.Name = own.Name
	}
	rc, err := s.Files.Open(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer rc.Close()
	attachment(w, meta.MIME, meta.Name, int(meta.Size))
	if _, err := io.Copy(w, rc); err != nil {
		s.Log.Warn("file download", "id", id, "err", err)
	}
}

// caseErrText is the message of a typed error in the page's language.
func caseErrText(err error, lang i18n.Lang) string {
	var e *errs.Error
	if errors.As(err, &e) {
		return e.Msg.In(lang)
	}
	return err.Error()
}

// docKinds are the case documents, by URL name, with their titles.
var docKinds = []struct {
	Kind  string
	Title i18n.Msg
}{
	{"acceptance", i18n.M("受理通知书", "Acceptance notice")},
	{"rejection", i18n.M("不予受理决定书", "Decision not to accept")},
	{"supplement", i18n.M("补正告知书", "Notice to supplement")},
}

// caseDocs lists the documents a case has reached.
func caseDocs(c casework.Case) []caseDoc {
	var out []caseDoc
	for _, d := range docKinds {
		var no string
		switch d.Kind {
		case "acceptance":
			no = c.AcceptDocNo
		case "rejection":
			no = c.RejectDocNo
		case "supplement":
			if len(c.Missing) > 0 {
				no = c.SupplementDocNo
			}
		}
		if no != "" {
			out = append(out, caseDoc{Kind: d.Kind, Title: d.Title, No: no, Href: "/cases/" + c.No + "/documents/" + d.Kind + ".pdf"})
		}
	}
	return out
}

type caseDoc struct {
	Kind  string
	Title i18n.Msg
	No    string
	Href  string
}
