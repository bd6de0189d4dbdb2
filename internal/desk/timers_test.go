package desk

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/clock"
	"github.com/shouhou/shouhou/internal/followup"
	"github.com/shouhou/shouhou/internal/sop"
	"github.com/shouhou/shouhou/internal/store/sqlstore"
	"github.com/shouhou/shouhou/internal/timers"
)

// timerConfig is the timers' configuration the tests run with (the SOP's 80 %).
func timerConfig() timers.Config {
	return timers.Config{WarnPercent: 80, Batch: 64, Workers: 2, RetryAfter: time.Second,
		PauseIntents: []string{"verify", "collect_info"}}
}

// timedDesk is a desk on a real SQLite file with the built-in SOP, a settable clock
// standing at start, and the scheduler that fires its timers.
type timedDesk struct {
	*Desk
	store *sqlstore.Store
	close func()
	clock *clock.Source
	sched *timers.Scheduler
}

func newTimedDesk(t *testing.T, path string, start time.Time) *timedDesk {
	t.Helper()
	st, err := sqlstore.OpenSQLite(context.Background(), path, sqlstore.SQLiteOptions{Synchronous: "NORMAL"})
	if err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	closeStore := func() { once.Do(func() { st.Close() }) }
	t.Cleanup(closeStore)
	rules, err := sop.Load(sop.Files{})
	if err != nil {
		t.Fatal(err)
	}
	src := clock.NewSource(func() time.Time { return start }, 0)
	alarm := timers.NewAlarm()
	d := New(Opts{Store: st, SLA: clock.DefaultSLA(), Rules: rules.Engine, Limits: rules.Policy, Now: src.Now,
		Timing: timerConfig(), FollowUp: followUpConfig(), Alarm: alarm, ClockControl: src})
	return &timedDesk{Desk: d, store: st, close: closeStore, clock: src, sched: timers.NewScheduler(d, src, alarm, timerConfig(), nil)}
}

// at moves the clock to when and fires what is due.
func (td *timedDesk) at(t *testing.T, when time.Time) {
	t.Helper()
	if by := when.Sub(td.clock.Now()); by > 0 {
		td.clock.Advance(by)
	}
	if err := td.sched.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// fired lists the timer.fired payloads of a case, oldest first.
func (td *timedDesk) fired(t *testing.T, id int64) []cases.TimerFiredPayload {
	t.Helper()
	log, err := td.Events(context.Background(), id, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []cases.TimerFiredPayload
	for _, e := range log {
		if e.Type == cases.EvTimerFired {
			var p cases.TimerFiredPayload
			if err := json.Unmarshal(e.Payload, &p); err != nil {
				t.Fatal(err)
			}
			out = append(out, p)
		}
	}
	return out
}

func countKind(fs []cases.TimerFiredPayload, kind string) int {
	n := 0
	for _, f := range fs {
		if f.Kind == kind {
			n++
		}
	}
	return n
}

// expectAt checks that a timer kind has not fired a minute before due and fired exactly
// once at due.
func (td *timedDesk) expectAt(t *testing.T, id int64, kind string, due time.Time) cases.TimerFiredPayload {
	t.Helper()
	td.at(t, due.Add(-time.Minute))
	if n := countKind(td.fired(t, id), kind); n != 0 {
		t.Fatalf("%s fired %d times a minute before %v", kind, n, due)
	}
	td.at(t, due)
	fs := td.fired(t, id)
	if n := countKind(fs, kind); n != 1 {
		t.Fatalf("%s fired %d times at %v, want once", kind, n, due)
	}
	for _, f := range fs {
		if f.Kind == kind {
			if !f.DueAt.Equal(due) {
				t.Errorf("%s fired for %v, want %v", kind, f.DueAt, due)
			}
			return f
		}
	}
	return cases.TimerFiredPayload{}
}

var cst = time.FixedZone("CST", 8*3600)

func TestEachSLATimerFiresAtItsExactMinute(t *testing.T) {
	for _, tt := range []struct {
		level            cases.Level
		respond, resolve time.Duration
	}{{1, 2 * time.Hour, 24 * time.Hour}, {2, 4 * time.Hour, 48 * time.Hour}, {3, 8 * time.Hour, 72 * time.Hour}} {
		t.Run("level "+string(rune('0'+tt.level)), func(t *testing.T) {
			td := newTimedDesk(t, filepath.Join(t.TempDir(), "db"), t0)
			in := intake()
			in.Level, in.Emotion = tt.level, cases.EmotionCalm
			c := create(t, td.Desk, in)
			pct := func(d time.Duration) time.Duration { return d * 80 / 100 }
			td.expectAt(t, c.ID, cases.TimerResponseWarn, t0.Add(pct(tt.respond)))
			f := td.expectAt(t, c.ID, cases.TimerResponse, t0.Add(tt.respond))
			if !strings.Contains(f.Next, "立即回复顾客") {
				t.Errorf("first-response breach should say what to do next: %q", f.Next)
			}
			td.expectAt(t, c.ID, cases.TimerResolveWarn, t0.Add(pct(tt.resolve)))
			td.expectAt(t, c.ID, cases.TimerResolve, t0.Add(tt.resolve))
			got, _ := td.Get(context.Background(), c.ID)
			if !got.Clocks.ResponseBreached || !got.Clocks.ResolveBreached || !got.Clocks.Warned {
				t.Errorf("flags after the breaches: %+v", got.Clocks)
			}
			// Nothing fires twice, however long the clock runs on.
			td.at(t, t0.Add(30*24*time.Hour))
			for _, k := range []string{cases.TimerResponse, cases.TimerResponseWarn, cases.TimerResolve, cases.TimerResolveWarn} {
				if n := countKind(td.fired(t, c.ID), k); n != 1 {
					t.Errorf("%s fired %d times", k, n)
				}
			}
		})
	}
}

func TestFirstOutgoingMessageCancelsTheFirstResponseTimers(t *testing.T) {
	td := newTimedDesk(t, filepath.Join(t.TempDir(), "db"), t0)
	c := create(t, td.Desk, intake()) // level 2: respond within 4 h
	td.at(t, t0.Add(time.Hour))
	c, _, err := td.Append(context.Background(), agent, c.ID, AnyVersion, cases.EvMessageOut, json.RawMessage(`{"text":"亲，非常抱歉给您带来不便"}`))
	if err != nil {
		t.Fatal(err)
	}
	if c.FirstRespondedAt == nil || !c.FirstRespondedAt.Equal(t0.Add(time.Hour)) {
		t.Fatalf("first response at %v", c.FirstRespondedAt)
	}
	td.at(t, t0.Add(47*time.Hour))
	fs := td.fired(t, c.ID)
	if countKind(fs, cases.TimerResponse)+countKind(fs, cases.TimerResponseWarn) != 0 {
		t.Fatalf("first-response timers fired after the answer: %+v", fs)
	}
	if countKind(fs, cases.TimerResolveWarn) != 1 || countKind(fs, cases.TimerResolve) != 0 {
		t.Fatalf("resolution timers: %+v", fs)
	}
}

func TestPlaybookTimersFireAtTheirDueMinute(t *testing.T) {
	tests := []struct {
		name     string
		typ      cases.ProblemType
		platform cases.Platform
		opened   time.Time
		facts    [][2]string
		kind     string
		due      time.Time
		next     string
	}{
		{"no pickup scan for 48 h", cases.TypeChase, cases.PlatformTaobao, time.Date(2026, 11, 23, 10, 0, 0, 0, cst),
			[][2]string{{"logistics_state", "no_pickup"}, {"courier_notified", "yes"}}, "playbook.no_pickup",
			time.Date(2026, 11, 25, 10, 0, 0, 0, cst), "补发或退款"},
		{"lost parcel: 3 working days across a weekend", cases.TypeLost, cases.PlatformTaobao, time.Date(2026, 11, 26, 10, 0, 0, 0, cst),
			[][2]string{{"courier_notified", "yes"}}, "playbook.lost_parcel",
			time.Date(2026, 12, 1, 10, 0, 0, 0, cst), "3个工作日"},
		{"lost parcel: 3 working days across 国庆 and its 调休 Saturday", cases.TypeLost, cases.PlatformTaobao, time.Date(2026, 9, 30, 10, 0, 0, 0, cst),
			[][2]string{{"courier_notified", "yes"}}, "playbook.lost_parcel",
			time.Date(2026, 10, 10, 10, 0, 0, 0, cst), "3个工作日"},
		{"complaint deadline 48 h", cases.TypeComplaint, cases.PlatformTaobao, time.Date(2026, 11, 23, 10, 0, 0, 0, cst),
			nil, "playbook.complaint_deadline", time.Date(2026, 11, 25, 10, 0, 0, 0, cst), "上报主管"},
		{"complaint deadline on JD 24 h", cases.TypeComplaint, cases.PlatformJD, time.Date(2026, 11, 23, 10, 0, 0, 0, cst),
			nil, "playbook.complaint_deadline", time.Date(2026, 11, 24, 10, 0, 0, 0, cst), "上报主管"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			td := newTimedDesk(t, filepath.Join(t.TempDir(), "db"), tt.opened)
			in := intake()
			in.Type, in.Platform, in.Level, in.Emotion = tt.typ, tt.platform, 3, cases.EmotionCalm
			c := create(t, td.Desk, in)
			for _, f := range tt.facts {
				raw, _ := json.Marshal(cases.FactPayload{Key: f[0], Value: f[1]})
				if _, _, err := td.Append(context.Background(), agent, c.ID, AnyVersion, cases.EvFactRecorded, raw); err != nil {
					t.Fatal(err)
				}
			}
			f := td.expectAt(t, c.ID, tt.kind, tt.due.UTC())
			if !strings.Contains(f.Next, tt.next) {
				t.Errorf("next %q should say %q", f.Next, tt.next)
			}
		})
	}
}

func TestTimersSurviveARestartBetweenSchedulingAndFiring(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	first := newTimedDesk(t, path, t0)
	c := create(t, first.Desk, intake())
	first.close()

	// The server was down past every deadline: at start-up they fire, in due order.
	second := newTimedDesk(t, path, t0.Add(100*time.Hour))
	second.at(t, t0.Add(100*time.Hour))
	var kinds []string
	var last time.Time
	for _, f := range second.fired(t, c.ID) {
		kinds = append(kinds, f.Kind)
		if f.DueAt.Before(last) {
			t.Errorf("fired out of due order: %v after %v", f.DueAt, last)
		}
		last = f.DueAt
	}
	want := []string{cases.TimerResponseWarn, cases.TimerResponse, cases.TimerResolveWarn, cases.TimerResolve}
	if strings.Join(kinds, ",") != strings.Join(want, ",") {
		t.Fatalf("fired %v, want %v", kinds, want)
	}
	left, err := second.Timers(context.Background(), c.ID)
	if err != nil || len(left) != 0 {
		t.Fatalf("timers left after firing: %+v %v", left, err)
	}
}

func TestClosingCancelsTheSLATimersAndSchedulesTheFollowUp(t *testing.T) {
	td := newTimedDesk(t, filepath.Join(t.TempDir(), "db"), t0)
	c := create(t, td.Desk, intake())
	c, _, err := td.Remark(context.Background(), agent, c.ID, AnyVersion, "破损，补偿10元已发")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := td.Close(context.Background(), agent, c.ID, c.Version, ""); err != nil {
		t.Fatal(err)
	}
	left, _ := td.Timers(context.Background(), c.ID)
	// t0 is Friday 27 November 2026, 17:00 in Shanghai: the visit is due at 10:00 on
	// the next working day, Monday 30 November.
	due := time.Date(2026, 11, 30, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	if len(left) != 1 || left[0].Kind != cases.TimerFollowUp || !left[0].DueAt.Equal(due) {
		t.Fatalf("timers after closing: %+v", left)
	}
	td.at(t, due.Add(-time.Minute))
	if fs := td.fired(t, c.ID); len(fs) != 0 {
		t.Fatalf("follow-up fired before its working day: %+v", fs)
	}
	td.at(t, due)
	if fs := td.fired(t, c.ID); len(fs) != 1 || fs[0].Kind != cases.TimerFollowUp {
		t.Fatalf("fired after closing: %+v", fs)
	}
}

func TestClockAdvanceIsRefusedUnlessEnabled(t *testing.T) {
	td := newTimedDesk(t, filepath.Join(t.TempDir(), "db"), t0)
	if _, err := td.AdvanceClock(time.Hour); err != ErrClockFixed {
		t.Fatalf("advance on a fixed clock: %v", err)
	}
}

// followUpConfig is the shop's default 回访: 10:00 on the next working day, a score of
// 2 or less goes back to a supervisor.
func followUpConfig() followup.Config {
	return followup.Config{WorkingDays: 1, At: "10:00", CSATThreshold: 2}
}
