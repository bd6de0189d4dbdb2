package cases

import (
	"encoding/json"
	"testing"
)

func TestEveryEventTypeHasOnePayloadType(t *testing.T) {
	for _, typ := range EventTypes() {
		if _, err := DecodePayload(Event{Type: typ, Payload: json.RawMessage(`{}`)}); err != nil {
			t.Errorf("%s: %v", typ, err)
		}
	}
	e := Event{Type: EvSolutionAccept, Payload: json.RawMessage(`{"kind":"compensation","amount":10}`)}
	if p, ok := PayloadAs[SolutionPayload](e); !ok || p.Kind != "compensation" || p.Amount.Fen() != 1000 {
		t.Fatalf("solution payload: %+v %v", p, ok)
	}
	if _, ok := PayloadAs[NotePayload](e); ok {
		t.Fatal("a solution event decoded as a note")
	}
	if _, err := DecodePayload(Event{Type: "no.such"}); err == nil {
		t.Fatal("an unknown event type decoded")
	}
}
