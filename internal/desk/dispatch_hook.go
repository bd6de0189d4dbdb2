package desk

import (
	"context"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/store"
)

// Dispatcher picks the agent a new case goes to (internal/dispatch): ok is false when
// nobody suitable is online, and the case waits in the 待分配 queue.
type Dispatcher interface {
	Pick(ctx context.Context, tx store.Tx, in cases.Intake) (agent string, ok bool, err error)
}

// withAssignee sets (or adds) the assignment among a new case's opening events.
func withAssignee(drafts []draft, to string) []draft {
	for i, dr := range drafts {
		if dr.typ == cases.EvAssigned {
			drafts[i].payload = cases.AssignedPayload{To: to}
			return drafts
		}
	}
	// After created and sla_set, before the first message.
	out := append([]draft{}, drafts[:2]...)
	out = append(out, draft{cases.EvAssigned, cases.AssignedPayload{To: to}})
	return append(out, drafts[2:]...)
}
