package playbook

import (
	"sync"

	"github.com/shouhou/shouhou/internal/cases"
)

// maxDecoded bounds the engine's decoded messages; when full it starts again.
const maxDecoded = 10_000

// decodedMessages keeps outgoing messages decoded, by case and seq, for every trail
// the engine builds: one write reviews the same log several times (its check, the
// guide, the timer plan), and each asked every message what it did. An entry is used
// only for the same payload, so a seq reused after a rolled-back write is decoded
// again.
type decodedMessages struct {
	mu sync.Mutex
	m  map[messageKey]sentMessage
}

type messageKey struct{ caseID, seq int64 }

type sentMessage struct {
	raw string
	p   cases.MessagePayload
}

func newDecodedMessages() *decodedMessages {
	return &decodedMessages{m: map[messageKey]sentMessage{}}
}

// get returns e's payload.
func (d *decodedMessages) get(e cases.Event) (cases.MessagePayload, bool) {
	k := messageKey{e.CaseID, e.Seq}
	d.mu.Lock()
	m, ok := d.m[k]
	d.mu.Unlock()
	if ok && m.raw == string(e.Payload) {
		return m.p, true
	}
	var p cases.MessagePayload
	if !decode(e, &p) {
		return p, false
	}
	d.mu.Lock()
	if len(d.m) >= maxDecoded {
		clear(d.m)
	}
	d.m[k] = sentMessage{string(e.Payload), p}
	d.mu.Unlock()
	return p, true
}
