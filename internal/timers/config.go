// Package timers runs the durable timers of cases: every running clock of a case (first
// response, resolution, the near-deadline warnings, each playbook timer, the follow-up
// visit of internal/followup) is a row in case_timers written in the transaction of the event that starts,
// moves or cancels it. The Scheduler sleeps until the earliest row is due and has the
// desk fire what is due, each timer in the transaction that claims and deletes its row
// and appends timer.fired to the case, so a timer fires exactly once — across restarts
// and across server processes on one PostgreSQL.
package timers

import (
	"errors"
	"fmt"
	"time"
)

// Config holds the numbers of the timers; internal/config holds their defaults.
type Config struct {
	// WarnPercent is how much of a deadline's time may pass before the case is flagged
	// 即将超时 (SOP: 80 %); 0 switches the warnings off.
	WarnPercent int `yaml:"warn_percent" json:"warn_percent" doc:"share of a deadline after which the case is flagged 即将超时 (SOP: 80); 0 switches the warnings off"`
	// Batch is how many due timers one firing transaction claims; Workers how many
	// firing transactions run at once when many timers are due together.
	Batch   int `yaml:"batch" json:"batch" doc:"due timers one firing transaction claims"`
	Workers int `yaml:"workers" json:"workers" doc:"firing transactions that run at once when many timers are due together"`
	// Recheck bounds how long the scheduler sleeps without looking at the table, so that
	// timers another process scheduled (PostgreSQL, several servers) are seen; 0: only
	// wake for the earliest known timer and for this process's own schedules.
	Recheck time.Duration `yaml:"recheck" json:"recheck" doc:"longest sleep without looking at the timers table, so timers of other server processes are seen (PostgreSQL)"`
	// RetryAfter is how long the scheduler waits after a failed firing transaction.
	RetryAfter time.Duration `yaml:"retry_after" json:"retry_after" doc:"wait after a failed firing transaction"`
	// PauseIntents are the intents of outgoing messages that ask the customer for
	// something (photos, video, an answer): sending one pauses the SLA clock until the
	// customer answers.
	PauseIntents []string `yaml:"pause_intents" json:"pause_intents" doc:"intents of outgoing messages that ask the customer for something: sending one pauses the SLA clock until the customer answers"`
	// PlatformWarn is how long before the platform's own deadline for the seller's step
	// the case is flagged 平台处理时限将到 (the platform decides by itself at the deadline:
	// an automatic refund, a ruling); 0 switches the warning off.
	PlatformWarn time.Duration `yaml:"platform_warn" json:"platform_warn" doc:"how long before the platform's own deadline for the seller's step the case is flagged 平台处理时限将到; 0 switches the warning off"`
}

// Validate checks the numbers.
func (c Config) Validate() error {
	var errs []error
	if c.WarnPercent < 0 || c.WarnPercent >= 100 {
		errs = append(errs, fmt.Errorf("timers.warn_percent: 须在0到99之间,不是%d", c.WarnPercent))
	}
	if c.Batch <= 0 || c.Workers <= 0 {
		errs = append(errs, errors.New("timers.batch / workers: 须为正数"))
	}
	if c.PlatformWarn < 0 {
		errs = append(errs, errors.New("timers.platform_warn: 不能为负数"))
	}
	if c.Recheck < 0 || c.RetryAfter <= 0 {
		errs = append(errs, errors.New("timers.recheck / retry_after: 须为正数"))
	}
	return errors.Join(errs...)
}
