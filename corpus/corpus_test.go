package corpus

import (
	"bufio"
	"encoding/json"
	"hash/fnv"
	"os"
	"strings"
	"testing"

	"github.com/shouhou/shouhou/internal/cases"
)

type labelled struct {
	Text    string `json:"text"`
	Type    string `json:"type"`
	Demand  string `json:"demand"`
	Emotion string `json:"emotion"`
	Level   int    `json:"level"`
}

func read(t *testing.T, name string) []labelled {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []labelled
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		var l labelled
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("%s:%d: %v", name, n, err)
		}
		out = append(out, l)
	}
	return out
}

// inTestSplit is the split rule: FNV-1a 32 of the text, modulo 4, is zero.
func inTestSplit(text string) bool {
	h := fnv.New32a()
	h.Write([]byte(text))
	return h.Sum32()%4 == 0
}

func TestEveryMessageIsInTheSplitItsHashNames(t *testing.T) {
	for _, split := range []struct {
		file string
		test bool
	}{{TrainFile, false}, {TestFile, true}} {
		for _, l := range read(t, split.file) {
			if inTestSplit(l.Text) != split.test {
				t.Errorf("%s holds %q, which the split rule puts in the other file", split.file, l.Text)
			}
		}
	}
}

func TestCorpusCoversEveryCodeWithValidLabels(t *testing.T) {
	all := append(read(t, TrainFile), read(t, TestFile)...)
	if len(all) < 700 {
		t.Errorf("corpus has %d messages, want at least 700", len(all))
	}
	perType, seen := map[string]int{}, map[string]bool{}
	demands, emotions := map[string]bool{}, map[string]bool{}
	for _, l := range all {
		if seen[l.Text] {
			t.Errorf("duplicate message %q", l.Text)
		}
		seen[l.Text] = true
		if !cases.ProblemType(l.Type).Valid() || !cases.Demand(l.Demand).Valid() ||
			!cases.Emotion(l.Emotion).Valid() || !cases.Level(l.Level).Valid() {
			t.Errorf("invalid labels on %+v", l)
		}
		perType[l.Type]++
		demands[l.Demand], emotions[l.Emotion] = true, true
	}
	for _, c := range cases.ProblemTypes {
		if perType[c.Code] < 30 {
			t.Errorf("type %s has %d messages, want at least 30", c.Code, perType[c.Code])
		}
	}
	for _, c := range cases.Demands {
		if !demands[c.Code] {
			t.Errorf("no message has demand %s", c.Code)
		}
	}
	for _, c := range cases.Emotions {
		if !emotions[c.Code] {
			t.Errorf("no message has emotion %s", c.Code)
		}
	}
}

func TestHoldoutIsIndependentAndCoversEveryCode(t *testing.T) {
	checkIndependent(t, HoldoutFile, 250, TrainFile, TestFile)
}

func TestBlindSetIsIndependentAndCoversEveryCode(t *testing.T) {
	checkIndependent(t, BlindFile, 240, TrainFile, TestFile, HoldoutFile)
}

// checkIndependent checks that the evaluation file name has at least minLen messages,
// at least 12 per type, valid labels, and no text that is also in one of others.
func checkIndependent(t *testing.T, name string, minLen int, others ...string) {
	t.Helper()
	corpusTexts := map[string]bool{}
	for _, o := range others {
		for _, l := range read(t, o) {
			corpusTexts[l.Text] = true
		}
	}
	holdout := read(t, name)
	if len(holdout) < minLen {
		t.Errorf("%s has %d messages, want at least %d", name, len(holdout), minLen)
	}
	perType, seen := map[string]int{}, map[string]bool{}
	for _, l := range holdout {
		if corpusTexts[l.Text] {
			t.Errorf("%s message %q is also in %v", name, l.Text, others)
		}
		if seen[l.Text] {
			t.Errorf("duplicate %s message %q", name, l.Text)
		}
		seen[l.Text] = true
		if !cases.ProblemType(l.Type).Valid() || !cases.Demand(l.Demand).Valid() ||
			!cases.Emotion(l.Emotion).Valid() || !cases.Level(l.Level).Valid() {
			t.Errorf("invalid labels on %+v", l)
		}
		perType[l.Type]++
	}
	for _, c := range cases.ProblemTypes {
		if perType[c.Code] < 12 {
			t.Errorf("%s type %s has %d messages, want at least 12", name, c.Code, perType[c.Code])
		}
	}
}

type chatTurn struct {
	Speaker string `json:"speaker"`
	Text    string `json:"text"`
}

type chat struct {
	Turns        []chatTurn `json:"turns"`
	Conversation string     `json:"conversation"`
	Platform     string     `json:"platform"`
	labelled
}

func readChats(t *testing.T, name string) []chat {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []chat
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		var c chat
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("%s:%d: %v", name, n, err)
		}
		out = append(out, c)
	}
	return out
}

// The chats corpus (issue 16): at least 1,500 multi-turn training chats over every
// type, the five platforms' styles, valid §8 labels, and no core chat in both splits
// (a test chat's problem turns never appear in a training chat).
func TestChatsCorpusIsLargeMultiTurnAndSplitByCoreChat(t *testing.T) {
	train, test := readChats(t, ChatsTrainFile), readChats(t, ChatsTestFile)
	if len(train) < 1500 || len(test) < 250 {
		t.Errorf("chats: %d train, %d test; want at least 1500 and 250", len(train), len(test))
	}
	trainTurns := map[string]bool{}
	perType, platforms := map[string]int{}, map[string]int{}
	for _, c := range train {
		for _, tu := range c.Turns {
			trainTurns[tu.Text] = true
		}
	}
	for i, c := range append(train, test...) {
		customer := 0
		for _, tu := range c.Turns {
			if tu.Speaker != "customer" && tu.Speaker != "agent" {
				t.Fatalf("chat %d: speaker %q", i, tu.Speaker)
			}
			if tu.Speaker == "customer" {
				customer++
			}
		}
		if customer < 2 {
			t.Errorf("chat %d has %d customer turns, want several: %+v", i, customer, c.Turns)
		}
		if !cases.ProblemType(c.Type).Valid() || !cases.Demand(c.Demand).Valid() ||
			!cases.Emotion(c.Emotion).Valid() || !cases.Level(c.Level).Valid() {
			t.Errorf("invalid labels on chat %d: %+v", i, c.labelled)
		}
		perType[c.Type]++
		platforms[c.Platform]++
	}
	for _, c := range cases.ProblemTypes {
		if perType[c.Code] < 20 {
			t.Errorf("chats of type %s: %d, want at least 20", c.Code, perType[c.Code])
		}
	}
	for _, p := range []string{"taobao", "jd", "douyin", "pdd", "kuaishou"} {
		if platforms[p] < 100 {
			t.Errorf("chats in the %s style: %d, want at least 100", p, platforms[p])
		}
	}
	// A turn seen in chats of three or more types is composed filler (a greeting, a
	// link, an order line, a side question), and so is a short reply (退了吧) or an
	// order line; every other turn of a test chat belongs
	// to its core chat and must never be trained on.
	typesOf := map[string]map[string]bool{}
	for _, c := range append(train, test...) {
		for _, tu := range c.Turns {
			if typesOf[tu.Text] == nil {
				typesOf[tu.Text] = map[string]bool{}
			}
			typesOf[tu.Text][c.Type] = true
		}
	}
	for _, c := range test {
		for _, tu := range c.Turns {
			core := len([]rune(tu.Text)) >= 6 && !strings.ContainsAny(tu.Text, "[0123456789")
			if tu.Speaker == "customer" && core && len(typesOf[tu.Text]) < 3 && trainTurns[tu.Text] {
				t.Errorf("test chat turn %q is also in %s", tu.Text, ChatsTrainFile)
			}
		}
	}
}

// The chats holdout (written apart from SOP.md only) is valid, covers every type and
// shares no customer turn of twelve or more characters with the training chats
// (shorter stock phrases and order lines such as 订单号[数字] or 再不发我就投诉到平台
// occur in both, written independently).
func TestChatsHoldoutIsIndependentAndCoversEveryType(t *testing.T) {
	trainTurns := map[string]bool{}
	for _, c := range readChats(t, ChatsTrainFile) {
		for _, tu := range c.Turns {
			trainTurns[tu.Text] = true
		}
	}
	holdout := readChats(t, ChatsHoldoutFile)
	if len(holdout) < 300 {
		t.Errorf("%s has %d chats, want at least 300", ChatsHoldoutFile, len(holdout))
	}
	perType := map[string]int{}
	for i, c := range holdout {
		if !cases.ProblemType(c.Type).Valid() || !cases.Demand(c.Demand).Valid() ||
			!cases.Emotion(c.Emotion).Valid() || !cases.Level(c.Level).Valid() {
			t.Errorf("invalid labels on holdout chat %d: %+v", i, c.labelled)
		}
		perType[c.Type]++
		for _, tu := range c.Turns {
			if tu.Speaker == "customer" && len([]rune(tu.Text)) >= 12 && trainTurns[tu.Text] {
				t.Errorf("holdout chat %d turn %q is also in %s", i, tu.Text, ChatsTrainFile)
			}
		}
	}
	for _, c := range cases.ProblemTypes {
		if perType[c.Code] < 12 {
			t.Errorf("holdout chats of type %s: %d, want at least 12", c.Code, perType[c.Code])
		}
	}
}
