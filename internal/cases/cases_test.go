package cases

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/money"
)

var t0 = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

func validIntake() Intake {
	return Intake{
		CustomerName: "张女士", Platform: PlatformTaobao, OrderNo: "TB20261127001",
		Amount: money.Yuan(199), Type: TypeLeak, Description: "茶吧机用了三天底部漏水",
	}
}

func event(seq int64, typ EventType, payload any) Event {
	b, _ := json.Marshal(payload)
	return Event{CaseID: 7, Seq: seq, Type: typ, Actor: "agent1", At: t0.Add(time.Duration(seq) * time.Minute), Payload: b}
}

func TestNormalizeFillsDefaultsFromTheTaxonomy(t *testing.T) {
	in := validIntake()
	in.Normalize()
	if in.Demand != DemandNone || in.Emotion != EmotionCalm || in.Level != 2 {
		t.Fatalf("got demand %q emotion %q level %d; want none, calm, 2 for a leak", in.Demand, in.Emotion, in.Level)
	}
	flaw := Intake{Type: TypeFlaw}
	flaw.Normalize()
	if flaw.Level != 3 {
		t.Errorf("a cosmetic flaw defaults to level %d, want 3", flaw.Level)
	}
}

func TestValidateNamesEveryBadFieldInChinese(t *testing.T) {
	future := t0.Add(2 * time.Hour)
	tests := []struct {
		name   string
		mutate func(*Intake)
		field  string
		want   string // the message, when the test pins it
	}{
		{"missing order number says it is missing", func(in *Intake) { in.OrderNo = "" }, "order_no", "请填写订单号"},
		{"missing platform says to choose one", func(in *Intake) { in.Platform = "" }, "platform", "请选择平台"},
		{"missing customer", func(in *Intake) { in.CustomerName = "" }, "customer_name", ""},
		{"unknown platform", func(in *Intake) { in.Platform = "ebay" }, "platform", ""},
		{"order number with spaces", func(in *Intake) { in.OrderNo = "TB 123" }, "order_no", ""},
		{"negative amount", func(in *Intake) { in.Amount = -1 }, "amount", ""},
		{"signed in the future", func(in *Intake) { in.SignedAt = &future }, "signed_at", ""},
		{"unknown type", func(in *Intake) { in.Type = "quality.smell" }, "type", ""},
		{"presale is no after-sales case", func(in *Intake) { in.Type = TypePresale }, "type", ""},
		{"empty description", func(in *Intake) { in.Description = " " }, "description", ""},
		{"level 4", func(in *Intake) { in.Level = 4 }, "level", ""},
		{"bad phone", func(in *Intake) { in.CustomerPhone = "call me" }, "customer_phone", ""},
		{"bad tracking", func(in *Intake) { in.TrackingNo = "SF 12" }, "tracking_no", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validIntake()
			tt.mutate(&in)
			in.Normalize()
			var verr ValidationError
			if err := in.Validate(t0); !errors.As(err, &verr) || !verr.Has(tt.field) {
				t.Fatalf("Validate() = %v; want an error on %s", err, tt.field)
			}
			for _, f := range verr {
				if f.Message == "" {
					t.Errorf("field %s has no message", f.Field)
				}
				if f.Field == tt.field && tt.want != "" && f.Message != tt.want {
					t.Errorf("%s: message %q, want %q", f.Field, f.Message, tt.want)
				}
			}
		})
	}
	ok := validIntake()
	ok.Normalize()
	if err := ok.Validate(t0); err != nil {
		t.Fatalf("valid intake rejected: %v", err)
	}
}

func TestSeedRemarksFollowTheProblemPlusProgressFormat(t *testing.T) {
	f, err := os.Open("testdata/seed_remarks.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		if err := ValidateRemark(sc.Text()); err != nil {
			t.Errorf("seed remark %q rejected: %v", sc.Text(), err)
		}
	}
	if n != 10 {
		t.Fatalf("read %d seed remarks, want the ten of seed 000", n)
	}
}

func TestRemarkWithoutProgressIsRefused(t *testing.T) {
	for _, bad := range []string{"", "   ", "破损", "破损，", "，换货待寄回"} {
		if err := ValidateRemark(bad); err == nil {
			t.Errorf("ValidateRemark(%q) accepted a remark without both parts", bad)
		}
	}
}

func TestReplayFoldsTheLogIntoState(t *testing.T) {
	in := validIntake()
	in.Normalize()
	in.Emotion = EmotionAngry
	due := t0.Add(48 * time.Hour)
	log := []Event{
		event(1, EvCreated, CreatedPayload{Intake: in}),
		event(2, EvSLASet, SLASetPayload{Level: 2, ResponseDueAt: t0.Add(4 * time.Hour), ResolveDueAt: due}),
		event(3, EvMessageOut, MessagePayload{Text: "亲,非常理解您的心情", Intent: "soothe"}),
		event(4, EvStageChanged, StageChangedPayload{From: StageSoothe, To: StageVerify}),
		event(5, EvEvidenceAdded, Evidence{Hash: "abc", Kind: "video", Mime: "video/mp4", Size: 10}),
		event(6, EvFactRecorded, FactPayload{Key: "installed_correctly", Value: "yes"}),
		event(7, EvRemarkAdded, RemarkPayload{Text: "反馈漏水，待顾客发视频"}),
		event(8, EvClosed, NotePayload{}),
		event(9, EvReopened, NotePayload{Text: "顾客又来了"}),
		event(10, EvAssigned, AssignedPayload{To: "agent2"}),
	}
	c, err := Replay(log)
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case c.ID != 7 || c.Version != 10:
		t.Errorf("id %d version %d", c.ID, c.Version)
	case c.Status != StatusOpen || c.ClosedAt != nil || c.Stage != StageSolution:
		t.Errorf("after reopen: status %s stage %s", c.Status, c.Stage)
	case c.FirstRespondedAt == nil || !c.FirstRespondedAt.Equal(log[2].At):
		t.Errorf("first response %v", c.FirstRespondedAt)
	case len(c.Evidence) != 1 || c.Evidence[0].Actor != "agent1":
		t.Errorf("evidence %+v", c.Evidence)
	case c.Facts["installed_correctly"] != "yes" || c.LastRemark() != "反馈漏水，待顾客发视频" || !c.Remarked():
		t.Errorf("facts %v remarks %v", c.Facts, c.Remarks)
	case c.Assignee != "agent2" || c.ResolveDueAt == nil || !c.ResolveDueAt.Equal(due):
		t.Errorf("assignee %q due %v", c.Assignee, c.ResolveDueAt)
	case !c.UpdatedAt.Equal(log[9].At):
		t.Errorf("updated %v", c.UpdatedAt)
	}
	if c.Overdue(due.Add(-time.Second)) || !c.Overdue(due.Add(time.Second)) {
		t.Errorf("overdue must turn true just after the resolve deadline")
	}
}

func TestApplyRefusesAGapInTheLog(t *testing.T) {
	in := validIntake()
	c, err := Apply(Case{}, event(1, EvCreated, CreatedPayload{Intake: in}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Apply(c, event(3, EvNote, NotePayload{Text: "x"})); err == nil {
		t.Fatal("an event skipping a version was applied")
	}
	if _, err := Apply(c, event(2, EvCreated, CreatedPayload{Intake: in})); err == nil {
		t.Fatal("a second case.created was applied")
	}
}

func TestApplyDoesNotShareSlicesBetweenVersions(t *testing.T) {
	in := validIntake()
	c1, _ := Apply(Case{}, event(1, EvCreated, CreatedPayload{Intake: in}))
	c2, _ := Apply(c1, event(2, EvRemarkAdded, RemarkPayload{Text: "a，b"}))
	c3a, _ := Apply(c2, event(3, EvRemarkAdded, RemarkPayload{Text: "c，d"}))
	c3b, _ := Apply(c2, event(3, EvRemarkAdded, RemarkPayload{Text: "e，f"}))
	if c3a.LastRemark() != "c，d" || c3b.LastRemark() != "e，f" || len(c2.Remarks) != 1 {
		t.Fatalf("versions share remark storage: %v %v %v", c2.Remarks, c3a.Remarks, c3b.Remarks)
	}
}

func TestInitialStageSoothesAnUpsetCustomer(t *testing.T) {
	for emo, want := range map[Emotion]Stage{EmotionAngry: StageSoothe, EmotionUpset: StageSoothe, EmotionCalm: StageVerify} {
		in := validIntake()
		in.Emotion = emo
		c, _ := Apply(Case{}, event(1, EvCreated, CreatedPayload{Intake: in}))
		if c.Stage != want {
			t.Errorf("%s customer starts in %s, want %s", emo, c.Stage, want)
		}
	}
}

func TestVocabulariesHaveUniqueCodesAndLabels(t *testing.T) {
	for name, list := range map[string][]Code{"types": ProblemTypes, "demands": Demands, "emotions": Emotions,
		"platforms": Platforms, "solutions": Solutions, "evidence": EvidenceKinds} {
		seen := map[string]bool{}
		for _, c := range list {
			if c.Code == "" || c.Label == "" || seen[c.Code] {
				t.Errorf("%s: bad or repeated code %+v", name, c)
			}
			seen[c.Code] = true
			if got, ok := LabelOf(list, c.Code); !ok || got != c.Label {
				t.Errorf("%s: LabelOf(%q) = %q, %v", name, c.Code, got, ok)
			}
		}
	}
	if _, ok := SolutionLabel("next_discount"); ok {
		t.Error("a solution kind outside the vocabulary is known")
	}
}
