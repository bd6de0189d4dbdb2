package store

import (
	"context"
	"time"

	"github.com/shouhou/shouhou/internal/dispatch"
)

// DispatchTx is what dispatch reads and writes in the transaction that assigns a
// case: every agent's profile with their open cases, and the time of the assignment.
type DispatchTx interface {
	AgentLoads(ctx context.Context) ([]dispatch.Load, error)
	TouchAssigned(ctx context.Context, username string, at time.Time) error
}
