// Package config reads shouhou's settings: defaults, then a YAML file, then
// environment variables, then command-line flags, each overriding the one before.
// Shop policy (money rules, calendar, playbooks, scripts) lives in files named here so
// that a shop changes a number without recompiling.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/shouhou/shouhou/internal/clock"
	"github.com/shouhou/shouhou/internal/dispatch"
	"github.com/shouhou/shouhou/internal/notify"
	"github.com/shouhou/shouhou/internal/timers"
)

// Config is the whole server configuration.
type Config struct {
	Addr    string `yaml:"addr"`
	DataDir string `yaml:"data_dir"`
	// DatabaseURL selects PostgreSQL (postgres://…); empty means the embedded SQLite
	// database in DataDir.
	DatabaseURL string `yaml:"database_url"`
	// SQLiteSynchronous is FULL (an acknowledged write survives power loss) or NORMAL
	// (survives a crash of the process; faster).
	SQLiteSynchronous string    `yaml:"sqlite_synchronous"`
	SessionTTL        Duration  `yaml:"session_ttl"`
	SecureCookie      bool      `yaml:"secure_cookie"`
	Evidence          Evidence  `yaml:"evidence"`
	SLA               clock.SLA `yaml:"sla"`
	// PolicyFile, CalendarFile, PlaybooksDir and GuideFile override the built-in SOP
	// defaults: money rules, holidays, flows and the guide engine's settings.
	PolicyFile   string `yaml:"policy_file"`
	CalendarFile string `yaml:"calendar_file"`
	PlaybooksDir string `yaml:"playbooks_dir"`
	GuideFile    string `yaml:"guide_file"`
	// Timers, Clock, Dispatch and Notify: durable timers, the settable clock, automatic
	// assignment and notifications (internal/config/timers.go).
	Timers   timers.Config   `yaml:"timers"`
	Clock    Clock           `yaml:"clock"`
	Dispatch dispatch.Config `yaml:"dispatch"`
	Notify   notify.Config   `yaml:"notify"`
}

// Evidence bounds uploads.
type Evidence struct {
	PhotoMB int64 `yaml:"photo_mb"`
	VideoMB int64 `yaml:"video_mb"`
}

// Duration reads "12h" or "30m" from YAML.
type Duration struct{ time.Duration }

// UnmarshalYAML parses a Go duration string.
func (d *Duration) UnmarshalYAML(b []byte) error {
	var s string
	if err := yaml.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("时长格式不正确 %q (例如 12h、30m)", s)
	}
	d.Duration = v
	return nil
}

// Default is the configuration with no file: the embedded database in ./shouhou-data.
func Default() Config {
	return Config{
		Addr: "127.0.0.1:8080", DataDir: "shouhou-data", SQLiteSynchronous: "FULL",
		SessionTTL: Duration{12 * time.Hour}, Evidence: Evidence{PhotoMB: 10, VideoMB: 100},
		SLA: clock.DefaultSLA(), Timers: defaultTimers(), Dispatch: defaultDispatch(), Notify: defaultNotify(),
	}
}

// Load reads the file at path over the defaults (path "" reads nothing) and then
// the environment: SHOUHOU_ADDR, SHOUHOU_DATA, SHOUHOU_DATABASE_URL.
func Load(path string) (Config, error) {
	cfg := Default()
	if path != "" {
		raw, err := os.ReadFile(path)
		if err != nil {
			return cfg, fmt.Errorf("read config: %w", err)
		}
		if err := decodeOver(raw, &cfg); err != nil {
			return cfg, fmt.Errorf("%s: %s", path, yaml.FormatError(err, false, true))
		}
	}
	for env, field := range map[string]*string{"SHOUHOU_ADDR": &cfg.Addr, "SHOUHOU_DATA": &cfg.DataDir, "SHOUHOU_DATABASE_URL": &cfg.DatabaseURL} {
		if v := os.Getenv(env); v != "" {
			*field = v
		}
	}
	return cfg, cfg.Validate()
}

// decodeOver lays the file's settings over cfg. An empty or comment-only file keeps
// every default (decoding it directly would zero the struct).
func decodeOver(raw []byte, cfg *Config) error {
	var probe map[string]any
	if err := yaml.Unmarshal(raw, &probe); err != nil || len(probe) == 0 {
		return err
	}
	err := yaml.NewDecoder(bytes.NewReader(raw), yaml.Strict()).Decode(cfg)
	if errors.Is(err, io.EOF) {
		return nil
	}
	return err
}

// Validate checks the settings that would otherwise fail later and less clearly.
func (c Config) Validate() error {
	switch {
	case c.Addr == "":
		return errors.New("addr: 请设置监听地址,例如 127.0.0.1:8080")
	case c.DataDir == "":
		return errors.New("data_dir: 请设置数据目录")
	case c.SessionTTL.Duration < time.Minute:
		return errors.New("session_ttl: 会话时长至少1分钟")
	case c.Evidence.PhotoMB <= 0 || c.Evidence.VideoMB <= 0:
		return errors.New("evidence: 文件大小上限须为正数")
	}
	if err := c.SLA.Validate(); err != nil {
		return err
	}
	return errors.Join(c.Timers.Validate(), c.Clock.validate(), validateDispatch(c.Dispatch), c.Notify.Validate())
}

// SQLitePath is the embedded database file.
func (c Config) SQLitePath() string { return filepath.Join(c.DataDir, "shouhou.db") }

// BlobDir is where evidence files go.
func (c Config) BlobDir() string { return filepath.Join(c.DataDir, "blobs") }
