package corpus

import (
	"bufio"
	"encoding/json"
	"hash/fnv"
	"os"
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
