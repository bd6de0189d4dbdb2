package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/shouhou/shouhou/internal/store"
)

// Setting returns the stored value of a shop setting, or store.ErrNotFound.
func (s *Store) Setting(ctx context.Context, key string) ([]byte, error) {
	var v string
	err := s.read.QueryRowContext(ctx, s.dialect.rebind(`SELECT value FROM shop_settings WHERE key = ?`), key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, store.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("read setting %s: %w", key, err)
	}
	return []byte(v), nil
}

// SaveSetting stores (or replaces) a shop setting.
func (s *Store) SaveSetting(ctx context.Context, key string, value []byte, by string, at time.Time) error {
	q := s.dialect.rebind(`INSERT INTO shop_settings (key, value, updated_by, updated_at) VALUES (?,?,?,?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, updated_at = excluded.updated_at`)
	if _, err := s.write.ExecContext(ctx, q, key, string(value), by, millis(at)); err != nil {
		return fmt.Errorf("save setting %s: %w", key, err)
	}
	return nil
}
