package clock

import (
	"fmt"

	"github.com/goccy/go-yaml"

	"github.com/shouhou/shouhou/internal/cases"
)

// slaOverlay is the YAML form of an SLA with every number optional, so that a file
// names only what it changes: `sla: {levels: {1: {resolve_hours: 12}}}` keeps the
// first-response time of level 1 and both times of levels 2 and 3.
type slaOverlay struct {
	Levels map[cases.Level]struct {
		FirstResponseHours *int `yaml:"first_response_hours"`
		ResolveHours       *int `yaml:"resolve_hours"`
	} `yaml:"levels"`
	BusinessHours struct {
		Enabled         *bool   `yaml:"enabled"`
		Start           *string `yaml:"start"`
		End             *string `yaml:"end"`
		WorkingDaysOnly *bool   `yaml:"working_days_only"`
	} `yaml:"business_hours"`
}

// UnmarshalYAML lays the file's SLA over the current one key by key. Unknown keys and
// levels other than 1, 2 and 3 are errors.
func (s *SLA) UnmarshalYAML(b []byte) error {
	var o slaOverlay
	if err := yaml.UnmarshalWithOptions(b, &o, yaml.Strict()); err != nil {
		return err
	}
	levels := make(map[cases.Level]LevelSLA, 3)
	for l, v := range s.Levels {
		levels[l] = v
	}
	for l, v := range o.Levels {
		if l < 1 || l > 3 {
			return fmt.Errorf("sla.levels.%d: 等级只能是1、2或3", l)
		}
		cur := levels[l]
		if v.FirstResponseHours != nil {
			cur.FirstResponseHours = *v.FirstResponseHours
		}
		if v.ResolveHours != nil {
			cur.ResolveHours = *v.ResolveHours
		}
		levels[l] = cur
	}
	s.Levels = levels
	bh := o.BusinessHours
	if bh.Enabled != nil {
		s.BusinessHours.Enabled = *bh.Enabled
	}
	if bh.Start != nil {
		s.BusinessHours.Start = *bh.Start
	}
	if bh.End != nil {
		s.BusinessHours.End = *bh.End
	}
	if bh.WorkingDaysOnly != nil {
		s.BusinessHours.WorkingDaysOnly = *bh.WorkingDaysOnly
	}
	return nil
}
