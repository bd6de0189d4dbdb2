// Package tracking follows parcels: the canonical states a scan falls into, the
// provider interface (subscribe, poll, parse a push) and an implementation for a
// 快递100-style aggregator API (kuaidi100.go). It keeps no state and never reads a
// clock of its own: the desk stores the numbers and scans in the case's transaction and
// decides what a scan means for the case (internal/desk/tracking.go).
package tracking

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"
)

// State is the canonical state of a scan.
type State string

const (
	StatePickedUp   State = "picked_up"  // 揽收
	StateInTransit  State = "in_transit" // 运输中
	StateDelivering State = "delivering" // 派送中
	StateSigned     State = "signed"     // 已签收
	StateProblem    State = "problem"    // 疑难/异常
	StateReturned   State = "returned"   // 退回
	StateNone       State = ""           // no scan yet
)

// States lists the canonical states in the order a parcel usually goes through them.
var States = []State{StatePickedUp, StateInTransit, StateDelivering, StateSigned, StateProblem, StateReturned}

// Label is the state in Chinese.
func (s State) Label() string {
	switch s {
	case StatePickedUp:
		return "揽收"
	case StateInTransit:
		return "运输中"
	case StateDelivering:
		return "派送中"
	case StateSigned:
		return "已签收"
	case StateProblem:
		return "疑难/异常"
	case StateReturned:
		return "退回"
	case StateNone:
		return "暂无物流信息"
	}
	return string(s)
}

// Valid reports whether s is one of States.
func (s State) Valid() bool {
	for _, v := range States {
		if s == v {
			return true
		}
	}
	return false
}

// Final reports whether a parcel in s moves no more (signed or back with the sender).
func (s State) Final() bool { return s == StateSigned || s == StateReturned }

// Role is what a tracking number is to its case.
type Role string

const (
	RoleShipment Role = "shipment" // the order's original shipment (intake)
	RoleReturn   Role = "return"   // the customer's parcel back to the shop
	RoleReship   Role = "reship"   // our reshipment
	RoleExchange Role = "exchange" // our exchange replacement
)

// Label is the role in Chinese.
func (r Role) Label() string {
	switch r {
	case RoleShipment:
		return "原发货"
	case RoleReturn:
		return "顾客退货"
	case RoleReship:
		return "补发"
	case RoleExchange:
		return "换货寄出"
	}
	return string(r)
}

// Roles lists the roles.
var Roles = []Role{RoleShipment, RoleReturn, RoleReship, RoleExchange}

// Scan is one line of a parcel's track.
type Scan struct {
	Number  string    `json:"number"`
	Courier string    `json:"courier,omitempty"`
	At      time.Time `json:"at"`
	Place   string    `json:"place,omitempty"`
	// Status is the carrier's text (Chinese), State its canonical state.
	Status string `json:"status"`
	State  State  `json:"state"`
}

// Key is what makes two scans the same one: number, time and status.
func (s Scan) Key() string {
	return strings.ToUpper(s.Number) + "|" + s.At.UTC().Truncate(time.Second).Format(time.RFC3339) + "|" + s.Status
}

// Parcel is a number to follow with its courier (company code, may be empty).
type Parcel struct {
	Number  string `json:"number"`
	Courier string `json:"courier,omitempty"`
}

// Push is what a provider's callback says about one parcel.
type Push struct {
	Parcel
	Scans []Scan
}

// Provider is a tracking aggregator.
type Provider interface {
	// Name is the provider's name in the callback path (/api/v1/tracking/callback/{name}).
	Name() string
	// Subscribe asks the provider to push the parcel's scans to the callback.
	Subscribe(ctx context.Context, p Parcel) error
	// Poll reads the parcel's whole track now (the fallback when pushes do not come).
	Poll(ctx context.Context, p Parcel) ([]Scan, error)
	// ParsePush checks a callback's signature and reads it; ErrBadSignature when the
	// signature does not match. Ack is the body the provider expects back.
	ParsePush(r *http.Request) (Push, error)
	Ack(ok bool) (contentType string, body []byte)
}

// ErrBadSignature is a callback whose signature does not match.
var ErrBadSignature = errors.New("tracking: bad callback signature")

// ErrUnknownProvider is a callback for a provider that is not configured.
var ErrUnknownProvider = errors.New("tracking: unknown provider")

var numberPattern = regexp.MustCompile(`^[A-Za-z0-9]{6,40}$`)

// ValidNumber reports whether s looks like a tracking number (6–40 letters/digits), the
// same rule the executions use.
func ValidNumber(s string) bool { return numberPattern.MatchString(s) }

// Normalize trims a typed or scanned number and upper-cases it.
func Normalize(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// Config configures the tracking provider. Disabled by default: numbers are still
// recorded on their cases, but nothing is subscribed or polled.
type Config struct {
	Enabled  bool   `yaml:"enabled" doc:"follow parcels with the tracking provider (docs/TRACKING.md); off by default"`
	Provider string `yaml:"provider" doc:"provider name: kuaidi100 (a 快递100-style aggregator API)"`
	BaseURL  string `yaml:"base_url" doc:"the provider's API address"`
	Key      string `yaml:"key" env:"SHOUHOU_TRACKING_KEY" doc:"the provider's authorisation key (授权key)"`
	Customer string `yaml:"customer" env:"SHOUHOU_TRACKING_CUSTOMER" doc:"the provider's customer id, signs polls (customer)"`
	Salt     string `yaml:"salt" env:"SHOUHOU_TRACKING_SALT" doc:"secret the provider signs pushes with: sign = MD5(param + salt), upper-case hex"`
	// CallbackURL is the public address the provider pushes to; the path must end in
	// /api/v1/tracking/callback/{provider}.
	CallbackURL  string        `yaml:"callback_url" doc:"public address of POST /api/v1/tracking/callback/{provider} the provider pushes to"`
	PollEvery    time.Duration `yaml:"poll_every" doc:"poll a parcel that is not final when no push came for this long (fallback; Go duration)"`
	StalledAfter time.Duration `yaml:"stalled_after" doc:"a parcel with no new scan for this long is 物流停滞 (no movement for N days)"`
	Tick         time.Duration `yaml:"tick" doc:"how often the follower looks for subscriptions to make and polls that are due"`
	Timeout      time.Duration `yaml:"timeout" doc:"timeout of one request to the provider"`
	Batch        int           `yaml:"batch" doc:"subscriptions or polls per round"`
}

// DefaultConfig: off; 快递100's address; a poll every 4 hours without a push; 3 days
// without movement is 物流停滞 (SOP §6 names no number: a starting point).
func DefaultConfig() Config {
	return Config{Provider: "kuaidi100", BaseURL: "https://poll.kuaidi100.com", PollEvery: 4 * time.Hour,
		StalledAfter: 72 * time.Hour, Tick: time.Minute, Timeout: 10 * time.Second, Batch: 50}
}

// Validate checks the configuration; a provider switched on needs its keys.
func (c Config) Validate() error {
	var errs []error
	bad := func(field, msg string) { errs = append(errs, fmt.Errorf("tracking.%s: %s", field, msg)) }
	if c.Provider != "kuaidi100" {
		bad("provider", fmt.Sprintf("未知的物流接口 %q(可选 kuaidi100)", c.Provider))
	}
	if c.PollEvery <= 0 {
		bad("poll_every", "须大于0")
	}
	if c.StalledAfter <= 0 {
		bad("stalled_after", "须大于0")
	}
	if c.Tick <= 0 {
		bad("tick", "须大于0")
	}
	if c.Timeout <= 0 {
		bad("timeout", "须大于0")
	}
	if c.Batch <= 0 {
		bad("batch", "须大于0")
	}
	if c.Enabled {
		if !strings.HasPrefix(c.BaseURL, "http://") && !strings.HasPrefix(c.BaseURL, "https://") {
			bad("base_url", "须以 http:// 或 https:// 开头")
		}
		if c.Key == "" {
			bad("key", "启用物流跟踪须填写授权key")
		}
		if c.Customer == "" {
			bad("customer", "启用物流跟踪须填写 customer")
		}
		if c.Salt == "" {
			bad("salt", "启用物流跟踪须填写签名用的 salt")
		}
		if !strings.Contains(c.CallbackURL, "/api/v1/tracking/callback/"+c.Provider) {
			bad("callback_url", "须为本服务的公网地址 …/api/v1/tracking/callback/"+c.Provider)
		}
	}
	return errors.Join(errs...)
}

// New builds the configured provider (nil when tracking is off).
func New(c Config, client *http.Client) (Provider, error) {
	if !c.Enabled {
		return nil, nil
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if client == nil {
		client = &http.Client{Timeout: c.Timeout}
	}
	return NewKuaidi100(c, client), nil
}
