package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
)

// badge is a short flag on a case: 首响超时, 解决超时, 即将超时, 时限暂停.
type badge struct {
	Label string
	Class string
}

// clockBadges are a case's SLA flags at now; first-response and resolution breaches
// are shown apart.
func clockBadges(c cases.Case, now time.Time) []badge {
	if c.Status != cases.StatusOpen {
		return nil
	}
	var out []badge
	if c.ResponseOverdue(now) {
		out = append(out, badge{"首响超时", "late"})
	}
	if c.Overdue(now) {
		out = append(out, badge{"解决超时", "late"})
	}
	if p, ok := c.Paused(); ok {
		out = append(out, badge{"时限暂停·" + cases.PauseReasonLabels[p.Reason], "paused"})
	} else if len(out) == 0 && c.NearDue() {
		label := "解决即将超时"
		if _, fired := c.Clocks.Fired[cases.TimerResponseWarn]; fired && c.FirstRespondedAt == nil {
			label = "首响即将超时" // the reply is due first, not the resolution the countdown shows
		}
		out = append(out, badge{label, "warn"})
	}
	return out
}

// slaView is the SLA block of the case page.
type slaView struct {
	Badges       []badge
	ResponseDue  *time.Time
	RespondedAt  *time.Time
	ResponseLeft string
	Paused       bool
	PauseReason  string
	PausedSince  time.Time
	PausedTotal  string
	Pauses       []cases.Pause
}

func slaOf(c cases.Case, now time.Time) slaView {
	v := slaView{Badges: clockBadges(c, now), ResponseDue: c.ResponseDueAt, RespondedAt: c.FirstRespondedAt, Pauses: c.Clocks.Pauses}
	if c.FirstRespondedAt == nil && c.Status == cases.StatusOpen {
		v.ResponseLeft, _ = timeLeft(c.ResponseDueAt, now)
	}
	if p, ok := c.Paused(); ok {
		v.Paused, v.PauseReason, v.PausedSince = true, cases.PauseReasonLabels[p.Reason], p.Since
	}
	if d := c.PausedFor(now); d > 0 {
		v.PausedTotal = humanDuration(d)
	}
	return v
}

// casePause stops the SLA clock by hand (waiting on a third party or the customer).
func (s *Server) casePause(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	reason := r.PostFormValue("reason")
	warnings, err := s.appendEvent(r, id, cases.EvSLAPaused, cases.PausePayload{Reason: reason, Note: r.PostFormValue("note")})
	if err != nil {
		return s.actionFailed(w, r, id, err, func(d *caseData, p problem) { d.FormMessage = p.Message })
	}
	return s.done(w, r, id, "时限已暂停("+cases.PauseReasonLabels[reason]+")", warnings)
}

// caseResume starts the SLA clock again by hand; the due times move by the pause.
func (s *Server) caseResume(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	warnings, err := s.appendEvent(r, id, cases.EvSLAResumed, cases.PausePayload{Note: r.PostFormValue("note")})
	if err != nil {
		return s.actionFailed(w, r, id, err, func(d *caseData, p problem) { d.FormMessage = p.Message })
	}
	return s.done(w, r, id, "时限已恢复,到期时间已顺延", warnings)
}

// clockSummary is the timeline sentence of a clock event.
func clockSummary(e cases.Event, names userNames) string {
	switch e.Type {
	case cases.EvTimerFired:
		if p, ok := cases.PayloadAs[cases.TimerFiredPayload](e); ok {
			return strings.TrimSuffix(p.Label+"。"+p.Next, "。")
		}
	case cases.EvSLAPaused, cases.EvSLAResumed:
		if p, ok := cases.PayloadAs[cases.PausePayload](e); ok {
			return strings.Trim(cases.PauseReasonLabels[p.Reason]+" "+p.Note, " ")
		}
	case cases.EvNotified:
		if p, ok := cases.PayloadAs[cases.NotificationPayload](e); ok {
			return p.Text + "(通知:" + strings.Join(recipientLabels(p.Recipients, names), "、") + ")"
		}
	}
	return ""
}

func recipientLabels(to []string, names userNames) []string {
	out := make([]string, len(to))
	for i, r := range to {
		out[i] = names.of(r)
		if r == "@supervisors" {
			out[i] = "主管"
		}
	}
	return out
}
