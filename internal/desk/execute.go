package desk

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/execution"
	"github.com/shouhou/shouhou/internal/playbook"
	"github.com/shouhou/shouhou/internal/policy"
	"github.com/shouhou/shouhou/internal/store"
)

// opening starts carrying out a solution the customer accepted (SOP §1.4 执行): the
// solution gets its own state machine, and for a return or an exchange the freight
// split the policy computes is stored with it. id is the seq of the accepting event.
func (d *Desk) opening(ctx context.Context, tx store.Tx, c cases.Case, p cases.SolutionPayload, id int64) (execution.Opening, bool, error) {
	kind := execution.Kind(p.Kind)
	if !kind.Valid() {
		return execution.Opening{}, false, nil
	}
	o := execution.Opening{ID: id, Kind: kind, Amount: p.Amount, OrderAmount: c.Amount, OriginalTrackingNo: c.TrackingNo}
	if p.Data != nil {
		o.Data = *p.Data
	}
	switch kind {
	case execution.KindExchange, execution.KindReturnRefund:
		o.Freight = d.freight(c, kind == execution.KindExchange)
	case execution.KindRepair:
		if o.Part == "" {
			o.Part = p.Part
		}
		var err error
		if o.Warranty, err = d.warranty(c, o.Data); err != nil {
			return o, false, err
		}
		log, err := tx.Events(ctx, c.ID)
		if err != nil {
			return o, false, err
		}
		n, err := d.repairs(ctx, tx, c, log, o.Part)
		if err != nil {
			return o, false, err
		}
		o.RepairNo = n + 1
	}
	return o, true, nil
}

// warranty decides whether a repair is free (三包, policy warranty.period_days) from the
// purchase: the signed-for time, else the paid time, else a purchase receipt the agent
// uploaded to the case with its date.
func (d *Desk) warranty(c cases.Case, data execution.Data) (*execution.Warranty, error) {
	if d.money() == nil {
		return &execution.Warranty{Covered: true}, nil
	}
	var purchased *time.Time
	receipt := ""
	switch {
	case c.SignedAt != nil:
		purchased = c.SignedAt
	case c.PaidAt != nil:
		purchased = c.PaidAt
	case data.Receipt == "" || data.PurchasedAt == nil:
		return nil, invalid("payload.data.receipt", "订单没有签收或付款时间：请上传购买凭证并填写购买日期(receipt, purchased_at)，以判断是否在保修期内")
	default:
		if !slices.ContainsFunc(c.Evidence, func(e cases.Evidence) bool { return e.Hash == data.Receipt }) {
			return nil, invalid("payload.data.receipt", "购买凭证须是本工单已上传的照片")
		}
		purchased, receipt = data.PurchasedAt, data.Receipt
	}
	dec, until := d.money().WarrantyCovers(*purchased, d.clockNow())
	return &execution.Warranty{Covered: dec.Allowed, Until: &until, RuleID: dec.Rule.ID, RuleText: dec.Rule.Text, Receipt: receipt}, nil
}

// freight shares out the freight of a return or exchange; each leg costs the policy's
// return freight (SOP §5: 12 one way, 24 both ways) unless the shop changes it.
func (d *Desk) freight(c cases.Case, exchange bool) *execution.Freight {
	if d.money() == nil {
		return nil
	}
	leg := c.ReturnFreight
	if leg <= 0 {
		leg = d.money().Config().MinorFlaw.ReturnFreight
	}
	f := d.money().SplitFreight(policy.FreightCase{Type: c.Type, Exchange: exchange, Insured: c.FreightInsurance,
		ReturnFreight: leg, OutboundFreight: leg})
	return &execution.Freight{RuleID: f.Rule.ID, RuleText: f.Rule.Text, SellerFault: f.SellerFault, BuyerAdvances: f.BuyerAdvances,
		InsurancePayout: f.InsurancePayout, SellerReimburses: f.SellerReimburses, SellerPays: f.SellerPays, BuyerPays: f.BuyerPays}
}

// Step moves an execution on, from the state the agent saw (a compare-and-set: if
// someone moved it first the answer is *execution.StaleError).
func (d *Desk) Step(ctx context.Context, actor Actor, id int64, t execution.Transition) (cases.Case, []playbook.Violation, error) {
	return d.change(ctx, actor, id, AnyVersion, func(tx store.Tx, c cases.Case) ([]draft, error) {
		s, ok := c.Execution(t.SolutionID)
		if !ok {
			return nil, invalid("solution_id", fmt.Sprintf("工单没有编号为 %d 的执行中方案", t.SolutionID))
		}
		if execution.NeedsSupervisor(s.Kind, t.From, t.To) && !actor.CanApprove() {
			return nil, fmt.Errorf("%w: 只有主管可以审批补偿", ErrForbidden)
		}
		next, err := execution.Step(s, t, actor.Name, d.clockNow())
		if err != nil {
			return nil, err
		}
		t.To = next.State // a bad inspection lands in reopened: record where it went
		return []draft{{cases.EvExecStepped, t}}, nil
	})
}

// NextActions says, for each execution still running, what the agent does next,
// including sending the customer each new tracking number (SOP §6).
func NextActions(c cases.Case, events []cases.Event) map[int64]string {
	sent := sentTexts(events)
	trackingSent := func(number string) bool {
		for _, text := range sent {
			if containsFold(text, number) {
				return true
			}
		}
		return false
	}
	out := map[int64]string{}
	for _, s := range c.Executions {
		out[s.ID] = execution.NextAction(s, trackingSent)
	}
	return out
}

// sentTexts are the texts of the messages the agent side sent.
func sentTexts(events []cases.Event) []string {
	var out []string
	for _, e := range events {
		if e.Type != cases.EvMessageOut {
			continue
		}
		if p, ok := cases.PayloadAs[cases.MessagePayload](e); ok {
			out = append(out, p.Text)
		}
	}
	return out
}

func containsFold(s, sub string) bool {
	return sub != "" && strings.Contains(strings.ToUpper(s), strings.ToUpper(sub))
}
