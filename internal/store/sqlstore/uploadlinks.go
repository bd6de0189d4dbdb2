package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/uploadlink"
)

const linkCols = `id, case_id, token_hash, created_by, created_at, expires_at, revoked_at, revoked_by, uploads`

func scanLink(row row) (uploadlink.Link, error) {
	var l uploadlink.Link
	var created, expires int64
	var revoked sql.NullInt64
	if err := row.Scan(&l.ID, &l.CaseID, &l.TokenHash, &l.CreatedBy, &created, &expires, &revoked, &l.RevokedBy, &l.Uploads); err != nil {
		return l, err
	}
	l.CreatedAt, l.ExpiresAt = time.UnixMilli(created).UTC(), time.UnixMilli(expires).UTC()
	if revoked.Valid {
		t := time.UnixMilli(revoked.Int64).UTC()
		l.RevokedAt = &t
	}
	return l, nil
}

// InsertUploadLink stores a new link (its token's hash) and returns it with its id.
func (t *Tx) InsertUploadLink(ctx context.Context, l uploadlink.Link) (uploadlink.Link, error) {
	q := t.d.rebind(`INSERT INTO upload_links (case_id, token_hash, created_by, created_at, expires_at) VALUES (?,?,?,?,?) RETURNING id`)
	if err := t.tx.QueryRowContext(ctx, q, l.CaseID, l.TokenHash, l.CreatedBy, millis(l.CreatedAt), millis(l.ExpiresAt)).Scan(&l.ID); err != nil {
		return l, fmt.Errorf("insert upload link: %w", err)
	}
	return l, nil
}

// UploadLink reads a link in the transaction (store.ErrNotFound when there is none).
func (t *Tx) UploadLink(ctx context.Context, id int64) (uploadlink.Link, error) {
	l, err := scanLink(t.tx.QueryRowContext(ctx, t.d.rebind(`SELECT `+linkCols+` FROM upload_links WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return l, store.ErrNotFound
	}
	return l, err
}

// RevokeUploadLink marks a link revoked.
func (t *Tx) RevokeUploadLink(ctx context.Context, id int64, by string, at time.Time) error {
	_, err := t.tx.ExecContext(ctx, t.d.rebind(`UPDATE upload_links SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL`), millis(at), by, id)
	if err != nil {
		return fmt.Errorf("revoke upload link: %w", err)
	}
	return nil
}

// CountUpload counts one file received through a link that is still live at now and
// has taken fewer than max files; it reports false (and counts nothing) otherwise.
func (t *Tx) CountUpload(ctx context.Context, id int64, now time.Time, max int) (bool, error) {
	res, err := t.tx.ExecContext(ctx, t.d.rebind(`UPDATE upload_links SET uploads = uploads + 1 WHERE id = ? AND revoked_at IS NULL AND expires_at > ? AND uploads < ?`), id, millis(now), max)
	if err != nil {
		return false, fmt.Errorf("count upload: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// UploadLinkByHash finds a link by its token's hash (store.ErrNotFound when none).
func (s *Store) UploadLinkByHash(ctx context.Context, hash string) (uploadlink.Link, error) {
	l, err := scanLink(s.read.QueryRowContext(ctx, s.dialect.rebind(`SELECT `+linkCols+` FROM upload_links WHERE token_hash = ?`), hash))
	if errors.Is(err, sql.ErrNoRows) {
		return l, store.ErrNotFound
	}
	if err != nil {
		return l, fmt.Errorf("read upload link: %w", err)
	}
	return l, nil
}

// UploadLinks lists a case's links, newest first (a case has few).
func (s *Store) UploadLinks(ctx context.Context, caseID int64) ([]uploadlink.Link, error) {
	rows, err := s.read.QueryContext(ctx, s.dialect.rebind(`SELECT `+linkCols+` FROM upload_links WHERE case_id = ? ORDER BY id DESC LIMIT 100`), caseID)
	if err != nil {
		return nil, fmt.Errorf("list upload links: %w", err)
	}
	return collect(rows, scanLink)
}

// Thumb is the hash of the thumbnail of evidence hash (store.ErrNotFound: none yet).
func (s *Store) Thumb(ctx context.Context, hash string) (string, error) {
	var thumb string
	err := s.read.QueryRowContext(ctx, s.dialect.rebind(`SELECT thumb FROM evidence_thumbs WHERE hash = ?`), hash).Scan(&thumb)
	if errors.Is(err, sql.ErrNoRows) {
		return "", store.ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("read thumbnail: %w", err)
	}
	return thumb, nil
}

// SaveThumb remembers the thumbnail of evidence hash (the first one made stays).
func (s *Store) SaveThumb(ctx context.Context, hash, thumb string, at time.Time) error {
	q := s.dialect.rebind(`INSERT INTO evidence_thumbs (hash, thumb, created_at) VALUES (?,?,?) ON CONFLICT (hash) DO NOTHING`)
	if _, err := s.write.ExecContext(ctx, q, hash, thumb, millis(at)); err != nil {
		return fmt.Errorf("save thumbnail: %w", err)
	}
	return nil
}
