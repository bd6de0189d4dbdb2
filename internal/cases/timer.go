package cases

import (
	"encoding/json"
	"slices"
	"time"
)

// Events of the case clocks: durable timers firing, and the SLA pausing while the case
// waits on the customer or a third party.
const (
	EvTimerFired EventType = "timer.fired"  // TimerFiredPayload: a durable timer ran out
	EvSLAPaused  EventType = "sla.paused"   // PausePayload: the resolution clock stops
	EvSLAResumed EventType = "sla.resumed"  // PausePayload: it runs again; the due times move by the pause
	EvNotified   EventType = "notification" // NotificationPayload: people were told about the case
)

// Timer kinds. Playbook timers are TimerPlaybookPrefix + the flow timer's name.
const (
	TimerResponse       = "first_response"      // 首次响应超时
	TimerResponseWarn   = "first_response_warn" // 首次响应即将超时
	TimerResolve        = "resolve"             // 解决超时
	TimerResolveWarn    = "resolve_warn"        // 解决即将超时
	TimerFollowUp       = "follow_up"           // 回访到期
	TimerPlaybookPrefix = "playbook."
)

// TimerLabel is the Chinese name of a timer kind.
func TimerLabel(kind string) string {
	switch kind {
	case TimerResponse:
		return "首次响应超时"
	case TimerResponseWarn:
		return "首次响应即将超时"
	case TimerResolve:
		return "解决超时"
	case TimerResolveWarn:
		return "解决即将超时"
	case TimerFollowUp:
		return "回访到期"
	case TimerParcelNoPickup:
		return "无揽收记录"
	case TimerParcelStalled:
		return "物流停滞"
	case TimerPlatform:
		return "平台处理时限到期"
	case TimerPlatformWarn:
		return "平台处理时限将到"
	}
	if len(kind) > len(TimerPlaybookPrefix) && kind[:len(TimerPlaybookPrefix)] == TimerPlaybookPrefix {
		return "流程计时到期:" + kind[len(TimerPlaybookPrefix):]
	}
	return kind
}

// TimerFiredPayload says which timer ran out, when it was due and what the SOP says to
// do next.
type TimerFiredPayload struct {
	Kind  string    `json:"kind"`
	Label string    `json:"label"`
	DueAt time.Time `json:"due_at"`
	Next  string    `json:"next,omitempty"`
}

// Pause reasons: the case waits on the customer (photos, video, an answer) or on a
// third party (courier, factory, platform).
const (
	PauseCustomer   = "customer"
	PauseThirdParty = "third_party"
)

// PauseReasonLabels are the Chinese names of the pause reasons.
var PauseReasonLabels = map[string]string{PauseCustomer: "等待顾客", PauseThirdParty: "等待第三方"}

// PausePayload starts or ends a pause of the SLA clock.
type PausePayload struct {
	Reason string `json:"reason,omitempty"`
	Note   string `json:"note,omitempty"`
	// ResolveDueAt on a resume is the moved resolution deadline when the desk counts
	// business hours (the pause's business time added); without it the deadline moves
	// by the pause's length.
	ResolveDueAt *time.Time `json:"resolve_due_at,omitempty"`
}

// Pause is one stop of the SLA clock; Until is nil while it lasts.
type Pause struct {
	Reason string     `json:"reason"`
	Note   string     `json:"note,omitempty"`
	Since  time.Time  `json:"since"`
	Until  *time.Time `json:"until,omitempty"`
}

// NotificationPayload records who was told what about the case.
type NotificationPayload struct {
	Kind       string   `json:"kind"`
	Text       string   `json:"text"`
	Recipients []string `json:"recipients"`
}

// Clocks is the state of a case's clocks as its events made it.
type Clocks struct {
	// Fired maps a timer kind to the due time (Unix ms) it fired for, so that a
	// timer fires once for each due time it ever had.
	Fired map[string]int64 `json:"fired,omitempty"`
	// ResponseBreached / ResolveBreached: the first-response or resolution timer fired
	// (超时); Warned: a near-deadline timer fired (即将超时).
	ResponseBreached bool `json:"response_breached,omitempty"`
	ResolveBreached  bool `json:"resolve_breached,omitempty"`
	Warned           bool `json:"warned,omitempty"`
	// Pauses are the stops of the SLA clock; PausedMillis is their total length once
	// ended.
	Pauses       []Pause `json:"pauses,omitempty"`
	PausedMillis int64   `json:"paused_ms,omitempty"`
}

// Paused is the pause that lasts now, if any.
func (c *Case) Paused() (Pause, bool) {
	if n := len(c.Clocks.Pauses); n > 0 && c.Clocks.Pauses[n-1].Until == nil {
		return c.Clocks.Pauses[n-1], true
	}
	return Pause{}, false
}

// PausedFor is the total time the SLA clock stood still up to now, the running pause
// included.
func (c *Case) PausedFor(now time.Time) time.Duration {
	d := time.Duration(c.Clocks.PausedMillis) * time.Millisecond
	if p, ok := c.Paused(); ok && now.After(p.Since) {
		d += now.Sub(p.Since)
	}
	return d
}

// ResponseOverdue reports whether an open case was not answered by its first-response
// deadline at now.
func (c *Case) ResponseOverdue(now time.Time) bool {
	if c.Status != StatusOpen || c.FirstRespondedAt != nil || c.ResponseDueAt == nil {
		return false
	}
	if _, paused := c.Paused(); paused {
		return false
	}
	return now.After(*c.ResponseDueAt)
}

// NearDue reports whether a near-deadline warning of a clock still running has fired
// (即将超时): the first-response warning of an unanswered case, or the resolution's.
func (c *Case) NearDue() bool {
	if c.Status != StatusOpen {
		return false
	}
	if _, paused := c.Paused(); paused {
		return false
	}
	_, response := c.Clocks.Fired[TimerResponseWarn]
	_, resolve := c.Clocks.Fired[TimerResolveWarn]
	return (response && c.FirstRespondedAt == nil) || resolve
}

func applyTimerFired(c Case, e Event) (Case, error) {
	var p TimerFiredPayload
	return c, decodeInto(e, &p, func() {
		fired := make(map[string]int64, len(c.Clocks.Fired)+1)
		for k, v := range c.Clocks.Fired {
			fired[k] = v
		}
		fired[p.Kind] = p.DueAt.UnixMilli()
		c.Clocks.Fired = fired
		switch p.Kind {
		case TimerResponse:
			c.Clocks.ResponseBreached = true
		case TimerResolve:
			c.Clocks.ResolveBreached = true
		case TimerResponseWarn, TimerResolveWarn:
			c.Clocks.Warned = true
		case TimerFollowUp:
			if c.Status == StatusClosed {
				c.Stage = StageFollowUp // the visit is due: the case waits in its agent's queue as 待回访
			}
		}
	})
}

func applyPaused(c Case, e Event) (Case, error) {
	var p PausePayload
	return c, decodeInto(e, &p, func() {
		if _, paused := c.Paused(); paused {
			return
		}
		c.Clocks.Pauses = append(slices.Clip(c.Clocks.Pauses), Pause{Reason: p.Reason, Note: p.Note, Since: e.At})
	})
}

// applyResumed ends the running pause and moves the deadlines still running by its
// length: the resolution due time, and the first-response due time of a case not yet
// answered. A deadline that moves past now is no longer breached.
func applyResumed(c Case, e Event) (Case, error) {
	p, paused := c.Paused()
	if !paused {
		return c, nil
	}
	var rp PausePayload
	if err := json.Unmarshal(e.Payload, &rp); err != nil {
		return c, err
	}
	d := e.At.Sub(p.Since)
	if d < 0 {
		d = 0
	}
	// The warnings fired for the old deadlines no longer hold: they are planned again
	// for the moved ones.
	fired := make(map[string]int64, len(c.Clocks.Fired))
	for k, v := range c.Clocks.Fired {
		if k != TimerResolveWarn && k != TimerResponseWarn {
			fired[k] = v
		}
	}
	c.Clocks.Fired = fired
	pauses := slices.Clone(c.Clocks.Pauses)
	until := e.At
	pauses[len(pauses)-1].Until = &until
	c.Clocks.Pauses = pauses
	c.Clocks.PausedMillis += d.Milliseconds()
	if c.ResolveDueAt != nil {
		due := c.ResolveDueAt.Add(d)
		if rp.ResolveDueAt != nil {
			due = *rp.ResolveDueAt
		}
		c.ResolveDueAt = &due
		if due.After(e.At) {
			c.Clocks.ResolveBreached = false
		}
	}
	if c.ResponseDueAt != nil && c.FirstRespondedAt == nil {
		due := c.ResponseDueAt.Add(d)
		c.ResponseDueAt = &due
		if due.After(e.At) {
			c.Clocks.ResponseBreached = false
		}
	}
	return c, nil
}
