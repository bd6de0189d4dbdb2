package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/web/webtest"
)

func TestTrainingPagesKeepPracticeToItsTraineeAndTrainersAndExamsHideTheGuide(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	agent, other, sup := env.Login(webtest.Agent), env.Login(webtest.Agent2), env.Login(webtest.Supervisor)

	resp := agent.PostForm("/training/start", url.Values{"scenario_id": {"quality-flaw"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("start: %d %s", resp.StatusCode, body(t, resp))
	}
	practice := resp.Header.Get("Location")
	page := body(t, agent.Get(practice))
	for _, want := range []string{"培训", "练习工单", "跳过48小时", "结束练习并评分", "SOP 指引", "回复顾客"} {
		if !strings.Contains(page, want) {
			t.Errorf("practice case page lacks %q", want)
		}
	}
	if r := other.Get(practice); r.StatusCode != http.StatusNotFound {
		t.Errorf("another agent opened the practice case: %d", r.StatusCode)
	}
	if r := sup.Get(practice); r.StatusCode != http.StatusOK {
		t.Errorf("the trainer cannot open it: %d", r.StatusCode)
	}
	if r := other.PostForm(practice+"/remark", url.Values{"text": {"破损，已处理"}}); r.StatusCode != http.StatusNotFound {
		t.Errorf("another agent wrote on the practice case: %d", r.StatusCode)
	}
	if r := agent.PostForm("/training/assign", url.Values{"trainee": {webtest.Agent2}, "scenario_id": {"quality-flaw"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("an agent assigned training: %d", r.StatusCode)
	}

	// An exam: the trainer assigns it, the guide shows no hints, one attempt only.
	if r := sup.PostForm("/training/assign", url.Values{"trainee": {webtest.Agent2}, "scenario_id": {"quality-damaged"}, "exam": {"1"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("assign exam: %d %s", r.StatusCode, body(t, r))
	}
	as, err := env.Training.Assignments(context.Background(), desk.Actor{Name: webtest.Agent2, Role: store.RoleAgent}, "")
	if err != nil || len(as) != 1 || !as[0].Exam {
		t.Fatalf("assignments: %+v %v", as, err)
	}
	if !strings.Contains(body(t, other.Get("/training")), "考试") {
		t.Error("the trainee's 培训 page does not show the exam")
	}
	start := url.Values{"assignment_id": {fmt.Sprint(as[0].ID)}}
	resp = other.PostForm("/training/start", start)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("exam start: %d %s", resp.StatusCode, body(t, resp))
	}
	exam := body(t, other.Get(resp.Header.Get("Location")))
	if !strings.Contains(exam, "考试模式:不显示SOP指引") || strings.Contains(exam, "请顾客提供清晰面单") {
		t.Error("the exam's case page shows the guide's instruction")
	}
	if r := other.PostForm("/training/start", start); r.StatusCode != http.StatusConflict {
		t.Errorf("a second exam attempt: %d", r.StatusCode)
	}
	// The trainer's page lists the exam attempt.
	if !strings.Contains(body(t, sup.Get("/training")), "茶吧机外箱压扁") {
		t.Error("the trainer's 培训 page does not list the attempt")
	}
}
