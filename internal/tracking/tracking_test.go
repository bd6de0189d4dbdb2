package tracking_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/tracking"
	"github.com/shouhou/shouhou/internal/tracking/trackingtest"
)

func TestKuaidi100SubscribesPollsAndVerifiesPushes(t *testing.T) {
	fake := trackingtest.New()
	t.Cleanup(fake.Close)
	var got []tracking.Push
	var gotErr []error
	var k *tracking.Kuaidi100
	cb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := k.ParsePush(r)
		if err != nil {
			gotErr = append(gotErr, err)
			w.WriteHeader(http.StatusForbidden)
			return
		}
		got = append(got, p)
	}))
	t.Cleanup(cb.Close)
	cfg := fake.Config(cb.URL + "/api/v1/tracking/callback/kuaidi100")
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	k = tracking.NewKuaidi100(cfg, cb.Client())
	ctx := context.Background()
	if err := k.Subscribe(ctx, tracking.Parcel{Number: "SF1234567890", Courier: "shunfeng"}); err != nil {
		t.Fatal(err)
	}
	if url, ok := fake.Subscribed("SF1234567890"); !ok || url != cfg.CallbackURL {
		t.Fatalf("subscription: %q %v", url, ok)
	}
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	fake.SetTrack("SF1234567890",
		trackingtest.Line{At: t0, Context: "顺丰速运 已收取快件", Area: "杭州市", Status: "揽收"},
		trackingtest.Line{At: t0.Add(5 * time.Hour), Context: "快件到达 上海转运中心", Area: "上海市", Status: "在途"},
		trackingtest.Line{At: t0.Add(20 * time.Hour), Context: "已签收，签收人：门卫", Area: "上海市", Status: "签收"})
	scans, err := k.Poll(ctx, tracking.Parcel{Number: "SF1234567890", Courier: "shunfeng"})
	if err != nil {
		t.Fatal(err)
	}
	want := []tracking.State{tracking.StatePickedUp, tracking.StateInTransit, tracking.StateSigned}
	if len(scans) != 3 {
		t.Fatalf("scans %+v", scans)
	}
	for i, s := range scans {
		if s.State != want[i] || !s.At.Equal(t0.Add([]time.Duration{0, 5 * time.Hour, 20 * time.Hour}[i])) || s.Number != "SF1234567890" {
			t.Errorf("scan %d = %+v, want state %s", i, s, want[i])
		}
	}
	if scans[2].Place != "上海市" || scans[2].Status != "已签收，签收人：门卫" {
		t.Errorf("place/status: %+v", scans[2])
	}
	if status, _, err := fake.Push(ctx, "SF1234567890", "", ""); err != nil || status != 200 {
		t.Fatalf("push: %d %v", status, err)
	}
	if len(got) != 1 || len(got[0].Scans) != 3 || got[0].Number != "SF1234567890" {
		t.Fatalf("push parsed: %+v", got)
	}
	if status, _, _ := fake.Push(ctx, "SF1234567890", "", "wrong-salt"); status != http.StatusForbidden {
		t.Fatalf("bad signature answered %d", status)
	}
	if len(gotErr) != 1 || !errors.Is(gotErr[0], tracking.ErrBadSignature) {
		t.Fatalf("bad signature error: %v", gotErr)
	}
}

func TestPollWithAWrongKeyFails(t *testing.T) {
	fake := trackingtest.New()
	t.Cleanup(fake.Close)
	cfg := fake.Config("http://127.0.0.1/api/v1/tracking/callback/kuaidi100")
	cfg.Key = "other"
	if _, err := tracking.NewKuaidi100(cfg, http.DefaultClient).Poll(context.Background(), tracking.Parcel{Number: "YT1234567890"}); err == nil {
		t.Fatal("a poll signed with the wrong key was answered")
	}
}

func TestStateCodes(t *testing.T) {
	for code, want := range map[string]tracking.State{"0": tracking.StateInTransit, "1": tracking.StatePickedUp, "2": tracking.StateProblem,
		"3": tracking.StateSigned, "4": tracking.StateReturned, "5": tracking.StateDelivering, "6": tracking.StateReturned,
		"14": tracking.StateProblem, "301": tracking.StateSigned, "x": tracking.StateInTransit} {
		if got := tracking.StateOfCode(code); got != want {
			t.Errorf("code %s → %s, want %s", code, got, want)
		}
	}
}

func TestConfigSwitchedOnNeedsItsKeys(t *testing.T) {
	c := tracking.DefaultConfig()
	if err := c.Validate(); err != nil {
		t.Fatalf("default: %v", err)
	}
	c.Enabled = true
	if err := c.Validate(); err == nil {
		t.Fatal("enabled without keys accepted")
	}
	c.Provider = "kuaidi1000"
	if err := c.Validate(); err == nil {
		t.Fatal("a mistyped provider accepted")
	}
}
