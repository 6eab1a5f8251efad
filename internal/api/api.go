// Package api serves the platform's JSON API under /api/v1. Handlers are
// thin: decode, call a service, encode. Errors are mapped to HTTP status and
// a bilingual, safe message in one place (writeError), as
// {"error":{"code","message","fields"}}.
package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"reflect"
	"strings"

	"github.com/qinqing/qinqing/internal/auth"
	"github.com/qinqing/qinqing/internal/calendar"
	"github.com/qinqing/qinqing/internal/casework"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/eligibility"
	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/files"
	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/jobs"
	"github.com/qinqing/qinqing/internal/matter"
	"github.com/qinqing/qinqing/internal/notify"
	"github.com/qinqing/qinqing/internal/policy"
	"github.com/qinqing/qinqing/internal/search"
	"github.com/qinqing/qinqing/internal/servicepoint"
	"github.com/qinqing/qinqing/internal/stats"
)

// Deps are the services the API calls.
type Deps struct {
	DB         *db.DB
	Auth       *auth.Service
	Enterprise *enterprise.Service
	Jobs       *jobs.Runner
	Log        *slog.Logger

	Calendar  *calendar.Calendar
	Matters   *matter.Service
	Points    *servicepoint.Service
	Cases     *casework.Service
	Files     *files.Store
	Notify    *notify.Service
	Stats     *stats.Service
	Catalogue *search.Catalogue
	Policy    *policy.Service
	// PolicySearch ranks policies for the search box (Chinese, pinyin, initials).
	PolicySearch *search.PolicyFinder
	// Eligibility is the in-memory index over every enterprise (matching
	// a rule against all of them at once).
	Eligibility *eligibility.Index
}

// Route is one registered API route, for the OpenAPI consistency test.
type Route struct{ Method, Path string }

// Server holds the API handlers.
type Server struct {
	Deps
	routes []Route
}

// New returns the API server.
func New(d Deps) *Server { return &Server{Deps: d} }

// handlerFunc is an API handler that returns an error to be mapped.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// Register adds every API route to mux.
func (s *Server) Register(mux *http.ServeMux) {
	s.handle(mux, "GET /api/v1/openapi.json", s.openAPI)
	s.handle(mux, "POST /api/v1/auth/login", s.login)
	s.handle(mux, "POST /api/v1/auth/logout", s.logout)
	s.handle(mux, "POST /api/v1/auth/password", s.changePassword)
	s.handle(mux, "GET /api/v1/me", s.me)

	s.handle(mux, "GET /api/v1/enterprises", s.listEnterprises)
	s.handle(mux, "POST /api/v1/enterprises", s.idempotent(s.createEnterprise))
	s.handle(mux, "GET /api/v1/enterprises/{id}", s.getEnterprise)
	s.handle(mux, "PATCH /api/v1/enterprises/{id}", s.patchEnterprise)
	s.handle(mux, "GET /api/v1/enterprises/{id}/facts", s.enterpriseFacts)
	s.handle(mux, "GET /api/v1/enterprises/{id}/contact", s.revealContact)
	s.handle(mux, "GET /api/v1/enterprises/{id}/liaison", s.getLiaison)
	s.handle(mux, "PUT /api/v1/enterprises/{id}/liaison", s.putLiaison)
	s.handle(mux, "GET /api/v1/tags", s.listTags)

	s.handle(mux, "GET /api/v1/standards/credit-codes/{code}", s.checkCreditCode)
	s.handle(mux, "GET /api/v1/standards/industries", s.industries)
	s.handle(mux, "GET /api/v1/standards/regions", s.regions)
	s.handle(mux, "GET /api/v1/standards/size", s.sizeClass)

	s.handle(mux, "GET /api/v1/audit", s.listAudit)
	s.handle(mux, "GET /api/v1/jobs/{id}", s.getJob)
	s.registerCatalogue(mux)
	s.registerCases(mux)
	s.registerStats(mux)
	s.registerPolicy(mux)

	// Anything else under /api/ is a JSON 404, not the HTML page.
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, s.Log, errs.New(errs.ErrNotFound, "no_route", i18n.M("接口不存在", "No such API route")))
	})
}

// Routes lists the registered routes.
func (s *Server) Routes() []Route { return s.routes }

func (s *Server) handle(mux *http.ServeMux, pattern string, h handlerFunc) {
	method, path, _ := strings.Cut(pattern, " ")
	s.routes = append(s.routes, Route{Method: method, Path: path})
	mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if st := httpmw.State(r); st.Rejected && st.Bearer {
			writeError(w, r, s.Log, auth.ErrSessionInvalid)
			return
		}
		if st := httpmw.State(r); st.Session != nil && st.Session.MustChangePassword &&
			path != "/api/v1/auth/password" && path != "/api/v1/auth/logout" {
			writeError(w, r, s.Log, errs.New(errs.ErrForbidden, "password_change_required",
				i18n.M("密码已过期或需重置，请先修改密码", "Your password has expired or was reset; change it first")))
			return
		}
		if err := h(w, r); err != nil {
			writeError(w, r, s.Log, err)
		}
	})
}

// errorBody is the one error shape of the API.
type errorBody struct {
	Error struct {
		Code      string            `json:"code"`
		Message   string            `json:"message"`
		Fields    map[string]string `json:"fields,omitempty"`
		RequestID string            `json:"request_id,omitempty"`
	} `json:"error"`
}

// statusOf maps an error kind to its HTTP status.
func statusOf(err error) int {
	switch {
	case errors.Is(err, errs.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, errs.ErrInvalid):
		return http.StatusUnprocessableEntity
	case errors.Is(err, errs.ErrForbidden):
		return http.StatusForbidden
	case errors.Is(err, errs.ErrUnauthorized):
		return http.StatusUnauthorized
	case errors.Is(err, errs.ErrConflict):
		return http.StatusConflict
	case errors.Is(err, errs.ErrPreconditionRequired):
		return http.StatusPreconditionRequired
	case errors.Is(err, errs.ErrPrecondition):
		return http.StatusPreconditionFailed
	case errors.Is(err, errs.ErrTooManyRequest):
		return http.StatusTooManyRequests
	case errors.Is(err, errBadRequest):
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

var errBadRequest = errors.New("bad request")

// badRequest is a 400 with a message.
func badRequest(code string, m i18n.Msg) error { return errs.New(errBadRequest, code, m) }

// writeError renders err; internal errors are logged and answered with a
// generic message and the request ID.
func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	lang := httpmw.Lang(r)
	status := statusOf(err)
	var body errorBody
	body.Error.RequestID = identity.RequestFrom(r.Context()).ID
	var e *errs.Error
	if status == http.StatusInternalServerError || !errors.As(err, &e) {
		if status == http.StatusInternalServerError {
			log.Error("api error", "request_id", body.Error.RequestID, "path", r.URL.Path, "err", err)
		}
		body.Error.Code = "internal_error"
		body.Error.Message = i18n.M("服务器内部错误，请稍后重试并提供请求编号", "Internal error; try again later and quote the request ID").In(lang)
		status = http.StatusInternalServerError
	} else {
		body.Error.Code = e.Code
		body.Error.Message = e.Msg.In(lang)
		if len(e.Fields) > 0 {
			body.Error.Fields = map[string]string{}
			for k, m := range e.Fields {
				body.Error.Fields[k] = m.In(lang)
			}
		}
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="qinqing"`)
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}

// maxBody bounds JSON request bodies.
const maxBody = 1 << 20

// decode reads a JSON body strictly: unknown fields, wrongly typed values and
// trailing data are errors, and the body is bounded. A body that is valid
// JSON but has bad fields yields a 422 naming every bad field.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return errs.New(errBadRequest, "unsupported_media_type", i18n.M("请求体应为 application/json", "Request body must be application/json"))
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		return badRequest("body_too_large", i18n.M("请求体过大或读取失败", "Request body too large or unreadable"))
	}
	if err := strictUnmarshal(body, v); err == nil {
		return nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return badRequest("bad_json", i18n.M("请求体不是有效的 JSON 对象", "Request body is not a valid JSON object"))
	}
	// Find the offending fields by decoding each one alone.
	bad := errs.Fields{}
	typ := reflect.TypeOf(v).Elem()
	for k, raw := range fields {
		one, _ := json.Marshal(map[string]json.RawMessage{k: raw})
		probe := reflect.New(typ).Interface()
		if err := strictUnmarshal(one, probe); err != nil {
			if strings.Contains(err.Error(), "unknown field") {
				bad.Add(k, i18n.M("未知字段", "Unknown field"))
			} else {
				bad.Add(k, i18n.M("值的类型或格式不对（金额以元为单位，最多两位小数）", "Wrong type or format (amounts are in yuan with at most two decimals)"))
			}
		}
	}
	if err := bad.Err(); err != nil {
		return err
	}
	return badRequest("bad_json", i18n.M("请求体不是有效的 JSON", "Request body is not valid JSON"))
}

func strictUnmarshal(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data")
	}
	return nil
}

// requireLogin fails unless a principal is signed in.
func requireLogin(r *http.Request) (*identity.Principal, error) {
	p := identity.PrincipalFrom(r.Context())
	if p == nil {
		return nil, errs.New(errs.ErrUnauthorized, "unauthenticated", i18n.M("请先登录", "Sign in first"))
	}
	return p, nil
}
