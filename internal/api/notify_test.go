package api

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/notify"
	"github.com/shouhou/shouhou/internal/store"
)

// receiver is a local webhook endpoint that records every request and answers with
// the next status of its script (then 200).
type receiver struct {
	*httptest.Server
	mu       sync.Mutex
	script   []int
	requests []received
}

type received struct {
	path, query string
	header      http.Header
	body        []byte
}

func newReceiver(t *testing.T, statuses ...int) *receiver {
	rc := &receiver{script: statuses}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.requests = append(rc.requests, received{r.URL.Path, r.URL.RawQuery, r.Header.Clone(), body})
		status := 200
		if len(rc.script) > 0 {
			status, rc.script = rc.script[0], rc.script[1:]
		}
		rc.mu.Unlock()
		w.WriteHeader(status)
		if strings.HasPrefix(r.URL.Path, "/robot") {
			io.WriteString(w, `{"errcode":0,"errmsg":"ok"}`)
		}
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) got() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]received(nil), rc.requests...)
}

func TestBreachNotifiesTheAgentAndTheSupervisorsInAppAndBySignedWebhook(t *testing.T) {
	rc := newReceiver(t, 500) // the first attempt fails
	secret := "s3cret-for-tests"
	h := newClockHarnessWith(t, true, []notify.Webhook{{Name: "ops", URL: rc.URL + "/hook", Format: notify.FormatSigned, Secret: secret, Kinds: []string{"breach"}}})
	id := h.newCase(1, "TM50001") // the agent opened it and works it
	h.advance("2h")               // level 1: first response within 2 h

	for _, role := range []store.Role{store.RoleAgent, store.RoleSupervisor} {
		r := h.do(role, "GET", "/api/v1/notifications", nil)
		ns := r.body["notifications"].([]any)
		if r.status != 200 || len(ns) == 0 {
			t.Fatalf("%s notifications: %d %s", role, r.status, r.raw)
		}
		first := ns[0].(map[string]any)
		if first["kind"] != "breach" || !strings.Contains(first["text"].(string), "首次响应超时") || first["case_id"].(float64) != float64(id) {
			t.Fatalf("%s newest notification: %v", role, first)
		}
	}
	if r := h.do(store.RoleAdmin, "GET", "/api/v1/notifications", nil); len(r.body["notifications"].([]any)) != 0 {
		t.Fatalf("the admin was notified: %s", r.raw)
	}
	r := h.do(store.RoleAgent, "GET", "/api/v1/notifications", nil)
	unread := r.body["unread"].(float64)
	if r := h.do(store.RoleAgent, "POST", "/api/v1/notifications/read", map[string]any{"all": true}); r.status != 200 || r.body["unread"].(float64) != 0 || unread == 0 {
		t.Fatalf("mark read (had %v unread): %d %s", unread, r.status, r.raw)
	}

	// The webhook: only the breach (not the 80 % warning), signed; a 500 is retried
	// after the backoff.
	reqs := rc.got()
	if len(reqs) != 1 {
		t.Fatalf("webhook requests after the breach: %d", len(reqs))
	}
	h.advance("30s")
	reqs = rc.got()
	if len(reqs) != 2 {
		t.Fatalf("webhook requests after the backoff: %d", len(reqs))
	}
	for _, q := range reqs {
		if !notify.Verify(secret, q.header.Get(notify.HeaderTimestamp), q.header.Get(notify.HeaderSignature), q.body) {
			t.Fatalf("signature does not verify: %q", q.header.Get(notify.HeaderSignature))
		}
		if notify.Verify("wrong", q.header.Get(notify.HeaderTimestamp), q.header.Get(notify.HeaderSignature), q.body) {
			t.Fatal("signature verifies with the wrong secret")
		}
		var m notify.Message
		if json.Unmarshal(q.body, &m) != nil || m.Kind != "breach" || m.CaseID != id {
			t.Fatalf("body %s", q.body)
		}
	}
	if reqs[0].header.Get(notify.HeaderDelivery) != reqs[1].header.Get(notify.HeaderDelivery) {
		t.Fatal("a retry carries another delivery id")
	}
	log := h.do(store.RoleAdmin, "GET", "/api/v1/webhooks/deliveries", nil)
	ds := log.body["deliveries"].([]any)
	if log.status != 200 || len(ds) != 1 {
		t.Fatalf("delivery log: %d %s", log.status, log.raw)
	}
	d := ds[0].(map[string]any)
	if d["status"] != "delivered" || fmt.Sprint(statuses(d)) != "[500 200]" {
		t.Fatalf("delivery %v attempts %v", d["status"], statuses(d))
	}
	if r := h.do(store.RoleAgent, "GET", "/api/v1/webhooks/deliveries", nil); r.status != 403 {
		t.Fatalf("agent reading the delivery log: %d", r.status)
	}
	// Replay sends it once more and logs the attempt.
	if r := h.do(store.RoleAdmin, "POST", fmt.Sprintf("/api/v1/webhooks/deliveries/%v/replay", d["id"]), nil); r.status != 202 {
		t.Fatalf("replay: %d %s", r.status, r.raw)
	}
	h.advance("1s")
	log = h.do(store.RoleAdmin, "GET", "/api/v1/webhooks/deliveries", nil)
	if got := statuses(log.body["deliveries"].([]any)[0].(map[string]any)); fmt.Sprint(got) != "[500 200 200]" || len(rc.got()) != 3 {
		t.Fatalf("after replay: attempts %v, %d requests", got, len(rc.got()))
	}
	if r := h.do(store.RoleAdmin, "POST", "/api/v1/webhooks/deliveries/999/replay", nil); r.status != 404 {
		t.Fatalf("replay of an unknown delivery: %d", r.status)
	}
}

func statuses(d map[string]any) []int {
	var out []int
	for _, a := range d["log"].([]any) {
		out = append(out, int(a.(map[string]any)["status_code"].(float64)))
	}
	return out
}

func TestRobotWebhooksUseTheWeComAndDingTalkFormats(t *testing.T) {
	rc := newReceiver(t)
	h := newClockHarnessWith(t, true, []notify.Webhook{
		{Name: "wecom", URL: rc.URL + "/robot/wecom?key=k1", Format: notify.FormatWeCom},
		{Name: "dingtalk", URL: rc.URL + "/robot/dingtalk?access_token=t1", Format: notify.FormatDingTalk, Secret: "SEC123"},
	})
	h.newCase(1, "TM50002")
	h.advance("2h")
	byPath := map[string][]received{}
	for _, q := range rc.got() {
		byPath[q.path] = append(byPath[q.path], q)
	}
	for _, path := range []string{"/robot/wecom", "/robot/dingtalk"} {
		reqs := byPath[path]
		if len(reqs) != 2 { // the 80 % warning and the breach
			t.Fatalf("%s: %d requests", path, len(reqs))
		}
		var body struct {
			Msgtype string `json:"msgtype"`
			Text    struct {
				Content string `json:"content"`
			} `json:"text"`
		}
		if err := json.Unmarshal(reqs[1].body, &body); err != nil || body.Msgtype != "text" || !strings.Contains(body.Text.Content, "【售后超时】") {
			t.Fatalf("%s body %s", path, reqs[1].body)
		}
	}
	q := byPath["/robot/dingtalk"][0].query
	if !strings.Contains(q, "access_token=t1") || !strings.Contains(q, "timestamp=") || !strings.Contains(q, "sign=") {
		t.Fatalf("dingtalk query %q", q)
	}
}

func TestNotificationStreamPushesABreachWithoutReload(t *testing.T) {
	h := newClockHarness(t, true)
	h.newCase(1, "TM50003")
	req, _ := http.NewRequest("GET", h.srv.URL+"/api/v1/notifications/stream", nil)
	req.Header.Set("Authorization", "Bearer "+h.harness.tokens[store.RoleAgent])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || ct != "text/event-stream" {
		t.Fatalf("stream: %d %s", resp.StatusCode, ct)
	}
	events := make(chan notify.Snapshot, 8)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				var s notify.Snapshot
				json.Unmarshal([]byte(data), &s)
				events <- s
			}
		}
		close(events)
	}()
	next := func() notify.Snapshot {
		select {
		case s := <-events:
			return s
		case <-time.After(10 * time.Second):
			t.Fatal("no event on the stream")
		}
		return notify.Snapshot{}
	}
	if s := next(); s.Unread != 0 || s.Latest != nil {
		t.Fatalf("first snapshot %+v", s)
	}
	h.advance("2h")
	for {
		s := next()
		if s.Latest != nil && s.Latest.Kind == "breach" {
			if s.Unread < 1 || !strings.Contains(s.Latest.Text, "首次响应超时") {
				t.Fatalf("breach snapshot %+v", s)
			}
			return
		}
	}
}
