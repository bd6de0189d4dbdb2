package policy

import "fmt"

// Policy applies a validated Config. Its methods are pure: the same inputs give the
// same decision.
type Policy struct{ cfg Config }

// New validates cfg and returns a Policy that keeps its own copy of it.
func New(cfg Config) (Policy, error) {
	if err := cfg.Validate(); err != nil {
		return Policy{}, fmt.Errorf("policy: %w", err)
	}
	return Policy{cfg: cfg.clone()}, nil
}

// Config returns a copy of the configuration in use.
func (p Policy) Config() Config { return p.cfg.clone() }
