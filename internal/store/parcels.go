package store

import (
	"time"

	"github.com/shouhou/shouhou/internal/cases"
)

// Parcel is a tracking number followed for a case (table tracking_numbers). A row with
// no SubscribedAt is a subscription still to make (the outbox the follower works off);
// NextAt is when the follower next subscribes or polls it.
type Parcel struct {
	ID           int64      `json:"id"`
	CaseID       int64      `json:"case_id"`
	Number       string     `json:"number"`
	Courier      string     `json:"courier,omitempty"`
	Role         string     `json:"role"`
	AddedAt      time.Time  `json:"added_at"`
	SubscribedAt *time.Time `json:"subscribed_at,omitempty"`
	NextAt       time.Time  `json:"next_at"`
	Attempts     int        `json:"attempts"`
	LastError    string     `json:"last_error,omitempty"`
	State        string     `json:"state,omitempty"`
	LastScanAt   *time.Time `json:"last_scan_at,omitempty"`
	Final        bool       `json:"final"`
}

// UnknownParcel is a returned parcel the warehouse received that matched no case (未知包裹),
// until an agent claims it onto one.
type UnknownParcel struct {
	ID         int64            `json:"id"`
	Number     string           `json:"number"`
	Courier    string           `json:"courier,omitempty"`
	Items      []string         `json:"items,omitempty"`
	Good       int              `json:"good"`
	Bad        int              `json:"bad"`
	Photos     []cases.Evidence `json:"photos,omitempty"`
	Remark     string           `json:"remark,omitempty"`
	ReceivedBy string           `json:"received_by"`
	ReceivedAt time.Time        `json:"received_at"`
	ClaimedBy  string           `json:"claimed_by,omitempty"`
	ClaimedAt  *time.Time       `json:"claimed_at,omitempty"`
	CaseID     int64            `json:"case_id,omitempty"`
}
