package api

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shouhou/shouhou/internal/store"
)

// closeCase remarks and closes a case through the API.
func (h *clockHarness) closeCase(id int64) {
	h.t.Helper()
	if r := h.do(store.RoleAgent, "POST", fmt.Sprintf("/api/v1/cases/%d/remarks", id), map[string]any{"text": "破损,补偿10元已发"}); r.status != 200 {
		h.t.Fatalf("remark: %d %s", r.status, r.raw)
	}
	if r := h.do(store.RoleAgent, "POST", fmt.Sprintf("/api/v1/cases/%d/close", id), map[string]any{"text": ""}); r.status != 200 {
		h.t.Fatalf("close: %d %s", r.status, r.raw)
	}
}

// followUpQueue lists the cases waiting for their 回访 (closed, stage followup).
func (h *clockHarness) followUpQueue() []int64 {
	h.t.Helper()
	r := h.do(store.RoleAgent, "GET", "/api/v1/cases?status=closed&stage=followup", nil)
	if r.status != 200 {
		h.t.Fatalf("list: %d %s", r.status, r.raw)
	}
	var ids []int64
	for _, c := range r.body["cases"].([]any) {
		ids = append(ids, int64(c.(map[string]any)["id"].(float64)))
	}
	return ids
}

func eventTypes(h *clockHarness, id int64) []string {
	h.t.Helper()
	r := h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d/events", id), nil)
	if r.status != 200 {
		h.t.Fatalf("events: %d %s", r.status, r.raw)
	}
	var out []string
	for _, e := range r.body["events"].([]any) {
		m := e.(map[string]any)
		out = append(out, fmt.Sprint(m["type"])+" "+fmt.Sprint(m["payload"]))
	}
	return out
}

func TestClosingSchedulesTheVisitOnTheNextWorkingDayAndItLandsInTheQueueAs待回访(t *testing.T) {
	h := newClockHarness(t, true)
	id := h.newCase(3, "FU10001")
	h.advance("1h") // Monday 10:00 in Shanghai
	h.closeCase(id)
	if q := h.followUpQueue(); len(q) != 0 {
		t.Fatalf("a visit listed before it is due: %v", q)
	}
	h.advance("23h58m") // Tuesday 09:58: not yet
	if q := h.followUpQueue(); len(q) != 0 {
		t.Fatalf("a visit listed before 10:00 of the next working day: %v", q)
	}
	h.advance("2m")
	if q := h.followUpQueue(); len(q) != 1 || q[0] != id {
		t.Fatalf("待回访 after the next working day's 10:00: %v", q)
	}
	c := h.get(id)
	if c["stage"] != "followup" || c["status"] != "closed" {
		t.Fatalf("case due for its visit: stage %v status %v", c["stage"], c["status"])
	}
	// A good outcome ends the visit: the case stays closed and leaves the queue.
	r := h.event(id, "case.followed_up", map[string]any{"csat": 5, "solved": true, "comment": "很满意"})
	if r.status != 200 {
		t.Fatalf("outcome: %d %s", r.status, r.raw)
	}
	if c := h.get(id); c["status"] != "closed" || c["stage"] != "closed" || c["follow_up"].(map[string]any)["csat"] != float64(5) {
		t.Fatalf("after a good visit: %v %v %v", c["status"], c["stage"], c["follow_up"])
	}
	if q := h.followUpQueue(); len(q) != 0 {
		t.Fatalf("visited case still queued: %v", q)
	}
}

func TestABadVisitReopensTheCaseForASupervisorWithTheReason(t *testing.T) {
	for _, tc := range []struct {
		name   string
		csat   int
		solved bool
		reason string
	}{
		{"score 1", 1, true, "满意度1分"},
		{"score at the threshold", 2, true, "满意度2分"},
		{"not solved", 5, false, "问题未解决"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newClockHarness(t, true)
			id := h.newCase(3, "FU20001")
			h.closeCase(id)
			h.advance("48h")
			r := h.event(id, "case.followed_up", map[string]any{"csat": tc.csat, "solved": tc.solved, "comment": "还是坏的"})
			if r.status != 200 {
				t.Fatalf("outcome: %d %s", r.status, r.raw)
			}
			if c := h.get(id); c["status"] != "open" {
				t.Fatalf("a bad visit left the case %v", c["status"])
			}
			evs := eventTypes(h, id)
			reopened := ""
			for _, e := range evs {
				if strings.HasPrefix(e, "case.reopened ") {
					reopened = e
				}
			}
			if !strings.Contains(reopened, tc.reason) || !strings.Contains(reopened, "转主管") {
				t.Fatalf("reopen event without the reason %q: %q", tc.reason, reopened)
			}
			n := h.do(store.RoleSupervisor, "GET", "/api/v1/notifications", nil)
			list := n.body["notifications"].([]any)
			if len(list) == 0 || !strings.Contains(fmt.Sprint(list[0]), tc.reason) || !strings.Contains(fmt.Sprint(list[0]), "escalation") {
				t.Fatalf("supervisor not told: %v", list)
			}
		})
	}
}

func TestAVisitWithoutAValidScoreOrSolvedIsRefusedAndChangesNothing(t *testing.T) {
	h := newClockHarness(t, true)
	id := h.newCase(3, "FU30001")
	h.closeCase(id)
	before := h.get(id)["version"]
	for _, tc := range []struct {
		payload map[string]any
		field   string
	}{
		{map[string]any{"csat": 0, "solved": true}, "payload.csat"},
		{map[string]any{"csat": 6, "solved": true}, "payload.csat"},
		{map[string]any{"csat": 3}, "payload.solved"},
		{map[string]any{"csat": 3, "solved": true, "nps": 9}, "payload"},
	} {
		r := h.event(id, "case.followed_up", tc.payload)
		if r.status != 422 || !strings.Contains(string(r.raw), tc.field) {
			t.Errorf("%v: %d %s", tc.payload, r.status, r.raw)
		}
	}
	if v := h.get(id)["version"]; v != before {
		t.Fatalf("refused visits changed the case: %v → %v", before, v)
	}
}
