package desk

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/followup"
	"github.com/shouhou/shouhou/internal/notify"
	"github.com/shouhou/shouhou/internal/playbook"
	"github.com/shouhou/shouhou/internal/store"
)

// FollowUp records the outcome of a 回访 visit: the satisfaction score (1–5), whether
// the problem is solved and a comment. An outcome at or below the shop's threshold, or
// not solved, sends the case to the supervisors in the same append: a closed case is
// reopened with the reason (an open one gets the reason as a note) and the supervisors
// are notified.
func (d *Desk) FollowUp(ctx context.Context, actor Actor, id, expected int64, p cases.FollowUpPayload) (cases.Case, []playbook.Violation, error) {
	p.Comment, p.Text = strings.TrimSpace(p.Comment), strings.TrimSpace(p.Text)
	var errs cases.ValidationError
	if p.CSAT < followup.MinCSAT || p.CSAT > followup.MaxCSAT {
		errs = append(errs, cases.FieldError{Field: "payload.csat", Message: fmt.Sprintf("满意度须为%d到%d分", followup.MinCSAT, followup.MaxCSAT)})
	}
	if p.Solved == nil {
		errs = append(errs, cases.FieldError{Field: "payload.solved", Message: "请选择顾客的问题是否已解决"})
	}
	if err := textField("payload.comment", p.Comment, maxNote, false); err != nil {
		errs = append(errs, err.(cases.ValidationError)...)
	}
	if err := textField("payload.text", p.Text, maxNote, false); err != nil {
		errs = append(errs, err.(cases.ValidationError)...)
	}
	if len(errs) > 0 {
		return cases.Case{}, nil, errs
	}
	return d.change(ctx, actor, id, expected, func(tx store.Tx, c cases.Case) ([]draft, error) {
		drafts := []draft{{cases.EvFollowedUp, p}}
		why := d.followUp.Escalation(p.CSAT, *p.Solved)
		if why == "" {
			return drafts, nil
		}
		if c.Status == cases.StatusClosed {
			drafts = append(drafts, draft{cases.EvReopened, cases.NotePayload{Text: why}})
		} else {
			drafts = append(drafts, draft{cases.EvNote, cases.NotePayload{Text: why}})
		}
		text := fmt.Sprintf("工单 #%d(%s)%s", c.ID, c.CustomerName, why)
		if p.Comment != "" {
			text += ";顾客意见:" + p.Comment
		}
		return append(drafts, draft{cases.EvNotified, cases.NotificationPayload{Kind: notify.KindEscalation, Text: text, Recipients: []string{SupervisorsGroup}}}), nil
	})
}

func decodeFollowUp(raw json.RawMessage, _ Actor) (any, error) {
	var p cases.FollowUpPayload
	if err := strictDecode(raw, &p); err != nil {
		return nil, err
	}
	return p, nil
}

// FollowUpEscalation is why a visit's outcome went to the supervisors ("" if it did not).
func (d *Desk) FollowUpEscalation(f *cases.FollowUp) string {
	if f == nil {
		return ""
	}
	return d.followUp.Escalation(f.CSAT, f.Solved)
}
