package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/shouhou/shouhou/internal/store"
)

// ReportFact is the case's stored rollup contribution (nil when none).
func (t *Tx) ReportFact(ctx context.Context, caseID int64) ([]byte, error) {
	var entries string
	err := t.tx.QueryRowContext(ctx, t.d.rebind(`SELECT entries FROM report_facts WHERE case_id = ?`), caseID).Scan(&entries)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read report fact of case %d: %w", caseID, err)
	}
	return []byte(entries), nil
}

// PutReportFact stores the case's contribution.
func (t *Tx) PutReportFact(ctx context.Context, caseID int64, entries []byte) error {
	q := `INSERT INTO report_facts (case_id, entries) VALUES (?,?) ON CONFLICT (case_id) DO UPDATE SET entries = excluded.entries`
	if err := t.write(ctx, fmt.Sprintf("put report fact of case %d", caseID), t.d.rebind(q), caseID, string(entries)); err != nil {
		return err
	}
	return nil
}

// ReportRow reads one rollup row; nil when none. On PostgreSQL the row is created
// empty if missing and locked (FOR UPDATE) until the transaction ends, so two
// transactions adding to the same row take turns instead of one overwriting the
// other's sum; SQLite's single writer already serialises them.
func (t *Tx) ReportRow(ctx context.Context, day, dim, key string) ([]byte, error) {
	q := `SELECT vec FROM report_daily WHERE day = ? AND dim = ? AND rkey = ?`
	if _, pg := t.d.(postgresDialect); pg {
		if err := t.write(ctx, "create report row", t.d.rebind(`INSERT INTO report_daily (day, dim, rkey, vec) VALUES (?,?,?,'') ON CONFLICT DO NOTHING`), day, dim, key); err != nil {
			return nil, err
		}
		q += ` FOR UPDATE`
	}
	var vec string
	err := t.tx.QueryRowContext(ctx, t.d.rebind(q), day, dim, key).Scan(&vec)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read report row: %w", err)
	}
	return []byte(vec), nil
}

// PutReportRow writes a rollup row, or deletes it when r.Vec is nil.
func (t *Tx) PutReportRow(ctx context.Context, r store.ReportRow) error {
	if r.Vec == nil {
		return t.write(ctx, "put report row", t.d.rebind(`DELETE FROM report_daily WHERE day = ? AND dim = ? AND rkey = ?`), r.Day, r.Dim, r.Key)
	}
	return t.write(ctx, "put report row", t.d.rebind(`INSERT INTO report_daily (day, dim, rkey, vec) VALUES (?,?,?,?)
			ON CONFLICT (day, dim, rkey) DO UPDATE SET vec = excluded.vec`), r.Day, r.Dim, r.Key, string(r.Vec))
}

// ReportRows reads the daily rollup rows of the days from..to (YYYY-MM-DD, inclusive;
// "" leaves that end open), of one dimension (or all with "").
func (s *Store) ReportRows(ctx context.Context, from, to, dim string) ([]store.ReportRow, error) {
	q, args := `SELECT day, dim, rkey, vec FROM report_daily WHERE length(day) = 10`, []any{}
	if dim != "" {
		q, args = q+` AND dim = ?`, append(args, dim)
	}
	if from != "" {
		q, args = q+` AND day >= ?`, append(args, from)
	}
	if to != "" {
		q, args = q+` AND day <= ?`, append(args, to)
	}
	return s.reportRows(ctx, q, args)
}

// ReportMonthRows reads the month rows (YYYY-MM) of the months.
func (s *Store) ReportMonthRows(ctx context.Context, months []string) ([]store.ReportRow, error) {
	if len(months) == 0 {
		return nil, nil
	}
	q := `SELECT day, dim, rkey, vec FROM report_daily WHERE day IN (?` + strings.Repeat(",?", len(months)-1) + `)`
	args := make([]any, len(months))
	for i, m := range months {
		args[i] = m
	}
	return s.reportRows(ctx, q, args)
}

func (s *Store) reportRows(ctx context.Context, q string, args []any) ([]store.ReportRow, error) {
	rows, err := s.read.QueryContext(ctx, s.dialect.rebind(q), args...)
	if err != nil {
		return nil, fmt.Errorf("read report rows: %w", err)
	}
	defer rows.Close()
	var out []store.ReportRow
	for rows.Next() {
		var r store.ReportRow
		var vec string
		if err := rows.Scan(&r.Day, &r.Dim, &r.Key, &vec); err != nil {
			return nil, fmt.Errorf("scan report row: %w", err)
		}
		r.Vec = []byte(vec)
		out = append(out, r)
	}
	return out, rows.Err()
}
