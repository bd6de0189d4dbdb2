package desk

import (
	"slices"
	"testing"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/playbook"
	"github.com/shouhou/shouhou/internal/script"
)

// TestEveryScriptAFlowAsksForExists walks every step of every built-in flow and finds,
// for each script it asks for, a script of the library that is that one: the id, or
// the stage, type, solution and intent it names.
func TestEveryScriptAFlowAsksForExists(t *testing.T) {
	flows, err := playbook.LoadDefault(nil)
	if err != nil {
		t.Fatal(err)
	}
	lib, err := script.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range flows.Flows() {
		for _, st := range f.Steps {
			for _, ref := range st.Scripts {
				for _, typ := range f.Types {
					if !refFound(lib, ref, st.Stage, typ) {
						t.Errorf("flow %s step %s asks for %+v: no script of type %s has it", f.ID, st.ID, ref, typ)
					}
				}
			}
		}
	}
}

func refFound(lib *script.Library, ref playbook.ScriptRef, stage cases.Stage, typ cases.ProblemType) bool {
	if ref.ID != "" {
		_, ok := lib.Get(ref.ID)
		return ok
	}
	if ref.Stage != "" {
		stage = cases.Stage(ref.Stage)
	}
	if ref.Type != "" {
		typ = cases.ProblemType(ref.Type)
	}
	return slices.ContainsFunc(lib.ForStep(stage, typ, ref.Solution, ""), func(s script.Script) bool {
		return (ref.Intent == "" || s.Intent == ref.Intent) && (ref.Solution == "" || slices.Contains(s.Solutions, ref.Solution))
	})
}
