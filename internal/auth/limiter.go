package auth

import (
	"sync"
	"time"
)

// ipLimiter counts failed logins per client IP in a sliding window, so that
// one address cannot try many accounts (password spraying) even though each
// account locks on its own. It is per node; the per-account lockout, which
// lives in the database, holds across nodes.
type ipLimiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	fails  map[string][]time.Time
}

func newIPLimiter(max int, window time.Duration) *ipLimiter {
	return &ipLimiter{max: max, window: window, fails: make(map[string][]time.Time)}
}

// blocked reports whether ip has reached the failure limit at now.
func (l *ipLimiter) blocked(ip string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.prune(ip, now)) >= l.max
}

func (l *ipLimiter) fail(ip string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.fails[ip] = append(l.prune(ip, now), now)
	if len(l.fails) > 100_000 { // bound memory under a flood of addresses
		for k := range l.fails {
			if len(l.prune(k, now)) == 0 {
				delete(l.fails, k)
			}
		}
	}
}

func (l *ipLimiter) prune(ip string, now time.Time) []time.Time {
	ts := l.fails[ip]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= l.window {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(l.fails, ip)
		return nil
	}
	l.fails[ip] = ts
	return ts
}
