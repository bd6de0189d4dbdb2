package understand

import (
	"slices"
	"strings"
	"unicode"

	"github.com/shouhou/shouhou/internal/cases"
)

// An agent's offer of a remedy, and how the customer answered it, is what many chats
// settle on without the customer ever naming the remedy: 给您补发一个可以吗 — 好的.
// The chat's demand is then the remedy the customer accepted (SOP §8: the demand is
// what the customer wants done). A refused offer counts against its remedy; the
// customer's own explicit request outweighs any offer.

// offerReply is how the customer answered an offer.
type offerReply int

const (
	replyNone   offerReply = iota // the chat moved on without answering
	replyAccept                   // 好的, 可以, 那就这样, 麻烦了
	replyRefuse                   // 不要, 不用, 不行, 我要退
)

// offer is one remedy an agent offered and the customer's answer to it.
type offer struct {
	demand      cases.Demand
	conditional bool // 要不要/可以给您…吗/您看…行吗: waits for the customer's answer
	reply       offerReply
}

// offerPhrases are the ways agents offer each remedy; read on the normalised key of an
// agent's turn. An agent turn may offer several remedies (补偿5元或者退货退款): all are
// read, in the order the agent wrote them.
var offerPhrases = []struct {
	demand cases.Demand
	words  []string
}{
	{cases.DemandRefundOnly, []string{"仅退款", "只退款", "直接退款", "直接给您退款", "直接退钱", "不用退回", "不用寄回", "无需退回", "无需寄回", "不用退货", "退款不退货", "直接给您退", "给您退款", "取消订单"}},
	{cases.DemandReturnRefund, []string{"退货退款", "退款退货", "寄回来退", "寄回退款", "退回来", "申请退货", "给您退货", "退回仓库", "上门取件", "安排退货", "办理退货"}},
	{cases.DemandReship, []string{"补发", "补寄", "重新发", "重新寄", "重发", "再发一", "再寄一", "再给您发", "再给您寄", "给您再发", "给您再寄", "单独发", "单独寄", "寄一个新的", "发一个新的", "发个新的", "寄个新的"}},
	{cases.DemandExchange, []string{"换货", "换新", "调换", "更换", "换一个", "换一件", "换一双", "换一台", "换个", "给您换", "帮您换", "换成", "换码"}},
	{cases.DemandCompensation, []string{"补偿", "赔偿", "返现", "红包", "小额打款", "打款", "优惠券", "无门槛券", "差价", "赔付", "补贴", "退您", "给您退个", "部分退款", "退部分", "退一部分"}},
	{cases.DemandRepair, []string{"维修", "寄回维修", "返修", "寄修", "师傅上门", "安排师傅", "上门检测", "上门安装", "售后网点", "维修点", "检修", "修一下", "修好"}},
}

// offerMarkers show that a turn offers something to the customer rather than report or
// ask (给您/帮您/为您/可以/要不要/安排): 您要退货吗 asks, 给您补发 offers.
var offerMarkers = []string{"给您", "帮您", "为您", "给你", "帮你", "您看", "你看", "要不要", "需不需要", "需要的话", "可以", "安排", "申请", "需要", "是否", "我们这边", "这边", "或者", "建议", "办理", "免费"}

// conditionalMarkers make an offer a question the customer has to answer.
var conditionalMarkers = []string{"要不要", "需不需要", "需要吗", "可以吗", "行吗", "好吗", "好不好", "可以不", "您看", "你看", "如何", "怎么样", "接受吗", "同意吗", "是否", "的话", "或者", "还是", "可以给", "可以帮", "可以为", "可以再", "可以寄", "可以申请", "可以安排"}

// offerNegations in an agent's turn withdraw a remedy rather than offer it (不支持退货,
// 没法补发): the turn is no offer of it.
var offerNegations = []string{"不支持", "不能", "无法", "没法", "没办法", "不可以", "不给", "不了", "不予"}

// readOffers returns the remedies an agent's turn offers (key is normalised), in the
// order they appear; none in a pre-sale invitation (下单领券, 拍下返现).
func readOffers(key string) []offer {
	if containsAny(key, presaleOfferWords) {
		return nil
	}
	if !containsAny(key, offerMarkers) {
		return nil
	}
	type hit struct {
		at int
		d  cases.Demand
	}
	var hits []hit
	for _, p := range offerPhrases {
		at := -1
		for _, w := range p.words {
			i := strings.Index(key, w)
			if i < 0 || negatedBefore(key, i) {
				continue
			}
			if at < 0 || i < at {
				at = i
			}
		}
		if at >= 0 {
			hits = append(hits, hit{at, p.demand})
		}
	}
	if len(hits) == 0 {
		return nil
	}
	// 退货退款 also holds 退款 and 补偿差价 holds 差价: the longer remedy phrase wins
	// where two start at the same place, which the phrase order already gives.
	for i := 1; i < len(hits); i++ {
		for j := i; j > 0 && hits[j].at < hits[j-1].at; j-- {
			hits[j], hits[j-1] = hits[j-1], hits[j]
		}
	}
	cond := containsAny(key, conditionalMarkers)
	swap := containsAny(key, oldOneWords) && containsAny(key, sendBackWords)
	sentBack := containsAny(key, sendBackWords) && !containsAny(key, noReturnWords)
	out := make([]offer, 0, len(hits))
	for _, h := range hits {
		d := h.d
		if d == cases.DemandReship && swap {
			// 给您寄一个新的，坏的那个寄回: a new one against the old one is an exchange.
			d = cases.DemandExchange
		}
		if d == cases.DemandRefundOnly && sentBack {
			// 寄回来后给您退款: a refund against the goods sent back is a return.
			d = cases.DemandReturnRefund
		}
		if !slices.ContainsFunc(out, func(o offer) bool { return o.demand == d }) {
			out = append(out, offer{demand: d, conditional: cond})
		}
	}
	return out
}

// oldOneWords and sendBackWords together turn a reship into an exchange: the faulty
// one goes back (坏的那个寄回, 旧的上门取件).
var (
	oldOneWords   = []string{"坏的", "旧的", "原来的", "有问题的", "那个寄回", "那件寄回"}
	sendBackWords = []string{"寄回", "取件", "退回", "寄过来"}
	noReturnWords = []string{"不用", "无需", "不需要", "不必"}
)

// presaleOfferWords are invitations to buy that use remedy words (现在下单返现, 领券,
// 下单后师傅上门安装); a bare 下单 or 优惠券 is not one (您下单的那件给您补发,
// 给您补偿一张优惠券).
var presaleOfferWords = []string{"放心拍", "放心下单", "放心购买", "现在下单", "下单后", "下单立减", "下单送", "下单即", "拍下", "拍的话", "欢迎选购", "领券", "领取", "活动价", "满减", "首单", "新人"}

// negatedBefore reports a negation just before position i (不支持退货, 没法补发).
func negatedBefore(key string, i int) bool {
	start := max(0, i-9) // three CJK runes in UTF-8
	for start > 0 && start < len(key) && !isRuneStart(key[start]) {
		start--
	}
	return containsAny(key[start:i], offerNegations)
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// refuseWords answer an offer with no; they are read before acceptWords (不行 holds 行).
var refuseWords = []string{"不要", "不用", "不行", "不可以", "不同意", "不接受", "不需要", "不想要", "不换", "不修", "不补", "没必要", "拒绝", "我要退", "我要换", "还是退", "还是要退", "还是换", "我不", "别换", "别补", "别发", "凭什么", "那算了", "打发", "才给", "太少"}

// acceptWords answer an offer with yes.
var acceptWords = []string{"好的", "好吧", "好呀", "好啊", "可以", "行吧", "行的", "那就这样", "就这样", "麻烦了", "麻烦你", "麻烦您", "嗯嗯", "谢谢", "感谢", "ok", "没问题", "同意", "接受", "那就", "也行", "要的", "辛苦", "那补", "那换", "那退", "那修", "安排吧", "弄吧"}

// shortAcceptWords are one-character answers (好, 行, 嗯, 成): yes only in a short turn
// (好几次了 is no answer).
var shortAcceptWords = []string{"好", "行", "嗯", "成", "中", "可"}

// readReply reads a customer's turn as the answer to an offer.
func readReply(key string) offerReply {
	k := strings.TrimLeftFunc(key, func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSpace(r) })
	if k == "" {
		return replyNone
	}
	if containsAny(k, refuseWords) {
		return replyRefuse
	}
	for _, w := range acceptWords {
		if strings.HasPrefix(k, w) {
			return replyAccept
		}
	}
	n := len([]rune(k))
	if n <= 12 && containsAny(k, acceptWords) {
		return replyAccept
	}
	if n <= 6 && containsAny(k, shortAcceptWords) {
		return replyAccept
	}
	return replyNone
}

// choiceWords are how a customer names one of several offered remedies (那就补发吧).
var choiceWords = map[cases.Demand][]string{
	cases.DemandRefundOnly:   {"仅退款", "只退款", "直接退", "不用退回"},
	cases.DemandReturnRefund: {"退货", "退了", "寄回去"},
	cases.DemandReship:       {"补发", "补寄", "重发", "再发", "重新发", "寄一个"},
	cases.DemandExchange:     {"换"},
	cases.DemandCompensation: {"补偿", "红包", "返现", "差价", "赔", "打款", "券"},
	cases.DemandRepair:       {"修", "上门", "师傅"},
}

// readOfferAnswers walks the conversation in order: each agent turn with offers makes
// them pending, and the customer's next turn answers them. When several remedies were
// offered at once, the one the customer names is the one answered (the first when the
// answer names none).
func readOfferAnswers(keys []string, agent []bool) []offer {
	var all, pending []offer
	for i, k := range keys {
		if agent[i] {
			if o := readOffers(k); len(o) > 0 {
				all = append(all, pending...)
				pending = o
			}
			continue
		}
		if len(pending) == 0 {
			continue
		}
		r := readReply(k)
		if r == replyNone && len(pending) > 0 {
			// A customer who names one of the remedies offered takes it (那补发吧).
			for j := range pending {
				if containsAny(k, choiceWords[pending[j].demand]) {
					r = replyAccept
					break
				}
			}
			if r == replyNone {
				continue
			}
		}
		pick := 0
		if len(pending) > 1 {
			for j := range pending {
				if containsAny(k, choiceWords[pending[j].demand]) {
					pick = j
					break
				}
			}
		}
		if r == replyRefuse {
			for j := range pending {
				pending[j].reply = replyRefuse
			}
		} else {
			pending[pick].reply = r
			pending = []offer{pending[pick]}
		}
		all = append(all, pending...)
		pending = nil
	}
	return append(all, pending...)
}

// Votes of the offers on the chat's demand: an accepted offer outweighs a remedy cue
// of the model's guess; a refused one counts against its remedy; the last offer left
// unanswered adds a little (the customer went on without refusing it).
const (
	offerAcceptVote    = 8
	offerRefuseVote    = -4
	offerPendingVote   = 2.5
	offerConditional   = 1.5 // an unanswered question (要不要给您补发) adds less
	offerOverruledVote = 1   // an accepted offer where the customer asked for another remedy
)

// remedies are the demands a customer can ask for in their own words.
var remedies = map[string]bool{
	string(cases.DemandReturnRefund): true, string(cases.DemandRefundOnly): true, string(cases.DemandExchange): true,
	string(cases.DemandCompensation): true, string(cases.DemandReship): true, string(cases.DemandRepair): true,
}

// sameRemedy treats the two refunds as one when the customer just said 退款: an
// accepted 不用退回直接退款 is not overruled by the customer's 退款.
func sameRemedy(a, b string) bool {
	if a == b {
		return true
	}
	refund := func(s string) bool {
		return s == string(cases.DemandReturnRefund) || s == string(cases.DemandRefundOnly)
	}
	return refund(a) && refund(b)
}

// addOfferVotes adds the offers' votes to the demand votes. ownRequest lists the
// remedies the customer asked for in their own words (firing demand cues): an
// accepted offer of another remedy adds only a little, the customer's words win.
func addOfferVotes(votes map[string]float64, offers []offer, ownRequest []string) {
	for i, o := range offers {
		d := string(o.demand)
		switch o.reply {
		case replyAccept:
			v := float64(offerAcceptVote)
			for _, r := range ownRequest {
				if !sameRemedy(r, d) {
					v = offerOverruledVote
				}
			}
			votes[d] += v
		case replyRefuse:
			votes[d] += offerRefuseVote
		default:
			if i == len(offers)-1 {
				if o.conditional {
					votes[d] += offerConditional
				} else {
					votes[d] += offerPendingVote
				}
			}
		}
	}
}
