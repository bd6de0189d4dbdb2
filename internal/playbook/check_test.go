package playbook

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shouhou/shouhou/internal/cases"
)

func TestReturnMayOnlyBeOfferedAfterTheCustomerAskedAndRetentionThenReason(t *testing.T) {
	e := newEngine(t, DefaultConfig())
	offerReturn := func(s *story) cases.Event {
		return s.proposal(cases.EvSolutionOffer, cases.SolutionPayload{Kind: cases.SolutionReturnRefund})
	}
	acceptReturn := func(s *story) cases.Event {
		return s.proposal(cases.EvSolutionAccept, cases.SolutionPayload{Kind: cases.SolutionReturnRefund})
	}
	tests := []struct {
		name     string
		play     func(*story)
		proposed func(*story) cases.Event
		want     []string
	}{
		{"agent offers a return the customer never asked for", func(s *story) {}, offerReturn,
			[]string{RuleReturnCustomerOnly}},
		{"asked, no retention, no reason", func(s *story) { s.askReturn() }, offerReturn,
			[]string{RuleReturnRetentionFirst}},
		{"asked, retention only", func(s *story) { s.askReturn().retain() }, offerReturn,
			[]string{RuleReturnRetentionFirst}},
		{"asked, reason only", func(s *story) { s.askReturn().reason(ReasonSevenDays) }, offerReturn,
			[]string{RuleReturnRetentionFirst}},
		{"asked, reason before retention is the wrong order", func(s *story) {
			s.askReturn().reason(ReasonSevenDays).retain()
		}, offerReturn, []string{RuleReturnRetentionFirst}},
		{"retention before the request does not count", func(s *story) {
			s.retain().askReturn().reason(ReasonSevenDays)
		}, offerReturn, []string{RuleReturnRetentionFirst}},
		{"asked, retention, then reason allows the return", func(s *story) {
			s.askReturn().retain().reason(ReasonSevenDays)
		}, offerReturn, []string{}},
		{"accepting a return also needs retention then reason", func(s *story) { s.askReturn().retain() }, acceptReturn,
			[]string{RuleReturnRetentionFirst}},
		{"accepting a return in order is allowed", func(s *story) {
			s.askReturn().retain().reason(ReasonOther)
		}, acceptReturn, []string{}},
		{"refund only after a request also needs retention first", func(s *story) { s.askReturn() }, func(s *story) cases.Event {
			return s.proposal(cases.EvSolutionAccept, cases.SolutionPayload{Kind: cases.SolutionRefundOnly})
		}, []string{RuleReturnRetentionFirst}},
		{"reason guidance before retention is blocked", func(s *story) { s.askReturn() }, func(s *story) cases.Event {
			return s.proposal(cases.EvReasonGuided, cases.ReasonPayload{Reason: ReasonSevenDays})
		}, []string{RuleReasonAfterRetention}},
		{"reason guidance after retention is fine", func(s *story) { s.askReturn().retain() }, func(s *story) cases.Event {
			return s.proposal(cases.EvReasonGuided, cases.ReasonPayload{Reason: ReasonOther})
		}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStory(cases.TypeDislike)
			tt.play(s)
			vs := e.Check(&s.c, s.events, tt.proposed(s), s.now)
			if diff := cmp.Diff(tt.want, rules(vs)); diff != "" {
				t.Fatalf("rules (-want +got):\n%s", diff)
			}
			if len(tt.want) > 0 && !HasBlocking(vs) {
				t.Errorf("return rules must block, got %+v", vs)
			}
		})
	}
}

func TestCustomerOnlyMessageIsTheSOPWording(t *testing.T) {
	e := newEngine(t, DefaultConfig())
	s := newStory(cases.TypeDislike)
	vs := e.Check(&s.c, s.events, s.proposal(cases.EvSolutionOffer, cases.SolutionPayload{Kind: cases.SolutionReturnRefund}), s.now)
	if len(vs) != 1 || !strings.Contains(vs[0].Message, "退货只能由顾客主动提出") || vs[0].Severity != Blocking {
		t.Fatalf("got %+v", vs)
	}
}

func TestReasonGuidanceRules(t *testing.T) {
	e := newEngine(t, DefaultConfig())
	tests := []struct {
		reason   string
		rule     string
		severity Severity
		contains string
	}{
		{ReasonSevenDays, "", "", ""},
		{ReasonOther, "", "", ""},
		{ReasonLateShipment, RuleReasonLateShipment, Blocking, "平台会按订单金额向店铺扣款"},
		{ReasonQuality, RuleReasonQuality, Warning, "质量问题"},
		{"made_up", RuleReasonUnknown, Warning, "made_up"},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			s := newStory(cases.TypeDislike)
			s.askReturn().retain()
			vs := e.Check(&s.c, s.events, s.proposal(cases.EvReasonGuided, cases.ReasonPayload{Reason: tt.reason}), s.now)
			if tt.rule == "" {
				if len(vs) != 0 {
					t.Fatalf("want no violation, got %+v", vs)
				}
				return
			}
			if len(vs) != 1 || vs[0].Rule != tt.rule || vs[0].Severity != tt.severity || !strings.Contains(vs[0].Message, tt.contains) {
				t.Fatalf("got %+v, want %s %s containing %q", vs, tt.rule, tt.severity, tt.contains)
			}
		})
	}
}

func TestOffersFollowTheLadderAndTheFlow(t *testing.T) {
	e := newEngine(t, DefaultConfig())
	flawOffer := func(s *story) {
		s.evidence(cases.EvidenceContents).fact("flaw", "fading")
	}
	tests := []struct {
		name string
		play func(*story)
		kind string
		want []string
	}{
		{"the highest rung first is fine", flawOffer, cases.SolutionCompensation, []string{}},
		{"exchange before compensation skips a rung", flawOffer, cases.SolutionExchange, []string{RuleLadderSkipped}},
		{"exchange after compensation was refused is fine", func(s *story) {
			flawOffer(s)
			s.offer(cases.SolutionCompensation).refuse(cases.SolutionCompensation)
		}, cases.SolutionExchange, []string{}},
		{"a solution the step does not allow is a warning", flawOffer, cases.SolutionCourierClaim, []string{RuleSolutionNotInFlow}},
		{"a step without solutions does not judge offers", func(s *story) {}, cases.SolutionExchange, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStory(cases.TypeFlaw)
			tt.play(s)
			vs := e.Check(&s.c, s.events, s.proposal(cases.EvSolutionOffer, cases.SolutionPayload{Kind: tt.kind}), s.now)
			if diff := cmp.Diff(tt.want, rules(vs)); diff != "" {
				t.Fatalf("rules (-want +got):\n%s", diff)
			}
			if HasBlocking(vs) {
				t.Errorf("ladder and flow rules only warn, got %+v", vs)
			}
		})
	}
}

func TestLadderOrderIsConfigurable(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Ladder = []string{cases.SolutionExchange, cases.SolutionCompensation, cases.SolutionReship, cases.SolutionReturnRefund}
	e := newEngine(t, cfg)
	s := newStory(cases.TypeFlaw)
	s.evidence(cases.EvidenceContents).fact("flaw", "fading")
	g := e.Guide(&s.c, s.events, s.now)
	want := []string{"exchange", "compensation", "refurbish", "repair", "return_refund"}
	if diff := cmp.Diff(want, kinds(g.Solutions)); diff != "" {
		t.Fatalf("solutions (-want +got):\n%s", diff)
	}
}

func TestGuideMarksWhyAReturnIsNotYetAllowed(t *testing.T) {
	e := newEngine(t, DefaultConfig())
	tests := []struct {
		name    string
		play    func(*story)
		blocked string
	}{
		{"customer never asked", func(s *story) {}, "退货只能由顾客主动提出"},
		{"asked, no retention", func(s *story) { s.askReturn() }, "先劝留"},
		{"asked and retained", func(s *story) { s.askReturn().retain() }, "原因引导"},
		{"asked, retained, guided", func(s *story) { s.askReturn().retain().reason(ReasonOther) }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStory(cases.TypeQualitySize)
			s.evidence(cases.EvidenceContents).fact("size_gap", "beyond")
			tt.play(s)
			g := e.Guide(&s.c, s.events, s.now)
			o := g.Solutions[len(g.Solutions)-1] // the lowest rung either way
			if o.Kind != cases.SolutionReturnRefund || !strings.Contains(o.Blocked, tt.blocked) || (tt.blocked == "") != (o.Blocked == "") {
				t.Fatalf("return option = %+v, want blocked %q", o, tt.blocked)
			}
		})
	}
}

func TestClosingNeedsARemarkAndWarnsWithoutRegister(t *testing.T) {
	e := newEngine(t, DefaultConfig())
	tests := []struct {
		name string
		typ  cases.ProblemType
		play func(*story)
		want []string
	}{
		{"no remark blocks", cases.TypeDamaged, func(s *story) { s.register() }, []string{RuleRemarkBeforeClose}},
		{"no register warns", cases.TypeDamaged, func(s *story) { s.remark() }, []string{RuleRegisterBeforeClose}},
		{"remark and register close cleanly", cases.TypeDamaged, func(s *story) { s.remark().register() }, []string{}},
		{"a flow without register only needs the remark", cases.TypeAddress, func(s *story) { s.remark() }, []string{}},
		{"pre-sale needs no remark", cases.TypePresale, func(s *story) {}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStory(tt.typ)
			tt.play(s)
			vs := e.Check(&s.c, s.events, s.proposal(cases.EvClosed, cases.NotePayload{}), s.now)
			if diff := cmp.Diff(tt.want, rules(vs)); diff != "" {
				t.Fatalf("rules (-want +got):\n%s", diff)
			}
		})
	}
}

func TestProjectionRemarkCountsForClosing(t *testing.T) {
	e := newEngine(t, DefaultConfig())
	s := newStory(cases.TypeAddress)
	s.c.Remarks = []cases.Remark{{Text: "顾客改地址，已通知快递", At: s.now}}
	vs := e.Check(&s.c, s.events, s.proposal(cases.EvClosed, cases.NotePayload{}), s.now)
	if len(vs) != 0 {
		t.Fatalf("got %+v", vs)
	}
}

func TestGuideListsRulesAlreadyBrokenWithTheirEvent(t *testing.T) {
	e := newEngine(t, DefaultConfig())
	s := newStory(cases.TypeDislike)
	s.offer(cases.SolutionReturnRefund).askReturn().retain().reason(ReasonLateShipment)
	g := e.Guide(&s.c, s.events, s.now)
	want := []Violation{
		{Rule: RuleReturnCustomerOnly, Severity: Blocking, Seq: 1},
		{Rule: RuleReasonLateShipment, Severity: Blocking, Seq: 4},
	}
	got := make([]Violation, len(g.Violations))
	for i, v := range g.Violations {
		got[i] = Violation{Rule: v.Rule, Severity: v.Severity, Seq: v.Seq}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("violations (-want +got):\n%s", diff)
	}
}

// The rules broken so far judge each event by the events before it: the trail grown
// one event at a time finds what a trail built afresh for each event finds.
func TestHistoryJudgesEachEventByTheEventsBeforeIt(t *testing.T) {
	e := newEngine(t, DefaultConfig())
	stories := map[string]*story{
		"return offered first, then asked, retained, wrong reason": newStory(cases.TypeDislike).offer(cases.SolutionReturnRefund).askReturn().retain().reason(ReasonLateShipment),
		"soothing, evidence, ladder, close without remark":         newStory(cases.TypeDamaged).soothe().soothe().evidence("photo").offer(cases.SolutionCompensation).refuse(cases.SolutionCompensation).offer(cases.SolutionReship).accept(cases.SolutionReship).add(cases.EvClosed, cases.NotePayload{}),
		"reship offered before compensation":                       newStory(cases.TypeDamaged).evidence("photo").offer(cases.SolutionReship).offer(cases.SolutionExchange),
		"return done by the book, closed after a remark":           newStory(cases.TypeDislike).askReturn().retain().reason(ReasonSevenDays).offer(cases.SolutionReturnRefund).remark().register().add(cases.EvClosed, cases.NotePayload{}),
	}
	for name, s := range stories {
		t.Run(name, func(t *testing.T) {
			var want []Violation
			for i, ev := range s.events {
				for _, v := range e.rules(&s.c, e.newTrail(&s.c, s.events[:i], false), ev, ev.At) {
					v.Seq = ev.Seq
					want = append(want, v)
				}
			}
			if diff := cmp.Diff(want, e.history(&s.c, s.events)); diff != "" {
				t.Fatalf("history (-prefix trails +grown trail):\n%s", diff)
			}
		})
	}
}
