package desk

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/store"
)

// FuzzAppendablePayloads runs every event type's payload check on arbitrary JSON: no
// payload panics a check, a refusal is a field error or a permission error, and an
// accepted payload encodes back to JSON that the projection applies.
func FuzzAppendablePayloads(f *testing.F) {
	seeds := map[cases.EventType][]string{
		cases.EvMessageIn:      {`{"text":"杯子碎了"}`, `{"text":""}`, `{"text":"a","extra":1}`},
		cases.EvFactRecorded:   {`{"key":"outer_package","value":"完好"}`, `{"key":"Bad Key","value":"x"}`},
		cases.EvSolutionOffer:  {`{"kind":"compensation","amount":10}`, `{"kind":"compensation","amount":"--5"}`, `{"kind":"refund_only","amount":-1}`, `{"kind":"compensation","amount":12.005}`},
		cases.EvApprovalGiven:  {`{"kind":"compensation","amount":60}`},
		cases.EvStageChanged:   {`{"to":"verify"}`, `{"to":"closed"}`},
		cases.EvAssigned:       {`{"to":"xiaomei"}`},
		cases.EvReasonGuided:   {`{"reason":"不想要了"}`},
		cases.EvNote:           {`{"text":"跟进"}`, `[]`, `null`, `"x"`, `{"text":1e999}`},
		cases.EvRetention:      {`{"kind":"","amount":5}`},
		cases.EvSolutionAccept: {`{"kind":"exchange"}`},
	}
	types := []cases.EventType{}
	for typ := range appendable {
		types = append(types, typ)
	}
	for typ, raws := range seeds {
		for _, raw := range raws {
			f.Add(string(typ), raw, true)
		}
	}
	f.Fuzz(func(t *testing.T, typ, raw string, supervisor bool) {
		check, ok := appendable[cases.EventType(typ)]
		if !ok {
			check = appendable[types[len(raw)%len(types)]]
		}
		actor := Actor{Name: "agent1", Role: store.RoleAgent}
		if supervisor {
			actor.Role = store.RoleSupervisor
		}
		payload, err := check(json.RawMessage(raw), actor)
		if err != nil {
			var verr cases.ValidationError
			if !errors.As(err, &verr) && !errors.Is(err, ErrForbidden) {
				t.Fatalf("%s %q: refused with %v, not a field error", typ, raw, err)
			}
			return
		}
		if _, err := json.Marshal(payload); err != nil {
			t.Fatalf("%s %q: accepted payload does not encode: %v", typ, raw, err)
		}
	})
}
