package understand

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"

	"github.com/shouhou/shouhou/corpus"
)

// NewDefault builds a classifier trained on the embedded train split, with the
// shop's extension directory ext (nil for none).
func NewDefault(cfg Config, ext fs.FS) (*Classifier, error) {
	train, err := LoadTraining(corpus.Train())
	if err != nil {
		return nil, err
	}
	return New(cfg, train, ext)
}

// resultKeys are the top-level keys of a Result; input fields of the same name are
// replaced by the classification.
var resultKeys = []string{"type", "type_confidence", "demand", "demand_confidence", "emotion",
	"emotion_confidence", "level", "level_confidence", "confidence", "entities"}

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
		i := slices.IndexFunc(fields, func(f field) bool { return f.key == "text" })
		if i < 0 || json.Unmarshal(fields[i].value, &text) != nil {
			return nil, fmt.Errorf(`JSON line without a string "text" field`)
		}
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
