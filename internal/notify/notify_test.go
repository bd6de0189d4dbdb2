package notify

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestSignatureVerifiesOnlyWithTheSecretTimestampAndBody(t *testing.T) {
	at := time.Unix(1764550000, 0)
	body := []byte(`{"id":1,"kind":"breach"}`)
	sig := Sign("k", at, body)
	tests := []struct {
		name, secret, ts string
		body             []byte
		ok               bool
	}{
		{"as sent", "k", "1764550000", body, true},
		{"another secret", "x", "1764550000", body, false},
		{"another timestamp", "k", "1764550001", body, false},
		{"a changed body", "k", "1764550000", []byte(`{"id":2,"kind":"breach"}`), false},
		{"no timestamp", "k", "", body, false},
	}
	for _, tt := range tests {
		if got := Verify(tt.secret, tt.ts, sig, tt.body); got != tt.ok {
			t.Errorf("%s: verify %v, want %v", tt.name, got, tt.ok)
		}
	}
	if !strings.HasPrefix(sig, "sha256=") || len(sig) != len("sha256=")+64 {
		t.Errorf("signature %q", sig)
	}
}

func TestBackoffDoublesUpToTheMaximum(t *testing.T) {
	c := Config{Backoff: 30 * time.Second, BackoffMax: 4 * time.Minute}
	now := time.Unix(0, 0)
	for failed, want := range map[int]time.Duration{1: 30 * time.Second, 2: time.Minute, 3: 2 * time.Minute, 4: 4 * time.Minute, 5: 4 * time.Minute} {
		if got := c.NextAttempt(failed, now).Sub(now); got != want {
			t.Errorf("after %d failures: wait %v, want %v", failed, got, want)
		}
	}
}

func TestRobotBodiesAreTheDocumentedTextMessages(t *testing.T) {
	m := Message{ID: 7, Kind: KindBreach, CaseID: 3, Text: "工单 #3 首次响应超时"}
	for _, f := range []string{FormatWeCom, FormatDingTalk} {
		raw, _ := Body(f, m)
		var b map[string]any
		json.Unmarshal(raw, &b)
		if b["msgtype"] != "text" || b["text"].(map[string]any)["content"] != "【售后超时】工单 #3 首次响应超时" {
			t.Errorf("%s body %s", f, raw)
		}
	}
	u := DingTalkURL("https://oapi.dingtalk.com/robot/send?access_token=abc", "SEC", time.UnixMilli(1764550000123))
	if !strings.Contains(u, "access_token=abc") || !strings.Contains(u, "timestamp=1764550000123") || !strings.Contains(u, "sign=") {
		t.Errorf("dingtalk url %s", u)
	}
}

func TestWebhookConfigMistakesAreErrors(t *testing.T) {
	base := Config{MaxAttempts: 6, Backoff: time.Second, BackoffMax: time.Minute, Timeout: time.Second, Lease: time.Minute, KeepAlive: time.Second}
	bad := []Webhook{
		{Name: "a", URL: "ftp://x", Format: FormatSigned, Secret: "s"},
		{Name: "a", URL: "https://x", Format: "slack"},
		{Name: "a", URL: "https://x", Format: FormatSigned},
		{Name: "a", URL: "https://x", Format: FormatWeCom, Kinds: []string{"everything"}},
	}
	for _, w := range bad {
		c := base
		c.Webhooks = []Webhook{w}
		if c.Validate() == nil {
			t.Errorf("accepted %+v", w)
		}
	}
	base.Webhooks = []Webhook{{Name: "ops", URL: "https://hooks.example.com/x", Format: FormatSigned, Secret: "s"}}
	if err := base.Validate(); err != nil {
		t.Errorf("refused a good webhook: %v", err)
	}
}
