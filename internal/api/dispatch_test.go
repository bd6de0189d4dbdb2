package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/shouhou/shouhou/internal/auth"
	"github.com/shouhou/shouhou/internal/store"
)

func (h *clockHarness) addUser(name string, role store.Role) {
	h.t.Helper()
	u, err := h.am.AddUser(context.Background(), auth.NewUser{Username: name, Role: role, Password: "password1"})
	if err != nil {
		h.t.Fatal(err)
	}
	if h.tokens[name], _, err = h.am.CreateToken(context.Background(), u.ID, "test"); err != nil {
		h.t.Fatal(err)
	}
}

// as sends a request as a user added with addUser.
func (h *clockHarness) as(name, method, path string, body any) reply {
	h.t.Helper()
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, h.srv.URL+path, bytes.NewReader(raw))
	req.Header.Set("Authorization", "Bearer "+h.tokens[name])
	return h.send(req)
}

func (h *clockHarness) setAgent(name string, profile map[string]any) {
	h.t.Helper()
	if r := h.do(store.RoleSupervisor, "PUT", "/api/v1/agents/"+name, profile); r.status != 200 {
		h.t.Fatalf("profile of %s: %d %s", name, r.status, r.raw)
	}
}

// supervisorCase opens a case as the supervisor (who keeps no case), so dispatch alone
// decides the assignee.
func (h *clockHarness) supervisorCase(level int, order string) map[string]any {
	h.t.Helper()
	body := newCaseBody()
	body["level"], body["order_no"], body["emotion"] = level, order, "calm"
	r := h.do(store.RoleSupervisor, "POST", "/api/v1/cases", body)
	if r.status != 201 {
		h.t.Fatalf("create: %d %s", r.status, r.raw)
	}
	return r.body
}

func TestNewCasesGoToTheLeastLoadedOnlineAgentOfTheirTier(t *testing.T) {
	h := newClockHarness(t, true)
	for _, n := range []string{"senior", "junior1", "junior2", "resting"} {
		h.addUser(n, store.RoleAgent)
	}
	h.setAgent("senior", map[string]any{"levels": []int{1}, "status": "online"})
	h.setAgent("junior1", map[string]any{"levels": []int{2, 3}, "status": "online"})
	h.setAgent("junior2", map[string]any{"levels": []int{2, 3}, "status": "online"})
	h.setAgent("resting", map[string]any{"levels": []int{2, 3}, "status": "away"})
	// junior1 already works two cases.
	for i := range 2 {
		c := h.supervisorCase(3, fmt.Sprintf("TM400%d", i))
		if c["assignee"] != "junior1" && c["assignee"] != "junior2" {
			t.Fatalf("warm-up case went to %v", c["assignee"])
		}
		if c["assignee"] == "junior2" {
			h.do(store.RoleSupervisor, "POST", fmt.Sprintf("/api/v1/cases/%v/assign", c["id"]), map[string]any{"assignee": "junior1"})
		}
	}
	var got []any
	for i, level := range []int{2, 3, 1, 2} {
		got = append(got, h.supervisorCase(level, fmt.Sprintf("TM410%d", i))["assignee"])
	}
	// junior2 (0 open) twice, then the level-1 case to the only level-1 agent, then the
	// tie at 2 open goes to junior1, assigned longer ago; the away agent gets nothing.
	if fmt.Sprint(got) != "[junior2 junior2 senior junior1]" {
		t.Fatalf("assignees %v", got)
	}
	r := h.do(store.RoleAgent, "GET", "/api/v1/agents", nil)
	if r.status != 200 || len(r.body["agents"].([]any)) != 4 {
		t.Fatalf("agents: %d %s", r.status, r.raw)
	}
}

func TestAssigningToAnUnknownUserOrANonAgentIsRefused(t *testing.T) {
	h := newClockHarness(t, true)
	c := h.supervisorCase(2, "TM42001")
	id := c["id"]
	for _, who := range []string{"ghost", "admin1"} {
		r := h.do(store.RoleSupervisor, "POST", fmt.Sprintf("/api/v1/cases/%v/assign", id), map[string]any{"assignee": who})
		if r.status != 422 || r.body["field"] != "assignee" {
			t.Fatalf("assign to %s: %d %s", who, r.status, r.raw)
		}
		r = h.do(store.RoleSupervisor, "POST", fmt.Sprintf("/api/v1/cases/%v/events", id), map[string]any{"type": "case.assigned", "payload": map[string]any{"to": who}})
		if r.status != 422 || r.body["field"] != "assignee" {
			t.Fatalf("case.assigned to %s: %d %s", who, r.status, r.raw)
		}
	}
	body := newCaseBody()
	body["assignee"], body["order_no"] = "ghost", "TM42002"
	if r := h.do(store.RoleSupervisor, "POST", "/api/v1/cases", body); r.status != 422 || r.body["field"] != "assignee" {
		t.Fatalf("create for ghost: %d %s", r.status, r.raw)
	}
	if got := h.get(int64(id.(float64))); got["version"] != c["version"] {
		t.Fatalf("a refused assignment changed the case: version %v → %v", c["version"], got["version"])
	}
}

func TestAgentsClaimUnassignedCasesAndSupervisorsReassign(t *testing.T) {
	h := newClockHarness(t, true)
	h.addUser("xiaoli", store.RoleAgent)
	c := h.supervisorCase(2, "TM43001") // nobody online: it waits in 待分配
	id := int64(c["id"].(float64))
	if c["assignee"] != nil && c["assignee"] != "" {
		t.Fatalf("assigned with nobody online: %v", c["assignee"])
	}
	r := h.do(store.RoleAgent, "GET", "/api/v1/cases?unassigned=true", nil)
	if r.status != 200 || len(r.body["cases"].([]any)) != 1 {
		t.Fatalf("待分配: %d %s", r.status, r.raw)
	}
	path := fmt.Sprintf("/api/v1/cases/%d/assign", id)
	if r := h.do(store.RoleAgent, "POST", path, map[string]any{"assignee": "xiaoli"}); r.status != 403 {
		t.Fatalf("agent assigning someone else: %d %s", r.status, r.raw)
	}
	if r := h.do(store.RoleAgent, "POST", path, map[string]any{"assignee": "agent1"}); r.status != 200 || r.body["assignee"] != "agent1" {
		t.Fatalf("claim: %d %s", r.status, r.raw)
	}
	if r := h.as("xiaoli", "POST", path, map[string]any{"assignee": "xiaoli"}); r.status != 403 {
		t.Fatalf("claiming a taken case: %d %s", r.status, r.raw)
	}
	if r := h.do(store.RoleSupervisor, "POST", path, map[string]any{"assignee": "xiaoli"}); r.status != 200 || r.body["assignee"] != "xiaoli" {
		t.Fatalf("supervisor reassigning: %d %s", r.status, r.raw)
	}
}

func TestGoingAwayHandsOpenCasesToOnlineAgents(t *testing.T) {
	h := newClockHarness(t, true)
	h.addUser("leaver", store.RoleAgent)
	h.addUser("stayer", store.RoleAgent)
	h.setAgent("leaver", map[string]any{"status": "online"})
	var ids []any
	for i := range 2 {
		ids = append(ids, h.supervisorCase(2, fmt.Sprintf("TM4400%d", i))["id"])
	}
	h.setAgent("stayer", map[string]any{"status": "online", "platforms": []string{"tmall"}})
	r := h.as("leaver", "PUT", "/api/v1/me/status", map[string]any{"status": "away"})
	if r.status != 200 || r.body["redistributed"].(float64) != 2 || r.body["status_label"] != "离开" {
		t.Fatalf("going away: %d %s", r.status, r.raw)
	}
	for _, id := range ids {
		if c := h.get(int64(id.(float64))); c["assignee"] != "stayer" {
			t.Fatalf("case %v stayed with %v", id, c["assignee"])
		}
	}
	if r := h.as("leaver", "PUT", "/api/v1/agents/stayer", map[string]any{"status": "off"}); r.status != 403 {
		t.Fatalf("an agent switching someone else: %d %s", r.status, r.raw)
	}
	if r := h.as("leaver", "PUT", "/api/v1/me/status", map[string]any{"status": "busy"}); r.status != 422 || r.body["field"] != "status" {
		t.Fatalf("unknown status: %d %s", r.status, r.raw)
	}
}

func TestComingOnlineTakesTheWaitingCases(t *testing.T) {
	h := newClockHarness(t, true)
	h.addUser("early", store.RoleAgent)
	h.addUser("jdonly", store.RoleAgent)
	waiting := h.supervisorCase(2, "TM45001") // nobody online: 待分配
	if waiting["assignee"] != nil && waiting["assignee"] != "" {
		t.Fatalf("assigned with nobody online: %v", waiting["assignee"])
	}
	// An agent who serves only JD cannot take the Tmall case; it keeps waiting.
	h.setAgent("jdonly", map[string]any{"platforms": []string{"jd"}})
	if r := h.as("jdonly", "PUT", "/api/v1/me/status", map[string]any{"status": "online"}); r.status != 200 || r.body["redistributed"].(float64) != 0 {
		t.Fatalf("jd agent online: %d %s", r.status, r.raw)
	}
	r := h.as("early", "PUT", "/api/v1/me/status", map[string]any{"status": "online"})
	if r.status != 200 || r.body["redistributed"].(float64) != 1 {
		t.Fatalf("coming online: %d %s", r.status, r.raw)
	}
	if c := h.get(int64(waiting["id"].(float64))); c["assignee"] != "early" {
		t.Fatalf("the waiting case went to %v", c["assignee"])
	}
}

func TestACaseAnAgentOpensFromTheirOwnChatStaysWithThem(t *testing.T) {
	h := newClockHarness(t, true)
	h.addUser("idle", store.RoleAgent)
	h.setAgent("idle", map[string]any{"levels": []int{1, 2, 3}, "status": "online"})
	r := h.do(store.RoleAgent, "POST", "/api/v1/cases", newCaseBody())
	if r.status != 201 || r.body["assignee"] != "agent1" {
		t.Fatalf("the agent's own case went to %v: %d %s", r.body["assignee"], r.status, r.raw)
	}
	if c := h.supervisorCase(2, "TM499001"); c["assignee"] != "idle" {
		t.Fatalf("a supervisor's case was not dispatched: %v", c["assignee"])
	}
}

func TestAnApprovalRequestNotifiesTheSupervisors(t *testing.T) {
	h := newClockHarness(t, true)
	c := h.supervisorCase(2, "TM499100")
	if r := h.harness.event(store.RoleAgent, int64(c["id"].(float64)), "approval.requested", map[string]any{"kind": "compensation", "amount": 80}); r.status != 200 {
		t.Fatalf("request: %d %s", r.status, r.raw)
	}
	r := h.do(store.RoleSupervisor, "GET", "/api/v1/notifications", nil)
	if r.status != 200 || !strings.Contains(string(r.raw), "申请审批") || !strings.Contains(string(r.raw), `"approval"`) {
		t.Fatalf("the supervisor was not told: %d %s", r.status, r.raw)
	}
}
