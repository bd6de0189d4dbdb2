package policy

import (
	"errors"
	"fmt"

	"github.com/shouhou/shouhou/internal/cases"

	"github.com/shouhou/shouhou/internal/money"
)

// FieldError names a configuration key and what is wrong with it.
type FieldError struct {
	Field   string
	Problem string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Problem }

// Validate reports every inconsistent number, each as a *FieldError naming its YAML key.
func (c Config) Validate() error {
	v := &validator{}
	c.validateMinorFlaw(v)
	v.nonNegative("retention.min", c.Retention.Min)
	v.nonNegative("retention.max", c.Retention.Max)
	v.ordered("retention.min", c.Retention.Min, "retention.max", c.Retention.Max)
	c.validateRoleLimits(v)
	v.positiveInt("warranty.period_days", c.Warranty.PeriodDays)
	v.nonNegative("freight.insurance_min", c.Freight.InsuranceMin)
	v.nonNegative("freight.insurance_max", c.Freight.InsuranceMax)
	v.ordered("freight.insurance_min", c.Freight.InsuranceMin, "freight.insurance_max", c.Freight.InsuranceMax)
	for _, t := range c.Freight.SellerFaultTypes {
		if !t.Valid() {
			v.add("freight.seller_fault_types", fmt.Sprintf("未知的问题类型 %q", t))
		}
	}
	v.nonNegative("exchange.waive_price_difference", c.Exchange.WaivePriceDifference)
	v.nonNegativeInt("exchange.depreciation_after_days", c.Exchange.DepreciationAfterDays)
	v.percent("exchange.depreciation_per_day", c.Exchange.DepreciationPerDay)
	v.percent("discount.floor_percent", c.Discount.FloorPercent)
	v.positiveInt("warranty.repairs_before_exchange", c.Warranty.RepairsBeforeExchange)
	v.nonNegativeInt("size.tolerance_mm", c.Size.ToleranceMM)
	c.validateShipping(v)
	v.positiveInt("no_reason.window_days", c.NoReason.WindowDays)
	return errors.Join(v.errs...)
}

func (c Config) validateMinorFlaw(v *validator) {
	m := c.MinorFlaw
	v.positive("minor_flaw.return_freight", m.ReturnFreight)
	v.positive("minor_flaw.exchange_freight", m.ExchangeFreight)
	v.percent("minor_flaw.first_offer_percent", m.FirstOfferPercent)
	v.positive("minor_flaw.round_to", m.RoundTo)
	v.nonNegative("minor_flaw.raise_min", m.RaiseMin)
	v.nonNegative("minor_flaw.raise_max", m.RaiseMax)
	v.ordered("minor_flaw.raise_min", m.RaiseMin, "minor_flaw.raise_max", m.RaiseMax)
	v.nonNegativeInt("minor_flaw.max_raises", m.MaxRaises)
}

func (c Config) validateRoleLimits(v *validator) {
	r := c.RoleLimits
	v.nonNegative("role_limits.agent", r.Agent)
	v.nonNegative("role_limits.supervisor", r.Supervisor)
	v.ordered("role_limits.agent", r.Agent, "role_limits.supervisor", r.Supervisor)
	for _, k := range r.Kinds {
		if _, ok := cases.SolutionLabel(k); !ok {
			v.add("role_limits.kinds", "unknown solution kind "+k)
		}
	}
	for _, k := range c.Discount.Kinds {
		if _, ok := cases.SolutionLabel(k); !ok {
			v.add("discount.kinds", "unknown solution kind "+k)
		}
	}
	if r.Admin != nil {
		v.nonNegative("role_limits.admin", *r.Admin)
		v.ordered("role_limits.supervisor", r.Supervisor, "role_limits.admin", *r.Admin)
	}
}

func (c Config) validateShipping(v *validator) {
	s := c.Shipping
	for p, h := range s.DeadlineHours {
		if !p.Valid() {
			v.add("shipping.deadline_hours", fmt.Sprintf("未知的平台 %q", p))
		}
		v.positiveInt("shipping.deadline_hours."+string(p), h)
	}
	v.positiveInt("shipping.default_deadline_hours", s.DefaultDeadlineHours)
	v.percent("shipping.penalty_percent", s.PenaltyPercent)
	v.nonNegative("shipping.penalty_min", s.PenaltyMin)
	v.nonNegative("shipping.penalty_max", s.PenaltyMax)
	v.ordered("shipping.penalty_min", s.PenaltyMin, "shipping.penalty_max", s.PenaltyMax)
	v.nonNegativeInt("shipping.penalty_points", s.PenaltyPoints)
	v.percent("shipping.late_reason_percent", s.LateReasonPercent)
}

type validator struct{ errs []error }

func (v *validator) add(field, problem string) {
	v.errs = append(v.errs, &FieldError{Field: field, Problem: problem})
}

func (v *validator) nonNegative(field string, a money.Amount) {
	if a < 0 {
		v.add(field, "不能为负数（当前 "+yuan(a)+"）")
	}
}

func (v *validator) positive(field string, a money.Amount) {
	if a <= 0 {
		v.add(field, "必须大于0（当前 "+yuan(a)+"）")
	}
}

func (v *validator) ordered(lowField string, low money.Amount, highField string, high money.Amount) {
	if low > high {
		v.add(lowField, fmt.Sprintf("不能大于 %s（当前 %s > %s）", highField, yuan(low), yuan(high)))
	}
}

func (v *validator) nonNegativeInt(field string, n int) {
	if n < 0 {
		v.add(field, fmt.Sprintf("不能为负数（当前 %d）", n))
	}
}

func (v *validator) positiveInt(field string, n int) {
	if n <= 0 {
		v.add(field, fmt.Sprintf("必须大于0（当前 %d）", n))
	}
}

func (v *validator) percent(field string, p Percent) {
	if p < 0 || p > Percentage(100) {
		v.add(field, "必须在0%到100%之间（当前 "+p.String()+"）")
	}
}
