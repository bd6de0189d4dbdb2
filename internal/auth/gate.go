package auth

import (
	"context"
	"errors"
	"runtime"
	"sync/atomic"
	"time"
)

// ErrBusy means too many sign-ins are being checked or waiting: the server answers
// 503 with Retry-After instead of running more argon2id hashes (19 MiB each) at once.
var ErrBusy = errors.New("too many sign-ins at once")

// GateOpts bound the password checks (argon2id) running at once; zero fields take
// the defaults.
type GateOpts struct {
	// Concurrent checks at once (default GOMAXPROCS, at least 2, at most 8): the
	// memory they take is bounded by Concurrent × 19 MiB.
	Concurrent int
	// Queue is how many more may wait for a turn (default 64); beyond, ErrBusy.
	Queue int
	// Wait is the longest a sign-in waits for its turn (default 5 s); then ErrBusy.
	Wait time.Duration
}

// gate lets at most Concurrent password checks run and Queue wait.
type gate struct {
	slots   chan struct{}
	waiting atomic.Int64
	queue   int64
	wait    time.Duration
}

func newGate(o GateOpts) *gate {
	if o.Concurrent <= 0 {
		o.Concurrent = min(max(runtime.GOMAXPROCS(0), 2), 8)
	}
	if o.Queue <= 0 {
		o.Queue = 64
	}
	if o.Wait <= 0 {
		o.Wait = 5 * time.Second
	}
	return &gate{slots: make(chan struct{}, o.Concurrent), queue: int64(o.Queue), wait: o.Wait}
}

// enter waits for a turn; the caller must call the returned leave.
func (g *gate) enter(ctx context.Context) (leave func(), err error) {
	leave = func() { <-g.slots }
	select {
	case g.slots <- struct{}{}:
		return leave, nil
	default:
	}
	if g.waiting.Add(1) > g.queue {
		g.waiting.Add(-1)
		return nil, ErrBusy
	}
	defer g.waiting.Add(-1)
	timer := time.NewTimer(g.wait)
	defer timer.Stop()
	select {
	case g.slots <- struct{}{}:
		return leave, nil
	case <-timer.C:
		return nil, ErrBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
