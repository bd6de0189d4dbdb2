package understand

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"text/tabwriter"
)

// Calibration: the softmax of the combined scores (model, cues, signals) is not a
// probability by itself: the cue weights make it overconfident. Temperature scaling
// divides each field's scores by one number fitted on held-out examples (the
// negative log-likelihood of the right label is minimised), which keeps the ranking
// and makes a confidence of 0.8 right about 80 % of the time. The fitted numbers
// live in DefaultConfig (Calibration); TestCalibrationIsFitted refits them.

// trace records the scores of each field for calibration.
type trace struct {
	scores map[Field][]float64
}

// fieldScores returns the raw scores per field of an example and the index of its
// gold label in each field (-1 when the label is unknown or the field was decided
// by a rule outside the scores, such as a safety word).
func (c *Classifier) fieldScores(ex Example) (map[Field][]float64, map[Field]int) {
	tr := &trace{scores: map[Field][]float64{}}
	if ex.IsConversation() {
		turns := ex.turns()
		text, cx := c.conversationText(turns)
		c.classify(text, CustomerText(turns), cx, tr)
	} else {
		c.classify(ex.Text, ex.Text, convContext{}, tr)
	}
	gold := map[Field]int{}
	want := map[Field]string{FieldType: ex.Type, FieldDemand: ex.Demand, FieldEmotion: ex.Emotion, FieldLevel: strconv.Itoa(ex.Level)}
	for _, f := range calibratedFields {
		gold[f] = slices.Index(c.labels[f], want[f])
	}
	return tr.scores, gold
}

var calibratedFields = []Field{FieldType, FieldDemand, FieldEmotion, FieldLevel}

// FitCalibration returns the temperature per field that minimises the negative
// log-likelihood of the examples' labels (a grid from 0.25 to 8).
func FitCalibration(c *Classifier, examples []Example) Calibration {
	type obs struct {
		score []float64
		gold  int
	}
	per := map[Field][]obs{}
	for _, ex := range examples {
		scores, gold := c.fieldScores(ex)
		for _, f := range calibratedFields {
			if s, ok := scores[f]; ok && gold[f] >= 0 {
				per[f] = append(per[f], obs{s, gold[f]})
			}
		}
	}
	fit := func(f Field) float64 {
		bestT, bestNLL := 1.0, math.Inf(1)
		for t := 0.25; t <= 8.0001; t *= 1.05 {
			nll := 0.0
			for _, o := range per[f] {
				p := slices.Clone(o.score)
				for i := range p {
					p[i] /= t
				}
				softmax(p)
				nll -= math.Log(p[o.gold] + 1e-12)
			}
			if nll < bestNLL {
				bestT, bestNLL = t, nll
			}
		}
		return math.Round(bestT*100) / 100
	}
	return Calibration{Type: fit(FieldType), Demand: fit(FieldDemand), Emotion: fit(FieldEmotion), Level: fit(FieldLevel)}
}

// ReliabilityBin is one row of a reliability table: the examples whose confidence
// fell in [Low, High), their mean confidence and how many were right.
type ReliabilityBin struct {
	Low, High      float64
	N              int
	MeanConfidence float64
	Accuracy       float64
}

// Reliability is a reliability table per field and the expected calibration error
// (the gap between confidence and accuracy, weighted by the bins' sizes).
type Reliability struct {
	N    int
	Bins map[Field][]ReliabilityBin
	ECE  map[Field]float64
}

var reliabilityEdges = []float64{0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0001}

// MeasureReliability classifies the examples and bins each field's confidence.
func MeasureReliability(c *Classifier, examples []Example) Reliability {
	rel := Reliability{N: len(examples), Bins: map[Field][]ReliabilityBin{}, ECE: map[Field]float64{}}
	type acc struct {
		n, right int
		conf     float64
	}
	bins := map[Field][]acc{}
	for _, f := range calibratedFields {
		bins[f] = make([]acc, len(reliabilityEdges)-1)
	}
	for _, ex := range examples {
		r := c.ClassifyExample(ex)
		for _, x := range []struct {
			f    Field
			conf float64
			ok   bool
		}{
			{FieldType, r.TypeConfidence, string(r.Type) == ex.Type},
			{FieldDemand, r.DemandConfidence, string(r.Demand) == ex.Demand},
			{FieldEmotion, r.EmotionConfidence, string(r.Emotion) == ex.Emotion},
			{FieldLevel, r.LevelConfidence, int(r.Level) == ex.Level},
		} {
			i := 0
			for i < len(reliabilityEdges)-2 && x.conf >= reliabilityEdges[i+1] {
				i++
			}
			b := &bins[x.f][i]
			b.n++
			b.conf += x.conf
			if x.ok {
				b.right++
			}
		}
	}
	for _, f := range calibratedFields {
		ece := 0.0
		for i, b := range bins[f] {
			row := ReliabilityBin{Low: reliabilityEdges[i], High: min(1, reliabilityEdges[i+1]), N: b.n}
			if b.n > 0 {
				row.MeanConfidence = b.conf / float64(b.n)
				row.Accuracy = float64(b.right) / float64(b.n)
				ece += float64(b.n) / float64(len(examples)) * math.Abs(row.MeanConfidence-row.Accuracy)
			}
			rel.Bins[f] = append(rel.Bins[f], row)
		}
		rel.ECE[f] = ece
	}
	return rel
}

// WriteText prints the reliability table (a markdown table, as in docs/CLASSIFIER.md).
func (rel Reliability) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 1, ' ', 0)
	fmt.Fprintf(tw, "| confidence\t| type n\t| type conf → acc\t| demand n\t| demand conf → acc\t| emotion n\t| emotion conf → acc\t| level n\t| level conf → acc\t|\n")
	fmt.Fprintf(tw, "|---\t|---\t|---\t|---\t|---\t|---\t|---\t|---\t|---\t|\n")
	for i := range rel.Bins[FieldType] {
		b0 := rel.Bins[FieldType][i]
		fmt.Fprintf(tw, "| %.2f–%.2f\t", b0.Low, b0.High)
		for _, f := range calibratedFields {
			b := rel.Bins[f][i]
			if b.N == 0 {
				fmt.Fprintf(tw, "| 0\t| –\t")
				continue
			}
			fmt.Fprintf(tw, "| %d\t| %.2f → %.2f\t", b.N, b.MeanConfidence, b.Accuracy)
		}
		fmt.Fprintf(tw, "|\n")
	}
	fmt.Fprintf(tw, "| ECE\t| \t| %.3f\t| \t| %.3f\t| \t| %.3f\t| \t| %.3f\t|\n", rel.ECE[FieldType], rel.ECE[FieldDemand], rel.ECE[FieldEmotion], rel.ECE[FieldLevel])
	return tw.Flush()
}
