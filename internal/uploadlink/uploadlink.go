// Package uploadlink is the customer's upload link (凭证上传): a short, unguessable
// token bound to one case, stored only as its SHA-256, that expires and that the agent
// can revoke. The rules here are pure; the desk stores links and records their
// creation and revocation as case events; internal/customer serves the page.
package uploadlink

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
)

// Config holds the link's numbers (config: evidence.link_*).
type Config struct {
	// TTL is how long a new link works (72 h by default).
	TTL time.Duration `yaml:"ttl" doc:"how long a customer's upload link works (Go duration: 72h)"`
	// PerLinkPerMinute bounds the requests one link may make in a minute;
	// PerAddrPerMinute those of one network address (all links, and unknown tokens).
	PerLinkPerMinute int `yaml:"per_link_per_minute" doc:"requests one upload link may make per minute (page, uploads)"`
	PerAddrPerMinute int `yaml:"per_addr_per_minute" doc:"requests to upload links one network address may make per minute (unknown tokens included)"`
	// MaxFiles bounds the files one link takes (the case's own bound still applies).
	MaxFiles int `yaml:"max_files" doc:"files one upload link takes at most"`
	// BaseURL is put before /u/<token> in the link given to the customer; empty: the
	// scheme and host the agent's request came in on.
	BaseURL string `yaml:"base_url" doc:"public address the customer opens (https://desk.example.com); empty: the address the agent uses"`
}

// DefaultConfig: 72 hours, 60 requests a minute per link, 120 per address, 30 files.
func DefaultConfig() Config {
	return Config{TTL: 72 * time.Hour, PerLinkPerMinute: 60, PerAddrPerMinute: 120, MaxFiles: 30}
}

// Validate checks the numbers.
func (c Config) Validate() error {
	switch {
	case c.TTL < time.Minute || c.TTL > 30*24*time.Hour:
		return errors.New("evidence.link.ttl: 上传链接有效期须在1分钟到30天之间")
	case c.PerLinkPerMinute <= 0 || c.PerAddrPerMinute <= 0:
		return errors.New("evidence.link: 每分钟请求上限须为正数")
	case c.MaxFiles <= 0:
		return errors.New("evidence.link.max_files: 每个链接的文件数上限须为正数")
	case c.BaseURL != "" && !strings.HasPrefix(c.BaseURL, "https://") && !strings.HasPrefix(c.BaseURL, "http://"):
		return fmt.Errorf("evidence.link.base_url: %q 须以 https:// 或 http:// 开头", c.BaseURL)
	}
	return nil
}

// Link is one stored link; the token itself is never stored.
type Link struct {
	ID        int64      `json:"id"`
	CaseID    int64      `json:"case_id"`
	TokenHash string     `json:"-"`
	CreatedBy string     `json:"created_by"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt time.Time  `json:"expires_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
	RevokedBy string     `json:"revoked_by,omitempty"`
	Uploads   int        `json:"uploads"`
}

// State names where a link stands at now.
type State string

const (
	Active  State = "active"
	Expired State = "expired"
	Revoked State = "revoked"
)

// StateLabels are the Chinese names of the states.
var StateLabels = map[State]string{Active: "有效", Expired: "已过期", Revoked: "已撤销"}

// State is the link's state at now.
func (l Link) State(now time.Time) State {
	switch {
	case l.RevokedAt != nil:
		return Revoked
	case !now.Before(l.ExpiresAt):
		return Expired
	}
	return Active
}

// Refusal is why a customer's link does not work, in Chinese for the page.
type Refusal struct {
	Code    string
	Message string
}

func (r *Refusal) Error() string { return r.Code + ": " + r.Message }

// The refusals a customer can meet.
var (
	ErrUnknown = &Refusal{"link_unknown", "链接无效:请核对链接是否完整,或联系客服重新获取"}
	ErrExpired = &Refusal{"link_expired", "链接已过期:请联系客服重新获取上传链接"}
	ErrRevoked = &Refusal{"link_revoked", "链接已失效:客服已撤销此链接,如需上传请联系客服"}
	ErrClosed  = &Refusal{"case_closed", "该售后已处理完毕,无需再上传凭证"}
	ErrLimited = &Refusal{"rate_limited", "操作太频繁,请稍等一分钟再试"}
	ErrFull    = &Refusal{"link_full", "此链接上传的文件数已达上限,如需补充请联系客服"}
)

// Check refuses an expired or revoked link.
func (l Link) Check(now time.Time) error {
	switch l.State(now) {
	case Expired:
		return ErrExpired
	case Revoked:
		return ErrRevoked
	}
	return nil
}

// tokenBytes of randomness: 128 bits, 22 characters of URL-safe base64.
const tokenBytes = 16

var tokenPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{22}$`)

// NewToken draws a token from rand (crypto/rand.Reader) and returns it with its hash.
func NewToken(rand io.Reader) (token, hash string, err error) {
	b := make([]byte, tokenBytes)
	if _, err := io.ReadFull(rand, b); err != nil {
		return "", "", fmt.Errorf("upload link token: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, Hash(token), nil
}

// ValidToken says whether s has a token's shape (anything else is refused unlooked-up).
func ValidToken(s string) bool { return tokenPattern.MatchString(s) }

// Hash is what is stored of a token.
func Hash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// URL is the link the customer opens.
func URL(base, token string) string { return strings.TrimRight(base, "/") + "/u/" + token }

// ScriptLine is the ready message for the customer, with the link and its end filled in.
func ScriptLine(url string, expires time.Time, zone *time.Location, missing []string) string {
	what := "照片或视频凭证"
	if len(missing) > 0 {
		what = strings.Join(missing, "、")
	}
	return fmt.Sprintf("亲,麻烦您点击下面的链接上传%s,手机可直接拍照或从相册选择,链接在%s前有效:%s",
		what, expires.In(zone).Format("1月2日15:04"), url)
}
