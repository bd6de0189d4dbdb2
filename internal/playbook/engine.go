package playbook

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
)

// Engine answers, for a case and its events, where the case stands in its playbook and
// which rules an action would break.
type Engine struct {
	flows    *Set
	cfg      Config
	days     WorkingDays
	messages *decodedMessages
}

// New checks that the configuration is usable and that every flow timer has a duration,
// either in its flow file or in cfg.Timers.
func New(flows *Set, cfg Config, days WorkingDays) (*Engine, error) {
	if flows == nil || days == nil {
		return nil, errors.New("playbook engine: flows and working days are required")
	}
	errs := []error{cfg.Validate()}
	for _, f := range flows.Flows() {
		for _, s := range f.Steps {
			for _, t := range s.Timers {
				if _, ok := cfg.Timers[t.Name]; !ok && t.Hours == 0 && t.WorkingDays == 0 {
					errs = append(errs, fmt.Errorf("%s: timer %q of step %q has no duration in the flow or the config", f.File, t.Name, s.ID))
				}
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("playbook engine: %w", err)
	}
	return &Engine{flows: flows, cfg: cfg, days: days, messages: newDecodedMessages()}, nil
}

// Config is the configuration the engine runs with.
func (e *Engine) Config() Config { return e.cfg }

// position is where a walk through a flow stopped.
type position struct {
	step     *Step
	entered  time.Time
	path     []string
	finished bool
}

// walk follows the flow from its start through every completed step; the step it stops
// at is the current one. A timer with expire_to that ran out before its step completed
// moves the case on, as the SOP's "no result within 3 working days → reship or refund".
func (e *Engine) walk(f *Flow, c *cases.Case, t *trail, now time.Time) position {
	step, _ := f.step(f.startID())
	pos := position{step: step, entered: c.CreatedAt}
	visited := map[string]bool{}
	for !visited[step.ID] {
		visited[step.ID] = true
		pos.step, pos.path = step, append(pos.path, step.ID)
		doneAt, done := completedAt(step, t, pos.entered)
		if timer, due, ok := e.expired(step, c, pos.entered, now); ok && (!done || due.Before(doneAt)) {
			step, _ = f.step(timer.ExpireTo)
			pos.entered = due
			continue
		}
		if !done {
			return pos
		}
		next := nextStep(f, step, t)
		if next == nil {
			pos.finished = true
			return pos
		}
		step, pos.entered = next, doneAt
	}
	return pos
}

func nextStep(f *Flow, s *Step, t *trail) *Step {
	for _, b := range s.Branches {
		if matches(b, t) {
			next, _ := f.step(b.To)
			return next
		}
	}
	if s.Next == "" {
		return nil
	}
	next, _ := f.step(s.Next)
	return next
}

func matches(b Branch, t *trail) bool {
	if b.Accepted != "" && t.lastAccepted() != b.Accepted {
		return false
	}
	for k, v := range b.When {
		if f, ok := t.fact(k); !ok || f.value != v {
			return false
		}
	}
	return true
}

// completedAt says whether every condition of the step holds and when the last of them
// came true. Evidence and facts are state and count whenever they arrived; actions
// (remark, register, messages, events) count only once the step has been entered.
func completedAt(s *Step, t *trail, entered time.Time) (time.Time, bool) {
	at := entered
	later := func(x time.Time) {
		if x.After(at) {
			at = x
		}
	}
	for _, k := range s.Evidence {
		x, ok := t.evidence[k]
		if !ok {
			return at, false
		}
		later(x)
	}
	for _, a := range s.Asks {
		f, ok := t.fact(a.Key)
		if !ok || !a.allows(f.value) {
			return at, false
		}
		later(f.at)
	}
	for _, cond := range pendingDone(s.Done, t, entered) {
		if !cond.ok {
			return at, false
		}
		later(cond.at)
	}
	return at, true
}

// condition is one done condition of a step with its state.
type condition struct {
	action string // Chinese, for the next-action list
	ok     bool
	at     time.Time
}

func pendingDone(d Done, t *trail, entered time.Time) []condition {
	var out []condition
	if d.Remark {
		at, ok := t.firstRemark(entered)
		out = append(out, condition{"添加备注（问题描述+进度）", ok, at})
	}
	if d.Register {
		at, ok := t.firstEvent(entered, ofType(cases.EvRegistered))
		out = append(out, condition{"登记表格", ok, at})
	}
	for _, m := range d.Messages {
		at, ok := t.firstEvent(entered, t.sentWith(m))
		out = append(out, condition{messageAction(m), ok, at})
	}
	for _, typ := range d.Events {
		at, ok := t.firstEvent(entered, ofType(typ))
		out = append(out, condition{eventAction(typ), ok, at})
	}
	for k, v := range d.Facts {
		f, ok := t.fact(k)
		out = append(out, condition{fmt.Sprintf("记录事实 %s=%s", k, v), ok && f.value == v, f.at})
	}
	return out
}

func messageAction(intent string) string {
	switch intent {
	case IntentSoothe:
		return "发送安抚话术"
	case IntentTracking:
		return "给顾客留言新单号"
	}
	return "给顾客发送消息（" + intent + "）"
}

func eventAction(t cases.EventType) string {
	switch t {
	case cases.EvSolutionAccept:
		return "与顾客协商一致（记录顾客接受的方案）"
	case cases.EvSolutionOffer:
		return "向顾客提出方案"
	case cases.EvRetention:
		return "劝留（即使顾客不会留下也要发送）"
	case cases.EvReasonGuided:
		return "原因引导：七天无理由或其他"
	case cases.EvRegistered:
		return "登记表格"
	}
	return "记录事件 " + string(t)
}

// expired finds the first timer of the step with somewhere to go that ran out by now.
func (e *Engine) expired(s *Step, c *cases.Case, entered, now time.Time) (Timer, time.Time, bool) {
	for _, tm := range s.Timers {
		if tm.ExpireTo == "" {
			continue
		}
		if due := e.due(tm, c, entered); !due.After(now) {
			return tm, due, true
		}
	}
	return Timer{}, time.Time{}, false
}

func (e *Engine) span(tm Timer, p cases.Platform) Span {
	if tm.Hours > 0 || tm.WorkingDays > 0 {
		return Span{Hours: tm.Hours, WorkingDays: tm.WorkingDays}
	}
	return e.cfg.Timers[tm.Name].forPlatform(p)
}

func (e *Engine) due(tm Timer, c *cases.Case, start time.Time) time.Time {
	return e.span(tm, c.Platform).after(start, e.days)
}

// TimerDue is when the configured timer name, started at start, runs out for a case of
// platform p (false when the configuration has no such timer): the desk's parcel
// silences use the flows' own numbers (no_pickup: 48 h).
func (e *Engine) TimerDue(name string, p cases.Platform, start time.Time) (time.Time, bool) {
	ts, ok := e.cfg.Timers[name]
	if !ok {
		return time.Time{}, false
	}
	return ts.forPlatform(p).after(start, e.days), true
}

// TimerSpan is how long a timer of a flow runs by default (its own hours or working
// days, else the engine's configuration), in Chinese: "48小时", "3个工作日".
func (e *Engine) TimerSpan(tm Timer) string { return e.span(tm, "").Label() }

// Render fills {timer:NAME} in a flow's text with the timers' default durations.
func (e *Engine) Render(f *Flow, text string) string { return e.render(f, text, "") }

// render fills {timer:NAME} in a flow's text with the timer's duration, so that a number
// changed in the configuration never leaves a stale number in an instruction.
func (e *Engine) render(f *Flow, text string, p cases.Platform) string {
	for _, s := range f.Steps {
		for _, tm := range s.Timers {
			text = strings.ReplaceAll(text, "{timer:"+tm.Name+"}", e.span(tm, p).Label())
		}
	}
	return text
}
