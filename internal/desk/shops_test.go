package desk_test

import (
	"context"
	"errors"
	"testing"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/clock"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/store/storetest"
)

func TestShopByCodeFindsTheShopOrNamesTheUnknownCode(t *testing.T) {
	ctx := context.Background()
	d := desk.New(desk.Opts{Store: storetest.SQLite(t), SLA: clock.DefaultSLA()})
	admin := desk.Actor{Name: "boss", Role: store.RoleAdmin}
	b, err := d.CreateShop(ctx, admin, store.Shop{Code: "tmall-main", Platform: cases.PlatformTmall, Name: "天猫旗舰店"})
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"tmall-main", " TMALL-MAIN "} {
		if got, err := d.ShopByCode(ctx, code); err != nil || got.ID != b.ID || got.Platform != cases.PlatformTmall {
			t.Fatalf("%q: %+v %v", code, got, err)
		}
	}
	if got, err := d.ShopByCode(ctx, "main"); err != nil || got.ID != cases.FirstShop {
		t.Fatalf("shop #1 by its code: %+v %v", got, err)
	}
	_, err = d.ShopByCode(ctx, "jd-main")
	var nf *desk.ShopNotFoundError
	if !errors.As(err, &nf) || !errors.Is(err, store.ErrNotFound) || err.Error() != "没有代码为「jd-main」的店铺" {
		t.Fatalf("unknown code: %v", err)
	}
	if _, err := d.CreateShop(ctx, desk.Actor{Name: "lead", Role: store.RoleSupervisor}, store.Shop{Code: "x1", Platform: cases.PlatformJD, Name: "京东店"}); !errors.Is(err, desk.ErrForbidden) {
		t.Fatalf("a supervisor created a shop: %v", err)
	}
}
