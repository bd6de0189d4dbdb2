package api

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/sop"
	"github.com/shouhou/shouhou/internal/store"
)

// ruleLog collects the rule ids the API answered with (refusals, warnings, notices,
// guide options, execution freight), so that a test can tell which rules of
// internal/policy a request reaches.
type ruleLog map[string]bool

func (l ruleLog) note(r reply) {
	var walk func(v any, key string)
	walk = func(v any, key string) {
		switch x := v.(type) {
		case map[string]any:
			if id, ok := x["id"].(string); ok && key == "rule" {
				l[id] = true
			}
			for k, v := range x {
				walk(v, k)
			}
		case []any:
			for _, v := range x {
				walk(v, key)
			}
		case string:
			if key == "rule" || key == "code" || key == "rule_id" {
				l[x] = true
			}
		}
	}
	walk(r.body, "")
}

// eventCount is the length of a case's log.
func (h *harness) eventCount(id int64) int {
	h.t.Helper()
	r := h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d/events", id), nil)
	return len(r.body["events"].([]any))
}

// newCase creates a case from the default body with changes.
func (h *harness) newCase(changes map[string]any) int64 {
	h.t.Helper()
	body := newCaseBody()
	for k, v := range changes {
		body[k] = v
	}
	r := h.do(store.RoleAgent, "POST", "/api/v1/cases", body)
	if r.status != 201 {
		h.t.Fatalf("create %v: %d %s", changes, r.status, r.raw)
	}
	return int64(r.body["id"].(float64))
}

// step is one event through POST /api/v1/cases/{id}/events and what must come back:
// the status, and the rule id in the refusal or among the warnings (empty: any).
type step struct {
	name    string
	role    store.Role
	typ     string
	payload map[string]any
	status  int
	rule    string
}

// run sends the steps in order; a refused step must leave the case's log unchanged.
func (h *harness) run(t *testing.T, log ruleLog, id int64, steps []step) {
	t.Helper()
	for _, st := range steps {
		role := st.role
		if role == "" {
			role = store.RoleAgent
		}
		before := h.eventCount(id)
		r := h.event(role, id, st.typ, st.payload)
		log.note(r)
		if r.status != st.status {
			t.Fatalf("%s: status %d, want %d: %s", st.name, r.status, st.status, r.raw)
		}
		if st.rule != "" && !strings.Contains(string(r.raw), `"`+st.rule+`"`) {
			t.Fatalf("%s: rule %s not in the answer: %s", st.name, st.rule, r.raw)
		}
		if st.status >= 400 {
			if !hasHan(r.body["message"]) {
				t.Fatalf("%s: refusal without a Chinese reason: %s", st.name, r.raw)
			}
			if after := h.eventCount(id); after != before {
				t.Fatalf("%s: refused, but the log grew from %d to %d events", st.name, before, after)
			}
		}
	}
}

func comp(kind string, amount float64) map[string]any {
	return map[string]any{"kind": kind, "amount": amount}
}

func fact(key, value string) map[string]any { return map[string]any{"key": key, "value": value} }

func ago(d time.Duration) string { return time.Now().Add(-d).UTC().Format(time.RFC3339) }

// moneyScenarios walks every rule and number of SOP §4–§5 through the API, at, just
// below and just above each limit.
func moneyScenarios(t *testing.T, h *harness, log ruleLog) {
	t.Run("minor flaw compensation stays below the return freight, then +3–5 once, then take back", func(t *testing.T) {
		id := h.newCase(map[string]any{"type": "quality.flaw", "amount": 200, "emotion": "calm"})
		h.run(t, log, id, []step{
			{"12 on a 12-yuan return", "", "solution.offered", comp("compensation", 12), 422, "compensation.minor_flaw_below_freight"},
			{"11 just below", "", "solution.offered", comp("compensation", 11), 200, ""},
			{"refused once", "", "solution.refused", comp("compensation", 10), 200, ""},
			{"first 10 + 5 = 15 after one refusal", "", "solution.offered", comp("compensation", 15), 200, ""},
			{"16 is above the raise", "", "solution.offered", comp("compensation", 16), 422, "compensation.minor_flaw_raise"},
			{"refused twice", "", "solution.refused", comp("compensation", 15), 200, ""},
			{"no third money offer: take the item back", "", "solution.offered", comp("compensation", 10), 422, "compensation.minor_flaw_take_back"},
		})
		g := h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d/guide", id), nil)
		log.note(g)
	})
	t.Run("the case's own return freight moves the minor-flaw cap", func(t *testing.T) {
		id := h.newCase(map[string]any{"type": "quality.damaged", "amount": 200, "return_freight": 20, "emotion": "calm"})
		h.run(t, log, id, []step{
			{"minor damage", "", "fact.recorded", fact("damage", "minor"), 200, ""},
			{"20 on a 20-yuan return", "", "solution.offered", comp("compensation", 20), 422, "compensation.minor_flaw_below_freight"},
			{"19 below it", "", "solution.offered", comp("compensation", 19), 200, ""},
		})
	})
	t.Run("non-quality retention is 10–20 yuan", func(t *testing.T) {
		id := h.newCase(map[string]any{"type": "personal.dislike", "amount": 200, "emotion": "calm"})
		h.run(t, log, id, []step{
			{"21 above the range", "", "retention.offered", comp("", 21), 422, "compensation.retention_above_max"},
			{"20 at the top", "", "retention.offered", comp("", 20), 200, ""},
			{"9 below the range warns", "", "retention.offered", comp("", 9), 200, "compensation.retention_below_min"},
			{"10 at the bottom", "", "retention.offered", comp("", 10), 200, ""},
		})
		log.note(h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d/guide", id), nil))
	})
	t.Run("exchange price difference up to 5 yuan is waived, above it charged", func(t *testing.T) {
		id := h.newCase(map[string]any{"type": "quality.flaw", "amount": 200, "emotion": "calm"})
		h.run(t, log, id, []step{
			{"cheaper new item", "", "solution.offered", map[string]any{"kind": "exchange", "price_diff": -3}, 200, "exchange.price_difference_none"},
			{"5 waived", "", "solution.offered", map[string]any{"kind": "exchange", "price_diff": 5}, 200, "exchange.price_difference_waived"},
			{"6 charged", "", "solution.accepted", map[string]any{"kind": "exchange", "price_diff": 6}, 200, "exchange.price_difference_charged"},
		})
		r := h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d", id), nil)
		terms := r.body["accepted"].(map[string]any)["terms"].([]any)
		if term := terms[0].(map[string]any); term["amount"] != float64(6) {
			t.Fatalf("the accepted exchange does not carry the 6 yuan to pay: %s", r.raw)
		}
	})
	t.Run("depreciation 0.5 % a day after 30 days of heavy use", func(t *testing.T) {
		for _, tt := range []struct {
			days float64
			rule string
			fee  float64
		}{{29.9, "exchange.no_depreciation", 0}, {40, "exchange.depreciation", 40}} {
			id := h.newCase(map[string]any{"type": "quality.flaw", "amount": 200, "emotion": "calm", "signed_at": ago(time.Duration(tt.days * 24 * float64(time.Hour)))})
			h.run(t, log, id, []step{
				{"heavy use", "", "fact.recorded", fact("heavy_use", "yes"), 200, ""},
				{fmt.Sprintf("exchange after %v days", tt.days), "", "solution.accepted", map[string]any{"kind": "exchange"}, 200, tt.rule},
			})
			r := h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d", id), nil)
			term := r.body["accepted"].(map[string]any)["terms"].([]any)[0].(map[string]any)
			if term["amount"] != tt.fee {
				t.Fatalf("%v days: fee %v, want %v", tt.days, term["amount"], tt.fee)
			}
		}
	})
	t.Run("a part repaired twice that fails again is exchanged", func(t *testing.T) {
		id := h.newCase(map[string]any{"type": "quality.malfunction", "order_no": "TM-REPAIR-1", "amount": 1000, "emotion": "calm", "signed_at": ago(100 * 24 * time.Hour)})
		repair := map[string]any{"kind": "repair", "part": "压缩机", "data": map[string]any{"mode": "send_in"}}
		h.run(t, log, id, []step{
			{"first repair", "", "solution.offered", repair, 200, "warranty.repair_first"},
			{"first repair accepted", "", "solution.accepted", repair, 200, ""},
		})
		again := h.newCase(map[string]any{"type": "quality.malfunction", "order_no": "TM-REPAIR-1", "amount": 1000, "emotion": "calm", "signed_at": ago(100 * 24 * time.Hour)})
		h.run(t, log, again, []step{
			{"second repair on a new case of the order", "", "solution.accepted", repair, 200, "warranty.repair_first"},
			{"third failure: repair again is warned", "", "solution.offered", repair, 200, "warranty.repeat_repair_exchange"},
			{"third failure: exchange", "", "solution.accepted", map[string]any{"kind": "exchange", "part": "压缩机"}, 200, "warranty.repeat_repair_exchange"},
		})
	})
	t.Run("a repair is free within the warranty period, paid after it; a receipt dates it", func(t *testing.T) {
		for _, tt := range []struct {
			signed time.Duration
			rule   string
		}{{364 * 24 * time.Hour, "warranty.in_period"}, {366 * 24 * time.Hour, "warranty.expired"}} {
			id := h.newCase(map[string]any{"type": "quality.malfunction", "amount": 500, "emotion": "calm", "signed_at": ago(tt.signed)})
			r := h.event(store.RoleAgent, id, "solution.accepted", map[string]any{"kind": "repair", "data": map[string]any{"mode": "on_site"}})
			log.note(r)
			if r.status != 200 || !strings.Contains(string(r.raw), tt.rule) {
				t.Fatalf("repair signed %v ago: %d %s", tt.signed, r.status, r.raw)
			}
		}
		id := h.newCase(map[string]any{"type": "quality.malfunction", "amount": 500, "emotion": "calm"})
		h.run(t, log, id, []step{
			{"no purchase date anywhere", "", "solution.accepted", map[string]any{"kind": "repair", "data": map[string]any{"mode": "send_in"}}, 422, ""},
			{"a receipt that is not on the case", "", "solution.accepted", map[string]any{"kind": "repair", "data": map[string]any{"mode": "send_in",
				"receipt": strings.Repeat("a", 64), "purchased_at": ago(30 * 24 * time.Hour)}}, 422, ""},
		})
		receipt := upload(h, id, "发票.png", "other", append(pngBytes(), "receipt"...)).body["evidence"].([]any)
		hash := receipt[len(receipt)-1].(map[string]any)["hash"]
		h.run(t, log, id, []step{
			{"with the receipt", "", "solution.accepted", map[string]any{"kind": "repair", "data": map[string]any{"mode": "send_in",
				"receipt": hash, "purchased_at": ago(30 * 24 * time.Hour)}}, 200, "warranty.in_period"},
		})
	})
	t.Run("the 6折 floor applies to price discounts, not to compensation", func(t *testing.T) {
		id := h.newCase(map[string]any{"amount": 39, "type": "quality.damaged"})
		h.run(t, log, id, []step{
			{"30 compensation on a 39-yuan order", "", "solution.offered", comp("compensation", 30), 200, ""},
			{"退差价 16: 23 is below 23.4", "", "solution.offered", comp("price_difference", 16), 422, "discount.supervisor_floor"},
			{"not even an admin", store.RoleAdmin, "solution.offered", comp("price_difference", 16), 422, "discount.supervisor_floor"},
			{"nor asked for", "", "approval.requested", comp("price_difference", 16), 422, "discount.supervisor_floor"},
			{"退差价 15: 24 is above it", "", "solution.offered", comp("price_difference", 15), 200, ""},
		})
	})
	t.Run("the agent's 50-yuan limit covers every kind that moves money", func(t *testing.T) {
		id := h.newCase(map[string]any{"amount": 1000, "type": "personal.dislike", "emotion": "calm"})
		h.run(t, log, id, []step{
			{"50 compensation at the limit", "", "solution.offered", comp("compensation", 50), 200, ""},
			{"51 compensation", "", "solution.offered", comp("compensation", 51), 403, "compensation.needs_approval"},
			{"251 退差价", "", "solution.offered", comp("price_difference", 251), 403, "compensation.needs_approval"},
			{"51 下次优惠", "", "solution.offered", comp("next_order_discount", 51), 403, "compensation.needs_approval"},
			{"51 仅退款", "", "solution.offered", comp("refund_only", 51), 403, "compensation.needs_approval"},
			{"supervisor gives 200", store.RoleSupervisor, "solution.offered", comp("next_order_discount", 200), 200, ""},
			{"supervisor's 201", store.RoleSupervisor, "solution.offered", comp("next_order_discount", 201), 403, "compensation.needs_approval"},
		})
		ret := h.newCase(map[string]any{"amount": 1000, "type": "quality.damaged"})
		h.run(t, log, ret, []step{
			{"refund of the order amount", "", "solution.offered", comp("refund_only", 0), 200, ""},
			{"a refund 51 above the order amount", "", "solution.offered", comp("return_refund", 1051), 403, "compensation.needs_approval"},
		})
		zero := h.newCase(map[string]any{"amount": 0, "type": "logistics.lost"})
		h.run(t, log, zero, []step{
			{"9,999,999 仅退款 on a 0-yuan order", "", "solution.offered", comp("refund_only", 9999999), 403, "compensation.needs_approval"},
		})
	})
	t.Run("an approval is used up by the act it allows, and can be revoked until then", func(t *testing.T) {
		id := h.newCase(map[string]any{"amount": 1000, "type": "quality.damaged"})
		h.run(t, log, id, []step{
			{"ask for 150", "", "approval.requested", comp("compensation", 150), 200, ""},
			{"granted", store.RoleSupervisor, "approval.granted", comp("compensation", 150), 200, ""},
			{"accepted: uses the grant", "", "solution.accepted", comp("compensation", 150), 200, ""},
			{"accepted again: no grant left", "", "solution.accepted", comp("compensation", 150), 403, "compensation.needs_approval"},
			{"granted again", store.RoleSupervisor, "approval.granted", comp("compensation", 150), 200, ""},
			{"revoked by a refusal", store.RoleSupervisor, "approval.refused", comp("compensation", 150), 200, ""},
			{"revoked grant allows nothing", "", "solution.accepted", comp("compensation", 150), 403, "compensation.needs_approval"},
		})
	})
	t.Run("a request that no one may grant is refused when made; closing withdraws a pending one", func(t *testing.T) {
		h2 := newHarnessSOP(t, sop.Files{Policy: writeFile(t, "policy.yaml", "role_limits:\n  admin: 500\n")})
		id := h2.newCase(map[string]any{"amount": 89})
		h2.run(t, log, id, []step{
			{"退差价 60 on an 89-yuan order", "", "approval.requested", comp("price_difference", 60), 422, "discount.supervisor_floor"},
			{"501 is above every role", "", "approval.requested", comp("compensation", 501), 422, "compensation.above_all_limits"},
			{"60 compensation asked", "", "approval.requested", comp("compensation", 60), 200, ""},
		})
		h2.do(store.RoleAgent, "POST", fmt.Sprintf("/api/v1/cases/%d/remarks", id), map[string]any{"text": "破损，顾客不再需要补偿"})
		if r := h2.do(store.RoleAgent, "POST", fmt.Sprintf("/api/v1/cases/%d/close", id), map[string]any{}); r.status != 200 || r.body["pending_approval"] != nil {
			t.Fatalf("close with a pending approval: %d %s", r.status, r.raw)
		}
		if q := h2.do(store.RoleSupervisor, "GET", "/api/v1/approvals", nil); len(q.body["cases"].([]any)) != 0 {
			t.Fatalf("a closed case is still waiting for approval: %s", q.raw)
		}
		evs := h2.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d/events", id), nil)
		if !strings.Contains(string(evs.raw), `"approval.withdrawn"`) {
			t.Fatalf("no event says the request was withdrawn: %s", evs.raw)
		}
	})
	t.Run("size tolerance 3 cm decides quality or personal size", func(t *testing.T) {
		id := h.newCase(map[string]any{"type": "personal.size", "amount": 200, "emotion": "calm"})
		h.run(t, log, id, []step{
			{"3 cm is normal", "", "fact.recorded", fact("size_deviation_cm", "3"), 200, "size.within_tolerance"},
			{"3.1 cm is a quality problem", "", "fact.recorded", fact("size_deviation_cm", "3.1"), 200, "size.beyond_tolerance"},
			{"not a number", "", "fact.recorded", fact("size_deviation_cm", "三厘米"), 422, ""},
		})
		r := h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d", id), nil)
		if r.body["type"] != "quality.size" || r.body["facts"].(map[string]any)["size_gap"] != "beyond" {
			t.Fatalf("3.1 cm left the case as %v: %s", r.body["type"], r.raw)
		}
	})
	t.Run("late shipment: 5 % of the paid amount, at least 5, at most 30", func(t *testing.T) {
		for _, tt := range []struct {
			amount   float64
			shipped  time.Duration // after payment
			rule     string
			contains string
		}{
			{399, 72 * time.Hour, "shipping.on_time", "未超时"},
			{399, 72*time.Hour + time.Minute, "shipping.late_penalty", "即19.95元"},
			{60, 80 * time.Hour, "shipping.late_penalty", "即5元"},
			{1000, 80 * time.Hour, "shipping.late_penalty", "即30元"},
		} {
			paid := time.Now().Add(-10 * 24 * time.Hour).UTC()
			id := h.newCase(map[string]any{"amount": tt.amount, "paid_at": paid.Format(time.RFC3339), "shipped_at": paid.Add(tt.shipped).Format(time.RFC3339)})
			g := h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d/guide", id), nil)
			log.note(g)
			if !strings.Contains(string(g.raw), tt.rule) || !strings.Contains(string(g.raw), tt.contains) {
				t.Fatalf("%v shipped after %v: guide lacks %s %q: %s", tt.amount, tt.shipped, tt.rule, tt.contains, g.raw)
			}
		}
		bad := newCaseBody()
		bad["paid_at"], bad["shipped_at"] = ago(time.Hour), ago(2*time.Hour)
		if r := h.do(store.RoleAgent, "POST", "/api/v1/cases", bad); r.status != 422 || r.body["field"] != "shipped_at" {
			t.Fatalf("shipped before paid: %d %s", r.status, r.raw)
		}
	})
	t.Run("7-day no-reason window and condition", func(t *testing.T) {
		for _, tt := range []struct {
			name   string
			signed any
			fact   map[string]any
			status int
			rule   string
		}{
			{"day 7 minus a minute", ago(7*24*time.Hour - time.Minute), nil, 200, "no_reason.eligible"},
			{"day 7 plus a minute", ago(7*24*time.Hour + time.Minute), nil, 422, "no_reason.window_passed"},
			{"not signed for", nil, nil, 422, "no_reason.not_signed"},
			{"used", ago(time.Hour), fact("item_state", "used"), 422, "no_reason.used"},
			{"packaging", ago(time.Hour), fact("packaging", "damaged"), 422, "no_reason.packaging_damaged"},
			{"not resellable", ago(time.Hour), fact("resellable", "no"), 422, "no_reason.not_resellable"},
		} {
			changes := map[string]any{"type": "personal.dislike", "emotion": "calm"}
			if tt.signed != nil {
				changes["signed_at"] = tt.signed
			}
			id := h.newCase(changes)
			steps := []step{
				{"asks to return", "", "customer.return_requested", map[string]any{"text": "不想要了"}, 200, ""},
				{"retention", "", "retention.offered", comp("", 10), 200, ""},
			}
			if tt.fact != nil {
				steps = append(steps, step{"condition", "", "fact.recorded", tt.fact, 200, ""})
			}
			steps = append(steps, step{tt.name, "", "reason.guided", map[string]any{"reason": "seven_days_no_reason"}, tt.status, tt.rule})
			h.run(t, log, id, steps)
		}
		// A quality problem with photos is exempt.
		id := h.newCase(map[string]any{"type": "quality.damaged"})
		upload(h, id, "a.png", "six_sides", pngBytes())
		h.run(t, log, id, []step{
			{"asks to return", "", "customer.return_requested", map[string]any{"text": "要退货"}, 200, ""},
			{"retention", "", "retention.offered", map[string]any{"kind": "exchange"}, 200, ""},
			{"quality with proof", "", "reason.guided", map[string]any{"reason": "seven_days_no_reason"}, 200, "no_reason.quality_exempt"},
		})
	})
	t.Run("never 未按约定时间发货 as the return reason", func(t *testing.T) {
		id := h.newCase(map[string]any{"type": "personal.dislike", "emotion": "calm"})
		h.run(t, log, id, []step{
			{"asks", "", "customer.return_requested", map[string]any{"text": "不要了"}, 200, ""},
			{"retention", "", "retention.offered", comp("", 10), 200, ""},
			{"late shipment reason", "", "reason.guided", map[string]any{"reason": "late_shipment"}, 422, "return_reason.avoid_late_shipment"},
		})
	})
	t.Run("freight: quality problem seller pays, personal reason buyer pays", func(t *testing.T) {
		for _, typ := range []string{"quality.flaw", "personal.dislike"} {
			id := h.newCase(map[string]any{"type": typ, "emotion": "calm", "amount": 200})
			h.run(t, log, id, []step{{"exchange accepted", "", "solution.accepted", map[string]any{"kind": "exchange"}, 200, ""}})
			log.note(h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d/guide", id), nil))
		}
	})
}

// TestEveryPolicyRuleIsReachedThroughTheAPI walks the SOP's money rules through the
// API and fails when an exported rule of internal/policy never shows up in an answer:
// a rule that no request reaches is not a feature.
func TestEveryPolicyRuleIsReachedThroughTheAPI(t *testing.T) {
	h := newHarness(t)
	log := ruleLog{}
	moneyScenarios(t, h, log)
	if t.Failed() {
		return
	}
	for _, id := range policyRuleIDs(t) {
		if !log[id] {
			t.Errorf("policy rule %s is not reached by any request", id)
		}
	}
}

// policyRuleIDs reads the Rule* constants of internal/policy.
func policyRuleIDs(t *testing.T) []string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filepath.Join("..", "policy", "decision.go"), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	ast.Inspect(f, func(n ast.Node) bool {
		if vs, ok := n.(*ast.ValueSpec); ok && strings.HasPrefix(vs.Names[0].Name, "Rule") {
			if lit, ok := vs.Values[0].(*ast.BasicLit); ok {
				s, _ := strconv.Unquote(lit.Value)
				ids = append(ids, s)
			}
		}
		return true
	})
	if len(ids) < 30 {
		t.Fatalf("found only %d rule ids in policy/decision.go", len(ids))
	}
	slices.Sort(ids)
	return ids
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func pngBytes() []byte {
	return append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"), make([]byte, 100)...)
}
