package uploadlink

import (
	"sync"
	"time"
)

// Limiter counts requests per key in one-minute windows (per link, per address). It
// lives in one process: with several servers each bounds its own share.
type Limiter struct {
	now     func() time.Time
	mu      sync.Mutex
	windows map[string]*window
	swept   time.Time
}

type window struct {
	start time.Time
	n     int
}

// NewLimiter builds a limiter on the given clock.
func NewLimiter(now func() time.Time) *Limiter {
	return &Limiter{now: now, windows: map[string]*window{}}
}

// Allow counts one request for key and says whether it is within max a minute.
func (l *Limiter) Allow(key string, max int) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if now.Sub(l.swept) > time.Minute {
		for k, w := range l.windows {
			if now.Sub(w.start) >= time.Minute {
				delete(l.windows, k)
			}
		}
		l.swept = now
	}
	w := l.windows[key]
	if w == nil || now.Sub(w.start) >= time.Minute {
		w = &window{start: now}
		l.windows[key] = w
	}
	w.n++
	return w.n <= max
}
