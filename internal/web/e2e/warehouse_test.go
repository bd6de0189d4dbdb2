package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/web/webtest"
)

// The warehouse's receiving desk on a phone (390×844): the scanner types the return
// number into the focused field and presses Enter, the case comes up, the warehouse
// records two good items and one bad one with a photo; the exchange re-opens and the
// agent's case page shows the inspection with the photo.
func TestWarehouseReceivesAReturnOnAPhoneAndTheAgentSeesTheInspection(t *testing.T) {
	root := browser(t)
	env := webtest.New(t, webtest.Options{})
	out := outDir(t)
	c := env.CreateCase(webtest.Agent, webtest.Intake("TB-RETURN-1"), "茶杯套装有一只杯子有裂纹,要换货")
	accept, _ := json.Marshal(map[string]any{"kind": "exchange", "data": map[string]any{"return_courier": "中通", "return_tracking_no": "ZT7351288888"}})
	if _, _, err := env.Desk.Append(context.Background(), desk.Actor{Name: webtest.Agent, Role: store.RoleAgent}, c.ID, desk.AnyVersion, cases.EvSolutionAccept, accept); err != nil {
		t.Fatal(err)
	}

	phone := newTab(t, root, env.Server.URL, "仓库")
	phone.do("phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Navigate(env.Server.URL+"/warehouse"))
	phone.do("login form", chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), webtest.Warehouse), chromedp.SendKeys(chromedp.ID("password"), webtest.Password))
	phone.submit("login", `button[type=submit].primary`)
	if loc := phone.location(); !strings.HasSuffix(loc, "/warehouse") {
		t.Fatalf("the warehouse signed in at %s", loc)
	}
	phone.waitFor("the scan field has the focus", `document.activeElement && document.activeElement.id === "scan-number"`)
	// A barcode scanner types the number and Enter.
	phone.do("scan", chromedp.SendKeys(chromedp.ID("scan-number"), "zt7351288888"))
	phone.enter("scan-number")
	phone.waitFor("the case", fmt.Sprintf(`!!document.getElementById("match-%d")`, c.ID))
	phone.contains(fmt.Sprintf("#match-%d", c.ID), "王女士", "换货", "待寄回")
	if w := phone.eval(`document.documentElement.scrollWidth`); fmt.Sprint(w) != "390" {
		t.Errorf("the page is %v px wide on a 390 px phone", w)
	}
	form := fmt.Sprintf("#receipt-%d", c.ID)
	phone.do("count", chromedp.Click(chromedp.CSS(form+` button[data-for^="good"][data-step="1"]`)),
		chromedp.Click(chromedp.CSS(form+` button[data-for^="good"][data-step="1"]`)),
		chromedp.Click(chromedp.CSS(form+` button[data-for^="bad"][data-step="1"]`)),
		chromedp.SendKeys(chromedp.CSS(form+` textarea[name=items]`), "茶杯"),
		chromedp.SetUploadFiles(chromedp.CSS(form+` input[name=photo]`), []string{photo(t, 2)}),
		chromedp.SendKeys(chromedp.CSS(form+` input[name=remark]`), "一只杯子杯口有裂纹"))
	// The photo field is a Chinese button with a Chinese count; the browser's own file
	// input ("Choose Files / No file chosen") is not drawn.
	phone.contains(form+" .photo-pick", "拍照/选择照片", "已选择1张照片")
	if w := phone.eval(`document.querySelector("` + form + ` input[name=photo]").getBoundingClientRect().width`); fmt.Sprint(w) != "1" {
		t.Errorf("the native photo input is drawn %v px wide", w)
	}
	phone.screenshot(out, "warehouse-phone-record.png")
	phone.submit("record", form+` button[type=submit]`)
	phone.waitFor("the receipt recorded", `!!document.getElementById("receipt-done")`)
	phone.contains("#receipt-done", fmt.Sprintf("#%d", c.ID))
	phone.waitFor("the scan field again", `document.activeElement && document.activeElement.id === "scan-number"`)
	phone.screenshot(out, "warehouse-phone-done.png")
	// The warehouse sees nothing else of the workbench.
	phone.open(fmt.Sprintf("/cases/%d", c.ID))
	phone.contains("main", "仓库账号只能使用仓库收货页面")

	agent := newTab(t, root, env.Server.URL, "坐席")
	agent.login(webtest.Agent)
	agent.open(fmt.Sprintf("/cases/%d", c.ID))
	agent.contains("#receipts", "验货不合格", "良品 2 件", "不良品 1 件", "茶杯", "杯口有裂纹", "方案需重新决定")
	agent.waitFor("the inspection photo", `(() => { const i = document.querySelector("#receipts img"); return !!i && i.complete && i.naturalWidth > 0; })()`)
	agent.contains("#executions", "需重新决定")
	agent.contains("#timeline", "仓库收货验货")
	agent.screenshot(out, "warehouse-agent-case.png")
}

// enter presses Enter in a field (as a barcode scanner ends a scan) and waits for the
// page it loads.
func (b *tab) enter(id string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if _, err := chromedp.RunResponse(ctx, chromedp.SendKeys(chromedp.ID(id), kb.Enter)); err != nil {
		b.t.Fatalf("%s: Enter in %s: %v (at %s)", b.name, id, err, b.location())
	}
}
