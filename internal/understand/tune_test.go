package understand

import (
	"fmt"
	"os"
	"testing"

	"github.com/shouhou/shouhou/corpus"
)

func TestDebugTune(t *testing.T) {
	if os.Getenv("TUNE") == "" {
		t.Skip()
	}
	all, _ := LoadTraining(corpus.Train())
	for _, w := range []float64{0.5, 0.7} {
		for _, ep := range []int{8} {
			for _, lr := range []float64{0, 0.5, 1, 2} {
				cfg := DefaultConfig()
				cfg.Model.Weight, cfg.Model.Epochs, cfg.CalmPrior = w, ep, lr
				acc := map[Field]float64{}
				for k := 0; k < 4; k++ {
					var tr, te []Example
					for i, ex := range all {
						if i%4 == k {
							te = append(te, ex)
						} else {
							tr = append(tr, ex)
						}
					}
					c, _ := New(cfg, tr, nil)
					r := Evaluate(c, te)
					for f, a := range r.Accuracy {
						acc[f] += a / 4
					}
				}
				fmt.Printf("w=%.1f ep=%d lr=%.1f type=%.3f demand=%.3f emo=%.3f level=%.3f\n", w, ep, lr, acc[FieldType], acc[FieldDemand], acc[FieldEmotion], acc[FieldLevel])
			}
		}
	}
}
