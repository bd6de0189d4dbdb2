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
	"strings"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/shouhou/shouhou/internal/blob"
	"github.com/shouhou/shouhou/internal/clock"
	"github.com/shouhou/shouhou/internal/dispatch"
	"github.com/shouhou/shouhou/internal/followup"
	"github.com/shouhou/shouhou/internal/notify"
	"github.com/shouhou/shouhou/internal/platform"
	"github.com/shouhou/shouhou/internal/quality"
	"github.com/shouhou/shouhou/internal/timers"
	"github.com/shouhou/shouhou/internal/tracking"
	"github.com/shouhou/shouhou/internal/uploadlink"
)

// Config is the whole server configuration. Every key carries a `doc` tag (and `env`
// when an environment variable sets it): docs/CONFIG.md is generated from them by
// Reference, and a test fails when the two drift apart.
type Config struct {
	Addr    string `yaml:"addr" env:"SHOUHOU_ADDR" flag:"--addr" doc:"listen address HOST:PORT"`
	DataDir string `yaml:"data_dir" env:"SHOUHOU_DATA" flag:"--data" path:"dir" doc:"the embedded database (shouhou.db) and the evidence files (blobs/); relative to the config file's folder when set there"`
	// DatabaseURL selects PostgreSQL (postgres://…); empty means the embedded SQLite
	// database in DataDir.
	DatabaseURL string `yaml:"database_url" env:"SHOUHOU_DATABASE_URL" doc:"postgres://user@host/db for PostgreSQL; empty: the embedded SQLite database in data_dir"`
	// SQLiteSynchronous is FULL (an acknowledged write survives power loss) or NORMAL
	// (survives a crash of the process; faster).
	SQLiteSynchronous string    `yaml:"sqlite_synchronous" doc:"FULL: an acknowledged write survives power loss; NORMAL: survives a crash of the process"`
	SessionTTL        Duration  `yaml:"session_ttl" doc:"browser session lifetime (Go duration: 12h, 30m)"`
	SecureCookie      bool      `yaml:"secure_cookie" doc:"mark the session cookie Secure; set behind HTTPS"`
	Evidence          Evidence  `yaml:"evidence"`
	SLA               clock.SLA `yaml:"sla"`
	// PolicyFile, CalendarFile, PlaybooksDir and GuideFile override the built-in SOP
	// defaults: money rules, holidays, flows and the guide engine's settings.
	PolicyFile   string `yaml:"policy_file" path:"file" doc:"the shop's money rules over the built-in ones (docs/POLICY.md); must exist"`
	CalendarFile string `yaml:"calendar_file" path:"file" doc:"the shop's holidays and working days (docs/POLICY.md); must exist"`
	PlaybooksDir string `yaml:"playbooks_dir" path:"dir" doc:"folder of *.yaml / *.yml flows replacing or adding to the built-in ones (docs/PLAYBOOKS.md); must exist"`
	GuideFile    string `yaml:"guide_file" path:"file" doc:"the guide engine's settings (docs/PLAYBOOKS.md); must exist"`
	// TrainingScenariosDir holds the shop's 培训 scenarios over the built-in ones.
	TrainingScenariosDir string `yaml:"training_scenarios_dir" path:"dir" doc:"folder of *.yaml 培训 scenarios replacing or adding to the built-in ones (docs/TRAINING.md); must exist"`
	// ClassifierFile and ClassifierLearnedFile tune the message classifier
	// (docs/CLASSIFIER.md): its settings over the SOP defaults, and the shop's own
	// labelled cases (shouhou corpus export) it learns from at start-up.
	ClassifierFile        string `yaml:"classifier_file" path:"file" doc:"the classifier's settings over the SOP defaults (suggest_below, learned_weight, calibration … docs/CLASSIFIER.md); must exist"`
	ClassifierLearnedFile string `yaml:"classifier_learned_file" path:"file" doc:"JSON lines of the shop's own labelled cases (shouhou corpus export -o FILE): the model learns from them at start-up, weighted over the built-in corpus; must exist"`
	// Timers, Clock, Dispatch and Notify: durable timers, the settable clock, automatic
	// assignment and notifications (internal/config/timers.go).
	Timers   timers.Config   `yaml:"timers"`
	Clock    Clock           `yaml:"clock"`
	Dispatch dispatch.Config `yaml:"dispatch"`
	Notify   notify.Config   `yaml:"notify"`
	// FollowUp: the 回访 visit after closing and the satisfaction threshold
	// (internal/config/timers.go).
	FollowUp followup.Config `yaml:"follow_up"`
	// Alerts: the 同批次 and courier-damage alerts (internal/config/timers.go).
	Alerts quality.Config `yaml:"alerts"`
	// Tracking: the parcel tracking provider and the parcels' silences (docs/TRACKING.md).
	Tracking tracking.Config `yaml:"tracking"`
	// Connectors: live platform APIs polled for after-sale changes (internal/platform);
	// off by default, credentials here.
	Connectors platform.ConnectorsConfig `yaml:"connectors"`
}

// Evidence bounds uploads, names where the files are kept (the data folder, or an
// S3-compatible bucket) and configures the customer's upload links.
type Evidence struct {
	PhotoMB int64             `yaml:"photo_mb" doc:"largest photo upload, MB"`
	VideoMB int64             `yaml:"video_mb" doc:"largest video upload, MB"`
	Link    uploadlink.Config `yaml:"link"`
	S3      S3                `yaml:"s3"`
}

// S3 keeps evidence in an S3-compatible bucket instead of data_dir/blobs, so several
// servers on one PostgreSQL database see the same files. Empty endpoint: local disk.
type S3 struct {
	Endpoint  string `yaml:"endpoint" env:"SHOUHOU_S3_ENDPOINT" doc:"S3-compatible server HOST:PORT (no scheme); empty: evidence on local disk in data_dir/blobs"`
	Bucket    string `yaml:"bucket" env:"SHOUHOU_S3_BUCKET" doc:"bucket of the evidence files (must exist)"`
	AccessKey string `yaml:"access_key" env:"SHOUHOU_S3_ACCESS_KEY" doc:"access key"`
	SecretKey string `yaml:"secret_key" env:"SHOUHOU_S3_SECRET_KEY" doc:"secret key (prefer the environment variable)"`
	Region    string `yaml:"region" doc:"region, when the server needs one"`
	Secure    bool   `yaml:"secure" doc:"use HTTPS to the S3 server"`
	Prefix    string `yaml:"prefix" doc:"name prefix of the objects (default evidence/)"`
}

// BlobConfig is the S3 store's configuration; ok is false when evidence stays on disk.
func (c Config) BlobConfig() (blob.S3Config, bool) {
	s := c.Evidence.S3
	if s.Endpoint == "" {
		return blob.S3Config{}, false
	}
	return blob.S3Config{Endpoint: s.Endpoint, Bucket: s.Bucket, AccessKey: s.AccessKey, SecretKey: s.SecretKey,
		Region: s.Region, Secure: s.Secure, Prefix: s.Prefix}, true
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
		SessionTTL: Duration{12 * time.Hour}, Evidence: Evidence{PhotoMB: 10, VideoMB: 100, Link: uploadlink.DefaultConfig()},
		SLA: clock.DefaultSLA(), Timers: defaultTimers(), Dispatch: defaultDispatch(), Notify: defaultNotify(),
		FollowUp: defaultFollowUp(), Alerts: defaultAlerts(), Tracking: tracking.DefaultConfig(), Connectors: platform.DefaultConnectors(),
	}
}

// Load reads the file at path over the defaults (path "" reads nothing) and then
// the environment: SHOUHOU_ADDR, SHOUHOU_DATA, SHOUHOU_DATABASE_URL. Relative paths in
// the file are resolved from the file's folder, so a config works from any working
// directory; paths from the environment and flags are relative to the working
// directory, as usual for a command line.
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
		resolveFrom(filepath.Dir(path), raw, &cfg)
	}
	for env, field := range map[string]*string{"SHOUHOU_ADDR": &cfg.Addr, "SHOUHOU_DATA": &cfg.DataDir, "SHOUHOU_DATABASE_URL": &cfg.DatabaseURL,
		"SHOUHOU_S3_ENDPOINT": &cfg.Evidence.S3.Endpoint, "SHOUHOU_S3_BUCKET": &cfg.Evidence.S3.Bucket,
		"SHOUHOU_S3_ACCESS_KEY": &cfg.Evidence.S3.AccessKey, "SHOUHOU_S3_SECRET_KEY": &cfg.Evidence.S3.SecretKey,
		"SHOUHOU_TRACKING_KEY": &cfg.Tracking.Key, "SHOUHOU_TRACKING_CUSTOMER": &cfg.Tracking.Customer, "SHOUHOU_TRACKING_SALT": &cfg.Tracking.Salt} {
		if v := os.Getenv(env); v != "" {
			*field = v
		}
	}
	return cfg, cfg.Validate()
}

// resolveFrom makes the relative paths the file set relative to dir.
func resolveFrom(dir string, raw []byte, cfg *Config) {
	var set map[string]any
	if yaml.Unmarshal(raw, &set) != nil {
		return
	}
	for key, field := range cfg.paths() {
		if _, ok := set[key]; ok && *field.value != "" && !filepath.IsAbs(*field.value) {
			*field.value = filepath.Join(dir, *field.value)
		}
	}
}

type pathField struct {
	value *string
	kind  string // "file" or "dir"
}

// paths are the settings that name a file or folder, by key.
func (c *Config) paths() map[string]pathField {
	return map[string]pathField{
		"data_dir": {&c.DataDir, "dir"}, "policy_file": {&c.PolicyFile, "file"}, "calendar_file": {&c.CalendarFile, "file"},
		"playbooks_dir": {&c.PlaybooksDir, "dir"}, "guide_file": {&c.GuideFile, "file"},
		"training_scenarios_dir": {&c.TrainingScenariosDir, "dir"},
		"classifier_file":        {&c.ClassifierFile, "file"}, "classifier_learned_file": {&c.ClassifierLearnedFile, "file"},
	}
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
	case c.Evidence.S3.Endpoint != "" && c.Evidence.S3.Bucket == "":
		return errors.New("evidence.s3.bucket: 设置了 S3 地址,请同时设置存储桶")
	case c.Evidence.S3.Endpoint != "" && strings.Contains(c.Evidence.S3.Endpoint, "://"):
		return fmt.Errorf("evidence.s3.endpoint: %q 只写主机和端口,不带 http(s)://;HTTPS 用 secure: true", c.Evidence.S3.Endpoint)
	}
	if err := c.Evidence.Link.Validate(); err != nil {
		return err
	}
	if err := c.SLA.Validate(); err != nil {
		return err
	}
	// The shop's files must exist: a mistyped path would otherwise run the built-in
	// rules as if the shop had none. data_dir is checked by the commands, which know
	// whether they may create it.
	for _, key := range []string{"policy_file", "calendar_file", "playbooks_dir", "guide_file", "classifier_file", "classifier_learned_file"} {
		f := c.paths()[key]
		if *f.value == "" {
			continue
		}
		fi, err := os.Stat(*f.value)
		switch {
		case err != nil:
			return fmt.Errorf("%s: 找不到 %s: %w", key, *f.value, err)
		case f.kind == "dir" && !fi.IsDir():
			return fmt.Errorf("%s: %s 不是目录", key, *f.value)
		case f.kind == "file" && fi.IsDir():
			return fmt.Errorf("%s: %s 是目录,应为文件", key, *f.value)
		}
	}
	return errors.Join(c.Timers.Validate(), c.Clock.validate(), validateDispatch(c.Dispatch), c.Notify.Validate(), c.FollowUp.Validate(), c.Alerts.Validate(), c.Tracking.Validate(), c.Connectors.Validate())
}

// TrainingPath is the training space's own embedded database (practice cases): beside
// the shop's data, never in its tables, whatever the shop's database is.
func (c Config) TrainingPath() string { return filepath.Join(c.DataDir, "training.db") }

// SQLitePath is the embedded database file.
func (c Config) SQLitePath() string { return filepath.Join(c.DataDir, "shouhou.db") }

// BlobDir is where evidence files go.
func (c Config) BlobDir() string { return filepath.Join(c.DataDir, "blobs") }
