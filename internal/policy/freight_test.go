package policy

import (
	"testing"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/money"
)

func TestSplitFreight(t *testing.T) {
	y := money.Yuan
	tests := []struct {
		name                                     string
		in                                       FreightCase
		sellerFault                              bool
		payout, reimburse, sellerPays, buyerPays money.Amount
		rule                                     string
	}{
		{"quality: seller pays both ways", FreightCase{Type: cases.TypeDamaged, ReturnFreight: y(12), OutboundFreight: y(10)},
			true, 0, y(12), y(22), 0, RuleFreightSellerPays},
		{"quality with insurance: seller pays what insurance leaves", FreightCase{Type: cases.TypeFlaw, Insured: true, ReturnFreight: y(15), OutboundFreight: y(10)},
			true, y(12), y(3), y(13), 0, RuleFreightSellerPays},
		{"wrong item is the seller's fault", FreightCase{Type: cases.TypeWrong, Exchange: true, ReturnFreight: y(12), OutboundFreight: y(12)},
			true, 0, y(12), y(24), 0, RuleFreightSellerPays},
		{"personal without insurance: buyer pays return and original shipping", FreightCase{Type: cases.TypeDislike, ReturnFreight: y(12), OutboundFreight: y(10)},
			false, 0, 0, 0, y(22), RuleFreightBuyerPays},
		{"personal size exchange: buyer pays both ways", FreightCase{Type: cases.TypePersonalSize, Exchange: true, ReturnFreight: y(12), OutboundFreight: y(12)},
			false, 0, 0, 0, y(24), RuleFreightBuyerPays},
		{"insurance estimate below min pays min", FreightCase{Type: cases.TypeDislike, Insured: true, ReturnFreight: y(5), OutboundFreight: y(10)},
			false, y(6), 0, 0, y(10), RuleFreightBuyerPays},
		{"insurance estimate at min", FreightCase{Type: cases.TypeDislike, Insured: true, ReturnFreight: y(6)},
			false, y(6), 0, 0, 0, RuleFreightBuyerPays},
		{"insurance estimate inside range", FreightCase{Type: cases.TypeDislike, Insured: true, ReturnFreight: money.Amount(1199)},
			false, money.Amount(1199), 0, 0, 0, RuleFreightBuyerPays},
		{"insurance estimate at cap", FreightCase{Type: cases.TypeDislike, Insured: true, ReturnFreight: y(12)},
			false, y(12), 0, 0, 0, RuleFreightBuyerPays},
		{"insurance never above 12: buyer pays the excess", FreightCase{Type: cases.TypeDislike, Insured: true, ReturnFreight: money.Amount(1201), OutboundFreight: y(10)},
			false, y(12), 0, 0, money.Amount(1001), RuleFreightBuyerPays},
		{"insurer quote just below cap", FreightCase{Type: cases.TypeDislike, Insured: true, ReturnFreight: y(15), InsuranceQuote: money.Amount(1199)},
			false, money.Amount(1199), 0, 0, money.Amount(301), RuleFreightBuyerPays},
		{"insurer quote above cap is capped", FreightCase{Type: cases.TypeDislike, Insured: true, ReturnFreight: y(15), InsuranceQuote: money.Amount(1201)},
			false, y(12), 0, 0, y(3), RuleFreightBuyerPays},
	}
	p := defaultPolicy(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := p.SplitFreight(tt.in)
			if got.BuyerAdvances != tt.in.ReturnFreight {
				t.Errorf("buyer advances %v, want the return freight %v in every case", got.BuyerAdvances, tt.in.ReturnFreight)
			}
			if got.SellerFault != tt.sellerFault || got.InsurancePayout != tt.payout || got.SellerReimburses != tt.reimburse ||
				got.SellerPays != tt.sellerPays || got.BuyerPays != tt.buyerPays {
				t.Errorf("got %+v,\nwant fault %v payout %v reimburse %v seller %v buyer %v",
					got, tt.sellerFault, tt.payout, tt.reimburse, tt.sellerPays, tt.buyerPays)
			}
			checkRule(t, got.Rule, tt.rule, "先垫付")
		})
	}
}

func TestSplitFreightExplainsWithNumbers(t *testing.T) {
	got := defaultPolicy(t).SplitFreight(FreightCase{Type: cases.TypeDislike, Insured: true, ReturnFreight: y15(), OutboundFreight: money.Yuan(10)})
	checkRule(t, got.Rule, RuleFreightBuyerPays, "个人原因", "先垫付退货运费15元", "运费险赔付12元", "买家自付3元", "合计13元")
}

func y15() money.Amount { return money.Yuan(15) }

func TestSplitFreightShopOverrides(t *testing.T) {
	p := withYAML(t, "freight:\n  insurance_max: 10\n  buyer_pays_original_shipping: false\n  seller_fault_types: []\n")
	got := p.SplitFreight(FreightCase{Type: cases.TypeDislike, Insured: true, ReturnFreight: money.Yuan(12), OutboundFreight: money.Yuan(10)})
	if got.InsurancePayout != money.Yuan(10) || got.BuyerPays != money.Yuan(2) || got.SellerPays != money.Yuan(10) {
		t.Errorf("got %+v, want payout 10, buyer 2, seller keeps the original shipping 10", got)
	}
	wrong := p.SplitFreight(FreightCase{Type: cases.TypeWrong, ReturnFreight: money.Yuan(12)})
	if wrong.SellerFault {
		t.Errorf("wrong item with an empty seller_fault_types list: %+v", wrong)
	}
	quality := p.SplitFreight(FreightCase{Type: cases.TypeLeak, ReturnFreight: money.Yuan(12)})
	if !quality.SellerFault {
		t.Errorf("quality problems stay the seller's fault: %+v", quality)
	}
}
