package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestShopFileOverridesDefaultsAndEnvOverridesFile(t *testing.T) {
	t.Setenv("SHOUHOU_DATA", "/var/lib/shouhou")
	cfg, err := Load("testdata/shop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != "0.0.0.0:9090" || cfg.SessionTTL.Duration != 8*time.Hour || cfg.SLA.Levels[1].ResolveHours != 12 {
		t.Fatalf("file not applied: %+v", cfg)
	}
	if cfg.DataDir != "/var/lib/shouhou" {
		t.Fatalf("SHOUHOU_DATA not applied: %s", cfg.DataDir)
	}
	if cfg.Evidence.VideoMB != 100 {
		t.Fatalf("a default not named in the file was lost: %+v", cfg.Evidence)
	}
}

func TestCommentOnlyFileMeansDefaults(t *testing.T) {
	cfg, err := Load("testdata/empty.yaml")
	if err != nil || cfg.Addr != Default().Addr {
		t.Fatalf("%+v %v", cfg, err)
	}
}

func TestBadFilesFailWithTheReason(t *testing.T) {
	for file, want := range map[string]string{"testdata/typo.yaml": "adr", "testdata/badttl.yaml": "时长", "testdata/missing.yaml": "read config"} {
		if _, err := Load(file); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v (want mention of %q)", file, err, want)
		}
	}
}

func writeConfig(t *testing.T, dir, body string) string {
	t.Helper()
	p := filepath.Join(dir, "shouhou.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRelativePathsInTheFileResolveFromTheFilesFolder(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "flows"), 0o700)
	os.WriteFile(filepath.Join(dir, "policy.yaml"), []byte("{}\n"), 0o600)
	p := writeConfig(t, dir, "data_dir: data\nplaybooks_dir: flows\npolicy_file: policy.yaml\n")
	t.Chdir(t.TempDir()) // somewhere else entirely
	cfg, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.DataDir != filepath.Join(dir, "data") || cfg.PlaybooksDir != filepath.Join(dir, "flows") || cfg.PolicyFile != filepath.Join(dir, "policy.yaml") {
		t.Fatalf("paths not resolved from %s: %+v", dir, cfg)
	}
}

func TestEveryConfiguredFileAndFolderMustExist(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "policy.yaml"), []byte("{}\n"), 0o600)
	for body, want := range map[string]string{
		"playbooks_dir: /nonexistent\n":  "playbooks_dir",
		"policy_file: nope.yaml\n":       "policy_file",
		"calendar_file: holidays.yaml\n": "calendar_file",
		"guide_file: guide.yaml\n":       "guide_file",
		"playbooks_dir: policy.yaml\n":   "不是目录",
		"policy_file: .\n":               "是目录",
	} {
		if _, err := Load(writeConfig(t, dir, body)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err %v, want mention of %q", body, err, want)
		}
	}
}

func TestOneSLANumberOverridesOnlyThatNumber(t *testing.T) {
	dir := t.TempDir()
	cfg, err := Load(writeConfig(t, dir, "sla:\n  levels:\n    1: {resolve_hours: 12}\n"))
	if err != nil {
		t.Fatal(err)
	}
	def := Default().SLA.Levels
	if got := cfg.SLA.Levels[1]; got.ResolveHours != 12 || got.FirstResponseHours != def[1].FirstResponseHours {
		t.Fatalf("level 1 = %+v", got)
	}
	if cfg.SLA.Levels[2] != def[2] || cfg.SLA.Levels[3] != def[3] {
		t.Fatalf("other levels lost: %+v", cfg.SLA.Levels)
	}
	if Default().SLA.Levels[1].ResolveHours != 24 {
		t.Fatal("loading a file changed the defaults")
	}
	for body, want := range map[string]string{
		"sla:\n  levels:\n    4: {resolve_hours: 12}\n":        "等级",
		"sla:\n  levels:\n    1: {resolve_hour: 12}\n":         "resolve_hour",
		"sla:\n  levels:\n    1: {first_response_hours: 30}\n": "首次响应",
	} {
		if _, err := Load(writeConfig(t, dir, body)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err %v, want mention of %q", body, err, want)
		}
	}
}
