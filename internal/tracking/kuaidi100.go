package tracking

import (
	"context"
	"crypto/md5"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Kuaidi100 talks to a 快递100-style aggregator:
//
//   - subscribe: POST {base}/poll, form schema=json&param={"company","number","key",
//     "parameters":{"callbackurl","salt","resultv2":"1"}}; answer {"result":true,"returnCode":"200"}
//     (returnCode 501: already subscribed, fine);
//   - poll: POST {base}/poll/query.do, form customer, param={"com","num"} and
//     sign = upper(MD5(param + key + customer));
//   - push: the provider POSTs form param={"status","message","lastResult":{…}} and
//     sign = upper(MD5(param + salt)) to the callback, and wants
//     {"result":true,"returnCode":"200","message":"成功"} back.
type Kuaidi100 struct {
	cfg    Config
	client *http.Client
}

// NewKuaidi100 builds the client.
func NewKuaidi100(c Config, client *http.Client) *Kuaidi100 {
	return &Kuaidi100{cfg: c, client: client}
}

// Name is "kuaidi100".
func (k *Kuaidi100) Name() string { return "kuaidi100" }

// Sign is upper-case hex MD5 of the parts joined, the provider's signature.
func Sign(parts ...string) string {
	sum := md5.Sum([]byte(strings.Join(parts, "")))
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

// Subscribe asks for pushes of p's scans.
func (k *Kuaidi100) Subscribe(ctx context.Context, p Parcel) error {
	param, err := json.Marshal(map[string]any{
		"company": p.Courier, "number": p.Number, "key": k.cfg.Key,
		"parameters": map[string]string{"callbackurl": k.cfg.CallbackURL, "salt": k.cfg.Salt, "resultv2": "1"},
	})
	if err != nil {
		return err
	}
	var out struct {
		Result     bool   `json:"result"`
		ReturnCode string `json:"returnCode"`
		Message    string `json:"message"`
	}
	if err := k.post(ctx, "/poll", url.Values{"schema": {"json"}, "param": {string(param)}}, &out); err != nil {
		return fmt.Errorf("subscribe %s: %w", p.Number, err)
	}
	if !out.Result && out.ReturnCode != "501" {
		return fmt.Errorf("subscribe %s: provider answered %s %s", p.Number, out.ReturnCode, out.Message)
	}
	return nil
}

// Poll reads p's track now.
func (k *Kuaidi100) Poll(ctx context.Context, p Parcel) ([]Scan, error) {
	param, err := json.Marshal(map[string]string{"com": p.Courier, "num": p.Number, "resultv2": "1"})
	if err != nil {
		return nil, err
	}
	form := url.Values{"customer": {k.cfg.Customer}, "param": {string(param)}, "sign": {Sign(string(param), k.cfg.Key, k.cfg.Customer)}}
	var out result
	if err := k.post(ctx, "/poll/query.do", form, &out); err != nil {
		return nil, fmt.Errorf("poll %s: %w", p.Number, err)
	}
	if out.Result != nil && !*out.Result {
		return nil, fmt.Errorf("poll %s: provider refused: %s %s", p.Number, out.ReturnCode, out.Message)
	}
	if out.Status != "" && out.Status != "200" {
		return nil, fmt.Errorf("poll %s: provider answered %s %s", p.Number, out.Status, out.Message)
	}
	return out.scans(p), nil
}

func (k *Kuaidi100) post(ctx context.Context, path string, form url.Values, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(k.cfg.BaseURL, "/")+path, strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := k.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("decode answer: %w", err)
	}
	return nil
}

// ParsePush verifies sign = MD5(param + salt) and reads the track.
func (k *Kuaidi100) ParsePush(r *http.Request) (Push, error) {
	r.Body = http.MaxBytesReader(nil, r.Body, 4<<20)
	if err := r.ParseForm(); err != nil {
		return Push{}, fmt.Errorf("read callback: %w", err)
	}
	param, sign := r.PostForm.Get("param"), r.PostForm.Get("sign")
	want := Sign(param, k.cfg.Salt)
	if param == "" || subtle.ConstantTimeCompare([]byte(strings.ToUpper(sign)), []byte(want)) != 1 {
		return Push{}, ErrBadSignature
	}
	var body struct {
		Status     string `json:"status"`
		LastResult result `json:"lastResult"`
	}
	if err := json.Unmarshal([]byte(param), &body); err != nil {
		return Push{}, fmt.Errorf("decode callback: %w", err)
	}
	p := Parcel{Number: Normalize(body.LastResult.Nu), Courier: body.LastResult.Com}
	if !ValidNumber(p.Number) {
		return Push{}, fmt.Errorf("callback names no valid number %q", body.LastResult.Nu)
	}
	return Push{Parcel: p, Scans: body.LastResult.scans(p)}, nil
}

// Ack is the answer the provider expects.
func (k *Kuaidi100) Ack(ok bool) (string, []byte) {
	if ok {
		return "application/json", []byte(`{"result":true,"returnCode":"200","message":"成功"}`)
	}
	return "application/json", []byte(`{"result":false,"returnCode":"500","message":"失败"}`)
}

// result is the provider's track of one parcel.
type result struct {
	Result     *bool  `json:"result"` // present (false) on a refusal
	ReturnCode string `json:"returnCode"`
	Message    string `json:"message"`
	Status     string `json:"status"`
	State      string `json:"state"`
	Com        string `json:"com"`
	Nu         string `json:"nu"`
	Data       []struct {
		Time     string `json:"time"`
		FTime    string `json:"ftime"`
		Context  string `json:"context"`
		Location string `json:"location"`
		AreaName string `json:"areaName"`
		Status   string `json:"status"`
	} `json:"data"`
}

var shanghai = time.FixedZone("CST", 8*3600)

// scans turns the track into scans, oldest first. A line's own status word decides its
// state; without one the newest line takes the parcel's state and older ones are 运输中.
func (r result) scans(p Parcel) []Scan {
	out := make([]Scan, 0, len(r.Data))
	for i, d := range r.Data {
		ts := d.FTime
		if ts == "" {
			ts = d.Time
		}
		at, err := time.ParseInLocation("2006-01-02 15:04:05", ts, shanghai)
		if err != nil {
			continue
		}
		place := d.AreaName
		if place == "" {
			place = d.Location
		}
		st, ok := StateOfWord(d.Status)
		if !ok {
			st = StateInTransit
			if i == 0 { // the provider lists the newest first
				st = StateOfCode(r.State)
			}
		}
		courier := p.Courier
		if courier == "" {
			courier = r.Com
		}
		out = append(out, Scan{Number: p.Number, Courier: courier, At: at.UTC(), Place: place, Status: strings.TrimSpace(d.Context), State: st})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out
}

// StateOfCode maps the provider's state code (0 在途, 1 揽收, 2 疑难, 3 签收, 4 退签,
// 5 派件, 6 退回, 7 转投, 8 清关, 14 拒签; three-digit sub-states by their first digit).
func StateOfCode(code string) State {
	n, err := strconv.Atoi(code)
	if err != nil {
		return StateInTransit
	}
	if n >= 100 {
		n /= 100
	}
	switch n {
	case 1:
		return StatePickedUp
	case 2, 14:
		return StateProblem
	case 3:
		return StateSigned
	case 4, 6:
		return StateReturned
	case 5:
		return StateDelivering
	}
	return StateInTransit
}

// StateOfWord maps the provider's status word of one line.
func StateOfWord(w string) (State, bool) {
	switch {
	case w == "":
		return "", false
	case strings.Contains(w, "揽收"):
		return StatePickedUp, true
	case strings.Contains(w, "退签"), strings.Contains(w, "退回"):
		return StateReturned, true
	case strings.Contains(w, "签收"):
		return StateSigned, true
	case strings.Contains(w, "派"):
		return StateDelivering, true
	case strings.Contains(w, "疑难"), strings.Contains(w, "拒签"), strings.Contains(w, "异常"):
		return StateProblem, true
	case strings.Contains(w, "在途"), strings.Contains(w, "运输"), strings.Contains(w, "转"), strings.Contains(w, "清关"):
		return StateInTransit, true
	}
	return "", false
}
