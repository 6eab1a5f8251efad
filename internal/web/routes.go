package web

import (
	"net/http"
	"strings"

	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
)

// Register adds every page to mux.
func (s *Server) Register(mux *http.ServeMux) {
	mux.Handle("GET /static/", Static())
	mux.HandleFunc("GET /{$}", s.home)
	mux.HandleFunc("GET /login", s.loginPage)
	mux.HandleFunc("POST /login", s.loginSubmit)
	mux.HandleFunc("GET /login/otp", s.otpPage)
	mux.HandleFunc("POST /login/otp", s.otpSubmit)
	mux.HandleFunc("GET /login/enrol", s.enrolPage)
	mux.HandleFunc("POST /login/enrol", s.enrolSubmit)
	mux.HandleFunc("POST /logout", s.logout)
	mux.HandleFunc("GET /account/password", s.passwordPage)
	mux.HandleFunc("POST /account/password", s.passwordSubmit)
	mux.HandleFunc("POST /prefs", s.prefs)

	mux.HandleFunc("GET /tools", s.toolsPage)
	mux.HandleFunc("GET /tools/credit-code-hint", s.creditCodeHint)
	mux.HandleFunc("GET /tools/industry-hint", s.industryHint)

	mux.HandleFunc("GET /enterprises", s.enterpriseList)
	mux.HandleFunc("GET /enterprises/new", s.enterpriseNew)
	mux.HandleFunc("POST /enterprises", s.enterpriseCreate)
	mux.HandleFunc("GET /enterprises/{id}", s.enterpriseShow)
	mux.HandleFunc("GET /enterprises/{id}/edit", s.enterpriseEdit)
	mux.HandleFunc("POST /enterprises/{id}", s.enterpriseUpdate)
	mux.HandleFunc("POST /enterprises/{id}/contact", s.revealContact)
	mux.HandleFunc("POST /enterprises/{id}/liaison", s.liaisonAssign)
	mux.HandleFunc("GET /my", s.myEnterprise)

	mux.HandleFunc("GET /tags", s.tagsPage)
	mux.HandleFunc("POST /tags", s.tagSave)
	mux.HandleFunc("GET /import", s.importPage)
	mux.HandleFunc("POST /import", s.importUpload)
	mux.HandleFunc("GET /export", s.exportDownload)
	mux.HandleFunc("GET /jobs/{id}", s.jobPage)
	mux.HandleFunc("GET /accounts", s.accountsPage)
	mux.HandleFunc("POST /accounts", s.accountCreate)
	mux.HandleFunc("POST /accounts/{username}/{action}", s.accountAction)
	mux.HandleFunc("GET /audit", s.auditPage)
	s.registerCatalogue(mux)
	s.registerCases(mux)
	s.registerStats(mux)
	s.registerPolicy(mux)

	mux.HandleFunc("/", s.NotFound)
}

// Guard keeps a signed-in user whose password must change on the change
// page, and a session awaiting its second factor on the second-factor pages.
func (s *Server) Guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := httpmw.State(r)
		path := r.URL.Path
		free := path == "/logout" || path == "/prefs" || strings.HasPrefix(path, "/static/") || strings.HasPrefix(path, "/api/")
		switch {
		case free || st.Session == nil:
		case st.Session.MFAPending && path != "/login/otp" && path != "/login/enrol":
			if st.Session.TOTPEnrolled {
				redirect(w, r, "/login/otp")
			} else {
				redirect(w, r, "/login/enrol")
			}
			return
		case st.Session.MustChangePassword && path != "/account/password":
			s.setFlash(w, i18n.M("您的密码已过期或由管理员重置，请先修改密码", "Your password has expired or was reset; change it first").In(httpmw.Lang(r)))
			redirect(w, r, "/account/password?expired=1")
			return
		}
		if st.Rejected && !st.Bearer {
			s.clearSession(w)
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "home", i18n.M("亲清 · 民营经济综合服务平台", "Qinqing · one-stop services for private enterprises").In(httpmw.Lang(r)), nil)
}
