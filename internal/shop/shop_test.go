package shop

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/store/sqlstore"
)

func TestSettingsSaveFillPlaceholdersAndRefuseBadInput(t *testing.T) {
	ctx := context.Background()
	st, err := sqlstore.OpenSQLite(ctx, filepath.Join(t.TempDir(), "db"), sqlstore.SQLiteOptions{Synchronous: "NORMAL"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc := NewService(st, nil)
	if v, err := svc.Values(ctx, store.User{}); err != nil || len(v) != 0 {
		t.Fatalf("empty settings fill %v (%v)", v, err)
	}
	good := Settings{Name: " 小熊电器旗舰店 ", ReturnAddresses: []Address{{Label: "杭州仓", Recipient: "售后部", Phone: "0571-88886666", Address: "浙江省杭州市余杭区仓前街道1号"}, {}}}
	if _, err := svc.Save(ctx, "admin", good); err != nil {
		t.Fatal(err)
	}
	v, err := svc.Values(ctx, store.User{AgentNo: "客服8号"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"店铺名": "小熊电器旗舰店", "客服工号": "客服8号", "退货地址": "售后部 0571-88886666 浙江省杭州市余杭区仓前街道1号"}
	for k, w := range want {
		if v[k] != w {
			t.Errorf("{%s} = %q, want %q", k, v[k], w)
		}
	}
	bad := Settings{Name: "店", ReturnAddresses: []Address{{Recipient: "", Phone: "abc", Address: "杭州"}}}
	_, err = svc.Save(ctx, "admin", bad)
	var verr cases.ValidationError
	if !errors.As(err, &verr) || len(verr) != 3 {
		t.Fatalf("bad address: %v", err)
	}
	if got, _ := svc.Get(ctx); got.Name != "小熊电器旗舰店" {
		t.Fatalf("a refused save changed the settings: %+v", got)
	}
}
