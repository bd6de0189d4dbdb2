package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/shouhou/shouhou/internal/store"
)

// ScriptOverrides returns the shop's changes to the script library.
func (s *Store) ScriptOverrides(ctx context.Context) ([]store.ScriptOverride, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, body, deleted, updated_by, updated_at FROM script_overrides ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("read scripts: %w", err)
	}
	defer rows.Close()
	out := []store.ScriptOverride{}
	for rows.Next() {
		var o store.ScriptOverride
		var deleted int
		var at int64
		if err := rows.Scan(&o.ID, &o.Body, &deleted, &o.By, &at); err != nil {
			return nil, err
		}
		o.Deleted, o.At = deleted != 0, time.UnixMilli(at).UTC()
		out = append(out, o)
	}
	return out, rows.Err()
}

// SaveScriptOverride stores (or replaces) one change to the library.
func (s *Store) SaveScriptOverride(ctx context.Context, o store.ScriptOverride) error {
	if err := checkJSON("body", o.Body); err != nil {
		return err
	}
	action := "save"
	if o.Deleted {
		action = "hide"
	}
	return s.scriptTx(ctx, o.ID, action, o.Body, o.By, o.At, func(tx *sql.Tx) error {
		q := s.dialect.rebind(`INSERT INTO script_overrides (id, body, deleted, updated_by, updated_at) VALUES (?,?,?,?,?)
			ON CONFLICT (id) DO UPDATE SET body = excluded.body, deleted = excluded.deleted,
			updated_by = excluded.updated_by, updated_at = excluded.updated_at`)
		_, err := tx.ExecContext(ctx, q, o.ID, string(o.Body), boolInt(o.Deleted), o.By, millis(o.At))
		return err
	})
}

// RestoreScript drops the shop's change to a script, so the built-in version shows
// again; the history keeps what it was.
func (s *Store) RestoreScript(ctx context.Context, id, by string, at time.Time) error {
	return s.scriptTx(ctx, id, "restore", nil, by, at, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.dialect.rebind(`DELETE FROM script_overrides WHERE id = ?`), id)
		return err
	})
}

// scriptTx runs change and records it in the history, in one transaction.
func (s *Store) scriptTx(ctx context.Context, id, action string, body []byte, by string, at time.Time, change func(*sql.Tx) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save script: %w", err)
	}
	defer tx.Rollback()
	if err := change(tx); err != nil {
		return fmt.Errorf("save script: %w", err)
	}
	q := s.dialect.rebind(`INSERT INTO script_history (id, action, body, changed_by, changed_at) VALUES (?,?,?,?,?)`)
	if _, err := tx.ExecContext(ctx, q, id, action, string(body), by, millis(at)); err != nil {
		return fmt.Errorf("script history: %w", err)
	}
	return tx.Commit()
}

// ScriptHistory lists the changes to one script, newest first.
func (s *Store) ScriptHistory(ctx context.Context, id string) ([]store.ScriptChange, error) {
	rows, err := s.read.QueryContext(ctx, s.dialect.rebind(`SELECT seq, id, action, body, changed_by, changed_at
		FROM script_history WHERE id = ? ORDER BY seq DESC LIMIT 200`), id)
	if err != nil {
		return nil, fmt.Errorf("script history: %w", err)
	}
	defer rows.Close()
	out := []store.ScriptChange{}
	for rows.Next() {
		var c store.ScriptChange
		var at int64
		if err := rows.Scan(&c.Seq, &c.ID, &c.Action, &c.Body, &c.By, &at); err != nil {
			return nil, err
		}
		c.At = time.UnixMilli(at).UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}
