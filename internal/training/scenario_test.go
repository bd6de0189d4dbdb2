package training

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/sop"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/validation"
)

func TestEveryProblemTypeOfSOP8HasAScenarioAndSeed004ScenesAreShipped(t *testing.T) {
	rules, err := sop.Load(sop.Files{})
	if err != nil {
		t.Fatal(err)
	}
	set, err := Load(rules.Flows, DefaultScenarios())
	if err != nil {
		t.Fatal(err)
	}
	have, scenes := map[cases.ProblemType]bool{}, 0
	for _, sc := range set.All() {
		have[sc.Type] = true
		if sc.Scene != "" {
			scenes++
		}
	}
	for _, code := range cases.ProblemTypes {
		if code.Code != string(cases.TypePresale) && !have[cases.ProblemType(code.Code)] {
			t.Errorf("no scenario for %s (%s)", code.Code, code.Label)
		}
	}
	if scenes < 4 {
		t.Errorf("%d seed 004 scenes shipped, want at least 4", scenes)
	}
}

func TestAShopScenarioIsValidatedWithFieldErrorsAndReplacesTheShippedOne(t *testing.T) {
	rules, _ := sop.Load(sop.Files{})
	bad := fstest.MapFS{"broken.yaml": {Data: []byte(`id: broken
title: 坏场景
type: quality.damaged
seed: 1
customer: {name: 甲, platform: tmall, order_no: "1", product: 杯子, price: "abc", description: 裂了, emotion: furious, wants: exchange}
opening: 裂了
accepts: [{kind: teleport}]
facts: [{key: outer_package, value: crushed, ask: [箱子], say: 压扁了}]
photos: [selfie]
model: {remark: 已处理}
`)}}
	_, err := Load(rules.Flows, DefaultScenarios(), bad)
	var verr validation.Error
	if !errors.As(err, &verr) {
		t.Fatalf("want field errors, got %v", err)
	}
	fields := map[string]bool{}
	for _, e := range verr {
		fields[e.Field] = true
	}
	for _, f := range []string{"customer.price", "customer.emotion", "accepts[0].kind", "facts[0].value", "photos[0]", "model.remark"} {
		if !fields[f] {
			t.Errorf("no error on %s: %v", f, err)
		}
	}
	if !strings.Contains(err.Error(), "broken.yaml") {
		t.Errorf("error does not name the file: %v", err)
	}
	unknown := fstest.MapFS{"x.yaml": {Data: []byte("id: x\ntitel: typo\n")}}
	if _, err := Load(rules.Flows, unknown); err == nil || !strings.Contains(err.Error(), "titel") {
		t.Errorf("a mistyped key must be an error, got %v", err)
	}
	raw, _ := fsRead(DefaultScenarios(), "quality-flaw.yaml")
	shop := fstest.MapFS{"quality-flaw.yaml": {Data: []byte(strings.Replace(string(raw), "连衣裙袖口线头和污渍", "店铺自己的瑕疵场景", 1))}}
	set, err := Load(rules.Flows, DefaultScenarios(), shop)
	if err != nil {
		t.Fatal(err)
	}
	if sc, _ := set.Get("quality-flaw"); sc.Title != "店铺自己的瑕疵场景" {
		t.Errorf("the shop's file did not replace the shipped scenario: %q", sc.Title)
	}
}

func TestRetentionAnswerIsFixedByTheSeed(t *testing.T) {
	sc := &Scenario{Seed: 42, Retention: Retention{Chance: 0.5}}
	kept := 0
	for n := 1; n <= 200; n++ {
		if sc.RetentionKept(n) != sc.RetentionKept(n) {
			t.Fatal("the same offer got two answers")
		}
		if sc.RetentionKept(n) {
			kept++
		}
	}
	if kept < 70 || kept > 130 {
		t.Errorf("chance 0.5 kept %d of 200", kept)
	}
	if (&Scenario{Seed: 1, Retention: Retention{Chance: 0}}).RetentionKept(1) || !(&Scenario{Seed: 1, Retention: Retention{Chance: 1}}).RetentionKept(1) {
		t.Error("chance 0 / 1 must never / always keep")
	}
}

func TestCustomerCalmsWhenSoothedAndAngersAtANegativeWord(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a, err := f.sp.Start(ctx, trainee, "logistics-chase", 0)
	if err != nil {
		t.Fatal(err)
	}
	d, sc, _ := f.sp.Desk(a)
	say := func(text string) string {
		t.Helper()
		if err := (&model{sp: f.sp, who: trainee, id: a.ID}).say(ctx, text, ""); err != nil {
			t.Fatal(err)
		}
		log, _ := d.Events(ctx, a.CaseID, 0, 0)
		last := log[len(log)-1]
		if last.Type != cases.EvMessageIn || last.Actor != CustomerActor {
			t.Fatalf("the customer did not answer: %s by %s", last.Type, last.Actor)
		}
		m, _ := cases.PayloadAs[cases.MessagePayload](last)
		return m.Text
	}
	log, _ := d.Events(ctx, a.CaseID, 0, 0)
	if sc.Mood(log, d) != 1 {
		t.Fatalf("an upset customer starts at mood 1")
	}
	say("非常抱歉，给您添麻烦了，理解您的心情。")
	log, _ = d.Events(ctx, a.CaseID, 0, 0)
	if got := sc.Mood(log, d); got != 0 {
		t.Errorf("after soothing the mood is %d, want 0", got)
	}
	if reply := say("这个不能改。"); !strings.Contains(reply, "态度") {
		t.Errorf("a negative word without explanation got %q", reply)
	}
	log, _ = d.Events(ctx, a.CaseID, 0, 0)
	if got := sc.Mood(log, d); got != 1 {
		t.Errorf("after a negative word the mood is %d, want 1", got)
	}
}

func TestSkipping48HoursMovesOnlyThisAttemptsClockAndBringsThePromisedPhotos(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a, err := f.sp.Start(ctx, trainee, "quality-damaged", 0)
	if err != nil {
		t.Fatal(err)
	}
	other, err := f.sp.Start(ctx, trainee, "quality-flaw", 0)
	if err != nil {
		t.Fatal(err)
	}
	m := &model{sp: f.sp, who: trainee, id: a.ID}
	if err := m.say(ctx, "麻烦您拍一下外箱六面照、面单和内件照片发给我。", "verify"); err != nil {
		t.Fatal(err)
	}
	d, _, _ := f.sp.Desk(a)
	c, _ := d.Get(ctx, a.CaseID)
	if len(c.Evidence) != 0 {
		t.Fatalf("photos before the customer is home: %d", len(c.Evidence))
	}
	before := time.Now()
	if _, err := f.sp.Skip(ctx, trainee, a.ID, 47*time.Hour); err != nil {
		t.Fatal(err)
	}
	if c, _ = d.Get(ctx, a.CaseID); len(c.Evidence) != 0 {
		t.Fatal("photos came before the 48 hours")
	}
	got, err := f.sp.Skip(ctx, trainee, a.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if got.Offset != 48*time.Hour {
		t.Errorf("attempt clock offset %s, want 48h", got.Offset)
	}
	d, _, _ = f.sp.Desk(got)
	if c, _ = d.Get(ctx, a.CaseID); len(c.Evidence) != 3 {
		t.Fatalf("after 48 hours %d photos, want 3", len(c.Evidence))
	}
	if now := d.Now(); now.Sub(before) < 48*time.Hour {
		t.Errorf("the attempt's clock reads %s, want 48h ahead", now)
	}
	if o, _ := f.sp.Attempt(ctx, trainee, other.ID); o.Offset != 0 {
		t.Errorf("another attempt's clock moved: %s", o.Offset)
	}
	if _, err := f.sp.Skip(ctx, desk2("xiaoli"), a.ID, time.Hour); !errors.Is(err, ErrNotYours) {
		t.Errorf("another trainee skipped this attempt's clock: %v", err)
	}
}

func TestRecordingAHiddenFactWithoutAskingTheCustomerLosesTheEvidenceLine(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a, err := f.sp.Start(ctx, trainee, "quality-flaw", 0)
	if err != nil {
		t.Fatal(err)
	}
	m := &model{sp: f.sp, who: trainee, id: a.ID}
	if err := m.do(ctx, cases.EvFactRecorded, cases.FactPayload{Key: "flaw", Value: "stain_thread"}); err != nil {
		t.Fatal(err)
	}
	card, err := f.sp.score(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	l, _ := card.Line(RuleEvidenceFirst)
	if !l.Applies || l.Points != 0 || !strings.Contains(l.Did, "没有问顾客") || l.Seq == 0 {
		t.Errorf("evidence line after an unasked fact: %+v", l)
	}
}

// Skipping past a practice case's deadlines fires its SLA timers on its own clock; the
// breach notifications stay in the training space, none reaches the team's 通知.
func TestSkippingPastTheDeadlineFiresThePracticeCasesTimersAndTellsNobodyOnTheTeam(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a, err := f.sp.Start(ctx, trainee, "logistics-chase", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.sp.Skip(ctx, trainee, a.ID, 80*time.Hour); err != nil {
		t.Fatal(err)
	}
	d, _, _ := f.sp.Desk(mustAttempt(t, f, a.ID))
	log, _ := d.Events(ctx, a.CaseID, 0, 0)
	fired := 0
	for _, e := range log {
		if e.Type == cases.EvTimerFired {
			fired++
		}
	}
	if fired == 0 {
		t.Fatal("no timer fired after skipping 80 hours past a level-3 case's deadlines")
	}
	if ns, _ := f.space.Notifications(ctx, trainee.Name, 0, 50); len(ns) == 0 {
		t.Fatal("the breach made no notification even in the training space: the check below proves nothing")
	}
	for _, who := range []string{trainee.Name, "laowang", "supervisors"} {
		if ns, err := f.records.Notifications(ctx, who, 0, 50); err != nil || len(ns) != 0 {
			t.Errorf("the team's 通知 of %s got %d practice notifications (%v)", who, len(ns), err)
		}
	}
}

func mustAttempt(t *testing.T, f fixture, id int64) store.TrainingAttempt {
	t.Helper()
	a, err := f.sp.Attempt(context.Background(), trainee, id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
