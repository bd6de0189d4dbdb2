package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/platform"
)

func TestServeRunsTheConfiguredConnectorAgainstALocalFakePlatform(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	var calls atomic.Int64
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.Header.Get("X-Sign") != platform.Sign("dy-secret", r.URL.RawQuery) || r.Header.Get("X-App-Key") != "dy-key" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		items := []map[string]any{}
		if r.URL.Query().Get("cursor") == "" {
			items = append(items, map[string]any{"aftersale_id": "7311829300199999", "order_id": "4928371029384799999", "aftersale_type": 2,
				"aftersale_status": 6, "arbitrate_status": 0, "refund_amount": 9900, "buyer_nick": "抖音用户9999", "reason": "不想要了",
				"apply_time": time.Date(2026, 11, 29, 6, 0, 0, 0, time.UTC).Unix()})
		}
		json.NewEncoder(w).Encode(map[string]any{"code": 0, "items": items, "next_cursor": "1", "has_more": false})
	}))
	defer fake.Close()
	bin := buildBinary(t)
	data := t.TempDir()
	run(t, bin, "migrate", "--create", "--data", data)
	run(t, bin, "user", "add", "laowang", "--role", "supervisor", "--password", "password1", "--data", data)
	cfg := filepath.Join(t.TempDir(), "shouhou.yaml")
	connector := func(shop string) {
		os.WriteFile(cfg, []byte("connectors:\n  enabled: true\n  poll_seconds: 5\n  shops:\n    - {name: dy-main, kind: doudian, base_url: "+fake.URL+
			", app_key: dy-key, app_secret: dy-secret, shop: "+shop+"}\n"), 0o644)
	}
	// A connector naming a shop code no shop has would poll records every upsert refuses.
	connector("dy-main")
	if out := runFails(t, bin, "serve", "--config", cfg, "--data", data, "--addr", freeAddr(t)); !strings.Contains(out, "connectors.shops[0].shop: 没有代码为「dy-main」的店铺") {
		t.Fatalf("serve with an unknown connector shop: %s", out)
	}
	connector("main") // a new installation's only shop
	srv := startServerEnv(t, bin, data, freeAddr(t), []string{"SHOUHOU_CONFIG=" + cfg})
	client := login(t, srv.base, "laowang", "password1")
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		resp, err := client.Get(srv.base + "/api/v1/cases?platform=douyin")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(b), `"id":"7311829300199999"`) {
			if !strings.Contains(string(b), `"shop":"main"`) || !strings.Contains(string(b), `"status":"requested"`) {
				t.Fatalf("case %s", b)
			}
			return
		}
	}
	t.Fatalf("serve did not poll the connector into a case (%d calls)", calls.Load())
}

func TestAnIntakeTokenFromTheCLIPushesRecordsAndNothingElse(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	data := t.TempDir()
	run(t, bin, "migrate", "--create", "--data", data)
	run(t, bin, "user", "add", "erp", "--role", "agent", "--password", "password1", "--data", data)
	out := run(t, bin, "user", "token", "erp", "--name", "聚水潭", "--scope", "intake", "--data", data)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	secret := lines[len(lines)-1]
	if !strings.Contains(out, "scopes: [intake]") || !strings.HasPrefix(secret, "sht_") {
		t.Fatalf("token: %s", out)
	}
	if out := runFails(t, bin, "user", "token", "erp", "--name", "x", "--scope", "all", "--data", data); !strings.Contains(out, "未知的令牌权限范围") {
		t.Fatalf("unknown scope: %s", out)
	}
	srv := startServer(t, bin, data, freeAddr(t))
	defer func() { srv.cmd.Process.Kill(); srv.cmd.Wait() }()
	c := &http.Client{Timeout: 10 * time.Second}
	body := `{"items":[{"platform":"pinduoduo","aftersale_id":"8812090001","order_no":"241130-5839201746350001","type":"2","status":"2","refund_amount":"39.90","buyer_nick":"拼友1"}]}`
	for path, want := range map[string]string{"/api/v1/intake/aftersales": `"created":1`, "/api/v1/cases": `"code":"token_scope"`} {
		method := "POST"
		var r io.Reader = strings.NewReader(body)
		if path == "/api/v1/cases" {
			method, r = "GET", nil
		}
		req, _ := http.NewRequest(method, srv.base+path, r)
		req.Header.Set("Authorization", "Bearer "+secret)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(b), want) {
			t.Errorf("%s %s: %d %s; want %s", method, path, resp.StatusCode, b, want)
		}
	}
}
