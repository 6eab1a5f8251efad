package config

import (
	"strings"
	"testing"
)

func TestPolicyFastDaysHasADefaultIsReadAndChecked(t *testing.T) {
	if c := Defaults(); c.PolicyFastDays != 3 {
		t.Errorf("default fast limit %d working days, want 3", c.PolicyFastDays)
	}
	c, err := Load(env(map[string]string{"QINQING_POLICY_FAST_DAYS": "5"}), nil)
	if err != nil || c.PolicyFastDays != 5 {
		t.Fatalf("QINQING_POLICY_FAST_DAYS=5: %d, %v", c.PolicyFastDays, err)
	}
	if !strings.Contains(c.Dump(), "QINQING_POLICY_FAST_DAYS") {
		t.Error("the dump lacks the fast limit")
	}
	if c, err := Load(env(nil), []string{"--policy-fast-days", "2"}); err != nil || c.PolicyFastDays != 2 {
		t.Errorf("--policy-fast-days 2: %d, %v", c.PolicyFastDays, err)
	}
	for _, bad := range []string{"0", "21", "three"} {
		if _, err := Load(env(map[string]string{"QINQING_POLICY_FAST_DAYS": bad}), nil); err == nil || !strings.Contains(err.Error(), "QINQING_POLICY_FAST_DAYS") {
			t.Errorf("QINQING_POLICY_FAST_DAYS=%s accepted: %v", bad, err)
		}
	}
}
