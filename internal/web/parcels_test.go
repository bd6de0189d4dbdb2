package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/tracking"
	"github.com/shouhou/shouhou/internal/web/webtest"
)

func TestTheWarehouseAccountSeesOnlyTheReceivingDesk(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	c := env.CreateCase(webtest.Agent, webtest.Intake("TB-WH-1"), "杯子裂了")
	wh := env.Login(webtest.Warehouse)
	if resp := wh.Get("/queue"); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/warehouse" {
		t.Fatalf("the warehouse at /queue: %d → %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	page := body(t, wh.Get("/warehouse?number=zt7788990011"))
	if !strings.Contains(page, fmt.Sprintf("工单 #%d", c.ID)) || !strings.Contains(page, "原发货") || !strings.Contains(page, `autofocus`) {
		t.Fatalf("the desk does not show the case of the number: %s", page)
	}
	if strings.Contains(page, "13800138000") {
		t.Fatal("the warehouse sees the customer's phone")
	}
	for _, path := range []string{fmt.Sprintf("/cases/%d", c.ID), "/parcels", "/team", "/register"} {
		resp := wh.Get(path)
		if b := body(t, resp); resp.StatusCode != http.StatusForbidden || !strings.Contains(b, "仓库账号只能使用仓库收货页面") {
			t.Errorf("the warehouse at %s: %d", path, resp.StatusCode)
		}
	}
	if resp := env.Login(webtest.Agent).Get("/warehouse"); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("an agent at the receiving desk: %d", resp.StatusCode)
	}
	if resp := wh.PostForm("/logout", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the warehouse signs out: %d", resp.StatusCode)
	}
}

func TestAnAgentClaimsAnUnknownParcelFromTheWorkbenchOnce(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	c := env.CreateCase(webtest.Agent, webtest.Intake("TB-WH-2"), "杯子裂了")
	u, err := env.Desk.RecordUnknown(context.Background(), desk.Actor{Name: webtest.Warehouse, Role: store.RoleWarehouse},
		desk.Receipt{Number: "YT8880000001", Items: []string{"保温杯"}, Good: 1, Remark: "面单破损"})
	if err != nil {
		t.Fatal(err)
	}
	agent := env.Login(webtest.Agent)
	list := body(t, agent.Get("/parcels"))
	if !strings.Contains(list, "YT8880000001") || !strings.Contains(list, "老周") || !strings.Contains(list, "面单破损") {
		t.Fatalf("未知包裹 does not list the parcel: %s", list)
	}
	claim := fmt.Sprintf("/parcels/%d/claim", u.ID)
	resp := agent.PostForm(claim, url.Values{"case_id": {fmt.Sprint(c.ID)}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != fmt.Sprintf("/cases/%d", c.ID) {
		t.Fatalf("claim: %d → %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	page := body(t, agent.Get(fmt.Sprintf("/cases/%d", c.ID)))
	if !strings.Contains(page, "仓库收货验货") || !strings.Contains(page, "YT8880000001") {
		t.Fatal("the case page does not show the claimed parcel's receipt")
	}
	resp = agent.PostForm(claim, url.Values{"case_id": {fmt.Sprint(c.ID)}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/parcels" {
		t.Fatalf("a second claim: %d → %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if list := body(t, agent.Get("/parcels")); !strings.Contains(list, "该包裹已被认领") || strings.Contains(list, "YT8880000001") {
		t.Fatalf("after a second claim: %s", list)
	}
}

func TestTheCasePageShowsTheTrackAsATimelineInChinese(t *testing.T) {
	env := webtest.New(t, webtest.Options{})
	c := env.CreateCase(webtest.Agent, webtest.Intake("TB-TRACK-1"), "快递到哪了")
	at := time.Date(2026, 11, 28, 2, 0, 0, 0, time.UTC)
	n, err := env.Desk.RecordScans(context.Background(), "ZT7788990011", []tracking.Scan{
		{Courier: "zhongtong", At: at, Place: "杭州市", Status: "中通快递 已揽收", State: tracking.StatePickedUp},
		{Courier: "zhongtong", At: at.Add(30 * time.Hour), Place: "北京市", Status: "已签收，签收人：本人", State: tracking.StateSigned},
	})
	if err != nil || n != 2 {
		t.Fatalf("record: %d %v", n, err)
	}
	page := body(t, env.Login(webtest.Agent).Get(fmt.Sprintf("/cases/%d", c.ID)))
	i := strings.Index(page, `id="parcels"`)
	if i < 0 {
		t.Fatal("the case page has no 物流轨迹")
	}
	track := page[i:]
	track = track[:strings.Index(track, "</section>")]
	for _, want := range []string{"物流轨迹", "原发货", "ZT7788990011", "中通", "已签收", "北京市", "已签收，签收人：本人", "揽收", "杭州市", "中通快递 已揽收", "未启用物流跟踪"} {
		if !strings.Contains(track, want) {
			t.Errorf("the track does not show %q", want)
		}
	}
	if strings.Index(track, "签收人") > strings.Index(track, "中通快递 已揽收") {
		t.Error("the newest scan is not on top")
	}
	if strings.Contains(track, "zhongtong") || strings.Contains(track, ">picked_up") || strings.Contains(track, "picked_up<") {
		t.Error("the track shows a raw code")
	}
}
