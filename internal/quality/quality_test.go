package quality

import (
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
)

var day0 = time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)

func marks(days ...float64) []Mark {
	out := make([]Mark, len(days))
	for i, d := range days {
		out[i] = Mark{CaseID: int64(i + 1), Kind: KindBatch, Key: "K", At: day0.Add(time.Duration(d * float64(24*time.Hour)))}
	}
	return out
}

func TestClusterNeedsNMarksWithinTheWindowIncludingTheNewCase(t *testing.T) {
	week := 7 * 24 * time.Hour
	for _, tc := range []struct {
		name string
		days []float64
		new  int64
		want int
	}{
		{"three within 7 days", []float64{0, 3, 7}, 3, 3},
		{"three over 8 days", []float64{0, 4, 8}, 3, 0},
		{"two", []float64{0, 1}, 2, 0},
		{"a fourth joins", []float64{0, 3, 6, 7}, 4, 4},
		{"the new case outside the group", []float64{0, 1, 2, 30}, 4, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Cluster(marks(tc.days...), tc.new, 3, week)
			if len(got) != tc.want || ok != (tc.want > 0) {
				t.Fatalf("cluster %v ok %v, want %d marks", got, ok, tc.want)
			}
		})
	}
}

func TestOnlyQualityCasesWithASKUMarkTheirBatchAndDamagedParcelsTheirCourier(t *testing.T) {
	cfg := Config{BatchCount: 3, BatchWindow: time.Hour, CourierCount: 3, CourierWindow: time.Hour}
	for _, tc := range []struct {
		c    cases.Case
		want []string
	}{
		{cases.Case{Intake: cases.Intake{Type: cases.TypeLeak, SKU: "A", Batch: "B1"}}, []string{"batch:A / B1"}},
		{cases.Case{Intake: cases.Intake{Type: cases.TypeLeak, SKU: " A "}}, []string{"batch:A"}},
		{cases.Case{Intake: cases.Intake{Type: cases.TypeDamaged, SKU: "A", Courier: "中通"}}, []string{"batch:A", "courier:中通"}},
		{cases.Case{Intake: cases.Intake{Type: cases.TypeDamaged, Courier: "中通"}}, []string{"courier:中通"}},
		{cases.Case{Intake: cases.Intake{Type: cases.ProblemType("personal.dislike"), SKU: "A"}}, nil},
		{cases.Case{Intake: cases.Intake{Type: cases.TypeLeak, SKU: "A"}, Status: cases.StatusMerged}, nil},
	} {
		var got []string
		for _, m := range cfg.Marks(tc.c) {
			got = append(got, m.Kind+":"+m.Key)
		}
		if len(got) != len(tc.want) || (len(got) > 0 && got[len(got)-1] != tc.want[len(tc.want)-1]) || (len(got) > 0 && got[0] != tc.want[0]) {
			t.Errorf("%+v: marks %v, want %v", tc.c.Intake, got, tc.want)
		}
	}
}
