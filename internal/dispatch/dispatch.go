// Package dispatch decides who works a case: agents have tiers (the levels they
// handle), the platforms they serve and a status (online, away, off); a new case goes
// to an online agent of the right tier and platform with the fewest open cases, the
// one assigned least recently first on a tie. The rules are pure; the desk applies
// them inside the transaction that opens or reassigns the case.
package dispatch

import (
	"cmp"
	"slices"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
)

// Status is whether an agent takes new cases.
type Status string

const (
	Online Status = "online" // 在线: takes new cases
	Away   Status = "away"   // 离开: keeps their cases, takes no new ones
	Off    Status = "off"    // 下线
)

// StatusLabels are the Chinese names of the statuses.
var StatusLabels = map[Status]string{Online: "在线", Away: "离开", Off: "下线"}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { _, ok := StatusLabels[s]; return ok }

// Profile is an agent's dispatch settings: the levels they handle, the platforms and
// the shops they serve (empty: all), and their status.
type Profile struct {
	Username       string           `json:"username"`
	Levels         []cases.Level    `json:"levels"`
	Platforms      []cases.Platform `json:"platforms"`
	Shops          []int64          `json:"shops"`
	Status         Status           `json:"status"`
	LastAssignedAt time.Time        `json:"last_assigned_at,omitzero"`
}

// Handles reports whether the agent's tier, platforms and shops cover a case.
func (p Profile) Handles(level cases.Level, platform cases.Platform, shop int64) bool {
	return (len(p.Levels) == 0 || slices.Contains(p.Levels, level)) &&
		(len(p.Platforms) == 0 || slices.Contains(p.Platforms, platform)) && p.Serves(shop)
}

// Serves reports whether the agent works the shop's cases (no shops named: every shop).
func (p Profile) Serves(shop int64) bool {
	return len(p.Shops) == 0 || slices.Contains(p.Shops, shop)
}

// Case is what dispatch reads of a case.
type Case struct {
	Level    cases.Level
	Platform cases.Platform
	Shop     int64
}

// CaseOf is what dispatch reads of c.
func CaseOf(c cases.Case) Case {
	return Case{Level: c.Level, Platform: c.Platform, Shop: c.Shop()}
}

// Load is a profile with the agent's open cases now.
type Load struct {
	Profile
	Open int `json:"open"`
}

// Pick chooses the agent for a case: online, handling its level, platform and shop,
// not excluded, with the fewest open cases; on a tie the one assigned least recently,
// then by name so the choice is the same every time. ok is false when nobody qualifies.
func Pick(loads []Load, c Case, exclude string) (string, bool) {
	var best *Load
	for i := range loads {
		l := &loads[i]
		if l.Status != Online || l.Username == exclude || !l.Handles(c.Level, c.Platform, c.Shop) {
			continue
		}
		if best == nil || better(l, best) {
			best = l
		}
	}
	if best == nil {
		return "", false
	}
	return best.Username, true
}

func better(a, b *Load) bool {
	if c := cmp.Compare(a.Open, b.Open); c != 0 {
		return c < 0
	}
	if c := a.LastAssignedAt.Compare(b.LastAssignedAt); c != 0 {
		return c < 0
	}
	return a.Username < b.Username
}

// Config is how dispatch behaves; internal/config holds the defaults.
type Config struct {
	// Auto assigns a new case without an assignee on creation.
	Auto bool `yaml:"auto" json:"auto" doc:"assign a new case without an assignee to the least-loaded online agent of its tier"`
	// Redistribute lists the statuses that hand an agent's open cases to others when
	// the agent switches to them (cases nobody can take wait in 待分配).
	Redistribute []Status `yaml:"redistribute" json:"redistribute" doc:"agent statuses (away, off) that hand the agent's open cases to others"`
}
