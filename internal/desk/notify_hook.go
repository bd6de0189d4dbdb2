package desk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/notify"
	"github.com/shouhou/shouhou/internal/store"
)

// SupervisorsGroup stands for every supervisor among a notification's recipients.
const SupervisorsGroup = "@supervisors"

// notifyDrafts is who a fired timer tells: the case's agent always; for a breach
// (首次响应超时, 解决超时) or a case nobody works, also the supervisors.
func (d *Desk) notifyDrafts(c cases.Case, p cases.TimerFiredPayload) []draft {
	var to []string
	if c.Assignee != "" {
		to = append(to, c.Assignee)
	}
	kind := notify.KindTimer
	switch p.Kind {
	case cases.TimerResponse, cases.TimerResolve, cases.TimerPlatform:
		// The platform's own deadline passing lets the platform decide (auto-refund,
		// a ruling against the shop): as serious as a breach of our SLA.
		kind = notify.KindBreach
	case cases.TimerResponseWarn, cases.TimerResolveWarn, cases.TimerPlatformWarn:
		kind = notify.KindWarning
	}
	if kind == notify.KindBreach || c.Assignee == "" {
		to = append(to, SupervisorsGroup)
	}
	text := fmt.Sprintf("工单 #%d(%s)%s:%s", c.ID, c.CustomerName, p.Label, p.Next)
	return []draft{{cases.EvNotified, cases.NotificationPayload{Kind: kind, Text: text, Recipients: to}}}
}

// deliver writes, in the firing transaction, each notification event's rows in the
// recipients' 通知 lists and one outbox delivery per webhook that wants its kind.
func (d *Desk) deliver(ctx context.Context, tx store.Tx, c cases.Case, events []cases.Event, out *fireOutcome) error {
	for _, e := range events {
		if e.Type != cases.EvNotified {
			continue
		}
		var p cases.NotificationPayload
		if err := json.Unmarshal(e.Payload, &p); err != nil {
			return err
		}
		var users []string
		for _, r := range p.Recipients {
			if r != SupervisorsGroup {
				users = append(users, r)
				continue
			}
			if out.supervisors == nil {
				sup, err := tx.Supervisors(ctx)
				if err != nil {
					return err
				}
				out.supervisors = append([]string{}, sup...) // read once per firing transaction
			}
			users = append(users, out.supervisors...)
		}
		slices.Sort(users)
		users = slices.Compact(users)
		rows := make([]store.Notification, len(users))
		for i, u := range users {
			rows[i] = store.Notification{Recipient: u, CaseID: c.ID, Kind: p.Kind, Text: p.Text, CreatedAt: e.At}
		}
		if err := tx.InsertNotifications(ctx, rows); err != nil {
			return err
		}
		out.recipients = append(out.recipients, users...)
		if len(users) > 0 {
			if err := tx.Announce(ctx, store.ChannelNotify, strings.Join(users, ",")); err != nil {
				return err
			}
		}
		var ds []store.Delivery
		for _, w := range d.notify.Webhooks {
			if !w.Wants(p.Kind) {
				continue
			}
			body, err := notify.Body(w.Format, notify.Message{ID: e.Seq, Kind: p.Kind, CaseID: c.ID, Text: p.Text, To: users, At: e.At})
			if err != nil {
				return err
			}
			ds = append(ds, store.Delivery{Webhook: w.Name, CaseID: c.ID, Kind: p.Kind, Body: string(body), NextAttemptAt: e.At, CreatedAt: e.At})
		}
		if err := tx.InsertDeliveries(ctx, ds); err != nil {
			return err
		}
		if len(ds) > 0 {
			if err := tx.Announce(ctx, store.ChannelWebhooks, ""); err != nil {
				return err
			}
		}
		out.deliveries += len(ds)
	}
	return nil
}

// notified tells the open 通知 streams and the webhook sender after the commit.
func (d *Desk) notified(out fireOutcome) {
	if d.hub != nil && len(out.recipients) > 0 {
		d.hub.Publish(out.recipients...)
	}
	if d.deliveryAlarm != nil && out.deliveries > 0 {
		d.deliveryAlarm.Ring(d.clockNow())
	}
}

// NotificationStore reads and marks the in-app notifications and the webhook log.
type NotificationStore interface {
	Notifications(ctx context.Context, user string, before int64, limit int) ([]store.Notification, error)
	UnreadCount(ctx context.Context, user string) (int, error)
	MarkRead(ctx context.Context, user string, ids []int64, all bool, now time.Time) error
	Deliveries(ctx context.Context, limit int) ([]store.Delivery, error)
	ReplayDelivery(ctx context.Context, id int64, now time.Time) error
}

var errNoNotifications = errors.New("store keeps no notifications")

func (d *Desk) notifications() (NotificationStore, error) {
	ns, ok := d.store.(NotificationStore)
	if !ok {
		return nil, errNoNotifications
	}
	return ns, nil
}

// Notifications lists the user's 通知, newest first.
func (d *Desk) Notifications(ctx context.Context, u store.User, before int64, limit int) ([]store.Notification, error) {
	ns, err := d.notifications()
	if err != nil {
		return nil, err
	}
	return ns.Notifications(ctx, u.Username, before, limit)
}

// Unread counts the user's unread notifications.
func (d *Desk) Unread(ctx context.Context, u store.User) (int, error) {
	ns, err := d.notifications()
	if err != nil {
		return 0, err
	}
	return ns.UnreadCount(ctx, u.Username)
}

// MarkRead marks the user's notifications read (ids, or all).
func (d *Desk) MarkRead(ctx context.Context, u store.User, ids []int64, all bool) error {
	ns, err := d.notifications()
	if err != nil {
		return err
	}
	if err := ns.MarkRead(ctx, u.Username, ids, all, d.clockNow()); err != nil {
		return err
	}
	d.hub.Publish(u.Username)
	return nil
}

// Subscribe returns a signal for the user's new notifications in this process (nil
// without a hub) and the function that ends it.
func (d *Desk) Subscribe(u store.User) (<-chan struct{}, func()) {
	if d.hub == nil {
		return nil, func() {}
	}
	return d.hub.Subscribe(u.Username)
}

// Deliveries is the webhook delivery log, newest first, with every attempt.
func (d *Desk) Deliveries(ctx context.Context, limit int) ([]store.Delivery, error) {
	ns, err := d.notifications()
	if err != nil {
		return nil, err
	}
	return ns.Deliveries(ctx, limit)
}

// ReplayDelivery sends a webhook delivery again.
func (d *Desk) ReplayDelivery(ctx context.Context, actor Actor, id int64) error {
	if actor.Role != store.RoleAdmin {
		return fmt.Errorf("%w: 只有管理员可以重新投递", ErrForbidden)
	}
	ns, err := d.notifications()
	if err != nil {
		return err
	}
	if err := ns.ReplayDelivery(ctx, id, d.clockNow()); err != nil {
		return err
	}
	if d.deliveryAlarm != nil {
		d.deliveryAlarm.Ring(d.clockNow())
	}
	return nil
}
