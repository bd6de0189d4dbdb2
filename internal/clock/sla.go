// Package clock holds the case clocks: the SLA deadlines of each severity level
// (SOP §3). Durable timers that fire exactly once across server processes, follow-ups
// and platform deadlines will live here too; the deadlines are recorded as events
// (case.sla_set) so that a change of configuration never rewrites history.
package clock

import (
	"fmt"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
)

// LevelSLA is the first-response and resolution time of one level.
type LevelSLA struct {
	FirstResponseHours int `yaml:"first_response_hours" json:"first_response_hours"`
	ResolveHours       int `yaml:"resolve_hours" json:"resolve_hours"`
}

// SLA maps a level (1 urgent, 2 important, 3 routine) to its clock.
type SLA struct {
	Levels map[cases.Level]LevelSLA `yaml:"levels" json:"levels"`
	// BusinessHours, when enabled, lets the resolution clock count working hours only.
	BusinessHours BusinessHours `yaml:"business_hours" json:"business_hours"`
}

// DefaultSLA is SOP §3: 2 h / 24 h, 4 h / 48 h, 8 h / 72 h.
func DefaultSLA() SLA {
	return SLA{Levels: map[cases.Level]LevelSLA{
		1: {FirstResponseHours: 2, ResolveHours: 24},
		2: {FirstResponseHours: 4, ResolveHours: 48},
		3: {FirstResponseHours: 8, ResolveHours: 72},
	}, BusinessHours: BusinessHours{Start: "09:00", End: "22:00"}}
}

// Validate checks that every level has positive hours and that a response is due
// before the resolution.
func (s SLA) Validate() error {
	for l := cases.Level(1); l <= 3; l++ {
		v, ok := s.Levels[l]
		switch {
		case !ok:
			return fmt.Errorf("sla.levels.%d: 缺少%d级的时限", l, l)
		case v.FirstResponseHours <= 0 || v.ResolveHours <= 0:
			return fmt.Errorf("sla.levels.%d: 时限须为正数", l)
		case v.FirstResponseHours > v.ResolveHours:
			return fmt.Errorf("sla.levels.%d: 首次响应时限不能长于解决时限", l)
		}
	}
	return s.BusinessHours.Validate()
}

// DeadlinesIn is Deadlines with business hours: the first response runs around the
// clock (night duty answers at once), the resolution counts business time only when
// BusinessHours is enabled. days may be nil (every day a working day, Beijing time).
func (s SLA) DeadlinesIn(level cases.Level, from time.Time, days Days) (respond, resolve time.Time) {
	v := s.Levels[level]
	return from.Add(time.Duration(v.FirstResponseHours) * time.Hour),
		s.BusinessHours.Add(from, time.Duration(v.ResolveHours)*time.Hour, days)
}

// Deadlines returns when a case of the level opened at from must first be answered
// and be resolved.
func (s SLA) Deadlines(level cases.Level, from time.Time) (respond, resolve time.Time) {
	v := s.Levels[level]
	return from.Add(time.Duration(v.FirstResponseHours) * time.Hour), from.Add(time.Duration(v.ResolveHours) * time.Hour)
}
