// Package playbook makes the SOP run: each flow of SOP §6 is a YAML playbook (data, not
// code), and the Engine reads a case and its events against its playbook to say where the
// case stands, what the agent should do next and which rule a proposed action would break.
// It is pure: no database, HTTP or clock; time is passed in.
package playbook

import (
	"slices"

	"github.com/shouhou/shouhou/internal/cases"
)

// Flow is one playbook: the steps an agent follows for the problem types it serves.
type Flow struct {
	ID    string              `yaml:"id" json:"id"`
	Name  string              `yaml:"name" json:"name"`
	Types []cases.ProblemType `yaml:"types" json:"types"`
	Start string              `yaml:"start,omitempty" json:"start,omitempty"`
	Steps []Step              `yaml:"steps" json:"steps"`

	// File is where the flow was loaded from, so that errors found later can name it.
	File string `yaml:"-" json:"file"`
}

// Step is one node of a flow.
type Step struct {
	ID          string      `yaml:"id" json:"id"`
	Stage       cases.Stage `yaml:"stage" json:"stage"`
	Instruction string      `yaml:"instruction" json:"instruction"`
	Evidence    []string    `yaml:"evidence,omitempty" json:"evidence,omitempty"`
	Asks        []Ask       `yaml:"asks,omitempty" json:"asks,omitempty"`
	Branches    []Branch    `yaml:"branches,omitempty" json:"branches,omitempty"`
	Next        string      `yaml:"next,omitempty" json:"next,omitempty"`
	Solutions   []string    `yaml:"solutions,omitempty" json:"solutions,omitempty"`
	Timers      []Timer     `yaml:"timers,omitempty" json:"timers,omitempty"`
	Scripts     []ScriptRef `yaml:"scripts,omitempty" json:"scripts,omitempty"`
	Done        Done        `yaml:"done,omitempty" json:"done,omitempty"`
}

// Ask is a fact the agent must establish at a step, with its allowed answers.
type Ask struct {
	Key      string   `yaml:"key" json:"key"`
	Question string   `yaml:"question" json:"question"`
	Values   []Choice `yaml:"values" json:"values"`
}

// Choice is one allowed answer of an Ask.
type Choice struct {
	Value string `yaml:"value" json:"value"`
	Label string `yaml:"label" json:"label"`
}

// Branch sends the case to another step when all its facts have the given values and,
// if Accepted is set, the solution the customer last accepted is of that kind (so that
// only a reship leads to sending a new tracking number).
type Branch struct {
	When     map[string]string `yaml:"when,omitempty" json:"when,omitempty"`
	Accepted string            `yaml:"accepted,omitempty" json:"accepted,omitempty"`
	To       string            `yaml:"to" json:"to"`
}

// Timer starts when its step is entered. Without hours or working days its duration is
// taken from Config.Timers under the same name, so the SOP's numbers live in one place.
type Timer struct {
	Name        string  `yaml:"name" json:"name"`
	Hours       float64 `yaml:"hours,omitempty" json:"hours,omitempty"`
	WorkingDays int     `yaml:"working_days,omitempty" json:"working_days,omitempty"`
	OnExpiry    string  `yaml:"on_expiry" json:"on_expiry"`
	ExpireTo    string  `yaml:"expire_to,omitempty" json:"expire_to,omitempty"`
}

// ScriptRef points at scripts of the script library by tags rather than by id where it
// can, so that a shop may rewrite its scripts without touching its flows.
type ScriptRef struct {
	ID       string `yaml:"id,omitempty" json:"id,omitempty"`
	Stage    string `yaml:"stage,omitempty" json:"stage,omitempty"`
	Solution string `yaml:"solution,omitempty" json:"solution,omitempty"`
	Intent   string `yaml:"intent,omitempty" json:"intent,omitempty"`
	Type     string `yaml:"type,omitempty" json:"type,omitempty"`
}

// Done lists what must have happened, after the step was entered, for the step to end;
// all listed conditions must hold. Required evidence and asked facts always count too.
type Done struct {
	Remark   bool              `yaml:"remark,omitempty" json:"remark,omitempty"`
	Register bool              `yaml:"register,omitempty" json:"register,omitempty"`
	Messages []string          `yaml:"messages,omitempty" json:"messages,omitempty"`
	Events   []cases.EventType `yaml:"events,omitempty" json:"events,omitempty"`
	Facts    map[string]string `yaml:"facts,omitempty" json:"facts,omitempty"`
}

func (d Done) empty() bool {
	return !d.Remark && !d.Register && len(d.Messages) == 0 && len(d.Events) == 0 && len(d.Facts) == 0
}

// knownEvent reports whether a playbook may wait for this event type.
func knownEvent(t cases.EventType) bool {
	return slices.Contains([]cases.EventType{
		cases.EvFieldsChanged, cases.EvStageChanged, cases.EvMessageIn, cases.EvMessageOut, cases.EvEvidenceAdded,
		cases.EvFactRecorded, cases.EvReturnAsked, cases.EvRetention, cases.EvReasonGuided,
		cases.EvSolutionOffer, cases.EvSolutionAccept, cases.EvSolutionRefuse,
		cases.EvApprovalAsked, cases.EvApprovalGiven, cases.EvApprovalDenied,
		cases.EvRemarkAdded, cases.EvNote, cases.EvClosed, cases.EvRegistered, cases.EvFollowedUp,
	}, t)
}

// step returns the step with the given id.
func (f *Flow) step(id string) (*Step, bool) {
	for i := range f.Steps {
		if f.Steps[i].ID == id {
			return &f.Steps[i], true
		}
	}
	return nil, false
}

// startID is the explicit start or the first step.
func (f *Flow) startID() string {
	if f.Start != "" || len(f.Steps) == 0 {
		return f.Start
	}
	return f.Steps[0].ID
}

// ask finds the Ask of the flow that establishes key.
func (f *Flow) ask(key string) (Ask, bool) {
	for _, s := range f.Steps {
		for _, a := range s.Asks {
			if a.Key == key {
				return a, true
			}
		}
	}
	return Ask{}, false
}

func (a Ask) allows(value string) bool {
	return slices.ContainsFunc(a.Values, func(c Choice) bool { return c.Value == value })
}
