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

// The pasted message of issue 16 (order number, tracking number, price) keeps its
// demand, through the API.
func TestClassifyIgnoresOrderTrackingNumbersAndPrices(t *testing.T) {
	h := newHarness(t)
	r := h.do(store.RoleAgent, "POST", "/api/v1/classify", map[string]any{"text": "收到的杯子碎了，我要退款！订单号230512-123456789012345，快递单号SF1234567890123，价格89元"})
	pre := r.body["prefill"].(map[string]any)
	if r.status != 200 || pre["type"] != "quality.damaged" || pre["demand"] != "return_refund" || pre["tracking_no"] != "SF1234567890123" || pre["order_no"] != "230512-123456789012345" {
		t.Fatalf("classify: %d %s", r.status, r.raw)
	}
}

// A whole conversation: as turns, or pasted as a back office copies it; the labels
// come from the customer's turns and the result counts them.
func TestClassifyReadsConversations(t *testing.T) {
	h := newHarness(t)
	turns := []map[string]any{
		{"speaker": "customer", "text": "在吗"},
		{"speaker": "agent", "text": "亲，在的呢，请问有什么可以帮您？"},
		{"speaker": "customer", "text": "订单号[数字]"},
		{"speaker": "customer", "text": "我买错了，型号不对，是我自己没看清楚"},
		{"speaker": "customer", "text": "能退吗，还没拆"},
	}
	r := h.do(store.RoleAgent, "POST", "/api/v1/classify", map[string]any{"turns": turns})
	res, _ := r.body["result"].(map[string]any)
	if r.status != 200 || res["type"] != "personal.dislike" || res["demand"] != "return_refund" || res["turn_count"] != float64(5) || res["customer_turns"] != float64(4) {
		t.Fatalf("turns: %d %s", r.status, r.raw)
	}
	pasted := "tb8827361 2026-11-30 20:15:02\n你好 在吗\n小熊电器旗舰店:小美 2026-11-30 20:15:10\n亲，在的呢\ntb8827361 2026-11-30 20:16:41\n说好上门检测，一直没人联系我\n都过去一周了"
	r = h.do(store.RoleAgent, "POST", "/api/v1/classify", map[string]any{"conversation": pasted})
	res, _ = r.body["result"].(map[string]any)
	pre, _ := r.body["prefill"].(map[string]any)
	if r.status != 200 || res["type"] != "complaint.service" || res["customer_turns"] != float64(2) || strings.Contains(pre["description"].(string), "亲，在的呢") {
		t.Fatalf("conversation: %d %s", r.status, r.raw)
	}
	for _, bad := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"text": "漏水", "turns": turns}, "text"},
		{map[string]any{"turns": []map[string]any{{"speaker": "buyer", "text": "漏水"}}}, "turns[0].speaker"},
		{map[string]any{"turns": []map[string]any{{"speaker": "customer", "text": " "}}}, "turns[0].text"},
		{map[string]any{"turns": []map[string]any{{"speaker": "agent", "text": "亲"}}}, "turns"},
		{map[string]any{"conversation": strings.Repeat("漏", 20001)}, "conversation"},
	} {
		if r := h.do(store.RoleAgent, "POST", "/api/v1/classify", bad.body); r.status != 422 || r.body["field"] != bad.field {
			t.Errorf("%v: %d %s, want 422 on %s", bad.body, r.status, r.raw, bad.field)
		}
	}
}

// The agent's offer and the customer's answer: a pasted chat where the customer
// accepts the offered reship wants a reship; one who refuses an offered compensation
// and asks for an exchange wants the exchange.
func TestClassifyReadsTheAcceptedOfferOfAPastedChat(t *testing.T) {
	h := newHarness(t)
	for _, tc := range []struct {
		pasted, demand string
	}{
		{"tb8827361 2026-11-30 20:15:02\n收到的杯子少了一个盖子\n小熊电器旗舰店:小美 2026-11-30 20:15:40\n亲，非常抱歉，这边给您安排补发一个可以吗\ntb8827361 2026-11-30 20:16:41\n好的", "reship"},
		{"顾客：手机壳颜色发错了\n客服：亲，给您补偿3元红包可以吗\n顾客：不要，我要换成我买的颜色", "exchange"},
	} {
		r := h.do(store.RoleAgent, "POST", "/api/v1/classify", map[string]any{"conversation": tc.pasted})
		res, _ := r.body["result"].(map[string]any)
		if r.status != 200 || res["demand"] != tc.demand {
			t.Errorf("%q: %d %s, want demand %s", tc.pasted, r.status, r.raw, tc.demand)
		}
	}
}

// Below the confidence threshold a field is not pre-filled: the API returns its two
// most probable codes instead.
func TestUncertainFieldsAreOfferedNotPrefilled(t *testing.T) {
	h := newHarness(t)
	r := h.do(store.RoleAgent, "POST", "/api/v1/classify", map[string]any{"text": "跟说的不一样"})
	pre, _ := r.body["prefill"].(map[string]any)
	alt, _ := pre["alternatives"].(map[string]any)
	choices, _ := alt["type"].([]any)
	if r.status != 200 || pre["type"] != nil || len(choices) != 2 {
		t.Fatalf("uncertain type: %d %s", r.status, r.raw)
	}
}
