package api

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shouhou/shouhou/internal/store"
)

// qualityCase opens a case through the API with the given type, SKU, batch and courier.
func (h *clockHarness) qualityCase(order, typ, sku, batch, courier string) int64 {
	h.t.Helper()
	body := newCaseBody()
	body["order_no"], body["type"], body["sku"], body["batch"], body["courier"], body["emotion"] = order, typ, sku, batch, courier, "calm"
	r := h.do(store.RoleAgent, "POST", "/api/v1/cases", body)
	if r.status != 201 {
		h.t.Fatalf("create: %d %s", r.status, r.raw)
	}
	return int64(r.body["id"].(float64))
}

func (h *clockHarness) alerts() []map[string]any {
	h.t.Helper()
	r := h.do(store.RoleSupervisor, "GET", "/api/v1/alerts", nil)
	if r.status != 200 {
		h.t.Fatalf("alerts: %d %s", r.status, r.raw)
	}
	var out []map[string]any
	for _, a := range r.body["alerts"].([]any) {
		out = append(out, a.(map[string]any))
	}
	return out
}

func caseIDs(a map[string]any) []int64 {
	var ids []int64
	for _, v := range a["case_ids"].([]any) {
		ids = append(ids, int64(v.(float64)))
	}
	return ids
}

func TestThreeQualityCasesOnOneSKUAndBatchWithinSevenDaysRaiseOneAlertAndAFourthUpdatesIt(t *testing.T) {
	h := newClockHarness(t, true)
	a := h.qualityCase("QA10001", "quality.damaged", "TEA-01", "B2611", "")
	h.advance("72h")
	b := h.qualityCase("QA10002", "quality.leak", "TEA-01", "B2611", "")
	h.qualityCase("QA10003", "quality.damaged", "TEA-01", "B2612", "")  // another batch
	h.qualityCase("QA10004", "personal.dislike", "TEA-01", "B2611", "") // not a quality case
	if got := h.alerts(); len(got) != 0 {
		t.Fatalf("an alert after two cases: %v", got)
	}
	h.advance("96h") // day 7 after the first
	c := h.qualityCase("QA10005", "quality.flaw", "TEA-01", "B2611", "")
	got := h.alerts()
	if len(got) != 1 || fmt.Sprint(caseIDs(got[0])) != fmt.Sprint([]int64{a, b, c}) || got[0]["key"] != "TEA-01 / B2611" || got[0]["kind"] != "batch" {
		t.Fatalf("after three cases in 7 days: %v", got)
	}
	if !strings.Contains(got[0]["text"].(string), "7天内3起质量问题") {
		t.Fatalf("alert text: %v", got[0]["text"])
	}
	var n []any
	for _, x := range h.do(store.RoleSupervisor, "GET", "/api/v1/notifications", nil).body["notifications"].([]any) {
		if x.(map[string]any)["kind"] == "alert" {
			n = append(n, x)
		}
	}
	if len(n) != 1 || !strings.Contains(fmt.Sprint(n[0]), "同批次预警") {
		t.Fatalf("supervisor notifications: %v", n)
	}
	// Acknowledged with a note; a stale version is refused.
	id := int64(got[0]["id"].(float64))
	if r := h.do(store.RoleSupervisor, "POST", fmt.Sprintf("/api/v1/alerts/%d/acknowledge", id), map[string]any{"note": "", "version": 1}); r.status != 422 {
		t.Fatalf("acknowledge without a note: %d %s", r.status, r.raw)
	}
	if r := h.do(store.RoleSupervisor, "POST", fmt.Sprintf("/api/v1/alerts/%d/acknowledge", id), map[string]any{"note": "已反馈工厂", "version": 1}); r.status != 200 || r.body["status"] != "acknowledged" {
		t.Fatalf("acknowledge: %d %s", r.status, r.raw)
	}
	// A fourth case updates the same alert (and opens it again for a look).
	h.advance("24h")
	d := h.qualityCase("QA10006", "quality.damaged", "TEA-01", "B2611", "")
	got = h.alerts()
	if len(got) != 1 || fmt.Sprint(caseIDs(got[0])) != fmt.Sprint([]int64{a, b, c, d}) || got[0]["status"] != "open" || got[0]["ack_note"] != "已反馈工厂" {
		t.Fatalf("after a fourth case: %v", got)
	}
	if r := h.do(store.RoleSupervisor, "POST", fmt.Sprintf("/api/v1/alerts/%d/acknowledge", id), map[string]any{"note": "再次反馈", "version": 2}); r.status == 200 {
		t.Fatal("acknowledged on a version that missed the fourth case")
	}
	if r := h.do(store.RoleAgent, "GET", "/api/v1/alerts", nil); r.status != 403 {
		t.Fatalf("an agent reads alerts: %d", r.status)
	}
}

func TestThreeQualityCasesOverEightDaysRaiseNoAlert(t *testing.T) {
	h := newClockHarness(t, true)
	h.qualityCase("QB10001", "quality.damaged", "TEA-02", "", "")
	h.advance("96h")
	h.qualityCase("QB10002", "quality.damaged", "TEA-02", "", "")
	h.advance("96h") // day 8
	h.qualityCase("QB10003", "quality.damaged", "TEA-02", "", "")
	if got := h.alerts(); len(got) != 0 {
		t.Fatalf("an alert for three cases over 8 days: %v", got)
	}
}

func TestAnEmptyBatchGroupsBySKUAndRepeatedDamageBySameCourierRaisesACourierAlert(t *testing.T) {
	h := newClockHarness(t, true)
	for i, sku := range []string{"CUP-1", "CUP-1", "CUP-1"} {
		h.qualityCase(fmt.Sprintf("QC1000%d", i), "quality.damaged", sku, "", "中通快递")
	}
	got := h.alerts()
	kinds := map[string]string{}
	for _, a := range got {
		kinds[a["kind"].(string)] = a["key"].(string)
	}
	if len(got) != 2 || kinds["batch"] != "CUP-1" || kinds["courier"] != "中通快递" {
		t.Fatalf("alerts: %v", got)
	}
}

func TestEditingTheBatchOfACaseCompletesAnAlert(t *testing.T) {
	h := newClockHarness(t, true)
	h.qualityCase("QD10001", "quality.damaged", "POT-9", "B1", "")
	h.qualityCase("QD10002", "quality.damaged", "POT-9", "B1", "")
	late := h.qualityCase("QD10003", "quality.damaged", "POT-9", "B2", "")
	if len(h.alerts()) != 0 {
		t.Fatal("alert before the edit")
	}
	v := h.get(late)["version"]
	if r := h.do(store.RoleAgent, "PATCH", fmt.Sprintf("/api/v1/cases/%d", late), map[string]any{"fields": map[string]any{"batch": "B1"}, "version": v}); r.status != 200 {
		t.Fatalf("edit: %d %s", r.status, r.raw)
	}
	if got := h.alerts(); len(got) != 1 || len(caseIDs(got[0])) != 3 {
		t.Fatalf("after the edit: %v", got)
	}
}
