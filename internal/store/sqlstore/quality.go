package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/shouhou/shouhou/internal/store"
)

// SetQualityMarks replaces the case's marks.
func (t *Tx) SetQualityMarks(ctx context.Context, caseID int64, marks []store.QualityMark) error {
	if err := t.write(ctx, fmt.Sprintf("clear quality marks of case %d", caseID), t.d.rebind(`DELETE FROM quality_marks WHERE case_id = ?`), caseID); err != nil {
		return err
	}
	q := t.d.rebind(`INSERT INTO quality_marks (case_id, kind, mark, at) VALUES (?,?,?,?)`)
	for _, m := range marks {
		if err := t.write(ctx, fmt.Sprintf("insert quality mark of case %d", caseID), q, caseID, m.Kind, m.Key, millis(m.At)); err != nil {
			return err
		}
	}
	return nil
}

// QualityMarks are the marks of kind and key that came in between from and to. On
// PostgreSQL the key is first locked for the transaction (an advisory lock), so two
// cases of one key written at once are counted one after the other — each sees the
// other's mark and the alert row — instead of both missing the cluster or both
// inserting the alert; SQLite's single writer already serialises them.
func (t *Tx) QualityMarks(ctx context.Context, kind, key string, from, to time.Time) ([]store.QualityMark, error) {
	if _, pg := t.d.(postgresDialect); pg {
		if err := t.write(ctx, "lock quality key", `SELECT pg_advisory_xact_lock(hashtext($1))`, "quality|"+kind+"|"+key); err != nil {
			return nil, err
		}
	}
	rows, err := t.tx.QueryContext(ctx, t.d.rebind(`SELECT case_id, kind, mark, at FROM quality_marks WHERE kind = ? AND mark = ? AND at >= ? AND at <= ? ORDER BY at, case_id`),
		kind, key, millis(from), millis(to))
	if err != nil {
		return nil, fmt.Errorf("read quality marks: %w", err)
	}
	defer rows.Close()
	var out []store.QualityMark
	for rows.Next() {
		var m store.QualityMark
		var at int64
		if err := rows.Scan(&m.CaseID, &m.Kind, &m.Key, &at); err != nil {
			return nil, fmt.Errorf("scan quality mark: %w", err)
		}
		m.At = time.UnixMilli(at).UTC()
		out = append(out, m)
	}
	return out, rows.Err()
}

const alertCols = `id, kind, mark, case_ids, text, status, first_at, last_at, ack_by, ack_note, ack_at, created_at, updated_at, version`

func scanAlert(r row) (store.QualityAlert, error) {
	var a store.QualityAlert
	var ids string
	var first, last, created, updated int64
	var ack sql.NullInt64
	err := r.Scan(&a.ID, &a.Kind, &a.Key, &ids, &a.Text, &a.Status, &first, &last, &a.AckBy, &a.AckNote, &ack, &created, &updated, &a.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return a, store.ErrNotFound
	}
	if err != nil {
		return a, fmt.Errorf("scan quality alert: %w", err)
	}
	if err := json.Unmarshal([]byte(ids), &a.CaseIDs); err != nil {
		return a, fmt.Errorf("quality alert %d case ids: %w", a.ID, err)
	}
	a.FirstAt, a.LastAt = time.UnixMilli(first).UTC(), time.UnixMilli(last).UTC()
	a.CreatedAt, a.UpdatedAt = time.UnixMilli(created).UTC(), time.UnixMilli(updated).UTC()
	if ack.Valid {
		at := time.UnixMilli(ack.Int64).UTC()
		a.AckAt = &at
	}
	return a, nil
}

// QualityAlert reads an alert by id (id > 0) or by kind and key.
func (t *Tx) QualityAlert(ctx context.Context, id int64, kind, key string) (store.QualityAlert, error) {
	if id > 0 {
		return scanAlert(t.tx.QueryRowContext(ctx, t.d.rebind(`SELECT `+alertCols+` FROM quality_alerts WHERE id = ?`), id))
	}
	return scanAlert(t.tx.QueryRowContext(ctx, t.d.rebind(`SELECT `+alertCols+` FROM quality_alerts WHERE kind = ? AND mark = ?`), kind, key))
}

// PutQualityAlert inserts a new alert (ID 0) or updates one still at a.Version-1.
func (t *Tx) PutQualityAlert(ctx context.Context, a store.QualityAlert) (store.QualityAlert, error) {
	ids, err := json.Marshal(a.CaseIDs)
	if err != nil {
		return a, err
	}
	if a.ID == 0 {
		a.Version = 1
		q := t.d.rebind(`INSERT INTO quality_alerts (kind, mark, case_ids, text, status, first_at, last_at, ack_by, ack_note, ack_at, created_at, updated_at, version)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id`)
		err := t.tx.QueryRowContext(ctx, q, a.Kind, a.Key, string(ids), a.Text, a.Status, millis(a.FirstAt), millis(a.LastAt),
			a.AckBy, a.AckNote, nullMillis(a.AckAt), millis(a.CreatedAt), millis(a.UpdatedAt), a.Version).Scan(&a.ID)
		if err != nil {
			return a, fmt.Errorf("insert quality alert: %w", err)
		}
		return a, nil
	}
	res, err := t.tx.ExecContext(ctx, t.d.rebind(`UPDATE quality_alerts SET case_ids = ?, text = ?, status = ?, first_at = ?, last_at = ?, ack_by = ?, ack_note = ?, ack_at = ?, updated_at = ?, version = ?
		WHERE id = ? AND version = ?`), string(ids), a.Text, a.Status, millis(a.FirstAt), millis(a.LastAt), a.AckBy, a.AckNote, nullMillis(a.AckAt),
		millis(a.UpdatedAt), a.Version, a.ID, a.Version-1)
	if err != nil {
		return a, fmt.Errorf("update quality alert %d: %w", a.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return a, &store.ConflictError{CaseID: 0, Current: a.Version - 1}
	}
	return a, nil
}

// QualityAlerts lists alerts, open ones first, the latest change first.
func (s *Store) QualityAlerts(ctx context.Context, f store.AlertFilter) ([]store.QualityAlert, error) {
	q := `SELECT ` + alertCols + ` FROM quality_alerts`
	var args []any
	if f.Status != "" {
		q += ` WHERE status = ?`
		args = append(args, f.Status)
	}
	if f.Limit <= 0 {
		f.Limit = 100
	}
	q += ` ORDER BY CASE status WHEN 'open' THEN 0 ELSE 1 END, updated_at DESC, id DESC LIMIT ?`
	rows, err := s.read.QueryContext(ctx, s.dialect.rebind(q), append(args, f.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("list quality alerts: %w", err)
	}
	return collect(rows, scanAlert)
}
