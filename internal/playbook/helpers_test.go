package playbook

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/money"
)

// weekends is the simplest working-day calendar: Monday to Friday.
type weekends struct{}

func (weekends) AddWorkingDays(t time.Time, n int) time.Time {
	for n > 0 {
		t = t.AddDate(0, 0, 1)
		if wd := t.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return t
}

// monday09 is a Monday morning; stories start there.
func monday09() time.Time { return time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC) }

func newEngine(t *testing.T, cfg Config) *Engine {
	t.Helper()
	set, err := LoadDefault(nil)
	if err != nil {
		t.Fatalf("load default flows: %v", err)
	}
	e, err := New(set, cfg, weekends{})
	if err != nil {
		t.Fatalf("new engine: %v", err)
	}
	return e
}

// story builds a case and its events one minute apart.
type story struct {
	c      cases.Case
	events []cases.Event
	now    time.Time
}

func newStory(typ cases.ProblemType) *story {
	start := monday09()
	return &story{
		c: cases.Case{ID: 1, Intake: cases.Intake{Type: typ, Platform: cases.PlatformTaobao, Amount: money.Yuan(200),
			Emotion: cases.EmotionCalm}, Stage: cases.StageVerify, Status: cases.StatusOpen, CreatedAt: start},
		now: start,
	}
}

func (s *story) add(typ cases.EventType, payload any) *story {
	s.now = s.now.Add(time.Minute)
	raw, err := json.Marshal(payload)
	if err != nil {
		panic(err)
	}
	s.events = append(s.events, cases.Event{CaseID: s.c.ID, Seq: int64(len(s.events) + 1), Type: typ, At: s.now, Payload: raw})
	return s
}

func (s *story) wait(d time.Duration) *story { s.now = s.now.Add(d); return s }

func (s *story) fact(k, v string) *story {
	return s.add(cases.EvFactRecorded, cases.FactPayload{Key: k, Value: v})
}
func (s *story) evidence(kinds ...string) *story {
	for _, k := range kinds {
		s.add(cases.EvEvidenceAdded, cases.Evidence{Hash: k, Kind: k})
	}
	return s
}
func (s *story) say(intent string) *story {
	return s.add(cases.EvMessageOut, cases.MessagePayload{Text: "…", Intent: intent})
}
func (s *story) soothe() *story { return s.say(IntentSoothe) }
func (s *story) solution(typ cases.EventType, kind string) *story {
	return s.add(typ, cases.SolutionPayload{Kind: kind})
}
func (s *story) offer(kind string) *story  { return s.solution(cases.EvSolutionOffer, kind) }
func (s *story) accept(kind string) *story { return s.solution(cases.EvSolutionAccept, kind) }
func (s *story) refuse(kind string) *story { return s.solution(cases.EvSolutionRefuse, kind) }
func (s *story) askReturn() *story         { return s.add(cases.EvReturnAsked, cases.NotePayload{}) }
func (s *story) retain() *story            { return s.solution(cases.EvRetention, cases.SolutionRetention) }
func (s *story) reason(r string) *story {
	return s.add(cases.EvReasonGuided, cases.ReasonPayload{Reason: r})
}
func (s *story) remark() *story {
	return s.add(cases.EvRemarkAdded, cases.RemarkPayload{Text: "破损，换货待寄回"})
}
func (s *story) register() *story { return s.add(cases.EvRegistered, cases.NotePayload{}) }
func (s *story) stage(to cases.Stage) *story {
	s.add(cases.EvStageChanged, cases.StageChangedPayload{From: s.c.Stage, To: to})
	s.c.Stage = to
	return s
}

// proposal is an event that has not been appended yet.
func (s *story) proposal(typ cases.EventType, payload any) cases.Event {
	raw, _ := json.Marshal(payload)
	return cases.Event{CaseID: s.c.ID, Seq: int64(len(s.events) + 1), Type: typ, At: s.now.Add(time.Minute), Payload: raw}
}

func kinds(opts []Option) []string {
	out := []string{}
	for _, o := range opts {
		out = append(out, o.Kind)
	}
	return out
}

func rules(vs []Violation) []string {
	out := []string{}
	for _, v := range vs {
		out = append(out, v.Rule)
	}
	return out
}
