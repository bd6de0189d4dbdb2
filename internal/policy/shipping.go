package policy

import (
	"fmt"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/money"
)

// Shipment is an order's payment and, once shipped, its shipping time as the courier
// recorded it.
type Shipment struct {
	Platform  cases.Platform
	PaidAt    time.Time
	ShippedAt *time.Time // nil while not shipped
	Paid      money.Amount
}

// LateShipment is the late-shipment verdict; Penalty is owed to the buyer when Late.
type LateShipment struct {
	Late     bool         `json:"late"`
	Deadline time.Time    `json:"deadline"`
	Penalty  money.Amount `json:"penalty"`
	Points   int          `json:"points"`
	Rule     Rule         `json:"rule"`
}

// ShippingDeadline is the paid time plus the platform's shipping window
// (shipping.deadline_hours, else shipping.default_deadline_hours).
func (p Policy) ShippingDeadline(platform cases.Platform, paidAt time.Time) time.Time {
	return paidAt.Add(time.Duration(p.deadlineHours(platform)) * time.Hour)
}

func (p Policy) deadlineHours(platform cases.Platform) int {
	if h, ok := p.cfg.Shipping.DeadlineHours[platform]; ok {
		return h
	}
	return p.cfg.Shipping.DefaultDeadlineHours
}

// CheckShipment applies the late-shipment rule (seed 004, 延迟发货): shipping at the
// deadline itself is on time; after it (or still unshipped after it at now) the shop
// owes the buyer penalty_percent of the paid amount, at least penalty_min and at most
// penalty_max, and loses penalty_points points.
func (p Policy) CheckShipment(s Shipment, now time.Time) LateShipment {
	c := p.cfg.Shipping
	deadline := p.ShippingDeadline(s.Platform, s.PaidAt)
	at, verb := now, "至今未发货"
	if s.ShippedAt != nil {
		at, verb = *s.ShippedAt, "已发货"
	}
	hours := p.deadlineHours(s.Platform)
	if !at.After(deadline) {
		return LateShipment{Deadline: deadline, Rule: Rule{ID: RuleShippingOnTime,
			Text: fmt.Sprintf("付款后%d小时内发货（截止%s），%s，未超时", hours, deadline.Format("2006-01-02 15:04"), verb)}}
	}
	penalty := min(max(c.PenaltyPercent.Of(s.Paid), c.PenaltyMin), c.PenaltyMax)
	return LateShipment{Late: true, Deadline: deadline, Penalty: penalty, Points: c.PenaltyPoints, Rule: Rule{
		ID: RuleShippingLate,
		Text: fmt.Sprintf("付款后%d小时内未发货（截止%s），%s，属延迟发货: 扣%d分，赔付买家实付%s的%s（最低%s，最高%s）即%s",
			hours, deadline.Format("2006-01-02 15:04"), verb, c.PenaltyPoints, yuan(s.Paid), c.PenaltyPercent,
			yuan(c.PenaltyMin), yuan(c.PenaltyMax), yuan(penalty)),
	}}
}

// LateReasonCost is what a return filed as 未按约定时间发货 would cost the shop (seed 001:
// the platform pays the buyer 30 % of the order), for the reason-guidance step: the
// agent steers the buyer to 七天无理由 or 其他 instead. Allowed is always false.
func (p Policy) LateReasonCost(order money.Amount) Decision {
	pct := p.cfg.Shipping.LateReasonPercent
	cost := pct.Of(order)
	return Decision{Amount: cost, Rule: Rule{ID: RuleAvoidLateShipReason,
		Text: fmt.Sprintf("退货原因勿选“未按约定时间发货”: 平台按订单金额%s的%s赔付买家（%s），请引导选择“七天无理由”或“其他”",
			yuan(order), pct, yuan(cost))}}
}
