package followup

import (
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/calendar"
)

func TestTheVisitIsDueAtTheConfiguredTimeOnTheNextWorkingDay(t *testing.T) {
	cal := calendar.Default()
	sh := cal.Location()
	cfg := Config{WorkingDays: 1, At: "10:00", CSATThreshold: 2}
	for _, tc := range []struct {
		name   string
		closed time.Time
		want   time.Time
	}{
		{"Monday evening → Tuesday", time.Date(2026, 11, 23, 22, 0, 0, 0, sh), time.Date(2026, 11, 24, 10, 0, 0, 0, sh)},
		{"Friday → Monday", time.Date(2026, 11, 27, 17, 0, 0, 0, sh), time.Date(2026, 11, 30, 10, 0, 0, 0, sh)},
		{"Saturday → Monday", time.Date(2026, 11, 28, 9, 0, 0, 0, sh), time.Date(2026, 11, 30, 10, 0, 0, 0, sh)},
		{"before the National Day holiday → after it", time.Date(2026, 9, 30, 15, 0, 0, 0, sh), cal.AddWorkingDays(time.Date(2026, 9, 30, 10, 0, 0, 0, sh), 1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := cfg.Due(tc.closed, cal); !got.Equal(tc.want) {
				t.Fatalf("due %v, want %v", got.In(sh), tc.want)
			}
		})
	}
	if got := cfg.Due(time.Date(2026, 9, 30, 15, 0, 0, 0, sh), cal).In(sh); got.Month() != time.October || got.Day() < 8 {
		t.Fatalf("a visit during the National Day holiday: %v", got)
	}
}

func TestAnOutcomeAtOrBelowTheThresholdOrNotSolvedEscalates(t *testing.T) {
	cfg := Config{CSATThreshold: 2}
	for _, tc := range []struct {
		csat     int
		solved   bool
		escalate bool
	}{{1, true, true}, {2, true, true}, {3, true, false}, {5, true, false}, {5, false, true}} {
		if got := cfg.Escalation(tc.csat, tc.solved) != ""; got != tc.escalate {
			t.Errorf("csat %d solved %v: escalates %v, want %v", tc.csat, tc.solved, got, tc.escalate)
		}
	}
}

func TestABadFollowUpConfigIsRefused(t *testing.T) {
	for _, c := range []Config{{WorkingDays: -1, At: "10:00"}, {WorkingDays: 1, At: "25:00"}, {WorkingDays: 1, At: "10"}, {WorkingDays: 1, At: "10:00", CSATThreshold: 6}} {
		if c.Validate() == nil {
			t.Errorf("%+v accepted", c)
		}
	}
	if err := (Config{WorkingDays: 1, At: "10:00", CSATThreshold: 2}).Validate(); err != nil {
		t.Fatal(err)
	}
}
