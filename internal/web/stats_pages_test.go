package web_test

import (
	"strings"
	"testing"
)

// TestStatsPageWithABadPeriod: a month that does not exist is named on the
// page, which still answers with the last six months instead of failing or
// falling back to the whole history.
func TestStatsPageWithABadPeriod(t *testing.T) {
	srv := demoServer(t)
	c := srv.Browser()
	p := get(t, c, srv.URL+"/stats?from=2026-13&to=2026-14")
	if p.status != 200 {
		t.Fatalf("status %d", p.status)
	}
	if !strings.Contains(p.body, "2026-13") {
		t.Error("the page does not keep the period as typed")
	}
	if !strings.Contains(p.body, "审批时限压缩率") {
		t.Error("the page shows no indicators")
	}
	if !strings.Contains(p.body, `class="error`) && !strings.Contains(p.body, `role="alert"`) {
		t.Error("the page shows no error for the bad period")
	}
}
