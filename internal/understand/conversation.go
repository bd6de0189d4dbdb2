package understand

import (
	"regexp"
	"strings"
)

// Speakers of a conversation turn.
const (
	SpeakerCustomer = "customer"
	SpeakerAgent    = "agent"
)

// Turn is one message of a conversation.
type Turn struct {
	Speaker string `json:"speaker"` // customer | agent
	Text    string `json:"text"`
	Name    string `json:"name,omitempty"` // the nickname of a pasted line
	Time    string `json:"time,omitempty"` // the timestamp of a pasted line, as written
}

// headerRE matches the header of a pasted message as the back offices copy it: a
// nickname and a timestamp (千牛 "tb_buyer 2024-05-12 10:23:45", 京麦 "jd_xxx
// 2024-05-12 10:23:45", 抖店 "用户123 2024/05/12 10:23", 拼多多 "pdd_xxx 10:23:45"),
// or the timestamp first ("2024-05-12 10:23:45 旗舰店:小美"), optionally followed by
// the text on the same line.
var (
	timePattern    = `(?:\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?\s*|\d{1,2}[-/月]\d{1,2}日?\s+)?\d{1,2}:\d{2}(?::\d{2})?`
	nameFirstRE    = regexp.MustCompile(`^\s*([^\s\d:：][^\t]{0,40}?)[\s\t]*[\(（]?(` + timePattern + `)[\)）]?\s*(?:[:：]\s*)?(.*)$`)
	timeFirstRE    = regexp.MustCompile(`^\s*[\[【(（]?(` + timePattern + `)[\]】)）]?\s+([^\s:：][^\t]{0,40}?)\s*(?:[:：]\s*(.*))?$`)
	speakerTagRE   = regexp.MustCompile(`^\s*[\[【]?(顾客|客户|买家|用户|会员|消费者|customer|buyer|user|q|我|客服|卖家|商家|店家|售后|官方客服|agent|seller|a|系统|系统消息)[\]】]?\s*[:：]\s*(.*)$`)
	agentNameWords = []string{"客服", "官方", "旗舰店", "专卖店", "专营店", "店铺", "小店", "售后", "小二", "商家", "卖家", "店长", "机器人", "智能助手", "小助手", "工作室", "seller", "agent", "kefu", "旗舰", ":", "："}
	systemWords    = []string{"系统", "平台提示", "system", "以下为", "消息已撤回", "撤回了一条"}
)

// ParseConversation splits a pasted conversation into turns. It understands lines
// with a nickname and a timestamp (the text on the same line or on the lines that
// follow), explicit speaker tags (顾客：/客服：/买家:/卖家:), and otherwise takes each
// line as a turn of the customer. Agents are told by their nickname (客服, 官方,
// 旗舰店, shop:agent …) or by their tag; when no nickname looks like an agent's, the
// one who speaks first is the customer.
func ParseConversation(raw string) []Turn {
	raw = strings.ReplaceAll(strings.ReplaceAll(raw, "\r\n", "\n"), "\r", "\n")
	lines := strings.Split(raw, "\n")
	var turns []Turn
	var cur *Turn
	headers := 0
	for _, line := range lines {
		line = strings.TrimRight(line, " \t")
		if strings.TrimSpace(line) == "" {
			continue
		}
		if t, ok := parseHeader(line); ok {
			headers++
			turns = append(turns, t)
			cur = &turns[len(turns)-1]
			continue
		}
		if cur == nil {
			turns = append(turns, Turn{Text: strings.TrimSpace(line)})
			cur = &turns[len(turns)-1]
			continue
		}
		if cur.Text != "" {
			cur.Text += "\n"
		}
		cur.Text += strings.TrimSpace(line)
	}
	if headers < 2 && !tagged(turns) {
		// plain lines (a lone header-like line is the customer's text): each is a
		// turn of the customer
		var out []Turn
		for _, line := range lines {
			if t := strings.TrimSpace(line); t != "" {
				out = append(out, Turn{Speaker: SpeakerCustomer, Text: t})
			}
		}
		return out
	}
	assignSpeakers(turns)
	if headers == 1 && len(turns) == 1 && turns[0].Speaker != SpeakerCustomer {
		// one tagged line (客服：你们态度太差) is the customer addressing the shop
		return []Turn{{Speaker: SpeakerCustomer, Text: strings.TrimSpace(raw)}}
	}
	out := turns[:0]
	for _, t := range turns {
		if t.Speaker != "system" && strings.TrimSpace(t.Text) != "" {
			out = append(out, t)
		}
	}
	return out
}

func parseHeader(line string) (Turn, bool) {
	if m := speakerTagRE.FindStringSubmatch(line); m != nil {
		return Turn{Speaker: tagSpeaker(strings.ToLower(m[1])), Name: m[1], Text: strings.TrimSpace(m[2])}, true
	}
	if m := timeFirstRE.FindStringSubmatch(line); m != nil && fullTimestamp(m[1]) {
		return Turn{Name: strings.TrimSpace(m[2]), Time: m[1], Text: strings.TrimSpace(m[3])}, true
	}
	if m := nameFirstRE.FindStringSubmatch(line); m != nil && fullTimestamp(m[2]) {
		return Turn{Name: strings.TrimSpace(m[1]), Time: m[2], Text: strings.TrimSpace(m[3])}, true
	}
	return Turn{}, false
}

// fullTimestamp reports a timestamp as back offices write it: with a date or with
// seconds. A bare 18:00 is what customers write (18:00之前能到吗), not a header.
func fullTimestamp(ts string) bool {
	return strings.Count(ts, ":") == 2 || strings.ContainsAny(ts, "-/.年月")
}

func tagSpeaker(tag string) string {
	switch tag {
	case "客服", "卖家", "商家", "店家", "售后", "官方客服", "agent", "seller", "a":
		return SpeakerAgent
	case "系统", "系统消息":
		return "system"
	}
	return SpeakerCustomer
}

// assignSpeakers decides the speaker of each nickname.
func assignSpeakers(turns []Turn) {
	agentNames := map[string]bool{}
	for _, t := range turns {
		if t.Speaker == "" && looksLikeAgent(t.Name) {
			agentNames[t.Name] = true
		}
	}
	first := ""
	for i := range turns {
		t := &turns[i]
		if t.Speaker != "" {
			continue
		}
		switch {
		case isSystemName(t.Name):
			t.Speaker = "system"
		case agentNames[t.Name]:
			t.Speaker = SpeakerAgent
		case len(agentNames) > 0:
			t.Speaker = SpeakerCustomer
		default:
			if first == "" {
				first = t.Name
			}
			t.Speaker = SpeakerAgent
			if t.Name == first {
				t.Speaker = SpeakerCustomer
			}
		}
	}
}

func looksLikeAgent(name string) bool {
	n := strings.ToLower(name)
	for _, w := range agentNameWords {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

func isSystemName(name string) bool {
	n := strings.ToLower(name)
	for _, w := range systemWords {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// CustomerText joins the customer's turns: what the labels are read from.
func CustomerText(turns []Turn) string {
	var b strings.Builder
	for _, t := range turns {
		if t.Speaker == SpeakerAgent {
			continue
		}
		s := strings.TrimSpace(t.Text)
		if s == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		b.WriteString(s)
	}
	return b.String()
}

// agentText joins the agent's turns.
func agentText(turns []Turn) string {
	var parts []string
	for _, t := range turns {
		if t.Speaker == SpeakerAgent {
			parts = append(parts, t.Text)
		}
	}
	return strings.Join(parts, "\n")
}

// agentOrderWords in an agent's turn show that the customer has an order (the agent
// looked it up, it has shipped, it was signed for): the chat is after-sales.
var agentOrderWords = []string{"查到您的订单", "查询到您的订单", "您的订单", "您的包裹", "已发货", "已经发货", "已签收", "物流显示", "快递显示", "给您补发", "给您换", "申请退货", "申请售后", "退货退款", "退款已", "上门取件", "寄回", "给您登记", "售后单", "工单"}

// agentPresaleWords in an agent's turn show a pre-sale chat (the agent invites the
// customer to buy).
var agentPresaleWords = []string{"放心拍", "放心下单", "可以拍", "拍下", "下单后", "现货", "欢迎选购", "库存", "您下单", "拍的时候", "优惠券", "领券"}

// ClassifyConversation understands a pasted conversation (ParseConversation); a
// single message is classified as it is.
func (c *Classifier) ClassifyConversation(raw string) Result {
	return c.ClassifyTurns(ParseConversation(raw))
}

// ClassifyTurns labels a conversation from its customer's turns, joined in order so
// that the problem the chat is about outweighs a greeting, an order line or a side
// question; greeting-only turns are left out. The agent's turns inform whether an
// order exists (查到您的订单, 已发货) or the chat is pre-sale (放心拍), and give the
// order and tracking numbers when the customer gave none.
func (c *Classifier) ClassifyTurns(turns []Turn) Result {
	text, cx := c.conversationText(turns)
	entityText := CustomerText(turns)
	res := c.classify(text, entityText, cx, nil)
	if len(res.Entities.OrderNumbers) == 0 && len(res.Entities.TrackingNumbers) == 0 {
		if at := agentText(turns); at != "" {
			ae := c.extractEntities(c.norm.normalize(at).text)
			res.Entities.OrderNumbers, res.Entities.TrackingNumbers = ae.OrderNumbers, ae.TrackingNumbers
		}
	}
	res.Turns = cx.turns
	for _, t := range turns {
		if t.Speaker != SpeakerAgent && strings.TrimSpace(t.Text) != "" {
			res.CustomerTurns++
		}
	}
	return res
}

// conversationText is the text the labels are read from and what the agent's turns
// say.
func (c *Classifier) conversationText(turns []Turn) (string, convContext) {
	cx := convContext{turns: len(turns)}
	// Each turn is normalised once: its key serves the customer's text, the agent's
	// order and pre-sale words and the offers.
	keys := make([]string, len(turns))
	agent := make([]bool, len(turns))
	var kept, side []Turn
	var agentOrder, agentPresale bool
	for i, t := range turns {
		keys[i], agent[i] = c.norm.normalize(t.Text).key, t.Speaker == SpeakerAgent
		if agent[i] {
			agentOrder = agentOrder || containsAny(keys[i], agentOrderWords)
			agentPresale = agentPresale || containsAny(keys[i], agentPresaleWords)
			continue
		}
		key := scrub(keys[i]).text
		if c.isBareGreeting(key) {
			continue
		}
		if isSideQuestion(key) {
			side = append(side, t)
			continue
		}
		kept = append(kept, t)
	}
	if len(kept) == 0 {
		kept = side
	}
	cx.hasOrder = agentOrder
	cx.presale = !agentOrder && agentPresale
	cx.offers = readOfferAnswers(keys, agent)
	if len(cx.offers) > 0 {
		// An agent offering a remedy has the customer's order in front of them.
		cx.hasOrder, cx.presale = true, false
	}
	if len(kept) == 0 {
		return CustomerText(turns), cx
	}
	return CustomerText(kept), cx
}

// sideMarkers open a side question (另外发票怎么开, 顺便问下几点下班): the chat is about
// the problem of the other turns, so a side question labels the chat only when there
// is nothing else.
var sideMarkers = []string{"另外", "顺便", "对了", "还有就是", "还有,", "还有，", "再问一下", "再问下", "还想问"}

func isSideQuestion(key string) bool {
	for _, m := range sideMarkers {
		if strings.HasPrefix(key, m) {
			return true
		}
	}
	return false
}

// tagged reports a turn with an explicit speaker tag (顾客：/客服：).
func tagged(turns []Turn) bool {
	for _, t := range turns {
		if t.Speaker != "" {
			return true
		}
	}
	return false
}
