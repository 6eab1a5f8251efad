package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
)

type errorData struct {
	Status  int
	Message string
}

// fail renders an error page for err: not found, forbidden, or a generic
// internal error whose detail goes only to the log. Anonymous visitors
// hitting a page that needs a login are sent to sign in.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	lang := httpmw.Lang(r)
	status := http.StatusInternalServerError
	msg := i18n.M("服务器内部错误。请稍后重试，如仍有问题请联系管理员并提供请求编号。",
		"Internal error. Try again later; if it persists, contact the administrator with the request ID.")
	var e *errs.Error
	switch {
	case errors.Is(err, errs.ErrForbidden) && identity.PrincipalFrom(r.Context()) == nil:
		redirect(w, r, "/login?next="+urlQuery(r.URL.RequestURI()))
		return
	case errors.Is(err, errs.ErrNotFound):
		status, msg = http.StatusNotFound, i18n.M("页面或内容不存在", "The page or item does not exist")
	case errors.Is(err, errs.ErrForbidden):
		status, msg = http.StatusForbidden, i18n.M("您无权访问此内容（此次访问已记录）", "You are not allowed to see this (the attempt was recorded)")
	case errors.Is(err, errs.ErrUnauthorized):
		redirect(w, r, "/login")
		return
	case errors.Is(err, errs.ErrTooManyRequest) && errors.As(err, &e):
		status, msg = http.StatusTooManyRequests, e.Msg
	case errors.As(err, &e) && !errors.Is(err, errs.ErrForbidden):
		status, msg = http.StatusBadRequest, e.Msg
	default:
		s.Log.Error("page error", "path", r.URL.Path, "err", err, "request_id", identity.RequestFrom(r.Context()).ID)
	}
	s.render(w, r, status, "error", msg.In(lang), errorData{Status: status, Message: msg.In(lang)})
}

// NotFound is the HTML 404 page.
func (s *Server) NotFound(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, errs.NotFound(i18n.M("页面", "Page")))
}

// PanicPage answers a request whose handler panicked.
func (s *Server) PanicPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusInternalServerError, "error", "500", errorData{Status: 500,
		Message: i18n.M("服务器内部错误。请稍后重试，如仍有问题请联系管理员并提供请求编号。",
			"Internal error. Try again later; if it persists, contact the administrator with the request ID.").In(httpmw.Lang(r))})
}

// CrossOriginDenied answers a request refused by the CSRF check.
func (s *Server) CrossOriginDenied(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusForbidden, "error", "403", errorData{Status: 403,
		Message: i18n.M("跨站请求已被拒绝。请从本站页面重新提交。", "Cross-site request refused. Submit the form again from this site.").In(httpmw.Lang(r))})
}

// requireUser sends anonymous visitors to the login page.
func (s *Server) requireUser(w http.ResponseWriter, r *http.Request) (*identity.Principal, bool) {
	p := identity.PrincipalFrom(r.Context())
	if p == nil {
		redirect(w, r, "/login?next="+urlQuery(r.URL.RequestURI()))
		return nil, false
	}
	return p, true
}

func urlQuery(s string) string { return url.QueryEscape(s) }
