package api

import (
	"fmt"
	"testing"

	"github.com/shouhou/shouhou/internal/store"
)

func TestSafetyWordsInTheIntakeMakeTheCaseLevelOne(t *testing.T) {
	h := newHarness(t)
	for _, tt := range []struct {
		name, field, text string
		level             float64
	}{
		{"description", "description", "电水壶底座漏电，手碰到麻了一下", 1},
		{"first message", "first_message", "插上电就冒烟了！", 1},
		{"no safety word", "description", "电水壶不加热了", 2},
	} {
		body := newCaseBody()
		body["type"], body["level"], body["description"], body["first_message"] = "quality.malfunction", 2, "不加热", "在吗"
		body[tt.field] = tt.text
		r := h.do(store.RoleAgent, "POST", "/api/v1/cases", body)
		if r.status != 201 || r.body["level"] != tt.level {
			t.Fatalf("%s %q: level %v, want %v: %s", tt.name, tt.text, r.body["level"], tt.level, r.raw)
		}
	}
}

func TestSoothingAgainAndAgainWithoutASolutionIsWarnedWhenSent(t *testing.T) {
	h := newHarness(t)
	id := h.createCase()
	soothe := map[string]any{"text": "非常抱歉给您带来不便", "script_id": "soothe-01"}
	for i := 1; i <= 3; i++ {
		r := h.event(store.RoleAgent, id, "message.sent", soothe)
		warned := r.status == 200 && containsRule(r, "antipattern.soothing_loop")
		if r.status != 200 || warned != (i == 3) {
			t.Fatalf("soothing message %d: %d warned=%v %s", i, r.status, warned, r.raw)
		}
	}
	if r := h.event(store.RoleAgent, id, "message.sent", map[string]any{"text": "好的", "script_id": "no-such-script"}); r.status != 422 || r.body["field"] != "payload.script_id" {
		t.Fatalf("unknown script: %d %s", r.status, r.raw)
	}
}

func containsRule(r reply, rule string) bool {
	log := ruleLog{}
	log.note(r)
	return log[rule]
}

func TestTheCaseStageFollowsItsGuide(t *testing.T) {
	h := newHarness(t)
	id := h.newCase(map[string]any{"emotion": "calm", "type": "quality.damaged"})
	stage := func() string {
		return h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d", id), nil).body["stage"].(string)
	}
	if s := stage(); s != "verify" {
		t.Fatalf("new calm case at %s", s)
	}
	for _, kind := range []string{"six_sides", "waybill", "contents"} {
		upload(h, id, kind+".png", kind, append(pngBytes(), kind...))
	}
	h.event(store.RoleAgent, id, "fact.recorded", fact("outer_package", "intact"))
	h.event(store.RoleAgent, id, "fact.recorded", fact("damage", "minor"))
	if s := stage(); s != "solution" {
		t.Fatalf("after verification the case is at %s, its guide at 方案", s)
	}
	h.event(store.RoleAgent, id, "solution.accepted", comp("compensation", 10))
	g := h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d/guide", id), nil).body["guide"].(map[string]any)
	if s := stage(); s != g["step"].(map[string]any)["stage"] {
		t.Fatalf("case at %s, guide at %v", s, g["step"])
	}
}

func TestASentReplyIsLintedWhateverScriptItCameFrom(t *testing.T) {
	h := newHarness(t)
	id := h.createCase()
	r := h.event(store.RoleAgent, id, "message.sent", map[string]any{"text": "这是你自己的问题，不能退"})
	if r.status != 200 || !containsRule(r, "negative-without-reason") {
		t.Fatalf("a flagged reply went out without a warning: %d %s", r.status, r.raw)
	}
	if r := h.event(store.RoleAgent, id, "solution.offered", map[string]any{"kind": "compensation"}); r.status != 422 || r.body["field"] != "payload.amount" {
		t.Fatalf("a compensation without an amount: %d %s", r.status, r.raw)
	}
}
