package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/config"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/tracking/trackingtest"
)

// trackingHarness is the API with tracking switched on against the local fake
// provider; the clock stands at slaT0 and moves only when told.
type trackingHarness struct {
	*clockHarness
	fake *trackingtest.Provider
}

const fakeCallback = "http://shouhou.example/api/v1/tracking/callback/kuaidi100"

func newTrackingHarness(t *testing.T) *trackingHarness {
	t.Helper()
	fake := trackingtest.New()
	t.Cleanup(fake.Close)
	h := newClockHarnessWith(t, true, nil, func(c *config.Config) { c.Tracking = fake.Config(fakeCallback) })
	return &trackingHarness{clockHarness: h, fake: fake}
}

func (h *trackingHarness) chaseCase(order, number string) int64 {
	h.t.Helper()
	body := newCaseBody()
	body["type"], body["order_no"], body["tracking_no"], body["courier"] = "logistics.chase", order, number, "shunfeng"
	body["description"], body["first_message"] = "下单三天了还没有物流", "怎么还不发货"
	r := h.do(store.RoleAgent, "POST", "/api/v1/cases", body)
	if r.status != http.StatusCreated {
		h.t.Fatalf("create: %d %s", r.status, r.raw)
	}
	return int64(r.body["id"].(float64))
}

// follow runs one round of the follower (subscriptions, polls due).
func (h *trackingHarness) follow() {
	h.t.Helper()
	if _, err := h.desk.FollowParcels(context.Background()); err != nil {
		h.t.Fatal(err)
	}
}

func (h *trackingHarness) push(number, salt string) reply {
	h.t.Helper()
	status, body, err := h.fake.Push(context.Background(), number, h.srv.URL+"/api/v1/tracking/callback/kuaidi100", salt)
	if err != nil {
		h.t.Fatal(err)
	}
	return reply{status: status, raw: []byte(body)}
}

func (h *trackingHarness) step(id int64) string {
	h.t.Helper()
	r := h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d/guide", id), nil)
	if r.status != 200 {
		h.t.Fatalf("guide: %d %s", r.status, r.raw)
	}
	step, _ := r.body["guide"].(map[string]any)["step"].(map[string]any)
	return fmt.Sprint(step["id"])
}

func (h *trackingHarness) scans(id int64) []map[string]any {
	h.t.Helper()
	r := h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d/events", id), nil)
	if r.status != 200 {
		h.t.Fatalf("events: %d %s", r.status, r.raw)
	}
	var out []map[string]any
	for _, e := range r.body["events"].([]any) {
		if ev := e.(map[string]any); ev["type"] == "parcel.scanned" {
			out = append(out, ev["payload"].(map[string]any))
		}
	}
	return out
}

func TestANewTrackingNumberIsSubscribedWithTheCallbackAddress(t *testing.T) {
	h := newTrackingHarness(t)
	id := h.chaseCase("TM71001", "SF1000000001")
	r := h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d/parcels", id), nil)
	parcels := r.body["parcels"].([]any)
	if r.status != 200 || len(parcels) != 1 {
		t.Fatalf("parcels: %d %s", r.status, r.raw)
	}
	p := parcels[0].(map[string]any)
	if p["number"] != "SF1000000001" || p["role_label"] != "原发货" || p["subscribed_at"] != nil {
		t.Fatalf("parcel before the follower ran: %v", p)
	}
	if _, ok := h.fake.Subscribed("SF1000000001"); ok {
		t.Fatal("subscribed before the follower ran")
	}
	h.follow()
	if cb, ok := h.fake.Subscribed("SF1000000001"); !ok || cb != fakeCallback {
		t.Fatalf("subscription: %q %v", cb, ok)
	}
	r = h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d/parcels", id), nil)
	if p := r.body["parcels"].([]any)[0].(map[string]any); p["subscribed_at"] == nil {
		t.Fatalf("parcel after subscribing: %v", p)
	}
}

func TestASubscriptionThatFailsIsTriedAgainLater(t *testing.T) {
	h := newTrackingHarness(t)
	h.fake.Refuse(true)
	h.chaseCase("TM71002", "SF1000000002")
	h.follow()
	if _, ok := h.fake.Subscribed("SF1000000002"); ok {
		t.Fatal("subscribed while refused")
	}
	h.fake.Refuse(false)
	h.follow() // not due yet: the retry waits
	if _, ok := h.fake.Subscribed("SF1000000002"); ok {
		t.Fatal("retried at once")
	}
	h.advance("3m")
	h.follow()
	if _, ok := h.fake.Subscribed("SF1000000002"); !ok {
		t.Fatal("not subscribed on the retry")
	}
}

func TestSignedPushRecordsEachScanOnceAndABadSignatureIsRefused(t *testing.T) {
	h := newTrackingHarness(t)
	id := h.chaseCase("TM71003", "SF1000000003")
	h.follow()
	h.fake.SetTrack("SF1000000003",
		trackingtest.Line{At: slaT0.Add(-20 * time.Hour), Context: "顺丰速运 已收取快件", Area: "杭州市", Status: "揽收"},
		trackingtest.Line{At: slaT0.Add(-10 * time.Hour), Context: "快件到达【上海转运中心】", Area: "上海市", Status: "在途"})
	if r := h.push("SF1000000003", "not-the-salt"); r.status != http.StatusForbidden || !strings.Contains(string(r.raw), "bad_signature") {
		t.Fatalf("bad signature: %d %s", r.status, r.raw)
	}
	if n := len(h.scans(id)); n != 0 {
		t.Fatalf("a refused push recorded %d scans", n)
	}
	r := h.push("SF1000000003", "")
	if r.status != 200 || !strings.Contains(string(r.raw), `"result":true`) {
		t.Fatalf("push: %d %s", r.status, r.raw)
	}
	scans := h.scans(id)
	if len(scans) != 2 || scans[0]["state"] != "picked_up" || scans[0]["place"] != "杭州市" || scans[0]["status"] != "顺丰速运 已收取快件" || scans[1]["state"] != "in_transit" {
		t.Fatalf("scans: %v", scans)
	}
	// The same push again, and a poll answering the same track: nothing new.
	if r := h.push("SF1000000003", ""); r.status != 200 {
		t.Fatalf("second push: %d %s", r.status, r.raw)
	}
	if n := len(h.scans(id)); n != 2 {
		t.Fatalf("a repeated push recorded scans again: %d", n)
	}
	c := h.get(id)
	if f := c["facts"].(map[string]any); f["pickup_scanned"] != "yes" || f["parcel_state"] != "in_transit" {
		t.Fatalf("facts after a pickup scan: %v", c["facts"])
	}
}

func TestWithoutPushesTheParcelIsPolled(t *testing.T) {
	h := newTrackingHarness(t)
	id := h.chaseCase("TM71004", "SF1000000004")
	h.follow()
	h.fake.SetTrack("SF1000000004", trackingtest.Line{At: slaT0.Add(time.Hour), Context: "已揽收", Area: "广州市", Status: "揽收"})
	h.follow() // subscribed just now: the poll waits for poll_every
	if h.fake.Polls("SF1000000004") != 0 {
		t.Fatal("polled before poll_every")
	}
	h.advance("4h")
	h.follow()
	if h.fake.Polls("SF1000000004") != 1 {
		t.Fatalf("polls after 4h without a push: %d", h.fake.Polls("SF1000000004"))
	}
	if scans := h.scans(id); len(scans) != 1 || scans[0]["state"] != "picked_up" {
		t.Fatalf("scans from the poll: %v", scans)
	}
	r := h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d/parcels", id), nil)
	if p := r.body["parcels"].([]any)[0].(map[string]any); p["state_label"] != "揽收" || len(p["scans"].([]any)) != 1 || p["last_scan_at"] == nil {
		t.Fatalf("the parcel after a poll: %v", p)
	}
	h.advance("4h")
	h.follow() // the same track again: still one scan
	if n := len(h.scans(id)); n != 1 {
		t.Fatalf("scans after polling the same track again: %d", n)
	}
}

func TestFortyEightHoursWithoutAPickupScanMoveAChaseCaseToItsRemedy(t *testing.T) {
	h := newTrackingHarness(t)
	silent := h.chaseCase("TM71005", "SF1000000005")
	scanned := h.chaseCase("TM71006", "SF1000000006")
	h.follow()
	if s := h.step(silent); s != "situation" {
		t.Fatalf("new chase case at %s", s)
	}
	h.fake.SetTrack("SF1000000006", trackingtest.Line{At: slaT0.Add(3 * time.Hour), Context: "已收取快件", Area: "杭州市", Status: "揽收"})
	h.advance("10h")
	if r := h.push("SF1000000006", ""); r.status != 200 {
		t.Fatalf("push: %d %s", r.status, r.raw)
	}
	h.advance("37h") // 47 h: not yet
	if s := h.step(silent); s != "situation" {
		t.Fatalf("after 47 h the silent case is at %s", s)
	}
	h.advance("1h")
	if s := h.step(silent); s != "no-pickup-remedy" {
		t.Fatalf("after 48 h without a pickup scan the case is at %s, want no-pickup-remedy", s)
	}
	c := h.get(silent)
	if c["stage"] != "solution" || c["facts"].(map[string]any)["logistics_state"] != "no_pickup" {
		t.Fatalf("stage %v facts %v", c["stage"], c["facts"])
	}
	if s := h.step(scanned); s == "no-pickup-remedy" {
		t.Fatal("a parcel with a pickup scan went to the no-pickup remedy")
	}
}

func TestSignedForButTheCustomerSaysNotReceivedOpensTheFalseSignBranch(t *testing.T) {
	h := newTrackingHarness(t)
	id := h.chaseCase("TM71007", "SF1000000007")
	h.follow()
	h.fake.SetTrack("SF1000000007",
		trackingtest.Line{At: slaT0.Add(-30 * time.Hour), Context: "已收取快件", Area: "杭州市", Status: "揽收"},
		trackingtest.Line{At: slaT0.Add(-2 * time.Hour), Context: "派件员正在派件", Area: "北京市", Status: "派件"},
		trackingtest.Line{At: slaT0.Add(-time.Hour), Context: "已签收，签收人：快递柜", Area: "北京市", Status: "签收"})
	if r := h.push("SF1000000007", ""); r.status != 200 {
		t.Fatalf("push: %d %s", r.status, r.raw)
	}
	if s := h.step(id); s != "confirm-received" {
		t.Fatalf("after 已签收 the case is at %s, want confirm-received", s)
	}
	if r := h.event(id, "fact.recorded", map[string]any{"key": "customer_received", "value": "no"}); r.status != 200 {
		t.Fatalf("record: %d %s", r.status, r.raw)
	}
	if s := h.step(id); s != "false-sign" {
		t.Fatalf("signed and not received: at %s, want false-sign (虚假签收)", s)
	}
}

func TestAParcelWithoutMovementForStalledAfterMovesTheChaseToPushTheCourier(t *testing.T) {
	h := newTrackingHarness(t)
	id := h.chaseCase("TM71008", "SF1000000008")
	h.follow()
	h.fake.SetTrack("SF1000000008",
		trackingtest.Line{At: slaT0.Add(time.Hour), Context: "已收取快件", Area: "杭州市", Status: "揽收"},
		trackingtest.Line{At: slaT0.Add(2 * time.Hour), Context: "快件到达【杭州转运中心】", Area: "杭州市", Status: "在途"})
	h.advance("3h")
	if r := h.push("SF1000000008", ""); r.status != 200 {
		t.Fatalf("push: %d %s", r.status, r.raw)
	}
	h.advance("70h") // 71 h after the last scan: not yet
	if s := h.step(id); s != "situation" {
		t.Fatalf("before stalled_after the case is at %s", s)
	}
	h.advance("1h")
	if s := h.step(id); s != "push-courier" {
		t.Fatalf("72 h without a new scan: at %s, want push-courier", s)
	}
}

func TestAParcelReturnedToTheSenderOpensItsStep(t *testing.T) {
	h := newTrackingHarness(t)
	id := h.chaseCase("TM71009", "SF1000000009")
	h.follow()
	h.fake.SetTrack("SF1000000009",
		trackingtest.Line{At: slaT0.Add(-40 * time.Hour), Context: "已收取快件", Area: "杭州市", Status: "揽收"},
		trackingtest.Line{At: slaT0.Add(-time.Hour), Context: "收件人拒收，快件退回", Area: "成都市", Status: "退回"})
	if r := h.push("SF1000000009", ""); r.status != 200 {
		t.Fatalf("push: %d %s", r.status, r.raw)
	}
	if s := h.step(id); s != "parcel-returned" {
		t.Fatalf("after 退回 the case is at %s, want parcel-returned", s)
	}
	notified := false
	for _, e := range h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d/events", id), nil).body["events"].([]any) {
		if p, _ := e.(map[string]any)["payload"].(map[string]any); e.(map[string]any)["type"] == "notification" && strings.Contains(fmt.Sprint(p["text"]), "退回") {
			notified = true
		}
	}
	if !notified {
		t.Fatal("the agent was not told the parcel went back")
	}
}

func TestTrackingOffRecordsTheNumbersButFollowsNothing(t *testing.T) {
	h := newClockHarness(t, true)
	body := newCaseBody()
	body["type"], body["tracking_no"] = "logistics.chase", "SF1000000010"
	r := h.do(store.RoleAgent, "POST", "/api/v1/cases", body)
	id := int64(r.body["id"].(float64))
	p := h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d/parcels", id), nil)
	if p.body["tracking_enabled"] != false || len(p.body["parcels"].([]any)) != 1 {
		t.Fatalf("parcels with tracking off: %s", p.raw)
	}
	h.advance("49h")
	if c := h.get(id); c["facts"] != nil && c["facts"].(map[string]any)["logistics_state"] != nil {
		t.Fatalf("with tracking off a silence was recorded: %v", c["facts"])
	}
	if r := h.do("", "POST", "/api/v1/tracking/callback/kuaidi100", "param=x&sign=y", "Content-Type", "application/x-www-form-urlencoded"); r.status != 404 {
		t.Fatalf("callback with tracking off: %d %s", r.status, r.raw)
	}
}

func TestAPushForANumberOfAMergedCaseIsStillAcknowledged(t *testing.T) {
	h := newTrackingHarness(t)
	a := h.chaseCase("TM71011", "SF1000000011")
	b := h.chaseCase("TM71011", "SF1000000012")
	h.follow()
	if r := h.do(store.RoleAgent, "POST", fmt.Sprintf("/api/v1/cases/%d/merge", a), map[string]any{"into": b}); r.status != 200 {
		t.Fatalf("merge: %d %s", r.status, r.raw)
	}
	h.fake.SetTrack("SF1000000011", trackingtest.Line{At: slaT0.Add(time.Hour), Context: "已收取快件", Area: "杭州市", Status: "揽收"})
	if r := h.push("SF1000000011", ""); r.status != 200 {
		t.Fatalf("a push for the merged case's number: %d %s", r.status, r.raw)
	}
}
