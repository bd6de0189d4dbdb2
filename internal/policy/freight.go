package policy

import (
	"fmt"
	"strings"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/money"
)

// FreightCase is a return or exchange whose freight must be shared out.
type FreightCase struct {
	Type     cases.ProblemType
	Exchange bool
	Insured  bool // the order carries freight insurance (运费险)
	// ReturnFreight is the buyer-to-seller leg, which the buyer always advances.
	ReturnFreight money.Amount
	// OutboundFreight is the original shipping for a return, the reshipment for an exchange.
	OutboundFreight money.Amount
	// InsuranceQuote is the insurer's payout when known; zero estimates it from
	// ReturnFreight within freight.insurance_min–insurance_max.
	InsuranceQuote money.Amount
}

// FreightSplit is who pays what. BuyerAdvances is paid first by the buyer in every
// case; SellerReimburses is what the seller pays back for that leg.
type FreightSplit struct {
	Rule             Rule         `json:"rule"`
	SellerFault      bool         `json:"seller_fault"`
	BuyerAdvances    money.Amount `json:"buyer_advances"`
	InsurancePayout  money.Amount `json:"insurance_payout"`
	SellerReimburses money.Amount `json:"seller_reimburses"`
	SellerPays       money.Amount `json:"seller_pays"`
	BuyerPays        money.Amount `json:"buyer_pays"`
}

// SplitFreight applies the freight rules of seeds 003 and 004: a quality problem (or a
// configured fulfilment error) → the seller pays both ways; a personal reason → the
// buyer pays the return and the original shipping (or the reshipment of an exchange).
// Freight insurance covers the return leg first; whoever is responsible pays the rest.
func (p Policy) SplitFreight(fc FreightCase) FreightSplit {
	payout := p.insurancePayout(fc)
	rest := max(fc.ReturnFreight-payout, 0)
	s := FreightSplit{SellerFault: p.sellerFault(fc.Type), BuyerAdvances: fc.ReturnFreight, InsurancePayout: payout}
	outbound := "原发货运费"
	if fc.Exchange {
		outbound = "换货寄出运费"
	}
	var b strings.Builder
	if s.SellerFault {
		s.SellerReimburses, s.SellerPays = rest, rest+fc.OutboundFreight
		fmt.Fprintf(&b, "%s属卖家责任，来回运费由卖家承担: 买家先垫付退货运费%s", typeLabel(fc.Type), yuan(fc.ReturnFreight))
		p.writeInsurance(&b, fc, payout)
		fmt.Fprintf(&b, "，卖家补给买家%s，%s%s由卖家承担", yuan(rest), outbound, yuan(fc.OutboundFreight))
		s.Rule = Rule{ID: RuleFreightSellerPays, Text: b.String()}
		return s
	}
	s.BuyerPays = rest
	fmt.Fprintf(&b, "%s属非质量问题，运费由买家承担: 买家先垫付退货运费%s", typeLabel(fc.Type), yuan(fc.ReturnFreight))
	p.writeInsurance(&b, fc, payout)
	fmt.Fprintf(&b, "，买家自付%s", yuan(rest))
	if fc.Exchange || p.cfg.Freight.BuyerPaysOriginalShipping {
		s.BuyerPays += fc.OutboundFreight
		fmt.Fprintf(&b, "，%s%s也由买家承担", outbound, yuan(fc.OutboundFreight))
	} else {
		s.SellerPays = fc.OutboundFreight
		fmt.Fprintf(&b, "，%s%s由卖家承担", outbound, yuan(fc.OutboundFreight))
	}
	fmt.Fprintf(&b, "，合计%s", yuan(s.BuyerPays))
	s.Rule = Rule{ID: RuleFreightBuyerPays, Text: b.String()}
	return s
}

// insurancePayout is the insurer's quote capped at insurance_max, or, without a quote,
// the return freight held within insurance_min–insurance_max.
func (p Policy) insurancePayout(fc FreightCase) money.Amount {
	f := p.cfg.Freight
	switch {
	case !fc.Insured:
		return 0
	case fc.InsuranceQuote > 0:
		return min(fc.InsuranceQuote, f.InsuranceMax)
	}
	return min(max(fc.ReturnFreight, f.InsuranceMin), f.InsuranceMax)
}

func (p Policy) writeInsurance(b *strings.Builder, fc FreightCase, payout money.Amount) {
	f := p.cfg.Freight
	if !fc.Insured {
		b.WriteString("，无运费险")
		return
	}
	fmt.Fprintf(b, "，运费险赔付%s（%s-%s，最高%s）", yuan(payout), yuan(f.InsuranceMin), yuan(f.InsuranceMax), yuan(f.InsuranceMax))
}

// sellerFault reports whether the seller bears the freight for t: every quality
// problem, plus the configured fulfilment errors.
func (p Policy) sellerFault(t cases.ProblemType) bool {
	if t.IsQuality() {
		return true
	}
	for _, s := range p.cfg.Freight.SellerFaultTypes {
		if s == t {
			return true
		}
	}
	return false
}

func typeLabel(t cases.ProblemType) string {
	for _, c := range cases.ProblemTypes {
		if c.Code == string(t) {
			return c.Label
		}
	}
	return string(t)
}
