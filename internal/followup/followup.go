// Package followup holds the rules of the 回访 visit after a case is closed (SOP §7):
// when the visit is due (the next working day of the shop's calendar by default), what
// an outcome must carry (a satisfaction score 1–5, whether the problem is solved, a
// comment) and when an outcome sends the case back to a supervisor. It reads no clock.
package followup

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shouhou/shouhou/internal/calendar"
)

// Config holds the numbers of the follow-up; internal/config holds their defaults.
type Config struct {
	// WorkingDays is how many working days after the closing day the visit is due;
	// 0 schedules no visit.
	WorkingDays int `yaml:"working_days" json:"working_days" doc:"working days after the closing day when the 回访 visit is due (shop calendar, 调休 included); 0: no visit"`
	// At is the time of day (HH:MM, shop's zone) the visit is due on that day.
	At string `yaml:"at" json:"at" doc:"time of day (HH:MM, the shop's zone) the visit is due"`
	// CSATThreshold: a score at or below it reopens the case for a supervisor.
	CSATThreshold int `yaml:"csat_threshold" json:"csat_threshold" doc:"a satisfaction score (1-5) at or below this reopens the case for a supervisor"`
}

// Validate checks the numbers.
func (c Config) Validate() error {
	var errs []error
	if c.WorkingDays < 0 || c.WorkingDays > 30 {
		errs = append(errs, fmt.Errorf("follow_up.working_days: 须在0到30之间,不是%d", c.WorkingDays))
	}
	if _, _, err := c.clock(); err != nil {
		errs = append(errs, err)
	}
	if c.CSATThreshold < 0 || c.CSATThreshold > MaxCSAT {
		errs = append(errs, fmt.Errorf("follow_up.csat_threshold: 须在0到%d之间,不是%d", MaxCSAT, c.CSATThreshold))
	}
	return errors.Join(errs...)
}

func (c Config) clock() (h, m int, err error) {
	if c.At == "" {
		return 0, 0, nil
	}
	hs, ms, ok := strings.Cut(c.At, ":")
	h, e1 := strconv.Atoi(hs)
	m, e2 := strconv.Atoi(ms)
	if !ok || e1 != nil || e2 != nil || h < 0 || h > 23 || m < 0 || m > 59 || len(ms) != 2 {
		return 0, 0, fmt.Errorf("follow_up.at: 须为 HH:MM 形式的时刻,不是 %q", c.At)
	}
	return h, m, nil
}

// Enabled reports whether closing schedules a visit.
func (c Config) Enabled() bool { return c.WorkingDays > 0 }

// Due is when the visit of a case closed at closed is due: At on the WorkingDays-th
// working day after the closing day, in the calendar's zone.
func (c Config) Due(closed time.Time, cal *calendar.Calendar) time.Time {
	day := cal.AddWorkingDays(closed, c.WorkingDays).In(cal.Location())
	h, m, _ := c.clock()
	return time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, cal.Location()).UTC()
}

// Score bounds.
const (
	MinCSAT = 1
	MaxCSAT = 5
)

// Escalation says why an outcome sends the case to a supervisor ("" when it does not):
// a score at or below the threshold, or a problem not solved.
func (c Config) Escalation(csat int, solved bool) string {
	var why []string
	if csat > 0 && csat <= c.CSATThreshold {
		why = append(why, fmt.Sprintf("满意度%d分(不高于%d分)", csat, c.CSATThreshold))
	}
	if !solved {
		why = append(why, "顾客表示问题未解决")
	}
	if len(why) == 0 {
		return ""
	}
	return "回访不满意:" + strings.Join(why, ",") + ",转主管处理"
}
