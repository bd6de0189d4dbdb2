package script

import (
	"github.com/shouhou/shouhou/internal/cases"
)

// Want asks for scripts by id or by tags, as a playbook step names them; empty tags
// match anything.
type Want struct {
	ID       string
	Stage    cases.Stage
	Type     cases.ProblemType
	Solution string
	Intent   string
}

// ForWants returns the scripts a step asks for, best first and each once; with no
// wants, or none that match, it falls back to the scripts that fit the stage and type.
func (l *Library) ForWants(wants []Want, stage cases.Stage, t cases.ProblemType, platform cases.Platform) []Script {
	var out []Script
	seen := map[string]bool{}
	add := func(s Script) {
		if !seen[s.ID] {
			seen[s.ID] = true
			out = append(out, s)
		}
	}
	for _, w := range wants {
		if w.ID != "" {
			if s, ok := l.Get(w.ID); ok {
				add(s)
			}
			continue
		}
		st, typ := w.Stage, w.Type
		if st == "" {
			st = stage
		}
		if typ == "" {
			typ = t
		}
		for _, s := range l.ForStep(st, typ, w.Solution, platform) {
			if w.Intent == "" || s.Intent == w.Intent {
				add(s)
			}
		}
	}
	if len(out) == 0 {
		for _, s := range l.ForStep(stage, t, "", platform) {
			add(s)
		}
	}
	return out
}
