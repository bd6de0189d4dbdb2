package policy

import "github.com/shouhou/shouhou/internal/money"

// Rule names the SOP rule behind a decision: a stable ID for code, reports and tests,
// and a Chinese explanation with the actual numbers for the agent.
type Rule struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// Decision is the outcome of one rule: whether the action is allowed, the amount the
// rule computed where it computes one, and the rule that decided.
type Decision struct {
	Allowed bool         `json:"allowed"`
	Amount  money.Amount `json:"amount"`
	Rule    Rule         `json:"rule"`
}

// Rule IDs, one per outcome, so that "where is the rule?" has a one-line answer.
const (
	RuleMinorFlawBelowFreight = "compensation.minor_flaw_below_freight"
	RuleMinorFlawRaise        = "compensation.minor_flaw_raise"
	RuleMinorFlawTakeBack     = "compensation.minor_flaw_take_back"
	RuleRetentionRange        = "compensation.retention_range"
	RuleRetentionBelowMin     = "compensation.retention_below_min"
	RuleRetentionAboveMax     = "compensation.retention_above_max"
	RuleWithinRoleLimit       = "compensation.within_role_limit"
	RuleNeedsApproval         = "compensation.needs_approval"
	RuleAboveAllLimits        = "compensation.above_all_limits"

	RuleFreightSellerPays = "freight.seller_pays"
	RuleFreightBuyerPays  = "freight.buyer_pays"

	RulePriceDifferenceNone    = "exchange.price_difference_none"
	RulePriceDifferenceWaived  = "exchange.price_difference_waived"
	RulePriceDifferenceCharged = "exchange.price_difference_charged"
	RuleNoDepreciation         = "exchange.no_depreciation"
	RuleDepreciation           = "exchange.depreciation"
	RuleDiscountFloor          = "discount.supervisor_floor"
	RuleRepairFirst            = "warranty.repair_first"
	RuleRepeatRepairExchange   = "warranty.repeat_repair_exchange"
	RuleWarrantyInPeriod       = "warranty.in_period"
	RuleWarrantyExpired        = "warranty.expired"

	RuleSizeWithinTolerance = "size.within_tolerance"
	RuleSizeBeyondTolerance = "size.beyond_tolerance"

	RuleShippingOnTime      = "shipping.on_time"
	RuleShippingLate        = "shipping.late_penalty"
	RuleAvoidLateShipReason = "return_reason.avoid_late_shipment"

	RuleNoReasonEligible      = "no_reason.eligible"
	RuleNoReasonQualityExempt = "no_reason.quality_exempt"
	RuleNoReasonNotSigned     = "no_reason.not_signed"
	RuleNoReasonWindowPassed  = "no_reason.window_passed"
	RuleNoReasonUsed          = "no_reason.used"
	RuleNoReasonPackaging     = "no_reason.packaging_damaged"
	RuleNoReasonNotResellable = "no_reason.not_resellable"
)
