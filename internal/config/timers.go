package config

import (
	"errors"
	"fmt"
	"time"

	"github.com/shouhou/shouhou/internal/dispatch"
	"github.com/shouhou/shouhou/internal/followup"
	"github.com/shouhou/shouhou/internal/notify"
	"github.com/shouhou/shouhou/internal/quality"
	"github.com/shouhou/shouhou/internal/timers"
)

// Clock sets the server's clock for demos and training: Offset moves it from the wall
// clock at start-up; AllowAdvance lets an admin move it forward while it runs
// (POST /api/v1/clock/advance). Both are off by default and never on in production.
type Clock struct {
	Offset       Duration `yaml:"offset" doc:"move the server's clock by this (demo, training; Go duration such as 30h); also --clock-offset"`
	AllowAdvance bool     `yaml:"allow_advance" doc:"let an admin move the clock forward with POST /api/v1/clock/advance (demo, training only); also --allow-clock-advance"`
}

// defaultTimers are the numbers of the durable timers (internal/timers): the 80 %
// near-deadline warning, how many timers one
// transaction fires, and the outgoing-message intents that pause the SLA clock.
func defaultTimers() timers.Config {
	return timers.Config{
		WarnPercent:  80,
		Batch:        256,
		Workers:      4,
		Recheck:      10 * time.Second,
		RetryAfter:   time.Second,
		PauseIntents: []string{"verify", "collect_info"},
		PlatformWarn: 12 * time.Hour,
	}
}

func (c Clock) validate() error {
	if c.Offset.Duration < 0 {
		return errors.New("clock.offset: 不能为负数")
	}
	return nil
}

// defaultDispatch assigns new cases automatically and hands an agent's open cases to
// others when they go away or off.
func defaultDispatch() dispatch.Config {
	return dispatch.Config{Auto: true, Redistribute: []dispatch.Status{dispatch.Away, dispatch.Off}}
}

func validateDispatch(c dispatch.Config) error {
	for _, s := range c.Redistribute {
		if !s.Valid() || s == dispatch.Online {
			return fmt.Errorf("dispatch.redistribute: %q 不是 away 或 off", s)
		}
	}
	return nil
}

// defaultNotify: no webhooks until configured; a failed delivery is tried 6 times in
// all, 30 s after the first failure and twice as long after each next one (at most
// 1 h); one request may take 10 s; a claimed delivery is reserved for 60 s; an idle
// 通知 stream writes a keep-alive every 30 s.
func defaultNotify() notify.Config {
	return notify.Config{MaxAttempts: 6, Backoff: 30 * time.Second, BackoffMax: time.Hour, Timeout: 10 * time.Second,
		Lease: time.Minute, KeepAlive: 30 * time.Second}
}

// defaultFollowUp: the 回访 visit is due at 10:00 on the next working day after closing
// (the shop's calendar); a score of 2 or less reopens the case for a supervisor.
func defaultFollowUp() followup.Config {
	return followup.Config{WorkingDays: 1, At: "10:00", CSATThreshold: 2}
}

// defaultAlerts: 3 quality cases on one SKU+batch within 7 days raise a 同批次 alert;
// 3 damaged parcels of one courier within 7 days raise a courier alert (SOP §7).
func defaultAlerts() quality.Config {
	return quality.Config{BatchCount: 3, BatchWindow: 7 * 24 * time.Hour, CourierCount: 3, CourierWindow: 7 * 24 * time.Hour}
}
