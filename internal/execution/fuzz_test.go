package execution_test

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/execution"
	"github.com/shouhou/shouhou/internal/money"
)

// everyState is every state of every kind plus one no kind has.
func everyState() []S {
	out := []S{"lost"}
	for _, k := range execution.Kinds() {
		for _, s := range execution.States(k) {
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

// fuzzData picks data for a transition into to: valid, empty, or one of several
// malformed variants.
func fuzzData(to S, variant byte) execution.Data {
	d := validData(to)
	switch variant % 8 {
	case 1:
		return execution.Data{}
	case 2:
		d.TrackingNo, d.ReturnTrackingNo = "12", "x y"
	case 3:
		d.Inspection = &execution.Inspection{Good: -3, Bad: int(variant), Photos: []string{"nope"}}
	case 4:
		d.Inspection = badInspection()
	case 5:
		d.Amount = money.Amount(-int64(variant)) * 1000
	case 6:
		d.Amount = money.Yuan(1_000_000)
		d.Reference = "?"
	case 7:
		d.Reason, d.Courier = "", ""
	}
	return d
}

// FuzzStep plays random transitions and checks that Step never panics, never leaves
// the kind's states, leaves the solution unchanged when it refuses, and appends
// exactly one history entry when it accepts.
func FuzzStep(f *testing.F) {
	f.Add([]byte{0, 1, 1, 0, 2, 0})
	f.Add([]byte{2, 0, 6, 0, 7, 0, 9, 0, 5, 0})
	f.Add([]byte{3, 0, 6, 4, 7, 0})
	f.Add([]byte{5, 0, 12, 0, 13, 7})
	f.Add([]byte{1, 0, 4, 0, 3, 1, 14, 0})
	states := everyState()
	kinds := execution.Kinds()
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) < 2 {
			return
		}
		k := kinds[int(in[0])%len(kinds)]
		s, err := execution.Open(opening(k, in[1]%2 == 0), "agent1", t0)
		if err != nil {
			t.Fatalf("open %s: %v", k, err)
		}
		valid := execution.States(k)
		for i := 2; i+1 < len(in); i += 2 {
			to := states[int(in[i])%len(states)]
			from := s.State
			if in[i+1]%16 == 15 {
				from = states[int(in[i+1])%len(states)]
			}
			before := s
			next, err := execution.Step(s, execution.Transition{SolutionID: s.ID, From: from, To: to, Data: fuzzData(to, in[i+1])},
				"agent1", t0.Add(time.Duration(i)*time.Minute))
			if !slices.Contains(valid, next.State) {
				t.Fatalf("%s reached %q, outside %v", k, next.State, valid)
			}
			if err != nil {
				if !reflect.DeepEqual(next, before) {
					t.Fatalf("refused %s → %s changed the solution", from, to)
				}
				continue
			}
			if execution.Final(before.State) {
				t.Fatalf("%s moved out of final state %s to %s", k, before.State, next.State)
			}
			if len(next.History) != len(before.History)+1 {
				t.Fatalf("history grew from %d to %d", len(before.History), len(next.History))
			}
			if last := next.History[len(next.History)-1]; last.From != before.State || last.To != next.State {
				t.Fatalf("history entry %s → %s, solution went %s → %s", last.From, last.To, before.State, next.State)
			}
			s = next
		}
	})
}
