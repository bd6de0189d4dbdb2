package playbook

import (
	"errors"
	"fmt"
	"slices"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/script"
)

// validator collects the semantic problems of one flow, each placed at its YAML path.
type validator struct {
	p     *parsedFlow
	opts  LoadOptions
	asked map[string][]Choice
	errs  []error
}

func (v *validator) fail(at, format string, args ...any) {
	v.errs = append(v.errs, locate(v.p, at, format, args...))
}

func validateFlow(p *parsedFlow, opts LoadOptions) error {
	v := &validator{p: p, opts: opts, asked: map[string][]Choice{}}
	v.header()
	ids := v.stepIDs()
	for i := range p.flow.Steps {
		v.step(i, ids)
	}
	if len(v.errs) == 0 {
		v.reachable()
	}
	return errors.Join(v.errs...)
}

func (v *validator) header() {
	f := v.p.flow
	if f.ID == "" {
		v.fail("$", "missing flow id")
	}
	if f.Name == "" {
		v.fail("$.name", "missing flow name")
	}
	if len(f.Types) == 0 {
		v.fail("$.types", "a flow must serve at least one problem type")
	}
	for i, t := range f.Types {
		at := fmt.Sprintf("$.types[%d]", i)
		if !slices.ContainsFunc(v.opts.Types, func(c cases.Code) bool { return c.Code == string(t) }) {
			v.fail(at, "unknown problem-type code %q", t)
		}
		if slices.Index(f.Types, t) != i {
			v.fail(at, "problem type %q listed twice", t)
		}
	}
	if len(f.Steps) == 0 {
		v.fail("$.steps", "a flow needs at least one step")
	}
}

func (v *validator) stepIDs() map[string]bool {
	ids := map[string]bool{}
	for i, s := range v.p.flow.Steps {
		at := fmt.Sprintf("$.steps[%d].id", i)
		switch {
		case s.ID == "":
			v.fail(fmt.Sprintf("$.steps[%d]", i), "step without id")
		case ids[s.ID]:
			v.fail(at, "duplicate step id %q", s.ID)
		}
		ids[s.ID] = true
	}
	if start := v.p.flow.Start; start != "" && !ids[start] {
		v.fail("$.start", "start names unknown step %q", start)
	}
	return ids
}

func (v *validator) step(i int, ids map[string]bool) {
	s := v.p.flow.Steps[i]
	at := fmt.Sprintf("$.steps[%d]", i)
	if !s.Stage.Valid() {
		v.fail(at+".stage", "unknown stage %q", s.Stage)
	}
	if s.Instruction == "" {
		v.fail(at, "step %q has no instruction", s.ID)
	}
	for j, k := range s.Evidence {
		if _, ok := cases.EvidenceLabel(k); !ok {
			v.fail(fmt.Sprintf("%s.evidence[%d]", at, j), "unknown evidence kind %q", k)
		}
	}
	v.asks(at, s)
	v.branches(at, s, ids)
	if s.Next != "" && !ids[s.Next] {
		v.fail(at+".next", "next names unknown step %q", s.Next)
	}
	v.solutions(at, s)
	v.timers(at, s, ids)
	v.scripts(at, s)
	v.done(at, s)
}

func (v *validator) asks(at string, s Step) {
	for j, a := range s.Asks {
		aat := fmt.Sprintf("%s.asks[%d]", at, j)
		if a.Key == "" || a.Question == "" {
			v.fail(aat, "an ask needs a key and a question")
		}
		if len(a.Values) == 0 {
			v.fail(aat, "ask %q has no allowed values", a.Key)
		}
		if prev, ok := v.asked[a.Key]; ok && !slices.Equal(prev, a.Values) {
			v.fail(aat+".key", "fact %q is asked elsewhere in the flow with other values", a.Key)
		}
		v.asked[a.Key] = a.Values
		for k, c := range a.Values {
			if c.Value == "" || c.Label == "" {
				v.fail(fmt.Sprintf("%s.values[%d]", aat, k), "a value needs a value and a Chinese label")
			}
			if slices.IndexFunc(a.Values, func(o Choice) bool { return o.Value == c.Value }) != k {
				v.fail(fmt.Sprintf("%s.values[%d]", aat, k), "duplicate value %q", c.Value)
			}
		}
	}
}

// knownFact checks that a fact a branch or done condition waits for is asked in the
// flow with that value, so that the condition can ever be met.
func (v *validator) knownFact(at, key, value string) {
	a, ok := v.p.flow.ask(key)
	if !ok {
		a, ok = systemFact(key) // recorded by shouhou itself (parcel_state)
	}
	switch {
	case !ok:
		v.fail(at, "fact %q is not asked by any step", key)
	case !a.allows(value):
		v.fail(at, "fact %q has no value %q", key, value)
	}
}

func (v *validator) branches(at string, s Step, ids map[string]bool) {
	for j, b := range s.Branches {
		bat := fmt.Sprintf("%s.branches[%d]", at, j)
		if len(b.When) == 0 && b.Accepted == "" {
			v.fail(bat, "branch without a when or accepted condition")
		}
		if _, ok := cases.SolutionLabel(b.Accepted); b.Accepted != "" && !ok {
			v.fail(bat+".accepted", "unknown solution kind %q", b.Accepted)
		}
		for k, val := range b.When {
			v.knownFact(bat+".when."+k, k, val)
		}
		if !ids[b.To] {
			v.fail(bat+".to", "branch to unknown step %q", b.To)
		}
	}
}

func (v *validator) solutions(at string, s Step) {
	for j, k := range s.Solutions {
		if _, ok := cases.SolutionLabel(k); !ok {
			v.fail(fmt.Sprintf("%s.solutions[%d]", at, j), "unknown solution kind %q", k)
		}
	}
}

func (v *validator) timers(at string, s Step, ids map[string]bool) {
	for j, t := range s.Timers {
		tat := fmt.Sprintf("%s.timers[%d]", at, j)
		if t.Name == "" || t.OnExpiry == "" {
			v.fail(tat, "a timer needs a name and on_expiry")
		}
		if t.Hours < 0 || t.WorkingDays < 0 || (t.Hours > 0 && t.WorkingDays > 0) {
			v.fail(tat, "timer %q: give hours or working_days, not both, never negative", t.Name)
		}
		if t.ExpireTo != "" && !ids[t.ExpireTo] {
			v.fail(tat+".expire_to", "timer expires to unknown step %q", t.ExpireTo)
		}
	}
}

func (v *validator) scripts(at string, s Step) {
	for j, r := range s.Scripts {
		rat := fmt.Sprintf("%s.scripts[%d]", at, j)
		if r == (ScriptRef{}) {
			v.fail(rat, "empty script reference")
		}
		if _, ok := cases.LabelOf(script.Intents(), r.Intent); r.Intent != "" && !ok {
			v.fail(rat, "unknown script intent %q", r.Intent)
		}
		if _, ok := cases.SolutionLabel(r.Solution); r.Solution != "" && !ok {
			v.fail(rat, "unknown solution kind %q", r.Solution)
		}
	}
}

func (v *validator) done(at string, s Step) {
	for j, t := range s.Done.Events {
		if !knownEvent(t) {
			v.fail(fmt.Sprintf("%s.done.events[%d]", at, j), "unknown event type %q", t)
		}
	}
	for k, val := range s.Done.Facts {
		v.knownFact(at+".done.facts."+k, k, val)
	}
	for j, m := range s.Done.Messages {
		if m == "" {
			v.fail(fmt.Sprintf("%s.done.messages[%d]", at, j), "empty message intent")
		}
	}
}

// reachable reports steps no path from the start leads to: they can never run.
func (v *validator) reachable() {
	f := v.p.flow
	seen := map[string]bool{}
	queue := []string{f.startID()}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		if seen[id] {
			continue
		}
		seen[id] = true
		s, _ := f.step(id)
		queue = append(queue, successors(s)...)
	}
	for i, s := range f.Steps {
		if !seen[s.ID] {
			v.fail(fmt.Sprintf("$.steps[%d].id", i), "step %q is unreachable from the start", s.ID)
		}
	}
}

func successors(s *Step) []string {
	var out []string
	for _, b := range s.Branches {
		out = append(out, b.To)
	}
	if s.Next != "" {
		out = append(out, s.Next)
	}
	for _, t := range s.Timers {
		if t.ExpireTo != "" {
			out = append(out, t.ExpireTo)
		}
	}
	return out
}
