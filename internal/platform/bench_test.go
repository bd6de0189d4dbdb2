package platform_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/clock"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/money"
	"github.com/shouhou/shouhou/internal/platform"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/store/storetest"
)

// BenchmarkUpsertAfterSale measures the one operation every way in ends in, on SQLite
// (storetest.SQLite): a new record (opens a case), an unchanged one (a re-import's
// usual row) and a status change (one event).
func BenchmarkUpsertAfterSale(b *testing.B) {
	for _, mode := range []string{"new", "unchanged", "status_change"} {
		b.Run(mode, func(b *testing.B) {
			st := storetest.SQLite(b)
			now := func() time.Time { return time.Date(2026, 11, 30, 2, 0, 0, 0, time.UTC) }
			d := desk.New(desk.Opts{Store: st, SLA: clock.DefaultSLA(), Now: now})
			ctx := context.Background()
			actor := desk.Actor{Name: "erp", Role: store.RoleAdmin}
			rec := func(i int, status string) platform.Checked {
				c, bad := d.CheckAfterSale(platform.Record{Platform: cases.PlatformTaobao, AfterSaleID: fmt.Sprintf("RF%012d", i),
					OrderNo: fmt.Sprintf("39018273%011d", i), Type: "REFUND", Status: status, RefundAmount: money.Yuan(59), BuyerNick: "tb_买家"}, "bench")
				if bad != nil {
					b.Fatal(bad)
				}
				return c
			}
			if mode != "new" {
				for i := range b.N {
					if _, err := d.UpsertAfterSale(ctx, actor, rec(i, "WAIT_SELLER_AGREE")); err != nil {
						b.Fatal(err)
					}
				}
			}
			status := "WAIT_SELLER_AGREE"
			if mode == "status_change" {
				status = "SUCCESS"
			}
			b.ResetTimer()
			for i := range b.N {
				if _, err := d.UpsertAfterSale(ctx, actor, rec(i, status)); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
		})
	}
}
