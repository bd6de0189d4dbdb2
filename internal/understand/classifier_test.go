package understand

import (
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/shouhou/shouhou/corpus"
	"github.com/shouhou/shouhou/internal/cases"
)

// shared builds the default classifier once per test binary; tests only read it.
var shared = sync.OnceValues(func() (*Classifier, error) { return NewDefault(DefaultConfig(), nil) })

func newDefault(t testing.TB) *Classifier {
	t.Helper()
	c, err := shared()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func loadTestSplit(t testing.TB) []Example {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "corpus", corpus.TestFile))
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

type codes4 struct {
	Type    cases.ProblemType
	Demand  cases.Demand
	Emotion cases.Emotion
	Level   cases.Level
}

func TestClassifyFollowsSOPConventions(t *testing.T) {
	c := newDefault(t)
	tests := []struct {
		rule string
		text string
		want codes4
	}{
		{"a leak with a threat is angry, level 2, no demand", "你们这破水壶用三天就漏水了！再不处理我就投诉！", codes4{cases.TypeLeak, cases.DemandNone, cases.EmotionAngry, 2}},
		{"a safety word in an after-sales case is level 1", "你们这破水壶用三天就漏水了，还漏电！再不处理我就投诉！", codes4{cases.TypeLeak, cases.DemandNone, cases.EmotionAngry, 1}},
		{"a safety word in a pre-sale question stays level 3", "这个水壶会不会漏电，安全吗", codes4{cases.TypePresale, cases.DemandInfo, cases.EmotionCalm, 3}},
		{"a bare greeting is presale, none, calm", "在吗", codes4{cases.TypePresale, cases.DemandNone, cases.EmotionCalm, 3}},
		{"bare question marks are presale, none, calm", "？？？", codes4{cases.TypePresale, cases.DemandNone, cases.EmotionCalm, 3}},
		{"an empty message is a bare greeting", "", codes4{cases.TypePresale, cases.DemandNone, cases.EmotionCalm, 3}},
		{"asking where the parcel is expedites", "我的快递到哪了，怎么还没到", codes4{cases.TypeChase, cases.DemandExpedite, cases.EmotionUpset, 3}},
		{"asking where the refund is expedites", "退款什么时候到账", codes4{cases.TypeRefundChase, cases.DemandExpedite, cases.EmotionCalm, 3}},
		{"an address change has no demand", "地址写错了，帮我改成杭州市西湖区", codes4{cases.TypeAddress, cases.DemandNone, cases.EmotionCalm, 3}},
		{"a refused parcel is an intercept with return_refund", "不要了，快递到了我拒收", codes4{cases.TypeIntercept, cases.DemandReturnRefund, cases.EmotionCalm, 3}},
		{"an intercept says refund_only only when asked", "帮我拦截快递，我申请仅退款", codes4{cases.TypeIntercept, cases.DemandRefundOnly, cases.EmotionCalm, 3}},
		{"a refund for a lost parcel is refund_only", "快递丢了，给我退款吧", codes4{cases.TypeLost, cases.DemandRefundOnly, cases.EmotionCalm, 2}},
		{"signed for but not received is level 2", "显示已签收，但是我根本没收到", codes4{cases.TypeNotReceived, cases.DemandNone, cases.EmotionCalm, 2}},
		{"a missing gift is level 3", "赠品没有收到", codes4{cases.TypeMissing, cases.DemandNone, cases.EmotionCalm, 3}},
		{"a missing whole item is level 2 and reshipped", "买了两件只收到一件，麻烦补发", codes4{cases.TypeMissing, cases.DemandReship, cases.EmotionCalm, 2}},
		{"a size off by more than 3 cm is a quality problem", "裤长标的100cm，实际量了只有94cm，换一条", codes4{cases.TypeQualitySize, cases.DemandExchange, cases.EmotionCalm, 3}},
		{"a size within the listing is personal", "鞋子有点小，能换大一码吗", codes4{cases.TypePersonalSize, cases.DemandExchange, cases.EmotionCalm, 3}},
		{"how-to questions ask for info", "茶吧机怎么除垢", codes4{cases.TypeHowTo, cases.DemandInfo, cases.EmotionCalm, 3}},
		{"Traditional characters are understood", "收到的茶吧機漏水，請幫我換貨", codes4{cases.TypeLeak, cases.DemandExchange, cases.EmotionCalm, 2}},
		{"full-width text and emoji are understood", "ｒｅｆｕｎｄ，衣服有股味道，不喜欢😅", codes4{cases.TypeDislike, cases.DemandReturnRefund, cases.EmotionCalm, 3}},
		{"typos are repaired", "衣服不合适想退贷", codes4{cases.TypeDislike, cases.DemandReturnRefund, cases.EmotionCalm, 3}},
		{"an insult is angry", "什么垃圾冲牙器，充不进电，给我换", codes4{cases.TypeMalfunction, cases.DemandExchange, cases.EmotionAngry, 2}},
		{"a promise not kept is a service complaint", "客服答应给我补发，到现在都没发，说话不算数", codes4{cases.TypeComplaint, cases.DemandReship, cases.EmotionUpset, 3}},
		{"a service complaint over a broken item takes level 2", "水壶坏了找客服，客服一直不回，我要投诉", codes4{cases.TypeComplaint, cases.DemandNone, cases.EmotionAngry, 2}},
		{"a service complaint over a wrong item takes level 2", "发错货了找你们客服三天没人理，我要投诉", codes4{cases.TypeComplaint, cases.DemandNone, cases.EmotionAngry, 2}},
		{"a service complaint over nothing else is level 3", "客服态度太差了，说话很冲", codes4{cases.TypeComplaint, cases.DemandNone, cases.EmotionUpset, 3}},
		{"asking where the refund is expedites even when it says 退", "退款申请过了，钱什么时候退给我", codes4{cases.TypeRefundChase, cases.DemandExpedite, cases.EmotionCalm, 3}},
		{"a refund for a not-received parcel is refund_only even with 不要了", "显示签收了我没拿到，不要了，退钱", codes4{cases.TypeNotReceived, cases.DemandRefundOnly, cases.EmotionCalm, 2}},
		{"麻烦 is polite, not 烦", "麻烦帮我看看这个订单的物流", codes4{cases.TypeChase, cases.DemandExpedite, cases.EmotionCalm, 3}},
		{"a smell that is too strong is not a size", "味道太大了，放阳台散了几天还有", codes4{cases.TypeDislike, cases.DemandNone, cases.EmotionCalm, 3}},
		{"a child at risk is level 1", "推车的安全带扣不住，孩子差点掉出来，太危险了", codes4{cases.TypeMalfunction, cases.DemandNone, cases.EmotionCalm, 1}},
		{"promising a good review is calm", "衣服有个线头，补偿几块就行，不会差评的", codes4{cases.TypeFlaw, cases.DemandCompensation, cases.EmotionCalm, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			r := c.Classify(tt.text)
			got := codes4{r.Type, r.Demand, r.Emotion, r.Level}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Classify(%q) (-want +got):\n%s", tt.text, diff)
			}
			for _, p := range []float64{r.TypeConfidence, r.DemandConfidence, r.EmotionConfidence, r.LevelConfidence, r.Confidence} {
				if p < 0 || p > 1 {
					t.Errorf("confidence %v outside 0..1", p)
				}
			}
		})
	}
}

func TestTestSplitMeetsAccuracyTargets(t *testing.T) {
	rep := Evaluate(newDefault(t), loadTestSplit(t))
	targets := map[Field]float64{FieldType: 0.90, FieldEmotion: 0.90, FieldDemand: 0.85, FieldLevel: 0.90}
	for f, min := range targets {
		if rep.Accuracy[f] < min {
			t.Errorf("%s accuracy %.3f below target %.2f", f, rep.Accuracy[f], min)
		}
	}
	if t.Failed() {
		for _, m := range rep.Misses {
			t.Logf("%s: want %s/%s/%s/%d got %s/%s/%s/%d", m.Example.Text, m.Example.Type, m.Example.Demand,
				m.Example.Emotion, m.Example.Level, m.Got.Type, m.Got.Demand, m.Got.Emotion, m.Got.Level)
		}
	}
}

func TestTrainingIsDeterministic(t *testing.T) {
	a, err := NewDefault(DefaultConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewDefault(DefaultConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a.model.w, b.model.w); diff != "" {
		t.Fatalf("two trainings gave different weights:\n%.400s", diff)
	}
	for _, ex := range loadTestSplit(t) {
		if diff := cmp.Diff(a.Classify(ex.Text), b.Classify(ex.Text)); diff != "" {
			t.Fatalf("Classify(%q) differs between two classifiers:\n%s", ex.Text, diff)
		}
	}
}

// recordingFS remembers every name opened through it.
type recordingFS struct {
	fstest.MapFS
	opened []string
}

func (r *recordingFS) Open(name string) (fs.File, error) {
	r.opened = append(r.opened, name)
	return r.MapFS.Open(name)
}

func TestTrainingLoaderNeverReadsTheTestSplit(t *testing.T) {
	line := []byte(`{"text":"漏水","type":"quality.leak","demand":"none","emotion":"calm","level":2}` + "\n")
	fsys := &recordingFS{MapFS: fstest.MapFS{corpus.TrainFile: {Data: line}, corpus.TestFile: {Data: line}, corpus.HoldoutFile: {Data: line}, corpus.BlindFile: {Data: line},
		corpus.ChatsTrainFile: {Data: line}, corpus.ChatsTestFile: {Data: line}, corpus.ChatsHoldoutFile: {Data: line}}}
	exs, err := LoadTraining(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(exs) != 2 {
		t.Fatalf("loaded %d examples, want 2", len(exs))
	}
	if diff := cmp.Diff([]string{corpus.TrainFile, corpus.ChatsTrainFile}, fsys.opened); diff != "" {
		t.Errorf("training loader opened (-want +got):\n%s", diff)
	}
	for _, name := range []string{corpus.TestFile, corpus.HoldoutFile, corpus.BlindFile, corpus.ChatsTestFile, corpus.ChatsHoldoutFile} {
		if _, err := fs.Stat(corpus.Train(), name); err == nil {
			t.Errorf("the embedded training corpus contains %s", name)
		}
	}
}

func TestShopExtensionsAddCuesWordsAndCodes(t *testing.T) {
	ext := fstest.MapFS{
		"shop.yaml":      {Data: []byte("cues:\n- field: type\n  label: quality.expired\n  weight: 20\n  terms: [过期]\nproducts: [泡脚桶]\n")},
		"t2s-shop.txt":   {Data: []byte("腳脚\n")},
		"typos-shop.txt": {Data: []byte("过其 过期\n")},
	}
	c, err := NewDefault(DefaultConfig(), ext)
	if err != nil {
		t.Fatal(err)
	}
	r := c.Classify("泡腳桶的药包过其了")
	if r.Type != "quality.expired" {
		t.Errorf("type = %s, want the shop's quality.expired", r.Type)
	}
	if diff := cmp.Diff([]string{"泡脚桶"}, r.Entities.Products); diff != "" {
		t.Errorf("products (-want +got):\n%s", diff)
	}
}

func TestBadShopLexiconIsRejectedWithItsName(t *testing.T) {
	tests := []struct {
		rule string
		data string
	}{
		{"unknown field", "cues:\n- field: colour\n  label: red\n  terms: [红]\n"},
		{"level label must be 1..3", "cues:\n- field: level\n  label: \"4\"\n  terms: [红]\n"},
		{"a term needs a positive part", "cues:\n- field: type\n  label: presale\n  terms: [\"!红\"]\n"},
		{"unknown YAML key", "cue: []\n"},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			_, err := NewDefault(DefaultConfig(), fstest.MapFS{"bad.yaml": {Data: []byte(tt.data)}})
			if err == nil {
				t.Fatal("New accepted a bad lexicon")
			}
		})
	}
}

func TestLoadConfigKeepsSOPDefaultsForAbsentFields(t *testing.T) {
	cfg, err := LoadConfig([]byte("levels:\n  logistics.chase: 2\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.SizeToleranceCM != 3 || cfg.levelOf("logistics.chase") != 2 || cfg.levelOf("quality.leak") != 2 || cfg.levelOf("presale") != 3 {
		t.Errorf("unexpected config %+v", cfg)
	}
	if _, err := LoadConfig([]byte("levels:\n  presale: 7\n")); err == nil {
		t.Error("a level of 7 was accepted")
	}
	if _, err := LoadConfig([]byte("size_tolerance: 5\n")); err == nil {
		t.Error("an unknown key was accepted")
	}
	if _, err := LoadConfig([]byte("size_tolerance_cm: 5\n")); err == nil {
		t.Error("the size tolerance was accepted here; it belongs to the policy (size.tolerance_mm)")
	}
}

func TestSizeToleranceIsConfigurable(t *testing.T) {
	cfg := DefaultConfig()
	cfg.SizeToleranceCM = 10
	c, err := NewDefault(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	text := "裤长标的100cm，实际量了只有94cm"
	if got := newDefault(t).Classify(text).Type; got != cases.TypeQualitySize {
		t.Errorf("with 3 cm tolerance got %s, want quality.size", got)
	}
	if got := c.Classify(text).Type; got != cases.TypePersonalSize {
		t.Errorf("with 10 cm tolerance got %s, want personal.size", got)
	}
}

func TestClassifyIsSafeForConcurrentUse(t *testing.T) {
	c := newDefault(t)
	exs := loadTestSplit(t)
	want := make([]Result, len(exs))
	for i, ex := range exs {
		want[i] = c.Classify(ex.Text)
	}
	var wg sync.WaitGroup
	errs := make(chan string, len(exs))
	for g := range 4 {
		wg.Go(func() {
			for i := g; i < len(exs); i += 4 {
				if diff := cmp.Diff(want[i], c.Classify(exs[i].Text)); diff != "" {
					errs <- exs[i].Text + ": " + diff
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
