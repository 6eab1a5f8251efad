package api

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"time"

	"github.com/qinqing/qinqing/internal/casework"
	"github.com/qinqing/qinqing/internal/docs"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
)

type fileJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Size int64  `json:"size"`
	MIME string `json:"mime"`
}

// uploadFile stores one application material (multipart field "file").
// The store checks the extension against its allow-list, the magic bytes
// against the extension and the size; any of these is a 422.
func (s *Server) uploadFile(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireLogin(r); err != nil {
		return err
	}
	limit := s.Files.MaxSize()
	tooLarge := errs.Invalid("file", i18n.M(fmt.Sprintf("文件不能超过 %d MB", limit>>20), fmt.Sprintf("Files must not exceed %d MB", limit>>20)))
	r.Body = http.MaxBytesReader(w, r.Body, limit+1<<20)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return tooLarge
		}
		return errs.Invalid("file", i18n.M("请以 multipart/form-data 上传，字段名为 file", "Upload as multipart/form-data in the field \"file\""))
	}
	defer r.MultipartForm.RemoveAll()
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return errs.Invalid("file", i18n.M("请选择要上传的文件（字段名 file）", "Choose a file to upload (field \"file\")"))
	}
	defer f.Close()
	saved, err := s.Files.Save(r.Context(), hdr.Filename, f)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/files/"+saved.ID)
	writeJSON(w, http.StatusCreated, fileJSON{ID: saved.ID, Name: saved.Name, Size: saved.Size, MIME: saved.MIME})
	return nil
}

// downloadFile serves a stored material as an attachment, never sniffed,
// to its uploader or anyone who may see a case it is attached to.
func (s *Server) downloadFile(w http.ResponseWriter, r *http.Request) error {
	p, err := requireLogin(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	id := r.PathValue("id")
	ok, err := s.Cases.FileAllowed(ctx, id)
	if err != nil {
		return err
	}
	if !ok {
		return errs.Forbidden()
	}
	meta, err := s.Files.Meta(ctx, id)
	if err != nil {
		return err
	}
	if own, err := s.Files.Owned(ctx, id, p.AccountID); err == nil && own.Name != "" {
		meta.Name = own.Name
	}
	rc, err := s.Files.Open(ctx, id)
	if err != nil {
		return err
	}
	defer rc.Close()
	attachment(w, meta.MIME, meta.Name, meta.Size)
	w.WriteHeader(http.StatusOK)
	_, err = io.Copy(w, rc)
	if err != nil {
		s.Log.Warn("file download", "id", id, "err", err)
	}
	return nil
}

// attachment sets the headers of a download.
func attachment(w http.ResponseWriter, contentType, name string, size int64) {
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

// caseDocument renders 受理通知书 (acceptance), 不予受理决定书 (rejection) or
// 补正告知书 (supplement) as a PDF attachment.
func (s *Server) caseDocument(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireLogin(r); err != nil {
		return err
	}
	kind := docs.Kind(r.PathValue("kind"))
	if kind.Title() == "" {
		return errs.NotFound(i18n.M("文书", "Document"))
	}
	no := r.PathValue("case_no")
	pdf, err := s.Cases.Document(r.Context(), no, kind)
	if err != nil {
		return err
	}
	attachment(w, "application/pdf", kind.Title()+"-"+no+".pdf", int64(len(pdf)))
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(pdf)
	return err
}

type progressStepJSON struct {
	Action     string    `json:"action"`
	ActionName string    `json:"action_name"`
	State      string    `json:"state"`
	StateName  string    `json:"state_name"`
	At         time.Time `json:"at"`
}

type progressJSON struct {
	CaseNo      string             `json:"case_no"`
	Title       string             `json:"title"`
	State       string             `json:"state"`
	StateName   string             `json:"state_name"`
	SubmittedOn string             `json:"submitted_on"`
	AcceptedOn  string             `json:"accepted_on,omitempty"`
	DueOn       string             `json:"due_on,omitempty"`
	DecidedOn   string             `json:"decided_on,omitempty"`
	Clock       clockJSON          `json:"clock"`
	Steps       []progressStepJSON `json:"steps"`
	Subs        []progressJSON     `json:"subs,omitempty"`
}

// china is the zone the public progress view writes its times in.
var china = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}()

func progressOf(p casework.Public, lang i18n.Lang) progressJSON {
	j := caseJSONer{lang: lang}
	out := progressJSON{CaseNo: p.No, Title: p.Title, State: string(p.State), StateName: p.State.Label().In(lang),
		SubmittedOn: p.SubmittedOn, AcceptedOn: p.AcceptedOn, DueOn: p.DueOn, DecidedOn: p.DecidedOn,
		Clock: j.clock(casework.Case{Clock: p.Clock}), Steps: []progressStepJSON{}}
	for _, st := range p.Steps {
		at, _ := time.ParseInLocation("2006-01-02 15:04", st.At, china)
		out.Steps = append(out.Steps, progressStepJSON{Action: st.Action, ActionName: stepName(st.Action).In(lang), State: string(st.To),
			StateName: st.To.Label().In(lang), At: at.UTC()})
	}
	for _, sub := range p.Subs {
		out.Subs = append(out.Subs, progressOf(sub, lang))
	}
	return out
}

// progress is the public progress of a case by number and query code, no
// sign-in needed and no personal data; a wrong code is a 404 like an
// unknown number.
func (s *Server) progress(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	p, err := s.Cases.PublicProgress(r.Context(), q.Get("no"), q.Get("code"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, progressOf(p, httpmw.Lang(r)))
	return nil
}
