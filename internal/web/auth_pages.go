package web

import (
	"encoding/base64"
	"errors"
	"html/template"
	"net/http"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/qinqing/qinqing/internal/auth"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
)

type loginData struct {
	Username string
	Next     string
	Error    string
	Demo     []DemoLogin
}

func (s *Server) cookieName() string { return httpmw.SessionCookieName(s.CookieSecure) }

func (s *Server) setSession(w http.ResponseWriter, token string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(), Value: token, Path: "/", Expires: expires,
		HttpOnly: true, Secure: s.CookieSecure, SameSite: http.SameSiteLaxMode})
}

func (s *Server) clearSession(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(), Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.CookieSecure, SameSite: http.SameSiteLaxMode})
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	d := loginData{Next: safeNext(r.URL.Query().Get("next"))}
	if s.Demo {
		d.Demo = s.DemoLogins
	}
	s.render(w, r, http.StatusOK, "login", i18n.M("登录", "Sign in").In(httpmw.Lang(r)), d)
}

func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) {
	lang := httpmw.Lang(r)
	d := loginData{Username: r.PostFormValue("username"), Next: safeNext(r.PostFormValue("next"))}
	if s.Demo {
		d.Demo = s.DemoLogins
	}
	res, err := s.Auth.Login(r.Context(), auth.LoginInput{Username: d.Username, Password: r.PostFormValue("password"), Kind: auth.KindWeb})
	if err != nil {
		var e *errs.Error
		status := http.StatusUnauthorized
		if errors.As(err, &e) {
			d.Error = e.Msg.In(lang)
			if errors.Is(err, errs.ErrTooManyRequest) {
				status = http.StatusTooManyRequests
			}
		} else {
			s.Log.Error("login", "err", err)
			d.Error = i18n.M("登录暂时不可用，请稍后再试", "Sign-in is unavailable; try again later").In(lang)
			status = http.StatusInternalServerError
		}
		s.render(w, r, status, "login", i18n.M("登录", "Sign in").In(lang), d)
		return
	}
	s.setSession(w, res.Token, res.ExpiresAt)
	s.afterLogin(w, r, res, d.Next)
}

// afterLogin sends the user to the step the login stage asks for.
func (s *Server) afterLogin(w http.ResponseWriter, r *http.Request, res auth.LoginResult, next string) {
	switch res.Stage {
	case auth.StageOTP:
		redirect(w, r, "/login/otp?next="+urlQuery(next))
	case auth.StageEnrolTOTP:
		redirect(w, r, "/login/enrol?next="+urlQuery(next))
	case auth.StageNewPassword:
		redirect(w, r, "/account/password?expired=1")
	default:
		if next == "/" {
			next = homeFor(res.Principal)
		}
		redirect(w, r, next)
	}
}

// homeFor is where a role lands after signing in.
func homeFor(p *identity.Principal) string {
	switch {
	case p.Can(identity.PermEnterpriseOwn):
		return "/my"
	case p.Can(identity.PermEnterpriseRead):
		return "/enterprises"
	case p.Can(identity.PermAccountManage):
		return "/accounts"
	case p.Can(identity.PermAuditRead):
		return "/audit"
	}
	return "/"
}

type otpData struct {
	Next   string
	Error  string
	QR     template.URL
	Secret string
	URI    string
}

func (s *Server) pendingToken(w http.ResponseWriter, r *http.Request) (string, bool) {
	st := httpmw.State(r)
	if st.Session == nil || !st.Session.MFAPending {
		redirect(w, r, "/login")
		return "", false
	}
	return st.Token, true
}

func (s *Server) otpPage(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.pendingToken(w, r); !ok {
		return
	}
	s.render(w, r, http.StatusOK, "otp", i18n.M("动态码验证", "Verification code").In(httpmw.Lang(r)), otpData{Next: safeNext(r.URL.Query().Get("next"))})
}

func (s *Server) otpSubmit(w http.ResponseWriter, r *http.Request) {
	token, ok := s.pendingToken(w, r)
	if !ok {
		return
	}
	next := safeNext(r.PostFormValue("next"))
	res, err := s.Auth.CompleteSecondFactor(r.Context(), token, r.PostFormValue("otp"))
	if err != nil {
		d := otpData{Next: next, Error: errText(err, httpmw.Lang(r))}
		s.render(w, r, http.StatusUnprocessableEntity, "otp", i18n.M("动态码验证", "Verification code").In(httpmw.Lang(r)), d)
		return
	}
	s.setSession(w, res.Token, res.ExpiresAt)
	s.afterLogin(w, r, res, next)
}

func (s *Server) enrolPage(w http.ResponseWriter, r *http.Request) {
	token, ok := s.pendingToken(w, r)
	if !ok {
		return
	}
	s.renderEnrol(w, r, token, http.StatusOK, "")
}

func (s *Server) renderEnrol(w http.ResponseWriter, r *http.Request, token string, status int, msg string) {
	lang := httpmw.Lang(r)
	secret, uri, err := s.Auth.BeginEnrolment(r.Context(), token)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	png, err := qrcode.Encode(uri, qrcode.Medium, 240)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := otpData{Next: safeNext(r.URL.Query().Get("next")), Error: msg, Secret: secret, URI: uri,
		// A data: URL built here from our own PNG bytes, not from user input.
		QR: template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))}
	s.render(w, r, status, "enrol", i18n.M("绑定身份验证器", "Set up an authenticator").In(lang), d)
}

func (s *Server) enrolSubmit(w http.ResponseWriter, r *http.Request) {
	token, ok := s.pendingToken(w, r)
	if !ok {
		return
	}
	res, err := s.Auth.ConfirmEnrolment(r.Context(), token, r.PostFormValue("otp"))
	if err != nil {
		s.renderEnrol(w, r, token, http.StatusUnprocessableEntity, errText(err, httpmw.Lang(r)))
		return
	}
	s.setSession(w, res.Token, res.ExpiresAt)
	s.afterLogin(w, r, res, safeNext(r.PostFormValue("next")))
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if st := httpmw.State(r); st.Token != "" && !st.Bearer {
		if err := s.Auth.Logout(r.Context(), st.Token); err != nil {
			s.Log.Error("logout", "err", err)
		}
	}
	s.clearSession(w)
	s.setFlash(w, i18n.M("您已安全退出", "You have signed out").In(httpmw.Lang(r)))
	redirect(w, r, "/")
}

type passwordData struct {
	Expired bool
	Errors  map[string]string
}

func (s *Server) passwordPage(w http.ResponseWriter, r *http.Request) {
	if identity.PrincipalFrom(r.Context()) == nil {
		redirect(w, r, "/login?next=/account/password")
		return
	}
	s.render(w, r, http.StatusOK, "password", i18n.M("修改密码", "Change password").In(httpmw.Lang(r)),
		passwordData{Expired: r.URL.Query().Get("expired") != ""})
}

func (s *Server) passwordSubmit(w http.ResponseWriter, r *http.Request) {
	if identity.PrincipalFrom(r.Context()) == nil {
		redirect(w, r, "/login")
		return
	}
	lang := httpmw.Lang(r)
	cur, next := r.PostFormValue("current_password"), r.PostFormValue("new_password")
	d := passwordData{Errors: map[string]string{}}
	if next != r.PostFormValue("confirm_password") {
		d.Errors["confirm_password"] = i18n.M("两次输入的新密码不一致", "The new passwords do not match").In(lang)
		s.render(w, r, http.StatusUnprocessableEntity, "password", i18n.M("修改密码", "Change password").In(lang), d)
		return
	}
	if err := s.Auth.ChangePassword(r.Context(), cur, next); err != nil {
		if f := errs.FieldsOf(err); f != nil {
			for k, m := range f {
				d.Errors[k] = m.In(lang)
			}
			s.render(w, r, http.StatusUnprocessableEntity, "password", i18n.M("修改密码", "Change password").In(lang), d)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.clearSession(w)
	s.setFlash(w, i18n.M("密码已修改，所有登录已失效，请用新密码重新登录", "Password changed; every session has ended. Sign in with the new password").In(lang))
	redirect(w, r, "/login")
}

// prefs stores the language and text-size choices in cookies.
func (s *Server) prefs(w http.ResponseWriter, r *http.Request) {
	if v := r.PostFormValue("lang"); v != "" {
		http.SetCookie(w, &http.Cookie{Name: httpmw.LangCookie, Value: string(i18n.ParseLang(v)), Path: "/", MaxAge: 365 * 24 * 3600,
			Secure: s.CookieSecure, SameSite: http.SameSiteLaxMode})
	}
	if v := r.PostFormValue("textsize"); v != "" {
		if v != "large" {
			v = "normal"
		}
		http.SetCookie(w, &http.Cookie{Name: "textsize", Value: v, Path: "/", MaxAge: 365 * 24 * 3600,
			Secure: s.CookieSecure, SameSite: http.SameSiteLaxMode})
	}
	redirect(w, r, safeNext(r.PostFormValue("back")))
}

func errText(err error, lang i18n.Lang) string {
	var e *errs.Error
	if errors.As(err, &e) {
		if len(e.Fields) > 0 {
			for _, m := range e.Fields {
				return m.In(lang)
			}
		}
		return e.Msg.In(lang)
	}
	return i18n.M("操作失败，请稍后重试", "Something went wrong; try again later").In(lang)
}
