package policy

import (
	"fmt"

	"github.com/shouhou/shouhou/internal/money"
)

// Percent is a percentage in basis points (1 % = 100) so that 0.5 % is exact. In YAML
// it is written as a percent number with at most two decimals: 0.5 means 0.5 %.
type Percent int64

// Percentage returns p percent; Percentage(5) is 5 %.
func Percentage(p int64) Percent { return Percent(p * 100) }

// Of returns p of a, rounded half up to the fen.
func (p Percent) Of(a money.Amount) money.Amount { return a.PercentBP(int64(p)) }

// String formats the percentage without trailing zeros, e.g. "0.5%" or "60%".
func (p Percent) String() string { return money.Amount(p).Yuan() + "%" }

// MarshalJSON writes the percent number as in YAML (0.5 for 0.5 %), never the basis
// points.
func (p Percent) MarshalJSON() ([]byte, error) { return []byte(money.Amount(p).Yuan()), nil }

// UnmarshalJSON reads the percent number MarshalJSON writes.
func (p *Percent) UnmarshalJSON(b []byte) error {
	v, err := parsePercent(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// parsePercent reads "0.5" or "60" as a percentage; the text has the shape of a yuan
// amount (two decimals at most), so money.Parse does the digit work.
func parsePercent(s string) (Percent, error) {
	a, err := money.Parse(s)
	if err != nil {
		return 0, fmt.Errorf("百分比格式不正确: %q", s)
	}
	return Percent(a), nil
}

// yuan formats an amount for rule texts: "12元", "12.5元".
func yuan(a money.Amount) string { return a.Yuan() + "元" }
