package api

import (
	"fmt"
	"testing"

	"github.com/shouhou/shouhou/internal/store"
)

func TestTheReportIsKeptByTheCaseWritesAndMatchesHandFigures(t *testing.T) {
	h := newClockHarness(t, true)
	// Monday 23 November 2026, 09:00 in Shanghai.
	a := h.newCase(2, "RP10001")
	b := h.newCase(2, "RP10002")
	c := h.qualityCase("RP10003", "quality.leak", "POT-1", "B9", "")
	h.advance("30m")
	if r := h.event(a, "message.sent", map[string]any{"text": "亲,非常抱歉,马上为您处理"}); r.status != 200 {
		t.Fatalf("reply: %d %s", r.status, r.raw)
	}
	h.advance("1h30m") // 11:00
	if r := h.event(b, "message.sent", map[string]any{"text": "亲,您好,请问是哪里破损了"}); r.status != 200 {
		t.Fatalf("reply: %d %s", r.status, r.raw)
	}
	h.closeCase(a) // closed after 2 h, remarked by agent1
	h.advance("24h")
	h.advance("1h") // Tuesday 12:00: a's visit (due 10:00) has fired
	if r := h.event(a, "case.followed_up", map[string]any{"csat": 4, "solved": true}); r.status != 200 {
		t.Fatalf("visit: %d %s", r.status, r.raw)
	}
	r := h.do(store.RoleSupervisor, "GET", "/api/v1/reports/summary?from=2026-11-23&to=2026-11-24", nil)
	if r.status != 200 {
		t.Fatalf("report: %d %s", r.status, r.raw)
	}
	got := r.body
	want := map[string]string{
		"cases":          "3",
		"remarked":       "1",
		"first_response": "map[median_minutes:30 n:2 p90_minutes:120 within_sla:2]",
		"resolution":     "map[median_minutes:120 n:1 p90_minutes:120 within_sla:1]",
		"csat_count":     "1",
		"csat_average":   "4",
		"output":         "[map[agent:agent1 cases:1 day:2026-11-23]]",
		"top_defects":    "[map[batch:B9 cases:1 sku:POT-1]]",
	}
	for k, w := range want {
		if g := fmt.Sprint(got[k]); g != w {
			t.Errorf("%s: %s, want %s", k, g, w)
		}
	}
	// A range of whole months reads the month rows (and the days of 产能): the same figures.
	for _, span := range []string{"from=2026-11-01&to=2026-11-30", "from=2026-10-15&to=2026-12-10"} {
		r := h.do(store.RoleSupervisor, "GET", "/api/v1/reports/summary?"+span, nil)
		for k, w := range want {
			if g := fmt.Sprint(r.body[k]); g != w {
				t.Errorf("%s %s: %s, want %s", span, k, g, w)
			}
		}
	}
	// Filters and days narrow it; the case edit moves the case between rows.
	if r := h.do(store.RoleSupervisor, "GET", "/api/v1/reports/summary?from=2026-11-23&to=2026-11-23&type=quality.leak", nil); fmt.Sprint(r.body["cases"]) != "1" {
		t.Errorf("type filter: %v", r.body["cases"])
	}
	v := h.get(c)["version"]
	if r := h.do(store.RoleAgent, "PATCH", fmt.Sprintf("/api/v1/cases/%d", c), map[string]any{"fields": map[string]any{"type": "quality.damaged"}, "version": v}); r.status != 200 {
		t.Fatalf("edit: %d %s", r.status, r.raw)
	}
	r = h.do(store.RoleSupervisor, "GET", "/api/v1/reports/summary?from=2026-11-23&to=2026-11-23", nil)
	if fmt.Sprint(r.body["by_type"]) != "[map[count:3 key:quality.damaged share:1]]" {
		t.Errorf("after the edit: %v", r.body["by_type"])
	}
	if r := h.do(store.RoleSupervisor, "GET", "/api/v1/reports/summary?from=2026-11-24&to=2026-11-24", nil); fmt.Sprint(r.body["cases"]) != "0" {
		t.Errorf("a day without cases: %v", r.body["cases"])
	}
	for _, bad := range []string{"from=2026-13-01", "to=2026-11-01&from=2026-11-05", "platform=ebay", "level=7", "from=2024-01-01&to=2026-01-01", "agent=nobody"} {
		if r := h.do(store.RoleSupervisor, "GET", "/api/v1/reports/summary?"+bad, nil); r.status != 422 {
			t.Errorf("%s: %d", bad, r.status)
		}
	}
	if r := h.do(store.RoleAgent, "GET", "/api/v1/reports/summary", nil); r.status != 403 {
		t.Errorf("an agent reads the report: %d", r.status)
	}
}

func TestAReportOfAShopThatDoesNotExistIsRefusedLikeTheCaseList(t *testing.T) {
	h := newHarness(t)
	for _, path := range []string{"/api/v1/reports/summary?shop=9", "/api/v1/cases?shop=9", "/api/v1/reports/summary?shop=abc"} {
		if r := h.do(store.RoleSupervisor, "GET", path, nil); r.status != 422 || r.body["field"] != "shop" || r.body["message"] != "店铺不存在" {
			t.Errorf("%s: %d %s", path, r.status, r.raw)
		}
	}
	if r := h.do(store.RoleSupervisor, "GET", "/api/v1/reports/summary?shop=1", nil); r.status != 200 {
		t.Errorf("the report of shop #1: %d %s", r.status, r.raw)
	}
}
