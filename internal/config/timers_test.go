package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTimerDispatchAndNotifySettingsOverrideTheirDefaults(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shouhou.yaml")
	os.WriteFile(path, []byte(`sla:
  business_hours:
    enabled: true
timers:
  warn_percent: 75
dispatch:
  redistribute: [off]
notify:
  webhooks:
    - {name: ops, url: "https://hooks.example.com/x", format: signed, secret: s}
`), 0o600)
	cfg, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	bh := cfg.SLA.BusinessHours
	if !bh.Enabled || bh.Start != "09:00" || bh.End != "22:00" || cfg.SLA.Levels[1].ResolveHours != 24 {
		t.Errorf("business hours %+v, levels %+v", bh, cfg.SLA.Levels)
	}
	if cfg.Timers.WarnPercent != 75 || cfg.Timers.Batch != 256 {
		t.Errorf("timers %+v", cfg.Timers)
	}
	if len(cfg.Dispatch.Redistribute) != 1 || !cfg.Dispatch.Auto || len(cfg.Notify.Webhooks) != 1 || cfg.Notify.MaxAttempts != 6 {
		t.Errorf("dispatch %+v notify %+v", cfg.Dispatch, cfg.Notify)
	}
}

func TestTimerSettingMistakesStopTheServer(t *testing.T) {
	for _, bad := range []string{
		"timers:\n  warn_percent: 120\n",
		"dispatch:\n  redistribute: [online]\n",
		"notify:\n  webhooks:\n    - {name: a, url: 'ftp://x', format: signed, secret: s}\n",
		"sla:\n  business_hours:\n    enabled: true\n    start: '22:00'\n    end: '09:00'\n",
		"clock:\n  offset: -1h\n",
		"timers:\n  warn_percnt: 80\n",
	} {
		path := filepath.Join(t.TempDir(), "shouhou.yaml")
		os.WriteFile(path, []byte(bad), 0o600)
		if _, err := Load(path); err == nil {
			t.Errorf("accepted %q", strings.TrimSpace(bad))
		}
	}
}
