package desk

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/money"
	"github.com/shouhou/shouhou/internal/playbook"
	"github.com/shouhou/shouhou/internal/policy"
	"github.com/shouhou/shouhou/internal/store"
)

// Facts the money rules read (recorded by the agent with fact.recorded).
const (
	factDamage       = "damage"            // minor | severe (quality-damaged flow)
	factHeavyUse     = "heavy_use"         // yes: worn or used heavily (exchange depreciation)
	factItemState    = "item_state"        // used: opened or used (7-day rule)
	factPackaging    = "packaging"         // damaged: original packaging not intact (7-day rule)
	factResellable   = "resellable"        // no: cannot be sold again (7-day rule)
	factSizeGap      = "size_gap"          // within | beyond the size tolerance
	factSizeMeasured = "size_deviation_cm" // the measured difference from the listing, in cm
	factSafety       = "safety_words"      // recorded at intake: the safety words found (SOP §3)
)

// RuleFacts are the facts the desk's rules read or record, with their Chinese
// question and answers, for pages that show a case's facts.
var RuleFacts = []playbook.Ask{
	{Key: factDamage, Question: "产品破损程度？", Values: []playbook.Choice{{Value: "severe", Label: "严重"}, {Value: "minor", Label: "轻微"}}},
	{Key: factHeavyUse, Question: "是否频繁使用？", Values: []playbook.Choice{{Value: "yes", Label: "频繁使用"}, {Value: "no", Label: "很少使用"}}},
	{Key: factItemState, Question: "商品是否全新？", Values: []playbook.Choice{{Value: "new", Label: "全新未使用"}, {Value: "used", Label: "已使用或已拆封"}}},
	{Key: factPackaging, Question: "原包装是否完好？", Values: []playbook.Choice{{Value: "intact", Label: "完好"}, {Value: "damaged", Label: "已破坏"}}},
	{Key: factResellable, Question: "能否二次销售？", Values: []playbook.Choice{{Value: "yes", Label: "可以"}, {Value: "no", Label: "不能"}}},
	{Key: factSizeMeasured, Question: "尺码偏差(厘米)"},
	{Key: factSizeGap, Question: "尺码偏差是否超出允许误差？", Values: []playbook.Choice{{Value: "beyond", Label: "超过允许误差（质量问题）"}, {Value: "within", Label: "在允许误差以内（正常）"}}},
	{Key: factSafety, Question: "安全风险词"},
}

// moneyCheck is SOP §5 applied to one proposed event, before it is appended: it
// refuses (a *RuleError, an *ApprovalRequiredError or ErrForbidden), or returns the
// payload to store, with what the desk filled in (the terms of an exchange, the
// approval an act uses up), the warnings for the agent and further events the rules
// imply (the size verdict).
type moneyCheck struct {
	payload  any
	warnings []playbook.Violation
	extra    []draft
}

// checkMoney applies the money and eligibility rules to an agent's event.
func (d *Desk) checkMoney(ctx context.Context, tx store.Tx, actor Actor, c cases.Case, typ cases.EventType, payload any, now time.Time) (moneyCheck, error) {
	out := moneyCheck{payload: payload}
	if d.money() == nil {
		return out, nil
	}
	limits, err := d.limitRules(ctx, c)
	if err != nil {
		return out, err
	}
	switch p := payload.(type) {
	case cases.ReasonPayload:
		switch p.Reason {
		case playbook.ReasonSevenDays:
			dec := d.money().NoReasonEligible(noReasonRequest(c, now))
			out.warnings = []playbook.Violation{{Rule: dec.Rule.ID, Severity: playbook.Info, Message: dec.Rule.Text}}
			return out, refusal(dec)
		case playbook.ReasonLateShipment:
			return out, refusal(d.money().LateReasonCost(c.Amount))
		}
	case cases.FactPayload:
		return d.sizeFact(c, p)
	case cases.ApprovalPayload:
		if typ != cases.EvApprovalGiven {
			return out, nil
		}
		log, err := tx.Events(ctx, c.ID)
		if err != nil {
			return out, err
		}
		if _, err := d.solutionRules(c, log, typ, p.Kind, p.Amount); err != nil {
			return out, err
		}
		return out, d.checkLimit(limits, actor, c, typ, p.Kind, p.Amount, nil)
	case cases.SolutionPayload:
		if !moneyEvents[typ] {
			return out, nil
		}
		if p.Amount <= 0 && amountRequired[p.Kind] && typ != cases.EvRetention {
			label, _ := cases.SolutionLabel(p.Kind)
			return out, invalid("payload.amount", "请填写"+label+"金额")
		}
		log, err := tx.Events(ctx, c.ID)
		if err != nil {
			return out, err
		}
		if out.warnings, err = d.solutionRules(c, log, typ, p.Kind, p.Amount); err != nil {
			return out, err
		}
		if typ == cases.EvSolutionOffer || typ == cases.EvSolutionAccept {
			if p.Terms, err = d.terms(ctx, tx, c, log, p, now); err != nil {
				return out, err
			}
			out.warnings = append(out.warnings, d.repairWarnings(ctx, tx, c, log, p)...)
			out.warnings = append(out.warnings, d.lateShipmentNotice(c, p, now)...)
		}
		for _, t := range p.Terms {
			out.warnings = append(out.warnings, playbook.Violation{Rule: t.Rule, Severity: playbook.Info, Message: t.Text})
		}
		if err := d.checkLimit(limits, actor, c, typ, p.Kind, p.Amount, &p); err != nil {
			return out, err
		}
		out.payload = p
	}
	return out, nil
}

// amountRequired are the kinds that mean nothing without an amount (a refund without
// one is the order's amount).
var amountRequired = map[string]bool{
	cases.SolutionCompensation: true, cases.SolutionPriceDifference: true, cases.SolutionNextOrderDiscount: true,
	cases.SolutionRefurbish: true,
}

// moneyEvents are the solution events the money rules govern: offering and accepting
// a solution, a retention offer, and asking a supervisor to approve one.
var moneyEvents = map[cases.EventType]bool{
	cases.EvSolutionOffer: true, cases.EvSolutionAccept: true, cases.EvRetention: true, cases.EvApprovalAsked: true,
}

// solutionRules are the amount rules of SOP §5 for kind and amount on this case: the
// minor-flaw ladder below the return freight, the retention range and the discount
// floor. An approval request and a grant are judged by the same rules as the act, so
// no one can ask for, or grant, what the act would be refused.
func (d *Desk) solutionRules(c cases.Case, log []cases.Event, typ cases.EventType, kind string, amount money.Amount) ([]playbook.Violation, error) {
	if amount <= 0 {
		return nil, nil
	}
	var warnings []playbook.Violation
	if kind == cases.SolutionCompensation && minorFlaw(c) {
		offer := d.money().MinorFlawOffer(policy.FlawSituation{Kind: flawKind(c), Freight: c.ReturnFreight, Refusals: refusals(log, kind)})
		switch {
		case offer.TakeBack:
			return nil, &RuleError{Code: offer.Rule.ID, Message: offer.Rule.Text, Field: "payload.amount"}
		case amount > offer.Max:
			return nil, &RuleError{Code: offer.Rule.ID, Message: fmt.Sprintf("补偿%s超过上限：%s", yuanText(amount), offer.Rule.Text), Field: "payload.amount"}
		}
	}
	if kind == cases.SolutionRetention || (typ == cases.EvRetention && (kind == "" || kind == cases.SolutionCompensation)) {
		if !c.Type.IsQuality() {
			dec := d.money().CheckRetention(amount)
			switch dec.Rule.ID {
			case policy.RuleRetentionAboveMax:
				return nil, &RuleError{Code: dec.Rule.ID, Message: dec.Rule.Text, Field: "payload.amount"}
			case policy.RuleRetentionBelowMin:
				warnings = append(warnings, playbook.Violation{Rule: dec.Rule.ID, Severity: playbook.Warning, Message: dec.Rule.Text})
			}
		}
	}
	if d.money().LowersPrice(kind) && c.Amount > 0 {
		if err := refusal(d.money().CheckDiscount(c.Amount, c.Amount-amount)); err != nil {
			return nil, err
		}
	}
	return warnings, nil
}

// checkLimit applies the approval limits to the money an act gives (policy Exposure):
// an agent may give up to their limit; above it an open grant of a supervisor on the
// case must cover the amount, and the act that gives the money (accepting, a
// retention offer) uses the grant up. A request for approval is refused when no role
// may grant it; a supervisor may grant only within their own limit.
func (d *Desk) checkLimit(limits MoneyRules, actor Actor, c cases.Case, typ cases.EventType, kind string, amount money.Amount, sol *cases.SolutionPayload) error {
	if kind == "" {
		kind = cases.SolutionCompensation // a retention offer with an amount is compensation (劝留补偿)
	}
	exposure := limits.Exposure(kind, amount, c.Amount)
	if exposure <= 0 {
		return nil
	}
	role := policy.Role(actor.Role)
	if typ == cases.EvApprovalAsked {
		role = policy.RoleAdmin // the request is refused only when nobody may grant it
	}
	a, err := limits.Authorize(role, kind, exposure)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrForbidden, err)
	}
	switch {
	case a.Allowed:
		return nil
	case !a.NeedsApproval:
		return &RuleError{Code: a.Rule.ID, Message: a.Rule.Text, Field: "payload.amount"}
	case typ == cases.EvApprovalGiven:
		return &ApprovalRequiredError{Rule: a.Rule, Approver: a.Approver, Limit: a.Limit}
	}
	seq := c.ApprovalFor(kind, amount)
	if seq == 0 {
		return &ApprovalRequiredError{Rule: a.Rule, Approver: a.Approver, Limit: a.Limit}
	}
	if sol != nil && (typ == cases.EvSolutionAccept || typ == cases.EvRetention) {
		sol.UsesApproval = seq
	}
	return nil
}

// terms are what the money rules charge on an exchange: the price difference (waived
// up to exchange.waive_price_difference) and the depreciation of a heavily used item.
func (d *Desk) terms(ctx context.Context, tx store.Tx, c cases.Case, log []cases.Event, p cases.SolutionPayload, now time.Time) ([]cases.Term, error) {
	if p.Kind != cases.SolutionExchange {
		return nil, nil
	}
	var out []cases.Term
	if p.PriceDiff != 0 {
		out = append(out, term(d.money().PriceDifference(p.PriceDiff)))
	}
	if c.Facts[factHeavyUse] == "yes" && c.SignedAt != nil {
		out = append(out, term(d.money().ExchangeDepreciation(policy.UsedExchange{Price: c.Amount, SignedAt: *c.SignedAt, HeavyUse: true}, now)))
	}
	if p.Part != "" {
		n, err := d.repairs(ctx, tx, c, log, p.Part)
		if err != nil {
			return nil, err
		}
		if dec := d.money().RepeatRepair(n); dec.Allowed {
			out = append(out, term(dec))
		}
	}
	return out, nil
}

func term(dec policy.Decision) cases.Term {
	return cases.Term{Rule: dec.Rule.ID, Amount: dec.Amount, Text: dec.Rule.Text}
}

// repairWarnings apply the 三包 rule to an offer for a part that failed again: after
// warranty.repairs_before_exchange repairs the item is exchanged, not repaired or
// compensated again.
func (d *Desk) repairWarnings(ctx context.Context, tx store.Tx, c cases.Case, log []cases.Event, p cases.SolutionPayload) []playbook.Violation {
	if p.Part == "" || p.Kind == cases.SolutionExchange {
		return nil
	}
	n, err := d.repairs(ctx, tx, c, log, p.Part)
	if err != nil {
		return nil
	}
	dec := d.money().RepeatRepair(n)
	if !dec.Allowed {
		if p.Kind == cases.SolutionRepair {
			return []playbook.Violation{{Rule: dec.Rule.ID, Severity: playbook.Info, Message: dec.Rule.Text}}
		}
		return nil
	}
	return []playbook.Violation{{Rule: dec.Rule.ID, Severity: playbook.Warning, Message: dec.Rule.Text + "：请提出换货"}}
}

// repairs counts the repairs of part accepted on this case and on the other cases of
// the same order (a part that fails again usually comes back as a new case).
func (d *Desk) repairs(ctx context.Context, tx store.Tx, c cases.Case, log []cases.Event, part string) (int, error) {
	n := countRepairs(log, part)
	ids, err := d.store.CasesByOrder(ctx, c.Platform, c.OrderNo)
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		if id == c.ID {
			continue
		}
		other, err := tx.Events(ctx, id)
		if err != nil {
			return 0, err
		}
		n += countRepairs(other, part)
	}
	return n, nil
}

func countRepairs(log []cases.Event, part string) int {
	n := 0
	for _, e := range log {
		if e.Type != cases.EvSolutionAccept {
			continue
		}
		if p, ok := cases.PayloadAs[cases.SolutionPayload](e); ok && p.Kind == cases.SolutionRepair && strings.EqualFold(strings.TrimSpace(p.Part), strings.TrimSpace(part)) {
			n++
		}
	}
	return n
}

// lateShipmentNotice tells the agent, on a compensation for an order shipped late,
// what the platform already pays the buyer (SOP §5: 5 %, at least 5, at most 30 yuan).
func (d *Desk) lateShipmentNotice(c cases.Case, p cases.SolutionPayload, now time.Time) []playbook.Violation {
	if p.Kind != cases.SolutionCompensation {
		return nil
	}
	if v, ok := d.lateShipment(c, now); ok && v.Late {
		return []playbook.Violation{{Rule: v.Rule.ID, Severity: playbook.Info, Message: v.Rule.Text}}
	}
	return nil
}

// lateShipment is the platform's late-shipment verdict on the case's order; ok is
// false when the payment time is unknown.
func (d *Desk) lateShipment(c cases.Case, now time.Time) (policy.LateShipment, bool) {
	if d.money() == nil || c.PaidAt == nil {
		return policy.LateShipment{}, false
	}
	return d.money().CheckShipment(policy.Shipment{Platform: c.Platform, PaidAt: *c.PaidAt, ShippedAt: c.ShippedAt, Paid: c.Amount}, now), true
}

// sizeFact turns a measured size difference into the verdict of the size tolerance
// (policy size.tolerance_mm): the desk records size_gap and, on a size case of the
// wrong kind, moves the case to the right type (quality problem or personal size).
func (d *Desk) sizeFact(c cases.Case, p cases.FactPayload) (moneyCheck, error) {
	out := moneyCheck{payload: p}
	if p.Key != factSizeMeasured {
		return out, nil
	}
	cm, err := strconv.ParseFloat(strings.TrimSpace(p.Value), 64)
	if err != nil || cm < -1000 || cm > 1000 {
		return out, invalid("payload.value", "尺码偏差请填写厘米数,例如 3.5")
	}
	v := d.money().ClassifySize(int(cm*10 + sign(cm)*0.5))
	gap := "within"
	if v.Type == cases.TypeQualitySize {
		gap = "beyond"
	}
	out.warnings = []playbook.Violation{{Rule: v.Rule.ID, Severity: playbook.Info, Message: v.Rule.Text}}
	out.extra = []draft{{cases.EvFactRecorded, cases.FactPayload{Key: factSizeGap, Value: gap}}}
	if (c.Type == cases.TypeQualitySize || c.Type == cases.TypePersonalSize) && c.Type != v.Type {
		after := c.Intake
		after.Type = v.Type
		out.extra = append(out.extra, draft{cases.EvFieldsChanged, cases.FieldsChangedPayload{
			Changes: map[string]cases.FieldChange{"type": {Old: c.Type, New: v.Type}}, After: after}})
	}
	return out, nil
}

func sign(f float64) float64 {
	if f < 0 {
		return -1
	}
	return 1
}

// minorFlaw reports whether the case is a minor quality flaw, to which the
// compensation ladder below the return freight applies (SOP §5, seed 001).
func minorFlaw(c cases.Case) bool {
	return c.Type == cases.TypeFlaw || (c.Type == cases.TypeDamaged && c.Facts[factDamage] == "minor")
}

// flawKind is what the compensation saves: an exchange (freight both ways) when the
// customer wants one, else a return.
func flawKind(c cases.Case) policy.ReturnKind {
	if c.Demand == cases.DemandExchange {
		return policy.KindExchange
	}
	return policy.KindReturn
}

// refusals counts the customer's refusals of kind in the log.
func refusals(log []cases.Event, kind string) int {
	n := 0
	for _, e := range log {
		if e.Type != cases.EvSolutionRefuse {
			continue
		}
		if p, ok := cases.PayloadAs[cases.SolutionPayload](e); ok && p.Kind == kind {
			n++
		}
	}
	return n
}

// refusal turns a policy decision against the action into the rule's refusal.
func refusal(dec policy.Decision) error {
	if dec.Allowed {
		return nil
	}
	return &RuleError{Code: dec.Rule.ID, Message: dec.Rule.Text}
}

// noReasonRequest describes the case for the 7-day rule: the window runs from the
// signed-for time on the intake (none recorded: not signed for); the item counts as
// unused, in intact packaging and resellable unless the agent recorded otherwise
// (facts item_state=used, packaging=damaged, resellable=no); a quality problem with
// photos or video is exempt.
func noReasonRequest(c cases.Case, now time.Time) policy.NoReasonRequest {
	r := policy.NoReasonRequest{Type: c.Type, QualityProof: c.Type.IsQuality() && len(c.Evidence) > 0,
		RequestedAt: now, Unused: c.Facts[factItemState] != "used",
		PackagingIntact: c.Facts[factPackaging] != "damaged", Resellable: c.Facts[factResellable] != "no"}
	if c.SignedAt != nil {
		r.SignedAt = *c.SignedAt
	}
	return r
}

func yuanText(a money.Amount) string { return a.Yuan() + "元" }
