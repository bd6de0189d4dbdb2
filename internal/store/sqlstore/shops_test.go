package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/store/sqlstore"
)

// TestMigration25MakesTheSingleShopShopOneAndPutsEveryCaseInIt upgrades a database
// written before shops: the shop settings become shop #1 on the platform most cases
// came from, and every case (column and state) belongs to it.
func TestMigration25MakesTheSingleShopShopOneAndPutsEveryCaseInIt(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		var ids []int64
		for i := range 3 {
			c, ev := newCase(t, fmt.Sprintf("JD%04d", 7000+i), cases.TypeDamaged, t0) // JD twice …
			if i == 2 {
				c.Platform = cases.PlatformTaobao // … taobao once
			}
			ids = append(ids, insert(t, s, c, ev).ID)
		}
		before := time.Now()
		err := s.MigrateTo(ctx, 24, func(db *sql.DB) error {
			strip := `UPDATE cases SET state = json_remove(state, '$.shop_id')`
			if s.Postgres() {
				strip = `UPDATE cases SET state = state - 'shop_id'`
			}
			if _, err := db.Exec(strip); err != nil {
				return err
			}
			_, err := db.Exec(`INSERT INTO shop_settings (key, value, updated_by, updated_at) VALUES ('shop', '{"name":"小熊电器旗舰店","return_addresses":[{"label":"杭州仓","recipient":"售后部","phone":"0571-88886666","address":"浙江省杭州市余杭区仓前街道1号"}]}', 'admin', 1)`)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		after := time.Now()
		shops, err := s.Shops(ctx)
		if err != nil || len(shops) != 1 {
			t.Fatalf("shops %+v %v", shops, err)
		}
		sh := shops[0]
		// Shop #1 is created when the migration runs (SQLite's clock has whole seconds);
		// its updated_at is the old settings' last change (1 ms after 1970 here).
		if sh.CreatedAt.Before(before.Add(-time.Second)) || sh.CreatedAt.After(after.Add(time.Second)) {
			t.Errorf("shop #1 created at %s, the migration ran between %s and %s", sh.CreatedAt, before, after)
		}
		if !sh.UpdatedAt.Equal(time.UnixMilli(1)) {
			t.Errorf("shop #1 updated at %s, want the settings' last change", sh.UpdatedAt)
		}
		if sh.ID != 1 || sh.Code != "main" || sh.Platform != cases.PlatformJD || sh.Name != "小熊电器旗舰店" ||
			len(sh.ReturnAddresses) != 1 || sh.ReturnAddresses[0].Phone != "0571-88886666" {
			t.Fatalf("shop #1 %+v", sh)
		}
		for _, id := range ids {
			c, err := s.GetCase(ctx, id)
			if err != nil || c.ShopID != 1 {
				t.Fatalf("case %d after the migration: shop %d %v", id, c.ShopID, err)
			}
		}
		page, err := s.ListCases(ctx, store.CaseFilter{Shop: 1})
		if err != nil || len(page.Cases) != 3 {
			t.Fatalf("shop filter after the migration: %d %v", len(page.Cases), err)
		}
		// A new shop gets the next id (PostgreSQL's sequence moved past the 1 inserted).
		b, err := s.CreateShop(ctx, store.Shop{Code: "jd-main", Platform: cases.PlatformJD, Name: "京东店", CreatedAt: t0, UpdatedAt: t0})
		if err != nil || b.ID != 2 {
			t.Fatalf("second shop %+v %v", b, err)
		}
		if _, err := s.CreateShop(ctx, store.Shop{Code: "jd-main", Platform: cases.PlatformJD, Name: "又一个", CreatedAt: t0, UpdatedAt: t0}); !errors.Is(err, store.ErrDuplicate) {
			t.Fatalf("a taken code: %v", err)
		}
		if got, err := s.ShopByCode(ctx, "jd-main"); err != nil || got.ID != 2 {
			t.Fatalf("by code: %+v %v", got, err)
		}
		if _, err := s.ShopByCode(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("unknown code: %v", err)
		}
	})
}

// TestAFreshDatabasesShopOneIsCreatedWhenItsMigrationRuns: a new installation's shop
// #1 (made by migration 00025, without old settings) has the migration's time, not 1970.
func TestAFreshDatabasesShopOneIsCreatedWhenItsMigrationRuns(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *sqlstore.Store) {
		sh, err := s.Shop(context.Background(), 1)
		if err != nil {
			t.Fatal(err)
		}
		// The store was just migrated; the second of slack is SQLite's whole seconds.
		if age := time.Since(sh.CreatedAt); age < -time.Second || age > 5*time.Minute {
			t.Errorf("shop #1 created at %s", sh.CreatedAt)
		}
		if !sh.UpdatedAt.Equal(sh.CreatedAt) {
			t.Errorf("shop #1 updated at %s, created at %s", sh.UpdatedAt, sh.CreatedAt)
		}
	})
}
