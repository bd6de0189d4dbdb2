package sqlstore

import (
	"context"
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
	q := s.dialect.rebind(`INSERT INTO script_overrides (id, body, deleted, updated_by, updated_at) VALUES (?,?,?,?,?)
		ON CONFLICT (id) DO UPDATE SET body = excluded.body, deleted = excluded.deleted,
		updated_by = excluded.updated_by, updated_at = excluded.updated_at`)
	if _, err := s.write.ExecContext(ctx, q, o.ID, string(o.Body), boolInt(o.Deleted), o.By, millis(o.At)); err != nil {
		return fmt.Errorf("save script: %w", err)
	}
	return nil
}
