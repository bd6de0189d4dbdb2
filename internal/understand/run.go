package understand

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/shouhou/shouhou/corpus"
	"github.com/shouhou/shouhou/internal/cases"
)

// NewDefault builds a classifier trained on the embedded train split, with the
// shop's extension directory ext (nil for none).
func NewDefault(cfg Config, ext fs.FS) (*Classifier, error) {
	return NewLearned(cfg, ext, nil)
}

// NewLearned builds a classifier trained on the embedded train splits and on the
// shop's own labelled cases (ReadLearned), each of which counts cfg.LearnedWeight
// times.
func NewLearned(cfg Config, ext fs.FS, learned []Example) (*Classifier, error) {
	train, err := LoadTraining(corpus.Train())
	if err != nil {
		return nil, err
	}
	for _, ex := range learned {
		ex.Weight = cfg.LearnedWeight
		train = append(train, ex)
	}
	return New(cfg, train, ext)
}

// ReadLearned reads the shop's labelled cases as `shouhou corpus export` writes them
// (text, type, demand, emotion, level, and what was predicted): a first message that
// is a pasted conversation becomes a conversation example. Every label must be a
// code the classifier knows; a bad line is an error naming it.
func ReadLearned(r io.Reader) ([]Example, error) {
	exs, err := ReadExamples(r)
	if err != nil {
		return nil, err
	}
	for i := range exs {
		ex := &exs[i]
		if !cases.ProblemType(ex.Type).Valid() || !cases.Demand(ex.Demand).Valid() || !cases.Emotion(ex.Emotion).Valid() || !cases.Level(ex.Level).Valid() {
			return nil, fmt.Errorf("learned example %d: labels %s/%s/%s/%d are not all SOP §8 codes", i+1, ex.Type, ex.Demand, ex.Emotion, ex.Level)
		}
		if ex.Text != "" && !ex.IsConversation() && len(ParseConversation(ex.Text)) > 1 {
			ex.Conversation, ex.Text = ex.Text, ""
		}
	}
	return exs, nil
}

// LoadLearned reads a learned-cases file (ReadLearned).
func LoadLearned(path string) ([]Example, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("learned cases: %w", err)
	}
	defer f.Close()
	exs, err := ReadLearned(f)
	if err != nil {
		return nil, fmt.Errorf("learned cases %s: %w", path, err)
	}
	return exs, nil
}

// resultKeys are the top-level keys of a Result; input fields of the same name are
// replaced by the classification.
var resultKeys = []string{"type", "type_confidence", "demand", "demand_confidence", "emotion",
	"emotion_confidence", "level", "level_confidence", "confidence", "entities", "alternatives", "turn_count", "customer_turns"}

// RunClassify reads messages from in, one per line: plain text, or a JSON object with
// a "text" field whose other fields are passed through. It writes one JSON object per
// non-blank line to out.
func RunClassify(ctx context.Context, c *Classifier, in io.Reader, out io.Writer) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	w := bufio.NewWriter(out)
	for line := 1; sc.Scan(); line++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		raw := strings.TrimSpace(sc.Text())
		if raw == "" {
			continue
		}
		obj, err := classifyLine(c, raw)
		if err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		w.Write(obj)
		w.WriteByte('\n')
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("reading messages: %w", err)
	}
	return w.Flush()
}

// field is one key/value of a JSON object, kept in input order.
type field struct {
	key   string
	value json.RawMessage
}

func classifyLine(c *Classifier, raw string) ([]byte, error) {
	fields := []field{{key: "text", value: mustJSON(raw)}}
	text := raw
	if strings.HasPrefix(raw, "{") {
		var err error
		if fields, err = objectFields([]byte(raw)); err != nil {
			return nil, err
		}
		var ex Example
		if err := json.Unmarshal([]byte(raw), &ex); err != nil {
			return nil, fmt.Errorf(`JSON line: %w`, err)
		}
		if ex.Text == "" && !ex.IsConversation() {
			return nil, fmt.Errorf(`JSON line without a string "text", "conversation" or "turns" field`)
		}
		res, err := json.Marshal(c.ClassifyExample(ex))
		if err != nil {
			return nil, err
		}
		return joinFields(fields, res), nil
	}
	res, err := json.Marshal(c.Classify(text))
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteByte('{')
	for _, f := range fields {
		if slices.Contains(resultKeys, f.key) {
			continue
		}
		b.Write(mustJSON(f.key))
		b.WriteByte(':')
		b.Write(f.value)
		b.WriteByte(',')
	}
	b.Write(res[1:])
	return b.Bytes(), nil
}

// joinFields writes the input fields (except those the result replaces) followed by
// the result's.
func joinFields(fields []field, res []byte) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for _, f := range fields {
		if slices.Contains(resultKeys, f.key) {
			continue
		}
		b.Write(mustJSON(f.key))
		b.WriteByte(':')
		b.Write(f.value)
		b.WriteByte(',')
	}
	b.Write(res[1:])
	return b.Bytes()
}

// RunConversation reads the whole of in as one pasted conversation (see
// ParseConversation) and writes its understanding as one JSON object.
func RunConversation(c *Classifier, in io.Reader, out io.Writer) error {
	raw, err := io.ReadAll(io.LimitReader(in, 16<<20))
	if err != nil {
		return fmt.Errorf("reading the conversation: %w", err)
	}
	if strings.TrimSpace(string(raw)) == "" {
		return fmt.Errorf("the conversation is empty")
	}
	turns := ParseConversation(string(raw))
	obj := struct {
		Turns []Turn `json:"turns"`
		Result
	}{turns, c.ClassifyTurns(turns)}
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	return enc.Encode(obj)
}

// objectFields splits a JSON object into its fields, keeping their order.
func objectFields(data []byte) ([]field, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("not a JSON object")
	}
	var out []field
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("JSON object: %w", err)
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("JSON field %v: %w", tok, err)
		}
		out = append(out, field{key: tok.(string), value: v})
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("JSON object: %w", err)
	}
	return out, nil
}

func mustJSON(s string) []byte {
	b, _ := json.Marshal(s) // a Go string always marshals
	return b
}

// RunEval reads labelled JSON lines (text, type, demand, emotion, level) from in and
// writes the accuracy and per-type table to out.
func RunEval(c *Classifier, in io.Reader, out io.Writer) (Report, error) {
	exs, err := ReadExamples(in)
	if err != nil {
		return Report{}, fmt.Errorf("evaluation set: %w", err)
	}
	rep := Evaluate(c, exs)
	return rep, rep.WriteText(out)
}
