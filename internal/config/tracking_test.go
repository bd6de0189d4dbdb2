package config

import (
	"strings"
	"testing"
	"time"
)

func TestTrackingSettingsOverrideTheirDefaultsAndKeysComeFromTheEnvironment(t *testing.T) {
	t.Setenv("SHOUHOU_TRACKING_SALT", "from-env")
	p := writeConfig(t, t.TempDir(), `tracking:
  enabled: true
  key: k1
  customer: C1
  salt: in-file
  callback_url: https://desk.example.com/api/v1/tracking/callback/kuaidi100
  poll_every: 2h
  stalled_after: 48h
`)
	cfg, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	tr := cfg.Tracking
	if !tr.Enabled || tr.Key != "k1" || tr.Salt != "from-env" || tr.PollEvery != 2*time.Hour || tr.StalledAfter != 48*time.Hour || tr.BaseURL != "https://poll.kuaidi100.com" {
		t.Fatalf("tracking: %+v", tr)
	}
}

func TestTrackingMistakesStopTheServer(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"on without keys", "tracking:\n  enabled: true\n", "tracking.key"},
		{"a mistyped provider", "tracking:\n  provider: kuaidi1000\n", "tracking.provider"},
		{"a mistyped key", "tracking:\n  poll_evrey: 1h\n", "poll_evrey"},
		{"a callback elsewhere", "tracking:\n  enabled: true\n  key: k\n  customer: c\n  salt: s\n  callback_url: https://desk.example.com/hook\n", "tracking.callback_url"},
		{"no stall span", "tracking:\n  stalled_after: 0s\n", "tracking.stalled_after"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Load(writeConfig(t, t.TempDir(), tt.yaml)); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("%v; want an error naming %s", err, tt.want)
			}
		})
	}
}
