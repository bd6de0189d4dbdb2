package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/shouhou/shouhou/internal/web/webtest"
)

// TestBreachNotificationArrivesWithoutReload: the agent and the supervisor sit on
// their queues in two browsers; the clock passes a level-1 case's first-response
// deadline; the breach appears in both headers' 通知 counts and as a toast, with no
// reload (the page's marker set before the breach survives).
func TestBreachNotificationArrivesWithoutReload(t *testing.T) {
	root := browser(t)
	out := outDir(t)
	env := webtest.New(t, webtest.Options{Timers: true})
	in := webtest.Intake("TB700800900")
	in.Level = 1
	c := env.CreateCase(webtest.Agent, in, "孩子用的水杯碎了,很危险")

	agent := newTab(t, root, env.Server.URL, "agent")
	agent.login(webtest.Agent)
	boss := newTab(t, root, env.Server.URL, "supervisor")
	boss.login(webtest.Supervisor)
	for _, b := range []*tab{agent, boss} {
		b.eval(`window.__noReload = true`)
		// The stream is open once the first snapshot set the count.
		ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`window.__streamed === true`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
			t.Fatalf("%s: the 通知 stream did not open: %v", b.name, err)
		}
		cancel()
	}

	env.Clock.Advance(2 * time.Hour) // 80 % warning (agent only), then the breach (agent and supervisor)
	agent.contains("#toasts", "超时", "首次响应超时", fmt.Sprintf("#%d", c.ID))
	agent.contains("#unread", "2")
	boss.contains("#toasts", "首次响应超时")
	boss.contains("#unread", "1")
	for _, b := range []*tab{agent, boss} {
		if b.eval(`window.__noReload === true`) != true {
			t.Fatalf("%s: the page reloaded", b.name)
		}
	}
	agent.screenshot(out, "breach-notification.png")
	agent.submit("open the toast", "#toasts a.kind-breach")
	if got := agent.caseID(); got != fmt.Sprint(c.ID) {
		t.Fatalf("the toast opened case %s", got)
	}
}
