// Package money represents amounts in fen (0.01 yuan) so that no rule of the SOP is
// computed in floating point.
package money

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Amount is an amount of money in fen. It is written in JSON as a yuan number (12.5).
type Amount int64

// Yuan returns y whole yuan.
func Yuan(y int64) Amount { return Amount(y * 100) }

// Fen returns the amount in fen.
func (a Amount) Fen() int64 { return int64(a) }

// String formats the amount as yuan with two decimals, e.g. "12.50".
func (a Amount) String() string {
	sign := ""
	v := int64(a)
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}

// Yuan formats the amount as people write it in a message: "12", "12.5", "12.05"
// (no trailing zeros); the unit 元 is the caller's.
func (a Amount) Yuan() string {
	s := a.String()
	return strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
}

// MaxYuan is the largest amount Parse accepts, in whole yuan: far above any real
// order, far below where fen overflow int64.
const MaxYuan = 10_000_000_000_000

// Parse reads a yuan amount such as "12", "12.5", "12.50" or "-3": an optional single
// minus sign, ASCII digits, and at most two decimals after a point with digits on
// both sides. Anything else ("--5", "12.+5", "+5", "1e5", "1_000", full-width digits,
// more than two decimals, beyond MaxYuan) is an error rather than a guess: this is
// the one money parser for the API, the workbench and the policy files.
func Parse(s string) (Amount, error) {
	orig := s
	s = strings.TrimSpace(s)
	bad := func() (Amount, error) { return 0, fmt.Errorf("金额格式不正确: %q", orig) }
	neg := false
	if strings.HasPrefix(s, "-") {
		neg, s = true, s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if !allDigits(whole) || len(whole) > 14 || (hasFrac && (!allDigits(frac) || len(frac) > 2)) {
		return bad()
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > MaxYuan {
		return bad()
	}
	f := int64(0)
	if hasFrac {
		if len(frac) == 1 {
			frac += "0"
		}
		if f, err = strconv.ParseInt(frac, 10, 64); err != nil {
			return bad()
		}
	}
	a := Amount(w*100 + f)
	if neg {
		a = -a
	}
	return a, nil
}

// allDigits reports whether s is one or more ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// MarshalJSON writes the amount as a yuan number.
func (a Amount) MarshalJSON() ([]byte, error) {
	s := a.String()
	s = strings.TrimSuffix(strings.TrimSuffix(s, "0"), ".0")
	if strings.HasSuffix(s, ".") {
		s = strings.TrimSuffix(s, ".")
	}
	return []byte(s), nil
}

// UnmarshalJSON accepts a yuan number or a string holding one.
func (a *Amount) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		b = []byte(s)
	}
	v, err := Parse(string(b))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// PercentBP returns bp basis points of a, rounded half up to the fen (1 % = 100 bp)
// so that 0.5 % is exact.
func (a Amount) PercentBP(bp int64) Amount {
	v := int64(a) * bp
	q, r := v/10000, v%10000
	if r*2 >= 10000 {
		q++
	}
	return Amount(q)
}
