package platform

import (
	"context"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/money"
)

func TestDocsPlatformsIsGeneratedFromTheDataFiles(t *testing.T) {
	want := MustLoad().Reference()
	const path = "../../docs/PLATFORMS.md"
	if os.Getenv("SHOUHOU_UPDATE_DOCS") != "" {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatal("docs/PLATFORMS.md differs from internal/platform/data; regenerate it with SHOUHOU_UPDATE_DOCS=1 go test ./internal/platform")
	}
	for _, s := range []string{"买家已经申请退款，等待卖家同意", "`requested`", "待商家同意", "10001", "平台处理中", "退款编号→aftersale_id"} {
		if !strings.Contains(want, s) {
			t.Errorf("the mapping table lacks %q", s)
		}
	}
}

func TestDataFilesRefuseUnknownCanonicalStatesAndDuplicates(t *testing.T) {
	base := "platforms: [jd]\nname: 京东\ntypes:\n  - {codes: [\"10\"], label: 退货, type: return_refund}\n"
	tests := []struct {
		name, file, want string
	}{
		{"unknown canonical state", base + "statuses:\n  - {code: \"1\", label: 待审核, status: waiting}\n", "unknown canonical state"},
		{"unknown canonical type", "platforms: [jd]\nname: 京东\ntypes:\n  - {codes: [\"10\"], label: 退货, type: give_back}\nstatuses: []\n", "unknown canonical type"},
		{"unknown actor", base + "statuses:\n  - {code: \"1\", label: 待审核, status: requested, actor: robot, expect: x}\n", "unknown actor"},
		{"a label naming two statuses", base + "statuses:\n  - {code: \"1\", label: 待审核, status: requested}\n  - {code: \"2\", label: 待审核, status: closed}\n", "names both"},
		{"unknown platform", "platforms: [tiktok]\nname: x\nstatuses: []\n", "unknown platform"},
		{"a typo in a key", base + "statuses:\n  - {code: \"1\", label: 待审核, state: requested}\n", "unknown field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadFS(fstest.MapFS{"jd.yaml": {Data: []byte(tt.file)}})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v; want %q", err, tt.want)
			}
		})
	}
}

func TestRawStatusesMapToCanonicalStates(t *testing.T) {
	cat := MustLoad()
	tests := []struct {
		p                  cases.Platform
		status, interv     string
		want, actor, label string
	}{
		{cases.PlatformTaobao, "WAIT_SELLER_AGREE", "", Requested, "seller", "买家已经申请退款，等待卖家同意"},
		{cases.PlatformTmall, "买家已经申请退款,等待卖家同意", "", Requested, "seller", "买家已经申请退款，等待卖家同意"},
		{cases.PlatformTaobao, "退款成功", "", Refunded, "", "退款成功"},
		{cases.PlatformTaobao, "WAIT_SELLER_CONFIRM_GOODS", "3", Intervened, "platform", "买家已经退货，等待卖家确认收货"},
		{cases.PlatformTaobao, "SUCCESS", "3", Refunded, "", "退款成功"},
		{cases.PlatformJD, "10001", "", Requested, "seller", "待审核"},
		{cases.PlatformJD, "待收货", "", AwaitingReturn, "buyer", "待收货"},
		{cases.PlatformDouyin, "6", "4", Intervened, "seller", "待商家同意"},
		{cases.PlatformDouyin, "27", "0", Refused, "buyer", "商家一次拒绝"},
		{cases.PlatformPinduoduo, "平台处理中", "", Intervened, "platform", "平台处理中"},
		{cases.PlatformPinduoduo, "10", "", Refunded, "", "退款成功"},
	}
	for _, tt := range tests {
		m, err := cat.Map(tt.p, tt.status, tt.interv)
		if err != nil {
			t.Errorf("%s %s: %v", tt.p, tt.status, err)
			continue
		}
		if m.State != tt.want || m.Actor != tt.actor || m.Status.Label != tt.label {
			t.Errorf("%s %s/%s = %s %s %s; want %s %s %s", tt.p, tt.status, tt.interv, m.State, m.Actor, m.Status.Label, tt.want, tt.actor, tt.label)
		}
	}
	if _, err := cat.Map(cases.PlatformJD, "WAIT_SELLER_AGREE", ""); err == nil {
		t.Error("a Taobao status read as a JD one")
	}
}

func TestExpectationSaysWhoMustDoWhatByWhen(t *testing.T) {
	cat := MustLoad()
	applied := time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC) // 10:00 Beijing
	c, errs := cat.Check(Record{Platform: cases.PlatformTaobao, AfterSaleID: "RF1001", OrderNo: "3901234567", Type: "仅退款",
		Status: "WAIT_SELLER_AGREE", RefundAmount: money.Yuan(59), AppliedAt: &applied, BuyerNick: "tb_小王"}, "intake", applied.Add(time.Hour))
	if errs != nil {
		t.Fatal(errs)
	}
	zone := time.FixedZone("CST", 8*3600)
	if got := Expectation(&c.AfterSale, zone); got != "卖家需在12月3日 10:00前处理退款申请" {
		t.Errorf("expectation %q", got)
	}
	c.AfterSale.Status, c.AfterSale.Deadline = Refunded, nil
	if got := Expectation(&c.AfterSale, zone); got != "" {
		t.Errorf("an ended record expects %q", got)
	}
}

func TestTheTokenBucketLetsABurstThroughThenOneRequestPerInterval(t *testing.T) {
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	var slept []time.Duration
	clock := func() time.Time { return now }
	sleep := func(_ context.Context, d time.Duration) error { slept = append(slept, d); now = now.Add(d); return nil }
	b := NewBucket(2, 3, clock, sleep)
	for i := 0; i < 5; i++ {
		if err := b.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if len(slept) != 2 || slept[0] != 500*time.Millisecond || slept[1] != 500*time.Millisecond {
		t.Fatalf("waits %v; want the burst of 3 free, then 500ms each", slept)
	}
	now = now.Add(10 * time.Second) // a long pause refills only up to the burst
	slept = nil
	for i := 0; i < 4; i++ {
		b.Wait(context.Background())
	}
	if len(slept) != 1 {
		t.Fatalf("after a pause: waits %v; want one", slept)
	}
}

func TestConnectorSettingsAreCheckedOnlyWhenEnabled(t *testing.T) {
	ok := ConnectorConfig{Name: "dy", Kind: "doudian", BaseURL: "http://127.0.0.1:9", AppKey: "k", AppSecret: "s"}
	tests := []struct {
		name string
		mod  func(*ConnectorsConfig)
		want string
	}{
		{"disabled with nothing configured", func(c *ConnectorsConfig) { c.Enabled = false }, ""},
		{"enabled and complete", func(c *ConnectorsConfig) {}, ""},
		{"no shops", func(c *ConnectorsConfig) { c.Shops = nil }, "至少配置一个店铺"},
		{"unknown kind", func(c *ConnectorsConfig) { c.Shops[0].Kind = "taobao-top" }, "未知的接口类型"},
		{"no scheme", func(c *ConnectorsConfig) { c.Shops[0].BaseURL = "open.example.com" }, "base_url"},
		{"no secret", func(c *ConnectorsConfig) { c.Shops[0].AppSecret = "" }, "app_secret"},
		{"poll too often", func(c *ConnectorsConfig) { c.PollSeconds = 1 }, "poll_seconds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := DefaultConnectors()
			c.Enabled, c.Shops = true, []ConnectorConfig{ok}
			tt.mod(&c)
			err := c.Validate()
			if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
				t.Fatalf("err %v; want %q", err, tt.want)
			}
		})
	}
}
