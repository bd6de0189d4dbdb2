package playbook

import (
	"strings"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
)

func TestLostParcelWaitsThreeWorkingDaysThenReshipsOrRefunds(t *testing.T) {
	e := newEngine(t, DefaultConfig())
	s := newStory(cases.TypeLost)
	s.c.CreatedAt = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC) // Thursday
	s.now = s.c.CreatedAt
	s.fact("courier_notified", "yes")
	entered := s.now
	due := time.Date(2026, 12, 1, 10, 1, 0, 0, time.UTC) // Thu + 3 working days = Tue

	g := e.Guide(&s.c, s.events, entered.Add(time.Hour))
	if g.Step.ID != "await-result" || len(g.Timers) != 1 || !g.Timers[0].DueAt.Equal(due) || g.Timers[0].Overdue {
		t.Fatalf("before due: step %s timers %+v, want await-result due %v", g.Step.ID, g.Timers, due)
	}
	if !strings.Contains(g.Step.Instruction, "3个工作日") {
		t.Errorf("instruction should name the configured wait: %q", g.Step.Instruction)
	}
	g = e.Guide(&s.c, s.events, due)
	if g.Step.ID != "remedy" {
		t.Fatalf("at due: step %s, want remedy", g.Step.ID)
	}
	if got := kinds(g.Solutions); strings.Join(got, ",") != "reship,refund_only" {
		t.Errorf("solutions %v", got)
	}
}

func TestCourierResultBeforeTheDeadlineWins(t *testing.T) {
	e := newEngine(t, DefaultConfig())
	s := newStory(cases.TypeLost)
	s.fact("courier_notified", "yes").fact("courier_result", "found")
	g := e.Guide(&s.c, s.events, s.now.Add(30*24*time.Hour))
	if g.Step.ID != "remark" {
		t.Fatalf("step %s, want remark", g.Step.ID)
	}
}

func TestLostParcelWaitIsConfigurable(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Timers[TimerLostParcel] = TimerSetting{Span: Span{WorkingDays: 2}}
	e := newEngine(t, cfg)
	s := newStory(cases.TypeLost) // Monday
	s.fact("courier_notified", "yes")
	g := e.Guide(&s.c, s.events, s.now)
	if want := s.now.AddDate(0, 0, 2); !g.Timers[0].DueAt.Equal(want) || !strings.Contains(g.Step.Instruction, "2个工作日") {
		t.Fatalf("timers %+v instruction %q, want due %v", g.Timers, g.Step.Instruction, want)
	}
}

func TestNoPickupScanFor48HoursReshipsOrRefunds(t *testing.T) {
	e := newEngine(t, DefaultConfig())
	tests := []struct {
		name  string
		after time.Duration
		scan  bool
		step  string
	}{
		{"47 h without a scan keeps waiting", 47 * time.Hour, false, "await-pickup"},
		{"48 h without a scan reships or refunds", 48 * time.Hour, false, "no-pickup-remedy"},
		{"a scan before 48 h ends the wait", 72 * time.Hour, true, "remark"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStory(cases.TypeChase)
			s.fact("logistics_state", "no_pickup")
			entered := s.now
			if tt.scan {
				s.fact("pickup_scanned", "yes")
			}
			g := e.Guide(&s.c, s.events, entered.Add(tt.after))
			if g.Step.ID != tt.step {
				t.Fatalf("step %s, want %s", g.Step.ID, tt.step)
			}
		})
	}
}

func TestComplaintDeadlineDependsOnThePlatform(t *testing.T) {
	e := newEngine(t, DefaultConfig())
	tests := []struct {
		platform cases.Platform
		hours    float64
	}{{cases.PlatformTaobao, 48}, {cases.PlatformJD, 24}}
	for _, tt := range tests {
		s := newStory(cases.TypeComplaint)
		s.c.Platform = tt.platform
		g := e.Guide(&s.c, nil, s.now.Add(time.Duration(tt.hours)*time.Hour+time.Minute))
		want := s.c.CreatedAt.Add(time.Duration(tt.hours) * time.Hour)
		if len(g.Timers) != 1 || !g.Timers[0].DueAt.Equal(want) || !g.Timers[0].Overdue {
			t.Errorf("%s: timers %+v, want due %v and overdue", tt.platform, g.Timers, want)
		}
		if g.Step.ID != "respond" {
			t.Errorf("%s: a deadline without expire_to must not move the case, step %s", tt.platform, g.Step.ID)
		}
	}
}

func TestEngineRefusesATimerWithoutDuration(t *testing.T) {
	set, err := LoadDefault(nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	delete(cfg.Timers, TimerLostParcel)
	if _, err := New(set, cfg, weekends{}); err == nil || !strings.Contains(err.Error(), "lost_parcel") {
		t.Fatalf("err = %v, want a missing lost_parcel duration", err)
	}
}
