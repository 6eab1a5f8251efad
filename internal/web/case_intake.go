package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/matter"
	"github.com/qinqing/qinqing/internal/search"
)

type intakeHit struct {
	Kind     string // matter or bundle
	Code     string
	Name     string
	Dept     string
	Accepted bool // the agent's point takes it in (always true for clerks)
	Href     string
}

type intakeData struct {
	CreditCode string
	Ent        *enterprise.Enterprise
	EntError   string
	Q          string
	Agent      bool
	Hits       []intakeHit
	Bundles    []intakeHit
}

// intakePage lets a window clerk or an agent choose the applying
// enterprise and the matter or bundle, then continue to the application
// form with the enterprise chosen.
func (s *Server) intakePage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.requireUser(w, r)
	if !ok {
		return
	}
	if !p.Can(identity.PermCaseIntake) {
		s.fail(w, r, errs.Forbidden())
		return
	}
	ctx, lang := r.Context(), httpmw.Lang(r)
	q := r.URL.Query()
	d := intakeData{CreditCode: strings.ToUpper(strings.TrimSpace(q.Get("credit_code"))), Q: strings.TrimSpace(q.Get("q")),
		Agent: p.Role == identity.RoleAgent}
	if d.CreditCode != "" {
		e, err := s.Enterprise.GetByCreditCode(ctx, d.CreditCode)
		switch {
		case errors.Is(err, errs.ErrNotFound):
			d.EntError = i18n.M("未找到该信用代码的企业，请核对，或先在企业档案中登记", "No enterprise with this credit code; check it, or register it first").In(lang)
		case err != nil:
			s.fail(w, r, err)
			return
		default:
			d.Ent = &e
		}
	}
	depts := s.departmentNames(ctx)
	hit := func(kind, code, name, dept string) intakeHit {
		h := intakeHit{Kind: kind, Code: code, Name: name, Dept: depts[dept], Accepted: true}
		if d.Agent {
			h.Accepted = s.pointTakes(r, p, kind, code)
		}
		h.Href = "/apply/" + kind + "/" + url.PathEscape(code)
		if d.Ent != nil {
			h.Href += "?credit_code=" + url.QueryEscape(d.Ent.CreditCode)
		}
		return h
	}
	if d.Q != "" {
		if s.Catalogue != nil {
			res := s.Catalogue.Search(search.Query{Text: d.Q, Limit: 20})
			for _, h := range res.Hits {
				kind, code, _ := strings.Cut(h.ID, ":")
				switch kind {
				case "m":
					if m, err := s.Matters.Get(ctx, code); err == nil && m.Active {
						d.Hits = append(d.Hits, hit("matter", code, m.Current.Name, m.DepartmentCode))
					}
				case "b":
					if b, err := s.Matters.GetBundle(ctx, code); err == nil && b.Active {
						d.Hits = append(d.Hits, hit("bundle", code, b.Name, b.LeadDepartmentCode))
					}
				}
			}
		} else {
			ms, err := s.Matters.List(ctx, matter.Filter{Q: d.Q, ActiveOnly: true})
			if err != nil {
				s.fail(w, r, err)
				return
			}
			for i, m := range ms {
				if i == 20 {
					break
				}
				d.Hits = append(d.Hits, hit("matter", m.Code, m.Current.Name, m.DepartmentCode))
			}
		}
	}
	bundles, err := s.Matters.ListBundles(ctx, true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, b := range bundles {
		d.Bundles = append(d.Bundles, hit("bundle", b.Code, b.Name, b.LeadDepartmentCode))
	}
	s.render(w, r, http.StatusOK, "case_intake", i18n.M("窗口收件", "Take in an application").In(lang), d)
}

// pointTakes reports whether the agent's service point takes in the
// matter (for a bundle: every member).
func (s *Server) pointTakes(r *http.Request, p *identity.Principal, kind, code string) bool {
	return s.applyAllowed(r.Context(), p, kind, code) == nil
}
