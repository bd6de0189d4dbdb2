package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/store"
)

func (h *harness) event(role store.Role, id int64, typ string, payload map[string]any) reply {
	h.t.Helper()
	return h.do(role, "POST", fmt.Sprintf("/api/v1/cases/%d/events", id), map[string]any{"type": typ, "payload": payload})
}

func TestCompensationOverTheAgentLimitNeedsASupervisor(t *testing.T) {
	h := newHarness(t)
	body := newCaseBody()
	body["amount"] = 1000 // far from the 6折 floor, so only the limits decide
	id := int64(h.do(store.RoleAgent, "POST", "/api/v1/cases", body).body["id"].(float64))
	over := map[string]any{"kind": "compensation", "amount": 60}
	r := h.event(store.RoleAgent, id, "solution.offered", over)
	if r.status != http.StatusForbidden || r.body["code"] != "approval_required" || !strings.Contains(r.body["message"].(string), "50") {
		t.Fatalf("agent offering 60 over a 50 limit: %d %s", r.status, r.raw)
	}
	if r := h.event(store.RoleAgent, id, "solution.offered", map[string]any{"kind": "compensation", "amount": 50}); r.status != 200 {
		t.Fatalf("agent offering 50 at the limit: %d %s", r.status, r.raw)
	}
	if r := h.event(store.RoleAgent, id, "approval.requested", over); r.status != 200 || r.body["pending_approval"] == nil {
		t.Fatalf("approval request: %d %s", r.status, r.raw)
	}
	queue := h.do(store.RoleSupervisor, "GET", "/api/v1/approvals", nil)
	if cs := queue.body["cases"].([]any); len(cs) != 1 || cs[0].(map[string]any)["id"] != float64(id) {
		t.Fatalf("supervisor's approval queue: %s", queue.raw)
	}
	if r := h.event(store.RoleSupervisor, id, "approval.granted", over); r.status != 200 || r.body["pending_approval"] != nil {
		t.Fatalf("supervisor grants: %d %s", r.status, r.raw)
	}
	if r := h.event(store.RoleAgent, id, "solution.accepted", over); r.status != 200 {
		t.Fatalf("agent after the approval: %d %s", r.status, r.raw)
	}
	if r := h.event(store.RoleAgent, id, "solution.accepted", map[string]any{"kind": "compensation", "amount": 61}); r.status != 403 {
		t.Fatalf("the approval of 60 covered 61: %d", r.status)
	}
	if r := h.event(store.RoleSupervisor, id, "approval.granted", map[string]any{"kind": "compensation", "amount": 201}); r.status != 403 {
		t.Fatalf("a supervisor approving beyond their own limit: %d %s", r.status, r.raw)
	}
	if q := h.do(store.RoleSupervisor, "GET", "/api/v1/approvals", nil); len(q.body["cases"].([]any)) != 0 {
		t.Fatal("a decided request is still in the queue")
	}
}

func TestReturnOnlyWhenAskedAndAfterRetentionThenReasonGuidance(t *testing.T) {
	h := newHarness(t)
	id := h.newCase(map[string]any{"signed_at": ago(24 * time.Hour)})
	ret := map[string]any{"kind": "return_refund"}
	steps := []struct {
		name   string
		typ    string
		body   map[string]any
		status int
		code   string
	}{
		{"agent proposes a return unasked", "solution.offered", ret, 422, "return.customer_only"},
		{"customer asks", "customer.return_requested", map[string]any{"text": "我要退货"}, 200, ""},
		{"return before retention", "solution.accepted", ret, 422, "return.retention_first"},
		{"reason before retention", "reason.guided", map[string]any{"reason": "seven_days_no_reason"}, 422, "reason.after_retention"},
		{"retention offer", "retention.offered", map[string]any{"kind": "exchange", "note": "来回运费我们承担"}, 200, ""},
		{"return before reason guidance", "solution.accepted", ret, 422, "return.retention_first"},
		{"late shipment as the reason", "reason.guided", map[string]any{"reason": "late_shipment"}, 422, "return_reason.avoid_late_shipment"},
		{"seven days no reason", "reason.guided", map[string]any{"reason": "seven_days_no_reason"}, 200, ""},
		{"return accepted", "solution.accepted", ret, 200, ""},
	}
	for _, st := range steps {
		r := h.event(store.RoleAgent, id, st.typ, st.body)
		if r.status != st.status || (st.code != "" && r.body["code"] != st.code) {
			t.Fatalf("%s: %d %s", st.name, r.status, r.raw)
		}
		if st.status == 422 && !hasHan(r.body["message"]) {
			t.Fatalf("%s: refusal without a Chinese reason: %s", st.name, r.raw)
		}
	}
}

func hasHan(v any) bool {
	s, _ := v.(string)
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}

func TestGuideShowsStepLadderAndLimit(t *testing.T) {
	h := newHarness(t)
	id := h.createCase()
	r := h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d/guide", id), nil)
	if r.status != 200 {
		t.Fatalf("guide: %d %s", r.status, r.raw)
	}
	g := r.body["guide"].(map[string]any)
	if g["flow_id"] == "" || g["step"] == nil || len(g["next_actions"].([]any)) == 0 {
		t.Fatalf("guide without flow, step or next actions: %s", r.raw)
	}
	if limit := r.body["compensation_limit"].(map[string]any); limit["limit"] != float64(50) {
		t.Fatalf("agent's limit: %v", limit)
	}
	sup := h.do(store.RoleSupervisor, "GET", fmt.Sprintf("/api/v1/cases/%d/guide", id), nil)
	if sup.body["compensation_limit"].(map[string]any)["limit"] != float64(200) {
		t.Fatalf("supervisor's limit: %s", sup.raw)
	}
}

func TestMoneyRulesOfTheSOPAreEnforcedWithTheRule(t *testing.T) {
	h := newHarness(t)
	cheap := newCaseBody()
	cheap["amount"] = 60 // 6折 of 60 is 36: at most 24 yuan of the price may be given back
	r := h.do(store.RoleAgent, "POST", "/api/v1/cases", cheap)
	id := int64(r.body["id"].(float64))
	if r := h.event(store.RoleAgent, id, "solution.offered", map[string]any{"kind": "price_difference", "amount": 25}); r.status != 422 || r.body["code"] != "discount.supervisor_floor" || !hasHan(r.body["message"]) {
		t.Fatalf("25 yuan back on a 60 yuan order: %d %s", r.status, r.raw)
	}
	if r := h.event(store.RoleAgent, id, "solution.offered", map[string]any{"kind": "price_difference", "amount": 24}); r.status != 200 {
		t.Fatalf("24 yuan back on a 60 yuan order: %d %s", r.status, r.raw)
	}

	late := newCaseBody()
	late["type"], late["signed_at"] = "personal.dislike", "2020-01-01T10:00:00Z"
	r = h.do(store.RoleAgent, "POST", "/api/v1/cases", late)
	id = int64(r.body["id"].(float64))
	h.event(store.RoleAgent, id, "customer.return_requested", map[string]any{"text": "不想要了"})
	h.event(store.RoleAgent, id, "retention.offered", map[string]any{"note": "优惠10元"})
	r = h.event(store.RoleAgent, id, "reason.guided", map[string]any{"reason": "seven_days_no_reason"})
	if r.status != 422 || !strings.HasPrefix(r.body["code"].(string), "no_reason") || !hasHan(r.body["message"]) {
		t.Fatalf("seven-day reason years after signing: %d %s", r.status, r.raw)
	}
	if r := h.event(store.RoleAgent, id, "reason.guided", map[string]any{"reason": "other"}); r.status != 200 {
		t.Fatalf("reason other: %d %s", r.status, r.raw)
	}
}

func TestAnAdminPutsAPolicyInForceThroughTheAPI(t *testing.T) {
	h := newHarness(t)
	id := h.newCase(map[string]any{"amount": 1000})
	if r := h.do(store.RoleAdmin, "POST", "/api/v1/sop/policy", map[string]any{"name": "p.yaml", "yaml": "retention:\n  max: x\n"}); r.status != 422 || !strings.Contains(r.body["message"].(string), "p.yaml") {
		t.Fatalf("a bad file: %d %s", r.status, r.raw)
	}
	dry := h.do(store.RoleAdmin, "POST", "/api/v1/sop/policy", map[string]any{"yaml": "role_limits:\n  agent: 80\n", "dry_run": true})
	if dry.status != 200 || dry.body["applied"] != false {
		t.Fatalf("dry run: %d %s", dry.status, dry.raw)
	}
	if r := h.event(store.RoleAgent, id, "solution.offered", comp("compensation", 70)); r.status != 403 {
		t.Fatalf("the dry run put the policy in force: %d", r.status)
	}
	if r := h.do(store.RoleAdmin, "POST", "/api/v1/sop/policy", map[string]any{"yaml": "role_limits:\n  agent: 80\n"}); r.status != 200 {
		t.Fatalf("apply: %d %s", r.status, r.raw)
	}
	if r := h.event(store.RoleAgent, id, "solution.offered", comp("compensation", 70)); r.status != 200 {
		t.Fatalf("70 under the applied 80 limit: %d %s", r.status, r.raw)
	}
}
