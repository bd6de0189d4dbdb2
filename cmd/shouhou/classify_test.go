package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shouhou/shouhou/internal/config"
)

// shouhou classify -c reads a whole pasted conversation from standard input.
func TestClassifyCommandReadsAPastedConversation(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	cmd := exec.Command(bin, "classify", "-c")
	cmd.Stdin = strings.NewReader("用户83726611 2026/11/30 14:22\n在吗\n潮流服饰官方旗舰店-客服小雨 2026/11/30 14:23\n亲，在的\n" +
		"用户83726611 2026/11/30 14:24\n收到的杯子碎了，我要退款！订单号230512-123456789012345，快递单号SF1234567890123，价格89元\n")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("classify -c: %v\n%s", err, out)
	}
	var got struct {
		Turns  []struct{ Speaker string }
		Type   string
		Demand string
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(got.Turns) != 3 || got.Turns[1].Speaker != "agent" || got.Type != "quality.damaged" || got.Demand != "return_refund" {
		t.Fatalf("classify -c: %s", out)
	}
}

// shouhou classify train learns from the shop's labelled cases and compares; a
// missing or malformed file is an error, never a silent success.
func TestClassifyTrainLearnsFromTheShopsCases(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	learned := filepath.Join(dir, "learned.jsonl")
	lines := `{"text":"个水煲底漏水，成张枱都系水","type":"quality.leak","demand":"none","emotion":"calm","level":2,"case_id":1}
{"text":"顾客：在吗\n客服：在的亲\n顾客：我买错咗，想退，未拆过","type":"personal.dislike","demand":"return_refund","emotion":"calm","level":3,"case_id":2}
`
	os.WriteFile(learned, []byte(lines), 0o600)
	out := run(t, bin, "classify", "train", "--learned", learned, "--eval", learned)
	if !strings.Contains(out, "2 labelled cases") || !strings.Contains(out, "before") {
		t.Fatalf("classify train: %s", out)
	}
	if out := runFails(t, bin, "classify", "train", "--learned", filepath.Join(dir, "nope.jsonl")); !strings.Contains(out, "nope.jsonl") {
		t.Fatalf("a missing file: %s", out)
	}
	os.WriteFile(learned, []byte(`{"text":"漏水","type":"quality.wet","demand":"none","emotion":"calm","level":2}`), 0o600)
	if out := runFails(t, bin, "classify", "train", "--learned", learned); !strings.Contains(out, "quality.wet") {
		t.Fatalf("a bad label: %s", out)
	}
}

// The server learns from classifier_learned_file at start-up and reads its settings
// from classifier_file; a bad file stops the start with the file's name.
func TestServerClassifierLearnsFromTheConfiguredFile(t *testing.T) {
	dir := t.TempDir()
	learned, settings := filepath.Join(dir, "learned.jsonl"), filepath.Join(dir, "classifier.yaml")
	os.WriteFile(learned, []byte(`{"text":"个水煲底漏水","type":"quality.leak","demand":"none","emotion":"calm","level":2}`+"\n"), 0o600)
	os.WriteFile(settings, []byte("suggest_below: 0.9\nlearned_weight: 3\n"), 0o600)
	var cfg config.Config
	cfg.ClassifierFile, cfg.ClassifierLearnedFile = settings, learned
	c, err := serverClassifier(cfg, 3)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Config(); got.SuggestBelow != 0.9 || got.LearnedWeight != 3 || got.SizeToleranceCM != 3 {
		t.Fatalf("settings %+v", got)
	}
	os.WriteFile(settings, []byte("suggest_below: 2\n"), 0o600)
	if _, err := serverClassifier(cfg, 3); err == nil || !strings.Contains(err.Error(), "classifier.yaml") {
		t.Fatalf("bad settings: %v", err)
	}
	cfg.ClassifierFile = ""
	os.WriteFile(learned, []byte("not json\n"), 0o600)
	if _, err := serverClassifier(cfg, 3); err == nil || !strings.Contains(err.Error(), "learned.jsonl") {
		t.Fatalf("bad learned file: %v", err)
	}
}
