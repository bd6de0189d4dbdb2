package understand

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/shouhou/shouhou/internal/money"
)

func TestExtractEntities(t *testing.T) {
	c := newDefault(t)
	tests := []struct {
		rule string
		text string
		want Entities
	}{
		{"a mobile number is a phone", "电话13812345678，尽快联系我", Entities{Phones: []string{"13812345678"}}},
		{"a phone inside a tracking number is not a phone", "单号SF1381234567890", Entities{TrackingNumbers: []Tracking{{"SF1381234567890", "顺丰"}}}},
		{"a phone inside a long digit run is not a phone", "订单号2138123456789012345", Entities{OrderNumbers: []string{"2138123456789012345"}}},
		{"full-width digits are read", "电话：１３９１２３４５６７８", Entities{Phones: []string{"13912345678"}}},
		{"a grouped phone is one phone", "打我电话 138-1234-5678 或 139 8765 4321", Entities{Phones: []string{"13812345678", "13987654321"}}},
		{"the 86 prefix is dropped", "+8613812345678", Entities{Phones: []string{"13812345678"}}},
		{"a number not starting 13-19 is not a phone", "12012345678", Entities{OrderNumbers: []string{"12012345678"}}},
		{"JD waybill", "京东单号JDVA12345678901", Entities{TrackingNumbers: []Tracking{{"JDVA12345678901", "京东"}}}},
		{"YTO waybill", "YT1234567890123", Entities{TrackingNumbers: []Tracking{{"YT1234567890123", "圆通"}}}},
		{"J&T waybill", "jt1234567890123 到哪了", Entities{TrackingNumbers: []Tracking{{"JT1234567890123", "极兔"}}}},
		{"a bare long number is an order", "75123456789012", Entities{OrderNumbers: []string{"75123456789012"}}},
		{"a courier named before a number makes it a waybill", "中通75123456789012不动了", Entities{TrackingNumbers: []Tracking{{"75123456789012", "中通"}}}},
		{"ZTO waybill by format", "73 开头的 731234567890", Entities{TrackingNumbers: []Tracking{{"731234567890", "中通"}}}},
		{"STO waybill", "7712345678901", Entities{TrackingNumbers: []Tracking{{"7712345678901", "申通"}}}},
		{"Yunda waybill", "4312345678901", Entities{TrackingNumbers: []Tracking{{"4312345678901", "韵达"}}}},
		{"international EMS", "EA123456789CN", Entities{TrackingNumbers: []Tracking{{"EA123456789CN", "EMS"}}}},
		{"an unknown format after 快递单号 is a waybill", "快递单号 ZX99887766", Entities{TrackingNumbers: []Tracking{{"ZX99887766", ""}}}},
		{"a number after 订单 is an order", "订单号：731234567890", Entities{OrderNumbers: []string{"731234567890"}}},
		{"Pinduoduo order", "230512-123456789012345 这个订单", Entities{OrderNumbers: []string{"230512-123456789012345"}}},
		{"amount after a money verb", "补偿200", Entities{Amounts: []AmountEntity{{"200", money.Yuan(200)}}}},
		{"amount with filler and unit", "赔我50块", Entities{Amounts: []AmountEntity{{"50块", money.Yuan(50)}}}},
		{"Chinese numeral amount after a verb", "至少补偿两百", Entities{Amounts: []AmountEntity{{"两百", money.Yuan(200)}}}},
		{"Chinese numeral with 元", "给五十元就算了", Entities{Amounts: []AmountEntity{{"五十元", money.Yuan(50)}}}},
		{"colloquial 一百五", "退一百五", Entities{Amounts: []AmountEntity{{"一百五", money.Yuan(150)}}}},
		{"decimal amount", "差价12.5元", Entities{Amounts: []AmountEntity{{"12.5元", money.Amount(1250)}}}},
		{"yen sign", "才¥39", Entities{Amounts: []AmountEntity{{"¥39", money.Yuan(39)}}}},
		{"a piece is not money", "碎了一块", Entities{}},
		{"counted goods are not money", "补发2个", Entities{}},
		{"products are found", "茶吧机和冲牙器都坏了", Entities{Products: []string{"茶吧机", "冲牙器"}}},
		{"longest product wins", "电热水壶漏水", Entities{Products: []string{"电热水壶"}}},
		{"a duration has hours", "三天了还没到", Entities{Times: []TimeEntity{{"三天了", 72}}}},
		{"a week", "等了一个星期", Entities{Times: []TimeEntity{{"一个星期", 168}}}},
		{"a relative day", "昨天收到的", Entities{Times: []TimeEntity{{"昨天", 0}}}},
		{"a vague duration", "好几天了", Entities{Times: []TimeEntity{{"好几天了", 0}}}},
		{"seven-day no-reason is not a time", "支持7天无理由吗", Entities{}},
		{"Traditional characters", "兩個星期了", Entities{Times: []TimeEntity{{"两个星期了", 336}}}},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			got := c.Classify(tt.text).Entities
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("entities of %q (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

func TestMaskPhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"13800001234", "138****1234"},
		{"12345", "12345"},
	}
	for _, tt := range tests {
		if got := MaskPhone(tt.in); got != tt.want {
			t.Errorf("MaskPhone(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMaskTextHidesPhonesOnly(t *testing.T) {
	in := "我电话13800001234，单号SF1380000123456"
	want := "我电话138****1234，单号SF1380000123456"
	if got := MaskText(in); got != want {
		t.Errorf("MaskText = %q, want %q", got, want)
	}
}

func TestParseChineseNumerals(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"五十", 50, true}, {"十五", 15, true}, {"两百", 200, true}, {"一百五", 150, true},
		{"一百零五", 105, true}, {"两千五", 2500, true}, {"三万五", 35000, true}, {"十万", 100000, true},
		{"壹佰", 100, true}, {"百", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseCN([]rune(tt.in))
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseCN(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
