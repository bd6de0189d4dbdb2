package desk

import (
	"testing"

	"github.com/shouhou/shouhou/internal/playbook"
	"github.com/shouhou/shouhou/internal/tracking"
)

// The parcel_state fact flows may read holds exactly the tracking states, named alike.
func TestTheParcelStateFactHasEveryTrackingStateWithItsChineseName(t *testing.T) {
	var ask playbook.Ask
	for _, a := range playbook.SystemFacts {
		if a.Key == factParcelState {
			ask = a
		}
	}
	if len(ask.Values) != len(tracking.States) {
		t.Fatalf("parcel_state values %v, tracking states %v", ask.Values, tracking.States)
	}
	for i, st := range tracking.States {
		if v := ask.Values[i]; v.Value != string(st) || v.Label != st.Label() {
			t.Errorf("parcel_state value %d = %+v, want %s %s", i, v, st, st.Label())
		}
	}
}
