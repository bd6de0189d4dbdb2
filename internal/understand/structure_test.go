package understand

import (
	"testing"

	"github.com/shouhou/shouhou/internal/cases"
)

func TestStructureSignals(t *testing.T) {
	c := newDefault(t)
	tests := []struct {
		rule string
		text string
		typ  cases.ProblemType
		dem  cases.Demand
		emo  cases.Emotion
		min  float64 // the vote must be at least this
	}{
		{"the last request clause names the demand", "灯罩有点歪，麻烦给我换一个", "", cases.DemandExchange, "", 1},
		{"a negated verb votes against its demand", "别换新的，我自己修修看", "", cases.DemandExchange, "", -100},
		{"ordered vs received implies exchange", "我拍的是藏青色，收到的是黑色", "", cases.DemandExchange, "", 2},
		{"an intent to buy is pre-sale", "打算买一台，这款声音大不大", cases.TypePresale, "", "", 4},
		{"都…了 is a complaint tone", "都半个月了还是这样", "", "", cases.EmotionUpset, 2},
		{"才…就 is a complaint tone", "才洗一次就起球", "", "", cases.EmotionUpset, 2},
		{"!!! is a complaint tone", "快点处理!!!", "", "", cases.EmotionUpset, 2},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			typ, dem, emo := c.structureVotes(c.norm.normalize(tt.text).key)
			var got float64
			switch {
			case tt.typ != "":
				got = typ[string(tt.typ)]
			case tt.dem != "":
				got = dem[string(tt.dem)]
			default:
				got = emo[string(tt.emo)]
			}
			if tt.min < 0 {
				if got >= 0 {
					t.Errorf("%q: vote %v, want negative", tt.text, got)
				}
				return
			}
			if got < tt.min {
				t.Errorf("%q: vote %v, want at least %v", tt.text, got, tt.min)
			}
		})
	}
	// No tone and no demand where the shape says nothing.
	_, dem, emo := c.structureVotes(c.norm.normalize("收到了，谢谢").key)
	if len(dem) != 0 || emo[string(cases.EmotionUpset)] != 0 {
		t.Errorf("a plain thanks got votes %v %v", dem, emo)
	}
}

func TestWithinAndNegated(t *testing.T) {
	if !within("都三天了", "都", "了", 6) || within("都是我的东西没有问题了", "都", "了", 6) {
		t.Error("within does not respect the distance")
	}
	if !negated("不用") || !negated("我不想") || negated("能不") || negated("给我") {
		t.Error("negated misreads its scope")
	}
}
