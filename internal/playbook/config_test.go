package playbook

import (
	"os"
	"strings"
	"testing"

	"github.com/shouhou/shouhou/internal/cases"
)

func TestDefaultConfigCarriesTheSOPNumbers(t *testing.T) {
	cfg := DefaultConfig()
	checks := []struct {
		name string
		ok   bool
	}{
		{"soothing limit 3", cfg.SoothingLimit == 3},
		{"no pickup 48 h", cfg.Timers[TimerNoPickup].Span == Span{Hours: 48}},
		{"lost parcel 3 working days", cfg.Timers[TimerLostParcel].Span == Span{WorkingDays: 3}},
		{"ladder compensation > reship > exchange > return", strings.Join(cfg.Ladder, ",") == "compensation,reship,exchange,return_refund"},
		{"allowed reasons 七天无理由 and 其他", strings.Join(cfg.AllowedReasons, ",") == "seven_days_no_reason,other"},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("default config: %s", c.name)
		}
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestLoadConfigOverlaysOnlyTheKeysGiven(t *testing.T) {
	data, err := os.ReadFile("testdata/config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(data)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name string
		ok   bool
	}{
		{"soothing limit replaced", cfg.SoothingLimit == 4},
		{"solution stuck replaced", cfg.StuckAfter[cases.StageSolution] == Span{Hours: 2}},
		{"verify stuck kept", cfg.StuckAfter[cases.StageVerify] == Span{Hours: 24}},
		{"lost parcel replaced", cfg.Timers[TimerLostParcel].Span == Span{WorkingDays: 2}},
		{"no pickup kept", cfg.Timers[TimerNoPickup].Span == Span{Hours: 48}},
		{"ladder kept", len(cfg.Ladder) == 4},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("%s: %+v", c.name, cfg)
		}
	}
}

func TestLoadConfigRejectsBadSettings(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"zero soothing limit", "soothing_limit: -1\n", "soothing_limit"},
		{"unknown ladder kind", "ladder: [compensation, magic]\n", `"magic"`},
		{"timer with both units", "timers:\n  lost_parcel: {hours: 1, working_days: 1}\n", "lost_parcel"},
		{"unknown key", "soothing_limt: 3\n", "soothing_limt"},
		{"unknown stage", "stuck_after:\n  nap: {hours: 1}\n", "nap"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadConfig([]byte(tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestEmptyConfigIsTheDefault(t *testing.T) {
	cfg, err := LoadConfig(nil)
	if err != nil || cfg.SoothingLimit != 3 {
		t.Fatalf("cfg %+v err %v", cfg, err)
	}
}
