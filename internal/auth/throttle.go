package auth

import (
	"errors"
	"strings"
	"sync"
	"time"
)

// ErrThrottled means too many wrong passwords for this user name: sign-in is refused
// for a while, even with the right password, so a password cannot be guessed online.
var ErrThrottled = errors.New("too many failed sign-ins")

// throttle counts failed sign-ins per user name in a sliding window. It lives in one
// server process; behind several processes each keeps its own count.
type throttle struct {
	mu       sync.Mutex
	failures map[string][]time.Time
	limit    int
	window   time.Duration
}

func newThrottle(limit int, window time.Duration) *throttle {
	return &throttle{failures: map[string][]time.Time{}, limit: limit, window: window}
}

// blocked reports whether username has used up its failures at now.
func (t *throttle) blocked(username string, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.recent(strings.ToLower(username), now)) >= t.limit
}

// fail records a failed sign-in.
func (t *throttle) fail(username string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	key := strings.ToLower(username)
	t.failures[key] = append(t.recent(key, now), now)
}

// succeed clears the count after a good sign-in.
func (t *throttle) succeed(username string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.failures, strings.ToLower(username))
}

// recent drops failures older than the window (callers hold mu).
func (t *throttle) recent(key string, now time.Time) []time.Time {
	kept := t.failures[key][:0]
	for _, at := range t.failures[key] {
		if now.Sub(at) < t.window {
			kept = append(kept, at)
		}
	}
	if len(kept) == 0 {
		delete(t.failures, key)
		return nil
	}
	t.failures[key] = kept
	return kept
}
