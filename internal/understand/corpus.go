package understand

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/shouhou/shouhou/corpus"
)

// Example is one labelled message of the corpus (one JSON line).
type Example struct {
	Text    string `json:"text"`
	Type    string `json:"type"`
	Demand  string `json:"demand"`
	Emotion string `json:"emotion"`
	Level   int    `json:"level"`
}

// ReadExamples reads JSON lines of examples; blank lines are skipped.
func ReadExamples(r io.Reader) ([]Example, error) {
	var out []Example
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	for line := 1; sc.Scan(); line++ {
		s := strings.TrimSpace(sc.Text())
		if s == "" {
			continue
		}
		var ex Example
		if err := json.Unmarshal([]byte(s), &ex); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if ex.Text == "" {
			return nil, fmt.Errorf("line %d: empty text", line)
		}
		out = append(out, ex)
	}
	return out, sc.Err()
}

// LoadTraining reads the train split from fsys. It opens corpus.TrainFile and
// nothing else, so the test split can never leak into the model.
func LoadTraining(fsys fs.FS) ([]Example, error) {
	f, err := fsys.Open(corpus.TrainFile)
	if err != nil {
		return nil, fmt.Errorf("training corpus: %w", err)
	}
	defer f.Close()
	exs, err := ReadExamples(f)
	if err != nil {
		return nil, fmt.Errorf("training corpus %s: %w", corpus.TrainFile, err)
	}
	return exs, nil
}
