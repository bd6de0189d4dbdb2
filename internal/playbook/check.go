package playbook

import (
	"fmt"
	"slices"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/policy"
)

// Severity tells a service whether to refuse an action or only to warn the agent.
type Severity string

const (
	Blocking Severity = "blocking"
	Warning  Severity = "warning"
	// Info is what a rule computed for the agent (a price difference waived, the fee
	// of an exchange, the platform's late-shipment payout): nothing is wrong.
	Info Severity = "info"
)

// Violation is a rule of the SOP an action breaks. Seq is the event it was found on when
// the guide reviews the history; 0 for a proposed action.
type Violation struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
	Seq      int64    `json:"seq,omitempty"`
}

// Rule ids, one per SOP rule, so "where is rule X" has a one-line answer.
const (
	RuleReturnCustomerOnly   = "return.customer_only"         // SOP §4: the agent never proposes a return
	RuleReturnRetentionFirst = "return.retention_first"       // SOP §4: 劝留 then 原因引导 before a return
	RuleReasonAfterRetention = "reason.after_retention"       // SOP §4: 原因引导 comes after 劝留
	RuleReasonLateShipment   = policy.RuleAvoidLateShipReason // SOP §4, seed 001: never 未按约定时间发货 (the cost is policy's)
	RuleReasonQuality        = "reason.quality"               // SOP §4: not 质量问题 when avoidable
	RuleReasonUnknown        = "reason.unknown"
	RuleSolutionNotInFlow    = "flow.solution_not_allowed"
	RuleLadderSkipped        = "ladder.skipped_rung"   // SOP §4: the highest rung that fits first
	RuleRemarkBeforeClose    = "remark.before_close"   // SOP §1.5: 无备注等于0产能
	RuleRegisterBeforeClose  = "register.before_close" // SOP §6: flows end with 登记表格
	RuleSoothingLoop         = "antipattern.soothing_loop"
)

// HasBlocking reports whether any violation must stop the action.
func HasBlocking(vs []Violation) bool {
	return slices.ContainsFunc(vs, func(v Violation) bool { return v.Severity == Blocking })
}

// Check is called before an agent's event is appended: it returns the rules the event
// would break given the case and its events so far.
func (e *Engine) Check(c *cases.Case, events []cases.Event, proposed cases.Event, now time.Time) []Violation {
	t := e.newTrail(c, events, true)
	vs := e.rules(c, t, proposed, now)
	if t.sentWith(IntentSoothe)(proposed) && t.soothingSinceOffer()+1 >= e.cfg.SoothingLimit {
		vs = append(vs, Violation{RuleSoothingLoop, Warning,
			fmt.Sprintf("已安抚%d次仍未提出方案：安抚后请尽快给出解决方案", t.soothingSinceOffer()+1), 0})
	}
	return vs
}

// history re-checks every past event against the events before it, so the guide shows
// rules already broken.
func (e *Engine) history(c *cases.Case, events []cases.Event) []Violation {
	var out []Violation
	// Each event is judged by the trail of the events before it: one trail, grown
	// an event at a time (a trail per event read the log n times over).
	t := e.newTrail(c, make([]cases.Event, 0, len(events)), false)
	for _, ev := range events {
		for _, v := range e.rules(c, t, ev, ev.At) {
			v.Seq = ev.Seq
			out = append(out, v)
		}
		t.add(ev)
	}
	return out
}

func (e *Engine) rules(c *cases.Case, t *trail, ev cases.Event, now time.Time) []Violation {
	switch ev.Type {
	case cases.EvSolutionOffer, cases.EvSolutionAccept:
		return e.solutionRules(c, t, ev, now)
	case cases.EvReasonGuided:
		return e.reasonRules(c, t, ev)
	case cases.EvClosed:
		return e.closeRules(c, t)
	}
	return nil
}

func (e *Engine) solutionRules(c *cases.Case, t *trail, ev cases.Event, now time.Time) []Violation {
	kind := solutionKind(ev)
	asked, retained, guided := t.returnSequence()
	var vs []Violation
	if ev.Type == cases.EvSolutionOffer && slices.Contains(e.cfg.CustomerOnly, kind) && !asked {
		vs = append(vs, Violation{RuleReturnCustomerOnly, Blocking, "退货只能由顾客主动提出，客服不主动引导退货", 0})
	}
	if slices.Contains(e.cfg.RefundKinds, kind) && asked && !(retained && guided) {
		vs = append(vs, Violation{RuleReturnRetentionFirst, Blocking,
			"顾客提出退货后，须先劝留、再原因引导（按此顺序），才能办理退货/退款", 0})
	}
	// A return is the customer's call, not the step's: the return rules above judge it.
	returnRuled := slices.Contains(e.cfg.CustomerOnly, kind) || (asked && slices.Contains(e.cfg.RefundKinds, kind))
	if ev.Type == cases.EvSolutionOffer && !returnRuled {
		vs = append(vs, e.flowRules(c, t, kind, now)...)
	}
	return vs
}

// flowRules compare an offer with the current step: is it allowed there, and does it
// skip a higher rung of the ladder that the step allows and nobody has tried yet.
func (e *Engine) flowRules(c *cases.Case, t *trail, kind string, now time.Time) []Violation {
	f, ok := e.flows.ForType(c.Type)
	if !ok {
		return nil
	}
	step := e.walk(f, c, t, now).step
	if len(step.Solutions) == 0 || kind == cases.SolutionRetention {
		return nil
	}
	label, _ := cases.SolutionLabel(kind)
	if !slices.Contains(step.Solutions, kind) {
		return []Violation{{RuleSolutionNotInFlow, Warning, fmt.Sprintf("当前步骤不提供「%s」方案", label), 0}}
	}
	rung := slices.Index(e.cfg.Ladder, kind)
	for _, higher := range e.cfg.Ladder[:max(rung, 0)] {
		offered, refused := t.tried(higher)
		if slices.Contains(step.Solutions, higher) && !offered && !refused {
			hl, _ := cases.SolutionLabel(higher)
			return []Violation{{RuleLadderSkipped, Warning, fmt.Sprintf("按方案阶梯，应先提出「%s」再提出「%s」", hl, label), 0}}
		}
	}
	return nil
}

func (e *Engine) reasonRules(c *cases.Case, t *trail, ev cases.Event) []Violation {
	var p cases.ReasonPayload
	decode(ev, &p)
	var vs []Violation
	if asked, retained, _ := t.returnSequence(); asked && !retained {
		vs = append(vs, Violation{RuleReasonAfterRetention, Blocking, "原因引导须在劝留之后：请先发送劝留", 0})
	}
	switch {
	case slices.Contains(e.cfg.ForbiddenReasons, p.Reason):
		vs = append(vs, Violation{RuleReasonLateShipment, Blocking,
			fmt.Sprintf("不可引导「%s」：平台会按订单金额向店铺扣款，请引导七天无理由或其他", reasonLabel(p.Reason)), 0})
	case slices.Contains(e.cfg.DiscouragedReasons, p.Reason):
		vs = append(vs, Violation{RuleReasonQuality, Warning,
			fmt.Sprintf("尽量不要引导「%s」：影响店铺评分，请引导七天无理由或其他", reasonLabel(p.Reason)), 0})
	case !slices.Contains(e.cfg.AllowedReasons, p.Reason):
		vs = append(vs, Violation{RuleReasonUnknown, Warning,
			fmt.Sprintf("未知的退货原因「%s」：请引导七天无理由或其他", p.Reason), 0})
	}
	return vs
}

func (e *Engine) closeRules(c *cases.Case, t *trail) []Violation {
	if c.Type == cases.TypePresale {
		return nil
	}
	var vs []Violation
	if len(t.remarks) == 0 {
		vs = append(vs, Violation{RuleRemarkBeforeClose, Blocking, "无备注等于0产能：结案前请添加备注（问题描述+进度）", 0})
	}
	if f, ok := e.flows.ForType(c.Type); ok && flowRegisters(f) && !t.has(ofType(cases.EvRegistered)) {
		vs = append(vs, Violation{RuleRegisterBeforeClose, Warning, "结案前请登记表格", 0})
	}
	return vs
}

func flowRegisters(f *Flow) bool {
	return slices.ContainsFunc(f.Steps, func(s Step) bool { return s.Done.Register })
}
