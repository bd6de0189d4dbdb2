package clock

import (
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
)

func TestDefaultSLAMatchesSOPLevels(t *testing.T) {
	from := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		level            cases.Level
		respond, resolve time.Duration
	}{
		{1, 2 * time.Hour, 24 * time.Hour},
		{2, 4 * time.Hour, 48 * time.Hour},
		{3, 8 * time.Hour, 72 * time.Hour},
	}
	sla := DefaultSLA()
	if err := sla.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		respond, resolve := sla.Deadlines(tt.level, from)
		if respond.Sub(from) != tt.respond || resolve.Sub(from) != tt.resolve {
			t.Errorf("level %d: respond %v resolve %v", tt.level, respond.Sub(from), resolve.Sub(from))
		}
	}
}

func TestSLAValidationRefusesImpossibleClocks(t *testing.T) {
	for name, mutate := range map[string]func(*SLA){
		"missing level":            func(s *SLA) { delete(s.Levels, 2) },
		"zero hours":               func(s *SLA) { s.Levels[1] = LevelSLA{0, 24} },
		"response after resolving": func(s *SLA) { s.Levels[3] = LevelSLA{80, 72} },
	} {
		s := DefaultSLA()
		mutate(&s)
		if s.Validate() == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
