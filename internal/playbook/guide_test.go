package playbook

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shouhou/shouhou/internal/cases"
)

func TestGuideNamesMissingEvidenceQuestionsAndNextActions(t *testing.T) {
	e := newEngine(t, DefaultConfig())
	s := newStory(cases.TypeDamaged)
	s.c.Emotion = cases.EmotionAngry
	s.c.Stage = cases.StageSoothe
	s.evidence(cases.EvidenceWaybill)
	g := e.Guide(&s.c, s.events, s.now)

	if diff := cmp.Diff([]Need{{cases.EvidenceSixSides, "六面照"}, {cases.EvidenceContents, "内件照片"}}, g.MissingEvidence); diff != "" {
		t.Errorf("missing evidence (-want +got):\n%s", diff)
	}
	if len(g.Questions) != 1 || g.Questions[0].Key != "outer_package" || len(g.Questions[0].Values) != 3 {
		t.Errorf("questions = %+v", g.Questions)
	}
	for _, want := range []string{"先安抚", "将案件阶段推进到「核实」", "请顾客提供：六面照、内件照片", "确认：外包装情况如何？"} {
		if !slices.ContainsFunc(g.NextActions, func(a string) bool { return strings.Contains(a, want) }) {
			t.Errorf("next actions %q lack %q", g.NextActions, want)
		}
	}
	if g.FlowID != "quality-damaged" || g.Step.StageLabel != "核实" {
		t.Errorf("flow %s step %+v", g.FlowID, g.Step)
	}
}

func TestFinishedFlowInvitesClosingAndFollowUp(t *testing.T) {
	e := newEngine(t, DefaultConfig())
	s := newStory(cases.TypeAddress)
	s.fact("signed", "no").fact("courier_notified", "yes").remark()
	g := e.Guide(&s.c, s.events, s.now)
	if !g.Finished || len(g.NextActions) == 0 || !strings.Contains(g.NextActions[len(g.NextActions)-1], "可以结案") {
		t.Fatalf("finished %v actions %q", g.Finished, g.NextActions)
	}
}

func TestProjectionFactsCountWhenEventsAreMissing(t *testing.T) {
	e := newEngine(t, DefaultConfig())
	s := newStory(cases.TypeAddress)
	s.c.Facts = map[string]string{"signed": "yes"}
	g := e.Guide(&s.c, nil, s.now)
	if g.Step.ID != "best-effort" {
		t.Fatalf("step %s, want best-effort", g.Step.ID)
	}
}

func TestTypeWithoutFlowSaysSo(t *testing.T) {
	e := newEngine(t, DefaultConfig())
	s := newStory(cases.TypePresale)
	g := e.Guide(&s.c, nil, s.now)
	if g.Step != nil || len(g.NextActions) != 1 || !strings.Contains(g.NextActions[0], "没有售后流程") {
		t.Fatalf("guide %+v", g)
	}
}
