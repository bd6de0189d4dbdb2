package platform

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/money"
)

// ConnectorsConfig configures the live platform connectors run by serve. Credentials
// are configuration; nothing is polled unless enabled.
type ConnectorsConfig struct {
	Enabled       bool              `yaml:"enabled" doc:"run the configured platform connectors in serve (off by default)"`
	PollSeconds   int               `yaml:"poll_seconds" doc:"seconds between two polls of a connector's change feed"`
	RatePerSecond float64           `yaml:"rate_per_second" doc:"requests a second a connector may make to its platform (token bucket)"`
	Burst         int               `yaml:"burst" doc:"requests a connector may make at once after a pause"`
	MaxAttempts   int               `yaml:"max_attempts" doc:"tries of one fetch before the poll gives up until the next interval"`
	BackoffMillis int               `yaml:"backoff_ms" doc:"first wait after a failed fetch, doubled after each failure (at most 30 s)"`
	Shops         []ConnectorConfig `yaml:"shops" doc:"one entry per shop: name, kind (doudian), base_url, app_key, app_secret, shop (code)"`
}

// ConnectorConfig is one shop's connection to its platform.
type ConnectorConfig struct {
	Name      string `yaml:"name"`
	Kind      string `yaml:"kind"`
	BaseURL   string `yaml:"base_url"`
	AppKey    string `yaml:"app_key"`
	AppSecret string `yaml:"app_secret"`
	Shop      string `yaml:"shop"`
}

// DefaultConnectors: off; when on, a poll a minute at 2 requests a second.
func DefaultConnectors() ConnectorsConfig {
	return ConnectorsConfig{PollSeconds: 60, RatePerSecond: 2, Burst: 4, MaxAttempts: 5, BackoffMillis: 500}
}

// Validate checks the connectors' settings (only when enabled).
func (c ConnectorsConfig) Validate() error {
	if !c.Enabled {
		return nil
	}
	switch {
	case c.PollSeconds < 5:
		return fmt.Errorf("connectors.poll_seconds: 至少5秒")
	case c.RatePerSecond <= 0 || c.Burst < 1:
		return fmt.Errorf("connectors.rate_per_second / burst: 须为正数")
	case c.MaxAttempts < 1 || c.BackoffMillis < 1:
		return fmt.Errorf("connectors.max_attempts / backoff_ms: 须为正数")
	case len(c.Shops) == 0:
		return fmt.Errorf("connectors.shops: 已启用平台接口,请至少配置一个店铺")
	}
	seen := map[string]bool{}
	for i, s := range c.Shops {
		u, err := url.Parse(s.BaseURL)
		switch {
		case s.Name == "" || seen[s.Name]:
			return fmt.Errorf("connectors.shops[%d].name: 须填写且不能重复", i)
		case s.Kind != "doudian":
			return fmt.Errorf("connectors.shops[%d].kind: 未知的接口类型 %q(可用:doudian)", i, s.Kind)
		case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
			return fmt.Errorf("connectors.shops[%d].base_url: 须为 http(s):// 地址", i)
		case s.AppKey == "" || s.AppSecret == "":
			return fmt.Errorf("connectors.shops[%d]: 请填写 app_key 和 app_secret", i)
		case !shopPattern.MatchString(s.Shop):
			return fmt.Errorf("connectors.shops[%d].shop: 店铺代码须为字母、数字、下划线或短横线", i)
		}
		seen[s.Name] = true
	}
	return nil
}

// Doudian reads 抖店-style after-sale changes over HTTP: GET {base}/aftersale/changes
// ?cursor=&size=&timestamp=, signed with HMAC-SHA256 of the query under the app
// secret (headers X-App-Key, X-Sign). Items carry the after-sale API's own fields
// (aftersale_id, aftersale_type, aftersale_status, arbitrate_status, refund_amount in
// fen, status_deadline, apply_time, update_time in Unix seconds); the real 抖店 open
// platform's paths and signing would be a thin change here, the mapping stays.
type Doudian struct {
	cfg    ConnectorConfig
	client *http.Client
	now    func() time.Time
	size   int
}

// NewDoudian builds the connector of one shop.
func NewDoudian(cfg ConnectorConfig, client *http.Client, now func() time.Time) *Doudian {
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	if now == nil {
		now = time.Now
	}
	return &Doudian{cfg: cfg, client: client, now: now, size: 50}
}

// Name is the connector's configured name (its cursor's key).
func (d *Doudian) Name() string { return d.cfg.Name }

type doudianItem struct {
	AftersaleID     string `json:"aftersale_id"`
	OrderID         string `json:"order_id"`
	AftersaleType   int    `json:"aftersale_type"`
	AftersaleStatus int    `json:"aftersale_status"`
	ArbitrateStatus *int   `json:"arbitrate_status"`
	RefundAmount    int64  `json:"refund_amount"`
	PayAmount       int64  `json:"pay_amount"`
	StatusDeadline  int64  `json:"status_deadline"`
	ApplyTime       int64  `json:"apply_time"`
	UpdateTime      int64  `json:"update_time"`
	BuyerNick       string `json:"buyer_nick"`
	Reason          string `json:"reason"`
	BuyerMessage    string `json:"buyer_message"`
}

type doudianPage struct {
	Code    int           `json:"code"`
	Message string        `json:"msg"`
	Items   []doudianItem `json:"items"`
	Next    string        `json:"next_cursor"`
	More    bool          `json:"has_more"`
}

// Changes fetches the changes after cursor. 429 and 5xx answers are transient (the
// Poller retries them); a refused signature or a malformed answer is ErrPermanent.
func (d *Doudian) Changes(ctx context.Context, cursor string) (Page, error) {
	q := url.Values{"cursor": {cursor}, "size": {strconv.Itoa(d.size)}, "timestamp": {strconv.FormatInt(d.now().Unix(), 10)}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(d.cfg.BaseURL, "/")+"/aftersale/changes?"+q.Encode(), nil)
	if err != nil {
		return Page{}, fmt.Errorf("%w: %w", ErrPermanent, err)
	}
	req.Header.Set("X-App-Key", d.cfg.AppKey)
	req.Header.Set("X-Sign", Sign(d.cfg.AppSecret, q.Encode()))
	resp, err := d.client.Do(req)
	if err != nil {
		return Page{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return Page{}, err
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return Page{}, fmt.Errorf("%s: HTTP %d", d.cfg.Name, resp.StatusCode)
	case resp.StatusCode != http.StatusOK:
		return Page{}, fmt.Errorf("%w: %s: HTTP %d: %.200s", ErrPermanent, d.cfg.Name, resp.StatusCode, body)
	}
	var p doudianPage
	if err := json.Unmarshal(body, &p); err != nil {
		return Page{}, fmt.Errorf("%w: %s: %w", ErrPermanent, d.cfg.Name, err)
	}
	if p.Code != 0 {
		return Page{}, fmt.Errorf("%w: %s: code %d %s", ErrPermanent, d.cfg.Name, p.Code, p.Message)
	}
	out := Page{Next: p.Next, More: p.More}
	if out.Next == "" {
		out.Next = cursor
	}
	for _, it := range p.Items {
		out.Records = append(out.Records, d.record(it))
	}
	return out, nil
}

// record maps one item to a record of the shop.
func (d *Doudian) record(it doudianItem) Record {
	r := Record{Platform: cases.PlatformDouyin, Shop: d.cfg.Shop, AfterSaleID: it.AftersaleID, OrderNo: it.OrderID,
		Type: strconv.Itoa(it.AftersaleType), Status: strconv.Itoa(it.AftersaleStatus), RefundAmount: money.Amount(it.RefundAmount),
		OrderAmount: money.Amount(it.PayAmount), BuyerNick: it.BuyerNick, Reason: it.Reason, Description: it.BuyerMessage,
		Deadline: unix(it.StatusDeadline), AppliedAt: unix(it.ApplyTime), ModifiedAt: unix(it.UpdateTime)}
	if it.ArbitrateStatus != nil {
		r.Intervention = strconv.Itoa(*it.ArbitrateStatus)
	}
	return r
}

func unix(s int64) *time.Time {
	if s <= 0 {
		return nil
	}
	t := time.Unix(s, 0).UTC()
	return &t
}

// Sign is the request signature: hex HMAC-SHA256 of the encoded query.
func Sign(secret, query string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(query))
	return hex.EncodeToString(m.Sum(nil))
}
