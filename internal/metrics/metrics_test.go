package metrics

import (
	"strings"
	"testing"
)

func TestExposition(t *testing.T) {
	r := NewRegistry()
	c := r.Counter("http_requests_total", "Requests.", "method", "code")
	c.Inc("GET", "200")
	c.Inc("GET", "200")
	c.Inc("POST", "4\"2\n2")
	h := r.Histogram("http_request_duration_seconds", "Latency.", []float64{0.1, 1}, "route")
	h.Observe(0.05, "/a")
	h.Observe(0.5, "/a")
	h.Observe(5, "/a")
	var b strings.Builder
	r.Write(&b)
	out := b.String()
	for _, want := range []string{
		"# TYPE http_requests_total counter",
		`http_requests_total{method="GET",code="200"} 2`,
		`http_requests_total{method="POST",code="4\"2\n2"} 1`,
		`http_request_duration_seconds_bucket{route="/a",le="0.1"} 1`,
		`http_request_duration_seconds_bucket{route="/a",le="1"} 2`,
		`http_request_duration_seconds_bucket{route="/a",le="+Inf"} 3`,
		`http_request_duration_seconds_sum{route="/a"} 5.55`,
		`http_request_duration_seconds_count{route="/a"} 3`,
		"# TYPE go_goroutines gauge",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("exposition lacks %q:\n%s", want, out)
		}
	}
	if c.Value("GET", "200") != 2 {
		t.Error("Value is wrong")
	}
}
