// Package app wires the platform together: configuration → database →
// services → HTTP server and background work. Main is what the binary runs
// and what end-to-end tests start on a temporary directory.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/qinqing/qinqing/internal/api"
	"github.com/qinqing/qinqing/internal/auth"
	"github.com/qinqing/qinqing/internal/calendar"
	"github.com/qinqing/qinqing/internal/casework"
	"github.com/qinqing/qinqing/internal/config"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/eligibility"
	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/files"
	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/jobs"
	"github.com/qinqing/qinqing/internal/matter"
	"github.com/qinqing/qinqing/internal/metrics"
	"github.com/qinqing/qinqing/internal/notify"
	"github.com/qinqing/qinqing/internal/policy"
	"github.com/qinqing/qinqing/internal/seal"
	"github.com/qinqing/qinqing/internal/search"
	"github.com/qinqing/qinqing/internal/seed"
	"github.com/qinqing/qinqing/internal/servicepoint"
	"github.com/qinqing/qinqing/internal/stats"
	"github.com/qinqing/qinqing/internal/web"
)

// Version is set at build time with -ldflags "-X …/internal/app.Version=…".
var Version = "dev"

// Main is one running platform instance.
type Main struct {
	Config     config.Config
	Log        *slog.Logger
	DB         *db.DB
	Auth       *auth.Service
	Enterprise *enterprise.Service
	Jobs       *jobs.Runner
	Metrics    *metrics.Registry
	Calendar   *calendar.Calendar
	Matters    *matter.Service
	Points     *servicepoint.Service
	Cases      *casework.Service
	Files      *files.Store
	Notify     *notify.Service
	Stats      *stats.Service
	Catalogue  *search.Catalogue
	Policy     *policy.Service
	Index      *eligibility.Index // loaded by OpenIndex
	DemoLogins []web.DemoLogin

	indexLoaded bool

	server   *http.Server
	listener net.Listener
}

// New returns an unopened Main logging to logOut.
func New(cfg config.Config, logOut io.Writer) *Main {
	return &Main{Config: cfg, Log: newLogger(cfg, logOut)}
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// Open opens and migrates the database and builds the services.
func (m *Main) Open(ctx context.Context) error {
	d, err := db.Open(ctx, m.Config.DatabaseURL)
	if err != nil {
		return err
	}
	m.DB = d
	applied, err := d.Migrate(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if len(applied) > 0 {
		m.Log.Info("database migrated", "applied", applied, "dialect", d.Dialect())
	}
	if err := enterprise.EnsureDefaultTags(ctx, d); err != nil {
		return err
	}
	box, err := seal.New(m.Config.DataKey)
	if err != nil {
		return err
	}
	passwords := auth.DefaultPasswordPolicy
	passwords.StaffRotationDays = m.Config.PasswordRotation
	m.Auth = auth.NewService(d, auth.Config{MFA: auth.MFAMode(m.Config.MFA), Demo: m.Config.Demo, Policy: passwords}, box)
	m.Enterprise = enterprise.NewService(d)
	m.Jobs = jobs.NewRunner(d)
	m.Metrics = metrics.NewRegistry()
	m.Calendar = calendar.New(calendar.Options{FallbackWeekends: m.Config.CalendarFallback})
	if err := m.Calendar.LoadStored(ctx, d); err != nil {
		return err
	}
	m.Matters = matter.NewService(d)
	m.Points = servicepoint.NewService(d, matterLookup{m.Matters})
	m.Files = files.NewStore(d, files.LocalBlobs{Dir: m.Config.BlobDir}, 20<<20)
	m.Cases = casework.NewService(d, m.Calendar, casework.MatterCatalogue{Matters: m.Matters}, m.Points, m.Enterprise, m.Files,
		casework.Config{PublicURL: m.Config.PublicURL, RectifyDays: m.Config.RectifyDays}, m.Log)
	senders := map[string]notify.Sender{"sms": notify.LogSender{Log: m.Log}, "email": notify.LogSender{Log: m.Log}}
	if m.Config.SMSWebhook != "" {
		senders["sms"] = notify.WebhookSender{URL: m.Config.SMSWebhook}
	}
	if m.Config.SMTPAddr != "" {
		senders["email"] = notify.SMTPSender{Addr: m.Config.SMTPAddr, From: m.Config.SMTPFrom}
	}
	m.Notify = notify.New(d, senders, m.Log)
	m.Stats = stats.New(d, m.Calendar)
	// The index follows every registry change from the start (commands
	// that never load it keep only the rows they change); the policy
	// service reads the registry until OpenIndex has loaded it.
	m.Index = eligibility.NewIndex(eligibility.Default)
	m.Index.Attach(m.Enterprise, d)
	m.Policy = policy.NewService(d, m.Calendar, m.Enterprise, m.Notify, nil, policy.Config{Seal: box,
		SecondApprovalFen: m.Config.PolicySecondApprovalFen, PublicityDays: m.Config.PolicyPublicityDays, ObjectionDays: m.Config.PolicyObjectionDays,
		FastDays: m.Config.PolicyFastDays}, m.Log)
	// After the index's hook, so that pushes see the change.
	m.Enterprise.OnChange(m.Policy.EnterpriseChanged)
	return nil
}

// seedDemo loads every kind of demo data, each step idempotent.
func (m *Main) seedDemo(ctx context.Context, progress func(step string, done, total int)) error {
	if err := seed.Demo(ctx, m.DB, m.Enterprise, m.Auth, progress); err != nil {
		return err
	}
	if err := seed.DemoServices(ctx, m.DB, seed.Services{Matters: m.Matters, Points: m.Points, Cases: m.Cases}, progress); err != nil {
		return err
	}
	// Publishing matches every policy against the whole registry: through
	// the index that is one pass over columns, not a profile load per firm.
	if !m.indexLoaded {
		if err := m.OpenIndex(ctx); err != nil {
			return err
		}
	}
	return seed.DemoPolicyHistory(ctx, m.DB, seed.PolicyServices{Policies: m.Policy, Enterprises: m.Enterprise, Files: m.Files}, progress)
}

// OpenCatalogue builds the catalogue's search index (loading the Chinese
// dictionary, a second or two) — done by serve, not by every command.
func (m *Main) OpenCatalogue(ctx context.Context) error {
	c, err := search.NewCatalogue(ctx, m.Matters)
	if err != nil {
		return err
	}
	m.Catalogue = c
	return nil
}

// OpenIndex loads the eligibility index from the registry, logging its
// progress, and lets the policy service match from it — done by serve, not
// by every command.
func (m *Main) OpenIndex(ctx context.Context) error {
	start := time.Now()
	last := time.Now()
	err := m.Index.Load(ctx, m.DB, func(done, total int) {
		if time.Since(last) >= 2*time.Second || done == total {
			m.Log.Info("loading eligibility index", "done", done, "total", total)
			last = time.Now()
		}
	})
	if err != nil {
		return err
	}
	m.Policy.SetMatcher(policy.NewIndexMatcher(m.Index, m.Enterprise))
	m.indexLoaded = true
	m.Log.Info("eligibility index loaded", "enterprises", m.Index.Len(), "bytes", m.Index.Bytes(), "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// matterLookup lets the service network check matter codes.
type matterLookup struct{ s *matter.Service }

func (l matterLookup) MatterExists(ctx context.Context, code string) (bool, error) {
	_, err := l.s.Get(ctx, code)
	if err == nil {
		return true, nil
	}
	if errorsIsNotFound(err) {
		return false, nil
	}
	return false, err
}

// MatterNames names matters for the HSDS export.
func (l matterLookup) MatterNames(ctx context.Context, codes []string) (map[string]string, error) {
	out := map[string]string{}
	for _, c := range codes {
		if m, err := l.s.Get(ctx, c); err == nil {
			out[c] = m.Current.Name
		}
	}
	return out, nil
}

// Handler builds the whole HTTP handler: middleware, pages and API.
func (m *Main) Handler() (http.Handler, error) {
	if m.Catalogue == nil {
		if err := m.OpenCatalogue(context.Background()); err != nil {
			return nil, err
		}
	}
	if !m.indexLoaded {
		if err := m.OpenIndex(context.Background()); err != nil {
			return nil, err
		}
	}
	// One policy search index behind the web pages and the API.
	policySearch := search.NewPolicyFinder(m.Policy)
	w, err := web.New(web.Deps{DB: m.DB, Auth: m.Auth, Enterprise: m.Enterprise, Jobs: m.Jobs, Log: m.Log,
		CookieSecure: m.Config.CookieSecure, Demo: m.Config.Demo, Version: Version, MaxUpload: m.Config.MaxUploadBytes,
		DemoLogins: m.DemoLogins, Calendar: m.Calendar, Matters: m.Matters, Points: m.Points, Cases: m.Cases,
		Files: m.Files, Notify: m.Notify, Stats: m.Stats, Catalogue: m.Catalogue, Policy: m.Policy, Eligibility: m.Index,
		PolicySearch: policySearch})
	if err != nil {
		return nil, err
	}
	a := api.New(api.Deps{DB: m.DB, Auth: m.Auth, Enterprise: m.Enterprise, Jobs: m.Jobs, Log: m.Log,
		Calendar: m.Calendar, Matters: m.Matters, Points: m.Points, Cases: m.Cases, Files: m.Files, Notify: m.Notify,
		Stats: m.Stats, Catalogue: m.Catalogue, Policy: m.Policy, Eligibility: m.Index, PolicySearch: policySearch})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok\n") })
	mux.HandleFunc("GET /readyz", m.ready)
	mux.Handle("GET /metrics", m.Metrics.Handler())
	a.Register(mux)
	w.Register(mux)
	m.registerDBMetrics()

	panicAnswer := func(rw http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/") {
			rw.Header().Set("Content-Type", "application/json; charset=utf-8")
			rw.WriteHeader(http.StatusInternalServerError)
			fmt.Fprintf(rw, `{"error":{"code":"internal_error","message":"internal error","request_id":%q}}`+"\n", identity.RequestFrom(r.Context()).ID)
			return
		}
		w.PanicPage(rw, r)
	}
	hsts := strings.HasPrefix(m.Config.PublicURL, "https://")
	return httpmw.Chain(mux,
		httpmw.RequestContext(m.Config.TrustedProxies),
		httpmw.Observe(m.Log, m.Metrics, func(r *http.Request) string { _, p := mux.Handler(r); return p }),
		httpmw.Recover(m.Log, panicAnswer),
		httpmw.SecurityHeaders(hsts),
		httpmw.CrossOrigin(http.HandlerFunc(w.CrossOriginDenied)),
		httpmw.Authenticate(m.Auth, httpmw.SessionCookieName(m.Config.CookieSecure)),
		w.Guard,
	), nil
}

func (m *Main) registerDBMetrics() {
	m.Metrics.GaugeFunc("qinqing_db_up", "1 when the database answers a ping.", func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if m.DB.Ping(ctx) != nil {
			return 0
		}
		return 1
	})
}

// ready answers /readyz: 200 when the database answers within two seconds.
func (m *Main) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := m.DB.Ping(ctx); err != nil {
		m.Log.Warn("not ready", "err", err)
		http.Error(w, "database unreachable", http.StatusServiceUnavailable)
		return
	}
	io.WriteString(w, "ready\n")
}

// Listen binds the configured address (":0" picks a free port).
func (m *Main) Listen() error {
	h, err := m.Handler()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", m.Config.Addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", m.Config.Addr, err)
	}
	m.listener = ln
	m.server = &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(m.Log.Handler(), slog.LevelWarn),
	}
	return nil
}

// URL is the base URL the server listens on.
func (m *Main) URL() string {
	if m.listener == nil {
		return m.Config.PublicURL
	}
	scheme := "http"
	if m.Config.TLSCertFile != "" {
		scheme = "https"
	}
	addr := m.listener.Addr().(*net.TCPAddr)
	host := addr.IP.String()
	if addr.IP.IsUnspecified() {
		host = "localhost"
	}
	return fmt.Sprintf("%s://%s", scheme, net.JoinHostPort(host, fmt.Sprint(addr.Port)))
}

// Serve serves until ctx is cancelled, then shuts down gracefully: in-flight
// requests get the configured grace period and background jobs finish.
func (m *Main) Serve(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() {
		var err error
		if m.Config.TLSCertFile != "" {
			err = m.server.ServeTLS(m.listener, m.Config.TLSCertFile, m.Config.TLSKeyFile)
		} else {
			err = m.server.Serve(m.listener)
		}
		if !errors.Is(err, http.ErrServerClosed) {
			errc <- err
		}
		close(errc)
	}()
	workers, stopWorkers := context.WithCancel(context.WithoutCancel(ctx))
	done := m.startWorkers(workers)
	defer func() { stopWorkers(); <-done }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	m.Log.Info("shutting down", "grace", m.Config.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), m.Config.ShutdownTimeout)
	defer cancel()
	err := m.server.Shutdown(sctx)
	m.Jobs.Wait()
	return err
}

// startWorkers runs the background work of a serving node: the SMS/e-mail
// outbox and the deadline sweep (every node may run them: claims are
// row-locked and the sweep is idempotent).
func (m *Main) startWorkers(ctx context.Context) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		outbox := make(chan struct{})
		go func() { m.Notify.Run(ctx, 30*time.Second); close(outbox) }()
		follow := make(chan struct{})
		go func() { // other nodes' registry changes (PostgreSQL only)
			if err := m.Index.Follow(ctx, m.DB); err != nil {
				m.Log.Error("eligibility index follow", "err", err)
			}
			close(follow)
		}()
		sweepCtx := identity.WithPrincipal(ctx, identity.System("deadline-sweep"))
		t := time.NewTicker(10 * time.Minute)
		defer t.Stop()
		for {
			if rep, err := m.Cases.Sweep(sweepCtx); err != nil && ctx.Err() == nil {
				m.Log.Error("deadline sweep", "err", err)
			} else if rep.Changed > 0 {
				m.Log.Info("deadline sweep", "checked", rep.Checked, "yellow", rep.Yellow, "red", rep.Red, "changed", rep.Changed)
			}
			policyCtx := identity.WithPrincipal(ctx, identity.System("policy-tick"))
			if rep, err := m.Policy.Tick(policyCtx, time.Now()); err != nil && ctx.Err() == nil {
				m.Log.Error("policy tick", "err", err)
			} else if rep.PublicityClosed > 0 || rep.Pushed > 0 {
				m.Log.Info("policy tick", "publicity_closed", rep.PublicityClosed, "payable", rep.Payable, "pushed", rep.Pushed)
			}
			select {
			case <-ctx.Done():
				<-outbox
				<-follow
				return
			case <-t.C:
			}
		}
	}()
	return done
}

// Close releases the database.
func (m *Main) Close() error {
	if m.DB != nil {
		return m.DB.Close()
	}
	return nil
}

func errorsIsNotFound(err error) bool { return errors.Is(err, errs.ErrNotFound) }

// systemCtx is the context for work the platform does on its own behalf.
func systemCtx(ctx context.Context, name string) context.Context {
	user := os.Getenv("USER")
	if user == "" {
		user = "unknown"
	}
	ctx = identity.WithPrincipal(ctx, identity.System(name))
	return identity.WithRequest(ctx, identity.Request{ID: name + "-" + fmt.Sprint(time.Now().Unix()), IP: "local:" + user})
}
