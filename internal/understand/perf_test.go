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
	for b.Loop() {
		c.Classify(msg)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		if _, err := NewDefault(DefaultConfig(), nil); err != nil {
			b.Fatal(err)
		}
	}
}
