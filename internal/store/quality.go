package store

import (
	"context"
	"time"
)

// QualityMark is what one case contributes to a quality alert key (internal/quality).
type QualityMark struct {
	CaseID int64
	Kind   string
	Key    string
	At     time.Time
}

// QualityAlert is one 同批次 or courier alert: one per kind and key, listing its cases,
// updated as more arrive, acknowledged by a supervisor with a note.
type QualityAlert struct {
	ID        int64      `json:"id"`
	Kind      string     `json:"kind"`
	Key       string     `json:"key"`
	CaseIDs   []int64    `json:"case_ids"`
	Text      string     `json:"text"`
	Status    string     `json:"status"` // open, acknowledged
	FirstAt   time.Time  `json:"first_at"`
	LastAt    time.Time  `json:"last_at"`
	AckBy     string     `json:"ack_by,omitempty"`
	AckNote   string     `json:"ack_note,omitempty"`
	AckAt     *time.Time `json:"ack_at,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
	Version   int64      `json:"version"`
}

// Alert states.
const (
	AlertOpen         = "open"
	AlertAcknowledged = "acknowledged"
)

// QualityTx is what a write transaction offers for quality alerts: a case's marks are
// replaced in the transaction that writes the case, and the alert of a key is read and
// written there too.
type QualityTx interface {
	SetQualityMarks(ctx context.Context, caseID int64, marks []QualityMark) error
	// QualityMarks are the marks of kind and key that came in between from and to.
	QualityMarks(ctx context.Context, kind, key string, from, to time.Time) ([]QualityMark, error)
	// QualityAlert is the alert of kind and key (ErrNotFound when none); by id when id > 0.
	QualityAlert(ctx context.Context, id int64, kind, key string) (QualityAlert, error)
	// PutQualityAlert inserts the alert (ID 0) or updates it if still at a.Version-1.
	PutQualityAlert(ctx context.Context, a QualityAlert) (QualityAlert, error)
}

// AlertFilter selects alerts for the list.
type AlertFilter struct {
	Status string // "" every alert
	Limit  int
}
