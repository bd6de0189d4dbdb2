package auth

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// ErrThrottled means sign-in attempts come too fast for this user name from this
// address (or from this address overall): the client must wait (see ThrottledError)
// before the password is checked again. It never locks anyone out for long.
var ErrThrottled = errors.New("too many failed sign-ins")

// ThrottledError says how long to wait; errors.Is(err, ErrThrottled) holds.
type ThrottledError struct{ RetryAfter time.Duration }

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("too many failed sign-ins: retry in %s", e.RetryAfter)
}

// Is makes errors.Is(err, ErrThrottled) true.
func (e *ThrottledError) Is(target error) bool { return target == ErrThrottled }

// ThrottleOpts tune the sign-in throttle; zero fields take the defaults.
type ThrottleOpts struct {
	// PairFailures wrong passwords for one user name from one address are free
	// within Window (default 5); after that each attempt waits BaseDelay, doubled per
	// further failure up to MaxDelay (1 s, 2 s, 4 s ... 1 min).
	PairFailures int
	// AddressFailures is the same budget for all names from one address (default 30),
	// against one address trying many names.
	AddressFailures int
	Window          time.Duration // failures older than this are forgotten (15 min)
	BaseDelay       time.Duration // 1 s
	MaxDelay        time.Duration // 1 min
	// MaxEntries bounds the memory: at most this many (name, address) and address
	// records are kept (default 10,000, about 2 MB); when full, expired records go
	// first, then the least recently used.
	MaxEntries int
}

func (o ThrottleOpts) withDefaults() ThrottleOpts {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	defD := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&o.PairFailures, 5)
	def(&o.AddressFailures, 30)
	def(&o.MaxEntries, 10_000)
	defD(&o.Window, 15*time.Minute)
	defD(&o.BaseDelay, time.Second)
	defD(&o.MaxDelay, time.Minute)
	return o
}

// throttle counts sign-in attempts per (user name, client address) and per address.
// An attempt is counted when it is let through, before its password is checked, so
// that parallel guesses cannot all pass one check (check and count are one step
// under the lock); a good password then takes its count back. It lives in one server
// process; behind several processes each keeps its own count.
type throttle struct {
	mu      sync.Mutex
	o       ThrottleOpts
	entries map[string]*throttleEntry
}

type throttleEntry struct {
	failures int
	last     time.Time
}

func newThrottle(o ThrottleOpts) *throttle {
	return &throttle{o: o.withDefaults(), entries: map[string]*throttleEntry{}}
}

// maxKeyName bounds the user name kept in a key: real names are at most 32 bytes.
const maxKeyName = 64

func pairKey(username, addr string) string {
	name := strings.ToLower(username)
	if len(name) > maxKeyName {
		name = name[:maxKeyName]
	}
	return "p\x00" + name + "\x00" + addr
}

func addrKey(addr string) string { return "a\x00" + addr }

// attempt is one admitted sign-in; exactly one of its methods ends it.
type attempt struct {
	t    *throttle
	pair string
	addr string
}

// begin admits an attempt and counts it as a failure until told otherwise, or
// returns a *ThrottledError saying how long to wait.
func (t *throttle) begin(username, addr string, now time.Time) (*attempt, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	pk, ak := pairKey(username, addr), addrKey(addr)
	var wait time.Duration
	for _, k := range []struct {
		key   string
		limit int
	}{{pk, t.o.PairFailures}, {ak, t.o.AddressFailures}} {
		if w := t.wait(k.key, k.limit, now); w > wait {
			wait = w
		}
	}
	if wait > 0 {
		return nil, &ThrottledError{RetryAfter: wait}
	}
	for _, k := range []string{pk, ak} {
		e := t.entry(k, now)
		e.failures++
		e.last = now
	}
	return &attempt{t: t, pair: pk, addr: ak}, nil
}

// wait is how long key must still wait at now (callers hold mu).
func (t *throttle) wait(key string, limit int, now time.Time) time.Duration {
	e, ok := t.entries[key]
	if !ok {
		return 0
	}
	if now.Sub(e.last) >= t.o.Window {
		delete(t.entries, key)
		return 0
	}
	if e.failures < limit {
		return 0
	}
	delay := t.o.MaxDelay
	if over := e.failures - limit; over < 30 {
		delay = min(t.o.BaseDelay<<over, t.o.MaxDelay)
	}
	return e.last.Add(delay).Sub(now)
}

// entry returns key's record, making room within MaxEntries (callers hold mu).
func (t *throttle) entry(key string, now time.Time) *throttleEntry {
	if e, ok := t.entries[key]; ok {
		return e
	}
	if len(t.entries) >= t.o.MaxEntries {
		for k, e := range t.entries {
			if now.Sub(e.last) >= t.o.Window {
				delete(t.entries, k)
			}
		}
	}
	for len(t.entries) >= t.o.MaxEntries {
		oldest, at := "", now
		for k, e := range t.entries {
			if oldest == "" || e.last.Before(at) {
				oldest, at = k, e.last
			}
		}
		delete(t.entries, oldest)
	}
	e := &throttleEntry{}
	t.entries[key] = e
	return e
}

// failed keeps the attempt counted.
func (a *attempt) failed() {}

// succeeded forgets the name's failures from this address and takes the attempt
// back from the address's count.
func (a *attempt) succeeded() {
	a.t.mu.Lock()
	defer a.t.mu.Unlock()
	delete(a.t.entries, a.pair)
	a.t.uncount(a.addr)
}

// cancelled takes the attempt back: it was never checked (the server was busy).
func (a *attempt) cancelled() {
	a.t.mu.Lock()
	defer a.t.mu.Unlock()
	a.t.uncount(a.pair)
	a.t.uncount(a.addr)
}

func (t *throttle) uncount(key string) {
	if e, ok := t.entries[key]; ok {
		if e.failures--; e.failures <= 0 {
			delete(t.entries, key)
		}
	}
}

// size is the number of records kept (for tests of the memory bound).
func (t *throttle) size() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.entries)
}
