package policy

import (
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
)

func TestNoReasonReturnWithinSevenTimesTwentyFourHours(t *testing.T) {
	p := defaultPolicy(t)
	signed := time.Date(2026, 5, 10, 15, 30, 0, 0, time.UTC)
	window := 7 * 24 * time.Hour
	ok := func(r NoReasonRequest) NoReasonRequest {
		r.Type, r.SignedAt, r.Unused, r.PackagingIntact, r.Resellable = cases.TypeDislike, signed, true, true, true
		return r
	}
	tests := []struct {
		name    string
		req     NoReasonRequest
		allowed bool
		rule    string
	}{
		{"a second before the deadline", withAt(ok(NoReasonRequest{}), signed.Add(window-time.Second)), true, RuleNoReasonEligible},
		{"at the deadline", withAt(ok(NoReasonRequest{}), signed.Add(window)), true, RuleNoReasonEligible},
		{"a second after the deadline", withAt(ok(NoReasonRequest{}), signed.Add(window+time.Second)), false, RuleNoReasonWindowPassed},
		{"used", func() NoReasonRequest { r := withAt(ok(NoReasonRequest{}), signed); r.Unused = false; return r }(), false, RuleNoReasonUsed},
		{"packaging broken", func() NoReasonRequest {
			r := withAt(ok(NoReasonRequest{}), signed)
			r.PackagingIntact = false
			return r
		}(), false, RuleNoReasonPackaging},
		{"not resellable", func() NoReasonRequest { r := withAt(ok(NoReasonRequest{}), signed); r.Resellable = false; return r }(), false, RuleNoReasonNotResellable},
		{"not signed for", NoReasonRequest{Type: cases.TypeDislike, RequestedAt: signed, Unused: true, PackagingIntact: true, Resellable: true}, false, RuleNoReasonNotSigned},
		{"requested before signed", withAt(ok(NoReasonRequest{}), signed.Add(-time.Hour)), false, RuleNoReasonNotSigned},
		{"quality with proof is exempt even late and used", NoReasonRequest{Type: cases.TypeFlaw, QualityProof: true, SignedAt: signed, RequestedAt: signed.Add(30 * window)}, true, RuleNoReasonQualityExempt},
		{"quality without proof follows the rules", func() NoReasonRequest {
			r := withAt(ok(NoReasonRequest{}), signed.Add(window+time.Second))
			r.Type = cases.TypeFlaw
			return r
		}(), false, RuleNoReasonWindowPassed},
		{"zero value is never eligible", NoReasonRequest{SignedAt: signed, RequestedAt: signed}, false, RuleNoReasonUsed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := p.NoReasonEligible(tt.req)
			if got.Allowed != tt.allowed {
				t.Errorf("allowed = %v, want %v (%s)", got.Allowed, tt.allowed, got.Rule.Text)
			}
			checkRule(t, got.Rule, tt.rule)
		})
	}
}

func withAt(r NoReasonRequest, at time.Time) NoReasonRequest { r.RequestedAt = at; return r }

func TestNoReasonWindowShopOverride(t *testing.T) {
	p := withYAML(t, "no_reason:\n  window_days: 15\n")
	signed := time.Date(2026, 5, 10, 15, 30, 0, 0, time.UTC)
	r := NoReasonRequest{Type: cases.TypeDislike, SignedAt: signed, RequestedAt: signed.Add(10 * 24 * time.Hour),
		Unused: true, PackagingIntact: true, Resellable: true}
	got := p.NoReasonEligible(r)
	if !got.Allowed {
		t.Errorf("day 10 of a 15-day window: %s", got.Rule.Text)
	}
	checkRule(t, got.Rule, RuleNoReasonEligible, "15天", "2026-05-25 15:30")
}
