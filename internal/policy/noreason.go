package policy

import (
	"fmt"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
)

// NoReasonRequest is a request for a 7-day no-reason return. The zero value of each
// condition is the ineligible one, so a forgotten field never grants a return.
type NoReasonRequest struct {
	Type            cases.ProblemType
	QualityProof    bool      // photos or video proving a quality problem
	SignedAt        time.Time // zero when not signed for yet
	RequestedAt     time.Time
	Unused          bool
	PackagingIntact bool
	Resellable      bool
}

// NoReasonEligible applies seed 004: a request made at most no_reason.window_days × 24 h
// after the courier's signed-for time (that exact instant included) for an unused item
// in intact packaging that can be resold. A quality problem with proof is exempt from
// every condition.
func (p Policy) NoReasonEligible(r NoReasonRequest) Decision {
	days := p.cfg.NoReason.WindowDays
	if r.Type.IsQuality() && r.QualityProof {
		return Decision{Allowed: true, Rule: Rule{ID: RuleNoReasonQualityExempt,
			Text: "质量问题且有凭证，退换货不受七天无理由条件限制"}}
	}
	if r.SignedAt.IsZero() || r.RequestedAt.Before(r.SignedAt) {
		return Decision{Rule: Rule{ID: RuleNoReasonNotSigned,
			Text: "尚未签收，七天无理由从物流签收时间起算；未签收请走拦截/拒收流程"}}
	}
	deadline := r.SignedAt.Add(time.Duration(days) * 24 * time.Hour)
	if r.RequestedAt.After(deadline) {
		return Decision{Rule: Rule{ID: RuleNoReasonWindowPassed,
			Text: fmt.Sprintf("签收后%d天（%d小时）内可申请，截止%s，已超期", days, days*24, deadline.Format("2006-01-02 15:04"))}}
	}
	for _, c := range []struct {
		ok       bool
		id, text string
	}{
		{r.Unused, RuleNoReasonUsed, "商品已使用，不符合七天无理由退货"},
		{r.PackagingIntact, RuleNoReasonPackaging, "原包装已破坏，不符合七天无理由退货"},
		{r.Resellable, RuleNoReasonNotResellable, "商品影响二次销售，不符合七天无理由退货"},
	} {
		if !c.ok {
			return Decision{Rule: Rule{ID: c.id, Text: c.text}}
		}
	}
	return Decision{Allowed: true, Rule: Rule{ID: RuleNoReasonEligible,
		Text: fmt.Sprintf("签收后%d天内（截止%s）、未使用、包装完好、可二次销售，符合七天无理由退货", days, deadline.Format("2006-01-02 15:04"))}}
}
