package playbook

import (
	"errors"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/shouhou/shouhou/internal/cases"
)

func TestMalformedPlaybooksFailWithFileLineAndCause(t *testing.T) {
	tests := []struct {
		dir     string
		file    string
		line    int
		problem string
	}{
		{"bad_yaml", "flow.yaml", 4, "']'"},
		{"unknown_stage", "flow.yaml", 6, `unknown stage "investigate"`},
		{"dangling_branch", "flow.yaml", 15, `branch to unknown step "reship"`},
		{"duplicate_type", "b.yaml", 5, `problem type "quality.leak" is already served by flow "leak-a" (a.yaml)`},
		{"unknown_evidence", "flow.yaml", 8, `unknown evidence kind "selfie"`},
		{"unreachable", "flow.yaml", 9, `step "orphan" is unreachable`},
		{"unknown_field", "flow.yaml", 7, "instrucion"},
		{"duplicate_step", "flow.yaml", 10, `duplicate step id "video"`},
		{"unknown_type", "flow.yaml", 3, `unknown problem-type code "quality.leaky"`},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			_, err := Load(LoadOptions{}, os.DirFS("testdata/"+tt.dir))
			var le *LoadError
			if !errors.As(err, &le) {
				t.Fatalf("err = %v, want a *LoadError", err)
			}
			if le.File != tt.file || le.Line != tt.line || !strings.Contains(le.Problem, tt.problem) {
				t.Fatalf("got %s:%d %q, want %s:%d containing %q", le.File, le.Line, le.Problem, tt.file, tt.line, tt.problem)
			}
			if !strings.HasPrefix(err.Error(), tt.file+":") {
				t.Errorf("message %q does not start with the file", err)
			}
		})
	}
}

func TestDefaultFlowsServeEveryCodeExceptPresaleExactlyOnce(t *testing.T) {
	set, err := LoadDefault(nil)
	if err != nil {
		t.Fatal(err)
	}
	served := map[cases.ProblemType]int{}
	for _, f := range set.Flows() {
		for _, typ := range f.Types {
			served[typ]++
		}
	}
	for _, c := range cases.ProblemTypes {
		want := 1
		if c.Code == string(cases.TypePresale) {
			want = 0
		}
		if got := served[cases.ProblemType(c.Code)]; got != want {
			t.Errorf("%s served by %d flows, want %d", c.Code, got, want)
		}
	}
	if got := set.Unserved(cases.ProblemTypes); len(got) != 1 || got[0] != cases.TypePresale {
		t.Errorf("unserved = %v, want only presale", got)
	}
}

func TestOverrideDirectoryReplacesByIDAndAddsNewFlows(t *testing.T) {
	set, err := LoadDefault(os.DirFS("testdata/override"))
	if err != nil {
		t.Fatal(err)
	}
	lost, ok := set.ForType(cases.TypeLost)
	if !ok || lost.Name != "丢件（本店）" || lost.File != "logistics-lost.yaml" {
		t.Fatalf("lost flow = %+v, want the shop's", lost)
	}
	if _, ok := set.Flow("presale-extra"); !ok {
		t.Error("a new file must add its flow")
	}
	if _, ok := set.ForType(cases.TypeLeak); !ok {
		t.Error("defaults not overridden must stay")
	}
}

func TestOverriddenLostFlowWaitsTwoWorkingDaysThenAsksTheCourierStatement(t *testing.T) {
	set, err := LoadDefault(os.DirFS("testdata/override"))
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(set, DefaultConfig(), weekends{})
	if err != nil {
		t.Fatal(err)
	}
	s := newStory(cases.TypeLost) // Monday 09:00
	g := e.Guide(&s.c, nil, s.now)
	if !strings.Contains(g.Step.Instruction, "2个工作日") || !g.Timers[0].DueAt.Equal(s.now.AddDate(0, 0, 2)) {
		t.Fatalf("instruction %q timers %+v", g.Step.Instruction, g.Timers)
	}
	g = e.Guide(&s.c, nil, s.now.AddDate(0, 0, 2))
	if g.Step.ID != "courier-statement" || len(g.MissingEvidence) != 1 {
		t.Fatalf("step %s missing %+v, want courier-statement with missing evidence", g.Step.ID, g.MissingEvidence)
	}
}

func TestTwoFilesWithOneIDInOneDirectoryFail(t *testing.T) {
	flow := "id: x\nname: 甲\ntypes: [quality.leak]\nsteps:\n  - {id: a, stage: verify, instruction: 看}\n"
	_, err := Load(LoadOptions{}, fstest.MapFS{
		"a.yaml": {Data: []byte(flow)},
		"b.yaml": {Data: []byte(strings.Replace(flow, "quality.leak", "quality.flaw", 1))},
	})
	if err == nil || !strings.Contains(err.Error(), `b.yaml:1:5: flow id "x" is also defined in a.yaml`) {
		t.Fatalf("err = %v", err)
	}
}

func TestShopTaxonomyAllowsNewTypeCodes(t *testing.T) {
	flow := "id: x\nname: 甲\ntypes: [quality.smell]\nsteps:\n  - {id: a, stage: verify, instruction: 看}\n"
	fsys := fstest.MapFS{"x.yaml": {Data: []byte(flow)}}
	if _, err := Load(LoadOptions{}, fsys); err == nil {
		t.Fatal("an unknown code must fail with the default taxonomy")
	}
	types := append([]cases.Code{{Code: "quality.smell", Label: "异味"}}, cases.ProblemTypes...)
	if _, err := Load(LoadOptions{Types: types}, fsys); err != nil {
		t.Fatalf("a code of the shop's taxonomy must load: %v", err)
	}
}

func TestEmptyPlaybookFails(t *testing.T) {
	_, err := Load(LoadOptions{}, fstest.MapFS{"empty.yaml": {Data: nil}})
	if err == nil || !strings.Contains(err.Error(), "empty.yaml") {
		t.Fatalf("err = %v", err)
	}
}

func FuzzLoad(f *testing.F) {
	entries, err := os.ReadDir("flows")
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile("flows/" + e.Name())
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("id: [\n"))
	f.Add([]byte("steps: {a: b}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		set, err := Load(LoadOptions{}, fstest.MapFS{"f.yaml": {Data: data}})
		if err == nil && set == nil {
			t.Fatal("no error and no set")
		}
		if err != nil && !strings.HasPrefix(err.Error(), "f.yaml") {
			t.Fatalf("error does not name the file: %v", err)
		}
	})
}
