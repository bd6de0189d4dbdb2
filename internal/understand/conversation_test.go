package understand

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shouhou/shouhou/corpus"
	"github.com/shouhou/shouhou/internal/cases"
)

// The copy formats of the back offices, as an agent pastes them (issue 16).
var pasted = []struct {
	name, raw string
	want      []Turn
}{
	{"千牛 (Taobao): nickname, date and time, text on the next line; the shop:agent nickname is the agent", `tb8827361 2026-11-30 20:15:02
你好 在吗
小熊电器旗舰店:小美 2026-11-30 20:15:10
亲，在的呢，请问有什么可以帮您？
tb8827361 2026-11-30 20:16:41
收到的水壶底部漏水
桌上一摊水`, []Turn{
		{Speaker: SpeakerCustomer, Text: "你好 在吗"}, {Speaker: SpeakerAgent, Text: "亲，在的呢，请问有什么可以帮您？"},
		{Speaker: SpeakerCustomer, Text: "收到的水壶底部漏水\n桌上一摊水"}}},
	{"京麦 (JD): pin, two spaces, timestamp; the 自营旗舰店 name is the agent", `jd_4f8a2c1e9b  2026-11-30 09:01:12
订单号：285531187263
jd_4f8a2c1e9b  2026-11-30 09:01:30
空调扇不制冷
美的生活京东自营旗舰店 阿杰  2026-11-30 09:02:05
非常抱歉给您带来不好的体验`, []Turn{
		{Speaker: SpeakerCustomer, Text: "订单号：285531187263"}, {Speaker: SpeakerCustomer, Text: "空调扇不制冷"},
		{Speaker: SpeakerAgent, Text: "非常抱歉给您带来不好的体验"}}},
	{"抖店 (Douyin 飞鸽): 用户 id with a slashed date and no seconds", `用户83726611 2026/11/30 14:22
我的快递怎么还没到
潮流服饰官方旗舰店-客服小雨 2026/11/30 14:23
亲，这边帮您查询一下物流哦`, []Turn{
		{Speaker: SpeakerCustomer, Text: "我的快递怎么还没到"}, {Speaker: SpeakerAgent, Text: "亲，这边帮您查询一下物流哦"}}},
	{"拼多多: time only; no agent-like name, so the first speaker is the customer", `pdd_81726354 10:23:45
买错了，能退吗
小七 10:24:01
亲，可以的哦
pdd_81726354 10:24:30
好的`, []Turn{
		{Speaker: SpeakerCustomer, Text: "买错了，能退吗"}, {Speaker: SpeakerAgent, Text: "亲，可以的哦"}, {Speaker: SpeakerCustomer, Text: "好的"}}},
	{"快手: bracketed timestamp first, the text on the same line", `[2026-11-30 18:02:11] 快手用户1688：你好
[2026-11-30 18:02:40] 云朵家纺小店客服：您好，很高兴为您服务
[2026-11-30 18:03:05] 快手用户1688：床单有个小洞`, []Turn{
		{Speaker: SpeakerCustomer, Text: "你好"}, {Speaker: SpeakerAgent, Text: "您好，很高兴为您服务"}, {Speaker: SpeakerCustomer, Text: "床单有个小洞"}}},
	{"explicit speaker tags (顾客/客服/买家/卖家) and a system line that is dropped", `顾客：在吗
客服：在的亲
系统消息：客服小美已接入
买家: 退款什么时候到账
卖家: 亲，退款会原路返回的哦`, []Turn{
		{Speaker: SpeakerCustomer, Text: "在吗"}, {Speaker: SpeakerAgent, Text: "在的亲"},
		{Speaker: SpeakerCustomer, Text: "退款什么时候到账"}, {Speaker: SpeakerAgent, Text: "亲，退款会原路返回的哦"}}},
	{"a plain message is one customer turn", "收到的杯子碎了，我要退款！", []Turn{{Speaker: SpeakerCustomer, Text: "收到的杯子碎了，我要退款！"}}},
}

func TestParseConversationReadsEachBackOfficeFormat(t *testing.T) {
	for _, tc := range pasted {
		t.Run(tc.name, func(t *testing.T) {
			got := ParseConversation(tc.raw)
			for i := range got {
				got[i].Name, got[i].Time = "", ""
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ParseConversation (-want +got):\n%s", diff)
			}
		})
	}
}

// Every chat of the chats corpus that carries its raw pasted form parses back into
// its turns: the generated copy formats and the parser agree.
func TestPastedChatsOfTheCorpusParseBackIntoTheirTurns(t *testing.T) {
	for _, name := range []string{corpus.ChatsTrainFile, corpus.ChatsTestFile} {
		exs := readCorpusFile(t, name)
		n := 0
		for _, ex := range exs {
			if ex.Conversation == "" {
				continue
			}
			n++
			got := ParseConversation(ex.Conversation)
			if CustomerText(got) != CustomerText(ex.Turns) || agentText(got) != agentText(ex.Turns) {
				t.Fatalf("%s: %q parsed into\n%q / %q\nwant %q / %q", name, ex.Conversation, CustomerText(got), agentText(got), CustomerText(ex.Turns), agentText(ex.Turns))
			}
		}
		if n < 100 {
			t.Errorf("%s has %d pasted conversations, want at least 100", name, n)
		}
	}
}

func readCorpusFile(t testing.TB, name string) []Example {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "corpus", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	exs, err := ReadExamples(f)
	if err != nil {
		t.Fatal(err)
	}
	return exs
}

type want4 struct {
	Type    cases.ProblemType
	Demand  cases.Demand
	Emotion cases.Emotion
	Level   cases.Level
}

// The robustness rules of issue 16, each on the surface an agent uses: a pasted
// conversation (ClassifyConversation, what the intake and the API call).
func TestRobustnessRules(t *testing.T) {
	c := newDefault(t)
	for _, tc := range []struct {
		rule, text string
		check      func(r Result) string
	}{
		{"the pasted message with order number, tracking number and price keeps its demand",
			"收到的杯子碎了，我要退款！订单号230512-123456789012345，快递单号SF1234567890123，价格89元",
			is(want4{cases.TypeDamaged, cases.DemandReturnRefund, "", 2})},
		{"the same with masked spans",
			"收到的杯子碎了，我要退款！订单号[数字]，快递单号[数字]，价格[金额]元",
			is(want4{cases.TypeDamaged, cases.DemandReturnRefund, "", 2})},
		{"masked name, address and phone in a defect report do not make it an address change",
			"收货人[姓名] 电话[数字] 地址[地址]\n加湿器一开就漏水，底座全是水",
			is(want4{Type: cases.TypeLeak})},
		{"a product link first does not make an after-sales chat pre-sale",
			"https://item.taobao.com/item.htm?id=[数字]\n吹风机插上电没反应，换了插座也不行",
			is(want4{Type: cases.TypeMalfunction, Level: 2})},
		{"a tracking number alone does not make a defect report a parcel chase",
			"运单号YT1234567890123\n耳机左边没声音",
			is(want4{Type: cases.TypeMalfunction})},
		{"a price does not make a wrong size a price complaint",
			"实付¥259.9\n鞋子有点挤脚，能换大一码吗",
			is(want4{Type: cases.TypePersonalSize, Demand: cases.DemandExchange})},
		{"greetings first never hide the problem",
			"亲 在吗\n你好\n请问一下\n水壶底部漏水",
			is(want4{Type: cases.TypeLeak, Level: 2})},
		{"politeness never hides the problem",
			"不好意思打扰了，麻烦问一下，收到的椅子腿断了一条，谢谢亲",
			is(want4{Type: cases.TypeDamaged, Level: 2})},
		{"an after-sales question without an order is pre-sale",
			"想买这个，过了七天出问题有没有售后\n保修多久",
			is(want4{cases.TypePresale, cases.DemandInfo, "", 3})},
		{"an order number makes the same question after-sales",
			"订单号：285531187263\n水壶用了两天就不加热了，保修多久",
			not(cases.TypePresale)},
		{"the customer's own mistake is personal, not a wrong shipment",
			"我买错了，我手机是安卓的，这个是苹果接口\n能换吗",
			is(want4{Type: cases.TypeDislike})},
		{"installed and found the model does not fit the customer's device: personal",
			"装好才发现型号不对，跟我家的接口对不上，是我自己没看清楚",
			is(want4{Type: cases.TypeDislike})},
		{"a service complaint is not parcel chasing",
			"说好上门检测，一直没人联系我",
			is(want4{Type: cases.TypeComplaint})},
		{"an agent who does not act is a service complaint",
			"专员一直没处理，问了三次都说在处理",
			is(want4{Type: cases.TypeComplaint, Emotion: cases.EmotionUpset})},
		{"angry words in short bursts are shouting",
			"买回来就坏的！开都开不了机！退货！",
			is(want4{Emotion: cases.EmotionAngry})},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			if msg := tc.check(c.ClassifyConversation(tc.text)); msg != "" {
				t.Errorf("%q: %s", tc.text, msg)
			}
		})
	}
}

// is checks the fields of w that are set.
func is(w want4) func(Result) string {
	return func(r Result) string {
		var bad []string
		if w.Type != "" && r.Type != w.Type {
			bad = append(bad, "type "+string(r.Type)+", want "+string(w.Type))
		}
		if w.Demand != "" && r.Demand != w.Demand {
			bad = append(bad, "demand "+string(r.Demand)+", want "+string(w.Demand))
		}
		if w.Emotion != "" && r.Emotion != w.Emotion {
			bad = append(bad, "emotion "+string(r.Emotion)+", want "+string(w.Emotion))
		}
		if w.Level != 0 && r.Level != w.Level {
			bad = append(bad, "level "+string(rune('0'+r.Level))+", want "+string(rune('0'+w.Level)))
		}
		return strings.Join(bad, "; ")
	}
}

func not(t cases.ProblemType) func(Result) string {
	return func(r Result) string {
		if r.Type == t {
			return "type " + string(t)
		}
		return ""
	}
}

// The agent's words inform the reading: an agent who looked the order up makes a
// question after-sales; the labels still come from the customer's turns.
func TestAgentTurnsInformButDoNotLabel(t *testing.T) {
	c := newDefault(t)
	turns := []Turn{
		{Speaker: SpeakerCustomer, Text: "这个保修多久"},
		{Speaker: SpeakerAgent, Text: "亲，查到您的订单了，已签收的哦"},
		{Speaker: SpeakerCustomer, Text: "用了两天就不加热了"},
	}
	if r := c.ClassifyTurns(turns); r.Type == cases.TypePresale || r.Turns != 3 || r.CustomerTurns != 2 {
		t.Errorf("got %s with %d/%d turns, want an after-sales type and 3/2 turns", r.Type, r.Turns, r.CustomerTurns)
	}
	agentOnly := []Turn{{Speaker: SpeakerCustomer, Text: "在吗"}, {Speaker: SpeakerAgent, Text: "亲，给您申请退货退款了，漏水的问题非常抱歉"}}
	if r := c.ClassifyTurns(agentOnly); r.Type != cases.TypePresale || r.Demand != cases.DemandNone {
		t.Errorf("the agent's words labelled a bare greeting: %s/%s", r.Type, r.Demand)
	}
}

// Entities come from the customer's own text, including the numbers scrubbed from
// the labelling copy.
func TestScrubbedNumbersAreStillEntities(t *testing.T) {
	r := newDefault(t).ClassifyConversation("收到的杯子碎了，我要退款！订单号230512-123456789012345，快递单号SF1234567890123，价格89元")
	if len(r.Entities.TrackingNumbers) != 1 || r.Entities.TrackingNumbers[0].Number != "SF1234567890123" {
		t.Errorf("tracking numbers %+v", r.Entities.TrackingNumbers)
	}
	if len(r.Entities.OrderNumbers) != 1 || len(r.Entities.Amounts) != 1 {
		t.Errorf("orders %v amounts %+v", r.Entities.OrderNumbers, r.Entities.Amounts)
	}
}

func TestScrub(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		order    bool
	}{
		{"订单号：[数字]，漏水了", "，漏水了", true},
		{"快递单号sf1234567890123 没到", " 没到", true},
		{"价格89元，退款", "，退款", false},
		{"https://item.taobao.com/item.htm?id=[数字] 能退吗", " 能退吗", false},
		{"收货地址：[地址] 漏水", " 漏水", false},
		{"短了5cm", "短了5cm", false},
		{"补偿200元", "补偿", false},
		{"我的订单230512-123456789012345", "我的", true},
		{"用了三天", "用了三天", false},
	} {
		got := scrub(tc.in)
		if got.text != tc.want || got.hasOrder != tc.order {
			t.Errorf("scrub(%q) = %q, %v; want %q, %v", tc.in, got.text, got.hasOrder, tc.want, tc.order)
		}
	}
}

// A customer's own line with a time in it is text, not a pasted header.
func TestATimeInTheCustomersTextIsNoHeader(t *testing.T) {
	for _, raw := range []string{"明天下午 3:00 前能到吗\n我等着用", "我 10:30 到家\n快递能晚点送吗", "下单时间 2026-11-30 20:15:02\n还没发货"} {
		turns := ParseConversation(raw)
		for _, tu := range turns {
			if tu.Speaker != SpeakerCustomer {
				t.Errorf("%q: turn %+v is not the customer's", raw, tu)
			}
		}
		if CustomerText(turns) != raw {
			t.Errorf("%q: customer text %q", raw, CustomerText(turns))
		}
	}
}
