package understand

import (
	"strings"
	"testing"

	"github.com/shouhou/shouhou/internal/cases"
)

// chat builds turns from lines: "客：" is the customer, "服：" the agent.
func chat(lines ...string) []Turn {
	out := make([]Turn, 0, len(lines))
	for _, l := range lines {
		sp, text := SpeakerCustomer, strings.TrimPrefix(l, "客：")
		if t, ok := strings.CutPrefix(l, "服："); ok {
			sp, text = SpeakerAgent, t
		}
		out = append(out, Turn{Speaker: sp, Text: text})
	}
	return out
}

func TestAnAcceptedOfferIsTheChatsDemandARefusedOneIsNot(t *testing.T) {
	c := newDefault(t)
	cases_ := []struct {
		name  string
		turns []Turn
		want  cases.Demand
	}{
		{"accepted reship", chat("客：收到的杯子少了一个盖子", "服：亲，非常抱歉，这边给您安排补发一个可以吗", "客：好的"), cases.DemandReship},
		{"accepted exchange phrased as 调换", chat("客：衣服袖口开线了", "服：您看给您调换一件新的行吗", "客：可以"), cases.DemandExchange},
		{"accepted compensation", chat("客：盒子压扁了，里面东西还能用", "服：实在抱歉，给您小额打款10元作为补偿，您看可以吗", "客：行吧，那就这样"), cases.DemandCompensation},
		{"accepted repair", chat("客：空调不制冷了", "服：亲，这边给您安排师傅上门检测维修", "客：麻烦了"), cases.DemandRepair},
		{"accepted refund without return", chat("客：面包到了发霉了", "服：亲，不用退回了，直接给您申请仅退款", "客：嗯嗯谢谢"), cases.DemandRefundOnly},
		{"accepted return", chat("客：鞋子穿着磨脚", "服：亲，可以给您办理退货退款，寄回来就行", "客：好的 麻烦你"), cases.DemandReturnRefund},
		{"offer named among two", chat("客：碗收到裂了一个", "服：亲，可以给您补发一个，或者补偿5元，您看哪个方便", "客：那补发吧"), cases.DemandReship},
		{"refused offer then own request", chat("客：手机壳颜色发错了", "服：亲，给您补偿3元红包可以吗", "客：不要，我要换成我买的颜色"), cases.DemandExchange},
		{"customer's own request over an accepted offer", chat("客：锅底漏水了，我要退货", "服：亲，给您换个新的行吗", "客：好吧，退货"), cases.DemandReturnRefund},
		{"refused offer is not the demand", chat("客：台灯开关坏了", "服：亲，给您补偿5元可以吗", "客：不用了，不接受"), cases.DemandNone},
	}
	for _, tc := range cases_ {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.ClassifyTurns(tc.turns); got.Demand != tc.want {
				t.Errorf("demand %s, want %s", got.Demand, tc.want)
			}
		})
	}
}

func TestAPreSaleInvitationIsNoRemedyOffer(t *testing.T) {
	c := newDefault(t)
	r := c.ClassifyTurns(chat("客：这个锅适合电磁炉吗", "服：适合的亲，现在下单还能领10元优惠券，拍下返现5元哦", "客：好的"))
	if r.Type != cases.TypePresale || r.Demand == cases.DemandCompensation {
		t.Errorf("got %s / %s, want a pre-sale chat without compensation", r.Type, r.Demand)
	}
}

func TestReadOffersAndReplies(t *testing.T) {
	offers := []struct {
		agent string
		want  []cases.Demand
		cond  bool
	}{
		{"给您补发", []cases.Demand{cases.DemandReship}, false},
		{"这边给您重新发一个新的", []cases.Demand{cases.DemandReship}, false},
		{"可以再寄一个给您", []cases.Demand{cases.DemandReship}, true},
		{"给您换新吧", []cases.Demand{cases.DemandExchange}, false},
		{"给您寄一个新的过来，坏的那个收到新的再寄回", []cases.Demand{cases.DemandExchange}, false},
		{"要不要给您返现10元", []cases.Demand{cases.DemandCompensation}, true},
		{"可以寄回维修，或者到售后网点", []cases.Demand{cases.DemandRepair}, true},
		{"您看给您补偿5元，或者退货退款", []cases.Demand{cases.DemandCompensation, cases.DemandReturnRefund}, true},
		{"这款不支持退货哦", nil, false},
		{"收到寄回来后给您退款", []cases.Demand{cases.DemandReturnRefund}, false},
		{"不用寄回，直接给您退款", []cases.Demand{cases.DemandRefundOnly}, false},
		{"您下单的那件仓库漏发了，给您补发", []cases.Demand{cases.DemandReship}, false},
		{"给您补偿一张5元优惠券", []cases.Demand{cases.DemandCompensation}, false},
		{"亲，下单后师傅上门安装，免费的", nil, false},
		{"亲，请问是哪一步不会呢", nil, false},
		{"下单领券更划算", nil, false},
	}
	for _, tc := range offers {
		got := readOffers(tc.agent)
		var ds []cases.Demand
		for _, o := range got {
			ds = append(ds, o.demand)
			if o.conditional != tc.cond {
				t.Errorf("%s: conditional %v, want %v", tc.agent, o.conditional, tc.cond)
			}
		}
		if strings.Join(demandStrings(ds), ",") != strings.Join(demandStrings(tc.want), ",") {
			t.Errorf("%s: offers %v, want %v", tc.agent, ds, tc.want)
		}
	}
	replies := map[string]offerReply{
		"好的": replyAccept, "可以的": replyAccept, "行": replyAccept, "那就这样吧": replyAccept, "麻烦了": replyAccept,
		"嗯嗯": replyAccept, "谢谢亲": replyAccept, "不要": replyRefuse, "不用了": replyRefuse, "不行": replyRefuse,
		"我要退货": replyRefuse, "不换了，退吧": replyRefuse, "不可以": replyRefuse, "好几次了还是坏的，你们什么质量": replyNone, "多久能到": replyNone,
	}
	for text, want := range replies {
		if got := readReply(text); got != want {
			t.Errorf("reply %q: %v, want %v", text, got, want)
		}
	}
}

func demandStrings(ds []cases.Demand) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = string(d)
	}
	return out
}
