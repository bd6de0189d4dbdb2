package desk

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/execution"
	"github.com/shouhou/shouhou/internal/money"
	"github.com/shouhou/shouhou/internal/platform"
	"github.com/shouhou/shouhou/internal/store"
)

func checkedRecord(t *testing.T, d *Desk, r platform.Record) platform.Checked {
	t.Helper()
	c, errs := d.CheckAfterSale(r, "intake")
	if errs != nil {
		t.Fatal(errs)
	}
	return c
}

func platformTimer(t *testing.T, td *timedDesk, id int64) (store.Timer, bool) {
	t.Helper()
	ts, err := td.Timers(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	for _, tm := range ts {
		if tm.Kind == cases.TimerPlatform {
			return tm, true
		}
	}
	return store.Timer{}, false
}

func TestThePlatformDeadlineIsADurableTimerThatMovesAndStopsWithTheStatus(t *testing.T) {
	start := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	td := newTimedDesk(t, filepath.Join(t.TempDir(), "db"), start)
	ctx := context.Background()
	actor := Actor{Name: "erp", Role: store.RoleAgent}
	applied := start.Add(-time.Hour)
	rec := platform.Record{Platform: cases.PlatformTaobao, AfterSaleID: "RF20261123", OrderNo: "3901827364519283746", Type: "REFUND",
		Status: "WAIT_SELLER_AGREE", RefundAmount: money.Yuan(129), AppliedAt: &applied, BuyerNick: "tb_小王"}
	res, err := td.UpsertAfterSale(ctx, actor, checkedRecord(t, td.Desk, rec))
	if err != nil || res.Outcome != OutcomeCreated {
		t.Fatalf("create: %v %v", res, err)
	}
	due := applied.Add(48 * time.Hour)
	if tm, ok := platformTimer(t, td, res.CaseID); !ok || !tm.DueAt.Equal(due) {
		t.Fatalf("platform timer %v %v; want due %v", tm, ok, due)
	}
	// The buyer owes the next step: no seller deadline runs.
	rec.Status = "WAIT_BUYER_RETURN_GOODS"
	if res, err := td.UpsertAfterSale(ctx, actor, checkedRecord(t, td.Desk, rec)); err != nil || res.Outcome != OutcomeUpdated {
		t.Fatalf("update: %v %v", res, err)
	}
	if tm, ok := platformTimer(t, td, res.CaseID); ok {
		t.Fatalf("a platform timer runs while the buyer returns the goods: %v", tm)
	}
	// The goods are back: the seller's deadline is the platform's own, and moves with it.
	rec.Status, rec.Deadline = "WAIT_SELLER_CONFIRM_GOODS", ptr(start.Add(3*time.Hour))
	td.UpsertAfterSale(ctx, actor, checkedRecord(t, td.Desk, rec))
	rec.Deadline = ptr(start.Add(5 * time.Hour))
	td.UpsertAfterSale(ctx, actor, checkedRecord(t, td.Desk, rec))
	if tm, ok := platformTimer(t, td, res.CaseID); !ok || !tm.DueAt.Equal(start.Add(5*time.Hour)) {
		t.Fatalf("moved platform timer %v %v", tm, ok)
	}
	f := td.expectAt(t, res.CaseID, cases.TimerPlatform, start.Add(5*time.Hour))
	if !strings.Contains(f.Next, "卖家需在11月23日 14:00前确认收货并退款") || f.Label != "平台处理时限到期" {
		t.Fatalf("fired %+v", f)
	}
	// Its notification goes to the supervisors as a breach (nobody holds the case).
	log0, _ := td.Events(ctx, res.CaseID, 0, 0)
	var note cases.NotificationPayload
	for _, e := range log0 {
		if e.Type == cases.EvNotified {
			note, _ = cases.PayloadAs[cases.NotificationPayload](e)
		}
	}
	if note.Kind != "breach" || !strings.Contains(note.Text, "平台处理时限到期") {
		t.Fatalf("notification %+v", note)
	}
	// An identical record changes nothing; the log holds one event per real change.
	if res, _ := td.UpsertAfterSale(ctx, actor, checkedRecord(t, td.Desk, rec)); res.Outcome != OutcomeUnchanged {
		t.Fatalf("same record: %v", res)
	}
	log, _ := td.Events(ctx, res.CaseID, 0, 0)
	var kinds []string
	for _, e := range log {
		if strings.HasPrefix(string(e.Type), "platform.") {
			kinds = append(kinds, string(e.Type))
		}
	}
	if strings.Join(kinds, " ") != "platform.status_changed platform.status_changed platform.status_changed platform.record_updated" {
		t.Fatalf("platform events %v", kinds)
	}
	// Refunded on the platform: the timer is gone.
	rec.Status, rec.Deadline = "SUCCESS", nil
	td.UpsertAfterSale(ctx, actor, checkedRecord(t, td.Desk, rec))
	if tm, ok := platformTimer(t, td, res.CaseID); ok {
		t.Fatalf("a timer after the refund: %v", tm)
	}
}

func ptr[T any](v T) *T { return &v }

func TestTheGuideFlagsWhereOurSolutionAndThePlatformDisagree(t *testing.T) {
	refundAsked := &cases.AfterSale{Type: "refund_only", TypeLabel: "仅退款", Status: platform.Requested, StatusLabel: "买家已经申请退款，等待卖家同意"}
	refunded := &cases.AfterSale{Type: "refund_only", TypeLabel: "仅退款", Status: platform.Refunded, StatusLabel: "退款成功"}
	exchangeAsked := &cases.AfterSale{Type: "exchange", TypeLabel: "换货", Status: platform.Requested, StatusLabel: "换货待处理"}
	tests := []struct {
		name     string
		accepted string
		done     execution.State
		platform *cases.AfterSale
		want     string
	}{
		{"we agreed to an exchange, the platform shows a refund request", cases.SolutionExchange, "", refundAsked, "我方已与顾客约定「换货」,平台上却是仅退款申请"},
		{"we refunded, the platform still shows the request", "refund_only", execution.StateRefunded, refundAsked, "我方已退款,平台仍显示「买家已经申请退款，等待卖家同意」"},
		{"the platform refunded, we compensated", cases.SolutionCompensation, "", refunded, "平台显示已退款,我方方案是「补偿」"},
		{"both say exchange", cases.SolutionExchange, "", exchangeAsked, ""},
		{"both say refund", "refund_only", "", refundAsked, ""},
		{"no solution yet", "", "", refundAsked, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := cases.Case{AfterSale: tt.platform}
			if tt.accepted != "" {
				c.Accepted = &cases.SolutionPayload{Kind: tt.accepted}
			}
			if tt.done != "" {
				c.Executions = []execution.Solution{{ID: 1, Kind: execution.Kind(tt.accepted), State: tt.done}}
			}
			got := strings.Join(platformMismatch(c), " ")
			if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
				t.Fatalf("flags %q; want %q", got, tt.want)
			}
		})
	}
}

func TestConcurrentUpsertsOfOneNewRecordOpenOneCase(t *testing.T) {
	start := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	td := newTimedDesk(t, filepath.Join(t.TempDir(), "db"), start)
	ctx := context.Background()
	rec := checkedRecord(t, td.Desk, platform.Record{Platform: cases.PlatformJD, AfterSaleID: "1893847561", OrderNo: "302918374651",
		Type: "退货", Status: "待审核", RefundAmount: money.Yuan(699), BuyerNick: "jd_王"})
	results := make(chan AfterSaleResult, 8)
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			r, err := td.UpsertAfterSale(ctx, Actor{Name: "erp", Role: store.RoleAgent}, rec)
			results <- r
			errs <- err
		}()
	}
	created, ids := 0, map[int64]bool{}
	for range 8 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
		r := <-results
		ids[r.CaseID] = true
		if r.Outcome == OutcomeCreated {
			created++
		}
	}
	if created != 1 || len(ids) != 1 {
		t.Fatalf("%d created, cases %v; want one case", created, ids)
	}
	page, err := td.List(ctx, store.CaseFilter{Limit: 10}, false)
	if err != nil || len(page.Cases) != 1 {
		t.Fatalf("%d cases, %v", len(page.Cases), err)
	}
}

func TestARecordOfAMergedCaseUpdatesTheCaseItWasMergedInto(t *testing.T) {
	start := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	td := newTimedDesk(t, filepath.Join(t.TempDir(), "db"), start)
	ctx := context.Background()
	actor := Actor{Name: "laowang", Role: store.RoleSupervisor}
	rec := platform.Record{Platform: cases.PlatformPinduoduo, AfterSaleID: "8812093847", OrderNo: "241129-583920174635281", Type: "仅退款",
		Status: "买家申请退款，待商家处理", RefundAmount: money.Yuan(39), BuyerNick: "拼友8823"}
	first, err := td.UpsertAfterSale(ctx, actor, checkedRecord(t, td.Desk, rec))
	if err != nil {
		t.Fatal(err)
	}
	other := rec
	other.AfterSaleID = "8812093848"
	second, _ := td.UpsertAfterSale(ctx, actor, checkedRecord(t, td.Desk, other))
	if _, err := td.Merge(ctx, actor, first.CaseID, second.CaseID); err != nil {
		t.Fatal(err)
	}
	rec.Status = "退款成功"
	res, err := td.UpsertAfterSale(ctx, actor, checkedRecord(t, td.Desk, rec))
	if err != nil || res.Outcome != OutcomeUpdated || res.CaseID != second.CaseID {
		t.Fatalf("update after the merge: %+v %v; want case %d", res, err, second.CaseID)
	}
	if res, _ := td.UpsertAfterSale(ctx, actor, checkedRecord(t, td.Desk, rec)); res.Outcome != OutcomeUnchanged || res.CaseID != second.CaseID {
		t.Fatalf("again: %+v", res)
	}
}

func TestThePlatformDeadlineIsWarnedOfAheadOfTime(t *testing.T) {
	start := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	td := newTimedDesk(t, filepath.Join(t.TempDir(), "db"), start)
	td.timing.PlatformWarn = 2 * time.Hour
	ctx := context.Background()
	deadline := start.Add(5 * time.Hour)
	res, err := td.UpsertAfterSale(ctx, Actor{Name: "erp", Role: store.RoleAdmin}, checkedRecord(t, td.Desk, platform.Record{Platform: cases.PlatformDouyin,
		AfterSaleID: "7311829300192837465", OrderNo: "4928371029384756612", Type: "0", Status: "6", Deadline: &deadline, BuyerNick: "抖音用户8273"}))
	if err != nil {
		t.Fatal(err)
	}
	w := td.expectAt(t, res.CaseID, cases.TimerPlatformWarn, start.Add(3*time.Hour))
	if w.Label != "平台处理时限将到" || !strings.Contains(w.Next, "卖家需在11月23日 14:00前处理售后申请") {
		t.Fatalf("warning %+v", w)
	}
	td.expectAt(t, res.CaseID, cases.TimerPlatform, deadline)
	if n := countKind(td.fired(t, res.CaseID), cases.TimerPlatformWarn); n != 1 {
		t.Fatalf("the warning fired %d times", n)
	}
}
