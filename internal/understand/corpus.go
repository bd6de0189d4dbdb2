package understand

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/shouhou/shouhou/corpus"
)

// Example is one labelled message of the corpus (one JSON line).
type Example struct {
	Text string `json:"text,omitempty"`
	// Turns or Conversation (raw pasted text) make the example a conversation.
	Turns        []Turn `json:"turns,omitempty"`
	Conversation string `json:"conversation,omitempty"`
	Platform     string `json:"platform,omitempty"`
	Type         string `json:"type"`
	Demand       string `json:"demand"`
	Emotion      string `json:"emotion"`
	Level        int    `json:"level"`
	// Weight scales the example in training (0 counts as 1).
	Weight float64 `json:"-"`
}

// turns returns the example as a conversation.
func (ex Example) turns() []Turn {
	switch {
	case len(ex.Turns) > 0:
		return ex.Turns
	case ex.Conversation != "":
		return ParseConversation(ex.Conversation)
	}
	return []Turn{{Speaker: SpeakerCustomer, Text: ex.Text}}
}

// IsConversation reports whether the example holds turns or a pasted conversation.
func (ex Example) IsConversation() bool { return len(ex.Turns) > 0 || ex.Conversation != "" }

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
		if ex.Text == "" && !ex.IsConversation() {
			return nil, fmt.Errorf("line %d: empty text", line)
		}
		for i, t := range ex.Turns {
			if t.Speaker != SpeakerCustomer && t.Speaker != SpeakerAgent {
				return nil, fmt.Errorf("line %d: turn %d: speaker %q is neither customer nor agent", line, i+1, t.Speaker)
			}
		}
		out = append(out, ex)
	}
	return out, sc.Err()
}

// LoadTraining reads the train splits from fsys: corpus.TrainFile (single messages)
// and corpus.ChatsTrainFile (conversations) when fsys has it. It opens nothing else,
// so a test split can never leak into the model.
func LoadTraining(fsys fs.FS) ([]Example, error) {
	var all []Example
	for _, name := range []string{corpus.TrainFile, corpus.ChatsTrainFile} {
		f, err := fsys.Open(name)
		if err != nil {
			if name == corpus.ChatsTrainFile && errors.Is(err, fs.ErrNotExist) {
				continue
			}
			return nil, fmt.Errorf("training corpus: %w", err)
		}
		exs, err := ReadExamples(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("training corpus %s: %w", name, err)
		}
		all = append(all, exs...)
	}
	return all, nil
}
