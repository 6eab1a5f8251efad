// Package ratelimit counts failures per key (a client IP) in a sliding
// window, for the places where one address must not be able to guess at
// will: passwords (spraying across accounts, each of which also locks on
// its own) and the query codes of the public case-progress lookup; and
// counts every attempt where each one costs others something (an objection
// to a 公示 puts a payment on hold).
//
// Counts live in the process: each node limits on its own. Limits that must
// hold across nodes (the per-account lockout) live in the database.
package ratelimit

import (
	"sync"
	"time"
)

// maxKeys bounds memory under a flood of distinct addresses: past it, a
// failure first drops every key whose window has emptied.
const maxKeys = 100_000

// Failures counts failures per key in a sliding window.
type Failures struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	fails  map[string][]time.Time
}

// NewFailures blocks a key once it has max failures within window.
func NewFailures(max int, window time.Duration) *Failures {
	return &Failures{max: max, window: window, fails: make(map[string][]time.Time)}
}

// Blocked reports whether key has reached the limit at now.
func (l *Failures) Blocked(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.prune(key, now)) >= l.max
}

// Take records an attempt of key at now unless key has already reached the
// limit, and reports whether it was recorded. It is for limits on every
// attempt, not only failed ones (objections to a 公示): checking and
// recording under one lock keeps a burst of concurrent requests from all
// passing a Blocked check before any of them is counted.
func (l *Failures) Take(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	ts := l.prune(key, now)
	if len(ts) >= l.max {
		return false
	}
	l.fails[key] = append(ts, now)
	if len(l.fails) > maxKeys {
		for k := range l.fails {
			l.prune(k, now)
		}
	}
	return true
}

// Fail records a failure of key at now.
func (l *Failures) Fail(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.fails[key] = append(l.prune(key, now), now)
	if len(l.fails) > maxKeys {
		for k := range l.fails {
			l.prune(k, now)
		}
	}
}

// prune drops key's failures older than the window and returns the rest.
func (l *Failures) prune(key string, now time.Time) []time.Time {
	ts := l.fails[key]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= l.window {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(l.fails, key)
		return nil
	}
	l.fails[key] = ts
	return ts
}
