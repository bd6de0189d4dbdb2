// Package trackingtest is a local fake of a 快递100-style tracking provider for tests:
// an httptest server that records subscriptions, answers polls with the tracks a test
// sets (checking the poll's signature) and pushes signed callbacks.
package trackingtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/shouhou/shouhou/internal/tracking"
)

// Line is one scan of a fake track.
type Line struct {
	At      time.Time
	Context string // the carrier's text
	Area    string
	Status  string // the status word: 揽收, 在途, 派件, 签收, 退回, 疑难 …
}

// Provider is the fake.
type Provider struct {
	Server              *httptest.Server
	Key, Customer, Salt string

	mu         sync.Mutex
	subscribed map[string]string // number → callback URL
	tracks     map[string][]Line
	polls      map[string]int
	refuse     bool
}

// New starts the fake; Close it with t.Cleanup(p.Close).
func New() *Provider {
	p := &Provider{Key: "fake-key", Customer: "FAKECUSTOMER", Salt: "fake-salt",
		subscribed: map[string]string{}, tracks: map[string][]Line{}, polls: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /poll", p.subscribe)
	mux.HandleFunc("POST /poll/query.do", p.query)
	p.Server = httptest.NewServer(mux)
	return p
}

// Close stops the server.
func (p *Provider) Close() { p.Server.Close() }

// Config is a tracking configuration that talks to the fake, with callback the
// server's callback address.
func (p *Provider) Config(callback string) tracking.Config {
	c := tracking.DefaultConfig()
	c.Enabled, c.BaseURL, c.Key, c.Customer, c.Salt, c.CallbackURL = true, p.Server.URL, p.Key, p.Customer, p.Salt, callback
	return c
}

// Refuse makes every subscription fail (the provider is down) until called with false.
func (p *Provider) Refuse(on bool) { p.mu.Lock(); p.refuse = on; p.mu.Unlock() }

// Subscribed reports the callback a number was subscribed with.
func (p *Provider) Subscribed(number string) (string, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	cb, ok := p.subscribed[number]
	return cb, ok
}

// Polls counts the polls of a number.
func (p *Provider) Polls(number string) int { p.mu.Lock(); defer p.mu.Unlock(); return p.polls[number] }

// SetTrack replaces a number's track (oldest first).
func (p *Provider) SetTrack(number string, lines ...Line) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.tracks[number] = lines
}

func (p *Provider) subscribe(w http.ResponseWriter, r *http.Request) {
	var param struct {
		Company    string            `json:"company"`
		Number     string            `json:"number"`
		Key        string            `json:"key"`
		Parameters map[string]string `json:"parameters"`
	}
	_ = r.ParseForm()
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := json.Unmarshal([]byte(r.PostForm.Get("param")), &param); err != nil || param.Key != p.Key || p.refuse {
		writeJSON(w, map[string]any{"result": false, "returnCode": "700", "message": "参数错误"})
		return
	}
	if param.Parameters["salt"] != p.Salt || param.Parameters["callbackurl"] == "" {
		writeJSON(w, map[string]any{"result": false, "returnCode": "700", "message": "缺少回调地址"})
		return
	}
	p.subscribed[param.Number] = param.Parameters["callbackurl"]
	writeJSON(w, map[string]any{"result": true, "returnCode": "200", "message": "提交成功"})
}

func (p *Provider) query(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	param := r.PostForm.Get("param")
	if r.PostForm.Get("customer") != p.Customer || r.PostForm.Get("sign") != tracking.Sign(param, p.Key, p.Customer) {
		writeJSON(w, map[string]any{"result": false, "returnCode": "601", "message": "签名错误"})
		return
	}
	var q struct {
		Com string `json:"com"`
		Num string `json:"num"`
	}
	_ = json.Unmarshal([]byte(param), &q)
	p.mu.Lock()
	p.polls[q.Num]++
	body := p.result(q.Num, q.Com)
	p.mu.Unlock()
	writeJSON(w, body)
}

// result is the provider's answer for a number (newest line first, as 快递100 does).
func (p *Provider) result(number, com string) map[string]any {
	lines := p.tracks[number]
	data := make([]map[string]string, 0, len(lines))
	state := "0"
	for i := len(lines) - 1; i >= 0; i-- {
		l := lines[i]
		ts := l.At.In(time.FixedZone("CST", 8*3600)).Format("2006-01-02 15:04:05")
		data = append(data, map[string]string{"time": ts, "ftime": ts, "context": l.Context, "areaName": l.Area, "status": l.Status})
	}
	if len(lines) > 0 {
		if s, ok := tracking.StateOfWord(lines[len(lines)-1].Status); ok && s == tracking.StateSigned {
			state = "3"
		}
	}
	return map[string]any{"message": "ok", "status": "200", "state": state, "com": com, "nu": number, "ischeck": "0", "data": data}
}

// Push sends the number's track to the callback it was subscribed with (or to
// callback when given), signed with salt (the fake's own unless badSalt is set).
// It returns the HTTP status and body of the answer.
func (p *Provider) Push(ctx context.Context, number, callback, badSalt string) (int, string, error) {
	p.mu.Lock()
	if callback == "" {
		callback = p.subscribed[number]
	}
	res := p.result(number, "")
	p.mu.Unlock()
	if callback == "" {
		return 0, "", fmt.Errorf("number %s is not subscribed", number)
	}
	raw, _ := json.Marshal(map[string]any{"status": "polling", "message": "", "lastResult": res})
	salt := p.Salt
	if badSalt != "" {
		salt = badSalt
	}
	form := url.Values{"param": {string(raw)}, "sign": {tracking.Sign(string(raw), salt)}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, callback, strings.NewReader(form.Encode()))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return resp.StatusCode, b.String(), nil
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
