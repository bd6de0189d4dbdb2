package api

import (
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/auth"
	"github.com/shouhou/shouhou/internal/blob"
	"github.com/shouhou/shouhou/internal/clock"
	"github.com/shouhou/shouhou/internal/config"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/notify"
	"github.com/shouhou/shouhou/internal/sop"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/timers"
	"github.com/shouhou/shouhou/internal/tracking"
)

var slaT0 = time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC) // Monday 09:00 in Shanghai

// clockHarness is the API on a desk whose clock stands at slaT0 and moves only when
// told (POST /api/v1/clock/advance when allowed), with the timer scheduler running.
type clockHarness struct {
	*harness
	desk   *desk.Desk
	sched  *timers.Scheduler
	sender *timers.Scheduler // the webhook outbox
	am     *auth.Manager
	tokens map[string]string // by user name, for users added with addUser
}

func newClockHarness(t *testing.T, allowAdvance bool) *clockHarness {
	t.Helper()
	return newClockHarnessWith(t, allowAdvance, nil)
}

func newClockHarnessWith(t *testing.T, allowAdvance bool, webhooks []notify.Webhook, mods ...func(*config.Config)) *clockHarness {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st := openStore(t, dir)
	src := clock.NewSource(func() time.Time { return slaT0 }, 0)
	am, err := auth.New(auth.Opts{Store: st, Now: src.Now})
	if err != nil {
		t.Fatal(err)
	}
	blobs, err := blob.NewDir(filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	rules, err := sop.Load(sop.Files{})
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.Notify.Webhooks = webhooks
	for _, m := range mods {
		m(&cfg)
	}
	alarm, deliveryAlarm := timers.NewAlarm(), timers.NewAlarm()
	scripts, err := desk.NewScriptBook(st, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	provider, err := tracking.New(cfg.Tracking, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := desk.New(desk.Opts{Tracking: cfg.Tracking, Provider: provider, Store: st, SLA: cfg.SLA, Scripts: scripts, Days: rules.Calendar, Rules: rules.Engine, Limits: rules.Policy, Now: src.Now,
		Timing: cfg.Timers, FollowUp: cfg.FollowUp, Quality: cfg.Alerts, Calendar: rules.Calendar, Alarm: alarm, ClockControl: src, AllowClockAdvance: allowAdvance,
		Dispatch: cfg.Dispatch, Users: st, Notify: cfg.Notify, Hub: notify.NewHub(), DeliveryAlarm: deliveryAlarm})
	s := New(Opts{Desk: d, Auth: am, Blobs: blobs, Limits: DefaultLimits(), Scripts: scripts})
	h := &harness{t: t, store: st, srv: httptest.NewServer(s.Handler()), api: s, tokens: map[store.Role]string{}}
	t.Cleanup(h.srv.Close)
	for _, role := range []store.Role{store.RoleAgent, store.RoleSupervisor, store.RoleAdmin, store.RoleWarehouse} {
		u, err := am.AddUser(ctx, auth.NewUser{Username: string(role) + "1", Role: role, Password: "password1"})
		if err != nil {
			t.Fatal(err)
		}
		if h.tokens[role], _, err = am.CreateToken(ctx, u.ID, "test"); err != nil {
			t.Fatal(err)
		}
	}
	return &clockHarness{harness: h, desk: d, sched: timers.NewScheduler(d, src, alarm, cfg.Timers, nil), am: am, tokens: map[string]string{},
		sender: timers.NewScheduler(notify.NewDeliverer(st, cfg.Notify, src.Now, nil), src, deliveryAlarm, cfg.Timers, nil)}
}

// advance moves the clock through the API and fires what came due.
func (h *clockHarness) advance(by string) {
	h.t.Helper()
	if r := h.do(store.RoleAdmin, "POST", "/api/v1/clock/advance", map[string]any{"by": by}); r.status != 200 {
		h.t.Fatalf("advance %s: %d %s", by, r.status, r.raw)
	}
	if err := h.sched.Drain(context.Background()); err != nil {
		h.t.Fatal(err)
	}
	if err := h.sender.Drain(context.Background()); err != nil {
		h.t.Fatal(err)
	}
}

func (h *clockHarness) newCase(level int, order string) int64 {
	h.t.Helper()
	body := newCaseBody()
	body["level"], body["order_no"], body["emotion"] = level, order, "calm"
	r := h.do(store.RoleAgent, "POST", "/api/v1/cases", body)
	if r.status != 201 {
		h.t.Fatalf("create: %d %s", r.status, r.raw)
	}
	return int64(r.body["id"].(float64))
}

func (h *clockHarness) get(id int64) map[string]any {
	h.t.Helper()
	r := h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d", id), nil)
	if r.status != 200 {
		h.t.Fatalf("get: %d %s", r.status, r.raw)
	}
	return r.body
}

func (h *clockHarness) event(id int64, typ string, payload map[string]any) reply {
	h.t.Helper()
	return h.do(store.RoleAgent, "POST", fmt.Sprintf("/api/v1/cases/%d/events", id), map[string]any{"type": typ, "payload": payload})
}

func at(v any) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, fmt.Sprint(v))
	return t
}

func TestLevel3CaseWaitingFiveHoursOnPhotosHasItsDueTimesMovedByFiveHours(t *testing.T) {
	h := newClockHarness(t, true)
	id := h.newCase(3, "TM30001")
	c := h.get(id)
	if !at(c["resolve_due_at"]).Equal(slaT0.Add(72*time.Hour)) || !at(c["response_due_at"]).Equal(slaT0.Add(8*time.Hour)) {
		t.Fatalf("level 3 deadlines: %v %v", c["response_due_at"], c["resolve_due_at"])
	}
	if n := len(c["timers"].([]any)); n != 4 {
		t.Fatalf("running timers of a new case: %d, want first response, resolution and their warnings", n)
	}
	h.advance("1h")
	// Asking for photos is the first answer (first response met) and pauses the clock.
	if r := h.event(id, "message.sent", map[string]any{"text": "亲,麻烦拍一下破损处和外包装的照片发给我们", "intent": "verify"}); r.status != 200 {
		t.Fatalf("ask for photos: %d %s", r.status, r.raw)
	}
	c = h.get(id)
	if !at(c["first_responded_at"]).Equal(slaT0.Add(time.Hour)) || c["paused"] != true {
		t.Fatalf("after asking: first response %v paused %v", c["first_responded_at"], c["paused"])
	}
	h.advance("5h")
	if c = h.get(id); c["paused_minutes"].(float64) != 300 {
		t.Fatalf("paused time while waiting: %v minutes, want 300", c["paused_minutes"])
	}
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"), make([]byte, 100)...)
	if r := upload(h.harness, id, "broken.png", "contents", png); r.status != 200 && r.status != 201 {
		t.Fatalf("upload: %d %s", r.status, r.raw)
	}
	c = h.get(id)
	if c["paused"] != false || c["paused_minutes"].(float64) != 300 {
		t.Fatalf("after the photos: paused %v for %v minutes", c["paused"], c["paused_minutes"])
	}
	if got, want := at(c["resolve_due_at"]), slaT0.Add(77*time.Hour); !got.Equal(want) {
		t.Fatalf("resolve due %v, want %v (moved by the 5 h pause)", got, want)
	}
	// The first response was met: however late it gets, it is never a response breach.
	h.advance("10h")
	if c = h.get(id); c["response_overdue"] != false || c["overdue"] != false {
		t.Fatalf("answered case at +16 h: response_overdue %v overdue %v", c["response_overdue"], c["overdue"])
	}
	h.advance("62h") // +78 h: past the moved resolution deadline
	if c = h.get(id); c["resolve_overdue"] != true || c["overdue"] != true {
		t.Fatalf("at +78 h: resolve_overdue %v", c["resolve_overdue"])
	}
}

func TestPauseOnAThirdPartyIsEndedByHand(t *testing.T) {
	h := newClockHarness(t, true)
	id := h.newCase(2, "TM30002")
	if r := h.event(id, "sla.paused", map[string]any{"reason": "third_party", "note": "等待厂家检测"}); r.status != 200 {
		t.Fatalf("pause: %d %s", r.status, r.raw)
	}
	if r := h.event(id, "sla.paused", map[string]any{"reason": "customer"}); r.status != 422 || r.body["code"] != "sla_paused" {
		t.Fatalf("second pause: %d %s", r.status, r.raw)
	}
	if r := h.event(id, "sla.paused", map[string]any{"reason": "weather"}); r.status != 422 || r.body["field"] != "payload.reason" {
		t.Fatalf("unknown reason: %d %s", r.status, r.raw)
	}
	h.advance("2h")
	// The customer writing does not end a wait on a third party.
	h.event(id, "message.received", map[string]any{"text": "怎么样了"})
	if c := h.get(id); c["paused"] != true {
		t.Fatal("a customer message ended a third-party pause")
	}
	if r := h.event(id, "sla.resumed", map[string]any{"note": "厂家已回复"}); r.status != 200 {
		t.Fatalf("resume: %d %s", r.status, r.raw)
	}
	c := h.get(id)
	if c["paused_minutes"].(float64) != 120 || !at(c["resolve_due_at"]).Equal(slaT0.Add(50*time.Hour)) ||
		!at(c["response_due_at"]).Equal(slaT0.Add(6*time.Hour)) {
		t.Fatalf("after a 2 h third-party pause: %v min, due %v / %v", c["paused_minutes"], c["response_due_at"], c["resolve_due_at"])
	}
	if r := h.event(id, "sla.resumed", nil); r.status != 422 || r.body["code"] != "sla_running" {
		t.Fatalf("resume while running: %d %s", r.status, r.raw)
	}
}

func TestOverdueFilterSeparatesFirstResponseAndResolutionBreaches(t *testing.T) {
	h := newClockHarness(t, true)
	answered := h.newCase(2, "TM30003")
	silent := h.newCase(2, "TM30004")
	h.event(answered, "message.sent", map[string]any{"text": "亲,您好,我们马上为您处理"})
	ids := func(q string) []int64 {
		r := h.do(store.RoleAgent, "GET", "/api/v1/cases?overdue="+q, nil)
		if r.status != 200 {
			t.Fatalf("overdue=%s: %d %s", q, r.status, r.raw)
		}
		var out []int64
		for _, c := range r.body["cases"].([]any) {
			out = append(out, int64(c.(map[string]any)["id"].(float64)))
		}
		return out
	}
	same := func(got []int64, want ...int64) bool { return fmt.Sprint(got) == fmt.Sprint(want) }
	h.advance("5h") // level 2: first response within 4 h
	if got := ids("response"); !same(got, silent) {
		t.Errorf("first-response breaches %v, want [%d]", got, silent)
	}
	if got := ids("resolve"); len(got) != 0 {
		t.Errorf("resolution breaches at +5 h: %v", got)
	}
	if c := h.get(silent); c["response_overdue"] != true || c["resolve_overdue"] != false || c["overdue"] != true {
		t.Errorf("silent case at +5 h: %v %v %v", c["response_overdue"], c["resolve_overdue"], c["overdue"])
	}
	h.advance("44h")
	if got := ids("resolve"); len(got) != 2 {
		t.Errorf("resolution breaches at +49 h: %v", got)
	}
	if got := ids("true"); len(got) != 2 {
		t.Errorf("any breach at +49 h: %v", got)
	}
	if r := h.do(store.RoleAgent, "GET", "/api/v1/cases?overdue=late", nil); r.status != 422 || r.body["field"] != "overdue" {
		t.Errorf("bad overdue value: %d %s", r.status, r.raw)
	}
}

func TestBreachFiresTimerEventAndNearDeadlineFlag(t *testing.T) {
	h := newClockHarness(t, true)
	id := h.newCase(1, "TM30005")
	h.advance("97m") // 80 % of level 1's 2 h first response
	if c := h.get(id); c["near_due"] != true || c["overdue"] != false {
		t.Fatalf("at 80 %%: near_due %v overdue %v", c["near_due"], c["overdue"])
	}
	h.advance("30m")
	r := h.do(store.RoleAgent, "GET", fmt.Sprintf("/api/v1/cases/%d/events", id), nil)
	var kinds []string
	for _, e := range r.body["events"].([]any) {
		e := e.(map[string]any)
		if e["type"] == "timer.fired" {
			kinds = append(kinds, fmt.Sprint(e["payload"].(map[string]any)["kind"]))
		}
	}
	if fmt.Sprint(kinds) != "[first_response_warn first_response]" {
		t.Fatalf("timer.fired events %v", kinds)
	}
}

func TestClockAdvanceNeedsAnAdminAndAServerStartedWithIt(t *testing.T) {
	fixed := newClockHarness(t, false)
	if r := fixed.do(store.RoleAdmin, "POST", "/api/v1/clock/advance", map[string]any{"by": "1h"}); r.status != 403 || r.body["code"] != "clock_fixed" {
		t.Fatalf("advance on a fixed clock: %d %s", r.status, r.raw)
	}
	movable := newClockHarness(t, true)
	if r := movable.do(store.RoleAgent, "POST", "/api/v1/clock/advance", map[string]any{"by": "1h"}); r.status != 403 {
		t.Fatalf("agent advancing the clock: %d %s", r.status, r.raw)
	}
	if r := movable.do(store.RoleAdmin, "POST", "/api/v1/clock/advance", map[string]any{"by": "-1h"}); r.status != 422 {
		t.Fatalf("moving the clock back: %d %s", r.status, r.raw)
	}
	r := movable.do(store.RoleAdmin, "POST", "/api/v1/clock/advance", map[string]any{"by": "26h"})
	if r.status != 200 || !at(r.body["now"]).Equal(slaT0.Add(26*time.Hour)) || r.body["offset"] != "26h0m0s" {
		t.Fatalf("advance: %d %s", r.status, r.raw)
	}
}

func TestALevelChangeKeepsThePausedTime(t *testing.T) {
	h := newClockHarness(t, true)
	id := h.newCase(3, "TM30006")
	h.event(id, "sla.paused", map[string]any{"reason": "third_party"})
	h.advance("3h")
	h.event(id, "sla.resumed", nil)
	c := h.get(id)
	r := h.do(store.RoleAgent, "PATCH", fmt.Sprintf("/api/v1/cases/%d", id), map[string]any{"version": c["version"], "fields": map[string]any{"level": 1}})
	if r.status != 200 {
		t.Fatalf("level change: %d %s", r.status, r.raw)
	}
	if got, want := at(r.body["resolve_due_at"]), slaT0.Add(27*time.Hour); !got.Equal(want) {
		t.Fatalf("level 1 resolve due after a 3 h pause: %v, want %v", got, want)
	}
}

func TestBusinessHoursCountOnlyWorkingTimeForTheResolutionClock(t *testing.T) {
	h := newClockHarnessWith(t, true, nil, func(c *config.Config) {
		c.SLA.BusinessHours = clock.BusinessHours{Enabled: true, Start: "09:00", End: "22:00"}
	})
	cst := time.FixedZone("CST", 8*3600)
	h.advance("12h") // Monday 21:00 Beijing time
	id := h.newCase(2, "TM30007")
	c := h.get(id)
	// Night duty answers at once: first response 4 h around the clock; the resolution's
	// 48 h count 09:00–22:00 only: 1 h Monday, 13 h Tuesday to Thursday, 8 h Friday.
	if got, want := at(c["response_due_at"]), time.Date(2026, 11, 24, 1, 0, 0, 0, cst); !got.Equal(want) {
		t.Fatalf("first response due %v, want %v", got.In(cst), want)
	}
	if got, want := at(c["resolve_due_at"]), time.Date(2026, 11, 27, 17, 0, 0, 0, cst); !got.Equal(want) {
		t.Fatalf("resolution due %v, want %v", got.In(cst), want)
	}
	h.advance("30m")
	h.event(id, "message.sent", map[string]any{"text": "亲,麻烦拍一下破损处的照片", "intent": "verify"})
	h.advance("12h30m") // Tuesday 10:00: 30 min on Monday night and 1 h on Tuesday were business time
	h.event(id, "message.received", map[string]any{"text": "照片发您了"})
	c = h.get(id)
	if got, want := at(c["resolve_due_at"]), time.Date(2026, 11, 27, 18, 30, 0, 0, cst); !got.Equal(want) {
		t.Fatalf("resolution due after the pause %v, want %v", got.In(cst), want)
	}
	if c["paused_minutes"].(float64) != 750 {
		t.Fatalf("paused %v minutes, want 750", c["paused_minutes"])
	}
	if r := h.event(id, "sla.resumed", map[string]any{"resolve_due_at": "2030-01-01T00:00:00Z"}); r.status != 422 {
		t.Fatalf("a resume naming its own deadline: %d %s", r.status, r.raw)
	}
}

func TestNearDeadlineFlagEndsWithTheAnswer(t *testing.T) {
	h := newClockHarness(t, true)
	id := h.newCase(1, "TM30008")
	h.advance("100m") // past 80 % of the 2 h first response
	if c := h.get(id); c["near_due"] != true {
		t.Fatalf("near_due at 100 min: %v", c["near_due"])
	}
	h.event(id, "message.sent", map[string]any{"text": "亲,您好,马上为您处理"})
	if c := h.get(id); c["near_due"] != false || c["overdue"] != false {
		t.Fatalf("after the answer: near_due %v overdue %v", c["near_due"], c["overdue"])
	}
	h.advance("1060m") // 1,160 min: past 80 % of the 24 h resolution (1,152 min)
	if c := h.get(id); c["near_due"] != true {
		t.Fatalf("near_due at 80 %% of the resolution: %v", c["near_due"])
	}
}
