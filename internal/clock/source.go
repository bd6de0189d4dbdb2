package clock

import (
	"sync"
	"time"
)

// Clock is the time the server acts on. Everything that stamps events or compares
// deadlines takes it injected; only the process's wall clock (time.Now) sits behind it.
type Clock interface {
	Now() time.Time
}

// Source is the server's clock: the wall clock moved by an offset. The offset starts
// at what --clock-offset says (zero by default) and moves only through Advance, which
// the server exposes (POST /api/v1/clock/advance) only when started with it enabled.
// Whoever sleeps until a deadline listens on Changed to wake when time jumps.
type Source struct {
	wall func() time.Time

	mu      sync.Mutex
	offset  time.Duration
	changed chan struct{}
}

// NewSource returns a clock offset from wall (nil: time.Now) by offset.
func NewSource(wall func() time.Time, offset time.Duration) *Source {
	if wall == nil {
		wall = time.Now
	}
	return &Source{wall: wall, offset: offset, changed: make(chan struct{})}
}

// Now is the wall clock plus the offset, in UTC.
func (s *Source) Now() time.Time {
	s.mu.Lock()
	off := s.offset
	s.mu.Unlock()
	return s.wall().Add(off).UTC()
}

// Offset is how far the clock runs ahead of the wall clock.
func (s *Source) Offset() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.offset
}

// Advance moves the clock forward by d (never backwards: events keep their order) and
// wakes everyone waiting on Changed. It returns the new time.
func (s *Source) Advance(d time.Duration) time.Time {
	s.mu.Lock()
	if d > 0 {
		s.offset += d
		close(s.changed)
		s.changed = make(chan struct{})
	}
	s.mu.Unlock()
	return s.Now()
}

// Changed is closed the next time the clock is advanced.
func (s *Source) Changed() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changed
}
