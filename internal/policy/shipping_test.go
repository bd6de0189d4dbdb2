package policy

import (
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/money"
)

func TestLateShipmentAfterSeventyTwoHours(t *testing.T) {
	p := defaultPolicy(t)
	paid := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	at := func(d time.Duration) *time.Time { t := paid.Add(d); return &t }
	for _, tt := range []struct {
		name    string
		shipped *time.Time
		now     time.Time
		late    bool
	}{
		{"shipped a second before the deadline", at(72*time.Hour - time.Second), paid.Add(100 * time.Hour), false},
		{"shipped at the deadline", at(72 * time.Hour), paid.Add(100 * time.Hour), false},
		{"shipped a second late", at(72*time.Hour + time.Second), paid.Add(100 * time.Hour), true},
		{"unshipped, deadline not reached", nil, paid.Add(72 * time.Hour), false},
		{"unshipped past the deadline", nil, paid.Add(72*time.Hour + time.Second), true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := p.CheckShipment(Shipment{Platform: cases.PlatformTaobao, PaidAt: paid, ShippedAt: tt.shipped, Paid: money.Yuan(200)}, tt.now)
			if got.Late != tt.late || !got.Deadline.Equal(paid.Add(72*time.Hour)) {
				t.Errorf("got %+v, want late %v", got, tt.late)
			}
			if tt.late && (got.Penalty != money.Yuan(10) || got.Points != 3) {
				t.Errorf("penalty %v points %d, want 10 and 3", got.Penalty, got.Points)
			}
			if !tt.late && got.Penalty != 0 {
				t.Errorf("on time but penalty %v", got.Penalty)
			}
		})
	}
}

func TestLatePenaltyFivePercentWithinFloorAndCap(t *testing.T) {
	p := defaultPolicy(t)
	paid := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	late := paid.Add(80 * time.Hour)
	for _, tt := range []struct {
		paid, penalty money.Amount
	}{
		{money.Yuan(20), money.Yuan(5)},           // 1 → floor
		{money.Amount(9979), money.Yuan(5)},       // 4.99 → floor
		{money.Yuan(100), money.Yuan(5)},          // 5 at the floor
		{money.Amount(10020), money.Amount(501)},  // 5.01 just above the floor
		{money.Amount(59980), money.Amount(2999)}, // 29.99
		{money.Yuan(600), money.Yuan(30)},         // 30 at the cap
		{money.Amount(60020), money.Yuan(30)},     // 30.01 → cap
		{money.Yuan(5000), money.Yuan(30)},        // capped
	} {
		got := p.CheckShipment(Shipment{Platform: cases.PlatformTmall, PaidAt: paid, Paid: tt.paid}, late)
		if got.Penalty != tt.penalty {
			t.Errorf("paid %v: penalty %v, want %v", tt.paid, got.Penalty, tt.penalty)
		}
	}
	got := p.CheckShipment(Shipment{Platform: cases.PlatformTmall, PaidAt: paid, Paid: money.Yuan(200)}, late)
	checkRule(t, got.Rule, RuleShippingLate, "72小时", "扣3分", "5%", "最低5元", "最高30元", "即10元")
}

func TestShippingDeadlinePerPlatformOverride(t *testing.T) {
	p := withYAML(t, "shipping:\n  deadline_hours:\n    jd: 24\n  default_deadline_hours: 48\n  penalty_max: 50\n")
	paid := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	shipped := paid.Add(25 * time.Hour)
	for _, tt := range []struct {
		platform cases.Platform
		late     bool
	}{
		{cases.PlatformJD, true}, {cases.PlatformTaobao, false}, {cases.PlatformOther, false},
	} {
		got := p.CheckShipment(Shipment{Platform: tt.platform, PaidAt: paid, ShippedAt: &shipped, Paid: money.Yuan(100)}, shipped)
		if got.Late != tt.late {
			t.Errorf("%s shipped after 25 h: late = %v, want %v", tt.platform, got.Late, tt.late)
		}
	}
	if d := p.ShippingDeadline(cases.PlatformOther, paid); !d.Equal(paid.Add(48 * time.Hour)) {
		t.Errorf("unlisted platform deadline %v, want the 48 h default", d)
	}
	got := p.CheckShipment(Shipment{Platform: cases.PlatformJD, PaidAt: paid, Paid: money.Yuan(2000)}, shipped)
	if got.Penalty != money.Yuan(50) {
		t.Errorf("penalty %v, want the shop's cap 50", got.Penalty)
	}
}

func TestLateShipmentReasonCostsThirtyPercent(t *testing.T) {
	got := defaultPolicy(t).LateReasonCost(money.Yuan(150))
	if got.Allowed || got.Amount != money.Yuan(45) {
		t.Errorf("got %+v, want not allowed, cost 45", got)
	}
	checkRule(t, got.Rule, RuleAvoidLateShipReason, "未按约定时间发货", "30%", "45元", "七天无理由")
	if got := withYAML(t, "shipping:\n  late_reason_percent: 20\n").LateReasonCost(money.Yuan(150)); got.Amount != money.Yuan(30) {
		t.Errorf("20%% of 150 = %v, want 30", got.Amount)
	}
}
