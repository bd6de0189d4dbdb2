package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/shouhou/shouhou/internal/web/webtest"
)

// TestTraineeCompletesADamagedItemScenarioWithA48HourWaitAndTheTrainerSeesTheScore:
// the 培训 simulator in the workbench. The trainee starts the damaged-item scenario,
// soothes the angry customer, asks for photos (the customer is away: 跳过48小时 on the
// practice clock brings them), asks about the outer package, records it, offers and
// settles a reship, ships it, remarks, registers, closes, makes the 回访 visit and
// finishes: the score card shows full marks; the trainer sees the same card.
func TestTraineeCompletesADamagedItemScenarioWithA48HourWaitAndTheTrainerSeesTheScore(t *testing.T) {
	root := browser(t)
	env := webtest.New(t, webtest.Options{})
	out := outDir(t)
	trainee := newTab(t, root, env.Server.URL, "学员")
	trainee.login(webtest.Agent)
	trainee.open("/training")
	trainee.contains("h1", "培训")
	trainee.submit("开始练习", `button.start-scenario[data-scenario="quality-damaged"]`)
	id := trainee.caseID()
	if !strings.HasPrefix(id, "1000000000") {
		t.Fatalf("practice case number %s is not in the training range", id)
	}
	trainee.contains("#practice", "培训", "练习工单", "茶吧机外箱压扁")
	trainee.contains("#practice-chat", "机器都裂了")

	say := func(text, answer string) {
		t.Helper()
		trainee.do("chat", chromedp.SetValue(chromedp.ID("chat-text"), text))
		trainee.submit("发送", "#chat-send")
		trainee.contains("#practice-chat", answer)
	}
	say("非常抱歉给您添麻烦了，理解您的心情，我一定全程跟进，今天给您明确答复。", "你们")
	say("麻烦您拍一下外箱六面照、面单和内件照片发给我，我马上帮您核实。", "48小时后")
	if n := trainee.eval(`document.querySelectorAll(".evidence-list figure").length`); n != float64(0) {
		t.Fatalf("photos before the wait: %v", n)
	}
	trainee.screenshot(out, "training-1-waiting.png")

	// The customer is away for two days: one click on the practice clock.
	clockBefore := trainee.text("#practice-clock")
	trainee.submit("跳过48小时", "#skip-btn")
	trainee.contains("#flash", "跳过48小时")
	if after := trainee.text("#practice-clock"); after == clockBefore {
		t.Fatalf("the practice clock did not move: %s", after)
	}
	trainee.contains("#practice-chat", "照片拍好了")
	if n := trainee.eval(`document.querySelectorAll(".evidence-list figure").length`); n != float64(3) {
		t.Fatalf("after 48 hours %v photos, want 3", n)
	}

	say("想跟您确认一下外包装的情况，方便说一下吗？", "箱子都压扁了")
	trainee.submit("外包装严重破损", `button[data-fact="outer_package=severe"]`)
	trainee.contains("#guide", "快递")

	// Reship: offered, accepted, shipped.
	trainee.do("offer", chromedp.SetValue(chromedp.ID("sol-kind"), "reship"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("details.exec-open").open = true`),
		chromedp.SetValue(chromedp.ID("exec-items"), "CB-T8 茶吧机×1"))
	trainee.submit("提出方案", `#solutions button[value="offered"]`)
	trainee.contains("#practice-chat", "补发")
	trainee.do("accept", chromedp.SetValue(chromedp.ID("sol-kind"), "reship"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("details.exec-open").open = true`),
		chromedp.SetValue(chromedp.ID("exec-items"), "CB-T8 茶吧机×1"))
	trainee.submit("顾客同意", "#sol-accept")
	trainee.contains("#executions", "补发")
	trainee.do("ship", chromedp.SetValue(chromedp.CSS(`#executions .exec-form select[name="to"]`), "shipped"),
		chromedp.SetValue(chromedp.CSS(`#executions .exec-form input[name="courier"]`), "中通"),
		chromedp.SetValue(chromedp.CSS(`#executions .exec-form input[name="tracking_no"]`), "73512100022331"))
	trainee.submit("更新执行", `#executions .exec-form button[type=submit]`)
	trainee.contains("#practice-chat", "收到单号")

	trainee.do("remark", chromedp.SetValue(chromedp.ID("remark-text"), "破损，补发已寄出，已向快递索赔"))
	trainee.submit("备注", `#remark-form button[type=submit]`)
	trainee.submit("登记", "#register-btn")
	trainee.submit("结案", "#close-btn")
	trainee.contains("#case-status", "已结案")
	trainee.do("回访", chromedp.Click(chromedp.CSS(`#followup-form input[name="csat"][value="5"]`)),
		chromedp.Click(chromedp.CSS(`#followup-form input[name="solved"][value="yes"]`)))
	trainee.submit("记录回访", "#followup-btn")
	trainee.screenshot(out, "training-2-case.png")

	trainee.submit("结束练习并评分", "#finish-btn")
	trainee.contains("#score-total", "100分")
	for _, rule := range []string{"先安抚情绪", "先要凭证再定方案", "按方案阶梯", "首次响应及时", "备注「问题描述+进度」", "登记表格", "回访"} {
		trainee.contains(`#score-card tr[data-rule="`+rule+`"]`, "10/10")
	}
	if lost := trainee.eval(`document.querySelectorAll("#score-card tr.lost").length`); lost != float64(0) {
		t.Fatalf("the SOP-following trainee lost %v lines", lost)
	}
	trainee.screenshot(out, "training-3-score.png")

	trainer := newTab(t, root, env.Server.URL, "主管")
	trainer.login(webtest.Supervisor)
	trainer.open("/training")
	trainer.contains("#attempts", "茶吧机外箱压扁", "小美")
	trainer.submit("评分卡", "#attempts a.card-link")
	trainer.contains("#score-total", "100分")
	trainer.contains("#score-card", "定方案前已收到外箱六面照、面单照片、内件照片")
	trainer.screenshot(out, "training-4-trainer.png")

	// The practice case is in none of the team's lists.
	for _, path := range []string{"/team", "/queue", "/unassigned", "/register?stage=closed", "/followups"} {
		trainer.open(path)
		if txt, _ := trainer.eval(`document.querySelector("main").innerText`).(string); strings.Contains(txt, id) || strings.Contains(txt, "TM2026120101") {
			t.Errorf("%s shows the practice case", path)
		}
	}
}
