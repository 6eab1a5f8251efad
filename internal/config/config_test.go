package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	c := Defaults()
	if c.DatabaseURL != "sqlite://data/qinqing.db" || c.Addr != "127.0.0.1:8080" || c.MFA != MFAStaff || !c.CookieSecure {
		t.Errorf("defaults = %+v", c)
	}
}

func TestDemoTurnsMFAOffAndAllowsPlainCookies(t *testing.T) {
	c, err := Load(env(map[string]string{"QINQING_DEMO": "true"}), nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.MFA != MFAOff || c.CookieSecure {
		t.Errorf("demo config = %+v", c)
	}
	c, _ = Load(env(map[string]string{"QINQING_DEMO": "true", "QINQING_MFA": "all"}), nil)
	if c.MFA != MFAAll {
		t.Error("an explicit MFA setting lost to demo mode")
	}
}

func TestFlagsOverrideEnvironment(t *testing.T) {
	c, err := Load(env(map[string]string{"QINQING_ADDR": "127.0.0.1:1"}), []string{"--addr", "127.0.0.1:9090", "--database-url", "postgres://u:secret@db/qinqing"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9090" {
		t.Errorf("addr = %s", c.Addr)
	}
	if d := c.Dump(); strings.Contains(d, "secret") || !strings.Contains(d, "postgres://u:xxxxx@db/qinqing") {
		t.Errorf("dump leaks or loses the database URL:\n%s", d)
	}
}

func TestEveryProblemIsReportedAtOnce(t *testing.T) {
	_, err := Load(env(map[string]string{
		"QINQING_MFA": "sometimes", "QINQING_ADDR": "nonsense", "QINQING_DATABASE_URL": "mysql://x",
		"QINQING_DATA_KEY": "short", "QINQING_TRUSTED_PROXIES": "10.0.0.0/99",
	}), nil)
	if err == nil {
		t.Fatal("invalid configuration accepted")
	}
	for _, want := range []string{"QINQING_MFA", "QINQING_ADDR", "QINQING_DATABASE_URL", "QINQING_DATA_KEY", "QINQING_TRUSTED_PROXIES"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %s:\n%v", want, err)
		}
	}
}

func TestSecretsFromFiles(t *testing.T) {
	f := filepath.Join(t.TempDir(), "key")
	os.WriteFile(f, []byte("a-very-long-data-key\n"), 0o600)
	c, err := Load(env(map[string]string{"QINQING_DATA_KEY_FILE": f}), nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.DataKey != "a-very-long-data-key" {
		t.Errorf("data key = %q", c.DataKey)
	}
	if strings.Contains(c.Dump(), "a-very-long-data-key") {
		t.Error("the dump shows the data key")
	}
}

func TestPolicySettingsHaveDefaultsAreReadAndChecked(t *testing.T) {
	c := Defaults()
	if c.PolicySecondApprovalFen != 100_000*100 || c.PolicyPublicityDays != 5 || c.PolicyObjectionDays != 15 {
		t.Errorf("defaults: second approval %d fen, publicity %d, objection %d", c.PolicySecondApprovalFen, c.PolicyPublicityDays, c.PolicyObjectionDays)
	}
	c, err := Load(env(map[string]string{"QINQING_POLICY_SECOND_APPROVAL_YUAN": "50000", "QINQING_POLICY_PUBLICITY_DAYS": "7",
		"QINQING_POLICY_OBJECTION_DAYS": "30"}), nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.PolicySecondApprovalFen != 50_000*100 || c.PolicyPublicityDays != 7 || c.PolicyObjectionDays != 30 {
		t.Errorf("read: second approval %d fen, publicity %d, objection %d", c.PolicySecondApprovalFen, c.PolicyPublicityDays, c.PolicyObjectionDays)
	}
	d := c.Dump()
	for _, want := range []string{"QINQING_POLICY_SECOND_APPROVAL_YUAN  50000", "QINQING_POLICY_PUBLICITY_DAYS", "QINQING_POLICY_OBJECTION_DAYS"} {
		if !strings.Contains(d, want) {
			t.Errorf("the dump lacks %q:\n%s", want, d)
		}
	}
	_, err = Load(env(map[string]string{"QINQING_POLICY_SECOND_APPROVAL_YUAN": "0", "QINQING_POLICY_PUBLICITY_DAYS": "31",
		"QINQING_POLICY_OBJECTION_DAYS": "fifteen"}), nil)
	for _, want := range []string{"QINQING_POLICY_SECOND_APPROVAL_YUAN", "QINQING_POLICY_PUBLICITY_DAYS", "QINQING_POLICY_OBJECTION_DAYS"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s not refused: %v", want, err)
		}
	}
}
