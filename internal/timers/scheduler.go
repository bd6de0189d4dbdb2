package timers

import (
	"context"
	"log/slog"
	"math"
	"sync/atomic"
	"time"
)

// Firer fires due timers: FireDue claims up to limit due rows and fires them in one
// transaction, returning how many it claimed and how many of those fired (a timer
// whose case another process was changing is left for the next round); NextDue is the
// earliest scheduled time.
type Firer interface {
	FireDue(ctx context.Context, limit int) (claimed, fired int, err error)
	NextDue(ctx context.Context) (due time.Time, ok bool, err error)
}

// Clock is the injected time; Changed (optional, may return nil) is closed when the
// clock is moved on purpose (the demo's clock advance), so a sleeper recomputes.
type Clock interface {
	Now() time.Time
	Changed() <-chan struct{}
}

// Alarm wakes the scheduler when this process schedules a timer earlier than the one
// it sleeps for. The desk rings it after a commit; ringing is cheap and never blocks.
type Alarm struct {
	ch    chan struct{}
	until atomic.Int64 // Unix ms the scheduler sleeps until (MaxInt64: nothing)
}

// NewAlarm returns an alarm nobody listens to yet.
func NewAlarm() *Alarm {
	a := &Alarm{ch: make(chan struct{}, 1)}
	a.until.Store(math.MaxInt64)
	return a
}

// Ring tells the scheduler a timer is due at due; it wakes only if that is earlier
// than what it sleeps for.
func (a *Alarm) Ring(due time.Time) {
	if a == nil || due.UnixMilli() >= a.until.Load() {
		return
	}
	select {
	case a.ch <- struct{}{}:
	default:
	}
}

// Scheduler sleeps until the earliest timer is due and fires what is due. It never
// sweeps the cases: it reads one indexed row to know when to wake, and the firing
// transaction reads only due rows.
type Scheduler struct {
	firer  Firer
	clock  Clock
	alarm  *Alarm
	cfg    Config
	logger *slog.Logger
	// fired counts the timers claimed since start (for tests and logs).
	fired atomic.Int64
}

// NewScheduler builds a scheduler; alarm may be shared with the desk that schedules.
func NewScheduler(f Firer, c Clock, alarm *Alarm, cfg Config, logger *slog.Logger) *Scheduler {
	if alarm == nil {
		alarm = NewAlarm()
	}
	if logger == nil {
		logger = slog.Default()
	}
	return &Scheduler{firer: f, clock: c, alarm: alarm, cfg: cfg, logger: logger}
}

// Fired is how many timers this scheduler has fired.
func (s *Scheduler) Fired() int64 { return s.fired.Load() }

// Drain fires every timer due now, earliest first, batch by batch, with Workers
// transactions at a time (PostgreSQL's SKIP LOCKED hands each a different batch; on
// SQLite they share the single writer's group commit). Run calls it at start-up
// (timers that came due while the server was down) and whenever it wakes.
func (s *Scheduler) Drain(ctx context.Context) error {
	workers := max(s.cfg.Workers, 1)
	errs := make(chan error, workers)
	for range workers {
		go func() {
			for {
				claimed, fired, err := s.firer.FireDue(ctx, s.cfg.Batch)
				s.fired.Add(int64(fired))
				if err != nil || claimed < s.cfg.Batch {
					errs <- err
					return
				}
			}
		}()
	}
	var first error
	for range workers {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Run fires timers until ctx ends.
func (s *Scheduler) Run(ctx context.Context) error {
	for {
		before := s.fired.Load()
		err := s.Drain(ctx)
		if n := s.fired.Load() - before; n > 0 {
			s.logger.Info("timers fired", slog.Int64("count", n), slog.Int64("total", s.fired.Load()))
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			s.logger.Warn("fire timers", slog.Any("err", err))
			if !s.sleep(ctx, s.cfg.RetryAfter, false) {
				return nil
			}
			continue
		}
		next, ok, err := s.firer.NextDue(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			s.logger.Warn("next timer", slog.Any("err", err))
			if !s.sleep(ctx, s.cfg.RetryAfter, false) {
				return nil
			}
			continue
		}
		wait := time.Duration(math.MaxInt64)
		if ok {
			if wait = next.Sub(s.clock.Now()); wait <= 0 {
				continue
			}
			s.alarm.until.Store(next.UnixMilli())
		} else {
			s.alarm.until.Store(math.MaxInt64)
		}
		if s.cfg.Recheck > 0 && wait > s.cfg.Recheck {
			wait = s.cfg.Recheck
		}
		if !s.sleep(ctx, wait, true) {
			return nil
		}
	}
}

// sleep waits d (MaxInt64: until woken), for the alarm or a clock jump; false when ctx
// ended.
func (s *Scheduler) sleep(ctx context.Context, d time.Duration, wakeable bool) bool {
	var timeout <-chan time.Time
	if d != time.Duration(math.MaxInt64) {
		t := time.NewTimer(d)
		defer t.Stop()
		timeout = t.C
	}
	var alarm <-chan struct{}
	var jumped <-chan struct{}
	if wakeable {
		alarm = s.alarm.ch
		jumped = s.clock.Changed()
	}
	select {
	case <-ctx.Done():
		return false
	case <-timeout:
	case <-alarm:
	case <-jumped:
	}
	return true
}
