package execution

import (
	"time"

	"github.com/shouhou/shouhou/internal/money"
)

// Solution is one accepted solution being carried out, as stored in the case
// projection. It changes only through Open and Step.
type Solution struct {
	// ID is assigned by the desk, e.g. the seq of the event that accepted the solution.
	ID    int64 `json:"id"`
	Kind  Kind  `json:"kind"`
	State State `json:"state"`
	// Amount is the agreed amount: the compensation, the refund agreed, the claim.
	Amount money.Amount `json:"amount,omitempty"`
	// OrderAmount is what the customer paid; a refund may not exceed it. Zero: unknown.
	OrderAmount money.Amount `json:"order_amount,omitempty"`

	// Items are the parts or items a reshipment sends (补发清单).
	Items []string `json:"items,omitempty"`
	// OriginalTrackingNo is the order's first shipment, for reference.
	OriginalTrackingNo string `json:"original_tracking_no,omitempty"`
	// ReturnCourier and ReturnTrackingNo are the buyer's parcel back to the shop.
	ReturnCourier    string `json:"return_courier,omitempty"`
	ReturnTrackingNo string `json:"return_tracking_no,omitempty"`
	// Courier and TrackingNo are the new parcel the shop sent: the reshipment or the
	// exchange replacement. The customer must be told TrackingNo (SOP §6).
	Courier    string `json:"courier,omitempty"`
	TrackingNo string `json:"tracking_no,omitempty"`
	// Inspection is the warehouse's check of a returned item.
	Inspection *Inspection `json:"inspection,omitempty"`
	// Reference is the payment (compensation) or refund transaction number.
	Reference    string       `json:"reference,omitempty"`
	RefundAmount money.Amount `json:"refund_amount,omitempty"`
	// ClaimCourier and ClaimNo identify a claim against a courier; SettledAmount is what
	// the courier paid.
	ClaimCourier  string       `json:"claim_courier,omitempty"`
	ClaimNo       string       `json:"claim_no,omitempty"`
	SettledAmount money.Amount `json:"settled_amount,omitempty"`
	// Reason is why the solution was cancelled or the claim rejected.
	Reason string `json:"reason,omitempty"`

	// Freight is who pays which freight, as computed by policy.SplitFreight when the
	// solution was accepted (returns and exchanges); its Rule.Text is shown as is.
	Freight *Freight `json:"freight,omitempty"`

	// Repair: how (send_in or on_site), which part, the how-manieth repair of that part,
	// the warranty verdict and the technician's appointment.
	Mode          string     `json:"mode,omitempty"`
	Part          string     `json:"part,omitempty"`
	RepairNo      int        `json:"repair_no,omitempty"`
	Warranty      *Warranty  `json:"warranty,omitempty"`
	AppointmentAt *time.Time `json:"appointment_at,omitempty"`
	// CouponCode is the next-order discount given (a code, or a note of how).
	CouponCode string `json:"coupon_code,omitempty"`
	// Payee is who a payout (补偿, 退差价) goes to; AfterGoodReview holds it until the
	// customer's good review is confirmed (ReviewConfirmed).
	Payee           *Payee `json:"payee,omitempty"`
	AfterGoodReview bool   `json:"after_good_review,omitempty"`
	ReviewConfirmed bool   `json:"review_confirmed,omitempty"`

	History []HistoryEntry `json:"history"`
}

// Payee channels of a payout.
const (
	PayAlipay   = "alipay"   // 支付宝转账: account (phone or e-mail) and real name
	PayPlatform = "platform" // 平台小额打款 on the order (千牛/京麦 …): no account needed
)

// Payee is where a payout goes.
type Payee struct {
	Channel string `json:"channel"`
	Account string `json:"account,omitempty"`
	Name    string `json:"name,omitempty"`
}

// Warranty is the 三包 verdict on a repair when it was accepted: within the period it
// is free, after it the buyer pays. Rule is the policy rule that decided.
type Warranty struct {
	Covered  bool       `json:"covered"`
	Until    *time.Time `json:"until,omitempty"`
	RuleID   string     `json:"rule_id"`
	RuleText string     `json:"rule_text"`
	// Receipt is the evidence hash of the purchase receipt when the order's own times
	// did not show the purchase date.
	Receipt string `json:"receipt,omitempty"`
}

// Ready reports whether a payout can go on the payer's list: approved, with a payee,
// and the good review it waits for confirmed.
func (s Solution) Ready() bool {
	return (s.State == StateApproved || s.State == StatePayFailed) && s.Payee != nil && (!s.AfterGoodReview || s.ReviewConfirmed)
}

// HistoryEntry is one transition of a solution. From is empty for the opening entry.
type HistoryEntry struct {
	From  State     `json:"from"`
	To    State     `json:"to"`
	Actor string    `json:"actor"`
	At    time.Time `json:"at"`
	Note  string    `json:"note,omitempty"`
}

// Inspection is the check of a returned item (验货).
type Inspection struct {
	Good int `json:"good"`
	Bad  int `json:"bad"`
	// Failed marks an inspection that fails for another reason (used, not resellable,
	// wrong item returned) even with no bad count.
	Failed bool `json:"failed,omitempty"`
	// Photos are evidence content hashes (SHA-256, hex).
	Photos []string `json:"photos,omitempty"`
	Note   string   `json:"note,omitempty"`
}

// IsBad reports whether the inspection stops the solution: a bad item or a failure.
func (i Inspection) IsBad() bool { return i.Bad > 0 || i.Failed }

// Data is what the agent fills in for a transition. Only the fields the transition
// needs are read; see docs/EXECUTION.md.
type Data struct {
	Items            []string     `json:"items,omitempty"`
	Courier          string       `json:"courier,omitempty"`
	TrackingNo       string       `json:"tracking_no,omitempty"`
	ReturnCourier    string       `json:"return_courier,omitempty"`
	ReturnTrackingNo string       `json:"return_tracking_no,omitempty"`
	Inspection       *Inspection  `json:"inspection,omitempty"`
	Reference        string       `json:"reference,omitempty"`
	Amount           money.Amount `json:"amount,omitempty"`
	ClaimNo          string       `json:"claim_no,omitempty"`
	Reason           string       `json:"reason,omitempty"`
	Note             string       `json:"note,omitempty"`
	// Repair: the mode and part on opening, the appointment of an on-site visit.
	Mode          string     `json:"mode,omitempty"`
	Part          string     `json:"part,omitempty"`
	AppointmentAt *time.Time `json:"appointment_at,omitempty"`
	// Receipt and PurchasedAt: a purchase receipt (evidence hash) and its date, for the
	// warranty of a repair when the order's own times do not show the purchase.
	Receipt     string     `json:"receipt,omitempty"`
	PurchasedAt *time.Time `json:"purchased_at,omitempty"`
	// CouponCode: the next-order discount issued.
	CouponCode string `json:"coupon_code,omitempty"`
	// Payee, AfterGoodReview and ReviewConfirmed: a payout's account and condition.
	Payee           *Payee `json:"payee,omitempty"`
	AfterGoodReview bool   `json:"after_good_review,omitempty"`
	ReviewConfirmed bool   `json:"review_confirmed,omitempty"`
}

// Transition asks to move solution SolutionID from From (the state the agent saw) to
// To, with the data To needs. It is also the payload of the event that records it.
type Transition struct {
	SolutionID int64 `json:"solution_id"`
	From       State `json:"from"`
	To         State `json:"to"`
	Data
}

// Opening starts the execution of an accepted solution.
type Opening struct {
	ID                 int64        `json:"id"`
	Kind               Kind         `json:"kind"`
	NeedsApproval      bool         `json:"needs_approval,omitempty"`
	Amount             money.Amount `json:"amount,omitempty"`
	OrderAmount        money.Amount `json:"order_amount,omitempty"`
	OriginalTrackingNo string       `json:"original_tracking_no,omitempty"`
	Freight            *Freight     `json:"freight,omitempty"`
	// Warranty and RepairNo are the desk's verdict on a repair (policy 三包 rules).
	Warranty *Warranty `json:"warranty,omitempty"`
	RepairNo int       `json:"repair_no,omitempty"`
	// Data: reship needs Items; courier_claim needs Courier and ClaimNo; exchange and
	// return_refund may already carry the return tracking number.
	Data
}

// Freight is who pays which freight, as the money policy (internal/policy SplitFreight)
// computed it when the solution was accepted, with the rule in Chinese. BuyerAdvances
// is paid first by the buyer in every case; SellerReimburses is what the seller pays
// back for that leg.
type Freight struct {
	RuleID           string       `json:"rule_id"`
	RuleText         string       `json:"rule_text"`
	SellerFault      bool         `json:"seller_fault"`
	BuyerAdvances    money.Amount `json:"buyer_advances"`
	InsurancePayout  money.Amount `json:"insurance_payout"`
	SellerReimburses money.Amount `json:"seller_reimburses"`
	SellerPays       money.Amount `json:"seller_pays"`
	BuyerPays        money.Amount `json:"buyer_pays"`
}
