package shop

import (
	"errors"
	"testing"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/clock"
	"github.com/shouhou/shouhou/internal/money"
	"github.com/shouhou/shouhou/internal/store"
)

// seed003 is seed 003's shop: returns go to 环球仓, 冲牙器 to their own warehouse,
// 茶吧机 to 禾兰仕's 顺丰云仓.
var seed003 = store.Shop{Code: "tmall-main", Platform: cases.PlatformTmall, Name: "小熊电器旗舰店", ReturnAddresses: []store.ShopAddress{
	{Label: "环球仓", Recipient: "售后部", Phone: "0571-88886666", Address: "浙江省杭州市余杭区仓前街道1号 环球仓"},
	{Label: "冲牙器仓", Recipient: "冲牙器售后", Phone: "0755-26668888", Address: "广东省深圳市宝安区福永街道8栋", Products: []string{"冲牙器"}},
	{Label: "顺丰云仓", Recipient: "禾兰仕售后", Phone: "020-88889999", Address: "广东省佛山市顺德区北滘镇顺丰云仓", Products: []string{"茶吧机", "CB-T8"}},
}}

func TestReturnAddressFollowsTheCasesProductLine(t *testing.T) {
	tests := []struct {
		name      string
		sku, desc string
		want      string
	}{
		{"the SKU names the line", "CB-T8 茶吧机", "漏水", "顺丰云仓"},
		{"a keyword of the SKU code", "cb-t8", "", "顺丰云仓"},
		{"no SKU: the description names it", "", "冲牙器水箱漏水", "冲牙器仓"},
		{"the SKU wins over the description", "冲牙器X1", "和茶吧机一起买的", "冲牙器仓"},
		{"no line named: the first address without keywords", "杯子", "杯子碎了", "环球仓"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := cases.Case{Intake: cases.Intake{SKU: tt.sku, Description: tt.desc}}
			a, ok := ReturnAddress(seed003, c)
			if !ok || a.Label != tt.want {
				t.Fatalf("address %q, want %q", a.Label, tt.want)
			}
			if got := Values(seed003, c)["退货地址"]; got != AddressString(a) {
				t.Fatalf("{退货地址} = %q", got)
			}
		})
	}
	marked := seed003
	marked.ReturnAddresses = append([]store.ShopAddress{}, seed003.ReturnAddresses...)
	marked.ReturnAddresses[2].Default = true
	if a, _ := ReturnAddress(marked, cases.Case{Intake: cases.Intake{SKU: "杯子"}}); a.Label != "顺丰云仓" {
		t.Fatalf("the default address is not used: %s", a.Label)
	}
	if v := Values(store.Shop{}, cases.Case{}); len(v) != 0 {
		t.Fatalf("an empty shop fills %v", v)
	}
}

func TestValidateNamesEveryBadField(t *testing.T) {
	if err := Validate(Normalize(seed003)); err != nil {
		t.Fatalf("seed 003's shop refused: %v", err)
	}
	bad := money.Yuan(-1)
	tests := []struct {
		name  string
		edit  func(*store.Shop)
		field string
	}{
		{"code with capitals", func(s *store.Shop) { s.Code = "Tmall Main" }, "code"},
		{"unknown platform", func(s *store.Shop) { s.Platform = "ebay" }, "platform"},
		{"no name", func(s *store.Shop) { s.Name = "" }, "name"},
		{"bad phone", func(s *store.Shop) { s.ReturnAddresses[1].Phone = "abc" }, "return_addresses.1.phone"},
		{"two defaults", func(s *store.Shop) { s.ReturnAddresses[0].Default, s.ReturnAddresses[1].Default = true, true }, "return_addresses"},
		{"level 4", func(s *store.Shop) { s.Overrides.SLA = map[cases.Level]store.ShopSLA{4: {ResolveHours: 1}} }, "overrides.sla.4"},
		{"a year to resolve", func(s *store.Shop) { s.Overrides.SLA = map[cases.Level]store.ShopSLA{1: {ResolveHours: 9000}} }, "overrides.sla.1.resolve_hours"},
		{"negative freight", func(s *store.Shop) { s.Overrides.ReturnFreight = &bad }, "overrides.return_freight"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sh := seed003
			sh.ReturnAddresses = append([]store.ShopAddress{}, seed003.ReturnAddresses...)
			tt.edit(&sh)
			var verr cases.ValidationError
			if err := Validate(sh); !errors.As(err, &verr) || !verr.Has(tt.field) {
				t.Fatalf("error %v, want field %s", err, tt.field)
			}
		})
	}
}

func TestSLAOverrideChangesOnlyTheNumbersItNames(t *testing.T) {
	base := clock.DefaultSLA()
	got := SLA(base, store.ShopOverrides{SLA: map[cases.Level]store.ShopSLA{1: {ResolveHours: 12}}})
	if got.Levels[1] != (clock.LevelSLA{FirstResponseHours: 2, ResolveHours: 12}) || got.Levels[2] != base.Levels[2] {
		t.Fatalf("overridden SLA %+v", got.Levels)
	}
	if base.Levels[1].ResolveHours != 24 {
		t.Fatal("the override changed the configuration's default")
	}
	if CheckSLA(base, store.ShopOverrides{SLA: map[cases.Level]store.ShopSLA{3: {FirstResponseHours: 100}}}) == nil {
		t.Fatal("a first response after the resolution was accepted")
	}
}
