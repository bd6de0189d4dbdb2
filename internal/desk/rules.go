package desk

import (
	"context"
	"fmt"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/money"
	"github.com/shouhou/shouhou/internal/playbook"
	"github.com/shouhou/shouhou/internal/policy"
	"github.com/shouhou/shouhou/internal/store"
)

// Rulebook is the SOP engine (internal/playbook) as the desk uses it.
type Rulebook interface {
	Guide(c *cases.Case, events []cases.Event, now time.Time) playbook.Guide
	Check(c *cases.Case, events []cases.Event, proposed cases.Event, now time.Time) []playbook.Violation
}

// MoneyRules are the money and eligibility rules of SOP §5 (internal/policy).
type MoneyRules interface {
	AuthorizeCompensation(actor policy.Role, amount money.Amount) (policy.Approval, error)
	CheckDiscount(price, offered money.Amount) policy.Decision
	NoReasonEligible(r policy.NoReasonRequest) policy.Decision
	SplitFreight(c policy.FreightCase) policy.FreightSplit
	Config() policy.Config
}

// ApprovalRequiredError refuses an amount above the actor's limit that no supervisor
// has approved; the rule says the limit and who may approve.
type ApprovalRequiredError struct {
	Rule     policy.Rule
	Approver policy.Role
	Limit    money.Amount
}

func (e *ApprovalRequiredError) Error() string {
	return fmt.Sprintf("approval required: %s", e.Rule.Text)
}

// checked are the events the SOP engine reviews before they are appended: the ladder,
// returns and their two mandatory events, reasons, and closing.
var checked = map[cases.EventType]bool{
	cases.EvSolutionOffer: true, cases.EvSolutionAccept: true, cases.EvSolutionRefuse: true,
	cases.EvRetention: true, cases.EvReasonGuided: true, cases.EvReturnAsked: true,
	cases.EvApprovalAsked: true, cases.EvClosed: true,
}

// review runs the SOP engine over new events. A blocking violation refuses the whole
// change; warnings go back to the agent and the change goes through.
func (d *Desk) review(ctx context.Context, tx store.Tx, before cases.Case, events []cases.Event) ([]playbook.Violation, error) {
	if d.rules == nil || !anyChecked(events) {
		return nil, nil
	}
	log, err := tx.Events(ctx, before.ID)
	if err != nil {
		return nil, err
	}
	state := before
	var warnings []playbook.Violation
	for _, e := range events {
		if checked[e.Type] {
			for _, v := range d.rules.Check(&state, log, e, e.At) {
				if v.Severity == playbook.Blocking {
					return nil, &RuleError{Code: v.Rule, Message: v.Message}
				}
				warnings = append(warnings, v)
			}
		}
		if state, err = cases.Apply(state, e); err != nil {
			return nil, err
		}
		log = append(log, e)
	}
	return warnings, nil
}

func anyChecked(events []cases.Event) bool {
	for _, e := range events {
		if checked[e.Type] {
			return true
		}
	}
	return false
}

// grants are the events that give the customer money, and so must be within the
// actor's limit; a request for approval or a refused offer gives nothing.
var grants = map[cases.EventType]bool{
	cases.EvSolutionOffer: true, cases.EvSolutionAccept: true, cases.EvRetention: true, cases.EvApprovalGiven: true,
}

// checkMoney applies SOP §5 to an agent's event before it is appended: the
// compensation limits and the discount floor on money given, and the 7-day window on
// guiding a no-reason return.
func (d *Desk) checkMoney(actor Actor, c cases.Case, typ cases.EventType, payload any, now time.Time) error {
	if d.limits == nil {
		return nil
	}
	if p, ok := payload.(cases.ReasonPayload); ok && p.Reason == "seven_days_no_reason" {
		return refusal(d.limits.NoReasonEligible(noReasonRequest(c, now)))
	}
	kind, amount := amountOf(payload)
	if amount <= 0 || kind != "compensation" || !grants[typ] {
		return nil
	}
	if c.Amount > 0 {
		if err := refusal(d.limits.CheckDiscount(c.Amount, c.Amount-amount)); err != nil {
			return err
		}
	}
	return d.checkLimit(actor, c, typ, kind, amount)
}

// refusal turns a policy decision against the action into the rule's refusal.
func refusal(dec policy.Decision) error {
	if dec.Allowed {
		return nil
	}
	return &RuleError{Code: dec.Rule.ID, Message: dec.Rule.Text}
}

// noReasonRequest describes the case for the 7-day rule. Only the signed-for time is
// known for sure; the item's condition counts as fine unless the agent recorded it as
// used (fact item_state), and a quality problem with photos or video is exempt.
func noReasonRequest(c cases.Case, now time.Time) policy.NoReasonRequest {
	fine := c.Facts["item_state"] != "used"
	r := policy.NoReasonRequest{Type: c.Type, QualityProof: c.Type.IsQuality() && len(c.Evidence) > 0,
		RequestedAt: now, Unused: fine, PackagingIntact: fine, Resellable: fine}
	if c.SignedAt != nil {
		r.SignedAt = *c.SignedAt
	} else {
		r.SignedAt = now // not signed for yet: the window has not started
	}
	return r
}

// checkLimit applies the compensation limits: an agent may grant up to their limit;
// above it a supervisor's approval on the case must cover the amount, and a
// supervisor may approve only up to their own limit.
func (d *Desk) checkLimit(actor Actor, c cases.Case, typ cases.EventType, kind string, amount money.Amount) error {
	a, err := d.limits.AuthorizeCompensation(policy.Role(actor.Role), amount)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrForbidden, err)
	}
	if !a.NeedsApproval {
		return nil
	}
	if typ != cases.EvApprovalGiven && c.ApprovedUpTo(kind, amount) {
		return nil
	}
	return &ApprovalRequiredError{Rule: a.Rule, Approver: a.Approver, Limit: a.Limit}
}

// amountOf finds the money in the payloads that carry it. A retention offer with an
// amount is compensation too (劝留补偿).
func amountOf(payload any) (string, money.Amount) {
	switch p := payload.(type) {
	case cases.SolutionPayload:
		if p.Kind == "" || p.Kind == "retention" {
			return "compensation", p.Amount
		}
		return p.Kind, p.Amount
	case cases.ApprovalPayload:
		return p.Kind, p.Amount
	}
	return "", 0
}

// CompensationLimit is the most the actor may grant alone (unlimited: no limit).
func (d *Desk) CompensationLimit(actor Actor) (limit money.Amount, unlimited bool) {
	if d.limits == nil {
		return 0, true
	}
	a, err := d.limits.AuthorizeCompensation(policy.Role(actor.Role), 0)
	if err != nil {
		return 0, false
	}
	return a.Limit, a.Unlimited
}

// Guide is the SOP engine's answer for a case now, with the case and the log it read.
func (d *Desk) Guide(ctx context.Context, id int64) (cases.Case, []cases.Event, playbook.Guide, error) {
	c, err := d.store.GetCase(ctx, id)
	if err != nil {
		return c, nil, playbook.Guide{}, err
	}
	events, err := d.store.Events(ctx, id, 0, 0)
	if err != nil || d.rules == nil {
		return c, events, playbook.Guide{}, err
	}
	return c, events, d.rules.Guide(&c, events, d.clockNow()), nil
}
