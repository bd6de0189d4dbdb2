package understand

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shouhou/shouhou/internal/cases"
)

// Structural signals: what the shape of a message says, beyond its words.
//
//   - Request clause: the customer's wish usually sits in the last clause that asks
//     for something (能不能 / 可以 / 帮我 / 给我 / 麻烦 … + verb). Its verb votes for its
//     demand; a verb under a negation (不用换, 别退, 不想修) votes against it.
//   - Ordered vs received: an attribute the customer ordered set against the one that
//     arrived (我拍的是米白色 / 收到的是卡其色) implies an exchange when no wish is said.
//   - Pre-sale context: an intent to buy (想买, 还没下单, 现在下单, 如果今天拍) votes
//     pre-sale; otherwise a sign of an order the customer already has (收到, 包裹,
//     用了 …) votes against it. (A vote for every question without such a sign was
//     tried and lost 2 points of type accuracy in cross-validation: short after-sales
//     questions such as 什么时候发货 have no order word either.)
//   - Tone: 都…了 (都五天了), 才…就 (才用两天就坏), 太…了吧, rhetorical questions and
//     three or more ! read as a complaint tone.
//
// All scans are single passes over the clauses, so the cost stays linear.

// clauses splits a normalised message at punctuation and whitespace.
func clauses(key string) []string {
	return strings.FieldsFunc(key, func(r rune) bool {
		switch r {
		case ',', '.', '!', '?', ';', '~', '、', '…', '。', '，', '！', '？', '；':
			return true
		}
		return unicode.IsSpace(r)
	})
}

// requestMarkers make a clause a request.
var requestMarkers = []string{"能不能", "能否", "可不可以", "可以", "帮我", "帮忙", "给我", "麻烦", "请", "我要", "我想", "想要", "要求", "申请", "直接", "就行", "就好", "吧", "只要", "希望", "安排", "能", "得"}

// demandStems map the verb of a request to its demand; longer stems are tried first.
var demandStems = []struct {
	stem   string
	demand cases.Demand
}{
	{"仅退款", cases.DemandRefundOnly}, {"只退款", cases.DemandRefundOnly}, {"只要退款", cases.DemandRefundOnly},
	{"退货", cases.DemandReturnRefund}, {"退掉", cases.DemandReturnRefund}, {"直接退", cases.DemandReturnRefund}, {"能退", cases.DemandReturnRefund}, {"可以退", cases.DemandReturnRefund}, {"退了", cases.DemandReturnRefund}, {"退回", cases.DemandReturnRefund},
	{"补偿", cases.DemandCompensation}, {"赔", cases.DemandCompensation}, {"差价", cases.DemandCompensation},
	{"补发", cases.DemandReship}, {"补寄", cases.DemandReship}, {"重新发", cases.DemandReship}, {"重新寄", cases.DemandReship},
	{"再发", cases.DemandReship}, {"再寄", cases.DemandReship}, {"补一", cases.DemandReship}, {"重发", cases.DemandReship},
	{"换", cases.DemandExchange}, {"修", cases.DemandRepair},
}

// notDemand are words that contain a stem but are no wish (换地址, 修改, 赔本).
var notDemand = []string{"地址", "客服", "修改", "换了", "换个人", "换人", "电话", "手机号", "收件人"}

var negators = []string{"不用", "不要", "不想", "别", "无需", "没必要", "不必", "不"}

// orderedMarkers introduce what the customer ordered; receivedMarkers what came.
var (
	orderedMarkers  = []string{"拍的是", "买的是", "订的是", "下单的是", "要的是", "选的是", "拍的", "订的", "下单选", "下的单是"}
	receivedMarkers = []string{"收到", "到手", "寄来", "发来", "发的是", "发了", "发成", "发个", "包裹里", "来的是", "给我发", "却是", "结果是"}
)

var (
	presaleIntent  = []string{"想买", "打算买", "准备买", "考虑买", "考虑入", "想入手", "还没买", "下单前", "买之前", "拍之前", "现在拍", "今天下单", "如果拍", "如果下单", "要是拍", "要是下单", "下单的话", "拍的话", "买的话", "想咨询", "还没下单", "没下单", "先问清楚"}
	orderContext   = []string{"收到", "到手", "到货", "拆开", "刚买", "买回", "买的", "我买", "买了", "拍的", "下单了", "已下单", "我的快递", "包裹", "快递", "物流", "单号", "订单", "签收", "退货", "退款", "发货了", "已发货", "寄回", "用了", "穿了", "戴了", "用过", "坏", "漏", "刚收", "到了", "寄来", "发来", "你们发"}
	rhetorical     = []string{"怎么用", "怎么穿", "怎么办事", "什么情况", "搞什么", "怎么回事", "咋回事", "干什么吃", "还好意思", "凭什么"}
	complaintBangs = 3
)

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// structureVotes returns votes for the type, demand and emotion fields.
func (c *Classifier) structureVotes(key string) (typ, dem, emo map[string]float64) {
	typ, dem, emo = map[string]float64{}, map[string]float64{}, map[string]float64{}
	cls := clauses(key)
	c.requestVotes(cls, dem)
	if c.orderedVsReceived(key) {
		dem[string(cases.DemandExchange)] += c.cfg.Structure.Implied
	}
	switch {
	case containsAny(key, presaleIntent):
		typ[string(cases.TypePresale)] += c.cfg.Structure.Presale * 2
	case containsAny(key, orderContext):
		typ[string(cases.TypePresale)] -= c.cfg.Structure.Presale
	}
	if c.complaintTone(key, cls) {
		emo[string(cases.EmotionUpset)] += c.cfg.Structure.Tone
	}
	return typ, dem, emo
}

// requestVotes votes for the demand of the last request clause and against demands
// under a negation.
func (c *Classifier) requestVotes(cls []string, dem map[string]float64) {
	done := false
	for i := len(cls) - 1; i >= 0; i-- {
		cl := cls[i]
		if containsAny(cl, notDemand) {
			continue
		}
		for _, ds := range demandStems {
			at := strings.Index(cl, ds.stem)
			if at < 0 {
				continue
			}
			if negated(cl[:at]) {
				dem[string(ds.demand)] -= c.cfg.Structure.Request
				break
			}
			if !done && (i == len(cls)-1 || containsAny(cl, requestMarkers)) {
				dem[string(ds.demand)] += c.cfg.Structure.Request
				done = true
			}
			break
		}
	}
}

// negated reports whether the text just before a verb (at most 3 runes) negates it.
func negated(before string) bool {
	tail := before
	for n := 0; n < 3 && len(tail) > 0; n++ {
		_, size := utf8.DecodeLastRuneInString(tail)
		tail = tail[:len(tail)-size]
	}
	near := before[len(tail):]
	for _, ng := range negators {
		if strings.Contains(near, ng) {
			return !strings.Contains(near, "能不") && !strings.Contains(near, "可不")
		}
	}
	return false
}

// orderedVsReceived reports an ordered attribute set against a received one.
func (c *Classifier) orderedVsReceived(key string) bool {
	return containsAny(key, orderedMarkers) && containsAny(key, receivedMarkers)
}

// complaintTone finds 都…了, 才…就, 太…了吧, rhetorical questions and !!!.
func (c *Classifier) complaintTone(key string, cls []string) bool {
	if longestRun(key, '!') >= complaintBangs || containsAny(key, rhetorical) {
		return true
	}
	for _, cl := range cls {
		if within(cl, "都", "了", 6) || within(cl, "才", "就", 8) || within(cl, "太", "了吧", 6) || within(cl, "也太", "了", 6) {
			return true
		}
	}
	return false
}

// within reports a followed by b with at most n runes between them.
func within(s, a, b string, n int) bool {
	i := strings.Index(s, a)
	if i < 0 {
		return false
	}
	rest := s[i+len(a):]
	j := strings.Index(rest, b)
	return j >= 0 && utf8.RuneCountInString(rest[:j]) <= n
}
