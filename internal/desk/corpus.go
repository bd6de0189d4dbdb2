package desk

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/shouhou/shouhou/internal/cases"
)

// CorpusStore is what a corpus export reads.
type CorpusStore interface {
	EventsOfType(ctx context.Context, typ cases.EventType, afterID int64, limit int) ([]cases.Event, error)
	GetCase(ctx context.Context, id int64) (cases.Case, error)
}

// CorpusLine is one labelled message from real use: the customer's first message and
// the labels the case carries now (the agent's final judgement), with what the
// classifier had predicted and which fields the agent corrected.
type CorpusLine struct {
	Text      string       `json:"text"`
	Type      string       `json:"type"`
	Demand    string       `json:"demand"`
	Emotion   string       `json:"emotion"`
	Level     int          `json:"level"`
	Predicted cases.Labels `json:"predicted"`
	Corrected []string     `json:"corrected,omitempty"`
	CaseID    int64        `json:"case_id"`
}

const corpusPage = 500

// ExportCorpus writes every classified first message as a JSON line in the corpus
// format of corpus/*.jsonl and returns how many it wrote.
func ExportCorpus(ctx context.Context, st CorpusStore, w io.Writer) (int, error) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	n := 0
	for after := int64(0); ; {
		events, err := st.EventsOfType(ctx, cases.EvClassified, after, corpusPage)
		if err != nil {
			return n, err
		}
		for _, e := range events {
			line, err := corpusLine(ctx, st, e)
			if err != nil {
				return n, err
			}
			if err := enc.Encode(line); err != nil {
				return n, err
			}
			n++
			after = e.ID
		}
		if len(events) < corpusPage {
			return n, nil
		}
	}
}

func corpusLine(ctx context.Context, st CorpusStore, e cases.Event) (CorpusLine, error) {
	var p cases.ClassifiedPayload
	if err := json.Unmarshal(e.Payload, &p); err != nil {
		return CorpusLine{}, fmt.Errorf("event %d: %w", e.ID, err)
	}
	c, err := st.GetCase(ctx, e.CaseID)
	if err != nil {
		return CorpusLine{}, err
	}
	final := cases.LabelsOf(c.Intake)
	return CorpusLine{Text: p.Text, Type: string(final.Type), Demand: string(final.Demand), Emotion: string(final.Emotion),
		Level: int(final.Level), Predicted: p.Predicted, Corrected: p.Predicted.Differences(final), CaseID: c.ID}, nil
}
