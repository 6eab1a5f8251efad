package ratelimit

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

func TestFailuresSlideTheirWindow(t *testing.T) {
	l := NewFailures(3, time.Minute)
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for i := range 3 {
		if l.Blocked("10.0.0.1", t0) {
			t.Fatalf("blocked after %d failures", i)
		}
		l.Fail("10.0.0.1", t0.Add(time.Duration(i)*time.Second))
	}
	if !l.Blocked("10.0.0.1", t0.Add(3*time.Second)) {
		t.Error("not blocked at the limit")
	}
	if l.Blocked("10.0.0.2", t0) {
		t.Error("another address is blocked")
	}
	// The first failure leaves the window after 60 s: one slot frees.
	if l.Blocked("10.0.0.1", t0.Add(61*time.Second)) {
		t.Error("still blocked after the oldest failure left the window")
	}
}

func TestFailuresForgetEmptyKeysUnderAFlood(t *testing.T) {
	l := NewFailures(5, time.Minute)
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for i := range maxKeys {
		l.Fail(fmt.Sprint("a", i), t0)
	}
	l.Fail("late", t0.Add(2*time.Minute))
	if n := len(l.fails); n != 1 {
		t.Errorf("%d keys kept after their windows emptied, want 1", n)
	}
}

func TestFailuresAreSafeForConcurrentUse(t *testing.T) {
	l := NewFailures(1000, time.Minute)
	now := time.Now()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for range 100 {
				l.Fail(fmt.Sprint("ip", g%2), now)
				l.Blocked("ip0", now)
			}
		})
	}
	wg.Wait()
	if got := len(l.fails["ip0"]) + len(l.fails["ip1"]); got != 800 {
		t.Errorf("%d failures recorded, want 800", got)
	}
}

func TestTakeLetsExactlyTheLimitThroughABurst(t *testing.T) {
	l := NewFailures(5, time.Hour)
	now := time.Date(2026, 6, 15, 9, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	taken := make(chan bool, 100)
	for range 100 {
		wg.Go(func() { taken <- l.Take("10.0.0.1", now) })
	}
	wg.Wait()
	close(taken)
	n := 0
	for ok := range taken {
		if ok {
			n++
		}
	}
	if n != 5 {
		t.Errorf("%d of 100 concurrent attempts taken, want 5", n)
	}
	if !l.Blocked("10.0.0.1", now) || l.Take("10.0.0.1", now.Add(59*time.Minute)) {
		t.Error("the address is not held at its limit within the hour")
	}
	if !l.Take("10.0.0.2", now) {
		t.Error("another address is refused")
	}
	if !l.Take("10.0.0.1", now.Add(time.Hour)) {
		t.Error("refused after the first attempts left the window")
	}
}
