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

// waitFired advances the environment's clock and waits until the scheduler has fired
// at least n timers in all.
func advance(t *testing.T, env *webtest.Env, by time.Duration, n int64) {
	t.Helper()
	env.Clock.Advance(by)
	deadline := time.Now().Add(10 * time.Second)
	for env.Scheduler.Fired() < n {
		if time.Now().After(deadline) {
			t.Fatalf("only %d timers fired, want %d", env.Scheduler.Fired(), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestQueueShowsFirstResponseAndResolutionBreachesApart(t *testing.T) {
	env := webtest.New(t, webtest.Options{Timers: true})
	silent := env.CreateCase(webtest.Agent, webtest.Intake("TB500600700"), "杯子碎了")
	answered := env.CreateCase(webtest.Agent, webtest.Intake("TB500600701"), "杯子碎了")
	agent := env.Login(webtest.Agent)
	expect(t, agent.PostForm("/cases/"+itoa(answered.ID)+"/sent", url.Values{"text": {"亲,非常抱歉,我们马上处理"}}), http.StatusSeeOther)
	advance(t, env, 5*time.Hour, 2) // level 2: respond within 4 h; the silent case warns, then breaches
	b := expect(t, agent.Get("/queue?overdue=response"), http.StatusOK, "TB500600700", "首响超时")
	if strings.Contains(b, "TB500600701") {
		t.Fatal("the answered case is listed as a first-response breach")
	}
	b = expect(t, agent.Get("/queue?overdue=resolve"), http.StatusOK)
	if strings.Contains(b, "TB500600700") || strings.Contains(b, "TB500600701") {
		t.Fatal("a resolution breach listed at +5 h")
	}
	expect(t, agent.Get("/cases/"+itoa(silent.ID)), http.StatusOK, "首响超时", "首次响应超时")
	expect(t, agent.Get("/queue?overdue=soon"), http.StatusBadRequest, "超时筛选须为")
}

func TestCasePagePausesAndResumesTheClockAndShowsThePausedTime(t *testing.T) {
	env := webtest.New(t, webtest.Options{Timers: true})
	c := env.CreateCase(webtest.Agent, webtest.Intake("TB500600702"), "杯子碎了")
	agent := env.Login(webtest.Agent)
	page := "/cases/" + itoa(c.ID)
	expect(t, agent.PostForm(page+"/pause", url.Values{"reason": {"third_party"}}), http.StatusSeeOther)
	expect(t, agent.Get(page), http.StatusOK, "时限暂停中(等待第三方)", "恢复计时")
	env.Clock.Advance(3 * time.Hour)
	expect(t, agent.PostForm(page+"/resume", nil), http.StatusSeeOther)
	expect(t, agent.Get(page), http.StatusOK, "累计暂停 3小时0分", "时限恢复")
	got, _ := env.Desk.Get(context.Background(), c.ID)
	if want := webtest.TimersStart.Add(51 * time.Hour); !got.ResolveDueAt.Equal(want) {
		t.Fatalf("resolve due %v, want %v", got.ResolveDueAt, want)
	}
}
