package understand

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"text/tabwriter"
)

// Report is the outcome of Evaluate: per-field accuracy and per-type precision/recall.
type Report struct {
	N        int               `json:"n"`
	Accuracy map[Field]float64 `json:"accuracy"`
	Types    []TypeScore       `json:"types"`
	Misses   []Miss            `json:"-"`
}

// TypeScore is precision and recall of one problem type.
type TypeScore struct {
	Type      string  `json:"type"`
	Support   int     `json:"support"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
}

// Miss is an example with at least one field classified wrongly.
type Miss struct {
	Example Example
	Got     Result
}

// Evaluate classifies every example and compares with its labels.
func Evaluate(c *Classifier, examples []Example) Report {
	correct := map[Field]int{}
	tp, predicted, actual := map[string]int{}, map[string]int{}, map[string]int{}
	var misses []Miss
	for _, ex := range examples {
		r := c.ClassifyExample(ex)
		ok := map[Field]bool{
			FieldType:    string(r.Type) == ex.Type,
			FieldDemand:  string(r.Demand) == ex.Demand,
			FieldEmotion: string(r.Emotion) == ex.Emotion,
			FieldLevel:   int(r.Level) == ex.Level,
		}
		for f, good := range ok {
			if good {
				correct[f]++
			}
		}
		if !ok[FieldType] || !ok[FieldDemand] || !ok[FieldEmotion] || !ok[FieldLevel] {
			misses = append(misses, Miss{Example: ex, Got: r})
		}
		predicted[string(r.Type)]++
		actual[ex.Type]++
		if ok[FieldType] {
			tp[ex.Type]++
		}
	}
	rep := Report{N: len(examples), Accuracy: map[Field]float64{}, Misses: misses}
	for _, f := range []Field{FieldType, FieldDemand, FieldEmotion, FieldLevel} {
		rep.Accuracy[f] = ratio(correct[f], len(examples))
	}
	for _, t := range c.labels[FieldType] {
		if actual[t] == 0 && predicted[t] == 0 {
			continue
		}
		rep.Types = append(rep.Types, TypeScore{Type: t, Support: actual[t], Precision: ratio(tp[t], predicted[t]), Recall: ratio(tp[t], actual[t])})
	}
	return rep
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// WriteText prints the report as the --eval table of shouhou classify.
func (r Report) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "messages\t%d\t\n", r.N)
	for _, f := range []Field{FieldType, FieldDemand, FieldEmotion, FieldLevel} {
		fmt.Fprintf(tw, "%s accuracy\t%.1f%%\t\n", f, 100*r.Accuracy[f])
	}
	fmt.Fprintln(tw, "\t\t")
	fmt.Fprintln(tw, "type\tsupport\tprecision\trecall\t")
	types := slices.Clone(r.Types)
	for _, t := range types {
		fmt.Fprintf(tw, "%s\t%s\t%.2f\t%.2f\t\n", t.Type, strconv.Itoa(t.Support), t.Precision, t.Recall)
	}
	return tw.Flush()
}

// ClassifyExample classifies an example as what it is: a conversation or a message.
func (c *Classifier) ClassifyExample(ex Example) Result {
	if ex.IsConversation() {
		return c.ClassifyTurns(ex.turns())
	}
	return c.Classify(ex.Text)
}

// WriteMisses prints every example with a wrong field: the labels, what was read, and
// the customer's text.
func (r Report) WriteMisses(w io.Writer) error {
	for _, m := range r.Misses {
		text := m.Example.Text
		if m.Example.IsConversation() {
			text = CustomerText(m.Example.turns())
		}
		if _, err := fmt.Fprintf(w, "want %s/%s/%s/%d got %s/%s/%s/%d\t%q\n", m.Example.Type, m.Example.Demand, m.Example.Emotion, m.Example.Level,
			m.Got.Type, m.Got.Demand, m.Got.Emotion, m.Got.Level, text); err != nil {
			return err
		}
	}
	return nil
}
