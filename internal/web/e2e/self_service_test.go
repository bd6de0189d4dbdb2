package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/web/webtest"
)

// TestSupervisorAndAdminRunTheSOPFromTheWorkbench: a supervisor edits a script and sees
// the lint warning appear as she types, and merges a duplicate case after its preview;
// an admin uploads a policy file with an error (refused with the file, the line and the
// cause), then a correct one (dry run, apply), and the new limit holds on the next write.
func TestSupervisorAndAdminRunTheSOPFromTheWorkbench(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	root := browser(t)
	out := outDir(t)

	boss := newTab(t, root, env.Server.URL, "主管")
	boss.login(webtest.Supervisor)
	boss.open("/scripts/soothe-01")
	boss.do("type", chromedp.Clear(chromedp.ID("script-text")), chromedp.SendKeys(chromedp.ID("script-text"), "亲，这个不能退款"))
	boss.contains("#lint", "否定词“不能”缺少解释")
	boss.submit("save", "#script-save")
	boss.contains("#flash", "话术已保存")
	boss.contains("#script-history", "保存", "这个不能退款")
	boss.screenshot(out, "script.png")

	first := env.CreateCase(webtest.Agent, webtest.Intake("TB555000111"), "杯子碎了")
	dup := env.CreateCase(webtest.Agent, webtest.Intake("TB555000111"), "杯子碎了，怎么还没人理")
	boss.open("/cases/" + fmt.Sprint(dup.ID))
	boss.submit("merge link", "#merge-link")
	boss.submit("pick", "#merge-candidates a")
	boss.contains("#merge-preview", "操作记录全部保留", "#"+fmt.Sprint(first.ID))
	boss.submit("confirm", "#merge-confirm")
	boss.contains("#flash", "已合并到本工单")
	if got, _ := env.Desk.Get(context.Background(), dup.ID); got.Status != cases.StatusMerged {
		t.Fatalf("the duplicate is %s", got.Status)
	}

	admin := newTab(t, root, env.Server.URL, "管理员")
	admin.login(webtest.Admin)
	admin.open("/sop")
	admin.do("bad file", chromedp.SendKeys(chromedp.ID("policy-text"), "role_limits:\n  agent: 80\n  agnet: 90\n"))
	admin.submit("preview", "#policy-preview")
	admin.contains("#policy-error", "policy.yaml", "agnet")
	if msg := admin.text("#policy-error"); !strings.Contains(msg, "3:") && !strings.Contains(msg, "line 3") {
		t.Fatalf("the refusal does not name the line: %s", msg)
	}
	admin.do("good file", chromedp.Clear(chromedp.ID("policy-text")), chromedp.SendKeys(chromedp.ID("policy-text"), "role_limits:\n  agent: 80\n"))
	admin.submit("preview", "#policy-preview")
	admin.contains("#policy-dry-run", "客服可直接给出的金额上限(元)", "80")
	admin.screenshot(out, "policy-dry-run.png")
	admin.submit("apply", "#policy-apply")
	admin.contains("#flash", "新的金额规则已生效")

	agent := newTab(t, root, env.Server.URL, "客服")
	agent.login(webtest.Agent)
	agent.open("/cases/" + fmt.Sprint(first.ID))
	agent.contains("#limit", "80.00")
	agent.do("amount", chromedp.SetValue(chromedp.ID("sol-kind"), "compensation"), chromedp.SendKeys(chromedp.ID("sol-amount"), "70"))
	agent.contains("#sol-check", "在你的补偿权限内")
	agent.submit("offer", `#solution-form button[value="offered"]`)
	agent.contains("#flash", "补偿 70元")
}
