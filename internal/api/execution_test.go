package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/shouhou/shouhou/internal/store"
)

func (h *harness) transition(id int64, sid float64, body map[string]any) reply {
	h.t.Helper()
	return h.do(store.RoleAgent, "POST", fmt.Sprintf("/api/v1/cases/%d/executions/%d/transitions", id, int64(sid)), body)
}

func TestReshipIsCarriedOutAndTheTrackingNumberMustBeSent(t *testing.T) {
	h := newHarness(t)
	id := h.createCase()
	if r := h.event(store.RoleAgent, id, "solution.accepted", map[string]any{"kind": "reship"}); r.status != 422 {
		t.Fatalf("reship without the parts to send: %d %s", r.status, r.raw)
	}
	r := h.event(store.RoleAgent, id, "solution.accepted", map[string]any{"kind": "reship", "data": map[string]any{"items": []string{"茶杯×1"}}})
	execs, _ := r.body["executions"].([]any)
	if r.status != 200 || len(execs) != 1 {
		t.Fatalf("accept reship: %d %s", r.status, r.raw)
	}
	ex := execs[0].(map[string]any)
	sid := ex["id"].(float64)
	if r := h.transition(id, sid, map[string]any{"from": ex["state"], "to": "shipped", "courier": "顺丰"}); r.status != 422 || r.body["field"] != "tracking_no" {
		t.Fatalf("shipped without a tracking number: %d %s", r.status, r.raw)
	}
	r = h.transition(id, sid, map[string]any{"from": ex["state"], "to": "shipped", "courier": "顺丰", "tracking_no": "SF1234567890"})
	if r.status != 200 {
		t.Fatalf("shipped: %d %s", r.status, r.raw)
	}
	view := r.body["executions"].([]any)[0].(map[string]any)
	if view["state"] != "shipped" || !strings.Contains(view["next_action"].(string), "把新快递单号发给顾客") {
		t.Fatalf("after shipping: %v", view)
	}
	if r := h.transition(id, sid, map[string]any{"from": ex["state"], "to": "shipped", "courier": "顺丰", "tracking_no": "SF1234567890"}); r.status != http.StatusConflict || r.body["code"] != "stale_state" {
		t.Fatalf("a second agent moving from the old state: %d %s", r.status, r.raw)
	}
	h.event(store.RoleAgent, id, "message.sent", map[string]any{"text": "亲，配件已补发，顺丰单号SF1234567890", "intent": "tracking"})
	g := h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d/guide", id), nil)
	action := g.body["executions"].([]any)[0].(map[string]any)["next_action"].(string)
	if strings.Contains(action, "把新快递单号发给顾客") || !strings.Contains(action, "跟进物流") {
		t.Fatalf("the tracking number was sent but the guide still asks for it: %s", action)
	}
	if r := h.transition(id, sid, map[string]any{"from": "shipped", "to": "refunded"}); r.status != 422 || r.body["code"] != "invalid_transition" {
		t.Fatalf("reship to refunded: %d %s", r.status, r.raw)
	}
}

func TestABadInspectionReopensTheDecision(t *testing.T) {
	h := newHarness(t)
	id := h.createCase()
	r := h.event(store.RoleAgent, id, "solution.accepted", map[string]any{"kind": "exchange"})
	ex := r.body["executions"].([]any)[0].(map[string]any)
	if ex["freight"] == nil {
		t.Fatalf("exchange without the freight split: %v", ex)
	}
	sid := ex["id"].(float64)
	steps := []map[string]any{
		{"from": "awaiting_return", "to": "awaiting_return", "return_courier": "中通", "return_tracking_no": "ZT7351209845"},
		{"from": "awaiting_return", "to": "received", "inspection": map[string]any{"good": 0, "bad": 1, "photos": []string{strings.Repeat("ab", 32)}, "note": "退回的杯子有使用痕迹"}},
	}
	for _, st := range steps {
		if r = h.transition(id, sid, st); r.status != 200 {
			t.Fatalf("%v: %d %s", st, r.status, r.raw)
		}
	}
	if state := r.body["executions"].([]any)[0].(map[string]any)["state"]; state != "reopened" {
		t.Fatalf("a bad inspection left the exchange in %v", state)
	}
}
