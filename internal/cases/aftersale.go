package cases

import (
	"time"

	"github.com/shouhou/shouhou/internal/money"
)

// Events of the platform's own after-sale record (退款/售后单) kept on the case.
const (
	EvPlatformStatus  EventType = "platform.status_changed" // AfterSalePayload: the platform's status (or intervention) changed
	EvPlatformUpdated EventType = "platform.record_updated" // AfterSalePayload: amounts or the platform's deadline changed, the status did not
)

// TimerPlatform is the platform's own deadline for the seller's next step (e.g. 卖家需在
// 48小时内处理退款申请): planned while the record says the seller has something to do.
const TimerPlatform = "platform_deadline"

// TimerPlatformWarn flags the case some time before TimerPlatform (timers.platform_warn).
const TimerPlatformWarn = "platform_deadline_warn"

// AfterSale is the platform's after-sale record as last seen: the raw values the back
// office shows, what they mean in shouhou's small canonical set (internal/platform maps
// them from data files) and what the platform expects next, by when.
type AfterSale struct {
	Platform Platform `json:"platform"`
	// Shop is the shop's code ("" the business's only shop).
	Shop string `json:"shop"`
	// ID is the platform's after-sale (refund) id; (platform, shop, id) is unique.
	ID        string `json:"id"`
	OrderNo   string `json:"order_no,omitempty"`
	Type      string `json:"type"`       // canonical: refund_only, return_refund, exchange, reship, repair, price_protect, other
	TypeLabel string `json:"type_label"` // as the platform names it
	// RawStatus is the status as the source gave it (API code or back-office text);
	// StatusLabel is the platform's Chinese label; Status the canonical state.
	RawStatus   string `json:"raw_status"`
	StatusLabel string `json:"status_label"`
	Status      string `json:"status"`
	// Intervention is the platform's intervention/arbitration status (raw), its label,
	// and whether the platform's customer service is handling the case now.
	Intervention      string       `json:"intervention,omitempty"`
	InterventionLabel string       `json:"intervention_label,omitempty"`
	Intervened        bool         `json:"intervened,omitempty"`
	RefundAmount      money.Amount `json:"refund_amount"`
	// Deadline is when the platform's next step times out; Actor who must act
	// (seller, buyer, platform, "" nobody) and Expect what the platform expects.
	Deadline *time.Time `json:"deadline,omitempty"`
	Actor    string     `json:"actor,omitempty"`
	Expect   string     `json:"expect,omitempty"`
	Reason   string     `json:"reason,omitempty"`
	// ModifiedAt is the platform's own modification time, when the source gives it.
	ModifiedAt *time.Time `json:"modified_at,omitempty"`
	// Source says which way it came in: import:<source>, intake, connector:<name>.
	Source string `json:"source,omitempty"`
}

// SellerDeadline is the deadline of a step the seller must take, if any.
func (a *AfterSale) SellerDeadline() (time.Time, bool) {
	if a == nil || a.Deadline == nil || a.Actor != "seller" {
		return time.Time{}, false
	}
	return *a.Deadline, true
}

// AfterSalePayload records a platform record change: the record after it and the
// status before (empty when the record is new on the case).
type AfterSalePayload struct {
	Record          AfterSale `json:"record"`
	FromStatus      string    `json:"from_status,omitempty"`
	FromStatusLabel string    `json:"from_status_label,omitempty"`
	FromRawStatus   string    `json:"from_raw_status,omitempty"`
}
