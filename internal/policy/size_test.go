package policy

import (
	"testing"

	"github.com/shouhou/shouhou/internal/cases"
)

func TestSizeToleranceThreeCentimetres(t *testing.T) {
	p := defaultPolicy(t)
	for _, tt := range []struct {
		mm   int
		want cases.ProblemType
		rule string
	}{
		{29, cases.TypePersonalSize, RuleSizeWithinTolerance},
		{30, cases.TypePersonalSize, RuleSizeWithinTolerance},
		{31, cases.TypeQualitySize, RuleSizeBeyondTolerance},
		{-30, cases.TypePersonalSize, RuleSizeWithinTolerance},
		{-31, cases.TypeQualitySize, RuleSizeBeyondTolerance},
	} {
		got := p.ClassifySize(tt.mm)
		if got.Type != tt.want {
			t.Errorf("%d mm: %s, want %s", tt.mm, got.Type, tt.want)
		}
		checkRule(t, got.Rule, tt.rule, "3厘米")
	}
	got := withYAML(t, "size:\n  tolerance_mm: 20\n").ClassifySize(25)
	checkRule(t, got.Rule, RuleSizeBeyondTolerance, "2.5厘米超过2厘米")
}
