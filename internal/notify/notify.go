// Package notify tells people about cases: every notification is an event on the case
// (cases.EvNotified), a row in each recipient's in-app 通知 list, and — for each
// configured webhook — a delivery in an outbox written in the same transaction. The
// Deliverer sends the outbox: signed JSON (HMAC-SHA256 over timestamp and body) or the
// 企业微信 / 钉钉 group-robot formats, retrying with exponential backoff and logging
// every attempt with its status code; a delivery can be replayed.
package notify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"time"
)

// Formats of a webhook's body.
const (
	FormatSigned   = "signed"   // shouhou's JSON, signed in X-Shouhou-Signature
	FormatWeCom    = "wecom"    // 企业微信群机器人: {"msgtype":"text","text":{"content":…}}
	FormatDingTalk = "dingtalk" // 钉钉群机器人: the same shape; signed in the URL when a secret is set
)

// Headers of a signed delivery.
const (
	HeaderSignature = "X-Shouhou-Signature" // sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">
	HeaderTimestamp = "X-Shouhou-Timestamp" // Unix seconds
	HeaderDelivery  = "X-Shouhou-Delivery"  // the delivery id: the same on a retry or replay
)

// Webhook is one place notifications go.
type Webhook struct {
	Name   string `yaml:"name" json:"name"`
	URL    string `yaml:"url" json:"url"`
	Format string `yaml:"format" json:"format"`
	// Secret signs the body (signed) or the URL (dingtalk).
	Secret string `yaml:"secret" json:"-"`
	// Kinds limits which notifications go out (breach, warning, timer); empty: all.
	Kinds []string `yaml:"kinds" json:"kinds,omitempty"`
}

// Wants reports whether the webhook takes notifications of kind.
func (w Webhook) Wants(kind string) bool { return len(w.Kinds) == 0 || slices.Contains(w.Kinds, kind) }

// Config is how notifications go out; internal/config holds the defaults.
type Config struct {
	Webhooks []Webhook `yaml:"webhooks" json:"webhooks" doc:"webhooks notifications go to: name, url, format (signed, wecom, dingtalk), secret, kinds"`
	// MaxAttempts bounds the tries of one delivery; Backoff is the wait after the first
	// failure, doubled after each next one up to BackoffMax; Timeout bounds one request.
	MaxAttempts int           `yaml:"max_attempts" json:"max_attempts" doc:"tries of one webhook delivery"`
	Backoff     time.Duration `yaml:"backoff" json:"backoff" doc:"wait after the first failed delivery, doubled after each next one"`
	BackoffMax  time.Duration `yaml:"backoff_max" json:"backoff_max" doc:"longest wait between delivery attempts"`
	Timeout     time.Duration `yaml:"timeout" json:"timeout" doc:"time limit of one webhook request"`
	// Lease is how long a claimed delivery is reserved for the process sending it.
	Lease time.Duration `yaml:"lease" json:"lease" doc:"how long a claimed delivery is reserved for the process sending it"`
	// KeepAlive is how often an idle 通知 stream writes a comment for proxies.
	KeepAlive time.Duration `yaml:"keep_alive" json:"keep_alive" doc:"how often an idle 通知 stream writes a keep-alive comment"`
}

// Validate checks the webhooks and the numbers.
func (c Config) Validate() error {
	var errs []error
	names := map[string]bool{}
	for i, w := range c.Webhooks {
		at := fmt.Sprintf("notify.webhooks[%d]", i)
		u, err := url.Parse(w.URL)
		switch {
		case w.Name == "" || names[w.Name]:
			errs = append(errs, fmt.Errorf("%s.name: 须填写且不能重复", at))
		case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
			errs = append(errs, fmt.Errorf("%s.url: %q 不是 http(s) 地址", at, w.URL))
		case w.Format != FormatSigned && w.Format != FormatWeCom && w.Format != FormatDingTalk:
			errs = append(errs, fmt.Errorf("%s.format: 须为 signed、wecom 或 dingtalk,不是 %q", at, w.Format))
		case w.Format == FormatSigned && w.Secret == "":
			errs = append(errs, fmt.Errorf("%s.secret: signed 格式须设置签名密钥", at))
		}
		for _, k := range w.Kinds {
			if _, ok := KindLabels[k]; !ok {
				errs = append(errs, fmt.Errorf("%s.kinds: 未知的通知类型 %q(breach、warning、timer、escalation、alert)", at, k))
			}
		}
		names[w.Name] = true
	}
	if c.MaxAttempts < 1 || c.Backoff <= 0 || c.BackoffMax < c.Backoff || c.Timeout <= 0 || c.Lease <= c.Timeout || c.KeepAlive <= 0 {
		errs = append(errs, errors.New("notify: max_attempts、backoff、backoff_max、timeout、lease、keep_alive 须为正数,backoff_max ≥ backoff,lease > timeout"))
	}
	return errors.Join(errs...)
}

// Notification kinds.
const (
	KindBreach  = "breach"  // 超时: the agent and the supervisors
	KindWarning = "warning" // 即将超时: the agent
	KindTimer   = "timer"   // a playbook timer or the follow-up ran out
	// KindWarehouse: the warehouse received and inspected a returned parcel.
	KindWarehouse = "warehouse"
	// KindEscalation: a 回访 outcome (low score, not solved) reopened the case for the supervisors.
	KindEscalation = "escalation"
	// KindAlert: a same-batch or courier-damage alert was raised or grew (internal/quality).
	KindAlert = "alert"
	// KindApproval: an agent asks the supervisors to approve an amount.
	KindApproval = "approval"
	// KindEvidence: the customer sent evidence through an upload link (the agent).
	KindEvidence = "evidence"
)

// KindLabels are the Chinese names of the kinds.
var KindLabels = map[string]string{KindWarehouse: "仓库收货", KindBreach: "超时", KindWarning: "即将超时", KindTimer: "计时到期", KindEscalation: "回访不满意", KindAlert: "质量预警", KindApproval: "待审批", KindEvidence: "顾客上传凭证"}

// Message is what a webhook says about one notification.
type Message struct {
	ID     int64     `json:"id"`
	Kind   string    `json:"kind"`
	CaseID int64     `json:"case_id"`
	Text   string    `json:"text"`
	To     []string  `json:"to"`
	At     time.Time `json:"at"`
}

// Body is the request body of a webhook in its format.
func Body(format string, m Message) ([]byte, error) {
	switch format {
	case FormatWeCom, FormatDingTalk:
		return json.Marshal(map[string]any{"msgtype": "text", "text": map[string]string{"content": "【售后" + KindLabels[m.Kind] + "】" + m.Text}})
	}
	return json.Marshal(m)
}

// Sign is the signature header value of a signed body sent at ts.
func Sign(secret string, ts time.Time, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strconv.FormatInt(ts.Unix(), 10) + "."))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// Verify checks a signed delivery as a receiver does: the signature over the
// timestamp header and the body.
func Verify(secret, timestamp, signature string, body []byte) bool {
	sec, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return false
	}
	return hmac.Equal([]byte(Sign(secret, time.Unix(sec, 0), body)), []byte(signature))
}

// DingTalkURL adds 钉钉's signature (HMAC-SHA256 of "timestamp\nsecret", base64) to a
// robot's URL, as its documentation asks when the robot has 加签 on.
func DingTalkURL(raw, secret string, ts time.Time) string {
	if secret == "" {
		return raw
	}
	ms := strconv.FormatInt(ts.UnixMilli(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ms + "\n" + secret))
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	q := u.Query()
	q.Set("timestamp", ms)
	q.Set("sign", base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	u.RawQuery = q.Encode()
	return u.String()
}

// NextAttempt is when to try again after the n-th failed attempt (n ≥ 1): Backoff
// doubled n-1 times, at most BackoffMax.
func (c Config) NextAttempt(failed int, now time.Time) time.Time {
	d := c.Backoff
	for i := 1; i < failed && d < c.BackoffMax; i++ {
		d *= 2
	}
	return now.Add(min(d, c.BackoffMax))
}
