package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/store"
)

// AfterSaleCase finds the case a platform after-sale record opened (found false: none).
func (t *Tx) AfterSaleCase(ctx context.Context, platform cases.Platform, shop, id string) (int64, bool, error) {
	return afterSaleCase(ctx, t.tx, t.d, platform, shop, id)
}

// AfterSaleCase is the same lookup outside a transaction.
func (s *Store) AfterSaleCase(ctx context.Context, platform cases.Platform, shop, id string) (int64, bool, error) {
	return afterSaleCase(ctx, sqlConn{s.read}, s.dialect, platform, shop, id)
}

// ShopHasAfterSales reports whether platform records are keyed on the shop's code.
func (s *Store) ShopHasAfterSales(ctx context.Context, code string) (bool, error) {
	var one int
	err := s.read.QueryRowContext(ctx, s.dialect.rebind(`SELECT 1 FROM platform_aftersales WHERE shop_code = ? LIMIT 1`), code).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("after-sales of shop %s: %w", code, err)
	}
	return true, nil
}

func afterSaleCase(ctx context.Context, q querier, d dialect, platform cases.Platform, shop, id string) (int64, bool, error) {
	var caseID int64
	err := q.QueryRowContext(ctx, d.rebind(`SELECT case_id FROM platform_aftersales WHERE platform = ? AND shop_code = ? AND aftersale_id = ?`),
		string(platform), shop, id).Scan(&caseID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("find after-sale %s/%s/%s: %w", platform, shop, id, err)
	}
	return caseID, true, nil
}

// PutAfterSale inserts or updates the row of a record on case caseID; a second case
// for the same (platform, shop, id) is store.ErrDuplicate.
func (t *Tx) PutAfterSale(ctx context.Context, caseID int64, a cases.AfterSale, now time.Time) error {
	for _, v := range []string{a.Shop, a.ID, a.OrderNo, a.RawStatus, a.Intervention} {
		if err := checkText("after_sale", v); err != nil {
			return err
		}
	}
	var deadline any
	if a.Deadline != nil {
		deadline = millis(*a.Deadline)
	}
	q := t.d.rebind(`INSERT INTO platform_aftersales (platform, shop_code, aftersale_id, case_id, order_no, type, raw_status, status, intervention, refund_fen, deadline_at, updated_at)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT (platform, shop_code, aftersale_id) DO UPDATE SET order_no = excluded.order_no, type = excluded.type,
		raw_status = excluded.raw_status, status = excluded.status, intervention = excluded.intervention,
		refund_fen = excluded.refund_fen, deadline_at = excluded.deadline_at, updated_at = excluded.updated_at
		WHERE platform_aftersales.case_id = excluded.case_id`)
	res, err := t.tx.ExecContext(ctx, q, string(a.Platform), a.Shop, a.ID, caseID, a.OrderNo, a.Type, a.RawStatus, a.Status, a.Intervention,
		int64(a.RefundAmount), deadline, millis(now))
	if err != nil {
		if t.d.isUniqueViolation(err) {
			return fmt.Errorf("%w: %w", store.ErrDuplicate, err)
		}
		return fmt.Errorf("put after-sale: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: after-sale %s/%s/%s belongs to another case", store.ErrDuplicate, a.Platform, a.Shop, a.ID)
	}
	return nil
}

// MoveAfterSale points a record's row at another case (the survivor of a merge).
func (t *Tx) MoveAfterSale(ctx context.Context, platform cases.Platform, shop, id string, caseID int64) error {
	_, err := t.tx.ExecContext(ctx, t.d.rebind(`UPDATE platform_aftersales SET case_id = ? WHERE platform = ? AND shop_code = ? AND aftersale_id = ?`),
		caseID, string(platform), shop, id)
	if err != nil {
		return fmt.Errorf("move after-sale: %w", err)
	}
	return nil
}

// PlatformCursor is a connector's saved position ("" when it has none yet).
func (s *Store) PlatformCursor(ctx context.Context, name string) (string, error) {
	var c string
	err := s.read.QueryRowContext(ctx, s.dialect.rebind(`SELECT cursor FROM platform_cursors WHERE name = ?`), name).Scan(&c)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return c, err
}

// SavePlatformCursor saves a connector's position.
func (s *Store) SavePlatformCursor(ctx context.Context, name, cursor string, now time.Time) error {
	if err := checkText("cursor", cursor); err != nil {
		return err
	}
	_, err := s.write.ExecContext(ctx, s.dialect.rebind(`INSERT INTO platform_cursors (name, cursor, updated_at) VALUES (?,?,?)
		ON CONFLICT (name) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`), name, cursor, millis(now))
	if err != nil {
		return fmt.Errorf("save cursor %s: %w", name, err)
	}
	return nil
}
