package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/qinqing/qinqing/internal/casework"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
)

// catProgressData is the public progress page: a form, or a case found by
// its number and 查询码.
type catProgressData struct {
	No, Code string
	Asked    bool // both were given
	NotFound bool
	Missing  map[string]string
	Case     *catPublicCase
}

type catPublicCase struct {
	No, Title                         string
	State                             i18n.Msg
	StateCode                         string
	Submitted, Accepted, Due, Decided string
	Started, Paused, Fallback         bool
	Used, Left, Overdue               int
	Status                            string
	StatusName                        i18n.Msg
	Steps                             []catPublicStep
	Members                           []catPublicCase
}

type catPublicStep struct {
	Action, To i18n.Msg
	At         string
}

// catProgress answers the QR code printed on notices and certificates:
// with ?no=&code= it shows the case's public progress; a wrong pair is a
// generic "not found" that does not say which half was wrong.
func (s *Server) catProgress(w http.ResponseWriter, r *http.Request) {
	lang := httpmw.Lang(r)
	q := r.URL.Query()
	d := catProgressData{No: strings.TrimSpace(q.Get("no")), Code: strings.TrimSpace(q.Get("code")), Missing: map[string]string{}}
	title := i18n.M("办件进度查询", "Case progress").In(lang)
	if d.No == "" && d.Code == "" {
		s.render(w, r, http.StatusOK, "catalogue_progress", title, d)
		return
	}
	if d.No == "" {
		d.Missing["no"] = i18n.M("请填写办件编号", "Enter the case number").In(lang)
	}
	if d.Code == "" {
		d.Missing["code"] = i18n.M("请填写查询码", "Enter the query code").In(lang)
	}
	if len(d.Missing) > 0 {
		s.render(w, r, http.StatusUnprocessableEntity, "catalogue_progress", title, d)
		return
	}
	d.Asked = true
	if s.Cases == nil {
		d.NotFound = true
		s.render(w, r, http.StatusNotFound, "catalogue_progress", title, d)
		return
	}
	pub, err := s.Cases.PublicProgress(r.Context(), d.No, d.Code)
	switch {
	case errors.Is(err, errs.ErrNotFound):
		d.NotFound = true
		s.render(w, r, http.StatusNotFound, "catalogue_progress", title, d)
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	c := catPublicOf(pub)
	d.Case = &c
	s.render(w, r, http.StatusOK, "catalogue_progress", title, d)
}

func catPublicOf(p casework.Public) catPublicCase {
	c := catPublicCase{No: p.No, Title: p.Title, State: p.State.Label(), StateCode: string(p.State), Submitted: p.SubmittedOn,
		Accepted: p.AcceptedOn, Due: p.DueOn, Decided: p.DecidedOn, Started: p.Clock.Started, Paused: p.Clock.Paused,
		Fallback: p.Clock.Fallback, Used: p.Clock.Used, Left: p.Clock.Left, Status: p.Clock.Status,
		StatusName: casework.StatusLabel(p.Clock.Status)}
	if c.Left < 0 {
		c.Overdue, c.Left = -c.Left, 0
	}
	for _, st := range p.Steps {
		c.Steps = append(c.Steps, catPublicStep{Action: catActionLabel(st.Action), To: st.To.Label(), At: st.At})
	}
	for _, sub := range p.Subs {
		c.Members = append(c.Members, catPublicOf(sub))
	}
	return c
}

// catActionLabel names a step's action. casework.ActionLabel does not know
// the first step, "submit", and would print the code.
func catActionLabel(action string) i18n.Msg {
	if action == "submit" {
		return i18n.M("提交申请", "applied")
	}
	return casework.ActionLabel(action)
}
