package policy

import (
	"fmt"
	"time"

	"github.com/shouhou/shouhou/internal/money"
)

// PriceDifference decides the price difference of an exchange, diff being the new
// item's price minus the old one's (seed 001, colour-difference case): up to
// exchange.waive_price_difference it is waived. Amount is what the buyer pays.
func (p Policy) PriceDifference(diff money.Amount) Decision {
	waive := p.cfg.Exchange.WaivePriceDifference
	switch {
	case diff <= 0:
		return Decision{Allowed: true, Rule: Rule{ID: RulePriceDifferenceNone,
			Text: "换货新款不高于原款价格，无需补差价"}}
	case diff <= waive:
		return Decision{Allowed: true, Rule: Rule{ID: RulePriceDifferenceWaived,
			Text: fmt.Sprintf("换货差价%s不超过%s，免补差价", yuan(diff), yuan(waive))}}
	}
	return Decision{Allowed: true, Amount: diff, Rule: Rule{ID: RulePriceDifferenceCharged,
		Text: fmt.Sprintf("换货差价%s超过%s，需买家补差价%s", yuan(diff), yuan(waive), yuan(diff))}}
}

// UsedExchange is an exchange of an item the buyer has used.
type UsedExchange struct {
	Price    money.Amount
	SignedAt time.Time
	HeavyUse bool // worn or used often enough that normal wear cannot be told from a defect
}

// ExchangeDepreciation is the fee for exchanging a heavily used item (seed 001, shoe
// case: 超过一个月而穿用次数较多…收取每天0.5%折旧费). It applies only when the item is
// heavily used and more than exchange.depreciation_after_days whole 24-hour days have
// passed since the signed-for time; then every day of use counts, not only the days
// beyond the threshold: fee = price × depreciation_per_day × whole days since signed
// for, never more than the price. Amount is the fee; the exchange stays allowed.
func (p Policy) ExchangeDepreciation(u UsedExchange, now time.Time) Decision {
	e := p.cfg.Exchange
	elapsed := now.Sub(u.SignedAt)
	days := int64(elapsed / (24 * time.Hour))
	if !u.HeavyUse || elapsed <= time.Duration(e.DepreciationAfterDays)*24*time.Hour {
		return Decision{Allowed: true, Rule: Rule{ID: RuleNoDepreciation,
			Text: fmt.Sprintf("签收%d天，未超过%d天或非频繁使用，换货不收折旧费", days, e.DepreciationAfterDays)}}
	}
	share := min(Percent(days)*e.DepreciationPerDay, Percentage(100))
	fee := share.Of(u.Price)
	return Decision{Allowed: true, Amount: fee, Rule: Rule{ID: RuleDepreciation,
		Text: fmt.Sprintf("签收%d天（超过%d天）且频繁使用，按每天%s收取折旧费: %s × %s = %s",
			days, e.DepreciationAfterDays, e.DepreciationPerDay, yuan(u.Price), share, yuan(fee))}}
}

// RepeatRepair applies the 三包 rule (seed 001): when the same part fails again after
// warranty.repairs_before_exchange repairs, the item is exchanged; before that it is
// repaired. priorRepairs counts earlier repairs of the failing part.
func (p Policy) RepeatRepair(priorRepairs int) Decision {
	n := p.cfg.Warranty.RepairsBeforeExchange
	if priorRepairs >= n {
		return Decision{Allowed: true, Rule: Rule{ID: RuleRepeatRepairExchange,
			Text: fmt.Sprintf("同一部位已维修%d次仍出现同样问题（达到%d次），可调换", priorRepairs, n)}}
	}
	return Decision{Rule: Rule{ID: RuleRepairFirst,
		Text: fmt.Sprintf("同一部位已维修%d次（满%d次后再坏可调换），先安排维修", priorRepairs, n)}}
}

// WarrantyCovers decides whether a repair is free (三包): within warranty.period_days
// whole days of the purchase it is; after them the buyer pays. Amount is unused.
func (p Policy) WarrantyCovers(purchasedAt, now time.Time) (Decision, time.Time) {
	days := p.cfg.Warranty.PeriodDays
	until := purchasedAt.Add(time.Duration(days) * 24 * time.Hour)
	if now.After(until) {
		return Decision{Rule: Rule{ID: RuleWarrantyExpired,
			Text: fmt.Sprintf("已过%d天保修期（%s到期），维修费用由顾客承担", days, until.Format("2006-01-02"))}}, until
	}
	return Decision{Allowed: true, Rule: Rule{ID: RuleWarrantyInPeriod,
		Text: fmt.Sprintf("在%d天保修期内（%s到期），免费维修", days, until.Format("2006-01-02"))}}, until
}

// CheckDiscount checks a discounted price against the supervisor-level floor (seed 001:
// 6折下那么无法操作). Amount is the lowest price allowed.
func (p Policy) CheckDiscount(price, offered money.Amount) Decision {
	floorPct := p.cfg.Discount.FloorPercent
	floor := floorPct.Of(price)
	if offered < floor {
		return Decision{Amount: floor, Rule: Rule{ID: RuleDiscountFloor,
			Text: fmt.Sprintf("折后价%s低于原价%s的%s（%s），主管也不能操作", yuan(offered), yuan(price), floorPct, yuan(floor))}}
	}
	return Decision{Allowed: true, Amount: floor, Rule: Rule{ID: RuleDiscountFloor,
		Text: fmt.Sprintf("折后价%s不低于原价%s的%s（%s），主管可操作", yuan(offered), yuan(price), floorPct, yuan(floor))}}
}
