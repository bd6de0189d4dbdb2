package store

import (
	"context"
	"encoding/json"
	"time"
)

// Timer is one durable timer of a case (internal/timers): it is due at DueAt and
// fires once. Kind is unique per case (cases.TimerResolve, "playbook.no_pickup" …);
// Payload carries what firing needs to say (the label and the SOP's next step).
type Timer struct {
	ID      int64           `json:"id"`
	CaseID  int64           `json:"case_id"`
	Kind    string          `json:"kind"`
	DueAt   time.Time       `json:"due_at"`
	Payload json.RawMessage `json:"payload"`
}

// TimerTx is what a write transaction offers for timers: a case's timers are set in
// the transaction of the event that changes them, and due timers are claimed in the
// transaction that fires them (PostgreSQL: FOR UPDATE SKIP LOCKED, so two processes
// never claim the same row; SQLite: the single writer).
type TimerTx interface {
	CaseTimers(ctx context.Context, caseID int64) ([]Timer, error)
	// CaseSchedule is ReportFact and CaseTimers of one case in one statement: what
	// a write reads to reschedule the case (one round trip instead of two).
	CaseSchedule(ctx context.Context, caseID int64) (fact []byte, timers []Timer, err error)
	// PutTimer inserts the case's timer of that kind or moves it to the new due time.
	PutTimer(ctx context.Context, t Timer) error
	DeleteTimer(ctx context.Context, id int64) error
	// ClaimDueTimers locks and returns up to limit timers due at or before now, the
	// earliest first.
	ClaimDueTimers(ctx context.Context, now time.Time, limit int) ([]Timer, error)
	// LockCaseNoWait locks a case's row for the firing transaction unless another
	// transaction holds it (false: leave its timers for the next round). A firing
	// transaction holds timer rows, so it must never wait for a case a writer holds
	// while that writer waits for those timer rows.
	LockCaseNoWait(ctx context.Context, caseID int64) (bool, error)
	// Announce tells the other servers on the same database, at commit, that work
	// arrived (PostgreSQL NOTIFY on channel; nothing on SQLite, where this process is
	// alone).
	Announce(ctx context.Context, channel, payload string) error
}

// Channels of Announce.
const (
	ChannelTimers   = "shouhou_timers"   // payload: the earliest due time written, Unix ms
	ChannelNotify   = "shouhou_notify"   // payload: the recipients, comma-separated
	ChannelWebhooks = "shouhou_webhooks" // payload: empty
)

// Overdue kinds of CaseFilter.OverdueKind.
const (
	OverdueResponse = "response" // 首次响应超时
	OverdueResolve  = "resolve"  // 解决超时
	OverdueAny      = "any"      // either
)
