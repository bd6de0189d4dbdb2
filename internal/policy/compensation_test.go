package policy

import (
	"testing"

	"github.com/shouhou/shouhou/internal/money"
)

func TestMinorFlawOfferStaysBelowFreightThenRaisesThenTakesBack(t *testing.T) {
	p := defaultPolicy(t)
	tests := []struct {
		name      string
		in        FlawSituation
		amount    money.Amount
		max       money.Amount
		takeBack  bool
		rule      string
		fragments []string
	}{
		{"return freight 12 suggests 10", FlawSituation{Kind: KindReturn}, money.Yuan(10), money.Yuan(11), false,
			RuleMinorFlawBelowFreight, []string{"退货运费12元", "建议补偿10元"}},
		{"exchange both ways 24 suggests 20", FlawSituation{Kind: KindExchange}, money.Yuan(20), money.Yuan(23), false,
			RuleMinorFlawBelowFreight, []string{"换货来回运费24元", "建议补偿20元"}},
		{"zero kind is a return", FlawSituation{}, money.Yuan(10), money.Yuan(11), false, RuleMinorFlawBelowFreight, nil},
		{"case freight replaces the default", FlawSituation{Freight: money.Yuan(20)}, money.Yuan(17), money.Yuan(19), false,
			RuleMinorFlawBelowFreight, []string{"退货运费20元"}},
		{"refused once adds 3 to 5", FlawSituation{Refusals: 1}, money.Yuan(13), money.Yuan(15), false,
			RuleMinorFlawRaise, []string{"每次加3元-5元", "建议补偿13元", "最多15元"}},
		{"exchange refused once adds 3 to 5", FlawSituation{Kind: KindExchange, Refusals: 1}, money.Yuan(23), money.Yuan(25), false,
			RuleMinorFlawRaise, nil},
		{"refused again takes the item back", FlawSituation{Refusals: 2}, 0, 0, true, RuleMinorFlawTakeBack, []string{"寄回"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := p.MinorFlawOffer(tt.in)
			if got.Amount != tt.amount || got.Max != tt.max || got.TakeBack != tt.takeBack || got.Allowed == tt.takeBack {
				t.Errorf("got %+v, want amount %v max %v takeBack %v", got, tt.amount, tt.max, tt.takeBack)
			}
			checkRule(t, got.Rule, tt.rule, tt.fragments...)
		})
	}
}

func TestMinorFlawFirstOfferIsAlwaysBelowFreight(t *testing.T) {
	p := defaultPolicy(t)
	for f := money.Amount(1); f <= money.Yuan(100); f += 7 {
		got := p.MinorFlawOffer(FlawSituation{Freight: f})
		if got.Amount >= f || got.Max >= f || got.Amount > got.Max {
			t.Fatalf("freight %v: offer %v max %v", f, got.Amount, got.Max)
		}
	}
}

func TestMinorFlawFreightOfOneUnitLeavesNothingToOffer(t *testing.T) {
	got := defaultPolicy(t).MinorFlawOffer(FlawSituation{Freight: money.Yuan(1)})
	if got.Allowed || got.Amount != 0 {
		t.Errorf("got %+v, want no offer below 1元 in whole yuan", got)
	}
}

func TestMinorFlawShopOverrideChangesTheLadder(t *testing.T) {
	p := withYAML(t, "minor_flaw:\n  return_freight: 18\n  raise_min: 2\n  raise_max: 4\n  max_raises: 2\n")
	tests := []struct {
		refusals    int
		amount, max money.Amount
		takeBack    bool
	}{
		{0, money.Yuan(15), money.Yuan(17), false},
		{1, money.Yuan(17), money.Yuan(19), false},
		{2, money.Yuan(19), money.Yuan(23), false},
		{3, 0, 0, true},
	}
	for _, tt := range tests {
		got := p.MinorFlawOffer(FlawSituation{Refusals: tt.refusals})
		if got.Amount != tt.amount || got.Max != tt.max || got.TakeBack != tt.takeBack {
			t.Errorf("refusals %d: got %+v, want %v/%v/%v", tt.refusals, got, tt.amount, tt.max, tt.takeBack)
		}
	}
}

func TestMinorFlawFirstOfferPercentAndRounding(t *testing.T) {
	tests := []struct {
		doc  string
		want money.Amount
	}{
		{"", money.Yuan(10)}, // 12 × 85 % = 10.2 → 10
		{"minor_flaw:\n  first_offer_percent: 75\n", money.Yuan(9)},   // 12 × 75 % = 9
		{"minor_flaw:\n  first_offer_percent: 100\n", money.Yuan(11)}, // held below the freight
		{"minor_flaw:\n  round_to: 0.5\n", money.Amount(1000)},        // 10.2 → 10.0
		{"minor_flaw:\n  round_to: 5\n", money.Yuan(10)},
		{"minor_flaw:\n  round_to: 0.01\n", money.Amount(1020)},
	}
	for _, tt := range tests {
		if got := withYAML(t, tt.doc).MinorFlawOffer(FlawSituation{}); got.Amount != tt.want {
			t.Errorf("%q: offer %v, want %v", tt.doc, got.Amount, tt.want)
		}
	}
}

func TestRetentionCompensationRange(t *testing.T) {
	p := defaultPolicy(t)
	tests := []struct {
		amount  money.Amount
		allowed bool
		rule    string
	}{
		{money.Amount(999), false, RuleRetentionBelowMin},
		{money.Yuan(10), true, RuleRetentionRange},
		{money.Amount(1001), true, RuleRetentionRange},
		{money.Amount(1999), true, RuleRetentionRange},
		{money.Yuan(20), true, RuleRetentionRange},
		{money.Amount(2001), false, RuleRetentionAboveMax},
	}
	for _, tt := range tests {
		got := p.CheckRetention(tt.amount)
		if got.Allowed != tt.allowed {
			t.Errorf("%v: allowed = %v, want %v", tt.amount, got.Allowed, tt.allowed)
		}
		checkRule(t, got.Rule, tt.rule, "10元-20元")
	}
	offer := p.RetentionOffer()
	if offer.Amount != money.Yuan(10) || offer.Max != money.Yuan(20) {
		t.Errorf("RetentionOffer = %+v, want 10 up to 20", offer)
	}
}

func TestRetentionShopOverride(t *testing.T) {
	p := withYAML(t, "retention:\n  min: 5\n  max: 30\n")
	if got := p.CheckRetention(money.Yuan(25)); !got.Allowed {
		t.Errorf("25 with max 30: %+v", got)
	}
	if got := p.CheckRetention(money.Amount(499)); got.Allowed || got.Amount != money.Yuan(5) {
		t.Errorf("4.99 with min 5: %+v", got)
	}
}
