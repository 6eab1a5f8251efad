package httpmw

import (
	"net/http"
	"strings"

	"github.com/qinqing/qinqing/internal/auth"
	"github.com/qinqing/qinqing/internal/identity"
)

// Cookie names: the __Host- prefix pins the cookie to this host, path / and
// HTTPS; a plain-HTTP demo cannot use it and falls back to a plain name.
const (
	SecureSessionCookie = "__Host-qinqing_session"
	PlainSessionCookie  = "qinqing_session"
)

// SessionCookieName is the session cookie's name under the given setting.
func SessionCookieName(secure bool) string {
	if secure {
		return SecureSessionCookie
	}
	return PlainSessionCookie
}

// AuthState is what authentication found on a request.
type AuthState struct {
	Session  *auth.Session // nil when anonymous
	Token    string        // the presented token (for logout and the MFA steps)
	Bearer   bool          // the token came from an Authorization header
	Rejected bool          // a token was presented but is not valid
}

// Authenticate resolves the session cookie or, on API paths, a bearer token.
// A fully authenticated principal is put in the context for services; a
// session still waiting for its second factor is not, so it can reach only
// the second-factor pages.
func Authenticate(svc *auth.Service, cookieName string) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			st := &AuthState{}
			kind := auth.KindWeb
			if h := r.Header.Get("Authorization"); h != "" && strings.HasPrefix(r.URL.Path, "/api/") {
				if tok, ok := strings.CutPrefix(h, "Bearer "); ok {
					st.Token, st.Bearer, kind = strings.TrimSpace(tok), true, auth.KindAPI
				} else {
					st.Rejected = true
				}
			} else if c, err := r.Cookie(cookieName); err == nil {
				st.Token = c.Value
			}
			ctx := r.Context()
			if st.Token != "" {
				sess, err := svc.Authenticate(ctx, st.Token, kind)
				if err != nil {
					st.Rejected = true
				} else {
					st.Session = sess
					if !sess.MFAPending {
						ctx = identity.WithPrincipal(ctx, sess.Principal)
					}
				}
			}
			next.ServeHTTP(w, r.WithContext(withValue(ctx, sessionKey, st)))
		})
	}
}

// State returns the request's authentication state (never nil).
func State(r *http.Request) *AuthState {
	if st, ok := r.Context().Value(sessionKey).(*AuthState); ok {
		return st
	}
	return &AuthState{}
}
