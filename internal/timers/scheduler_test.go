package timers

import (
	"context"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/clock"
)

// memFirer keeps due times in memory and fires them like the desk does: earliest
// first, at most limit per call. It counts how often the scheduler looked.
type memFirer struct {
	clock Clock
	mu    sync.Mutex
	due   []time.Time
	fired []time.Time
	looks int
}

func (m *memFirer) add(t time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.due = append(m.due, t)
	sort.Slice(m.due, func(i, j int) bool { return m.due[i].Before(m.due[j]) })
}

func (m *memFirer) FireDue(_ context.Context, limit int) (int, int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.clock.Now()
	n := 0
	for len(m.due) > 0 && !m.due[0].After(now) && n < limit {
		m.fired = append(m.fired, m.due[0])
		m.due = m.due[1:]
		n++
	}
	return n, n, nil
}

func (m *memFirer) NextDue(context.Context) (time.Time, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.looks++
	if len(m.due) == 0 {
		return time.Time{}, false, nil
	}
	return m.due[0], true, nil
}

func (m *memFirer) state() (fired, looks int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.fired), m.looks
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func start(t *testing.T, f Firer, c Clock, alarm *Alarm, cfg Config) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { NewScheduler(f, c, alarm, cfg, nil).Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

var cfg = Config{WarnPercent: 80, Batch: 2, Workers: 1, RetryAfter: time.Second}

func TestOverdueTimersFireAtStartInDueOrderAcrossBatches(t *testing.T) {
	src := clock.NewSource(nil, 0)
	f := &memFirer{clock: src}
	now := src.Now()
	for i := 5; i > 0; i-- {
		f.add(now.Add(-time.Duration(i) * time.Minute))
	}
	start(t, f, src, nil, cfg)
	waitFor(t, "five overdue timers", func() bool { n, _ := f.state(); return n == 5 })
	for i := 1; i < len(f.fired); i++ {
		if f.fired[i].Before(f.fired[i-1]) {
			t.Fatalf("fired out of order: %v", f.fired)
		}
	}
}

func TestAnEarlierTimerScheduledInProcessWakesTheSleepingScheduler(t *testing.T) {
	src := clock.NewSource(nil, 0)
	f := &memFirer{clock: src}
	f.add(src.Now().Add(time.Hour))
	alarm := NewAlarm()
	start(t, f, src, alarm, cfg)
	waitFor(t, "the scheduler to go to sleep", func() bool { _, looks := f.state(); return looks >= 1 })
	f.add(src.Now().Add(20 * time.Millisecond))
	alarm.Ring(src.Now().Add(20 * time.Millisecond))
	waitFor(t, "the earlier timer", func() bool { n, _ := f.state(); return n == 1 })
}

func TestAdvancingTheClockFiresWhatCameDue(t *testing.T) {
	src := clock.NewSource(nil, 0)
	f := &memFirer{clock: src}
	f.add(src.Now().Add(48 * time.Hour))
	start(t, f, src, nil, cfg)
	waitFor(t, "the scheduler to go to sleep", func() bool { _, looks := f.state(); return looks >= 1 })
	src.Advance(48 * time.Hour)
	waitFor(t, "the 48 h timer after the clock moved", func() bool { n, _ := f.state(); return n == 1 })
}

func TestAnIdleSchedulerDoesNotPoll(t *testing.T) {
	src := clock.NewSource(nil, 0)
	f := &memFirer{clock: src}
	start(t, f, src, NewAlarm(), cfg) // Recheck 0: one process owns the table
	waitFor(t, "the first look", func() bool { _, looks := f.state(); return looks >= 1 })
	time.Sleep(200 * time.Millisecond)
	if _, looks := f.state(); looks != 1 {
		t.Fatalf("an idle scheduler looked %d times, want once", looks)
	}
}

func TestRecheckSeesTimersOtherProcessesScheduled(t *testing.T) {
	src := clock.NewSource(nil, 0)
	f := &memFirer{clock: src}
	c := cfg
	c.Recheck = 20 * time.Millisecond
	start(t, f, src, NewAlarm(), c)
	waitFor(t, "the first look", func() bool { _, looks := f.state(); return looks >= 1 })
	f.add(src.Now()) // written by another process: no alarm rings here
	waitFor(t, "the other process's timer", func() bool { n, _ := f.state(); return n == 1 })
}
