package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/web/webtest"
)

func TestSupervisorAssignsOnTheCasePageAndUnknownAssigneesAreRefused(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	c := env.CreateCase(webtest.Agent, webtest.Intake("TB600700800"), "杯子碎了")
	boss := env.Login(webtest.Supervisor)
	page := "/cases/" + itoa(c.ID)
	expect(t, boss.Get(page), http.StatusOK, `id="assign-form"`, `<option value="xiaoli">小李`)
	expect(t, boss.PostForm(page+"/assign", url.Values{"assignee": {"nobody"}}), http.StatusUnprocessableEntity, "用户「nobody」不存在")
	expect(t, boss.PostForm(page+"/assign", url.Values{"assignee": {webtest.Agent2}}), http.StatusSeeOther)
	got, _ := env.Desk.Get(context.Background(), c.ID)
	if got.Assignee != webtest.Agent2 {
		t.Fatalf("assignee %q", got.Assignee)
	}
	// Back to 待分配: the agent sees it there and claims it.
	expect(t, boss.PostForm(page+"/assign", url.Values{"assignee": {""}}), http.StatusSeeOther)
	agent := env.Login(webtest.Agent)
	expect(t, agent.Get("/unassigned"), http.StatusOK, "待分配", "TB600700800")
	b := expect(t, agent.Get(page), http.StatusOK, `id="claim-btn"`)
	if strings.Contains(b, `id="assign-form"`) {
		t.Fatal("an agent sees the supervisor's 分配 control")
	}
	expect(t, agent.PostForm(page+"/assign", url.Values{"claim": {"1"}}), http.StatusSeeOther)
	if got, _ = env.Desk.Get(context.Background(), c.ID); got.Assignee != webtest.Agent {
		t.Fatalf("claimed by %q", got.Assignee)
	}
}

func TestHeaderSwitchesOnlineAndAwayAndShowsUnreadNotifications(t *testing.T) {
	env := webtest.New(t, webtest.Options{Timers: true})
	agent := env.Login(webtest.Agent)
	expect(t, agent.Get("/queue"), http.StatusOK, `id="my-status"`, "下线", "上线接单")
	expect(t, agent.PostForm("/me/status", url.Values{"status": {"online"}, "back": {"/queue"}}), http.StatusSeeOther)
	expect(t, agent.Get("/queue"), http.StatusOK, "在线", "切换为离开")
	p, _ := env.Desk.Profile(context.Background(), webtest.Agent)
	if p.Status != "online" {
		t.Fatalf("status %q", p.Status)
	}
	in := webtest.Intake("TB600700801")
	in.Level = 1
	env.CreateCase(webtest.Agent, in, "杯子碎了")
	advance(t, env, 2*time.Hour, 2) // 80 % warning, then the first-response breach
	b := expect(t, agent.Get("/notifications"), http.StatusOK, "通知", "首次响应超时", "超时", "即将超时")
	if !strings.Contains(b, `id="unread" class="unread">2<`) {
		t.Fatalf("header unread count missing:\n%s", excerpt(b))
	}
	expect(t, agent.PostForm("/notifications/read", nil), http.StatusSeeOther)
	if b := body(t, agent.Get("/queue")); !strings.Contains(b, `id="unread" class="unread" hidden>0<`) {
		t.Fatalf("unread after reading all:\n%s", excerpt(b))
	}
	boss := env.Login(webtest.Supervisor)
	expect(t, boss.Get("/notifications"), http.StatusOK, "首次响应超时")
}
