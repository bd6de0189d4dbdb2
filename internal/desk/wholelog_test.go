package desk

import (
	"testing"

	"github.com/shouhou/shouhou/internal/cases"
)

// The timers reuse the log a write already holds only when it is the case's whole
// log; anything else is read again in the transaction.
func TestAHeldLogIsReusedOnlyWhenItIsTheWholeLog(t *testing.T) {
	c := cases.Case{ID: 7, Version: 3}
	ev := func(caseID, seq int64) cases.Event { return cases.Event{CaseID: caseID, Seq: seq} }
	for _, tc := range []struct {
		name string
		log  []cases.Event
		want bool
	}{
		{"every event in order", []cases.Event{ev(7, 1), ev(7, 2), ev(7, 3)}, true},
		{"none held", nil, false},
		{"an event appended later is missing", []cases.Event{ev(7, 1), ev(7, 2)}, false},
		{"one more than the version", []cases.Event{ev(7, 1), ev(7, 2), ev(7, 3), ev(7, 4)}, false},
		{"out of order", []cases.Event{ev(7, 1), ev(7, 3), ev(7, 2)}, false},
		{"another case's event", []cases.Event{ev(7, 1), ev(8, 2), ev(7, 3)}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := wholeLog(c, tc.log); got != tc.want {
				t.Fatalf("wholeLog = %v, want %v", got, tc.want)
			}
		})
	}
}
