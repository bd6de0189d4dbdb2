package desk

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/clock"
	"github.com/shouhou/shouhou/internal/money"
	"github.com/shouhou/shouhou/internal/playbook"
	"github.com/shouhou/shouhou/internal/policy"
	"github.com/shouhou/shouhou/internal/store"
)

// Rulebook is the SOP engine (internal/playbook) as the desk uses it.
type Rulebook interface {
	Guide(c *cases.Case, events []cases.Event, now time.Time) playbook.Guide
	Check(c *cases.Case, events []cases.Event, proposed cases.Event, now time.Time) []playbook.Violation
	TimerSpan(tm playbook.Timer) string
	Render(f *playbook.Flow, text string) string
}

// MoneyRules are the money and eligibility rules of SOP §5 (internal/policy) that the
// desk applies to the writes they govern (money.go).
type MoneyRules interface {
	Authorize(actor policy.Role, kind string, amount money.Amount) (policy.Approval, error)
	Exposure(kind string, amount, order money.Amount) money.Amount
	LowersPrice(kind string) bool
	CheckDiscount(price, offered money.Amount) policy.Decision
	MinorFlawOffer(s policy.FlawSituation) policy.Offer
	RetentionOffer() policy.Offer
	CheckRetention(a money.Amount) policy.Decision
	PriceDifference(diff money.Amount) policy.Decision
	ExchangeDepreciation(u policy.UsedExchange, now time.Time) policy.Decision
	RepeatRepair(priorRepairs int) policy.Decision
	WarrantyCovers(purchasedAt, now time.Time) (policy.Decision, time.Time)
	ClassifySize(deviationMM int) policy.SizeVerdict
	CheckShipment(s policy.Shipment, now time.Time) policy.LateShipment
	NoReasonEligible(r policy.NoReasonRequest) policy.Decision
	LateReasonCost(order money.Amount) policy.Decision
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
// returns and their two mandatory events, reasons, messages sent (the soothing loop)
// and closing.
var checked = map[cases.EventType]bool{
	cases.EvSolutionOffer: true, cases.EvSolutionAccept: true, cases.EvSolutionRefuse: true,
	cases.EvRetention: true, cases.EvReasonGuided: true, cases.EvReturnAsked: true,
	cases.EvApprovalAsked: true, cases.EvClosed: true, cases.EvMessageOut: true,
}

// still are the events that never move a case along its flow; after any other event
// the case's stage follows the guide's current step.
var still = map[cases.EventType]bool{
	cases.EvMessageIn: true, cases.EvNote: true, cases.EvAssigned: true, cases.EvSLASet: true,
	cases.EvClassified: true, cases.EvStageChanged: true, cases.EvClosed: true, cases.EvMerged: true,
	cases.EvAbsorbed: true, cases.EvSplitOff: true, cases.EvCreated: true, cases.EvFollowedUp: true,
}

// review runs the SOP engine over new events. A blocking violation refuses the whole
// change; warnings go back to the agent and the change goes through. When it read the
// log it also returns the whole log after the events (else nil), so the caller can
// have the stage follow the guide and reschedule timers without reading it again.
func (d *Desk) review(ctx context.Context, tx store.Tx, before cases.Case, events []cases.Event) ([]playbook.Violation, []cases.Event, error) {
	if d.rules == nil || !(anyChecked(events) || movesAlong(events)) {
		return nil, nil, nil
	}
	log, err := tx.Events(ctx, before.ID)
	if err != nil {
		return nil, nil, err
	}
	state := before
	var warnings []playbook.Violation
	for _, e := range events {
		if checked[e.Type] {
			for _, v := range d.rules.Check(&state, log, e, e.At) {
				if v.Severity == playbook.Blocking {
					return nil, nil, &RuleError{Code: v.Rule, Message: v.Message}
				}
				warnings = append(warnings, v)
			}
		}
		if state, err = cases.Apply(state, e); err != nil {
			return nil, nil, err
		}
		log = append(log, e)
	}
	return warnings, log, nil
}

func movesAlong(events []cases.Event) bool {
	for _, e := range events {
		if !still[e.Type] {
			return true
		}
	}
	return false
}

// followGuide is the stage change that keeps an open case at its guide's current
// step (SOP §1: the case moves on as its flow does), or nil.
func (d *Desk) followGuide(c cases.Case, log []cases.Event, now time.Time) []draft {
	if log == nil || c.Status != cases.StatusOpen {
		return nil
	}
	g := d.rules.Guide(&c, log, now)
	if g.Step == nil || g.Step.Stage == c.Stage || !g.Step.Stage.Valid() || g.Step.Stage == cases.StageClosed {
		return nil
	}
	if g.Finished && slices.Index(cases.Stages, c.Stage) > slices.Index(cases.Stages, g.Step.Stage) {
		return nil // the flow is done and the case went on (回访): it does not go back
	}
	return []draft{{cases.EvStageChanged, cases.StageChangedPayload{From: c.Stage, To: g.Step.Stage}}}
}

func anyChecked(events []cases.Event) bool {
	for _, e := range events {
		if checked[e.Type] {
			return true
		}
	}
	return false
}

// CompensationLimit is the most the actor may give alone on the case (unlimited: no
// limit; the case's shop may set its own agent limit), with the rule that says so.
func (d *Desk) CompensationLimit(ctx context.Context, actor Actor, c cases.Case) policy.Approval {
	if d.money() == nil {
		return policy.Approval{Unlimited: true}
	}
	limits, err := d.limitRules(ctx, c)
	if err != nil {
		return policy.Approval{}
	}
	a, err := limits.Authorize(policy.Role(actor.Role), cases.SolutionCompensation, 0)
	if err != nil {
		return policy.Approval{}
	}
	return a
}

// Guide is the SOP engine's answer for a case now, with the case and the log it read.
func (d *Desk) Guide(ctx context.Context, id int64) (cases.Case, []cases.Event, playbook.Guide, error) {
	c, err := d.store.GetCase(ctx, id)
	if err != nil {
		return c, nil, playbook.Guide{}, err
	}
	if err := d.syncPolicy(ctx); err != nil {
		d.logger.ErrorContext(ctx, "policy change not put in force", slog.Any("err", err))
	}
	events, err := d.store.Events(ctx, id, 0, 0)
	if err != nil || d.rules == nil {
		return c, events, playbook.Guide{}, err
	}
	now := d.clockNow()
	g := d.rules.Guide(&c, events, now)
	d.adviseMoney(&g, c, events, now)
	d.advisePlatform(&g, c)
	return c, events, g, nil
}

// adviseMoney lets the money rules speak in the guide: the amounts each offered
// solution may carry on this case (retention range, the minor-flaw ladder) and what
// the policy computes for the order (late-shipment payout, the 三包 exchange).
func (d *Desk) adviseMoney(g *playbook.Guide, c cases.Case, events []cases.Event, now time.Time) {
	if d.money() == nil {
		return
	}
	for i, o := range g.Solutions {
		var offer policy.Offer
		switch {
		case o.Kind == cases.SolutionRetention && !c.Type.IsQuality():
			offer = d.money().RetentionOffer()
			g.Solutions[i].Min = offer.Amount
		case o.Kind == cases.SolutionCompensation && minorFlaw(c):
			offer = d.money().MinorFlawOffer(policy.FlawSituation{Kind: flawKind(c), Freight: c.ReturnFreight, Refusals: refusals(events, o.Kind)})
			if offer.TakeBack {
				g.Solutions[i].Blocked = offer.Rule.Text
			}
		default:
			continue
		}
		g.Solutions[i].Max, g.Solutions[i].Suggested = offer.Max, offer.Amount
		g.Solutions[i].Rule, g.Solutions[i].Note = offer.Rule.ID, offer.Rule.Text
	}
	if v, ok := d.lateShipment(c, now); ok {
		g.Notices = append(g.Notices, playbook.Violation{Rule: v.Rule.ID, Severity: playbook.Info, Message: v.Rule.Text})
	}
}

// PolicyConfig is the money policy in force (ok false when the desk has none).
func (d *Desk) PolicyConfig() (policy.Config, bool) {
	if d.money() == nil {
		return policy.Config{}, false
	}
	return d.money().Config(), true
}

// TimerSpan says how long a flow's timer runs and Render fills a flow text's
// {timer:NAME}, as the SOP engine in force has them (for pages that show the flows).
func (d *Desk) TimerSpan(tm playbook.Timer) string {
	if d.rules == nil {
		return ""
	}
	return d.rules.TimerSpan(tm)
}

// RenderFlowText fills a flow text's {timer:NAME} with the durations in force.
func (d *Desk) RenderFlowText(f *playbook.Flow, text string) string {
	if d.rules == nil {
		return text
	}
	return d.rules.Render(f, text)
}

// SLA is the clock of each level in force.
func (d *Desk) SLA() clock.SLA { return d.sla }
