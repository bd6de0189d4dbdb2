package policy

import (
	"fmt"

	"github.com/shouhou/shouhou/internal/money"
)

// ReturnKind is what the compensation saves the shop: a return or an exchange.
type ReturnKind string

const (
	KindReturn   ReturnKind = "return"   // one-way return freight
	KindExchange ReturnKind = "exchange" // freight both ways
)

// FlawSituation describes a minor quality flaw the customer has not accepted yet.
type FlawSituation struct {
	Kind ReturnKind // the zero value is a return
	// Freight is what the return (one way) or the exchange (both ways) would cost;
	// zero takes minor_flaw.return_freight or minor_flaw.exchange_freight.
	Freight  money.Amount
	Refusals int // compensation offers the customer has already refused
}

// Offer is a suggested compensation with the most the agent may offer at this step.
// TakeBack means the ladder is exhausted: take the item back instead.
type Offer struct {
	Decision
	Max      money.Amount `json:"max"`
	TakeBack bool         `json:"take_back"`
}

// MinorFlawOffer climbs the ladder of seed 001: first an offer below the freight a
// return would cost (12 → 10, 24 → 20), then raise_min–raise_max more per refusal,
// and after max_raises refusals the item is taken back.
func (p Policy) MinorFlawOffer(s FlawSituation) Offer {
	m := p.cfg.MinorFlaw
	freight, label := m.ReturnFreight, "退货运费"
	if s.Kind == KindExchange {
		freight, label = m.ExchangeFreight, "换货来回运费"
	}
	if s.Freight > 0 {
		freight = s.Freight
	}
	below := floorTo(freight-1, m.RoundTo)
	first := min(floorTo(m.FirstOfferPercent.Of(freight), m.RoundTo), below)
	switch {
	case s.Refusals <= 0:
		return Offer{Max: below, Decision: Decision{Allowed: first > 0, Amount: first, Rule: Rule{
			ID:   RuleMinorFlawBelowFreight,
			Text: fmt.Sprintf("轻微瑕疵补偿须低于%s%s: 建议补偿%s，最多%s", label, yuan(freight), yuan(first), yuan(below)),
		}}}
	case s.Refusals <= m.MaxRaises:
		n := money.Amount(s.Refusals)
		suggest, most := first+n*m.RaiseMin, first+n*m.RaiseMax
		return Offer{Max: most, Decision: Decision{Allowed: true, Amount: suggest, Rule: Rule{
			ID: RuleMinorFlawRaise,
			Text: fmt.Sprintf("顾客已拒绝%d次: 在首次补偿%s基础上每次加%s-%s，建议补偿%s，最多%s",
				s.Refusals, yuan(first), yuan(m.RaiseMin), yuan(m.RaiseMax), yuan(suggest), yuan(most)),
		}}}
	default:
		return Offer{TakeBack: true, Decision: Decision{Rule: Rule{
			ID:   RuleMinorFlawTakeBack,
			Text: fmt.Sprintf("顾客已拒绝%d次（最多加价%d次）: 不再加价补偿，安排寄回商品", s.Refusals, m.MaxRaises),
		}}}
	}
}

// floorTo rounds a down to a multiple of unit, never below zero.
func floorTo(a, unit money.Amount) money.Amount {
	if a <= 0 {
		return 0
	}
	return a / unit * unit
}

// RetentionOffer is the non-quality retention compensation (劝留, seed 003): offer the
// minimum first, never more than the maximum.
func (p Policy) RetentionOffer() Offer {
	r := p.cfg.Retention
	return Offer{Max: r.Max, Decision: Decision{Allowed: true, Amount: r.Min, Rule: Rule{
		ID:   RuleRetentionRange,
		Text: fmt.Sprintf("非质量问题劝留补偿%s-%s: 建议先提%s", yuan(r.Min), yuan(r.Max), yuan(r.Min)),
	}}}
}

// CheckRetention tells whether a proposed retention compensation is inside the range.
func (p Policy) CheckRetention(a money.Amount) Decision {
	r := p.cfg.Retention
	span := fmt.Sprintf("非质量问题劝留补偿%s-%s", yuan(r.Min), yuan(r.Max))
	switch {
	case a < r.Min:
		return Decision{Amount: r.Min, Rule: Rule{ID: RuleRetentionBelowMin,
			Text: fmt.Sprintf("%s: %s低于下限，建议%s", span, yuan(a), yuan(r.Min))}}
	case a > r.Max:
		return Decision{Amount: r.Max, Rule: Rule{ID: RuleRetentionAboveMax,
			Text: fmt.Sprintf("%s: %s超过上限，最多%s", span, yuan(a), yuan(r.Max))}}
	}
	return Decision{Allowed: true, Amount: a, Rule: Rule{ID: RuleRetentionRange,
		Text: fmt.Sprintf("%s: %s在范围内", span, yuan(a))}}
}
