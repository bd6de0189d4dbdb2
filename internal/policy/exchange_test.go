package policy

import (
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/money"
)

func TestPriceDifferenceUpToFiveIsWaived(t *testing.T) {
	p := defaultPolicy(t)
	tests := []struct {
		diff, charge money.Amount
		rule         string
	}{
		{-money.Yuan(3), 0, RulePriceDifferenceNone},
		{0, 0, RulePriceDifferenceNone},
		{money.Amount(499), 0, RulePriceDifferenceWaived},
		{money.Yuan(5), 0, RulePriceDifferenceWaived},
		{money.Amount(501), money.Amount(501), RulePriceDifferenceCharged},
	}
	for _, tt := range tests {
		got := p.PriceDifference(tt.diff)
		if got.Amount != tt.charge || !got.Allowed {
			t.Errorf("diff %v: got %+v, want charge %v", tt.diff, got, tt.charge)
		}
		checkRule(t, got.Rule, tt.rule)
	}
	if got := withYAML(t, "exchange:\n  waive_price_difference: 10\n").PriceDifference(money.Yuan(8)); got.Amount != 0 {
		t.Errorf("shop waiving up to 10 charged %v for 8", got.Amount)
	}
}

func TestExchangeDepreciationAfterThirtyDaysOfHeavyUse(t *testing.T) {
	p := defaultPolicy(t)
	signed := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	price := money.Yuan(100)
	tests := []struct {
		name    string
		elapsed time.Duration
		heavy   bool
		fee     money.Amount
		rule    string
	}{
		{"just below 30 days", 30*day - time.Second, true, 0, RuleNoDepreciation},
		{"exactly 30 days is not more than a month", 30 * day, true, 0, RuleNoDepreciation},
		{"just above 30 days charges every day of use", 30*day + time.Second, true, money.Yuan(15), RuleDepreciation},
		{"31 days", 31 * day, true, money.Amount(1550), RuleDepreciation},
		{"light use is never charged", 90 * day, false, 0, RuleNoDepreciation},
		{"200 days reach the whole price", 200 * day, true, price, RuleDepreciation},
		{"never more than the price", 400 * day, true, price, RuleDepreciation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := p.ExchangeDepreciation(UsedExchange{Price: price, SignedAt: signed, HeavyUse: tt.heavy}, signed.Add(tt.elapsed))
			if got.Amount != tt.fee || !got.Allowed {
				t.Errorf("got %+v, want fee %v", got, tt.fee)
			}
			checkRule(t, got.Rule, tt.rule)
		})
	}
	got := p.ExchangeDepreciation(UsedExchange{Price: price, SignedAt: signed, HeavyUse: true}, signed.Add(31*day))
	checkRule(t, got.Rule, RuleDepreciation, "签收31天", "每天0.5%", "100元 × 15.5% = 15.5元")
}

func TestExchangeDepreciationShopOverride(t *testing.T) {
	p := withYAML(t, "exchange:\n  depreciation_after_days: 14\n  depreciation_per_day: 1\n")
	signed := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	got := p.ExchangeDepreciation(UsedExchange{Price: money.Yuan(200), SignedAt: signed, HeavyUse: true}, signed.Add(15*24*time.Hour))
	if got.Amount != money.Yuan(30) {
		t.Errorf("15 days at 1%% of 200 = %v, want 30", got.Amount)
	}
}

func TestRepeatRepairTwiceThenExchange(t *testing.T) {
	p := defaultPolicy(t)
	for _, tt := range []struct {
		prior   int
		allowed bool
		rule    string
	}{
		{1, false, RuleRepairFirst}, {2, true, RuleRepeatRepairExchange}, {3, true, RuleRepeatRepairExchange},
	} {
		got := p.RepeatRepair(tt.prior)
		if got.Allowed != tt.allowed {
			t.Errorf("prior %d: got %+v", tt.prior, got)
		}
		checkRule(t, got.Rule, tt.rule)
	}
	if got := withYAML(t, "warranty:\n  repairs_before_exchange: 3\n").RepeatRepair(2); got.Allowed {
		t.Errorf("shop requiring 3 repairs exchanged after 2: %+v", got)
	}
}

func TestDiscountFloorSixtyPercent(t *testing.T) {
	p := defaultPolicy(t)
	price := money.Yuan(100)
	for _, tt := range []struct {
		offered money.Amount
		allowed bool
	}{
		{money.Amount(5999), false}, {money.Yuan(60), true}, {money.Amount(6001), true},
	} {
		got := p.CheckDiscount(price, tt.offered)
		if got.Allowed != tt.allowed || got.Amount != money.Yuan(60) {
			t.Errorf("offered %v: got %+v", tt.offered, got)
		}
		checkRule(t, got.Rule, RuleDiscountFloor, "60%", "60元")
	}
	if got := withYAML(t, "discount:\n  floor_percent: 70\n").CheckDiscount(price, money.Yuan(65)); got.Allowed {
		t.Errorf("65 under a 70%% floor: %+v", got)
	}
}
