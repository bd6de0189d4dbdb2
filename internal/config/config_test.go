package config

import (
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
