package api

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shouhou/shouhou/internal/store"
)

// accept accepts a solution and returns its execution id.
func (h *harness) accept(t *testing.T, id int64, payload map[string]any) float64 {
	t.Helper()
	r := h.event(store.RoleAgent, id, "solution.accepted", payload)
	if r.status != 200 {
		t.Fatalf("accept %v: %d %s", payload, r.status, r.raw)
	}
	execs := r.body["executions"].([]any)
	return execs[len(execs)-1].(map[string]any)["id"].(float64)
}

// walk steps an execution through states, each with its data, and fails on a refusal.
func (h *harness) walk(t *testing.T, id int64, sid float64, steps ...map[string]any) map[string]any {
	t.Helper()
	var view map[string]any
	for _, st := range steps {
		r := h.do(store.RoleSupervisor, "POST", fmt.Sprintf("/api/v1/cases/%d/executions/%d/transitions", id, int64(sid)), st)
		if r.status != 200 {
			t.Fatalf("step %v: %d %s", st, r.status, r.raw)
		}
		for _, e := range r.body["executions"].([]any) {
			if e.(map[string]any)["id"] == sid {
				view = e.(map[string]any)
			}
		}
	}
	return view
}

func (h *harness) payouts(t *testing.T, query string) map[string]any {
	t.Helper()
	r := h.do(store.RoleSupervisor, "GET", "/api/v1/payouts?"+query, nil)
	if r.status != 200 {
		t.Fatalf("payouts %s: %d %s", query, r.status, r.raw)
	}
	return r.body
}

func TestPayoutsGoFromTheCaseToThePayersListAndBack(t *testing.T) {
	h := newHarness(t)
	alipay := map[string]any{"channel": "alipay", "account": "13800138000", "name": "刘芳"}
	id := h.newCase(map[string]any{"amount": 399})
	comp := h.accept(t, id, map[string]any{"kind": "compensation", "amount": 30, "data": map[string]any{"payee": alipay, "after_good_review": true}})
	diff := h.newCase(map[string]any{"amount": 399, "order_no": "TM88002", "customer_name": "=HYPERLINK(\"http://evil\")"})
	pd := h.accept(t, diff, map[string]any{"kind": "price_difference", "amount": 20})

	if due := h.payouts(t, "view=due"); due["count"] != float64(0) {
		t.Fatalf("a payout waiting for a good review or an account is due: %v", due)
	}
	if w := h.payouts(t, "view=waiting"); w["count"] != float64(2) || w["total"] != float64(50) {
		t.Fatalf("waiting: %v", w)
	}
	if r := h.do(store.RoleSupervisor, "POST", fmt.Sprintf("/api/v1/cases/%d/executions/%d/transitions", id, int64(comp)),
		map[string]any{"from": "approved", "to": "paid", "reference": "ZFB20261130001"}); r.status != 422 || r.body["field"] != "review" {
		t.Fatalf("paid before the good review: %d %s", r.status, r.raw)
	}
	h.walk(t, id, comp, map[string]any{"from": "approved", "to": "approved", "review_confirmed": true})
	h.walk(t, diff, pd, map[string]any{"from": "approved", "to": "approved", "payee": map[string]any{"channel": "platform"}})
	due := h.payouts(t, "view=due")
	if due["count"] != float64(2) || due["total"] != float64(50) {
		t.Fatalf("due after the review and the payee: %v", due)
	}
	csv := h.do(store.RoleSupervisor, "GET", "/api/v1/payouts.csv?view=due", nil)
	body := string(csv.raw)
	if csv.status != 200 || !strings.HasPrefix(body, "\xEF\xBB\xBF序号,收款方式,收款账号") || !strings.Contains(body, `支付宝转账,"=""13800138000""",刘芳,30.00`) ||
		!strings.Contains(body, "平台小额打款") {
		t.Fatalf("batch-transfer CSV: %d\n%s", csv.status, body)
	}
	if r := h.do(store.RoleAgent, "GET", "/api/v1/payouts", nil); r.status != 403 {
		t.Fatalf("an agent reads the payer's list: %d", r.status)
	}

	h.walk(t, id, comp, map[string]any{"from": "approved", "to": "pay_failed", "reason": "姓名与账号不符"})
	if f := h.payouts(t, "view=pay_failed"); f["count"] != float64(1) {
		t.Fatalf("failed: %v", f)
	}
	h.walk(t, id, comp, map[string]any{"from": "pay_failed", "to": "paid", "reference": "ZFB20261130002"})
	h.walk(t, diff, pd, map[string]any{"from": "approved", "to": "paid", "reference": "PDD20261130003"})
	paid := h.payouts(t, "view=paid")
	if paid["count"] != float64(2) || paid["total"] != float64(50) || h.payouts(t, "view=due")["count"] != float64(0) {
		t.Fatalf("paid today: %v", paid)
	}
	if r := h.do(store.RoleSupervisor, "GET", "/api/v1/payouts?view=paid&day=2026-13-01", nil); r.status != 422 || r.body["field"] != "day" {
		t.Fatalf("a bad day: %d %s", r.status, r.raw)
	}
	if r := h.do(store.RoleSupervisor, "GET", "/api/v1/payouts?view=everything", nil); r.status != 422 || r.body["field"] != "view" {
		t.Fatalf("an unknown view: %d %s", r.status, r.raw)
	}
}

func TestTheRemainingSolutionKindsAreCarriedOut(t *testing.T) {
	h := newHarness(t)
	t.Run("下次购买优惠 issued with a coupon code", func(t *testing.T) {
		id := h.newCase(map[string]any{"type": "personal.dislike", "emotion": "calm"})
		sid := h.accept(t, id, map[string]any{"kind": "next_order_discount", "amount": 10})
		v := h.walk(t, id, sid, map[string]any{"from": "approved", "to": "issued", "coupon_code": "NEXT10"})
		if v["state"] != "issued" || !strings.Contains(v["next_action"].(string), "登记表格") {
			t.Fatalf("issued: %v", v)
		}
	})
	t.Run("维修 sent in and back", func(t *testing.T) {
		id := h.newCase(map[string]any{"type": "quality.malfunction", "signed_at": ago(1000 * 3600 * 1e9)})
		sid := h.accept(t, id, map[string]any{"kind": "repair", "part": "电机", "data": map[string]any{"mode": "send_in"}})
		v := h.walk(t, id, sid,
			map[string]any{"from": "awaiting_return", "to": "awaiting_return", "return_tracking_no": "YT1234567890"},
			map[string]any{"from": "awaiting_return", "to": "received"},
			map[string]any{"from": "received", "to": "repaired"},
			map[string]any{"from": "repaired", "to": "shipped", "courier": "顺丰", "tracking_no": "SF9876543210"},
			map[string]any{"from": "shipped", "to": "delivered"})
		if v["state"] != "delivered" || v["repair_no"] != float64(1) || v["warranty"].(map[string]any)["covered"] != true {
			t.Fatalf("repair: %v", v)
		}
	})
	t.Run("上门维修 scheduled and done", func(t *testing.T) {
		id := h.newCase(map[string]any{"type": "quality.malfunction", "paid_at": ago(400 * 24 * 3600 * 1e9)})
		sid := h.accept(t, id, map[string]any{"kind": "repair", "data": map[string]any{"mode": "on_site"}})
		if r := h.do(store.RoleAgent, "POST", fmt.Sprintf("/api/v1/cases/%d/executions/%d/transitions", id, int64(sid)),
			map[string]any{"from": "scheduled", "to": "shipped"}); r.status != 422 {
			t.Fatalf("an on-site repair shipped: %d %s", r.status, r.raw)
		}
		v := h.walk(t, id, sid, map[string]any{"from": "scheduled", "to": "scheduled", "appointment_at": "2026-12-02T02:00:00Z"},
			map[string]any{"from": "scheduled", "to": "repaired"})
		if v["state"] != "repaired" || v["warranty"].(map[string]any)["covered"] != false {
			t.Fatalf("on-site repair out of warranty: %v", v)
		}
		g := h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d/guide", id), nil)
		if ex := g.body["executions"].([]any)[0].(map[string]any); ex["next"] != nil && len(ex["next"].([]any)) != 0 || !strings.Contains(ex["next_action"].(string), "已修好") {
			t.Fatalf("a repaired on-site repair goes on: %v", ex)
		}
	})
	t.Run("补色翻新 fee collected before the item goes back", func(t *testing.T) {
		id := h.newCase(map[string]any{"type": "quality.flaw", "emotion": "calm"})
		if r := h.event(store.RoleAgent, id, "solution.accepted", map[string]any{"kind": "refurbish"}); r.status != 422 {
			t.Fatalf("refurbish without its fee: %d %s", r.status, r.raw)
		}
		sid := h.accept(t, id, map[string]any{"kind": "refurbish", "amount": 30})
		h.walk(t, id, sid, map[string]any{"from": "awaiting_return", "to": "received"})
		if r := h.do(store.RoleAgent, "POST", fmt.Sprintf("/api/v1/cases/%d/executions/%d/transitions", id, int64(sid)),
			map[string]any{"from": "received", "to": "shipped", "courier": "顺丰", "tracking_no": "SF1111111111"}); r.status != 422 {
			t.Fatalf("shipped back before the fee: %d %s", r.status, r.raw)
		}
		v := h.walk(t, id, sid, map[string]any{"from": "received", "to": "fee_paid", "reference": "FEE0001"})
		if v["state"] != "fee_paid" {
			t.Fatalf("fee paid: %v", v)
		}
	})
}
