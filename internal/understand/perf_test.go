package understand

import (
	"strings"
	"testing"
	"time"
)

func FuzzClassify(f *testing.F) {
	for _, s := range []string{"", "在吗", "？？？", "你们这破水壶用三天就漏水了！再不处理我就投诉！", "SF1381234567890",
		"补偿两百", "138-1234-5678", "230512-123456789012345", "一百零", "万万万", "差了5cm 标的100cm", "\xff\xfe", "１２３！！！！",
		"¥", "5.", "几个月了"} {
		f.Add(s)
	}
	c := newDefault(f)
	f.Fuzz(func(t *testing.T, s string) {
		r := c.Classify(s)
		if !r.Type.Valid() || !r.Demand.Valid() || !r.Emotion.Valid() || !r.Level.Valid() {
			t.Errorf("Classify(%q) gave an invalid code: %+v", s, r)
		}
		if r.Confidence < 0 || r.Confidence > 1 {
			t.Errorf("confidence %v outside 0..1", r.Confidence)
		}
		MaskText(s)
	})
}

// TestClassifyTimeGrowsLinearly compares the cost per byte of a 1 KB and a 64 KB
// message; a super-linear pattern would make the long one far dearer per byte.
func TestClassifyTimeGrowsLinearly(t *testing.T) {
	if testing.Short() {
		t.Skip("timing test")
	}
	c := newDefault(t)
	unit := "你们这破水壶用三天就漏水了！补偿两百，电话13812345678，单号SF1234567890123。???!!! "
	perByte := func(size int) float64 {
		msg := strings.Repeat(unit, size/len(unit)+1)[:size]
		best := time.Duration(1 << 62)
		for range 5 {
			start := time.Now()
			for range max(1, 64*1024/size) {
				c.Classify(msg)
			}
			best = min(best, time.Since(start))
		}
		return float64(best) / float64(max(1, 64*1024/size)) / float64(size)
	}
	small, large := perByte(1024), perByte(64*1024)
	t.Logf("ns/byte: 1 KB %.1f, 64 KB %.1f", small, large)
	if large > 4*small {
		t.Errorf("64 KB costs %.1f ns/byte, more than 4× the 1 KB %.1f ns/byte", large, small)
	}
}

func BenchmarkClassify(b *testing.B) {
	c := newDefault(b)
	msg := "你们这破水壶用三天就漏水了！再不处理我就投诉！订单号1234567890123456"
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	cpu := processCPU()
	for b.Loop() {
		c.Classify(msg)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	reportCPU(b, cpu, "msgs/cpu-s")
}

// reportCPU reports the work per CPU-second since cpu (run with -cpu 1: one core).
func reportCPU(b *testing.B, cpu time.Duration, unit string) {
	if used := processCPU() - cpu; used > 0 {
		b.ReportMetric(float64(b.N)/used.Seconds(), unit)
	}
}

func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		if _, err := NewDefault(DefaultConfig(), nil); err != nil {
			b.Fatal(err)
		}
	}
}

// conversation20 is a 20-turn chat as an agent pastes it from 千牛: greetings, an order
// line, the problem over several turns, the agent's replies.
func conversation20() string {
	lines := []string{
		"你好 在吗", "亲，在的呢，请问有什么可以帮您？", "订单号：230512-123456789012345", "亲，这边帮您查询一下订单哦",
		"收到的热水壶底部漏水", "非常抱歉给您带来不好的体验，麻烦拍一下照片给我们看看哦", "[图片]", "收到亲，这边帮您登记一下",
		"桌上一摊水，刚用第二次", "亲，请问是从哪个位置漏出来的呢", "底座那里，插着电的", "亲，请先拔掉电源哦",
		"已经拔了", "好的亲，这边给您申请换新可以吗", "能直接退吗，不太敢用了", "可以的亲，给您申请退货退款",
		"快递单号SF1234567890123是你们发的那个", "好的亲，上门取件会联系您", "好的谢谢", "不客气亲，祝您生活愉快",
	}
	var b strings.Builder
	for i, l := range lines {
		name := "tb8827361"
		if i%2 == 1 {
			name = "小熊电器旗舰店:小美"
		}
		b.WriteString(name + " 2026-11-30 20:" + string(rune('1'+i/10)) + string(rune('0'+i%10)) + ":02\n" + l + "\n")
	}
	return b.String()
}

func TestConversation20ParsesIntoTwentyTurns(t *testing.T) {
	turns := ParseConversation(conversation20())
	if len(turns) != 20 || turns[0].Speaker != SpeakerCustomer || turns[1].Speaker != SpeakerAgent {
		t.Fatalf("%d turns: %+v", len(turns), turns)
	}
	if r := newDefault(t).ClassifyConversation(conversation20()); r.Type != "quality.leak" || r.Demand != "return_refund" {
		t.Fatalf("20-turn chat read as %s/%s", r.Type, r.Demand)
	}
}

// BenchmarkClassifyConversation20Turns: parse a pasted 20-turn chat and label it.
func BenchmarkClassifyConversation20Turns(b *testing.B) {
	c := newDefault(b)
	chat := conversation20()
	b.SetBytes(int64(len(chat)))
	b.ReportAllocs()
	cpu := processCPU()
	for b.Loop() {
		c.ClassifyConversation(chat)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "chats/s")
	reportCPU(b, cpu, "chats/cpu-s")
}

// BenchmarkClassifyPastedMessage: the single message of issue 16 with an order
// number, a tracking number and a price (the scrubbing path).
func BenchmarkClassifyPastedMessage(b *testing.B) {
	c := newDefault(b)
	msg := "收到的杯子碎了，我要退款！订单号230512-123456789012345，快递单号SF1234567890123，价格89元"
	b.ReportAllocs()
	cpu := processCPU()
	for b.Loop() {
		c.Classify(msg)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	reportCPU(b, cpu, "msgs/cpu-s")
}
