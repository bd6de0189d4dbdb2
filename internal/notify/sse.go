package notify

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// Snapshot is what a 通知 stream sends: the unread count and the newest notification.
type Snapshot struct {
	Unread int     `json:"unread"`
	Latest *Latest `json:"latest,omitempty"`
}

// Latest is the newest notification of a stream's user.
type Latest struct {
	ID     int64  `json:"id"`
	CaseID int64  `json:"case_id"`
	Kind   string `json:"kind"`
	Label  string `json:"label"`
	Text   string `json:"text"`
}

// Stream serves Server-Sent Events: a "notification" event with the snapshot at once,
// then again whenever signal fires (this process notified the user) or, with recheck
// > 0, at most that long after the last one (notifications written by other
// processes). Every keepAlive (0: never) an idle stream writes a comment, reading
// nothing, so proxies keep it open. It returns when the client goes away.
func Stream(ctx context.Context, w http.ResponseWriter, signal <-chan struct{}, recheck, keepAlive time.Duration, snapshot func(context.Context) ([]byte, error)) error {
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	send := func() error {
		data, err := snapshot(ctx)
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(w, "event: notification\ndata: %s\n\n", data); err != nil {
			return err
		}
		return rc.Flush()
	}
	if err := send(); err != nil {
		return err
	}
	var alive <-chan time.Time
	if keepAlive > 0 {
		t := time.NewTicker(keepAlive)
		defer t.Stop()
		alive = t.C
	}
	var tick <-chan time.Time
	if recheck > 0 {
		t := time.NewTicker(recheck)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-signal:
			if err := send(); err != nil {
				return err
			}
		case <-tick:
			if err := send(); err != nil {
				return err
			}
		case <-alive:
			if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil {
				return err
			}
			if err := rc.Flush(); err != nil {
				return err
			}
		}
	}
}
