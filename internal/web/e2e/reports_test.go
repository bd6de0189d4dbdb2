package e2e

import (
	"bytes"
	"context"
	"time"

	"encoding/base64"
	"github.com/chromedp/chromedp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/shouhou/shouhou/internal/web/webtest"
)

// TestReportsPageDrawsItsChartsAndTheRegisterDownloadOpens opens 报表 in Chromium: the
// charts are SVG bars the browser lays out (non-zero boxes); then the page downloads the
// register's Excel export as the 导出 Excel link does and the workbook opens.
func TestReportsPageDrawsItsChartsAndTheRegisterDownloadOpens(t *testing.T) {
	root := browser(t)
	env := webtest.New(t, webtest.Options{})
	for _, order := range []string{"TB700800900", "TB700800901", "TB700800902"} {
		env.CreateCase(webtest.Agent, webtest.Intake(order), "杯子碎了")
	}
	b := newTab(t, root, env.Server.URL, webtest.Supervisor)
	b.login(webtest.Supervisor)
	b.open("/reports")
	b.contains("#kpi-cases", "3")
	b.contains("#chart-type", "问题类型", "破损")
	bars, _ := b.eval(`[...document.querySelectorAll("#chart-platform svg rect")].filter(r => r.getBoundingClientRect().width > 0).length`).(float64)
	if bars < 1 {
		t.Fatalf("the platform chart draws %v bars", bars)
	}
	if w, _ := b.eval(`document.querySelector("#chart-type svg").getBoundingClientRect().width`).(float64); w < 100 {
		t.Fatalf("the type chart is %v px wide", w)
	}
	b.open("/register")
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	encoded, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => {
		const r = await fetch(document.querySelector("#xlsx-link").href);
		const buf = new Uint8Array(await r.arrayBuffer());
		let s = ""; for (const x of buf) s += String.fromCharCode(x);
		return r.headers.get("Content-Disposition") + "\n" + btoa(s);
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	disposition, data, _ := strings.Cut(encoded, "\n")
	if !strings.Contains(disposition, "attachment") {
		t.Fatalf("not a download: %q", disposition)
	}
	raw, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		t.Fatal(err)
	}
	book, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("the downloaded register does not open: %v", err)
	}
	defer book.Close()
	rows, err := book.GetRows("登记表")
	if err != nil || len(rows) != 4 || rows[0][0] != "日期" {
		t.Fatalf("downloaded register: %v %v", rows, err)
	}
}
