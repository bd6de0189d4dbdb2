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
		{Profile{Username: "shop2", Levels: []cases.Level{3}, Shops: []int64{2}, Status: Online}, 9},
	}
	tests := []struct {
		name     string
		level    cases.Level
		platform cases.Platform
		shop     int64
		exclude  string
		want     string
	}{
		{"level 1 goes to the only level-1 agent however loaded", 1, cases.PlatformTaobao, 1, "", "senior"},
		{"level 3: tie on load goes to the one assigned least recently; away is skipped", 3, cases.PlatformTaobao, 1, "", "junior2"},
		{"a JD case goes to the idle JD agent", 2, cases.PlatformJD, 1, "", "jdonly"},
		{"excluding the agent who went away", 3, cases.PlatformTaobao, 1, "junior2", "junior"},
		{"nobody online for level 1 besides the excluded one", 1, cases.PlatformTaobao, 1, "senior", ""},
		{"an agent serving shop 2 only never gets shop 1's case however idle others are", 3, cases.PlatformTaobao, 1, "junior", "junior2"},
		{"shop 2's level-3 case goes to any agent serving every shop or shop 2 (least loaded)", 3, cases.PlatformTaobao, 2, "", "junior2"},
	}
	if got, _ := Pick(loads[len(loads)-1:], Case{Level: 3, Platform: cases.PlatformTaobao, Shop: 2}, ""); got != "shop2" {
		t.Fatalf("the agent serving shop 2 did not get its case: %q", got)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Pick(loads, Case{Level: tt.level, Platform: tt.platform, Shop: tt.shop}, tt.exclude)
			if got != tt.want || ok != (tt.want != "") {
				t.Fatalf("picked %q %v, want %q", got, ok, tt.want)
			}
		})
	}
}
