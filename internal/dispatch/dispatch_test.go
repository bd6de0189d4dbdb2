package dispatch

import (
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
)

func TestPickTakesTheLeastLoadedOnlineAgentOfTheRightTier(t *testing.T) {
	t0 := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	loads := []Load{
		{Profile{Username: "senior", Levels: []cases.Level{1}, Status: Online}, 5},
		{Profile{Username: "junior", Levels: []cases.Level{2, 3}, Status: Online, LastAssignedAt: t0}, 2},
		{Profile{Username: "junior2", Levels: []cases.Level{2, 3}, Status: Online, LastAssignedAt: t0.Add(-time.Hour)}, 2},
		{Profile{Username: "idle", Levels: []cases.Level{2, 3}, Status: Away}, 0},
		{Profile{Username: "jdonly", Platforms: []cases.Platform{cases.PlatformJD}, Status: Online}, 0},
		{Profile{Username: "gone", Status: Off}, 0},
	}
	tests := []struct {
		name     string
		level    cases.Level
		platform cases.Platform
		exclude  string
		want     string
	}{
		{"level 1 goes to the only level-1 agent however loaded", 1, cases.PlatformTaobao, "", "senior"},
		{"level 3: tie on load goes to the one assigned least recently; away is skipped", 3, cases.PlatformTaobao, "", "junior2"},
		{"a JD case goes to the idle JD agent", 2, cases.PlatformJD, "", "jdonly"},
		{"excluding the agent who went away", 3, cases.PlatformTaobao, "junior2", "junior"},
		{"nobody online for level 1 besides the excluded one", 1, cases.PlatformTaobao, "senior", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Pick(loads, tt.level, tt.platform, tt.exclude)
			if got != tt.want || ok != (tt.want != "") {
				t.Fatalf("picked %q %v, want %q", got, ok, tt.want)
			}
		})
	}
}
