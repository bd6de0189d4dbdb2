package understand

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shouhou/shouhou/corpus"
)

func TestRunClassifyWritesOneObjectPerLineAndPassesFieldsThrough(t *testing.T) {
	in, err := os.Open("testdata/messages.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	var out bytes.Buffer
	if err := RunClassify(context.Background(), newDefault(t), in, &out); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	var got []map[string]any
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("output line %q is not JSON: %v", sc.Text(), err)
		}
		got = append(got, m)
	}
	if len(got) != 3 {
		t.Fatalf("got %d output lines, want 3 (blank input lines are skipped)", len(got))
	}
	want := []map[string]any{
		{"id": 7.0, "agent": "小李", "type": "quality.leak", "emotion": "angry", "level": 2.0},
		{"text": "在吗", "type": "presale", "demand": "none"},
		{"meta": map[string]any{"shop": "旗舰店"}, "type": "logistics.lost", "demand": "refund_only"},
	}
	for i, w := range want {
		for k, v := range w {
			if diff := cmp.Diff(v, got[i][k]); diff != "" {
				t.Errorf("line %d field %s (-want +got):\n%s", i+1, k, diff)
			}
		}
		for _, k := range []string{"confidence", "entities", "text"} {
			if _, ok := got[i][k]; !ok {
				t.Errorf("line %d lacks %s", i+1, k)
			}
		}
	}
	if !strings.HasPrefix(text, `{"id":7,"text":`) {
		t.Errorf("passed-through fields lost their order: %.60s", text)
	}
}

func TestRunClassifyRejectsJSONWithoutText(t *testing.T) {
	err := RunClassify(context.Background(), newDefault(t), strings.NewReader(`{"msg":"漏水"}`), &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("err = %v, want a line-numbered error", err)
	}
}

func TestRunClassifyStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := RunClassify(ctx, newDefault(t), strings.NewReader("在吗\n"), &bytes.Buffer{}); err == nil {
		t.Error("a cancelled run did not stop")
	}
}

func TestRunEvalCountsAccuracyAndPerTypeScores(t *testing.T) {
	in, err := os.Open("testdata/labelled.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	var out bytes.Buffer
	rep, err := RunEval(newDefault(t), in, &out)
	if err != nil {
		t.Fatal(err)
	}
	if rep.N != 4 || rep.Accuracy[FieldType] != 0.75 || rep.Accuracy[FieldLevel] != 1 {
		t.Errorf("report %+v, want 4 messages, type 0.75, level 1", rep.Accuracy)
	}
	flaw := rep.Types[indexOfType(rep.Types, "quality.flaw")]
	if flaw.Support != 1 || flaw.Recall != 0 {
		t.Errorf("quality.flaw score %+v, want support 1 recall 0", flaw)
	}
	for _, s := range []string{"type accuracy", "75.0%", "precision", "logistics.chase"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("eval output lacks %q:\n%s", s, out.String())
		}
	}
}

func indexOfType(ts []TypeScore, typ string) int {
	for i, s := range ts {
		if s.Type == typ {
			return i
		}
	}
	return -1
}

// TestCrossValidationOnTrainSplit measures generalisation without touching the test
// split: 4 folds of the train split, each classified by a model trained on the others.
func TestCrossValidationOnTrainSplit(t *testing.T) {
	all, err := LoadTraining(corpus.Train())
	if err != nil {
		t.Fatal(err)
	}
	acc := map[Field]float64{}
	for k := range 4 {
		var train, held []Example
		for i, ex := range all {
			if i%4 == k {
				held = append(held, ex)
			} else {
				train = append(train, ex)
			}
		}
		c, err := New(DefaultConfig(), train, nil)
		if err != nil {
			t.Fatal(err)
		}
		for f, a := range Evaluate(c, held).Accuracy {
			acc[f] += a / 4
		}
	}
	floors := map[Field]float64{FieldType: 0.85, FieldDemand: 0.83, FieldEmotion: 0.86, FieldLevel: 0.9}
	for f, min := range floors {
		t.Logf("%s: %.3f", f, acc[f])
		if acc[f] < min {
			t.Errorf("cross-validated %s accuracy %.3f below %.2f", f, acc[f], min)
		}
	}
}
