// Package e2e drives the workbench in a real headless Chromium against a real server
// on loopback (API and workbench on a temporary SQLite database): the SOP of a damaged
// item from the pasted message to the closed case, the refusal to close without a
// remark, and a compensation over the agent's limit approved by a supervisor in a
// browser context of their own. Screenshots go to $SHOUHOU_TEST_OUT (default
// testout/ at the repository root, git-ignored).
//
// Without Chromium the tests skip, unless SHOUHOU_REQUIRE_BROWSER=1 (CI), where they
// fail. SHOUHOU_CHROMIUM names the browser binary (default: chromium on the PATH).
package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/web/webtest"
)

func browserPath(t *testing.T) string {
	t.Helper()
	candidates := []string{os.Getenv("SHOUHOU_CHROMIUM"), "chromium", "chromium-browser", "/usr/bin/chromium", "google-chrome"}
	for _, c := range candidates {
		if c == "" {
			continue
		}
		if p, err := exec.LookPath(c); err == nil {
			return p
		}
	}
	msg := "Chromium not found (install the Debian package chromium or set SHOUHOU_CHROMIUM): browser tests skipped"
	if os.Getenv("SHOUHOU_REQUIRE_BROWSER") == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// outDir is where the screenshots go.
func outDir(t *testing.T) string {
	dir := os.Getenv("SHOUHOU_TEST_OUT")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "testout")
	}
	dir = filepath.Join(dir, "e2e")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// browser starts one headless Chromium for the test and returns its root context.
func browser(t *testing.T) context.Context {
	path := browserPath(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true), chromedp.Flag("lang", "zh-CN"),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1366, 768))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// tab is one browser context (its own cookies: one signed-in person) with one tab.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string
	name string
}

func newTab(t *testing.T, root context.Context, base, name string) *tab {
	ctx, cancel := chromedp.NewContext(root, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1366, 768)); err != nil {
		t.Fatal(err)
	}
	return &tab{t: t, ctx: ctx, base: base, name: name}
}

func (b *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("%s: %s: %v (at %s)", b.name, what, err, b.location())
	}
}

// submit clicks something that loads a page and waits for it.
func (b *tab) submit(what, sel string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		b.t.Fatalf("%s: %s: %v (at %s)", b.name, what, err, b.location())
	}
	_ = resp
}

func (b *tab) open(path string) {
	b.t.Helper()
	b.do("open "+path, chromedp.Navigate(b.base+path))
}

func (b *tab) location() string {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	return loc
}

func (b *tab) text(sel string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		b.t.Fatalf("%s: text of %s: %v (at %s)", b.name, sel, err, b.location())
	}
	return s
}

func (b *tab) eval(expr string) any {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[any](expr))
	if err != nil {
		b.t.Fatalf("%s: eval %s: %v", b.name, expr, err)
	}
	return v
}

func (b *tab) contains(sel string, want ...string) {
	b.t.Helper()
	// Some text changes after a script runs (copy, live checks): wait for it a little.
	js, _ := json.Marshal(map[string]any{"sel": sel, "want": want})
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	chromedp.Run(ctx, chromedp.Poll[bool](`(() => { const a = `+string(js)+`; const e = document.querySelector(a.sel);
		return !!e && a.want.every(w => e.innerText.includes(w)); })()`, chromedp.WithPollingTimeout(5*time.Second)))
	cancel()
	got := b.text(sel)
	for _, w := range want {
		if !strings.Contains(got, w) {
			b.t.Fatalf("%s: %s does not say %q: %q (at %s)", b.name, sel, w, got, b.location())
		}
	}
}

func (b *tab) screenshot(dir, name string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	img, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), img, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

func (b *tab) login(user string) {
	b.t.Helper()
	b.open("/queue") // no session: the login page, coming back to the queue after
	b.do("login form", chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), user), chromedp.SendKeys(chromedp.ID("password"), webtest.Password))
	b.submit("login", `button[type=submit].primary`)
	if loc := b.location(); !strings.HasSuffix(loc, "/queue") {
		b.t.Fatalf("%s: after login at %s", b.name, loc)
	}
}

var caseIDPattern = regexp.MustCompile(`/cases/(\d+)$`)

func (b *tab) caseID() string {
	b.t.Helper()
	m := caseIDPattern.FindStringSubmatch(b.location())
	if m == nil {
		b.t.Fatalf("%s: not on a case page: %s", b.name, b.location())
	}
	return m[1]
}

// photo writes a small PNG, as a phone photo of the parcel would be uploaded.
func photo(t *testing.T, n int) string {
	img := image.NewRGBA(image.Rect(0, 0, 160, 120))
	for x := range 160 {
		for y := range 120 {
			img.Set(x, y, color.RGBA{uint8(120 + x/2), uint8(90 + y), uint8(60 + 40*n), 255})
		}
	}
	p := filepath.Join(t.TempDir(), fmt.Sprintf("照片%d.png", n+1))
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	return p
}

// seed fills the queue with a few cases so that the screenshots show a working day.
func seed(env *webtest.Env) {
	rows := []struct {
		name, order string
		typ         cases.ProblemType
		platform    cases.Platform
		emotion     cases.Emotion
		desc        string
	}{
		{"李先生", "JD2981230045", cases.TypeLeak, cases.PlatformJD, cases.EmotionAngry, "热水壶底部漏水"},
		{"张女士", "TM2026112977", cases.TypeMissing, cases.PlatformTmall, cases.EmotionCalm, "少了一个杯盖"},
		{"赵先生", "DY77120080011", cases.TypeChase, cases.PlatformDouyin, cases.EmotionUpset, "三天了物流不动"},
		{"陈女士", "PDD240511009", cases.TypeFlaw, cases.PlatformPinduoduo, cases.EmotionCalm, "衣服有线头"},
	}
	for _, r := range rows {
		in := webtest.Intake(r.order)
		in.CustomerName, in.Type, in.Platform, in.Emotion, in.Description, in.Level = r.name, r.typ, r.platform, r.emotion, r.desc, 0
		env.CreateCase(webtest.Agent, in, r.desc)
	}
}

func TestAgentWalksADamagedItemCaseToClosed(t *testing.T) {
	root := browser(t)
	env := webtest.New(t, webtest.Options{Classifier: true})
	seed(env)
	out := outDir(t)
	agent := newTab(t, root, env.Server.URL, "坐席")
	agent.login(webtest.Agent)
	agent.contains("h1", "我的队列")

	// New case from the customer's pasted message.
	agent.open("/new")
	msg := "亲，杯子收到就是碎的！外壳裂了一条缝，订单号 4012345678901234，快递单号 YT1234567890123，能不能补偿一下？"
	agent.do("paste", chromedp.SetValue(chromedp.ID("first_message"), msg))
	agent.submit("识别并填写", "#parse-btn")
	agent.contains("#understood", "破损")
	if v := agent.eval(`document.getElementById("f-type").value`); v != "quality.damaged" {
		t.Fatalf("pre-filled type: %v", v)
	}
	if v := agent.eval(`document.getElementById("f-order_no").value`); v != "4012345678901234" {
		t.Fatalf("pre-filled order number: %v", v)
	}
	if v := agent.eval(`document.getElementById("f-tracking_no").value`); v != "YT1234567890123" {
		t.Fatalf("pre-filled tracking number: %v", v)
	}
	agent.do("name", chromedp.SetValue(chromedp.ID("f-customer_name"), "周女士"), chromedp.SetValue(chromedp.ID("f-amount"), "89"))
	agent.submit("创建工单", "#create-btn")
	id := agent.caseID()
	agent.contains("#flash", "已创建")
	agent.contains("#timeline", "顾客消息", "杯子收到就是碎的")

	// Closing without a remark is refused with the SOP's reason.
	agent.submit("结案", "#close-btn")
	agent.contains("#close-error", "结案前必须填写备注", "无备注等于0产能")

	// Verify: photos of the parcel, the waybill and the contents; the outer package is
	// only slightly damaged.
	for i, kind := range []string{"six_sides", "waybill", "contents"} {
		agent.do("evidence "+kind, chromedp.SetValue(chromedp.ID("ev-kind"), kind),
			chromedp.SetUploadFiles(chromedp.ID("ev-file"), []string{photo(t, i)}),
			chromedp.WaitVisible(chromedp.CSS("#ev-preview img")))
		agent.do("upload "+kind, chromedp.Click(chromedp.ID("ev-upload")),
			chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(".evidence-list figure:nth-child(%d) img", i+1))))
	}
	if ok := agent.eval(`(() => { const i = document.querySelector(".evidence-list img"); return i.complete && i.naturalWidth === 160 })()`); ok != true {
		t.Fatal("the uploaded photo is not shown inline")
	}
	agent.contains("#timeline", "上传凭证", "六面照")
	agent.submit("fact", `button[data-fact="outer_package=minor"]`)
	agent.contains("#flash", "已记录")
	agent.contains("#guide", "外包装轻微破损", "小额补偿")
	agent.contains("#timeline", "记录核实结果", "外包装轻微破损")

	// A script of the step: fill what the case cannot ({金额} …), copy it, and record
	// it as sent; neither the copy nor the record may keep a placeholder.
	filled := agent.eval(`(() => { const inputs = document.querySelector("#scripts .script").querySelectorAll("input[data-ph]");
		inputs.forEach(i => { i.value = "10"; i.dispatchEvent(new Event("input", {bubbles: true})); }); return inputs.length })()`)
	if filled == float64(0) {
		t.Fatal("the step's first script (compensation, with {金额}) asks the agent for nothing")
	}
	if copied := agent.eval(`document.querySelector("#scripts button.copy").dataset.copy`); strings.ContainsAny(fmt.Sprint(copied), "{}") {
		t.Fatalf("the copied script keeps a placeholder: %v", copied)
	}
	agent.do("copy", chromedp.Click(chromedp.CSS("#scripts button.copy")))
	agent.contains("#scripts button.copy", "已复制")
	agent.submit("sent", `#scripts form button[type=submit]`)
	agent.contains("#timeline", "发送消息")
	if sent := agent.eval(`document.getElementById("timeline").innerText`); strings.ContainsAny(fmt.Sprint(sent), "{}") {
		t.Fatalf("a sent message keeps a placeholder: %v", sent)
	}

	// Compensation within the limit (10 ≤ 50): checked live, then accepted.
	agent.do("amount", chromedp.SetValue(chromedp.ID("sol-kind"), "compensation"), chromedp.SendKeys(chromedp.ID("sol-amount"), "10"))
	agent.contains("#sol-check", "在你的补偿权限内")
	agent.submit("顾客同意", "#sol-accept")
	agent.contains("#flash", "已记录顾客同意", "补偿 10元")

	// Carry it out: the payment is recorded with its reference on the 方案执行 card.
	agent.contains("#executions", "已审批", "收款账号")
	agent.do("payment reference", chromedp.SetValue(chromedp.CSS(`#executions select[name="pay_channel"]`), "platform"),
		chromedp.SendKeys(chromedp.CSS(`#executions input[name="reference"]`), "ALIPAY2026112700001"))
	agent.submit("更新执行", `#executions .exec-form button[type=submit]`)
	agent.contains("#flash", "已打款")
	agent.contains("#executions", "已打款")

	// Remark from the suggestion, then close.
	agent.do("suggest", chromedp.Click(chromedp.ID("remark-suggest")))
	// After the payment the suggestion reads like the SOP's own example (划痕，补偿10元已发).
	if v := agent.eval(`document.getElementById("remark-text").value`); fmt.Sprint(v) != "破损，补偿10元已发" {
		t.Fatalf("suggested remark: %v", v)
	}
	agent.submit("添加备注", `#remark-form button[type=submit]`)
	agent.contains("#flash", "备注已添加")
	agent.submit("登记", "#register-btn")
	agent.contains("#flash", "已登记表格")
	agent.screenshot(out, "case.png")
	// ? lists every shortcut; r jumps to the remark box.
	agent.do("help", chromedp.KeyEvent("?"))
	agent.contains("#shortcut-help", "快捷键", "写备注", "合并到另一个工单")
	agent.do("close help", chromedp.KeyEvent(kb.Escape), chromedp.KeyEvent("r"))
	if id := agent.eval(`document.activeElement && document.activeElement.id`); id != "remark-text" || agent.eval(`!!document.getElementById("shortcut-help")`) != false {
		t.Fatalf("after Esc and r the focus is on %v", id)
	}
	agent.submit("结案", "#close-btn")
	agent.contains("#flash", "工单已结案")
	agent.contains("#case-status", "已结案")

	// The register has the case with its solution and remark.
	agent.open("/register")
	agent.contains("table.register", "4012345678901234", "周女士", "补偿 10元", "破损，", "已结案")
	agent.screenshot(out, "register.png")

	// The queue: j/k and Enter open a case.
	agent.open("/queue")
	agent.screenshot(out, "queue.png")
	agent.do("keys", chromedp.KeyEvent("j"), chromedp.KeyEvent("j"))
	if sel := agent.eval(`document.querySelectorAll("tr.sel").length`); sel != float64(1) {
		t.Fatalf("j selects one row: %v", sel)
	}
	ctx, cancel := context.WithTimeout(agent.ctx, 20*time.Second)
	if _, err := chromedp.RunResponse(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatalf("Enter on the queue: %v", err)
	}
	cancel()
	agent.caseID()
	_ = id

	// A phone-width screen: the queue still reads.
	agent.do("phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Navigate(env.Server.URL+"/queue"))
	if w := agent.eval(`document.documentElement.scrollWidth <= window.innerWidth + 1`); w != true {
		t.Log("queue scrolls sideways at 390 px (table in a scroll box)")
	}
	agent.screenshot(out, "queue-phone.png")
}

func TestCompensationOverTheLimitIsApprovedByASupervisorInAnotherBrowser(t *testing.T) {
	root := browser(t)
	env := webtest.New(t, webtest.Options{})
	in := webtest.Intake("TB66778899")
	in.CustomerName = "吴先生"
	c := env.CreateCase(webtest.Agent, in, "杯子裂了，要补偿60")
	path := fmt.Sprintf("/cases/%d", c.ID)
	out := outDir(t)

	agent := newTab(t, root, env.Server.URL, "坐席")
	agent.login(webtest.Agent)
	agent.open(path)
	agent.submit("fact", `button[data-fact="outer_package=minor"]`)
	agent.do("amount", chromedp.SetValue(chromedp.ID("sol-kind"), "compensation"), chromedp.SendKeys(chromedp.ID("sol-amount"), "60"))
	agent.contains("#sol-check", "超出你的补偿权限")
	if hidden := agent.eval(`[document.getElementById("sol-approval").hidden, document.getElementById("sol-accept").hidden]`); fmt.Sprint(hidden) != "[false true]" {
		t.Fatalf("above the limit only 申请主管审批 remains: %v", hidden)
	}
	agent.contains("#sol-approval", "申请主管审批")
	agent.submit("申请主管审批", "#sol-approval")
	agent.contains("#flash", "已申请主管审批")
	agent.contains("#limit", "待主管审批", "60.00")

	boss := newTab(t, root, env.Server.URL, "主管")
	boss.login(webtest.Supervisor)
	boss.open("/supervisor")
	boss.contains(fmt.Sprintf("#pending-%d", c.ID), "吴先生", "补偿 60.00 元")
	boss.screenshot(out, "supervisor.png")
	boss.submit("批准", fmt.Sprintf("#pending-%d button.primary", c.ID))
	boss.contains("#flash", "已批准")
	boss.contains("#pending", "没有待审批的申请")

	// The agent's session is separate: the agent still sees their own name.
	agent.open(path)
	agent.contains(".who", "小美")
	agent.contains("#limit", "主管已批准补偿 60.00 元")
	agent.do("amount", chromedp.SendKeys(chromedp.ID("sol-amount"), "60"))
	agent.contains("#sol-check", "主管已批准")
	agent.submit("顾客同意", "#sol-accept")
	agent.contains("#flash", "已记录顾客同意", "补偿 60元")

	// Session expiry: the server forgets the session; the next page asks to log in again.
	if err := env.Store.DeleteExpiredSessions(context.Background(), time.Now().Add(48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	agent.open("/queue")
	agent.contains(".login", "登录已过期")
}
