package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shouhou/shouhou/internal/store"
)

// Supervisors are the enabled supervisors' user names.
func (t *Tx) Supervisors(ctx context.Context) ([]string, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT username FROM users WHERE role = 'supervisor' AND disabled = 0 ORDER BY username`)
	if err != nil {
		return nil, fmt.Errorf("read supervisors: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// InsertNotifications adds rows to the recipients' 通知 lists.
func (t *Tx) InsertNotifications(ctx context.Context, ns []store.Notification) error {
	q := t.d.rebind(`INSERT INTO notifications (recipient, case_id, kind, text, created_at) VALUES (?,?,?,?,?)`)
	for _, n := range ns {
		if err := t.write(ctx, "insert notification", q, n.Recipient, n.CaseID, n.Kind, n.Text, millis(n.CreatedAt)); err != nil {
			return err
		}
	}
	return nil
}

// InsertDeliveries adds webhook deliveries to the outbox.
func (t *Tx) InsertDeliveries(ctx context.Context, ds []store.Delivery) error {
	q := t.d.rebind(`INSERT INTO webhook_deliveries (webhook, case_id, kind, body, status, next_attempt_at, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)`)
	for _, d := range ds {
		if err := t.write(ctx, "insert delivery", q, d.Webhook, d.CaseID, d.Kind, d.Body, store.DeliveryPending, millis(d.NextAttemptAt), millis(d.CreatedAt), millis(d.CreatedAt)); err != nil {
			return err
		}
	}
	return nil
}

// Notifications lists a user's notifications, newest first, at most limit, before
// the id before (0: from the newest).
func (s *Store) Notifications(ctx context.Context, user string, before int64, limit int) ([]store.Notification, error) {
	q := `SELECT id, recipient, case_id, kind, text, created_at, read_at FROM notifications WHERE recipient = ?`
	args := []any{user}
	if before > 0 {
		q += ` AND id < ?`
		args = append(args, before)
	}
	q += ` ORDER BY id DESC LIMIT ?`
	rows, err := s.read.QueryContext(ctx, s.dialect.rebind(q), append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("read notifications: %w", err)
	}
	defer rows.Close()
	out := []store.Notification{}
	for rows.Next() {
		var n store.Notification
		var created int64
		var read sql.NullInt64
		if err := rows.Scan(&n.ID, &n.Recipient, &n.CaseID, &n.Kind, &n.Text, &created, &read); err != nil {
			return nil, fmt.Errorf("scan notification: %w", err)
		}
		n.CreatedAt = time.UnixMilli(created).UTC()
		if read.Valid {
			t := time.UnixMilli(read.Int64).UTC()
			n.ReadAt = &t
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// UnreadCount is how many of a user's notifications are unread.
func (s *Store) UnreadCount(ctx context.Context, user string) (int, error) {
	var n int
	err := s.read.QueryRowContext(ctx, s.dialect.rebind(`SELECT count(*) FROM notifications WHERE recipient = ? AND read_at IS NULL`), user).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count unread: %w", err)
	}
	return n, nil
}

// MarkRead marks a user's notifications read: those with ids, or all.
func (s *Store) MarkRead(ctx context.Context, user string, ids []int64, all bool, now time.Time) error {
	q := `UPDATE notifications SET read_at = ? WHERE recipient = ? AND read_at IS NULL`
	args := []any{millis(now), user}
	if !all {
		if len(ids) == 0 {
			return nil
		}
		q += ` AND id IN (` + strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",") + `)`
		for _, id := range ids {
			args = append(args, id)
		}
	}
	return s.InTx(ctx, func(tx store.Tx) error {
		_, err := tx.(*Tx).tx.ExecContext(ctx, s.dialect.rebind(q), args...)
		return err
	})
}

const deliveryCols = `id, webhook, case_id, kind, body, status, attempts, next_attempt_at, last_status, last_error, created_at, updated_at`

func scanDeliveries(rows rows) ([]store.Delivery, error) {
	defer rows.Close()
	out := []store.Delivery{}
	for rows.Next() {
		var d store.Delivery
		var next, created, updated int64
		if err := rows.Scan(&d.ID, &d.Webhook, &d.CaseID, &d.Kind, &d.Body, &d.Status, &d.Attempts, &next, &d.LastStatus, &d.LastError, &created, &updated); err != nil {
			return nil, fmt.Errorf("scan delivery: %w", err)
		}
		d.NextAttemptAt, d.CreatedAt, d.UpdatedAt = time.UnixMilli(next).UTC(), time.UnixMilli(created).UTC(), time.UnixMilli(updated).UTC()
		out = append(out, d)
	}
	return out, rows.Err()
}

// ClaimDeliveries reserves up to limit pending deliveries due by now for lease (their
// next attempt moves to now+lease, so another process does not send them meanwhile)
// and returns them. On PostgreSQL rows another process is claiming are skipped.
func (s *Store) ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]store.Delivery, error) {
	var out []store.Delivery
	err := s.InTx(ctx, func(stx store.Tx) error {
		t := stx.(*Tx)
		q := `SELECT ` + deliveryCols + ` FROM webhook_deliveries WHERE status = ? AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`
		if _, pg := t.d.(postgresDialect); pg {
			q += ` FOR UPDATE SKIP LOCKED`
		}
		rows, err := t.tx.QueryContext(ctx, t.d.rebind(q), store.DeliveryPending, millis(now), limit)
		if err != nil {
			return fmt.Errorf("claim deliveries: %w", err)
		}
		if out, err = scanDeliveries(rows); err != nil {
			return err
		}
		for _, d := range out {
			if _, err := t.tx.ExecContext(ctx, t.d.rebind(`UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id = ?`), millis(now.Add(lease)), d.ID); err != nil {
				return fmt.Errorf("lease delivery %d: %w", d.ID, err)
			}
		}
		return nil
	})
	return out, err
}

// RecordAttempt logs one attempt and moves the delivery to its new state.
func (s *Store) RecordAttempt(ctx context.Context, id int64, a store.DeliveryAttempt, status string, next time.Time) error {
	return s.InTx(ctx, func(stx store.Tx) error {
		t := stx.(*Tx)
		if _, err := t.tx.ExecContext(ctx, t.d.rebind(`INSERT INTO webhook_attempts (delivery_id, at, status_code, error, duration_ms) VALUES (?,?,?,?,?)`),
			id, millis(a.At), a.StatusCode, a.Error, a.DurationMS); err != nil {
			return fmt.Errorf("log attempt: %w", err)
		}
		_, err := t.tx.ExecContext(ctx, t.d.rebind(`UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, next_attempt_at = ?, last_status = ?, last_error = ?, updated_at = ? WHERE id = ?`),
			status, millis(next), a.StatusCode, a.Error, millis(a.At), id)
		return err
	})
}

// NextDeliveryDue is when the earliest pending delivery is due.
func (s *Store) NextDeliveryDue(ctx context.Context) (time.Time, bool, error) {
	var ms int64
	err := s.read.QueryRowContext(ctx, s.dialect.rebind(`SELECT next_attempt_at FROM webhook_deliveries WHERE status = ? ORDER BY next_attempt_at LIMIT 1`), store.DeliveryPending).Scan(&ms)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next delivery: %w", err)
	}
	return time.UnixMilli(ms).UTC(), true, nil
}

// Deliveries lists the newest deliveries with their attempts.
func (s *Store) Deliveries(ctx context.Context, limit int) ([]store.Delivery, error) {
	rows, err := s.read.QueryContext(ctx, s.dialect.rebind(`SELECT `+deliveryCols+` FROM webhook_deliveries ORDER BY id DESC LIMIT ?`), limit)
	if err != nil {
		return nil, fmt.Errorf("read deliveries: %w", err)
	}
	ds, err := scanDeliveries(rows)
	if err != nil {
		return nil, err
	}
	for i := range ds {
		if ds[i].Log, err = s.attempts(ctx, ds[i].ID); err != nil {
			return nil, err
		}
	}
	return ds, nil
}

func (s *Store) attempts(ctx context.Context, id int64) ([]store.DeliveryAttempt, error) {
	rows, err := s.read.QueryContext(ctx, s.dialect.rebind(`SELECT at, status_code, error, duration_ms FROM webhook_attempts WHERE delivery_id = ? ORDER BY id`), id)
	if err != nil {
		return nil, fmt.Errorf("read attempts: %w", err)
	}
	defer rows.Close()
	var out []store.DeliveryAttempt
	for rows.Next() {
		var a store.DeliveryAttempt
		var at int64
		if err := rows.Scan(&at, &a.StatusCode, &a.Error, &a.DurationMS); err != nil {
			return nil, err
		}
		a.At = time.UnixMilli(at).UTC()
		out = append(out, a)
	}
	return out, rows.Err()
}

// ReplayDelivery sends a delivery again (whatever its state) as soon as possible.
func (s *Store) ReplayDelivery(ctx context.Context, id int64, now time.Time) error {
	return s.InTx(ctx, func(stx store.Tx) error {
		t := stx.(*Tx)
		res, err := t.tx.ExecContext(ctx, t.d.rebind(`UPDATE webhook_deliveries SET status = ?, next_attempt_at = ?, updated_at = ? WHERE id = ?`),
			store.DeliveryPending, millis(now), millis(now), id)
		if err != nil {
			return fmt.Errorf("replay delivery %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrNotFound
		}
		return nil
	})
}
