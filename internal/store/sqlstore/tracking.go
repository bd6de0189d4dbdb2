package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/store"
)

const parcelCols = `id, case_id, number, courier, role, added_at, subscribed_at, next_at, attempts, last_error, state, last_scan_at, final`

func scanParcel(row row) (store.Parcel, error) {
	var p store.Parcel
	var added, next int64
	var sub, last sql.NullInt64
	var final int
	if err := row.Scan(&p.ID, &p.CaseID, &p.Number, &p.Courier, &p.Role, &added, &sub, &next, &p.Attempts, &p.LastError, &p.State, &last, &final); err != nil {
		return p, err
	}
	p.AddedAt, p.NextAt, p.Final = time.UnixMilli(added).UTC(), time.UnixMilli(next).UTC(), final == 1
	if sub.Valid {
		t := time.UnixMilli(sub.Int64).UTC()
		p.SubscribedAt = &t
	}
	if last.Valid {
		t := time.UnixMilli(last.Int64).UTC()
		p.LastScanAt = &t
	}
	return p, nil
}

func queryParcels(ctx context.Context, q querier, query string, args ...any) ([]store.Parcel, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("read parcels: %w", err)
	}
	return collect(rows, scanParcel)
}

// CaseParcels lists the numbers followed for a case.
func (t *Tx) CaseParcels(ctx context.Context, caseID int64) ([]store.Parcel, error) {
	return queryParcels(ctx, t.tx, t.d.rebind(`SELECT `+parcelCols+` FROM tracking_numbers WHERE case_id = ? ORDER BY id`), caseID)
}

// ParcelsByNumberTx lists the cases' rows of a number in the transaction.
func (t *Tx) ParcelsByNumberTx(ctx context.Context, number string) ([]store.Parcel, error) {
	return queryParcels(ctx, t.tx, t.d.rebind(`SELECT `+parcelCols+` FROM tracking_numbers WHERE number = ? ORDER BY case_id`), number)
}

// InsertParcel adds a followed number to a case (nothing when the case has it already).
func (t *Tx) InsertParcel(ctx context.Context, p store.Parcel) error {
	_, err := t.tx.ExecContext(ctx, t.d.rebind(`INSERT INTO tracking_numbers (case_id, number, courier, role, added_at, next_at)
		VALUES (?,?,?,?,?,?) ON CONFLICT (case_id, number) DO NOTHING`), p.CaseID, p.Number, p.Courier, p.Role, millis(p.AddedAt), millis(p.NextAt))
	if err != nil {
		return fmt.Errorf("insert parcel: %w", err)
	}
	return nil
}

// UpdateParcel writes a parcel's follow-up state.
func (t *Tx) UpdateParcel(ctx context.Context, p store.Parcel) error {
	_, err := t.tx.ExecContext(ctx, t.d.rebind(`UPDATE tracking_numbers SET courier = ?, subscribed_at = ?, next_at = ?, attempts = ?,
		last_error = ?, state = ?, last_scan_at = ?, final = ? WHERE id = ?`),
		p.Courier, nullMillis(p.SubscribedAt), millis(p.NextAt), p.Attempts, p.LastError, p.State, nullMillis(p.LastScanAt), boolInt(p.Final), p.ID)
	if err != nil {
		return fmt.Errorf("update parcel: %w", err)
	}
	return nil
}

// AddScan records a scan of a number on a case; false when the case has it already
// (same number, time and status).
func (t *Tx) AddScan(ctx context.Context, caseID int64, number string, at time.Time, status string) (bool, error) {
	res, err := t.tx.ExecContext(ctx, t.d.rebind(`INSERT INTO tracking_scans (case_id, number, at, status) VALUES (?,?,?,?) ON CONFLICT DO NOTHING`),
		caseID, number, millis(at), status)
	if err != nil {
		return false, fmt.Errorf("add scan: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ParcelsByNumber lists the rows of a number (every case that follows it).
func (s *Store) ParcelsByNumber(ctx context.Context, number string) ([]store.Parcel, error) {
	return queryParcels(ctx, sqlConn{s.read}, s.dialect.rebind(`SELECT `+parcelCols+` FROM tracking_numbers WHERE number = ? ORDER BY case_id`), number)
}

// Parcels lists the numbers followed for a case.
func (s *Store) Parcels(ctx context.Context, caseID int64) ([]store.Parcel, error) {
	return queryParcels(ctx, sqlConn{s.read}, s.dialect.rebind(`SELECT `+parcelCols+` FROM tracking_numbers WHERE case_id = ? ORDER BY id`), caseID)
}

// DueParcels lists up to limit parcels not final whose subscription or poll is due at now.
func (s *Store) DueParcels(ctx context.Context, now time.Time, limit int) ([]store.Parcel, error) {
	return queryParcels(ctx, sqlConn{s.read}, s.dialect.rebind(`SELECT `+parcelCols+` FROM tracking_numbers WHERE final = 0 AND next_at <= ? ORDER BY next_at LIMIT ?`), millis(now), limit)
}

// MarkParcel writes the follower's outcome for a parcel: subscribed, the next attempt,
// the error. The state and last scan belong to the scans' own transactions and are
// left as they are.
func (s *Store) MarkParcel(ctx context.Context, p store.Parcel) error {
	return s.InTx(ctx, func(tx store.Tx) error {
		t := tx.(*Tx)
		_, err := t.tx.ExecContext(ctx, t.d.rebind(`UPDATE tracking_numbers SET subscribed_at = ?, next_at = ?, attempts = ?, last_error = ? WHERE id = ?`),
			nullMillis(p.SubscribedAt), millis(p.NextAt), p.Attempts, p.LastError, p.ID)
		if err != nil {
			return fmt.Errorf("mark parcel: %w", err)
		}
		return nil
	})
}

const unknownCols = `id, number, courier, items, good, bad, photos, remark, received_by, received_at, claimed_by, claimed_at, case_id`

func scanUnknown(row row) (store.UnknownParcel, error) {
	var u store.UnknownParcel
	var items, photos string
	var received int64
	var claimed, caseID sql.NullInt64
	if err := row.Scan(&u.ID, &u.Number, &u.Courier, &items, &u.Good, &u.Bad, &photos, &u.Remark, &u.ReceivedBy, &received, &u.ClaimedBy, &claimed, &caseID); err != nil {
		return u, err
	}
	u.ReceivedAt = time.UnixMilli(received).UTC()
	if claimed.Valid {
		t := time.UnixMilli(claimed.Int64).UTC()
		u.ClaimedAt = &t
	}
	u.CaseID = caseID.Int64
	if err := json.Unmarshal([]byte(items), &u.Items); err != nil {
		return u, fmt.Errorf("decode parcel items: %w", err)
	}
	if err := json.Unmarshal([]byte(photos), &u.Photos); err != nil {
		return u, fmt.Errorf("decode parcel photos: %w", err)
	}
	return u, nil
}

// InsertUnknownParcel records a parcel that matched no case.
func (s *Store) InsertUnknownParcel(ctx context.Context, u store.UnknownParcel) (store.UnknownParcel, error) {
	items, _ := json.Marshal(orEmpty(u.Items))
	if u.Photos == nil {
		u.Photos = []cases.Evidence{}
	}
	photos, _ := json.Marshal(u.Photos)
	err := s.InTx(ctx, func(tx store.Tx) error {
		t := tx.(*Tx)
		return t.tx.QueryRowContext(ctx, t.d.rebind(`INSERT INTO unknown_parcels (number, courier, items, good, bad, photos, remark, received_by, received_at)
			VALUES (?,?,?,?,?,?,?,?,?) RETURNING id`), u.Number, u.Courier, string(items), u.Good, u.Bad, string(photos), u.Remark, u.ReceivedBy, millis(u.ReceivedAt)).Scan(&u.ID)
	})
	if err != nil {
		return u, fmt.Errorf("insert unknown parcel: %w", err)
	}
	return u, nil
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// UnknownParcels lists the parcels nobody claimed yet (claimed: the claimed ones
// instead), newest first.
func (s *Store) UnknownParcels(ctx context.Context, claimed bool, limit int) ([]store.UnknownParcel, error) {
	cond := `claimed_at IS NULL`
	if claimed {
		cond = `claimed_at IS NOT NULL`
	}
	rows, err := s.read.QueryContext(ctx, s.dialect.rebind(`SELECT `+unknownCols+` FROM unknown_parcels WHERE `+cond+` ORDER BY id DESC LIMIT ?`), limit)
	if err != nil {
		return nil, fmt.Errorf("list unknown parcels: %w", err)
	}
	return collect(rows, scanUnknown)
}

// UnknownParcel reads one in the transaction (store.ErrNotFound when none).
func (t *Tx) UnknownParcel(ctx context.Context, id int64) (store.UnknownParcel, error) {
	u, err := scanUnknown(t.tx.QueryRowContext(ctx, t.d.rebind(`SELECT `+unknownCols+` FROM unknown_parcels WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return u, store.ErrNotFound
	}
	return u, err
}

// ClaimUnknownParcel gives an unclaimed parcel to a case; false when someone claimed it first.
func (t *Tx) ClaimUnknownParcel(ctx context.Context, id, caseID int64, by string, at time.Time) (bool, error) {
	res, err := t.tx.ExecContext(ctx, t.d.rebind(`UPDATE unknown_parcels SET case_id = ?, claimed_by = ?, claimed_at = ? WHERE id = ? AND claimed_at IS NULL`),
		caseID, by, millis(at), id)
	if err != nil {
		return false, fmt.Errorf("claim parcel: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// UnknownParcelByID reads one unknown parcel (store.ErrNotFound when none).
func (s *Store) UnknownParcelByID(ctx context.Context, id int64) (store.UnknownParcel, error) {
	u, err := scanUnknown(s.read.QueryRowContext(ctx, s.dialect.rebind(`SELECT `+unknownCols+` FROM unknown_parcels WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return u, store.ErrNotFound
	}
	return u, err
}
