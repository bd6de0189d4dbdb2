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

const timerCols = `id, case_id, kind, due_at, payload`

func scanTimers(rows rows) ([]store.Timer, error) {
	defer rows.Close()
	var out []store.Timer
	for rows.Next() {
		var t store.Timer
		var due int64
		var payload []byte
		if err := rows.Scan(&t.ID, &t.CaseID, &t.Kind, &due, &payload); err != nil {
			return nil, fmt.Errorf("scan timer: %w", err)
		}
		t.DueAt = time.UnixMilli(due).UTC()
		t.Payload = json.RawMessage(payload)
		out = append(out, t)
	}
	return out, rows.Err()
}

// CaseTimers returns the case's timers that have not fired.
func (t *Tx) CaseTimers(ctx context.Context, caseID int64) ([]store.Timer, error) {
	rows, err := t.tx.QueryContext(ctx, t.d.rebind(`SELECT `+timerCols+` FROM case_timers WHERE case_id = ? ORDER BY id`), caseID)
	if err != nil {
		return nil, fmt.Errorf("read timers of case %d: %w", caseID, err)
	}
	return scanTimers(rows)
}

// CaseSchedule reads the case's report fact (nil when none) and its timers in one
// statement: the fact is the row of kind 0, the timers those of kind 1 in id order.
func (t *Tx) CaseSchedule(ctx context.Context, caseID int64) ([]byte, []store.Timer, error) {
	q := `SELECT 0 AS part, entries, NULL AS id, NULL AS case_id, NULL AS kind, NULL AS due_at, NULL AS payload
		FROM report_facts WHERE case_id = ?
		UNION ALL
		SELECT 1, NULL, id, case_id, kind, due_at, payload FROM case_timers WHERE case_id = ?
		ORDER BY 1, 3`
	rows, err := t.tx.QueryContext(ctx, t.d.rebind(q), caseID, caseID)
	if err != nil {
		return nil, nil, fmt.Errorf("read report fact and timers of case %d: %w", caseID, err)
	}
	defer rows.Close()
	var fact []byte
	var timers []store.Timer
	for rows.Next() {
		var part int64
		var entries, kind sql.NullString
		var id, cid, due sql.NullInt64
		var payload []byte
		if err := rows.Scan(&part, &entries, &id, &cid, &kind, &due, &payload); err != nil {
			return nil, nil, fmt.Errorf("scan report fact and timers of case %d: %w", caseID, err)
		}
		if part == 0 {
			fact = []byte(entries.String)
			continue
		}
		timers = append(timers, store.Timer{ID: id.Int64, CaseID: cid.Int64, Kind: kind.String,
			DueAt: time.UnixMilli(due.Int64).UTC(), Payload: json.RawMessage(payload)})
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("read report fact and timers of case %d: %w", caseID, err)
	}
	return fact, timers, nil
}

// PutTimer inserts the case's timer of tm.Kind or moves it to tm.DueAt.
func (t *Tx) PutTimer(ctx context.Context, tm store.Timer) error {
	payload := tm.Payload
	if len(payload) == 0 {
		payload = json.RawMessage("{}")
	}
	q := `INSERT INTO case_timers (case_id, kind, due_at, payload) VALUES (?,?,?,?)
		ON CONFLICT (case_id, kind) DO UPDATE SET due_at = excluded.due_at, payload = excluded.payload`
	return t.write(ctx, fmt.Sprintf("put timer %s of case %d", tm.Kind, tm.CaseID), t.d.rebind(q), tm.CaseID, tm.Kind, millis(tm.DueAt), string(payload))
}

// DeleteTimer removes a timer (cancelled, or fired in this transaction).
func (t *Tx) DeleteTimer(ctx context.Context, id int64) error {
	return t.write(ctx, fmt.Sprintf("delete timer %d", id), t.d.rebind(`DELETE FROM case_timers WHERE id = ?`), id)
}

// ClaimDueTimers returns up to limit timers due by now, earliest first, locked for this
// transaction. On PostgreSQL rows another transaction holds are skipped, so concurrent
// processes share the due timers without waiting on each other and without firing one
// twice; on SQLite the single writer already serialises the claims.
func (t *Tx) ClaimDueTimers(ctx context.Context, now time.Time, limit int) ([]store.Timer, error) {
	q := `SELECT ` + timerCols + ` FROM case_timers WHERE due_at <= ? ORDER BY due_at, id LIMIT ?`
	if _, pg := t.d.(postgresDialect); pg {
		q += ` FOR UPDATE SKIP LOCKED`
	}
	rows, err := t.tx.QueryContext(ctx, t.d.rebind(q), millis(now), limit)
	if err != nil {
		return nil, fmt.Errorf("claim due timers: %w", err)
	}
	return scanTimers(rows)
}

// LockCaseNoWait locks the case row on PostgreSQL unless another transaction holds it;
// on SQLite the single writer already holds everything.
func (t *Tx) LockCaseNoWait(ctx context.Context, caseID int64) (bool, error) {
	if _, pg := t.d.(postgresDialect); !pg {
		return true, nil
	}
	var id int64
	err := t.tx.QueryRowContext(ctx, t.d.rebind(`SELECT id FROM cases WHERE id = ? FOR UPDATE SKIP LOCKED`), caseID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("lock case %d: %w", caseID, err)
	}
	return true, nil
}

// Announce sends a PostgreSQL NOTIFY, delivered when the transaction commits; on SQLite
// it does nothing.
func (t *Tx) Announce(ctx context.Context, channel, payload string) error {
	if _, pg := t.d.(postgresDialect); !pg {
		return nil
	}
	return t.write(ctx, "notify "+channel, t.d.rebind(`SELECT pg_notify(?, ?)`), channel, payload)
}

// NextTimerDue is the earliest due time of any timer; ok is false with none scheduled.
func (s *Store) NextTimerDue(ctx context.Context) (due time.Time, ok bool, err error) {
	var ms int64
	err = s.read.QueryRowContext(ctx, `SELECT due_at FROM case_timers ORDER BY due_at LIMIT 1`).Scan(&ms)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next timer: %w", err)
	}
	return time.UnixMilli(ms).UTC(), true, nil
}

// Timers lists the timers of a case that have not fired, for display.
func (s *Store) Timers(ctx context.Context, caseID int64) ([]store.Timer, error) {
	rows, err := s.read.QueryContext(ctx, s.dialect.rebind(`SELECT `+timerCols+` FROM case_timers WHERE case_id = ? ORDER BY due_at, id`), caseID)
	if err != nil {
		return nil, fmt.Errorf("read timers of case %d: %w", caseID, err)
	}
	return scanTimers(rows)
}
