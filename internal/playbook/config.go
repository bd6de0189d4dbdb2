package playbook

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/shouhou/shouhou/internal/cases"
)

// Span is a duration in hours or in working days (one of the two).
type Span struct {
	Hours       float64 `yaml:"hours,omitempty" json:"hours,omitempty"`
	WorkingDays int     `yaml:"working_days,omitempty" json:"working_days,omitempty"`
}

func (s Span) zero() bool { return s.Hours == 0 && s.WorkingDays == 0 }

func (s Span) valid() bool {
	return s.Hours >= 0 && s.WorkingDays >= 0 && !(s.Hours > 0 && s.WorkingDays > 0)
}

// Label is the span in Chinese, e.g. "3个工作日", "48小时".
func (s Span) Label() string {
	if s.WorkingDays > 0 {
		return fmt.Sprintf("%d个工作日", s.WorkingDays)
	}
	return fmt.Sprintf("%g小时", s.Hours)
}

// TimerSetting is the duration of a named timer, optionally different per platform.
type TimerSetting struct {
	Span      `yaml:",inline"`
	Platforms map[cases.Platform]Span `yaml:"platforms,omitempty" json:"platforms,omitempty"`
}

func (t TimerSetting) forPlatform(p cases.Platform) Span {
	if s, ok := t.Platforms[p]; ok {
		return s
	}
	return t.Span
}

// Config holds every number and list of the SOP the engine uses; DefaultConfig gives
// the SOP's values. Flow-specific numbers live in the flow files instead.
type Config struct {
	// SoothingLimit is how many soothing messages without a solution offered since make
	// the soothing-loop anti-pattern (SOP §1.1a).
	SoothingLimit int `yaml:"soothing_limit" json:"soothing_limit"`
	// StuckAfter is how long a case may stay in one stage (SOP §1.1b).
	StuckAfter map[cases.Stage]Span `yaml:"stuck_after" json:"stuck_after"`
	// Timers gives the duration of flow timers that do not carry their own.
	Timers map[string]TimerSetting `yaml:"timers" json:"timers"`
	// Ladder is the solution ladder of SOP §4, highest rung first.
	Ladder []string `yaml:"ladder" json:"ladder"`
	// CustomerOnly are solutions only the customer may propose (退货, SOP §4).
	CustomerOnly []string `yaml:"customer_only" json:"customer_only"`
	// RefundKinds need 劝留 then 原因引导 once the customer asked to return (SOP §4).
	RefundKinds []string `yaml:"refund_kinds" json:"refund_kinds"`
	// Reasons the agent may guide the customer to, must never, and should avoid.
	AllowedReasons     []string `yaml:"allowed_reasons" json:"allowed_reasons"`
	ForbiddenReasons   []string `yaml:"forbidden_reasons" json:"forbidden_reasons"`
	DiscouragedReasons []string `yaml:"discouraged_reasons" json:"discouraged_reasons"`
}

// Timer names the default flows take from Config.
const (
	TimerNoPickup          = "no_pickup"          // 揽收超时: no tracking within 48 h → reship or refund
	TimerLostParcel        = "lost_parcel"        // 丢件: 3 working days → reship or refund
	TimerComplaintDeadline = "complaint_deadline" // 投诉: the platform's answer deadline
)

// Return reasons of SOP §4.
const (
	ReasonSevenDays    = "seven_days_no_reason"
	ReasonOther        = "other"
	ReasonLateShipment = "late_shipment"
	ReasonQuality      = "quality"
)

func reasonLabel(r string) string {
	switch r {
	case ReasonSevenDays:
		return "七天无理由"
	case ReasonOther:
		return "其他"
	case ReasonLateShipment:
		return "未按约定时间发货"
	case ReasonQuality:
		return "质量问题"
	}
	return r
}

// DefaultConfig returns the SOP's values. The stuck-in-stage durations and the platform
// complaint deadlines are not in the seeds: they are starting points a shop should set.
func DefaultConfig() Config {
	return Config{
		SoothingLimit: 3,
		StuckAfter: map[cases.Stage]Span{
			cases.StageSoothe:   {Hours: 1},
			cases.StageVerify:   {Hours: 24},
			cases.StageSolution: {Hours: 4},
			cases.StageExecute:  {Hours: 48},
			cases.StageRemark:   {Hours: 2},
			cases.StageRegister: {Hours: 24},
			cases.StageFollowUp: {Hours: 72},
		},
		Timers: map[string]TimerSetting{
			TimerNoPickup:   {Span: Span{Hours: 48}},
			TimerLostParcel: {Span: Span{WorkingDays: 3}},
			TimerComplaintDeadline: {Span: Span{Hours: 48}, Platforms: map[cases.Platform]Span{
				cases.PlatformJD: {Hours: 24},
			}},
		},
		Ladder:             []string{cases.SolutionCompensation, cases.SolutionReship, cases.SolutionExchange, cases.SolutionReturnRefund},
		CustomerOnly:       []string{cases.SolutionReturnRefund},
		RefundKinds:        []string{cases.SolutionReturnRefund, cases.SolutionRefundOnly},
		AllowedReasons:     []string{ReasonSevenDays, ReasonOther},
		ForbiddenReasons:   []string{ReasonLateShipment},
		DiscouragedReasons: []string{ReasonQuality},
	}
}

// LoadConfig reads YAML over DefaultConfig: a key present replaces the default (map
// entries one by one, lists as a whole); a key absent keeps it.
func LoadConfig(data []byte) (Config, error) {
	cfg := DefaultConfig()
	var over Config
	dec := yaml.NewDecoder(bytes.NewReader(data), yaml.DisallowUnknownField())
	if err := dec.Decode(&over); err != nil && !isEmptyDocument(err) {
		return cfg, fmt.Errorf("playbook config: %w", err)
	}
	cfg = overlay(cfg, over)
	if err := cfg.Validate(); err != nil {
		return cfg, fmt.Errorf("playbook config: %w", err)
	}
	return cfg, nil
}

func isEmptyDocument(err error) bool { return errors.Is(err, io.EOF) }

func overlay(cfg, over Config) Config {
	if over.SoothingLimit != 0 {
		cfg.SoothingLimit = over.SoothingLimit
	}
	for k, v := range over.StuckAfter {
		cfg.StuckAfter[k] = v
	}
	for k, v := range over.Timers {
		cfg.Timers[k] = v
	}
	replace(&cfg.Ladder, over.Ladder)
	replace(&cfg.CustomerOnly, over.CustomerOnly)
	replace(&cfg.RefundKinds, over.RefundKinds)
	replace(&cfg.AllowedReasons, over.AllowedReasons)
	replace(&cfg.ForbiddenReasons, over.ForbiddenReasons)
	replace(&cfg.DiscouragedReasons, over.DiscouragedReasons)
	return cfg
}

func replace(dst *[]string, src []string) {
	if src != nil {
		*dst = src
	}
}

// Validate reports settings the engine cannot work with.
func (c Config) Validate() error {
	var errs []error
	if c.SoothingLimit < 1 {
		errs = append(errs, fmt.Errorf("soothing_limit must be at least 1, got %d", c.SoothingLimit))
	}
	for stage, s := range c.StuckAfter {
		if !stage.Valid() || !s.valid() {
			errs = append(errs, fmt.Errorf("stuck_after %q: unknown stage or bad duration", stage))
		}
	}
	for name, t := range c.Timers {
		if !t.valid() || t.zero() {
			errs = append(errs, fmt.Errorf("timer %q: give hours or working_days", name))
		}
	}
	for _, list := range [][]string{c.Ladder, c.CustomerOnly, c.RefundKinds} {
		for _, k := range list {
			if _, ok := cases.SolutionLabel(k); !ok {
				errs = append(errs, fmt.Errorf("unknown solution kind %q", k))
			}
		}
	}
	return errors.Join(errs...)
}

// WorkingDays adds working days (skipping weekends, holidays and 调休 as the shop's
// calendar says); the engine needs it for timers such as the 3-working-day lost parcel.
type WorkingDays interface {
	AddWorkingDays(t time.Time, n int) time.Time
}

func (s Span) after(start time.Time, days WorkingDays) time.Time {
	if s.WorkingDays > 0 {
		return days.AddWorkingDays(start, s.WorkingDays)
	}
	return start.Add(time.Duration(s.Hours * float64(time.Hour)))
}
