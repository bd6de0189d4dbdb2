package playbook

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/money"
)

// Guide is the engine's answer for one case at one moment.
type Guide struct {
	FlowID          string      `json:"flow_id,omitempty"`
	FlowName        string      `json:"flow_name,omitempty"`
	Step            *StepView   `json:"step,omitempty"`
	Path            []string    `json:"path,omitempty"`
	Finished        bool        `json:"finished"`
	NextActions     []string    `json:"next_actions"`
	MissingEvidence []Need      `json:"missing_evidence,omitempty"`
	Questions       []Ask       `json:"questions,omitempty"`
	Timers          []TimerView `json:"timers,omitempty"`
	Solutions       []Option    `json:"solutions,omitempty"`
	Scripts         []ScriptRef `json:"scripts,omitempty"`
	Violations      []Violation `json:"violations,omitempty"`
	Flags           []Flag      `json:"flags,omitempty"`
	// Notices are what the money rules say of the case (the service fills them in from
	// the shop's policy): the platform's late-shipment payout, the 三包 exchange …
	Notices []Violation `json:"notices,omitempty"`
}

// StepView is the current step as the agent sees it.
type StepView struct {
	ID          string      `json:"id"`
	Stage       cases.Stage `json:"stage"`
	StageLabel  string      `json:"stage_label"`
	Instruction string      `json:"instruction"`
}

// Need is a missing piece of evidence.
type Need struct {
	Kind  string `json:"kind"`
	Label string `json:"label"`
}

// TimerView is a timer running at the current step.
type TimerView struct {
	Name      string    `json:"name"`
	StartedAt time.Time `json:"started_at"`
	DueAt     time.Time `json:"due_at"`
	Overdue   bool      `json:"overdue"`
	OnExpiry  string    `json:"on_expiry"`
}

// Option is an allowed solution. Rung is its place on the ladder (1 = compensation), 0
// for solutions off the ladder; Blocked says why it may not be offered yet.
type Option struct {
	Kind    string `json:"kind"`
	Label   string `json:"label"`
	Rung    int    `json:"rung"`
	Refused bool   `json:"refused,omitempty"`
	Blocked string `json:"blocked,omitempty"`
	// Min–Max is the amount the money rules allow (filled in by the service from the
	// shop's policy), Suggested the one to offer first, Rule the reason.
	Min       money.Amount `json:"min,omitempty"`
	Max       money.Amount `json:"max,omitempty"`
	Suggested money.Amount `json:"suggested,omitempty"`
	Rule      string       `json:"rule,omitempty"`
	Note      string       `json:"note,omitempty"`
}

// Guide reads the case against its playbook at now.
func (e *Engine) Guide(c *cases.Case, events []cases.Event, now time.Time) Guide {
	f, ok := e.flows.ForType(c.Type)
	if !ok {
		return Guide{NextActions: []string{fmt.Sprintf("问题类型「%s」没有售后流程", c.Type)}, Flags: e.flags(c, e.newTrail(c, events, true), now)}
	}
	t := e.newTrail(c, events, true)
	pos := e.walk(f, c, t, now)
	g := Guide{
		FlowID: f.ID, FlowName: f.Name, Path: pos.path, Finished: pos.finished,
		Step: &StepView{ID: pos.step.ID, Stage: pos.step.Stage, StageLabel: cases.StageLabels[pos.step.Stage],
			Instruction: e.render(f, pos.step.Instruction, c.Platform)},
		Scripts:    slices.Clone(pos.step.Scripts),
		Violations: e.history(c, events),
		Flags:      e.flags(c, t, now),
	}
	if !pos.finished {
		g.MissingEvidence = missingEvidence(pos.step, t)
		g.Questions = openQuestions(pos.step, t)
		g.Timers = e.timers(f, pos, c, now)
		g.Solutions = e.options(pos.step, t)
	}
	g.NextActions = e.nextActions(c, f, pos, t, g)
	return g
}

func missingEvidence(s *Step, t *trail) []Need {
	var out []Need
	for _, k := range s.Evidence {
		if _, ok := t.evidence[k]; !ok {
			label, _ := cases.EvidenceLabel(k)
			out = append(out, Need{Kind: k, Label: label})
		}
	}
	return out
}

func openQuestions(s *Step, t *trail) []Ask {
	var out []Ask
	for _, a := range s.Asks {
		if f, ok := t.fact(a.Key); !ok || !a.allows(f.value) {
			out = append(out, a)
		}
	}
	return out
}

func (e *Engine) timers(f *Flow, pos position, c *cases.Case, now time.Time) []TimerView {
	var out []TimerView
	for _, tm := range pos.step.Timers {
		due := e.due(tm, c, pos.entered)
		out = append(out, TimerView{Name: tm.Name, StartedAt: pos.entered, DueAt: due,
			Overdue: now.After(due), OnExpiry: e.render(f, tm.OnExpiry, c.Platform)})
	}
	return out
}

// options orders the step's allowed solutions by the ladder (SOP §4): ladder rungs first,
// highest first, then the step's other solutions in the flow's order; within that, a
// solution the customer already refused goes last so the guide offers the next rung.
func (e *Engine) options(s *Step, t *trail) []Option {
	var out []Option
	for _, k := range s.Solutions {
		label, _ := cases.SolutionLabel(k)
		o := Option{Kind: k, Label: label, Rung: slices.Index(e.cfg.Ladder, k) + 1, Blocked: e.blocked(k, t)}
		_, o.Refused = t.tried(k)
		out = append(out, o)
	}
	slices.SortStableFunc(out, func(a, b Option) int { return optionRank(a) - optionRank(b) })
	return out
}

func optionRank(o Option) int {
	rank := o.Rung
	if rank == 0 {
		rank = 100
	}
	if o.Refused || o.Blocked != "" {
		rank += 1000
	}
	return rank
}

// blocked applies the return rules of SOP §4 to an option before it is offered.
func (e *Engine) blocked(kind string, t *trail) string {
	asked, retained, guided := t.returnSequence()
	switch {
	case slices.Contains(e.cfg.CustomerOnly, kind) && !asked:
		return "退货只能由顾客主动提出"
	case slices.Contains(e.cfg.RefundKinds, kind) && asked && !retained:
		return "顾客提出退货后，先劝留"
	case slices.Contains(e.cfg.RefundKinds, kind) && asked && !guided:
		return "劝留后，先做原因引导（七天无理由或其他）"
	}
	return ""
}

func (e *Engine) nextActions(c *cases.Case, f *Flow, pos position, t *trail, g Guide) []string {
	var out []string
	if (c.Emotion == cases.EmotionAngry || c.Emotion == cases.EmotionUpset) && !t.has(t.sentWith(IntentSoothe)) {
		out = append(out, "顾客情绪激动：先安抚（共情、引导、承诺），再尽快给出方案")
	}
	for _, fl := range g.Flags {
		out = append(out, fl.Message)
	}
	for _, tv := range g.Timers {
		if tv.Overdue {
			out = append(out, "已超时："+tv.OnExpiry)
		}
	}
	if pos.finished {
		return append(out, finishedActions(t)...)
	}
	if c.Stage != pos.step.Stage {
		out = append(out, fmt.Sprintf("将案件阶段推进到「%s」", cases.StageLabels[pos.step.Stage]))
	}
	out = append(out, g.Step.Instruction)
	if len(g.MissingEvidence) > 0 {
		out = append(out, "请顾客提供："+joinLabels(g.MissingEvidence))
	}
	for _, q := range g.Questions {
		out = append(out, "确认："+q.Question)
	}
	if o, ok := firstOffer(g.Solutions); ok {
		out = append(out, "优先提出："+o.Label)
	}
	for _, cond := range pendingDone(pos.step.Done, t, pos.entered) {
		if !cond.ok {
			out = append(out, cond.action)
		}
	}
	return out
}

func finishedActions(t *trail) []string {
	if len(t.remarks) == 0 {
		return []string{"流程已完成，请添加备注（无备注等于0产能）"}
	}
	return []string{"流程已完成，可以结案并安排回访"}
}

func firstOffer(opts []Option) (Option, bool) {
	for _, o := range opts {
		if !o.Refused && o.Blocked == "" {
			return o, true
		}
	}
	return Option{}, false
}

func joinLabels(needs []Need) string {
	labels := make([]string, len(needs))
	for i, n := range needs {
		labels[i] = n.Label
	}
	return strings.Join(labels, "、")
}
