package desk

import (
	"errors"
	"time"
)

// ClockControl moves the server's clock (clock.Source); only a server started with the
// clock advance enabled has one.
type ClockControl interface {
	Advance(d time.Duration) time.Time
	Offset() time.Duration
}

// ErrClockFixed refuses moving the clock of a server not started with it enabled.
var ErrClockFixed = errors.New("clock advance disabled")

// Now is the desk's clock: what events are stamped with and deadlines compared to.
func (d *Desk) Now() time.Time { return d.clockNow() }

// AdvanceClock moves the clock forward by by (demo and training only); the scheduler
// wakes and fires what came due.
func (d *Desk) AdvanceClock(by time.Duration) (time.Time, error) {
	if d.clockCtl == nil || !d.allowAdvance {
		return time.Time{}, ErrClockFixed
	}
	if by <= 0 {
		return time.Time{}, invalid("by", "只能把时钟往后拨,时长须为正数,例如 2h")
	}
	return d.clockCtl.Advance(by).UTC().Truncate(time.Millisecond), nil
}

// ClockOffset is how far the clock was moved from the wall clock (0 without control).
func (d *Desk) ClockOffset() time.Duration {
	if d.clockCtl == nil {
		return 0
	}
	return d.clockCtl.Offset()
}
