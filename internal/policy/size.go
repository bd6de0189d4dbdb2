package policy

import (
	"fmt"

	"github.com/shouhou/shouhou/internal/cases"
)

// SizeVerdict classifies a size complaint.
type SizeVerdict struct {
	Type cases.ProblemType `json:"type"`
	Rule Rule              `json:"rule"`
}

// ClassifySize applies the size tolerance (seed 001: 3厘米以内是符合的): a deviation
// from the listing of at most size.tolerance_mm, larger or smaller, is a personal size
// problem; beyond it, a quality problem.
func (p Policy) ClassifySize(deviationMM int) SizeVerdict {
	tol := p.cfg.Size.ToleranceMM
	dev := max(deviationMM, -deviationMM)
	if dev <= tol {
		return SizeVerdict{Type: cases.TypePersonalSize, Rule: Rule{ID: RuleSizeWithinTolerance,
			Text: fmt.Sprintf("尺码偏差%s在%s以内，属正常（尺码不合适，非质量问题）", cm(dev), cm(tol))}}
	}
	return SizeVerdict{Type: cases.TypeQualitySize, Rule: Rule{ID: RuleSizeBeyondTolerance,
		Text: fmt.Sprintf("尺码偏差%s超过%s，属质量问题，运费由卖家承担", cm(dev), cm(tol))}}
}

// cm formats millimetres as centimetres: 30 → "3厘米", 35 → "3.5厘米".
func cm(mm int) string {
	if mm%10 == 0 {
		return fmt.Sprintf("%d厘米", mm/10)
	}
	return fmt.Sprintf("%d.%d厘米", mm/10, mm%10)
}
