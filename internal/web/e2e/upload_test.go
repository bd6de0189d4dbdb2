package e2e

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/shouhou/shouhou/internal/api"
	"github.com/shouhou/shouhou/internal/web/webtest"
)

// waitFor polls a script until it is true.
func (b *tab) waitFor(what, expr string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(25*time.Second))); err != nil {
		b.t.Fatalf("%s: waiting for %s: %v (files: %v)", b.name, what, err, b.eval(`document.getElementById("files") ? document.getElementById("files").innerText : ""`))
	}
}

// bigPhoto is a 1600×1200 PNG of noise (about 5.5 MB): over the size the page shrinks
// before sending.
func bigPhoto(t *testing.T) string {
	img := image.NewRGBA(image.Rect(0, 0, 1600, 1200))
	r := rand.New(rand.NewPCG(1, 2))
	for i := range img.Pix {
		img.Pix[i] = uint8(r.IntN(256))
		if i%4 == 3 {
			img.Pix[i] = 255
		}
	}
	img.Set(0, 0, color.RGBA{0, 0, 0, 255})
	p := filepath.Join(t.TempDir(), "面单大图.png")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := (&png.Encoder{CompressionLevel: png.NoCompression}).Encode(f, img); err != nil {
		t.Fatal(err)
	}
	return p
}

func fakeVideo(t *testing.T, name string, size int) string {
	v := append([]byte{0, 0, 0, 0x18}, "ftypisom\x00\x00\x02\x00isomiso2"...)
	v = append(v, make([]byte, size)...)
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, v, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// The customer's upload link on a phone: the agent makes the link on the case page,
// the customer opens it (no sign-in) and sends two photos (one shrunk in the browser)
// and a video; the case shows them and its missing list shrinks. A file of the wrong
// type or over the limit is refused in Chinese; a revoked, expired or foreign link is
// refused.
func TestCustomerUploadsThroughTheLinkOnAPhone(t *testing.T) {
	root := browser(t)
	env := webtest.New(t, webtest.Options{Timers: true, Limits: api.Limits{JSONBody: 1 << 20, PhotoBytes: 10 << 20, VideoBytes: 8 << 20}})
	out := outDir(t)
	c := env.CreateCase(webtest.Agent, webtest.Intake("TB-UPLOAD-1"), "杯子收到就碎了")
	agent := newTab(t, root, env.Server.URL, "坐席")
	agent.login(webtest.Agent)
	agent.open(fmt.Sprintf("/cases/%d", c.ID))
	agent.contains(".missing-ev", "六面照", "面单", "内件照片")
	agent.submit("生成上传链接", "#link-create")
	agent.contains("#new-link", "链接已生成")
	url := fmt.Sprint(agent.eval(`document.getElementById("link-url").href`))
	script := fmt.Sprint(agent.eval(`document.getElementById("link-script").value`))
	if !strings.Contains(script, url) || !strings.Contains(url, "/u/") {
		t.Fatalf("script %q, link %q", script, url)
	}
	agent.contains("#upload-links", "有效")

	phone := newTab(t, root, env.Server.URL, "顾客")
	phone.do("phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Navigate(url))
	phone.contains("h1", "上传售后凭证")
	phone.contains(".product", "保温杯-500ml")
	phone.contains("#missing", "六面照", "面单", "内件照片")
	if body := fmt.Sprint(phone.eval(`document.body.innerText`)); strings.Contains(body, "王女士") || strings.Contains(body, "TB-UPLOAD-1") {
		t.Fatalf("the customer's page shows the case: %s", body)
	}
	phone.screenshot(out, "upload-phone-open.png")

	sent := func(n int) string {
		return fmt.Sprintf(`document.querySelectorAll("#files li.sent").length === %d`, n)
	}
	phone.do("six sides", chromedp.SetUploadFiles(chromedp.CSS(`input.album[data-kind="six_sides"]`), []string{photo(t, 0)}))
	phone.waitFor("the first photo", sent(1))
	phone.waitFor("six sides no longer missing", `!document.getElementById("missing").innerText.includes("六面照")`)
	phone.do("waybill", chromedp.SetUploadFiles(chromedp.CSS(`input.album[data-kind="waybill"]`), []string{bigPhoto(t)}))
	phone.waitFor("the big photo", sent(2))
	// A 5 MB video goes in 2 MB pieces; the connection drops at the second piece (the
	// page's XMLHttpRequest reports a network error instead of sending it): the page
	// waits, asks the server how much arrived and goes on from there, not from zero.
	phone.eval(`(() => {
		const open = XMLHttpRequest.prototype.open, send = XMLHttpRequest.prototype.send, header = XMLHttpRequest.prototype.setRequestHeader;
		window.pieces = []; let n = 0;
		XMLHttpRequest.prototype.open = function (m) { this.method = m; return open.apply(this, arguments); };
		XMLHttpRequest.prototype.setRequestHeader = function (k, v) { if (k === "Upload-Offset") this.offset = v; return header.apply(this, arguments); };
		XMLHttpRequest.prototype.send = function () {
			if (this.method === "PATCH" && ++n === 2) { window.pieces.push(this.offset + " lost"); setTimeout(() => this.onerror(), 10); return; }
			if (this.method === "PATCH") window.pieces.push(this.offset);
			return send.apply(this, arguments);
		};
		return true; })()`)
	phone.do("video", chromedp.SetUploadFiles(chromedp.CSS(`input.album[data-kind="video"]`), []string{fakeVideo(t, "开箱视频.mp4", 5<<20)}))
	phone.waitFor("the video", sent(3))
	if pieces := fmt.Sprint(phone.eval(`window.pieces`)); pieces != "[0 2097152 lost 2097152 4194304]" {
		t.Errorf("pieces sent: %s, want the lost one sent again from the server's offset", pieces)
	}
	phone.contains("#done", "上传完成", "3 个文件")
	phone.contains("#missing", "内件照片")
	phone.screenshot(out, "upload-phone-done.png")

	// Wrong type and over the limit: refused in Chinese, nothing recorded.
	txt := filepath.Join(t.TempDir(), "说明.jpg")
	os.WriteFile(txt, []byte("这不是照片,是一段文字。"), 0o644)
	phone.do("text as photo", chromedp.SetUploadFiles(chromedp.CSS(`input.album[data-kind="contents"]`), []string{txt}))
	phone.waitFor("the refusal", `document.querySelectorAll("#files li.failed").length === 1`)
	phone.contains("#files li.failed", "只能上传照片")
	phone.do("big video", chromedp.SetUploadFiles(chromedp.CSS(`input.album[data-kind="video"]`), []string{fakeVideo(t, "长视频.mp4", 9<<20)}))
	phone.waitFor("the size refusal", `document.querySelectorAll("#files li.failed").length === 2`)
	phone.contains("#files li.failed:last-child", "文件太大", "视频不超过8MB")
	phone.contains("#done", "没有上传成功")
	phone.screenshot(out, "upload-phone-refused.png")

	got, err := env.Desk.Get(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Evidence) != 3 {
		t.Fatalf("evidence on the case: %+v", got.Evidence)
	}
	if big := got.Evidence[1]; big.Mime != "image/jpeg" || big.Size > 4<<20 {
		t.Errorf("the big photo was not shrunk in the browser: %s, %d bytes", big.Mime, big.Size)
	}
	if v := got.Evidence[2]; v.Mime != "video/mp4" || v.Size != 5<<20+24 {
		t.Errorf("the video sent in pieces: %s, %d bytes", v.Mime, v.Size)
	}

	// The case shows the files and a shorter missing list.
	agent.open(fmt.Sprintf("/cases/%d", c.ID))
	if n := agent.eval(`document.querySelectorAll(".evidence-list figure").length`); n != float64(3) {
		t.Fatalf("the case shows %v files", n)
	}
	agent.contains(".missing-ev", "内件照片")
	if m := agent.text(".missing-ev"); strings.Contains(m, "六面照") || strings.Contains(m, "面单") {
		t.Fatalf("missing list after the uploads: %q", m)
	}
	agent.contains("#upload-links", "已收到 3 个文件")

	// Revoked: the agent stops the link; the customer's page says so.
	agent.submit("撤销", "button.revoke-link")
	agent.contains("#flash", "已撤销")
	phone.do("reload", chromedp.Navigate(url))
	phone.contains("#refused", "客服已撤销此链接")
	// Foreign: a token this server never made.
	phone.do("foreign", chromedp.Navigate(env.Server.URL+"/u/AAAAAAAAAAAAAAAAAAAAAA"))
	phone.contains("#refused", "链接无效")
	// Expired: a new link, 72 hours later.
	agent.submit("生成上传链接", "#link-create")
	url2 := fmt.Sprint(agent.eval(`document.getElementById("link-url").href`))
	if _, err := env.Desk.AdvanceClock(72 * time.Hour); err != nil {
		t.Fatal(err)
	}
	phone.do("expired", chromedp.Navigate(url2))
	phone.contains("#refused", "链接已过期")
	phone.screenshot(out, "upload-phone-expired.png")
}
