package understand

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/shouhou/shouhou/corpus"
)

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

func newDefault(t testing.TB) *Classifier {
	t.Helper()
	train, err := LoadTraining(corpus.Train())
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(DefaultConfig(), train, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestDebugEval(t *testing.T) {
	c := newDefault(t)
	rep := Evaluate(c, loadTestSplit(t))
	rep.WriteText(os.Stdout)
	for _, m := range rep.Misses {
		fmt.Printf("%s\n   want %s/%s/%s/%d got %s/%s/%s/%d\n", m.Example.Text, m.Example.Type, m.Example.Demand, m.Example.Emotion, m.Example.Level, m.Got.Type, m.Got.Demand, m.Got.Emotion, m.Got.Level)
	}
}
