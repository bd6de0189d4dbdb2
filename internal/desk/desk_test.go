package desk

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/clock"
	"github.com/shouhou/shouhou/internal/money"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/store/sqlstore"
)

var (
	t0         = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	agent      = Actor{Name: "xiaomei", Role: store.RoleAgent}
	supervisor = Actor{Name: "laowang", Role: store.RoleSupervisor}
)

func newDesk(t *testing.T) *Desk {
	t.Helper()
	s, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "db"), sqlstore.SQLiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return New(Opts{Store: s, SLA: clock.DefaultSLA(), Now: func() time.Time { return t0 }})
}

func intake() cases.Intake {
	return cases.Intake{CustomerName: "王阿姨", Platform: cases.PlatformPinduoduo, OrderNo: "PDD240001",
		Amount: money.Yuan(89), Type: cases.TypeDamaged, Description: "水杯收到就碎了", Emotion: cases.EmotionAngry}
}

func create(t *testing.T, d *Desk, in cases.Intake) cases.Case {
	t.Helper()
	c, created, err := d.Create(context.Background(), agent, NewCase{Intake: in, FirstMessage: "杯子碎了！"})
	if err != nil || !created {
		t.Fatalf("create: %v %v", created, err)
	}
	return c
}

func TestCreateOpensWithSLAAssignmentAndFirstMessage(t *testing.T) {
	d := newDesk(t)
	c := create(t, d, intake())
	if c.ID == 0 || c.Version != 4 || c.Assignee != "xiaomei" || c.Stage != cases.StageSoothe {
		t.Fatalf("opened %+v", c)
	}
	if !c.ResolveDueAt.Equal(t0.Add(48*time.Hour)) || !c.ResponseDueAt.Equal(t0.Add(4*time.Hour)) {
		t.Fatalf("level 2 deadlines: %v %v", c.ResponseDueAt, c.ResolveDueAt)
	}
	log, _ := d.Events(context.Background(), c.ID, 0, 0)
	want := []cases.EventType{cases.EvCreated, cases.EvSLASet, cases.EvAssigned, cases.EvMessageIn}
	for i, e := range log {
		if e.Type != want[i] || e.Actor != "xiaomei" || !e.At.Equal(t0) {
			t.Errorf("event %d: %s by %s at %v", i, e.Type, e.Actor, e.At)
		}
	}
}

func TestInvalidIntakeChangesNothing(t *testing.T) {
	d := newDesk(t)
	in := intake()
	in.OrderNo = ""
	_, _, err := d.Create(context.Background(), agent, NewCase{Intake: in})
	var verr cases.ValidationError
	if !errors.As(err, &verr) || verr[0].Field != "order_no" {
		t.Fatalf("create without order: %v", err)
	}
	page, _ := d.List(context.Background(), store.CaseFilter{}, false)
	if len(page.Cases) != 0 {
		t.Fatalf("a refused create left %d cases", len(page.Cases))
	}
}

func TestIdempotencyKeyNeverMakesTwoCases(t *testing.T) {
	d := newDesk(t)
	n := NewCase{Intake: intake(), IdempotencyKey: "webhook-42"}
	var wg sync.WaitGroup
	ids := make(chan int64, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, _, err := d.Create(context.Background(), agent, n)
			if err != nil {
				t.Error(err)
			}
			ids <- c.ID
		}()
	}
	wg.Wait()
	close(ids)
	first := int64(0)
	for id := range ids {
		if first == 0 {
			first = id
		}
		if id != first {
			t.Fatalf("retries made cases %d and %d", first, id)
		}
	}
	page, _ := d.List(context.Background(), store.CaseFilter{}, false)
	if len(page.Cases) != 1 {
		t.Fatalf("%d cases for one idempotency key", len(page.Cases))
	}
}

func TestCloseRefusesACaseWithoutRemark(t *testing.T) {
	ctx := context.Background()
	d := newDesk(t)
	c := create(t, d, intake())
	_, _, err := d.Close(ctx, agent, c.ID, c.Version, "")
	var rule *RuleError
	if !errors.As(err, &rule) || rule.Code != "remark_required" {
		t.Fatalf("close without remark: %v", err)
	}
	c, _, err = d.Remark(ctx, agent, c.ID, c.Version, "破损，补偿10元已发")
	if err != nil {
		t.Fatal(err)
	}
	if c, _, err = d.Close(ctx, agent, c.ID, c.Version, "顾客满意"); err != nil || c.Status != cases.StatusClosed {
		t.Fatalf("close after remark: %v %v", c.Status, err)
	}
	if _, _, err := d.Append(ctx, agent, c.ID, AnyVersion, cases.EvSolutionOffer, json.RawMessage(`{"kind":"compensation","amount":5}`)); !errors.As(err, &rule) {
		t.Fatalf("solution on a closed case: %v", err)
	}
	if c, _, err = d.Reopen(ctx, agent, c.ID, c.Version, "顾客反馈又坏了"); err != nil || c.Status != cases.StatusOpen {
		t.Fatalf("reopen: %v", err)
	}
}

func TestStaleVersionIsAConflict(t *testing.T) {
	ctx := context.Background()
	d := newDesk(t)
	c := create(t, d, intake())
	if _, err := d.Update(ctx, agent, c.ID, c.Version, json.RawMessage(`{"level":1}`)); err != nil {
		t.Fatal(err)
	}
	_, err := d.Update(ctx, agent, c.ID, c.Version, json.RawMessage(`{"courier":"顺丰"}`))
	var conflict *store.ConflictError
	if !errors.As(err, &conflict) || conflict.Current != c.Version+2 {
		t.Fatalf("stale update: %v", err)
	}
}

func TestAnEditWithoutAVersionIsRefusedByTheDesk(t *testing.T) {
	ctx := context.Background()
	d := newDesk(t)
	c := create(t, d, intake())
	_, err := d.Update(ctx, agent, c.ID, AnyVersion, json.RawMessage(`{"courier":"顺丰"}`))
	var verr cases.ValidationError
	if !errors.As(err, &verr) || verr[0].Field != "version" {
		t.Fatalf("edit without a version: %v", err)
	}
	if got, _ := d.Get(ctx, c.ID); got.Version != c.Version {
		t.Fatalf("the refused edit changed the case: version %d → %d", c.Version, got.Version)
	}
}

func TestUpdateRecordsOldAndNewAndRestartsTheClockOnLevelChange(t *testing.T) {
	ctx := context.Background()
	d := newDesk(t)
	c := create(t, d, intake())
	c, err := d.Update(ctx, agent, c.ID, c.Version, json.RawMessage(`{"level":1,"description":"水杯碎了,划伤了手"}`))
	if err != nil {
		t.Fatal(err)
	}
	if c.Level != 1 || !c.ResolveDueAt.Equal(t0.Add(24*time.Hour)) {
		t.Fatalf("level 1 must resolve within 24 h: %v", c.ResolveDueAt)
	}
	log, _ := d.Events(ctx, c.ID, 4, 0)
	var p cases.FieldsChangedPayload
	json.Unmarshal(log[0].Payload, &p)
	if len(p.Changes) != 2 || p.Changes["level"].Old != float64(2) || p.Changes["level"].New != float64(1) {
		t.Fatalf("changes %+v", p.Changes)
	}
	if _, err := d.Update(ctx, agent, c.ID, c.Version, json.RawMessage(`{"level":7}`)); err == nil {
		t.Fatal("level 7 accepted")
	}
	if _, err := d.Update(ctx, agent, c.ID, c.Version, json.RawMessage(`{"colour":"red"}`)); err == nil {
		t.Fatal("unknown field accepted")
	}
}

func TestAppendChecksPayloadAndRole(t *testing.T) {
	ctx := context.Background()
	d := newDesk(t)
	c := create(t, d, intake())
	tests := []struct {
		name  string
		actor Actor
		typ   cases.EventType
		body  string
		ok    bool
	}{
		{"agent sends a message", agent, cases.EvMessageOut, `{"text":"亲,非常抱歉","intent":"soothe"}`, true},
		{"empty message", agent, cases.EvMessageOut, `{"text":" "}`, false},
		{"unfilled placeholder", agent, cases.EvMessageOut, `{"text":"我们补偿您{金额}元可以吗"}`, false},
		{"braces that are no placeholder", agent, cases.EvMessageOut, `{"text":"表情{笑脸}"}`, true},
		{"unknown payload field", agent, cases.EvMessageOut, `{"text":"x","foo":1}`, false},
		{"fact with bad key", agent, cases.EvFactRecorded, `{"key":"Outer Package","value":"severe"}`, false},
		{"fact", agent, cases.EvFactRecorded, `{"key":"outer_package","value":"severe"}`, true},
		{"unknown solution", agent, cases.EvSolutionOffer, `{"kind":"free_iphone"}`, false},
		{"negative compensation", agent, cases.EvSolutionOffer, `{"kind":"compensation","amount":-5}`, false},
		{"agent approves", agent, cases.EvApprovalGiven, `{"kind":"compensation","amount":60}`, false},
		{"supervisor approves", supervisor, cases.EvApprovalGiven, `{"kind":"compensation","amount":60}`, true},
		{"close through append", agent, cases.EvClosed, `{}`, false},
		{"stage to closed", agent, cases.EvStageChanged, `{"to":"closed"}`, false},
		{"stage to verify", agent, cases.EvStageChanged, `{"to":"verify"}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := d.Get(ctx, c.ID)
			after, _, err := d.Append(ctx, tt.actor, c.ID, AnyVersion, tt.typ, json.RawMessage(tt.body))
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok=%v", err, tt.ok)
			}
			if !tt.ok {
				if now, _ := d.Get(ctx, c.ID); now.Version != before.Version {
					t.Fatal("a refused event changed the case")
				}
			} else if after.Version != before.Version+1 {
				t.Fatalf("version %d -> %d", before.Version, after.Version)
			}
		})
	}
	got, _ := d.Get(ctx, c.ID)
	if got.Stage != cases.StageVerify || got.Facts["outer_package"] != "severe" || got.FirstRespondedAt == nil {
		t.Fatalf("state after appends: %+v", got)
	}
}

func TestMergeKeepsHistoryAndPointsToTheSurvivor(t *testing.T) {
	ctx := context.Background()
	d := newDesk(t)
	a := create(t, d, intake())
	b := create(t, d, intake())
	related, _ := d.Related(ctx, a)
	if len(related) != 1 || related[0] != b.ID {
		t.Fatalf("cases on the same order are not linked: %v", related)
	}
	survivor, err := d.Merge(ctx, agent, b.ID, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	merged, _ := d.Get(ctx, b.ID)
	if merged.Status != cases.StatusMerged || merged.MergedInto != a.ID || survivor.MergedFrom[0] != b.ID {
		t.Fatalf("merge: %+v / %+v", merged, survivor)
	}
	if log, _ := d.Events(ctx, b.ID, 0, 0); len(log) != 5 {
		t.Fatalf("merged case lost its history: %d events", len(log))
	}
	_, _, err = d.Remark(ctx, agent, b.ID, AnyVersion, "破损，已合并")
	var rule *RuleError
	if !errors.As(err, &rule) || rule.Code != "case_merged" {
		t.Fatalf("write on a merged case: %v", err)
	}
	if _, err := d.Merge(ctx, agent, a.ID, a.ID); err == nil {
		t.Fatal("merged a case into itself")
	}
}

func TestSplitOpensALinkedCase(t *testing.T) {
	ctx := context.Background()
	d := newDesk(t)
	src := create(t, d, intake())
	in := intake()
	in.Type, in.Description = cases.TypeMissing, "同一订单还少了一个杯盖"
	part, err := d.Split(ctx, agent, src.ID, NewCase{Intake: in})
	if err != nil {
		t.Fatal(err)
	}
	src, _ = d.Get(ctx, src.ID)
	if part.SplitFrom != src.ID || len(src.SplitTo) != 1 || src.SplitTo[0] != part.ID || part.Type != cases.TypeMissing {
		t.Fatalf("split: %+v / %+v", part, src)
	}
}
