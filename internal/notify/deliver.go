package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/shouhou/shouhou/internal/store"
)

// Outbox is the webhook deliveries' store.
type Outbox interface {
	ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]store.Delivery, error)
	RecordAttempt(ctx context.Context, id int64, a store.DeliveryAttempt, status string, next time.Time) error
	NextDeliveryDue(ctx context.Context) (time.Time, bool, error)
}

// Deliverer sends the outbox. It is a timers.Firer: the same scheduler that fires the
// case timers sleeps until the next delivery is due and wakes when one is queued.
type Deliverer struct {
	outbox Outbox
	cfg    Config
	hooks  map[string]Webhook
	now    func() time.Time
	client *http.Client
}

// NewDeliverer sends deliveries of cfg's webhooks; now is the server's clock.
func NewDeliverer(outbox Outbox, cfg Config, now func() time.Time, client *http.Client) *Deliverer {
	if client == nil {
		client = &http.Client{Timeout: cfg.Timeout}
	}
	hooks := map[string]Webhook{}
	for _, w := range cfg.Webhooks {
		hooks[w.Name] = w
	}
	return &Deliverer{outbox: outbox, cfg: cfg, hooks: hooks, now: now, client: client}
}

// NextDue is when the earliest pending delivery is due.
func (d *Deliverer) NextDue(ctx context.Context) (time.Time, bool, error) {
	return d.outbox.NextDeliveryDue(ctx)
}

// FireDue sends up to limit due deliveries, one request each, and logs every attempt:
// a 2xx (for the robots also errcode 0) delivers; anything else is tried again after
// the backoff until MaxAttempts, then the delivery has failed (it can be replayed).
func (d *Deliverer) FireDue(ctx context.Context, limit int) (claimed, sent int, err error) {
	now := d.now()
	due, err := d.outbox.ClaimDeliveries(ctx, now, d.cfg.Lease, limit)
	if err != nil {
		return 0, 0, err
	}
	for _, dl := range due {
		a := d.send(ctx, dl)
		status, next := store.DeliveryDelivered, a.At
		switch {
		case a.Error == "" && a.StatusCode/100 == 2:
		case dl.Attempts+1 >= d.cfg.MaxAttempts:
			status = store.DeliveryFailed
		default:
			status, next = store.DeliveryPending, d.cfg.NextAttempt(dl.Attempts+1, a.At)
		}
		if err := d.outbox.RecordAttempt(ctx, dl.ID, a, status, next); err != nil {
			return len(due), sent, err
		}
		if status == store.DeliveryDelivered {
			sent++
		}
	}
	return len(due), sent, nil
}

// send makes one attempt.
func (d *Deliverer) send(ctx context.Context, dl store.Delivery) store.DeliveryAttempt {
	at := d.now()
	a := store.DeliveryAttempt{At: at}
	w, ok := d.hooks[dl.Webhook]
	if !ok {
		a.Error = "webhook " + strconv.Quote(dl.Webhook) + " is no longer configured"
		return a
	}
	target := w.URL
	if w.Format == FormatDingTalk {
		target = DingTalkURL(w.URL, w.Secret, at)
	}
	body := []byte(dl.Body)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		a.Error = err.Error()
		return a
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "shouhou-webhook/1")
	req.Header.Set(HeaderDelivery, strconv.FormatInt(dl.ID, 10))
	if w.Format == FormatSigned {
		req.Header.Set(HeaderTimestamp, strconv.FormatInt(at.Unix(), 10))
		req.Header.Set(HeaderSignature, Sign(w.Secret, at, body))
	}
	start := time.Now()
	resp, err := d.client.Do(req)
	a.DurationMS = time.Since(start).Milliseconds()
	if err != nil {
		a.Error = err.Error()
		return a
	}
	defer resp.Body.Close()
	a.StatusCode = resp.StatusCode
	reply, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if w.Format != FormatSigned && resp.StatusCode/100 == 2 {
		// The robots answer 200 with {"errcode": N, "errmsg": …}; only 0 is delivered.
		var r struct {
			Errcode int    `json:"errcode"`
			Errmsg  string `json:"errmsg"`
		}
		if json.Unmarshal(reply, &r) == nil && r.Errcode != 0 {
			a.Error = fmt.Sprintf("errcode %d: %s", r.Errcode, r.Errmsg)
		}
	}
	return a
}
