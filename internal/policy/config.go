package policy

import (
	"maps"
	"slices"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/money"
)

// Config holds every number of SOP §5. Default returns the SOP's values; a shop's YAML
// file overrides any of them (see Parse).
type Config struct {
	MinorFlaw  MinorFlawConfig `yaml:"minor_flaw" json:"minor_flaw"`
	Retention  RetentionConfig `yaml:"retention" json:"retention"`
	RoleLimits RoleLimits      `yaml:"role_limits" json:"role_limits"`
	Freight    FreightConfig   `yaml:"freight" json:"freight"`
	Exchange   ExchangeConfig  `yaml:"exchange" json:"exchange"`
	Discount   DiscountConfig  `yaml:"discount" json:"discount"`
	Warranty   WarrantyConfig  `yaml:"warranty" json:"warranty"`
	Size       SizeConfig      `yaml:"size" json:"size"`
	Shipping   ShippingConfig  `yaml:"shipping" json:"shipping"`
	NoReason   NoReasonConfig  `yaml:"no_reason" json:"no_reason"`
}

// MinorFlawConfig is the compensation ladder for a minor quality flaw (seed 001): the
// first offer stays below the freight a return or exchange would cost; each refusal
// adds RaiseMin–RaiseMax; after MaxRaises refusals the item is taken back.
type MinorFlawConfig struct {
	ReturnFreight     money.Amount `yaml:"return_freight" json:"return_freight"`
	ExchangeFreight   money.Amount `yaml:"exchange_freight" json:"exchange_freight"`
	FirstOfferPercent Percent      `yaml:"first_offer_percent" json:"first_offer_percent"`
	RoundTo           money.Amount `yaml:"round_to" json:"round_to"`
	RaiseMin          money.Amount `yaml:"raise_min" json:"raise_min"`
	RaiseMax          money.Amount `yaml:"raise_max" json:"raise_max"`
	MaxRaises         int          `yaml:"max_raises" json:"max_raises"`
}

// RetentionConfig is the non-quality retention compensation range (劝留, seed 003).
type RetentionConfig struct {
	Min money.Amount `yaml:"min" json:"min"`
	Max money.Amount `yaml:"max" json:"max"`
}

// RoleLimits is the most money each role may give alone, per act. A nil Admin means
// unlimited. Kinds are the solution kinds whose whole amount counts (money leaves the
// shop and nothing comes back); a refund counts only above the order's amount.
type RoleLimits struct {
	Agent      money.Amount  `yaml:"agent" json:"agent"`
	Supervisor money.Amount  `yaml:"supervisor" json:"supervisor"`
	Admin      *money.Amount `yaml:"admin" json:"admin"`
	Kinds      []string      `yaml:"kinds" json:"kinds"`
}

// FreightConfig is who pays the freight (seed 003, seed 004).
type FreightConfig struct {
	InsuranceMin              money.Amount        `yaml:"insurance_min" json:"insurance_min"`
	InsuranceMax              money.Amount        `yaml:"insurance_max" json:"insurance_max"`
	BuyerPaysOriginalShipping bool                `yaml:"buyer_pays_original_shipping" json:"buyer_pays_original_shipping"`
	SellerFaultTypes          []cases.ProblemType `yaml:"seller_fault_types" json:"seller_fault_types"`
}

// ExchangeConfig covers exchanges: the waived price difference (seed 001) and the
// depreciation charged after long heavy use (seed 001, shoe case).
type ExchangeConfig struct {
	WaivePriceDifference  money.Amount `yaml:"waive_price_difference" json:"waive_price_difference"`
	DepreciationAfterDays int          `yaml:"depreciation_after_days" json:"depreciation_after_days"`
	DepreciationPerDay    Percent      `yaml:"depreciation_per_day" json:"depreciation_per_day"`
}

// DiscountConfig is the lowest price a supervisor may offer, as a share of the price;
// Kinds are the solutions that lower the price of the order (the floor applies to
// them only, not to compensation).
type DiscountConfig struct {
	FloorPercent Percent  `yaml:"floor_percent" json:"floor_percent"`
	Kinds        []string `yaml:"kinds" json:"kinds"`
}

// WarrantyConfig is the 三包 repair rule: free repair within PeriodDays of the
// purchase, and an exchange once the same part failed after RepairsBeforeExchange
// repairs.
type WarrantyConfig struct {
	RepairsBeforeExchange int `yaml:"repairs_before_exchange" json:"repairs_before_exchange"`
	PeriodDays            int `yaml:"period_days" json:"period_days"`
}

// SizeConfig is the size tolerance in millimetres (3 cm = 30 mm).
type SizeConfig struct {
	ToleranceMM int `yaml:"tolerance_mm" json:"tolerance_mm"`
}

// ShippingConfig is the platforms' late-shipment rule (seed 004) and the cost of the
// 未按约定时间发货 return reason (seed 001).
type ShippingConfig struct {
	DeadlineHours        map[cases.Platform]int `yaml:"deadline_hours" json:"deadline_hours"`
	DefaultDeadlineHours int                    `yaml:"default_deadline_hours" json:"default_deadline_hours"`
	PenaltyPercent       Percent                `yaml:"penalty_percent" json:"penalty_percent"`
	PenaltyMin           money.Amount           `yaml:"penalty_min" json:"penalty_min"`
	PenaltyMax           money.Amount           `yaml:"penalty_max" json:"penalty_max"`
	PenaltyPoints        int                    `yaml:"penalty_points" json:"penalty_points"`
	LateReasonPercent    Percent                `yaml:"late_reason_percent" json:"late_reason_percent"`
}

// NoReasonConfig is the 7-day no-reason return window (seed 004).
type NoReasonConfig struct {
	WindowDays int `yaml:"window_days" json:"window_days"`
}

// Default returns the SOP's numbers. Each call returns fresh maps and slices.
func Default() Config {
	return Config{
		MinorFlaw: MinorFlawConfig{
			ReturnFreight:     money.Yuan(12),
			ExchangeFreight:   money.Yuan(24),
			FirstOfferPercent: Percentage(85),
			RoundTo:           money.Yuan(1),
			RaiseMin:          money.Yuan(3),
			RaiseMax:          money.Yuan(5),
			MaxRaises:         1,
		},
		Retention: RetentionConfig{Min: money.Yuan(10), Max: money.Yuan(20)},
		RoleLimits: RoleLimits{Agent: money.Yuan(50), Supervisor: money.Yuan(200), Kinds: []string{
			cases.SolutionCompensation, cases.SolutionRetention, cases.SolutionPriceDifference,
			cases.SolutionNextOrderDiscount, cases.SolutionRefundOnly,
		}},
		Freight: FreightConfig{
			InsuranceMin:              money.Yuan(6),
			InsuranceMax:              money.Yuan(12),
			BuyerPaysOriginalShipping: true,
			SellerFaultTypes:          []cases.ProblemType{cases.TypeWrong, cases.TypeMissing},
		},
		Exchange: ExchangeConfig{
			WaivePriceDifference:  money.Yuan(5),
			DepreciationAfterDays: 30,
			DepreciationPerDay:    Percent(50),
		},
		Discount: DiscountConfig{FloorPercent: Percentage(60), Kinds: []string{cases.SolutionPriceDifference}},
		Warranty: WarrantyConfig{RepairsBeforeExchange: 2, PeriodDays: 365},
		Size:     SizeConfig{ToleranceMM: 30},
		Shipping: ShippingConfig{
			DeadlineHours: map[cases.Platform]int{
				cases.PlatformTaobao: 72, cases.PlatformTmall: 72, cases.PlatformJD: 72,
				cases.PlatformDouyin: 72, cases.PlatformPinduoduo: 72,
			},
			DefaultDeadlineHours: 72,
			PenaltyPercent:       Percentage(5),
			PenaltyMin:           money.Yuan(5),
			PenaltyMax:           money.Yuan(30),
			PenaltyPoints:        3,
			LateReasonPercent:    Percentage(30),
		},
		NoReason: NoReasonConfig{WindowDays: 7},
	}
}

// clone copies the maps, slices and pointers so that a Policy never shares them with
// the caller.
func (c Config) clone() Config {
	c.Shipping.DeadlineHours = maps.Clone(c.Shipping.DeadlineHours)
	c.Freight.SellerFaultTypes = slices.Clone(c.Freight.SellerFaultTypes)
	c.RoleLimits.Kinds = slices.Clone(c.RoleLimits.Kinds)
	c.Discount.Kinds = slices.Clone(c.Discount.Kinds)
	if c.RoleLimits.Admin != nil {
		admin := *c.RoleLimits.Admin
		c.RoleLimits.Admin = &admin
	}
	return c
}
