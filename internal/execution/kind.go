// Package execution carries out (执行) an accepted solution. Each solution kind is a
// small state machine; every transition is a compare-and-set from the state the agent
// saw, validated with the data it needs (courier and tracking number, inspection,
// payment reference …). The package is pure: no clock, no storage; the desk records
// each transition as an event and folds it with Step.
package execution

// Kind is the solution being carried out. The strings are the solution kinds of
// internal/cases (Solutions) that have an execution.
type Kind string

const (
	KindCompensation Kind = "compensation"  // 补偿
	KindReship       Kind = "reship"        // 补发
	KindExchange     Kind = "exchange"      // 换货
	KindReturnRefund Kind = "return_refund" // 退货退款
	KindRefundOnly   Kind = "refund_only"   // 仅退款
	KindCourierClaim Kind = "courier_claim" // 向快递索赔
	// Repair is sent in (寄修) or done on site (上门维修); refurbish is paid by the buyer.
	KindRepair            Kind = "repair"              // 维修
	KindRefurbish         Kind = "refurbish"           // 补色翻新
	KindPriceDifference   Kind = "price_difference"    // 退差价
	KindNextOrderDiscount Kind = "next_order_discount" // 下次购买优惠
)

// Repair modes.
const (
	RepairSendIn = "send_in" // 寄修: the buyer sends the item in, the shop sends it back
	RepairOnSite = "on_site" // 上门维修: a technician comes
)

// State is where the execution of a solution stands.
type State string

const (
	StatePendingApproval    State = "pending_approval"    // 待审批
	StateApproved           State = "approved"            // 已审批
	StatePaid               State = "paid"                // 已打款
	StatePreparing          State = "preparing"           // 待发货
	StateShipped            State = "shipped"             // 已发出
	StateDelivered          State = "delivered"           // 已签收
	StateAwaitingReturn     State = "awaiting_return"     // 待寄回
	StateReceived           State = "received"            // 已收货验货
	StateReplacementShipped State = "replacement_shipped" // 换货已发出
	StateRefunded           State = "refunded"            // 已退款
	StateFiled              State = "filed"               // 已索赔
	StateSettled            State = "settled"             // 已结算
	StateRejected           State = "rejected"            // 索赔被拒
	StateCancelled          State = "cancelled"           // 已取消
	StateReopened           State = "reopened"            // 需重新决定
	StatePayFailed          State = "pay_failed"          // 打款失败
	StateScheduled          State = "scheduled"           // 已预约上门
	StateRepaired           State = "repaired"            // 已修好
	StateFeePaid            State = "fee_paid"            // 已收费
	StateIssued             State = "issued"              // 已发放
)

// Kinds lists every kind in the order of the solution ladder (SOP §4), then the others.
func Kinds() []Kind {
	return []Kind{KindCompensation, KindReship, KindExchange, KindReturnRefund, KindRefundOnly, KindCourierClaim,
		KindRepair, KindRefurbish, KindPriceDifference, KindNextOrderDiscount}
}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool { return KindLabel(k) != string(k) }

// KindLabel is the Chinese name of k, or k itself when unknown.
func KindLabel(k Kind) string {
	switch k {
	case KindCompensation:
		return "补偿"
	case KindReship:
		return "补发"
	case KindExchange:
		return "换货"
	case KindReturnRefund:
		return "退货退款"
	case KindRefundOnly:
		return "仅退款"
	case KindCourierClaim:
		return "向快递索赔"
	case KindRepair:
		return "维修"
	case KindRefurbish:
		return "补色翻新"
	case KindPriceDifference:
		return "退差价"
	case KindNextOrderDiscount:
		return "下次购买优惠"
	}
	return string(k)
}

// StateLabel is the Chinese name of s, or s itself when unknown.
func StateLabel(s State) string {
	switch s {
	case StatePendingApproval:
		return "待审批"
	case StateApproved:
		return "已审批"
	case StatePaid:
		return "已打款"
	case StatePreparing:
		return "待发货"
	case StateShipped:
		return "已发出"
	case StateDelivered:
		return "已签收"
	case StateAwaitingReturn:
		return "待寄回"
	case StateReceived:
		return "已收货验货"
	case StateReplacementShipped:
		return "换货已发出"
	case StateRefunded:
		return "已退款"
	case StateFiled:
		return "已索赔"
	case StateSettled:
		return "已结算"
	case StateRejected:
		return "索赔被拒"
	case StateCancelled:
		return "已取消"
	case StateReopened:
		return "需重新决定"
	case StatePayFailed:
		return "打款失败"
	case StateScheduled:
		return "已预约上门"
	case StateRepaired:
		return "已修好"
	case StateFeePaid:
		return "已收费"
	case StateIssued:
		return "已发放"
	}
	return string(s)
}

// StateLabelOf names s as the agent reads it for a kind: an approved payout is
// 待打款 (nobody had to approve an amount within the agent's own limit), an approved
// refund 待退款, an approved coupon 待发放; every other state as StateLabel.
func StateLabelOf(k Kind, s State) string {
	if s == StateApproved {
		switch k {
		case KindCompensation, KindPriceDifference:
			return "待打款"
		case KindRefundOnly:
			return "待退款"
		case KindNextOrderDiscount:
			return "待发放"
		}
	}
	return StateLabel(s)
}

// Edge is one allowed transition of a kind.
type Edge struct {
	From State `json:"from"`
	To   State `json:"to"`
}

// Edges lists the transitions of k other than cancelling, which every non-final state
// allows. A self-edge (awaiting_return → awaiting_return) records data without moving.
func Edges(k Kind) []Edge {
	switch k {
	case KindCompensation, KindPriceDifference:
		// A payout (小额打款): approved ↺ records the payee or the good review it waits
		// for; a failed transfer is retried or goes back to the list with a new payee.
		return []Edge{{StatePendingApproval, StateApproved}, {StateApproved, StatePaid}, {StateApproved, StateApproved},
			{StateApproved, StatePayFailed}, {StatePayFailed, StatePaid}, {StatePayFailed, StateApproved}}
	case KindNextOrderDiscount:
		return []Edge{{StateApproved, StateIssued}}
	case KindRepair:
		return []Edge{{StateAwaitingReturn, StateAwaitingReturn}, {StateAwaitingReturn, StateReceived},
			{StateReceived, StateRepaired}, {StateRepaired, StateShipped}, {StateShipped, StateDelivered},
			{StateScheduled, StateScheduled}, {StateScheduled, StateRepaired}}
	case KindRefurbish:
		return []Edge{{StateAwaitingReturn, StateAwaitingReturn}, {StateAwaitingReturn, StateReceived},
			{StateReceived, StateFeePaid}, {StateFeePaid, StateShipped}, {StateShipped, StateDelivered}}
	case KindReship:
		return []Edge{{StatePreparing, StateShipped}, {StateShipped, StateDelivered}}
	case KindExchange:
		return []Edge{{StateAwaitingReturn, StateAwaitingReturn}, {StateAwaitingReturn, StateReceived},
			{StateAwaitingReturn, StateReopened}, {StateReceived, StateReplacementShipped},
			{StateReplacementShipped, StateDelivered}}
	case KindReturnRefund:
		return []Edge{{StateAwaitingReturn, StateAwaitingReturn}, {StateAwaitingReturn, StateReceived},
			{StateAwaitingReturn, StateReopened}, {StateReceived, StateRefunded}}
	case KindRefundOnly:
		return []Edge{{StateApproved, StateRefunded}}
	case KindCourierClaim:
		return []Edge{{StateFiled, StateSettled}, {StateFiled, StateRejected}}
	}
	return nil
}

// States lists every state a solution of kind k can be in, start states first.
func States(k Kind) []State {
	var out []State
	add := func(s State) {
		for _, have := range out {
			if have == s {
				return
			}
		}
		out = append(out, s)
	}
	for _, e := range Edges(k) {
		add(e.From)
		add(e.To)
	}
	if out != nil {
		add(StateCancelled)
	}
	return out
}

// Start is the state a newly accepted solution of kind k starts in. Only a payout can
// need approval: above the agent's limit it waits for a supervisor (pending_approval),
// within it it starts approved. A repair starts as the repair mode says (寄修: waiting
// for the item; 上门: scheduled). Unknown kinds start nowhere ("").
func Start(k Kind, needsApproval bool, mode string) State {
	switch k {
	case KindCompensation, KindPriceDifference:
		if needsApproval {
			return StatePendingApproval
		}
		return StateApproved
	case KindNextOrderDiscount:
		return StateApproved
	case KindRepair:
		if mode == RepairOnSite {
			return StateScheduled
		}
		return StateAwaitingReturn
	case KindRefurbish:
		return StateAwaitingReturn
	case KindReship:
		return StatePreparing
	case KindExchange, KindReturnRefund:
		return StateAwaitingReturn
	case KindRefundOnly:
		return StateApproved
	case KindCourierClaim:
		return StateFiled
	}
	return ""
}

// Final reports whether nothing more happens to a solution in state s. A reopened
// solution is final: the agent chooses a new solution, which is a new execution.
func Final(s State) bool {
	switch s {
	case StatePaid, StateDelivered, StateRefunded, StateSettled, StateRejected, StateCancelled, StateReopened, StateIssued:
		return true
	}
	return false
}

// Done reports whether nothing more happens to s: a final state, or an on-site repair
// that is repaired (nothing goes back by courier).
func Done(s Solution) bool { return Final(s.State) || len(edgesOf(s, s.State)) == 0 }

// edgesOf are the transitions out of from that s has: its kind's, less the courier
// legs of an on-site repair and the visit of a repair sent in.
func edgesOf(s Solution, from State) []State {
	var out []State
	for _, e := range Edges(s.Kind) {
		if e.From != from {
			continue
		}
		if s.Kind == KindRepair && (s.Mode == RepairOnSite) != (e.From == StateScheduled) {
			continue
		}
		out = append(out, e.To)
	}
	return out
}

// Next lists the states s may move to, cancelling included, for the agent's buttons.
func Next(s Solution) []State {
	out := edgesOf(s, s.State)
	if out != nil && !Final(s.State) {
		out = append(out, StateCancelled)
	}
	return out
}

func allowed(s Solution, to State) bool {
	for _, n := range Next(s) {
		if n == to {
			return true
		}
	}
	return false
}

// NeedsSupervisor reports whether the transition from → to of kind k is a supervisor's
// decision: approving a compensation above the agent's limit. The desk checks the
// actor's role (and policy's compensation limit on the amount) before calling Step.
func NeedsSupervisor(k Kind, from, to State) bool {
	return (k == KindCompensation || k == KindPriceDifference) && from == StatePendingApproval && to == StateApproved
}

// Payout reports whether a solution of kind k is money the shop transfers to the
// buyer (小额打款): compensation and price-difference refunds.
func (k Kind) Payout() bool { return k == KindCompensation || k == KindPriceDifference }
