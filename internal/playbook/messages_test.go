package playbook

import (
	"encoding/json"
	"testing"

	"github.com/shouhou/shouhou/internal/cases"
)

// The decoded messages are the payload's, whatever was decoded before under the same
// case and seq (a seq used again after a rolled-back write, a proposed event).
func TestADecodedMessageIsAlwaysItsOwnPayloads(t *testing.T) {
	msg := func(caseID, seq int64, intent, text string) cases.Event {
		raw, _ := json.Marshal(cases.MessagePayload{Text: text, Intent: intent})
		return cases.Event{CaseID: caseID, Seq: seq, Type: cases.EvMessageOut, Payload: raw}
	}
	d := newDecodedMessages()
	for _, tc := range []struct {
		name       string
		e          cases.Event
		wantIntent string
	}{
		{"first decode", msg(1, 5, IntentSoothe, "亲，别着急"), IntentSoothe},
		{"the same event again", msg(1, 5, IntentSoothe, "亲，别着急"), IntentSoothe},
		{"another payload under the same seq", msg(1, 5, IntentTracking, "物流已更新"), IntentTracking},
		{"the same seq of another case", msg(2, 5, "", "在吗"), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, ok := d.get(tc.e)
			if !ok || p.Intent != tc.wantIntent {
				t.Fatalf("intent %q (ok %v), want %q", p.Intent, ok, tc.wantIntent)
			}
		})
	}
	for i := range maxDecoded + 5 {
		d.get(msg(3, int64(i), IntentSoothe, "亲"))
	}
	if n := len(d.m); n > maxDecoded {
		t.Fatalf("%d decoded messages kept, bound %d", n, maxDecoded)
	}
}
