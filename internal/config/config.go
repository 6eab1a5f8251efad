// Package config reads the platform's typed configuration from QINQING_*
// environment variables and command-line flags (flags win), applies defaults,
// validates every option at once and prints a redacted dump. A secret may be
// given as NAME_FILE naming a file that holds it.
package config

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// MFA modes.
const (
	MFAOff   = "off"
	MFAStaff = "staff"
	MFAAll   = "all"
)

// Config is the validated configuration.
type Config struct {
	DataDir          string
	DatabaseURL      string
	Addr             string
	PublicURL        string
	Demo             bool
	MFA              string
	CookieSecure     bool
	TLSCertFile      string
	TLSKeyFile       string
	DataKey          string
	LogLevel         string
	LogFormat        string
	TrustedProxies   []*net.IPNet
	PasswordRotation int // staff password rotation, days; 0 disables
	ShutdownTimeout  time.Duration
	BlobDir          string
	MaxUploadBytes   int64
	RectifyDays      int // working days to rectify a 差评
	// PolicySecondApprovalFen is the approved amount (fen) from which a
	// second policy officer must approve; PolicyPublicityDays the default
	// 公示 length in working days; PolicyObjectionDays the calendar days a
	// rejected applicant has to object (异议); PolicyFastDays the longest
	// review limit of a 快申快享 application in working days.
	PolicySecondApprovalFen int64
	PolicyPublicityDays     int
	PolicyObjectionDays     int
	PolicyFastDays          int
	CalendarFallback        bool // count a year without a holiday schedule as weekends-only (flagged) instead of refusing
	SMTPAddr                string
	SMTPFrom                string
	SMSWebhook              string
	trustedProxiesRaw       string
}

// Option describes one setting for help text and the dump.
type Option struct {
	Env, Flag, Default, Help string
	Secret                   bool
}

// Options lists every setting in display order.
var Options = []Option{
	{Env: "QINQING_DATA_DIR", Flag: "data-dir", Default: "./data", Help: "directory for the SQLite database, uploads and backups"},
	{Env: "QINQING_DATABASE_URL", Flag: "database-url", Default: "sqlite://$QINQING_DATA_DIR/qinqing.db", Help: "sqlite:///path/file.db or postgres://user:pass@host/db", Secret: true},
	{Env: "QINQING_ADDR", Flag: "addr", Default: "127.0.0.1:8080", Help: "listen address"},
	{Env: "QINQING_PUBLIC_URL", Flag: "public-url", Default: "http://$QINQING_ADDR", Help: "external base URL, used in links, QR codes and HSTS"},
	{Env: "QINQING_DEMO", Flag: "demo", Default: "false", Help: "demo mode: demo accounts may sign in, MFA defaults to off"},
	{Env: "QINQING_MFA", Flag: "mfa", Default: "staff (off in demo mode)", Help: "who needs a TOTP second factor: off | staff | all"},
	{Env: "QINQING_COOKIE_SECURE", Flag: "cookie-secure", Default: "auto", Help: "Secure session cookies: auto (off only for plain-HTTP demo) | true | false"},
	{Env: "QINQING_TLS_CERT_FILE", Flag: "tls-cert", Help: "serve HTTPS with this certificate (PEM)"},
	{Env: "QINQING_TLS_KEY_FILE", Flag: "tls-key", Help: "private key for the certificate (PEM)"},
	{Env: "QINQING_DATA_KEY", Flag: "data-key", Help: "key (≥ 16 chars) that encrypts sensitive columns at rest", Secret: true},
	{Env: "QINQING_LOG_LEVEL", Flag: "log-level", Default: "info", Help: "debug | info | warn | error"},
	{Env: "QINQING_LOG_FORMAT", Flag: "log-format", Default: "text", Help: "text | json"},
	{Env: "QINQING_TRUSTED_PROXIES", Flag: "trusted-proxies", Help: "comma-separated CIDRs whose X-Forwarded-For is believed"},
	{Env: "QINQING_PASSWORD_ROTATION_DAYS", Flag: "password-rotation-days", Default: "90", Help: "staff password rotation period in days (0 = never)"},
	{Env: "QINQING_SHUTDOWN_TIMEOUT", Flag: "shutdown-timeout", Default: "15s", Help: "grace period for in-flight requests on shutdown"},
	{Env: "QINQING_MAX_UPLOAD_MB", Flag: "max-upload-mb", Default: "50", Help: "largest accepted upload"},
	{Env: "QINQING_RECTIFY_DAYS", Flag: "rectify-days", Default: "5", Help: "working days a department has to rectify a bad rating (Chongqing practice: 5)"},
	{Env: "QINQING_POLICY_SECOND_APPROVAL_YUAN", Flag: "policy-second-approval-yuan", Default: "100000", Help: "approved policy amount (yuan) from which a second officer must approve"},
	{Env: "QINQING_POLICY_PUBLICITY_DAYS", Flag: "policy-publicity-days", Default: "5", Help: "default length of a policy 公示 in working days (1–30)"},
	{Env: "QINQING_POLICY_OBJECTION_DAYS", Flag: "policy-objection-days", Default: "15", Help: "calendar days a rejected policy applicant has to object (1–60)"},
	{Env: "QINQING_POLICY_FAST_DAYS", Flag: "policy-fast-days", Default: "3", Help: "working days within which a 快申快享 (fast-track) application is decided, unless the policy's own limit is shorter (1–20)"},
	{Env: "QINQING_CALENDAR_FALLBACK", Flag: "calendar-fallback", Default: "false", Help: "count years without a holiday schedule as weekends-only (results are flagged) instead of refusing"},
	{Env: "QINQING_SMTP_ADDR", Flag: "smtp-addr", Help: "host:port of the mail relay for e-mail notices (unset: e-mails are logged)"},
	{Env: "QINQING_SMTP_FROM", Flag: "smtp-from", Default: "noreply@localhost", Help: "sender address of e-mail notices"},
	{Env: "QINQING_SMS_WEBHOOK", Flag: "sms-webhook", Help: "URL of the SMS gateway adapter, posted {\"to\",\"text\"} (unset: SMS are logged)", Secret: true},
}

// Load reads the environment (via getenv) and args. It returns every
// invalid option in one error.
func Load(getenv func(string) string, args []string) (Config, error) {
	fs := flag.NewFlagSet("qinqing", flag.ContinueOnError)
	fs.SetOutput(new(strings.Builder))
	vals := map[string]*string{}
	for _, o := range Options {
		vals[o.Env] = fs.String(o.Flag, "", o.Help)
	}
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	var problems []string
	get := func(env string) string {
		if v := *vals[env]; v != "" {
			return v
		}
		if v := getenv(env); v != "" {
			return v
		}
		if file := getenv(env + "_FILE"); file != "" {
			b, err := os.ReadFile(file)
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s_FILE: %v", env, err))
				return ""
			}
			return strings.TrimSpace(string(b))
		}
		return ""
	}
	or := func(v, def string) string {
		if v == "" {
			return def
		}
		return v
	}
	var c Config
	c.DataDir = or(get("QINQING_DATA_DIR"), "./data")
	c.DatabaseURL = or(get("QINQING_DATABASE_URL"), "sqlite://"+filepath.Join(c.DataDir, "qinqing.db"))
	if !strings.HasPrefix(c.DatabaseURL, "sqlite://") && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		problems = append(problems, "QINQING_DATABASE_URL: must start with sqlite:// or postgres://")
	}
	c.Addr = or(get("QINQING_ADDR"), "127.0.0.1:8080")
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		problems = append(problems, fmt.Sprintf("QINQING_ADDR: %v", err))
	}
	demo, err := parseBool(or(get("QINQING_DEMO"), "false"))
	if err != nil {
		problems = append(problems, "QINQING_DEMO: "+err.Error())
	}
	c.Demo = demo
	c.MFA = get("QINQING_MFA")
	if c.MFA == "" {
		c.MFA = MFAStaff
		if c.Demo {
			c.MFA = MFAOff
		}
	}
	if c.MFA != MFAOff && c.MFA != MFAStaff && c.MFA != MFAAll {
		problems = append(problems, fmt.Sprintf("QINQING_MFA: %q is not off, staff or all", c.MFA))
	}
	c.TLSCertFile, c.TLSKeyFile = get("QINQING_TLS_CERT_FILE"), get("QINQING_TLS_KEY_FILE")
	if (c.TLSCertFile == "") != (c.TLSKeyFile == "") {
		problems = append(problems, "QINQING_TLS_CERT_FILE and QINQING_TLS_KEY_FILE go together")
	}
	scheme := "http"
	if c.TLSCertFile != "" {
		scheme = "https"
	}
	c.PublicURL = strings.TrimRight(or(get("QINQING_PUBLIC_URL"), scheme+"://"+displayAddr(c.Addr)), "/")
	if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		problems = append(problems, fmt.Sprintf("QINQING_PUBLIC_URL: %q is not an http(s) URL", c.PublicURL))
	}
	switch v := or(get("QINQING_COOKIE_SECURE"), "auto"); v {
	case "auto":
		c.CookieSecure = !(c.Demo && strings.HasPrefix(c.PublicURL, "http://"))
	default:
		b, err := parseBool(v)
		if err != nil {
			problems = append(problems, "QINQING_COOKIE_SECURE: "+err.Error())
		}
		c.CookieSecure = b
	}
	c.DataKey = get("QINQING_DATA_KEY")
	if c.DataKey != "" && len(c.DataKey) < 16 {
		problems = append(problems, "QINQING_DATA_KEY: must be at least 16 characters")
	}
	c.LogLevel = or(get("QINQING_LOG_LEVEL"), "info")
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		problems = append(problems, fmt.Sprintf("QINQING_LOG_LEVEL: %q is not debug, info, warn or error", c.LogLevel))
	}
	c.LogFormat = or(get("QINQING_LOG_FORMAT"), "text")
	if c.LogFormat != "text" && c.LogFormat != "json" {
		problems = append(problems, fmt.Sprintf("QINQING_LOG_FORMAT: %q is not text or json", c.LogFormat))
	}
	c.trustedProxiesRaw = get("QINQING_TRUSTED_PROXIES")
	for _, s := range strings.Split(c.trustedProxiesRaw, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		if !strings.Contains(s, "/") {
			if strings.Contains(s, ":") {
				s += "/128"
			} else {
				s += "/32"
			}
		}
		_, n, err := net.ParseCIDR(s)
		if err != nil {
			problems = append(problems, fmt.Sprintf("QINQING_TRUSTED_PROXIES: %v", err))
			continue
		}
		c.TrustedProxies = append(c.TrustedProxies, n)
	}
	c.PasswordRotation, err = strconv.Atoi(or(get("QINQING_PASSWORD_ROTATION_DAYS"), "90"))
	if err != nil || c.PasswordRotation < 0 {
		problems = append(problems, "QINQING_PASSWORD_ROTATION_DAYS: must be a whole number of days ≥ 0")
	}
	c.ShutdownTimeout, err = time.ParseDuration(or(get("QINQING_SHUTDOWN_TIMEOUT"), "15s"))
	if err != nil || c.ShutdownTimeout <= 0 {
		problems = append(problems, "QINQING_SHUTDOWN_TIMEOUT: must be a positive duration such as 15s")
	}
	mb, err := strconv.Atoi(or(get("QINQING_MAX_UPLOAD_MB"), "50"))
	if err != nil || mb < 1 || mb > 1024 {
		problems = append(problems, "QINQING_MAX_UPLOAD_MB: must be 1–1024")
	}
	c.MaxUploadBytes = int64(mb) << 20
	c.RectifyDays, err = strconv.Atoi(or(get("QINQING_RECTIFY_DAYS"), "5"))
	if err != nil || c.RectifyDays < 1 || c.RectifyDays > 60 {
		problems = append(problems, "QINQING_RECTIFY_DAYS: must be 1–60 working days")
	}
	secondYuan, err := strconv.ParseInt(or(get("QINQING_POLICY_SECOND_APPROVAL_YUAN"), "100000"), 10, 64)
	if err != nil || secondYuan < 1 || secondYuan > 1_000_000_000 {
		problems = append(problems, "QINQING_POLICY_SECOND_APPROVAL_YUAN: must be a whole number of yuan, 1–1000000000")
	}
	c.PolicySecondApprovalFen = secondYuan * 100
	c.PolicyPublicityDays, err = strconv.Atoi(or(get("QINQING_POLICY_PUBLICITY_DAYS"), "5"))
	if err != nil || c.PolicyPublicityDays < 1 || c.PolicyPublicityDays > 30 {
		problems = append(problems, "QINQING_POLICY_PUBLICITY_DAYS: must be 1–30 working days")
	}
	c.PolicyObjectionDays, err = strconv.Atoi(or(get("QINQING_POLICY_OBJECTION_DAYS"), "15"))
	if err != nil || c.PolicyObjectionDays < 1 || c.PolicyObjectionDays > 60 {
		problems = append(problems, "QINQING_POLICY_OBJECTION_DAYS: must be 1–60 days")
	}
	c.PolicyFastDays, err = strconv.Atoi(or(get("QINQING_POLICY_FAST_DAYS"), "3"))
	if err != nil || c.PolicyFastDays < 1 || c.PolicyFastDays > 20 {
		problems = append(problems, "QINQING_POLICY_FAST_DAYS: must be 1–20 working days")
	}
	if c.CalendarFallback, err = parseBool(or(get("QINQING_CALENDAR_FALLBACK"), "false")); err != nil {
		problems = append(problems, "QINQING_CALENDAR_FALLBACK: "+err.Error())
	}
	c.SMTPAddr, c.SMTPFrom = get("QINQING_SMTP_ADDR"), or(get("QINQING_SMTP_FROM"), "noreply@localhost")
	if c.SMTPAddr != "" {
		if _, _, err := net.SplitHostPort(c.SMTPAddr); err != nil {
			problems = append(problems, "QINQING_SMTP_ADDR: "+err.Error())
		}
	}
	c.SMSWebhook = get("QINQING_SMS_WEBHOOK")
	if c.SMSWebhook != "" {
		if u, err := url.Parse(c.SMSWebhook); err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			problems = append(problems, "QINQING_SMS_WEBHOOK: must be an http(s) URL")
		}
	}
	c.BlobDir = filepath.Join(c.DataDir, "files")
	if len(problems) > 0 {
		return c, errors.New("invalid configuration:\n  " + strings.Join(problems, "\n  "))
	}
	return c, nil
}

// Defaults returns the configuration with no environment and no flags.
func Defaults() Config {
	c, err := Load(func(string) string { return "" }, nil)
	if err != nil {
		panic(err)
	}
	return c
}

// Dump renders the effective configuration with secrets redacted.
func (c Config) Dump() string {
	var b strings.Builder
	redact := func(s string) string {
		if s == "" {
			return "(not set)"
		}
		return "(set, redacted)"
	}
	dbURL := c.DatabaseURL
	if u, err := url.Parse(dbURL); err == nil && u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
			dbURL = u.String()
		}
	}
	rows := [][2]string{
		{"QINQING_DATA_DIR", c.DataDir},
		{"QINQING_DATABASE_URL", dbURL},
		{"QINQING_ADDR", c.Addr},
		{"QINQING_PUBLIC_URL", c.PublicURL},
		{"QINQING_DEMO", strconv.FormatBool(c.Demo)},
		{"QINQING_MFA", c.MFA},
		{"QINQING_COOKIE_SECURE", strconv.FormatBool(c.CookieSecure)},
		{"QINQING_TLS_CERT_FILE", c.TLSCertFile},
		{"QINQING_TLS_KEY_FILE", c.TLSKeyFile},
		{"QINQING_DATA_KEY", redact(c.DataKey)},
		{"QINQING_LOG_LEVEL", c.LogLevel},
		{"QINQING_LOG_FORMAT", c.LogFormat},
		{"QINQING_TRUSTED_PROXIES", c.trustedProxiesRaw},
		{"QINQING_PASSWORD_ROTATION_DAYS", strconv.Itoa(c.PasswordRotation)},
		{"QINQING_SHUTDOWN_TIMEOUT", c.ShutdownTimeout.String()},
		{"QINQING_MAX_UPLOAD_MB", strconv.FormatInt(c.MaxUploadBytes>>20, 10)},
		{"QINQING_RECTIFY_DAYS", strconv.Itoa(c.RectifyDays)},
		{"QINQING_POLICY_SECOND_APPROVAL_YUAN", strconv.FormatInt(c.PolicySecondApprovalFen/100, 10)},
		{"QINQING_POLICY_PUBLICITY_DAYS", strconv.Itoa(c.PolicyPublicityDays)},
		{"QINQING_POLICY_OBJECTION_DAYS", strconv.Itoa(c.PolicyObjectionDays)},
		{"QINQING_POLICY_FAST_DAYS", strconv.Itoa(c.PolicyFastDays)},
		{"QINQING_CALENDAR_FALLBACK", strconv.FormatBool(c.CalendarFallback)},
		{"QINQING_SMTP_ADDR", c.SMTPAddr},
		{"QINQING_SMTP_FROM", c.SMTPFrom},
		{"QINQING_SMS_WEBHOOK", redact(c.SMSWebhook)},
	}
	for _, r := range rows {
		fmt.Fprintf(&b, "%-36s %s\n", r[0], r[1])
	}
	if c.DataKey == "" {
		b.WriteString("# note: no QINQING_DATA_KEY — sensitive columns are stored unencrypted\n")
	}
	return b.String()
}

// Usage lists the options for --help.
func Usage() string {
	var b strings.Builder
	for _, o := range Options {
		fmt.Fprintf(&b, "  --%-24s %s\n      %s", o.Flag, o.Env, o.Help)
		if o.Default != "" {
			fmt.Fprintf(&b, " (default %s)", o.Default)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func parseBool(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "1", "true", "yes", "on":
		return true, nil
	case "0", "false", "no", "off":
		return false, nil
	}
	return false, fmt.Errorf("%q is not a boolean", s)
}

func displayAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}
