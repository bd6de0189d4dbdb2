package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/store"
)

func TestClassifyPrefillsTheIntakeForm(t *testing.T) {
	h := newHarness(t)
	r := h.do(store.RoleAgent, "POST", "/api/v1/classify", map[string]any{"text": "你们这破水壶用三天就漏水了！再不处理我就投诉！顺丰单号SF1234567890123"})
	if r.status != 200 {
		t.Fatalf("classify: %d %s", r.status, r.raw)
	}
	pre := r.body["prefill"].(map[string]any)
	if pre["type"] != "quality.leak" || pre["emotion"] != "angry" || pre["level"] != float64(2) || pre["tracking_no"] != "SF1234567890123" {
		t.Fatalf("prefill %v", pre)
	}
	if r := h.do(store.RoleAgent, "POST", "/api/v1/classify", map[string]any{"text": "  "}); r.status != 422 || r.body["field"] != "text" {
		t.Fatalf("empty message: %d %s", r.status, r.raw)
	}
}

func TestCorrectionsOfThePredictionBecomeCorpusLines(t *testing.T) {
	h := newHarness(t)
	body := newCaseBody()
	body["first_message"] = "水壶漏水了，用了三天"
	body["type"], body["level"] = "quality.malfunction", 2 // the agent disagrees with quality.leak
	r := h.do(store.RoleAgent, "POST", "/api/v1/cases", body)
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.raw)
	}
	var out bytes.Buffer
	n, err := desk.ExportCorpus(context.Background(), h.store, &out)
	if err != nil || n != 1 {
		t.Fatalf("export: %d %v", n, err)
	}
	var line desk.CorpusLine
	json.Unmarshal(out.Bytes(), &line)
	if line.Text != "水壶漏水了，用了三天" || line.Type != "quality.malfunction" || line.Predicted.Type != "quality.leak" || !strings.Contains(strings.Join(line.Corrected, ","), "type") {
		t.Fatalf("corpus line %+v", line)
	}
}

func TestCaseScriptsAreFilledForTheCurrentStep(t *testing.T) {
	h := newHarness(t)
	id := h.createCase() // an upset customer: the case starts in 安抚
	r := h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d/scripts", id), nil)
	list, _ := r.body["scripts"].([]any)
	if r.status != 200 || len(list) == 0 {
		t.Fatalf("case scripts: %d %s", r.status, r.raw)
	}
	for _, item := range list {
		sc := item.(map[string]any)
		if strings.Contains(sc["filled"].(string), "{顾客称呼}") {
			t.Errorf("script %s left the customer's name unfilled", sc["id"])
		}
	}
	compose := h.do(store.RoleAgent, "POST", fmt.Sprintf("/api/v1/cases/%d/reply", id),
		map[string]any{"script_ids": []string{"soothe-01", "compensate-01"}, "values": map[string]string{"金额": "10"}})
	if compose.status != 200 || !strings.Contains(compose.body["text"].(string), "10") {
		t.Fatalf("compose: %d %s", compose.status, compose.raw)
	}
	if r := h.do(store.RoleAgent, "POST", fmt.Sprintf("/api/v1/cases/%d/reply", id), map[string]any{"script_ids": []string{"nope"}}); r.status != 422 {
		t.Fatalf("unknown script: %d", r.status)
	}
}

func TestLintWarnsAboutUnexplainedNegativesAndApologyLoops(t *testing.T) {
	h := newHarness(t)
	r := h.do(store.RoleAgent, "POST", "/api/v1/lint", map[string]any{"text": "这个不能退。"})
	if w := r.body["warnings"].([]any); r.status != 200 || len(w) == 0 {
		t.Fatalf("unexplained 不能: %d %s", r.status, r.raw)
	}
	r = h.do(store.RoleAgent, "POST", "/api/v1/lint", map[string]any{"text": "因为商品已拆封使用，所以不能按七天无理由退货。"})
	if w := r.body["warnings"].([]any); len(w) != 0 {
		t.Fatalf("explained negative warned: %s", r.raw)
	}
	id := h.createCase()
	for range 2 {
		h.event(store.RoleAgent, id, "message.sent", map[string]any{"text": "非常抱歉，请您消消气", "intent": "soothe"})
	}
	r = h.do(store.RoleAgent, "POST", "/api/v1/lint", map[string]any{"text": "真的非常抱歉给您添麻烦了", "case_id": id})
	if w := r.body["warnings"].([]any); len(w) == 0 {
		t.Fatalf("third apology in a row without a solution: %s", r.raw)
	}
}

func TestSupervisorsEditTheScriptLibrary(t *testing.T) {
	h := newHarness(t)
	sc := map[string]any{"id": "soothe-99", "title": "安抚(店铺自编)", "text": "{顾客称呼}，给您添麻烦了，我马上处理", "stages": []string{"soothe"}, "intent": "soothe"}
	if r := h.do(store.RoleAgent, "PUT", "/api/v1/scripts/soothe-99", sc); r.status != 403 {
		t.Fatalf("agent edits a script: %d", r.status)
	}
	if r := h.do(store.RoleSupervisor, "PUT", "/api/v1/scripts/soothe-99", sc); r.status != 200 {
		t.Fatalf("supervisor adds a script: %d %s", r.status, r.raw)
	}
	if r := h.do(store.RoleAgent, "GET", "/api/v1/scripts?q=店铺自编", nil); len(r.body["scripts"].([]any)) != 1 {
		t.Fatalf("search finds the new script: %s", r.raw)
	}
	bad := map[string]any{"id": "bad-01", "title": "x", "text": "补偿{赔偿金额}", "stages": []string{"solution"}, "intent": "offer"}
	if r := h.do(store.RoleSupervisor, "PUT", "/api/v1/scripts/bad-01", bad); r.status != 422 || r.body["field"] == "" {
		t.Fatalf("unknown placeholder: %d %s", r.status, r.raw)
	}
	if r := h.do(store.RoleSupervisor, "DELETE", "/api/v1/scripts/soothe-01", nil); r.status != 204 {
		t.Fatalf("delete a default: %d", r.status)
	}
	for _, item := range h.do(store.RoleAgent, "GET", "/api/v1/scripts", nil).body["scripts"].([]any) {
		if item.(map[string]any)["id"] == "soothe-01" {
			t.Fatal("a deleted default script is still listed")
		}
	}
}

func TestScriptsCarryImagesServedOnlyWhenReferenced(t *testing.T) {
	h := newHarness(t)
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"), make([]byte, 64)...)
	r := uploadTo(h, store.RoleSupervisor, "/api/v1/script-images", "尺码表.png", png)
	if r.status != 201 {
		t.Fatalf("upload: %d %s", r.status, r.raw)
	}
	hash := r.body["hash"].(string)
	if r := h.do(store.RoleAgent, "GET", "/api/v1/script-images/"+hash, nil); r.status != 404 {
		t.Fatalf("an image no script uses was served: %d", r.status)
	}
	sc := map[string]any{"id": "size-chart-01", "title": "尺码表", "text": "{顾客称呼}，这是尺码表，请参考", "stages": []string{"verify"}, "intent": "inform", "images": []string{hash}}
	if r := h.do(store.RoleSupervisor, "PUT", "/api/v1/scripts/size-chart-01", sc); r.status != 200 {
		t.Fatalf("save: %d %s", r.status, r.raw)
	}
	got := h.do(store.RoleAgent, "GET", "/api/v1/script-images/"+hash, nil)
	if got.status != 200 || got.header.Get("Content-Type") != "image/png" || !bytes.Equal(got.raw, png) {
		t.Fatalf("referenced image: %d %s", got.status, got.header.Get("Content-Type"))
	}
	if r := uploadTo(h, store.RoleAgent, "/api/v1/script-images", "x.png", png); r.status != 403 {
		t.Fatalf("agent uploads a script image: %d", r.status)
	}
}
