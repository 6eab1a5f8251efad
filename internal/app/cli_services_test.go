package app_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qinqing/qinqing/internal/calendar"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/matter"
	"github.com/qinqing/qinqing/internal/seed"
)

// TestCalendarCommands lists the embedded years, computes a deadline across
// the 2026 Labour Day break, refuses a year without a schedule, loads that
// year's schedule from a file and then counts in it.
func TestCalendarCommands(t *testing.T) {
	env := testEnv(t, db.SQLite)
	code, out, errOut := cli(t, env, "", "calendar", "years")
	if code != 0 || !strings.Contains(out, "2025") || !strings.Contains(out, "2026") || !strings.Contains(out, "embedded") {
		t.Fatalf("calendar years: %d %q %q", code, out, errOut)
	}
	start, _ := calendar.ParseDate("2026-04-30")
	want, err := calendar.New(calendar.Options{}).AddWorkingDays(start, 3)
	if err != nil {
		t.Fatal(err)
	}
	if code, out, _ := cli(t, env, "", "calendar", "deadline", "2026-04-30", "3"); code != 0 || strings.TrimSpace(out) != want.Date.String() {
		t.Errorf("deadline 2026-04-30 + 3: %d %q, want %s", code, out, want.Date)
	}
	if code, _, errOut := cli(t, env, "", "calendar", "deadline", "2027-03-01", "3"); code != 1 || !strings.Contains(errOut, "2027") {
		t.Errorf("a year without a schedule: exit %d, %q", code, errOut)
	}
	if code, _, _ := cli(t, env, "", "calendar", "deadline", "2026-13-01", "3"); code != 1 {
		t.Errorf("a malformed date: exit %d", code)
	}
	file := filepath.Join(t.TempDir(), "2027.json")
	os.WriteFile(file, []byte(`{"year": 2027, "papers": ["https://www.gov.cn/zhengce/content/2026-11/01/content_0000001.htm"], "days": [
		{"name": "元旦", "date": "2027-01-01", "isOffDay": true}]}`), 0o600)
	if code, out, errOut := cli(t, env, "", "calendar", "load", file); code != 0 || !strings.Contains(out, "loaded 2027") {
		t.Fatalf("calendar load: %d %q %q", code, out, errOut)
	}
	// 2027-03-01 is a Monday; three working days later is Thursday.
	if code, out, errOut := cli(t, env, "", "calendar", "deadline", "2027-03-01", "3"); code != 0 || strings.TrimSpace(out) != "2027-03-04" {
		t.Errorf("after loading 2027: %d %q %q", code, out, errOut)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"year": 2028, "days": [{"name": "x", "date": "2027-05-01", "isOffDay": true}]}`), 0o600)
	if code, _, errOut := cli(t, env, "", "calendar", "load", bad); code != 1 || errOut == "" {
		t.Errorf("a schedule with a date outside its year: exit %d %q", code, errOut)
	}
	if code, _, _ := cli(t, env, "", "calendar", "frobnicate"); code != 2 {
		t.Errorf("an unknown calendar subcommand exits %d, want 2", code)
	}
}

// TestMatterCatalogueCommands exports the demo catalogue and imports the
// file back: nothing changes.
func TestMatterCatalogueCommands(t *testing.T) {
	env := testEnv(t, db.SQLite)
	if code, _, errOut := cli(t, env, "", "migrate"); code != 0 {
		t.Fatal(errOut)
	}
	conn, err := db.Open(context.Background(), env["QINQING_DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	sys := identity.WithPrincipal(context.Background(), identity.System("test"))
	if err := seed.LoadOrgs(sys, conn); err != nil {
		t.Fatal(err)
	}
	if err := matter.EnsureDemo(sys, conn, matter.NewService(conn)); err != nil {
		t.Fatal(err)
	}
	conn.Close()
	file := filepath.Join(t.TempDir(), "事项目录.xlsx")
	if code, out, errOut := cli(t, env, "", "export", "matters", file); code != 0 || !strings.Contains(out, "written") {
		t.Fatalf("export matters: %d %q %q", code, out, errOut)
	}
	code, out, errOut := cli(t, env, "", "import", "matters", file)
	t.Log(strings.TrimSpace(out))
	if code != 0 || !strings.Contains(out, " 0 created, 0 new versions") || !strings.Contains(out, "0 failed") {
		t.Errorf("re-import of an export: %d %q %q", code, out, errOut)
	}
	junk := filepath.Join(t.TempDir(), "junk.xlsx")
	os.WriteFile(junk, []byte("not a workbook"), 0o600)
	if code, _, errOut := cli(t, env, "", "import", "matters", junk); code != 1 || errOut == "" {
		t.Errorf("a file that is not a workbook: exit %d %q", code, errOut)
	}
}
