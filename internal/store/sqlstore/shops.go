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

const shopCols = `id, code, platform, name, return_addresses, overrides, updated_by, created_at, updated_at`

func scanShop(row row) (store.Shop, error) {
	var sh store.Shop
	var platform, addrs, overrides string
	var created, updated int64
	if err := row.Scan(&sh.ID, &sh.Code, &platform, &sh.Name, &addrs, &overrides, &sh.UpdatedBy, &created, &updated); err != nil {
		return sh, err
	}
	sh.Platform = cases.Platform(platform)
	sh.CreatedAt, sh.UpdatedAt = time.UnixMilli(created).UTC(), time.UnixMilli(updated).UTC()
	sh.ReturnAddresses = []store.ShopAddress{}
	if err := json.Unmarshal([]byte(addrs), &sh.ReturnAddresses); err != nil {
		return sh, fmt.Errorf("shop %d return addresses: %w", sh.ID, err)
	}
	if err := json.Unmarshal([]byte(overrides), &sh.Overrides); err != nil {
		return sh, fmt.Errorf("shop %d overrides: %w", sh.ID, err)
	}
	return sh, nil
}

// Shops lists every shop, by id.
func (s *Store) Shops(ctx context.Context) ([]store.Shop, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+shopCols+` FROM shops ORDER BY id`)
	if err != nil {
		return nil, unavailable(fmt.Errorf("list shops: %w", err))
	}
	return collect(rows, scanShop)
}

// Shop reads one shop, or store.ErrNotFound.
func (s *Store) Shop(ctx context.Context, id int64) (store.Shop, error) {
	return s.shopWhere(ctx, "id = ?", id)
}

// ShopByCode reads the shop with that code, or store.ErrNotFound.
func (s *Store) ShopByCode(ctx context.Context, code string) (store.Shop, error) {
	if err := checkText("code", code); err != nil {
		return store.Shop{}, err
	}
	return s.shopWhere(ctx, "code = ?", code)
}

func (s *Store) shopWhere(ctx context.Context, cond string, arg any) (store.Shop, error) {
	sh, err := scanShop(s.read.QueryRowContext(ctx, s.dialect.rebind(`SELECT `+shopCols+` FROM shops WHERE `+cond), arg))
	if errors.Is(err, sql.ErrNoRows) {
		return sh, store.ErrNotFound
	}
	if err != nil {
		return sh, unavailable(fmt.Errorf("read shop: %w", err))
	}
	return sh, nil
}

func shopValues(sh store.Shop) ([]any, error) {
	for _, f := range []struct{ field, text string }{{"code", sh.Code}, {"name", sh.Name}, {"updated_by", sh.UpdatedBy}} {
		if err := checkText(f.field, f.text); err != nil {
			return nil, err
		}
	}
	addrs := sh.ReturnAddresses
	if addrs == nil {
		addrs = []store.ShopAddress{}
	}
	a, err := json.Marshal(addrs)
	if err != nil {
		return nil, err
	}
	o, err := json.Marshal(sh.Overrides)
	if err != nil {
		return nil, err
	}
	if err := errors.Join(checkJSON("return_addresses", a), checkJSON("overrides", o)); err != nil {
		return nil, err
	}
	return []any{sh.Code, string(sh.Platform), sh.Name, string(a), string(o), sh.UpdatedBy, millis(sh.UpdatedAt)}, nil
}

// CreateShop stores a new shop and returns it with its id; a taken code is
// store.ErrDuplicate.
func (s *Store) CreateShop(ctx context.Context, sh store.Shop) (store.Shop, error) {
	vals, err := shopValues(sh)
	if err != nil {
		return sh, err
	}
	q := s.dialect.rebind(`INSERT INTO shops (code, platform, name, return_addresses, overrides, updated_by, updated_at, created_at)
		VALUES (?,?,?,?,?,?,?,?) RETURNING id`)
	err = s.write.QueryRowContext(ctx, q, append(vals, millis(sh.CreatedAt))...).Scan(&sh.ID)
	if s.dialect.isUniqueViolation(err) {
		return sh, store.ErrDuplicate
	}
	if err != nil {
		return sh, unavailable(fmt.Errorf("create shop: %w", err))
	}
	return sh, nil
}

// UpdateShop replaces a shop's settings; an unknown id is store.ErrNotFound, a taken
// code store.ErrDuplicate.
func (s *Store) UpdateShop(ctx context.Context, sh store.Shop) error {
	vals, err := shopValues(sh)
	if err != nil {
		return err
	}
	q := s.dialect.rebind(`UPDATE shops SET code = ?, platform = ?, name = ?, return_addresses = ?, overrides = ?, updated_by = ?, updated_at = ? WHERE id = ?`)
	res, err := s.write.ExecContext(ctx, q, append(vals, sh.ID)...)
	if s.dialect.isUniqueViolation(err) {
		return store.ErrDuplicate
	}
	if err != nil {
		return unavailable(fmt.Errorf("update shop %d: %w", sh.ID, err))
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return store.ErrNotFound
	}
	return nil
}
