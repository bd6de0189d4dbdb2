package playbook

import (
	"reflect"
	"strings"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
)

// trail is what the engine reads out of a case's history: when each thing the SOP cares
// about happened.
type trail struct {
	created  time.Time
	events   []cases.Event
	facts    map[string]stamped
	evidence map[string]time.Time // first time each kind arrived
	remarks  []time.Time
	// messages decodes the outgoing messages, once for all of the engine's trails.
	messages *decodedMessages
}

type stamped struct {
	value string
	at    time.Time
}

// newTrail reads the events; with the projection it also trusts c's evidence, remarks
// and facts, which matters when the caller holds fewer events than the case has.
func (e *Engine) newTrail(c *cases.Case, events []cases.Event, withProjection bool) *trail {
	t := &trail{created: c.CreatedAt, events: events, facts: map[string]stamped{}, evidence: map[string]time.Time{}, messages: e.messages}
	for _, e := range events {
		t.read(e)
	}
	if withProjection {
		t.readProjection(c)
	}
	return t
}

func (t *trail) read(e cases.Event) {
	switch e.Type {
	case cases.EvFactRecorded:
		var p cases.FactPayload
		if decode(e, &p) {
			t.facts[p.Key] = stamped{p.Value, e.At}
		}
	case cases.EvEvidenceAdded:
		var p cases.Evidence
		if decode(e, &p) {
			t.addEvidence(p.Kind, e.At)
		}
	case cases.EvRemarkAdded:
		t.remarks = append(t.remarks, e.At)
	}
}

// add extends the trail by the event that follows its last one.
func (t *trail) add(e cases.Event) {
	t.events = append(t.events, e)
	t.read(e)
}

func (t *trail) readProjection(c *cases.Case) {
	for _, ev := range c.Evidence {
		t.addEvidence(ev.Kind, orCreated(ev.At, c))
	}
	for _, r := range c.Remarks {
		t.remarks = append(t.remarks, orCreated(r.At, c))
	}
	for k, v := range c.Facts {
		if _, ok := t.facts[k]; !ok {
			t.facts[k] = stamped{v, c.CreatedAt}
		}
	}
}

func orCreated(at time.Time, c *cases.Case) time.Time {
	if at.IsZero() {
		return c.CreatedAt
	}
	return at
}

func (t *trail) addEvidence(kind string, at time.Time) {
	if first, ok := t.evidence[kind]; !ok || at.Before(first) {
		t.evidence[kind] = at
	}
}

// decode reads an event's payload (cases.DecodePayload knows which type it is) into v.
func decode(e cases.Event, v any) bool {
	p, err := cases.DecodePayload(e)
	if err != nil {
		return false
	}
	rv := reflect.ValueOf(v).Elem()
	if pv := reflect.ValueOf(p); pv.Type() == rv.Type() {
		rv.Set(pv)
		return true
	}
	return false
}

// fact is the latest recorded value of key.
func (t *trail) fact(key string) (stamped, bool) {
	s, ok := t.facts[key]
	return s, ok
}

// firstEvent is the first event at or after since that matches.
func (t *trail) firstEvent(since time.Time, match func(cases.Event) bool) (time.Time, bool) {
	for _, e := range t.events {
		if !e.At.Before(since) && match(e) {
			return e.At, true
		}
	}
	return time.Time{}, false
}

func (t *trail) firstRemark(since time.Time) (time.Time, bool) {
	var best time.Time
	found := false
	for _, at := range t.remarks {
		if !at.Before(since) && (!found || at.Before(best)) {
			best, found = at, true
		}
	}
	return best, found
}

func (t *trail) has(match func(cases.Event) bool) bool {
	_, ok := t.firstEvent(time.Time{}, match)
	return ok
}

func ofType(typ cases.EventType) func(cases.Event) bool {
	return func(e cases.Event) bool { return e.Type == typ }
}

// Message intents the engine understands (cases.MessagePayload.Intent).
const (
	IntentSoothe   = "soothe"
	IntentTracking = "tracking"
)

// sentWith matches an outgoing message that does what intent says. A soothing script
// counts as soothing whatever intent the sender gave it.
func (t *trail) sentWith(intent string) func(cases.Event) bool {
	return func(e cases.Event) bool {
		if e.Type != cases.EvMessageOut {
			return false
		}
		p, ok := t.messages.get(e)
		if !ok {
			return false
		}
		return p.Intent == intent || (intent == IntentSoothe && strings.HasPrefix(p.ScriptID, "soothe-"))
	}
}

// solutionKind is the kind of a solution event, or "".
func solutionKind(e cases.Event) string {
	switch e.Type {
	case cases.EvSolutionOffer, cases.EvSolutionAccept, cases.EvSolutionRefuse, cases.EvRetention:
		var p cases.SolutionPayload
		if decode(e, &p) {
			return p.Kind
		}
	}
	return ""
}

// soothingSinceOffer counts soothing messages after the last offer of any solution.
func (t *trail) soothingSinceOffer() int {
	n := 0
	soothing := t.sentWith(IntentSoothe)
	for _, e := range t.events {
		switch {
		case e.Type == cases.EvSolutionOffer || e.Type == cases.EvSolutionAccept || e.Type == cases.EvRetention:
			n = 0
		case soothing(e):
			n++
		}
	}
	return n
}

// returnSequence reports, for SOP §4's two mandatory events, whether the customer asked
// to return, whether 劝留 followed the request, and whether 原因引导 followed 劝留.
func (t *trail) returnSequence() (asked, retained, guided bool) {
	for _, e := range t.events {
		switch {
		case e.Type == cases.EvReturnAsked:
			asked = true
		case e.Type == cases.EvRetention && asked:
			retained = true
		case e.Type == cases.EvReasonGuided && retained:
			guided = true
		}
	}
	return asked, retained, guided
}

// triedKinds are the solutions already offered or refused.
func (t *trail) tried(kind string) (offered, refused bool) {
	for _, e := range t.events {
		if solutionKind(e) != kind {
			continue
		}
		switch e.Type {
		case cases.EvSolutionOffer, cases.EvSolutionAccept:
			offered = true
		case cases.EvSolutionRefuse:
			refused = true
		}
	}
	return offered, refused
}

// stageSince is when the case entered its current stage.
func (t *trail) stageSince() time.Time {
	since := t.created
	for _, e := range t.events {
		if e.Type == cases.EvStageChanged {
			since = e.At
		}
	}
	return since
}

// lastAccepted is the kind of the solution the customer accepted last, or "".
func (t *trail) lastAccepted() string {
	kind := ""
	for _, e := range t.events {
		if e.Type == cases.EvSolutionAccept {
			kind = solutionKind(e)
		}
	}
	return kind
}
