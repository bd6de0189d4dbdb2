package api

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/auth"
	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/clock"
	"github.com/shouhou/shouhou/internal/config"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/sop"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/store/sqlstore"
	"github.com/shouhou/shouhou/internal/training"
)

// trainingHarness is the API harness with a training space beside the shop's store.
func trainingHarness(t *testing.T) (*harness, *training.Space) {
	t.Helper()
	h := newHarness(t)
	ctx := context.Background()
	space, err := sqlstore.OpenSQLite(ctx, filepath.Join(h.dir, "training.db"), sqlstore.SQLiteOptions{Synchronous: "NORMAL"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { space.Close() })
	if err := space.StartCaseIDsAt(ctx, cases.TrainingCaseBase); err != nil {
		t.Fatal(err)
	}
	rules, err := sop.Load(sop.Files{})
	if err != nil {
		t.Fatal(err)
	}
	set, err := training.Load(rules.Flows, training.DefaultScenarios())
	if err != nil {
		t.Fatal(err)
	}
	scripts, _ := desk.NewScriptBook(h.store, nil, 0)
	opts := desk.Opts{Store: h.store, SLA: clock.DefaultSLA(), Rules: rules.Engine, Limits: rules.Policy, Scripts: scripts,
		FollowUp: config.Default().FollowUp, Quality: config.Default().Alerts, Users: h.store}
	real := desk.New(opts)
	blobs := h.api.blobs.(training.Blobs)
	sp, err := training.NewSpace(ctx, training.Opts{Desk: opts, Cases: space, SOP: h.store, Records: h.store, Scenarios: set, Flows: rules.Flows, Blobs: blobs, Real: real})
	if err != nil {
		t.Fatal(err)
	}
	s := New(Opts{Desk: real, Auth: h.auth, Blobs: h.api.blobs, Scripts: scripts, Health: h.store, Training: sp})
	h.api = s
	h.srv.Config.Handler = s.Handler()
	u, err := h.auth.AddUser(ctx, auth.NewUser{Username: "agent2", Role: store.RoleAgent, Password: "password1"})
	if err != nil {
		t.Fatal(err)
	}
	tok, _, _ := h.auth.CreateToken(ctx, u.ID, "test")
	h.tokens["agent2"] = tok
	return h, sp
}

func idOf(v any) int64 { f, _ := v.(float64); return int64(f) }

func TestPracticeCasesNeverAppearInQueuesSearchRegisterReportsOrNotifications(t *testing.T) {
	h, sp := trainingHarness(t)
	ctx := context.Background()
	realID := h.createCase()
	r := h.do(store.RoleAgent, "POST", "/api/v1/training/attempts", map[string]any{"scenario_id": "quality-flaw"})
	if r.status != http.StatusCreated {
		t.Fatalf("start: %d %s", r.status, r.raw)
	}
	attemptID, caseID := idOf(r.body["id"]), idOf(r.body["case_id"])
	if !cases.IsTrainingCase(caseID) || cases.IsTrainingCase(realID) {
		t.Fatalf("practice case %d / real case %d in the wrong ranges", caseID, realID)
	}
	// The trainee works it through the ordinary case routes; the customer answers.
	path := fmt.Sprintf("/api/v1/cases/%d", caseID)
	if r := h.do(store.RoleAgent, "GET", path, nil); r.status != http.StatusOK || r.body["order_no"] != "TB3390055120" {
		t.Fatalf("practice case through the case route: %d %s", r.status, r.raw)
	}
	r = h.do(store.RoleAgent, "POST", path+"/events", map[string]any{"type": "message.sent", "payload": map[string]any{"text": "您好，麻烦您拍一下内件照片发给我看看瑕疵在哪里"}})
	if r.status != http.StatusOK {
		t.Fatalf("reply: %d %s", r.status, r.raw)
	}
	r = h.do(store.RoleAgent, "GET", path+"/events", nil)
	if !strings.Contains(string(r.raw), training.CustomerActor) || !strings.Contains(string(r.raw), "evidence.added") {
		t.Fatalf("the simulated customer did not answer with the photo: %s", r.raw)
	}
	if r := h.do(store.RoleAgent, "POST", path+"/upload-links", nil); r.status != http.StatusUnprocessableEntity || r.body["code"] != "practice_no_link" {
		t.Errorf("an upload link for a practice case: %d %s", r.status, r.raw)
	}
	if r := h.do("agent2", "GET", path, nil); r.status != http.StatusNotFound {
		t.Errorf("another agent opened the practice case: %d", r.status)
	}
	if r := h.do(store.RoleSupervisor, "GET", path, nil); r.status != http.StatusOK {
		t.Errorf("the trainer cannot open the practice case: %d %s", r.status, r.raw)
	}
	// The rest as the model trainee (closed, registered, followed up, a payout made).
	if err := sp.Model(ctx, desk.Actor{Name: "agent1", Role: store.RoleAgent}, attemptID, training.SlipNone); err != nil {
		t.Fatal(err)
	}
	r = h.do(store.RoleAgent, "POST", fmt.Sprintf("/api/v1/training/attempts/%d/finish", attemptID), nil)
	if r.status != http.StatusOK {
		t.Fatalf("finish: %d %s", r.status, r.raw)
	}
	score := r.body["score"].(map[string]any)
	if score["points"] != score["max"] {
		t.Errorf("model trainee through the API scored %v/%v", score["points"], score["max"])
	}

	practiceOrder := "TB3390055120"
	lists := []string{"/api/v1/cases", "/api/v1/cases?status=closed", "/api/v1/cases?status=open", "/api/v1/cases?assignee=me",
		"/api/v1/cases?unassigned=true", "/api/v1/cases?q=" + practiceOrder, "/api/v1/cases?q=林小姐", "/api/v1/cases?type=quality.flaw",
		"/api/v1/cases?sort=due", "/api/v1/approvals", "/api/v1/payouts", "/api/v1/alerts", "/api/v1/notifications"}
	for _, l := range lists {
		for _, role := range []store.Role{store.RoleAgent, store.RoleSupervisor} {
			r := h.do(role, "GET", l, nil)
			if r.status == http.StatusForbidden && role == store.RoleAgent {
				continue // a supervisor's list
			}
			if r.status != http.StatusOK {
				t.Fatalf("%s: %d %s", l, r.status, r.raw)
			}
			if strings.Contains(string(r.raw), practiceOrder) || strings.Contains(string(r.raw), fmt.Sprint(caseID)) {
				t.Errorf("%s as %s shows the practice case: %s", l, role, r.raw)
			}
		}
	}
	if r := h.do(store.RoleAgent, "GET", "/api/v1/cases?q=TM88001", nil); !strings.Contains(string(r.raw), "TM88001") {
		t.Fatalf("the real case is missing from search: %s", r.raw)
	}
	for _, format := range []string{"csv", "xlsx"} {
		r := h.do(store.RoleSupervisor, "GET", "/api/v1/register?format="+format+"&status=closed", nil)
		if r.status != http.StatusOK || strings.Contains(string(r.raw), practiceOrder) {
			t.Errorf("register %s: %d, holds the practice case: %v", format, r.status, strings.Contains(string(r.raw), practiceOrder))
		}
	}
	r = h.do(store.RoleSupervisor, "GET", "/api/v1/payouts.csv", nil)
	if strings.Contains(string(r.raw), practiceOrder) {
		t.Errorf("the payout list holds the practice payout: %s", r.raw)
	}
	day := time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02")
	r = h.do(store.RoleSupervisor, "GET", "/api/v1/reports/summary?from="+day+"&to="+day, nil)
	if r.status != http.StatusOK {
		t.Fatalf("report: %d %s", r.status, r.raw)
	}
	if strings.Contains(string(r.raw), "quality.flaw") || strings.Contains(string(r.raw), "碎花连衣裙") {
		t.Errorf("the report counts the practice case: %s", r.raw)
	}
	// A practice case cannot be merged into, or take, a real one.
	if r := h.do(store.RoleAgent, "POST", path+"/merge", map[string]any{"into": realID}); r.status < 400 {
		t.Errorf("merged a practice case into a real one: %d %s", r.status, r.raw)
	}
}

func TestTrainerAssignsSeesScoreCardsBeforeAfterAndAnExamTakesOneAttempt(t *testing.T) {
	h, sp := trainingHarness(t)
	ctx := context.Background()
	r := h.do(store.RoleAgent, "POST", "/api/v1/training/assignments", map[string]any{"trainee": "agent1", "scenarios": []string{"quality-damaged"}})
	if r.status != http.StatusForbidden {
		t.Errorf("an agent assigned training: %d", r.status)
	}
	r = h.do(store.RoleSupervisor, "POST", "/api/v1/training/assignments", map[string]any{"trainee": "nobody", "scenarios": []string{"quality-damaged"}})
	if r.status != http.StatusUnprocessableEntity || r.body["field"] != "trainee" {
		t.Errorf("assigning to an unknown trainee: %d %s", r.status, r.raw)
	}
	// The warehouse cannot open the workbench: it cannot practise on it either.
	r = h.do(store.RoleSupervisor, "POST", "/api/v1/training/assignments", map[string]any{"trainee": "warehouse1", "scenarios": []string{"quality-damaged"}})
	if r.status != http.StatusUnprocessableEntity || r.body["field"] != "trainee" || !strings.Contains(fmt.Sprint(r.body["message"]), "客服或主管") {
		t.Errorf("assigning to the warehouse: %d %s", r.status, r.raw)
	}
	r = h.do(store.RoleSupervisor, "POST", "/api/v1/training/assignments", map[string]any{"trainee": "agent1", "scenarios": []string{"no-such"}})
	if r.status != http.StatusUnprocessableEntity || r.body["field"] != "scenarios[0]" {
		t.Errorf("assigning an unknown scenario: %d %s", r.status, r.raw)
	}
	r = h.do(store.RoleSupervisor, "POST", "/api/v1/training/assignments", map[string]any{"trainee": "agent1", "scenarios": []string{"quality-flaw", "quality-size"}, "exam": true})
	if r.status != http.StatusCreated {
		t.Fatalf("assign: %d %s", r.status, r.raw)
	}
	exam := idOf(r.body["assignments"].([]any)[0].(map[string]any)["id"])
	agent := desk.Actor{Name: "agent1", Role: store.RoleAgent}
	// First attempt with a bad remark, the exam attempt by the SOP.
	first, err := sp.Start(ctx, agent, "quality-flaw", 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := sp.Model(ctx, agent, first.ID, training.SlipBadRemark); err != nil {
		t.Fatal(err)
	}
	h.do(store.RoleAgent, "POST", fmt.Sprintf("/api/v1/training/attempts/%d/finish", first.ID), nil)
	r = h.do(store.RoleAgent, "POST", "/api/v1/training/attempts", map[string]any{"assignment_id": exam})
	if r.status != http.StatusCreated || r.body["exam"] != true {
		t.Fatalf("exam start: %d %s", r.status, r.raw)
	}
	latest, examCase := idOf(r.body["id"]), idOf(r.body["case_id"])
	examShowsNoHints(t, h, examCase, first.CaseID)
	if r := h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d/guide", first.CaseID), nil); r.status != http.StatusOK {
		t.Errorf("free practice's guide: %d %s", r.status, r.raw)
	}
	if r := h.do(store.RoleAgent, "POST", "/api/v1/training/attempts", map[string]any{"assignment_id": exam}); r.status != http.StatusConflict {
		t.Errorf("a second exam attempt: %d %s", r.status, r.raw)
	}
	if r := h.do("agent2", "POST", "/api/v1/training/attempts", map[string]any{"assignment_id": exam}); r.status != http.StatusNotFound {
		t.Errorf("another agent took agent1's exam: %d %s", r.status, r.raw)
	}
	if err := sp.Model(ctx, agent, latest, training.SlipNone); err != nil {
		t.Fatal(err)
	}
	h.do(store.RoleAgent, "POST", fmt.Sprintf("/api/v1/training/attempts/%d/finish", latest), nil)
	if r := h.do("agent2", "GET", fmt.Sprintf("/api/v1/training/attempts/%d", latest), nil); r.status != http.StatusNotFound {
		t.Errorf("another agent read the score card: %d", r.status)
	}
	r = h.do(store.RoleSupervisor, "GET", fmt.Sprintf("/api/v1/training/attempts/%d", first.ID), nil)
	card := r.body["score"].(map[string]any)
	if r.status != http.StatusOK || card["points"] == card["max"] {
		t.Fatalf("trainer's view of the first attempt: %d %s", r.status, r.raw)
	}
	r = h.do(store.RoleSupervisor, "GET", "/api/v1/training/compare?trainee=agent1", nil)
	if r.status != http.StatusOK || idOf(r.body["first_attempt"]) != first.ID || idOf(r.body["latest_attempt"]) != latest {
		t.Fatalf("compare: %d %s", r.status, r.raw)
	}
	for _, l := range r.body["rules"].([]any) {
		line := l.(map[string]any)
		if line["rule"] == training.RuleRemark && (line["before"] != "0/10" || line["after"] != "10/10") {
			t.Errorf("remark before/after: %v", line)
		}
	}
	r = h.do(store.RoleAgent, "GET", "/api/v1/training/scenarios", nil)
	if strings.Contains(string(r.raw), "\"model\"") || strings.Contains(string(r.raw), "外面的箱子都压扁了") {
		t.Errorf("an agent sees the model handling or the hidden facts")
	}
	if r := h.do(store.RoleAgent, "GET", "/api/v1/training/scenarios/quality-damaged", nil); r.status != http.StatusForbidden {
		t.Errorf("an agent read the answer key: %d", r.status)
	}
}

func TestReplayTurnsAClosedRealCaseIntoAMaskedScenario(t *testing.T) {
	h, _ := trainingHarness(t)
	body := newCaseBody()
	body["customer_phone"] = "13812341234"
	body["first_message"] = "我是刘女士，电话13812341234，杯子裂了"
	r := h.do(store.RoleAgent, "POST", "/api/v1/cases", body)
	id := idOf(r.body["id"])
	if r := h.do(store.RoleSupervisor, "POST", "/api/v1/training/replays", map[string]any{"case_id": id}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("replayed an open case: %d %s", r.status, r.raw)
	}
	path := fmt.Sprintf("/api/v1/cases/%d", id)
	h.do(store.RoleAgent, "POST", path+"/remarks", map[string]any{"text": "破损，补偿10元已发"})
	if r := h.do(store.RoleAgent, "POST", path+"/close", map[string]any{}); r.status != http.StatusOK {
		t.Fatalf("close: %d %s", r.status, r.raw)
	}
	if r := h.do(store.RoleAgent, "POST", "/api/v1/training/replays", map[string]any{"case_id": id}); r.status != http.StatusForbidden {
		t.Errorf("an agent made a scenario: %d", r.status)
	}
	r = h.do(store.RoleSupervisor, "POST", "/api/v1/training/replays", map[string]any{"case_id": id, "id": "cup-cracked"})
	if r.status != http.StatusCreated {
		t.Fatalf("replay: %d %s", r.status, r.raw)
	}
	raw := string(r.raw)
	if strings.Contains(raw, "13812341234") || strings.Contains(raw, "刘女士") || strings.Contains(raw, "TM88001") {
		t.Errorf("the scenario leaks the customer's data: %s", raw)
	}
	if !strings.Contains(raw, "138****1234") || !strings.Contains(raw, "顾客女士") {
		t.Errorf("phone not masked as 138****1234 or name not replaced: %s", raw)
	}
	r = h.do(store.RoleAgent, "POST", "/api/v1/training/attempts", map[string]any{"scenario_id": "cup-cracked"})
	if r.status != http.StatusCreated {
		t.Fatalf("practising the replay: %d %s", r.status, r.raw)
	}
	if r := h.do(store.RoleSupervisor, "POST", "/api/v1/training/replays", map[string]any{"case_id": id, "id": "cup-cracked"}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("a second scenario with the same id: %d", r.status)
	}
}

// examShowsNoHints: an exam's guide and scripts answer what the workbench shows then,
// the case's step and its questions without the hints a free practice gets; a reply
// stacked from the library's scripts stays refused.
func examShowsNoHints(t *testing.T, h *harness, examCase, practiceCase int64) {
	t.Helper()
	guide := func(id int64) (reply, map[string]any) {
		r := h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d/guide", id), nil)
		g, _ := r.body["guide"].(map[string]any)
		return r, g
	}
	r, g := guide(examCase)
	if r.status != http.StatusOK || r.body["exam"] != true || g == nil {
		t.Fatalf("an exam's guide: %d %s", r.status, r.raw)
	}
	step, _ := g["step"].(map[string]any)
	if step == nil || step["stage"] == "" || step["instruction"] != training.ExamInstruction {
		t.Errorf("an exam's step: %v", g["step"])
	}
	for _, hint := range []string{"missing_evidence", "scripts", "violations", "flags", "notices", "timers"} {
		if v, ok := g[hint]; ok {
			t.Errorf("an exam's guide shows %s: %v", hint, v)
		}
	}
	if na, _ := g["next_actions"].([]any); len(na) != 0 {
		t.Errorf("an exam's guide shows next actions: %v", na)
	}
	for _, o := range asList(g["solutions"]) {
		o := o.(map[string]any)
		if o["rule"] != nil || o["note"] != nil || o["suggested"] != nil {
			t.Errorf("an exam's solution shows its reasons: %v", o)
		}
	}
	// The same step in free practice has its instruction and its evidence to ask for.
	if r, g := guide(practiceCase); r.status != http.StatusOK || r.body["exam"] != nil || g["step"].(map[string]any)["instruction"] == training.ExamInstruction {
		t.Errorf("free practice's guide: %d %s", r.status, r.raw)
	}
	r = h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d/scripts", examCase), nil)
	if r.status != http.StatusOK || r.body["exam"] != true || len(asList(r.body["scripts"])) != 0 || r.body["stage"] != step["stage"] {
		t.Errorf("an exam's scripts: %d %s", r.status, r.raw)
	}
	r = h.do(store.RoleAgent, "POST", fmt.Sprintf("/api/v1/cases/%d/reply", examCase), map[string]any{"script_ids": []string{"soothe-01"}})
	if r.status != http.StatusForbidden || r.body["code"] != "exam_no_hints" {
		t.Errorf("an exam's reply from scripts: %d %s", r.status, r.raw)
	}
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}
