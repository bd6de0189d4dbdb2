package store

import (
	"context"
	"time"
)

// Notification is one line of a user's in-app 通知 list.
type Notification struct {
	ID        int64      `json:"id"`
	Recipient string     `json:"recipient"`
	CaseID    int64      `json:"case_id"`
	Kind      string     `json:"kind"`
	Text      string     `json:"text"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at,omitempty"`
}

// Delivery is one notification on its way to one webhook.
type Delivery struct {
	ID            int64     `json:"id"`
	Webhook       string    `json:"webhook"`
	CaseID        int64     `json:"case_id"`
	Kind          string    `json:"kind"`
	Body          string    `json:"body"`
	Status        string    `json:"status"` // pending, delivered, failed
	Attempts      int       `json:"attempts"`
	NextAttemptAt time.Time `json:"next_attempt_at"`
	LastStatus    int       `json:"last_status"`
	LastError     string    `json:"last_error,omitempty"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
	// Log is every attempt, oldest first (filled when listing).
	Log []DeliveryAttempt `json:"log,omitempty"`
}

// Delivery states.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed"
)

// DeliveryAttempt is one try of a delivery: the receiver's status code (0 when no
// answer came) or the error.
type DeliveryAttempt struct {
	At         time.Time `json:"at"`
	StatusCode int       `json:"status_code"`
	Error      string    `json:"error,omitempty"`
	DurationMS int64     `json:"duration_ms"`
}

// NotifyTx is what a transaction that notifies needs: who the supervisors are, and
// the in-app rows and webhook deliveries written with the notification's event.
type NotifyTx interface {
	Supervisors(ctx context.Context) ([]string, error)
	InsertNotifications(ctx context.Context, ns []Notification) error
	InsertDeliveries(ctx context.Context, ds []Delivery) error
}
