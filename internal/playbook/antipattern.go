package playbook

import (
	"fmt"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
)

// Flag is an anti-pattern of SOP §1.1 seen on the case.
type Flag struct {
	ID      string `json:"id"`
	Message string `json:"message"`
}

// Anti-pattern ids.
const (
	FlagSoothingLoop = "soothing_loop"  // §1.1a: apologising again and again, no solution
	FlagStuckInStage = "stuck_in_stage" // §1.1b: the case does not move on
)

func (e *Engine) flags(c *cases.Case, t *trail, now time.Time) []Flag {
	var out []Flag
	if n := t.soothingSinceOffer(); n >= e.cfg.SoothingLimit {
		out = append(out, Flag{FlagSoothingLoop, fmt.Sprintf("已安抚%d次仍未提出方案：请尽快给出解决方案", n)})
	}
	if f, ok := e.stuck(c, t, now); ok {
		out = append(out, f)
	}
	return out
}

// stuck flags an open case that has stayed in its stage longer than configured.
func (e *Engine) stuck(c *cases.Case, t *trail, now time.Time) (Flag, bool) {
	limit, ok := e.cfg.StuckAfter[c.Stage]
	if !ok || limit.zero() || c.Status == cases.StatusClosed || c.Stage == cases.StageClosed {
		return Flag{}, false
	}
	since := t.stageSince()
	if !now.After(limit.after(since, e.days)) {
		return Flag{}, false
	}
	return Flag{FlagStuckInStage, fmt.Sprintf("案件在「%s」阶段停留超过%s：请推进到下一步",
		cases.StageLabels[c.Stage], limit.Label())}, true
}
