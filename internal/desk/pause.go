package desk

import (
	"encoding/json"
	"slices"

	"github.com/shouhou/shouhou/internal/cases"
)

// clockDrafts adds the SLA pauses a change implies: an outgoing message that asks the
// customer for something (an intent of Timing.PauseIntents: photos, video, a question)
// pauses the clock; the customer's answer — an incoming message or uploaded evidence —
// resumes it. A pause or resume by hand is checked against the running state.
func (d *Desk) clockDrafts(c cases.Case, drafts []draft) ([]draft, error) {
	_, paused := c.Paused()
	reason := ""
	if p, ok := c.Paused(); ok {
		reason = p.Reason
	}
	out := make([]draft, 0, len(drafts)+1)
	for _, dr := range drafts {
		switch dr.typ {
		case cases.EvSLAPaused:
			if paused {
				return nil, &RuleError{Code: "sla_paused", Message: "时限已经暂停", Field: "type"}
			}
			paused, reason = true, dr.payload.(cases.PausePayload).Reason
			out = append(out, dr)
			continue
		case cases.EvSLAResumed:
			if !paused {
				return nil, &RuleError{Code: "sla_running", Message: "时限没有暂停,无需恢复", Field: "type"}
			}
			paused = false
			out = append(out, d.resumed(c, dr.payload.(cases.PausePayload)))
			continue
		}
		out = append(out, dr)
		switch {
		case dr.typ == cases.EvMessageOut && !paused && c.Status == cases.StatusOpen && d.asksCustomer(dr.payload):
			out = append(out, draft{cases.EvSLAPaused, cases.PausePayload{Reason: cases.PauseCustomer, Note: "已向顾客索要凭证或提问,等待顾客回复"}})
			paused, reason = true, cases.PauseCustomer
		case (dr.typ == cases.EvMessageIn || dr.typ == cases.EvEvidenceAdded) && paused && reason == cases.PauseCustomer:
			note := "顾客已回复"
			if dr.typ == cases.EvEvidenceAdded {
				note = "顾客已提供凭证"
			}
			out = append(out, d.resumed(c, cases.PausePayload{Reason: cases.PauseCustomer, Note: note}))
			paused = false
		}
	}
	return out, nil
}

// resumed is the resume event; with business hours the resolution deadline moves by
// the business time the pause took, computed here where the configuration is known.
func (d *Desk) resumed(c cases.Case, p cases.PausePayload) draft {
	p.ResolveDueAt = nil
	pause, ok := c.Paused()
	if ok && d.sla.BusinessHours.Enabled && c.ResolveDueAt != nil {
		shift := d.sla.BusinessHours.Between(pause.Since, d.clockNow(), d.days)
		due := d.sla.BusinessHours.Add(*c.ResolveDueAt, shift, d.days)
		p.ResolveDueAt = &due
	}
	return draft{cases.EvSLAResumed, p}
}

func (d *Desk) asksCustomer(payload any) bool {
	m, ok := payload.(cases.MessagePayload)
	return ok && m.Intent != "" && slices.Contains(d.timing.PauseIntents, m.Intent)
}

func decodePause(reasonRequired bool) func(json.RawMessage, Actor) (any, error) {
	return func(raw json.RawMessage, _ Actor) (any, error) {
		var p cases.PausePayload
		if err := strictDecode(raw, &p); err != nil {
			return nil, err
		}
		if p.ResolveDueAt != nil {
			return nil, invalid("payload.resolve_due_at", "到期时间由系统计算,不能指定")
		}
		if _, ok := cases.PauseReasonLabels[p.Reason]; (reasonRequired || p.Reason != "") && !ok {
			return nil, invalid("payload.reason", "暂停原因须为 customer(等待顾客)或 third_party(等待第三方)")
		}
		return p, textField("payload.note", p.Note, maxNote, false)
	}
}
