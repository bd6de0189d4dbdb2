package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/shouhou/shouhou/internal/store"
)

// SaveSOPChange records an applied SOP change and returns its seq.
func (s *Store) SaveSOPChange(ctx context.Context, c store.SOPChange) (int64, error) {
	if err := checkText("body", string(c.Body), c.Name, c.Summary); err != nil {
		return 0, err
	}
	q := s.dialect.rebind(`INSERT INTO sop_changes (kind, name, body, summary, changed_by, changed_at) VALUES (?,?,?,?,?,?) RETURNING seq`)
	var seq int64
	if err := s.write.QueryRowContext(ctx, q, c.Kind, c.Name, string(c.Body), c.Summary, c.By, millis(c.At)).Scan(&seq); err != nil {
		return 0, fmt.Errorf("save sop change: %w", err)
	}
	return seq, nil
}

// LatestSOPChange is the newest change of kind (ok false: none).
func (s *Store) LatestSOPChange(ctx context.Context, kind string) (store.SOPChange, bool, error) {
	list, err := s.sopChanges(ctx, kind, 1)
	if err != nil || len(list) == 0 {
		return store.SOPChange{}, false, err
	}
	return list[0], true, nil
}

// SOPChanges lists the changes of kind, newest first.
func (s *Store) SOPChanges(ctx context.Context, kind string, limit int) ([]store.SOPChange, error) {
	return s.sopChanges(ctx, kind, limit)
}

func (s *Store) sopChanges(ctx context.Context, kind string, limit int) ([]store.SOPChange, error) {
	rows, err := s.read.QueryContext(ctx, s.dialect.rebind(`SELECT seq, kind, name, body, summary, changed_by, changed_at
		FROM sop_changes WHERE kind = ? ORDER BY seq DESC LIMIT ?`), kind, limit)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("sop changes: %w", err)
	}
	defer rows.Close()
	var out []store.SOPChange
	for rows.Next() {
		var c store.SOPChange
		var at int64
		if err := rows.Scan(&c.Seq, &c.Kind, &c.Name, &c.Body, &c.Summary, &c.By, &at); err != nil {
			return nil, err
		}
		c.At = time.UnixMilli(at).UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}
