package app

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/auth"
	"github.com/qinqing/qinqing/internal/config"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/seed"
	"github.com/qinqing/qinqing/internal/web"
)

// CLI is the command line: one binary, many subcommands.
type CLI struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	// Started, when set, is called with the running Main once a server
	// listens (tests use it to learn the URL).
	Started func(*Main)
}

type command struct {
	name, usage, help string
	run               func(c *CLI, ctx context.Context, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "serve [config flags]", "run the platform (migrates first)", (*CLI).serve},
		{"demo", "demo [config flags]", "run in demo mode on ./data/demo.db with Beibei demo data, printing the URL and demo logins", (*CLI).demo},
		{"migrate", "migrate [config flags]", "apply database migrations", (*CLI).migrate},
		{"seed", "seed demo | seed synthetic --enterprises N [--seed S]", "load demo data, or N synthetic enterprises for scale tests", (*CLI).seed},
		{"user", "user create|list|disable|enable|unlock|reset-password|reset-totp …", "manage accounts", (*CLI).user},
		{"import", "import enterprises FILE.xlsx|FILE.csv | import matters FILE.xlsx", "bulk-import enterprise profiles or the matter catalogue with a per-row report", (*CLI).importCmd},
		{"export", "export enterprises FILE.xlsx [--region CODE] [--industry CODE] [--size S] [--tag T] | export matters FILE.xlsx", "export enterprise profiles or the matter catalogue to XLSX", (*CLI).exportCmd},
		{"calendar", "calendar years | calendar load FILE.json | calendar deadline YYYY-MM-DD N", "list, load (State Council schedule in holiday-cn JSON) or use the working-day calendar", (*CLI).calendarCmd},
		{"audit", "audit verify", "verify the audit hash chain; exits 1 and names the first broken record", (*CLI).auditCmd},
		{"backup", "backup FILE", "write a consistent, portable backup of the database", (*CLI).backup},
		{"restore", "restore FILE", "restore a backup into an empty database", (*CLI).restore},
		{"config", "config [config flags]", "print the effective configuration (secrets redacted)", (*CLI).showConfig},
		{"version", "version", "print the version", (*CLI).version},
	}
}

// Run executes args (without the program name) and returns the exit code.
func (c *CLI) Run(ctx context.Context, args []string) int {
	if c.Getenv == nil {
		c.Getenv = os.Getenv
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		c.usage(c.Stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, cmd := range commands() {
		if cmd.name == args[0] {
			err := cmd.run(c, ctx, args[1:])
			switch {
			case err == nil:
				return 0
			case errors.Is(err, flag.ErrHelp):
				return 0
			case errors.Is(err, errUsage):
				fmt.Fprintf(c.Stderr, "usage: qinqing %s\n", cmd.usage)
				return 2
			}
			fmt.Fprintf(c.Stderr, "qinqing %s: %s\n", cmd.name, describe(err))
			return 1
		}
	}
	fmt.Fprintf(c.Stderr, "qinqing: unknown command %q\n\n", args[0])
	c.usage(c.Stderr)
	return 2
}

var errUsage = errors.New("usage")

// describe renders an error for a terminal, with field details.
func describe(err error) string {
	var e *errs.Error
	if errors.As(err, &e) {
		s := e.Msg.Zh + " / " + e.Msg.En
		keys := make([]string, 0, len(e.Fields))
		for k := range e.Fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			s += fmt.Sprintf("\n  %s: %s / %s", k, e.Fields[k].Zh, e.Fields[k].En)
		}
		return s
	}
	return err.Error()
}

func (c *CLI) usage(w io.Writer) {
	fmt.Fprintln(w, "qinqing — 亲清 private-enterprise service platform")
	fmt.Fprintln(w, "\nUsage: qinqing COMMAND [arguments]\n\nCommands:")
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, cmd := range commands() {
		fmt.Fprintf(tw, "  %s\t%s\n", cmd.name, cmd.help)
	}
	tw.Flush()
	fmt.Fprintln(w, "\nEvery command accepts the configuration flags (or QINQING_* variables); `qinqing COMMAND --help` lists them.")
}

// flags returns a flag set for a command that also accepts every
// configuration flag; load turns the parsed set into a Config.
func (c *CLI) flags(name, usage string) (*flag.FlagSet, func() (config.Config, error)) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(c.Stderr)
	cfgVals := map[string]*string{}
	for _, o := range config.Options {
		cfgVals[o.Flag] = fs.String(o.Flag, "", o.Env+": "+o.Help)
	}
	fs.Usage = func() {
		fmt.Fprintf(c.Stderr, "usage: qinqing %s\n\nFlags:\n", usage)
		fs.PrintDefaults()
	}
	load := func() (config.Config, error) {
		var args []string
		for k, v := range cfgVals {
			if *v != "" {
				args = append(args, "--"+k, *v)
			}
		}
		return config.Load(c.Getenv, args)
	}
	return fs, load
}

// open loads config and opens a Main for a command.
func (c *CLI) open(ctx context.Context, load func() (config.Config, error)) (*Main, error) {
	cfg, err := load()
	if err != nil {
		return nil, err
	}
	m := New(cfg, c.Stderr)
	if err := m.Open(ctx); err != nil {
		return nil, err
	}
	return m, nil
}

func (c *CLI) serve(ctx context.Context, args []string) error {
	fs, load := c.flags("serve", "serve [config flags]")
	if err := fs.Parse(args); err != nil {
		return err
	}
	m, err := c.open(ctx, load)
	if err != nil {
		return err
	}
	defer m.Close()
	return c.run(ctx, m)
}

func (c *CLI) run(ctx context.Context, m *Main) error {
	if !m.Config.Demo {
		var n int
		if err := m.DB.QueryRowContext(ctx, "SELECT count(*) FROM accounts WHERE demo = TRUE").Scan(&n); err == nil && n > 0 {
			m.Log.Warn("this database holds demo accounts; they cannot sign in outside demo mode", "count", n)
		}
	}
	if err := m.Listen(); err != nil {
		return err
	}
	m.Log.Info("listening", "url", m.URL(), "database", m.DB.URL(), "demo", m.Config.Demo, "mfa", m.Config.MFA)
	if c.Started != nil {
		c.Started(m)
	}
	return m.Serve(ctx)
}

func (c *CLI) demo(ctx context.Context, args []string) error {
	fs, load := c.flags("demo", "demo [config flags]")
	if err := fs.Parse(args); err != nil {
		return err
	}
	base := c.Getenv
	c.Getenv = func(k string) string {
		if k == "QINQING_DEMO" {
			return "true"
		}
		return base(k)
	}
	defer func() { c.Getenv = base }()
	demoLoad := func() (config.Config, error) {
		cfg, err := load()
		// The demo keeps its own database beside a real one in the same data
		// directory, unless a database is named explicitly.
		if err == nil && cfg.DatabaseURL == "sqlite://"+filepath.Join(cfg.DataDir, "qinqing.db") {
			cfg.DatabaseURL = "sqlite://" + filepath.Join(cfg.DataDir, "demo.db")
		}
		return cfg, err
	}
	m, err := c.open(ctx, demoLoad)
	if err != nil {
		return err
	}
	defer m.Close()
	start := time.Now()
	fmt.Fprintln(c.Stderr, "preparing Beibei demo data (first start takes a little longer)…")
	if err := m.seedDemo(systemCtx(ctx, "seed"), c.stepProgress()); err != nil {
		return fmt.Errorf("demo data: %w", err)
	}
	fmt.Fprintf(c.Stderr, "\rdemo data ready in %s%s\n", time.Since(start).Round(time.Millisecond), strings.Repeat(" ", 30))
	for _, a := range seed.DemoAccounts() {
		m.DemoLogins = append(m.DemoLogins, web.DemoLogin{Role: a.Role, Username: a.Username, Password: a.Password})
	}
	started := c.Started
	c.Started = func(m *Main) {
		c.printDemo(m)
		if started != nil {
			started(m)
		}
	}
	defer func() { c.Started = started }()
	return c.run(ctx, m)
}

func (c *CLI) printDemo(m *Main) {
	w := c.Stdout
	fmt.Fprintf(w, "\n亲清 demo is running at %s\n", m.URL())
	fmt.Fprintf(w, "Database: %s (demo mode: MFA off, demo accounts enabled)\n\n", m.DB.URL())
	fmt.Fprintln(w, "Demo logins:")
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  USERNAME\tPASSWORD\tROLE")
	for _, a := range m.DemoLogins {
		// The Chinese label goes last: tabwriter aligns by characters, not
		// by display width.
		fmt.Fprintf(tw, "  %s\t%s\t%s %s\n", a.Username, a.Password, a.Role, a.Role.Label().Zh)
	}
	tw.Flush()
	fmt.Fprintln(w, "\nPress Ctrl+C to stop.")
}

func (c *CLI) migrate(ctx context.Context, args []string) error {
	fs, load := c.flags("migrate", "migrate [config flags]")
	if err := fs.Parse(args); err != nil {
		return err
	}
	m, err := c.open(ctx, load)
	if err != nil {
		return err
	}
	defer m.Close()
	v, err := m.DB.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.Stdout, "database %s is at schema version %d\n", m.DB.URL(), v)
	return nil
}

// stepProgress prints "step done/total" on one terminal line.
func (c *CLI) stepProgress() func(step string, done, total int) {
	return func(step string, done, total int) {
		fmt.Fprintf(c.Stderr, "\r  %-28s %d/%d   ", step, done, total)
	}
}

// countProgress prints a percentage with a rate and ETA.
func (c *CLI) countProgress(label string) func(done, total int) {
	start := time.Now()
	return func(done, total int) {
		el := time.Since(start)
		rate := float64(done) / max(el.Seconds(), 0.001)
		eta := ""
		if done > 0 && total > done {
			eta = fmt.Sprintf(", ~%s left", time.Duration(float64(total-done)/rate*float64(time.Second)).Round(time.Second))
		}
		pct := 100.0
		if total > 0 {
			pct = float64(done) * 100 / float64(total)
		}
		fmt.Fprintf(c.Stderr, "\r%s %5.1f%% (%d/%d, %.0f/s%s)   ", label, pct, done, total, rate, eta)
	}
}

func (c *CLI) seed(ctx context.Context, args []string) error {
	if len(args) == 0 || (args[0] != "demo" && args[0] != "synthetic") {
		return errUsage
	}
	kind := args[0]
	fs, load := c.flags("seed "+kind, "seed demo | seed synthetic --enterprises N [--seed S]")
	n := fs.Int("enterprises", 10000, "number of synthetic enterprises")
	seedVal := fs.Uint64("seed", 42, "random seed (same seed, same data)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	m, err := c.open(ctx, load)
	if err != nil {
		return err
	}
	defer m.Close()
	sctx := systemCtx(ctx, "seed")
	start := time.Now()
	if kind == "demo" {
		if err := m.seedDemo(sctx, c.stepProgress()); err != nil {
			return err
		}
		fmt.Fprintf(c.Stderr, "\n")
		fmt.Fprintf(c.Stdout, "demo data loaded in %s; demo accounts sign in only when serving with QINQING_DEMO=true\n", time.Since(start).Round(time.Millisecond))
		return nil
	}
	if *n <= 0 {
		return fmt.Errorf("--enterprises must be positive")
	}
	if err := seed.Synthetic(sctx, m.DB, *n, *seedVal, c.countProgress("synthetic enterprises")); err != nil {
		return err
	}
	el := time.Since(start)
	fmt.Fprintf(c.Stderr, "\n")
	fmt.Fprintf(c.Stdout, "%d synthetic enterprises written to %s in %s (%.0f rows/s)\n", *n, m.DB.URL(), el.Round(time.Millisecond), float64(*n)/el.Seconds())
	return nil
}

func (c *CLI) user(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return errUsage
	}
	sub := args[0]
	fs, load := c.flags("user "+sub, "user create --username U --role R [--enterprise CREDIT_CODE] [--department CODE] [--institution CODE] [--display-name NAME] --password-stdin\n       qinqing user list [--role R]\n       qinqing user disable|enable|unlock|reset-totp USERNAME\n       qinqing user reset-password USERNAME --password-stdin")
	username := fs.String("username", "", "login name")
	role := fs.String("role", "", "one of: "+rolesList())
	entCode := fs.String("enterprise", "", "credit code of the enterprise (role enterprise)")
	dept := fs.String("department", "", "department code (role reviewer)")
	inst := fs.String("institution", "", "institution code (role bank_staff)")
	display := fs.String("display-name", "", "name shown in the interface")
	pwStdin := fs.Bool("password-stdin", false, "read the password from standard input")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	readPassword := func() (string, error) {
		if !*pwStdin {
			return "", fmt.Errorf("pass the password on standard input with --password-stdin (never as an argument)")
		}
		line, err := bufio.NewReader(c.Stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", err
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	m, err := c.open(ctx, load)
	if err != nil {
		return err
	}
	defer m.Close()
	sctx := systemCtx(ctx, "cli")
	target := fs.Arg(0)
	switch sub {
	case "create":
		pw, err := readPassword()
		if err != nil {
			return err
		}
		in := auth.NewAccount{Username: *username, DisplayName: *display, Role: identity.Role(*role), DepartmentCode: *dept, InstitutionCode: *inst, Password: pw}
		if *entCode != "" {
			e, err := m.Enterprise.GetByCreditCode(sctx, *entCode)
			if err != nil {
				return fmt.Errorf("enterprise %s: %s", *entCode, describe(err))
			}
			in.EnterpriseID = e.ID
		}
		a, err := m.Auth.CreateAccount(sctx, in)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.Stdout, "created account %s (%s)\n", a.Username, a.Role)
		if a.Role.IsStaff() && m.Config.MFA != config.MFAOff {
			fmt.Fprintln(c.Stdout, "staff accounts set up an authenticator app at their first web sign-in")
		}
	case "list":
		accts, err := m.Auth.ListAccounts(sctx, identity.Role(*role))
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(c.Stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "USERNAME\tROLE\tBOUND TO\tSTATUS\tMFA\tCREATED")
		now := time.Now()
		for _, a := range accts {
			status := "active"
			switch {
			case a.Disabled:
				status = "disabled"
			case a.Locked(now):
				status = "locked until " + a.LockedUntil.Local().Format("15:04")
			}
			if a.Demo {
				status += " (demo)"
			}
			bound := a.DepartmentCode + a.InstitutionCode
			if a.EnterpriseID != 0 {
				bound = fmt.Sprintf("enterprise #%d", a.EnterpriseID)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%v\t%s\n", a.Username, a.Role, bound, status, a.TOTPEnabled, a.CreatedAt.Local().Format(time.DateOnly))
		}
		return tw.Flush()
	case "disable", "enable", "unlock", "reset-totp":
		if target == "" {
			return errUsage
		}
		fn := map[string]func(context.Context, string) error{"disable": m.Auth.DisableAccount, "enable": m.Auth.EnableAccount,
			"unlock": m.Auth.UnlockAccount, "reset-totp": m.Auth.ResetTOTP}[sub]
		if err := fn(sctx, target); err != nil {
			return err
		}
		fmt.Fprintf(c.Stdout, "%s: done for %s\n", sub, target)
	case "reset-password":
		if target == "" {
			return errUsage
		}
		pw, err := readPassword()
		if err != nil {
			return err
		}
		if err := m.Auth.ResetPassword(sctx, target, pw); err != nil {
			return err
		}
		fmt.Fprintf(c.Stdout, "password reset for %s; it must be changed at the next sign-in and every session has ended\n", target)
	default:
		return errUsage
	}
	return nil
}

func rolesList() string {
	var s []string
	for _, r := range identity.Roles {
		s = append(s, string(r))
	}
	return strings.Join(s, ", ")
}

func (c *CLI) importCmd(ctx context.Context, args []string) error {
	if len(args) >= 2 && args[0] == "matters" {
		return c.importMatters(ctx, args)
	}
	if len(args) < 2 || args[0] != "enterprises" {
		return errUsage
	}
	fs, load := c.flags("import enterprises", "import enterprises FILE.xlsx|FILE.csv")
	if err := fs.Parse(args[2:]); err != nil {
		return err
	}
	data, err := os.ReadFile(args[1])
	if err != nil {
		return err
	}
	format, err := enterprise.DetectFormat(filepath.Base(args[1]), data[:min(len(data), 512)])
	if err != nil {
		return err
	}
	m, err := c.open(ctx, load)
	if err != nil {
		return err
	}
	defer m.Close()
	start := time.Now()
	rep, err := m.Enterprise.Import(systemCtx(ctx, "cli"), strings.NewReader(string(data)), format, c.countProgress("importing"))
	fmt.Fprintln(c.Stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.Stdout, "%d rows in %s: %d created, %d updated, %d failed\n", rep.Total, time.Since(start).Round(time.Millisecond), rep.Created, rep.Updated, rep.Failed)
	for _, w := range rep.Warnings {
		fmt.Fprintf(c.Stdout, "warning: %s\n", w.Zh)
	}
	tw := tabwriter.NewWriter(c.Stdout, 2, 4, 2, ' ', 0)
	if len(rep.Errors) > 0 {
		fmt.Fprintln(tw, "ROW\tFIELD\tPROBLEM")
	}
	for _, e := range rep.Errors {
		fmt.Fprintf(tw, "%d\t%s\t%s / %s\n", e.Row, e.Field, e.Msg.Zh, e.Msg.En)
	}
	tw.Flush()
	if rep.Failed > 0 {
		return fmt.Errorf("%d rows were not imported (listed above); the other rows were", rep.Failed)
	}
	return nil
}

func (c *CLI) exportCmd(ctx context.Context, args []string) error {
	if len(args) >= 2 && args[0] == "matters" {
		return c.exportMatters(ctx, args)
	}
	if len(args) < 2 || args[0] != "enterprises" {
		return errUsage
	}
	fs, load := c.flags("export enterprises", "export enterprises FILE.xlsx [--region CODE] [--industry CODE] [--size S] [--tag T]")
	var f enterprise.Filter
	fs.StringVar(&f.Region, "region", "", "district or street code")
	fs.StringVar(&f.Industry, "industry", "", "GB/T 4754 code at any level")
	fs.StringVar(&f.Size, "size", "", "large|medium|small|micro|unknown")
	fs.StringVar(&f.Tag, "tag", "", "tag code")
	if err := fs.Parse(args[2:]); err != nil {
		return err
	}
	m, err := c.open(ctx, load)
	if err != nil {
		return err
	}
	defer m.Close()
	tmp := args[1] + ".partial"
	out, err := os.Create(tmp)
	if err != nil {
		return err
	}
	n, err := m.Enterprise.Export(systemCtx(ctx, "cli"), out, f, c.countProgress("exporting"))
	fmt.Fprintln(c.Stderr)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, args[1]); err != nil {
		return err
	}
	fmt.Fprintf(c.Stdout, "%d enterprises written to %s\n", n, args[1])
	return nil
}

func (c *CLI) auditCmd(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "verify" {
		return errUsage
	}
	fs, load := c.flags("audit verify", "audit verify [config flags]")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	m, err := c.open(ctx, load)
	if err != nil {
		return err
	}
	defer m.Close()
	rep, err := audit.Verify(ctx, m.DB, func(n int64) { fmt.Fprintf(c.Stderr, "\rverified %d records…", n) })
	if err != nil {
		return err
	}
	fmt.Fprintln(c.Stdout, rep.String())
	if !rep.OK {
		return fmt.Errorf("audit chain broken at record %d", rep.BrokenID)
	}
	return nil
}

func (c *CLI) backup(ctx context.Context, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return errUsage
	}
	fs, load := c.flags("backup", "backup FILE [config flags]")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	m, err := c.open(ctx, load)
	if err != nil {
		return err
	}
	defer m.Close()
	tmp := args[0] + ".partial"
	out, err := os.OpenFile(tmp, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	info, err := m.DB.Backup(ctx, out, func(table string, rows int64) { fmt.Fprintf(c.Stderr, "\r  %-24s %d rows   ", table, rows) })
	fmt.Fprintln(c.Stderr)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, args[0]); err != nil {
		return err
	}
	var rows int64
	for _, t := range info.Tables {
		rows += t.Rows
	}
	fmt.Fprintf(c.Stdout, "backup of %s (schema %d): %d tables, %d rows → %s\n", m.DB.URL(), info.SchemaVersion, len(info.Tables), rows, args[0])
	_ = audit.WriteAlone(systemCtx(ctx, "cli"), m.DB, audit.Event{Action: "db.backup", ObjectType: "database", ObjectID: filepath.Base(args[0]), Detail: map[string]any{"rows": rows}})
	return nil
}

func (c *CLI) restore(ctx context.Context, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return errUsage
	}
	fs, load := c.flags("restore", "restore FILE [config flags]")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	in, err := os.Open(args[0])
	if err != nil {
		return err
	}
	defer in.Close()
	cfg, err := load()
	if err != nil {
		return err
	}
	// Only migrate: the target must stay empty for the restore, so none of
	// the start-up defaults (tag vocabulary) are written.
	d, err := db.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer d.Close()
	if _, err := d.Migrate(ctx); err != nil {
		return err
	}
	info, err := d.Restore(ctx, in, func(table string, rows int64) { fmt.Fprintf(c.Stderr, "\r  %-24s %d rows   ", table, rows) })
	fmt.Fprintln(c.Stderr)
	if err != nil {
		return err
	}
	rep, err := audit.Verify(ctx, d, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.Stdout, "restored %s (from %s, %s) into %s; %s\n", args[0], info.Dialect, info.CreatedAt.Local().Format(time.DateTime), d.URL(), rep)
	if !rep.OK {
		return fmt.Errorf("the restored audit chain is broken at record %d", rep.BrokenID)
	}
	return nil
}

func (c *CLI) showConfig(ctx context.Context, args []string) error {
	fs, load := c.flags("config", "config [config flags]")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := load()
	if err != nil {
		return err
	}
	fmt.Fprint(c.Stdout, cfg.Dump())
	return nil
}

func (c *CLI) version(ctx context.Context, args []string) error {
	fmt.Fprintf(c.Stdout, "qinqing %s\n", Version)
	return nil
}
