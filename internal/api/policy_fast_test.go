package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
)

// TestFastApplicationsThroughTheAPI: an application for a 快申快享 policy
// carries its mode and the fast limit, and the endpoint refuses an amount
// other than the computed one as the service does.
func TestFastApplicationsThroughTheAPI(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, d db.Dialect) {
		w := newPolicyWorld(t, d)
		// The 上市奖励 on the fast track: the listing is on file, the
		// licence comes from the registry, nothing is asked.
		def := w.def("bb-ssjl-2025", map[string]any{"code": "bb-ssjl-fast-2026", "mode": "fast",
			"materials": []map[string]any{{"name": "营业执照", "required": true, "source": "profile"}}})
		r := w.srv.Do("POST", "/api/v1/policies", w.off1, def, nil)
		if r.Status != http.StatusCreated {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		}
		var p struct{ ID int64 }
		r.JSON(t, &p)
		if r = w.srv.Do("POST", fmt.Sprintf("/api/v1/policies/%d/publish", p.ID), w.off1, map[string]string{"effective_from": "2026-01-01"},
			map[string]string{"If-Match": r.Header.Get("ETag")}); r.Status != http.StatusOK {
			t.Fatalf("publish: %d %s", r.Status, r.Body)
		}

		required := w.def("bb-ssjl-2025", map[string]any{"code": "bb-ssjl-fast-bad", "mode": "fast"})
		if r := w.srv.Do("POST", "/api/v1/policies", w.off1, required, nil); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `"materials[0].source"`) {
			t.Errorf("a fast policy requiring the applicant's materials: %d %s", r.Status, r.Body)
		}

		r = w.srv.Do("POST", "/api/v1/policy-applications", w.ownerA, map[string]any{"policy_id": p.ID, "requested_yuan": 1_000_000}, nil)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `"requested_yuan"`) || !strings.Contains(r.Body, "快申快享按政策核定金额兑现") {
			t.Errorf("a fast application for less than the computed amount: %d %s", r.Status, r.Body)
		}
		r = w.srv.Do("POST", "/api/v1/policy-applications", w.ownerA, map[string]any{"policy_id": p.ID}, nil)
		if r.Status != http.StatusCreated {
			t.Fatalf("apply: %d %s", r.Status, r.Body)
		}
		var a struct {
			ID            int64   `json:"id"`
			Mode          string  `json:"mode"`
			RequestedYuan float64 `json:"requested_yuan"`
			TimeLimitDays int     `json:"time_limit_days"`
			DueOn         string  `json:"due_on"`
		}
		r.JSON(t, &a)
		// Monday 15 June 2026 plus three working days.
		if a.Mode != "fast" || a.RequestedYuan != 3_000_000 || a.TimeLimitDays != 3 || a.DueOn != "2026-06-18" {
			t.Errorf("the application: %+v", a)
		}
		r = w.srv.Do("GET", "/api/v1/policy-applications?queue=true", w.off1, nil, nil)
		if r.Status != http.StatusOK || !strings.Contains(r.Body, `"mode":"fast"`) {
			t.Errorf("the queue does not carry the mode: %d %s", r.Status, r.Body)
		}
	})
}
