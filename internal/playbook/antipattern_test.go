package playbook

import (
	"slices"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
)

func flagIDs(fs []Flag) []string {
	out := []string{}
	for _, f := range fs {
		out = append(out, f.ID)
	}
	return out
}

func TestSoothingLoopIsFlaggedAtTheLimitWithoutAnOffer(t *testing.T) {
	tests := []struct {
		name  string
		limit int
		play  func(*story)
		want  bool
	}{
		{"two soothings, limit three", 3, func(s *story) { s.soothe().soothe() }, false},
		{"three soothings, limit three", 3, func(s *story) { s.soothe().soothe().soothe() }, true},
		{"four soothings, limit three", 3, func(s *story) { s.soothe().soothe().soothe().soothe() }, true},
		{"a soothing script counts without the intent", 3, func(s *story) {
			for range 3 {
				s.add(cases.EvMessageOut, cases.MessagePayload{ScriptID: "soothe-04"})
			}
		}, true},
		{"other messages do not count", 3, func(s *story) { s.say("verify").say("verify").say("verify") }, false},
		{"an offer resets the count", 3, func(s *story) { s.soothe().soothe().offer(cases.SolutionCompensation).soothe().soothe() }, false},
		{"retention counts as an offer", 3, func(s *story) { s.soothe().soothe().retain().soothe() }, false},
		{"limit is configurable", 2, func(s *story) { s.soothe().soothe() }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.SoothingLimit = tt.limit
			e := newEngine(t, cfg)
			s := newStory(cases.TypeDamaged)
			tt.play(s)
			g := e.Guide(&s.c, s.events, s.now)
			if got := slices.Contains(flagIDs(g.Flags), FlagSoothingLoop); got != tt.want {
				t.Fatalf("soothing flag = %v, want %v (flags %+v)", got, tt.want, g.Flags)
			}
		})
	}
}

func TestProposingTheNthSoothingWarns(t *testing.T) {
	e := newEngine(t, DefaultConfig())
	for _, tt := range []struct {
		before int
		want   bool
	}{{1, false}, {2, true}, {3, true}} {
		s := newStory(cases.TypeDamaged)
		for range tt.before {
			s.soothe()
		}
		vs := e.Check(&s.c, s.events, s.proposal(cases.EvMessageOut, cases.MessagePayload{Intent: IntentSoothe}), s.now)
		if got := slices.Contains(rules(vs), RuleSoothingLoop); got != tt.want || HasBlocking(vs) {
			t.Errorf("after %d soothings: warning = %v, want %v (%+v)", tt.before, got, tt.want, vs)
		}
	}
}

func TestStuckInStageIsFlaggedPastTheConfiguredDuration(t *testing.T) {
	tests := []struct {
		name string
		play func(*story)
		wait time.Duration
		want bool
	}{
		{"verify just under 24 h", func(s *story) {}, 24*time.Hour - time.Minute, false},
		{"verify exactly 24 h", func(s *story) {}, 24 * time.Hour, false},
		{"verify past 24 h", func(s *story) {}, 24*time.Hour + time.Minute, true},
		{"a stage change restarts the clock", func(s *story) { s.wait(23 * time.Hour).stage(cases.StageSolution) }, 3 * time.Hour, false},
		{"solution past 4 h", func(s *story) { s.stage(cases.StageSolution) }, 4*time.Hour + time.Minute, true},
		{"closed cases are never stuck", func(s *story) { s.c.Status = cases.StatusClosed }, 1000 * time.Hour, false},
	}
	e := newEngine(t, DefaultConfig())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStory(cases.TypeDamaged)
			tt.play(s)
			since := s.now
			if len(s.events) == 0 {
				since = s.c.CreatedAt
			}
			g := e.Guide(&s.c, s.events, since.Add(tt.wait))
			if got := slices.Contains(flagIDs(g.Flags), FlagStuckInStage); got != tt.want {
				t.Fatalf("stuck flag = %v, want %v (flags %+v)", got, tt.want, g.Flags)
			}
		})
	}
}

func TestStuckDurationMayBeInWorkingDays(t *testing.T) {
	cfg := DefaultConfig()
	cfg.StuckAfter[cases.StageExecute] = Span{WorkingDays: 1}
	e := newEngine(t, cfg)
	s := newStory(cases.TypeDamaged)
	friday := time.Date(2026, 11, 27, 17, 0, 0, 0, time.UTC)
	s.c.CreatedAt, s.now, s.c.Stage = friday, friday, cases.StageExecute
	for _, tt := range []struct {
		now  time.Time
		want bool
	}{{friday.Add(60 * time.Hour), false}, {friday.Add(73 * time.Hour), true}} {
		g := e.Guide(&s.c, nil, tt.now)
		if got := slices.Contains(flagIDs(g.Flags), FlagStuckInStage); got != tt.want {
			t.Errorf("at %v stuck = %v, want %v", tt.now, got, tt.want)
		}
	}
}
