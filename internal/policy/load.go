package policy

import (
	"fmt"
	"io"
	"strconv"

	"github.com/goccy/go-yaml"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/money"
)

// Load reads a shop's policy file; see Parse.
func Load(r io.Reader) (Config, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return Config{}, fmt.Errorf("policy: read: %w", err)
	}
	return Parse(data)
}

// Parse overlays a shop's YAML on Default and validates the result. Keys left out keep
// their default; an unknown key is an error, so that a typo does not silently fall
// back to the default. Platforms missing from shipping.deadline_hours keep theirs;
// freight.seller_fault_types, when given, replaces the default list.
func Parse(data []byte) (Config, error) {
	cfg := Default()
	var probe any
	if err := yaml.Unmarshal(data, &probe); err != nil {
		return Config{}, fmt.Errorf("policy: %w", err)
	}
	if probe == nil {
		return cfg, nil
	}
	defaults := cfg.Shipping.DeadlineHours
	if err := yaml.UnmarshalWithOptions(data, &cfg, decodeOptions()...); err != nil {
		return Config{}, fmt.Errorf("policy: %w", err)
	}
	cfg.Shipping.DeadlineHours = withDefaults(cfg.Shipping.DeadlineHours, defaults)
	if err := cfg.Validate(); err != nil {
		return Config{}, fmt.Errorf("policy: %w", err)
	}
	return cfg, nil
}

func withDefaults(m, defaults map[cases.Platform]int) map[cases.Platform]int {
	out := make(map[cases.Platform]int, len(defaults))
	for k, v := range defaults {
		out[k] = v
	}
	for k, v := range m {
		out[k] = v
	}
	return out
}

// decodeOptions makes decoding strict: unknown keys fail, amounts and percentages
// take at most two decimals, and whole numbers refuse fractions instead of truncating.
func decodeOptions() []yaml.DecodeOption {
	return []yaml.DecodeOption{
		yaml.Strict(),
		yaml.CustomUnmarshaler(func(a *money.Amount, b []byte) error {
			return decodeScalar(b, func(s string) (err error) { *a, err = money.Parse(s); return err })
		}),
		yaml.CustomUnmarshaler(func(p *Percent, b []byte) error {
			return decodeScalar(b, func(s string) (err error) { *p, err = parsePercent(s); return err })
		}),
		yaml.CustomUnmarshaler(func(n *int, b []byte) error {
			return decodeScalar(b, func(s string) error {
				v, err := strconv.Atoi(s)
				if err != nil {
					return fmt.Errorf("应为整数: %q", s)
				}
				*n = v
				return nil
			})
		}),
	}
}

// decodeScalar unquotes a YAML scalar before parsing it, so that 12, "12" and '12'
// read alike.
func decodeScalar(b []byte, parse func(string) error) error {
	var s string
	if err := yaml.Unmarshal(b, &s); err != nil {
		return err
	}
	return parse(s)
}
