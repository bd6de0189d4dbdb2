package understand

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// The shop's own labelled cases retrain the model (issue 16): on a style of text the
// built-in corpus lacks (written Cantonese, testdata/cantonese.jsonl), learning from
// part of it raises the accuracy on the rest. 3-fold: each message is measured once,
// by a classifier that learned from the other two thirds.
func TestLearningFromTheShopRaisesAccuracyOnANewStyle(t *testing.T) {
	if testing.Short() {
		t.Skip("trains six classifiers")
	}
	f, err := os.Open("testdata/cantonese.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	all, err := ReadLearned(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	before, err := NewLearned(DefaultConfig(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	const folds = 3
	var rb, ra [4]int
	for k := 0; k < folds; k++ {
		var learn, eval []Example
		for i, ex := range all {
			if i%folds == k {
				eval = append(eval, ex)
			} else {
				learn = append(learn, ex)
			}
		}
		after, err := NewLearned(DefaultConfig(), nil, learn)
		if err != nil {
			t.Fatal(err)
		}
		for i, rep := range []Report{Evaluate(before, eval), Evaluate(after, eval)} {
			for j, fld := range []Field{FieldType, FieldDemand, FieldEmotion, FieldLevel} {
				n := int(rep.Accuracy[fld]*float64(rep.N) + 0.5)
				if i == 0 {
					rb[j] += n
				} else {
					ra[j] += n
				}
			}
		}
	}
	var lines []string
	sumB, sumA := 0, 0
	for j, fld := range []Field{FieldType, FieldDemand, FieldEmotion, FieldLevel} {
		lines = append(lines, string(fld)+": "+pct(rb[j], len(all))+" → "+pct(ra[j], len(all)))
		sumB, sumA = sumB+rb[j], sumA+ra[j]
	}
	t.Logf("learning from the shop, %d Cantonese messages, 3-fold: %s", len(all), strings.Join(lines, ", "))
	if sumA <= sumB {
		t.Errorf("learning did not raise accuracy: %s", strings.Join(lines, ", "))
	}
}

func pct(a, n int) string {
	return strings.TrimRight(strings.TrimRight(formatFloat(100*float64(a)/float64(n)), "0"), ".") + " %"
}

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }
