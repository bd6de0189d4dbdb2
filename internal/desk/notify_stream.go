package desk

import (
	"context"
	"encoding/json"
	"time"

	"github.com/shouhou/shouhou/internal/notify"
	"github.com/shouhou/shouhou/internal/store"
)

// NotifySnapshot is the JSON a 通知 stream sends: the unread count and the newest.
func (d *Desk) NotifySnapshot(ctx context.Context, u store.User) ([]byte, error) {
	var s notify.Snapshot
	var err error
	if s.Unread, err = d.Unread(ctx, u); err != nil {
		return nil, err
	}
	latest, err := d.Notifications(ctx, u, 0, 1)
	if err != nil {
		return nil, err
	}
	if len(latest) == 1 {
		n := latest[0]
		s.Latest = &notify.Latest{ID: n.ID, CaseID: n.CaseID, Kind: n.Kind, Label: notify.KindLabels[n.Kind], Text: n.Text}
	}
	return json.Marshal(s)
}

// StreamRecheck is how often a 通知 stream looks for other processes' notifications
// (the timers' recheck: 0 on the embedded database, where this process is alone).
func (d *Desk) StreamRecheck() time.Duration { return d.timing.Recheck }

// StreamKeepAlive is how often an idle 通知 stream writes a keep-alive comment (0:
// never).
func (d *Desk) StreamKeepAlive() time.Duration { return d.notify.KeepAlive }
