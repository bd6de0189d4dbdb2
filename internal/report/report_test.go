package report

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/execution"
	"github.com/shouhou/shouhou/internal/money"
)

var sh = time.FixedZone("CST", 8*3600)

func at(day, hour, minute int) time.Time { return time.Date(2026, 11, day, hour, minute, 0, 0, sh) }
func ptr(t time.Time) *time.Time         { return &t }

// fixture is a fixed data set of five cases on 23–24 November 2026 (and one on the
// 30th, outside the range the test asks for), with what each did.
func fixture() []struct {
	c   cases.Case
	log []cases.Event
} {
	mk := func(id int64, day int, p cases.Platform, t cases.ProblemType, lvl cases.Level, agent, sku, batch string) cases.Case {
		c := cases.Case{ID: id, Intake: cases.Intake{Platform: p, Type: t, Level: lvl, SKU: sku, Batch: batch}, Status: cases.StatusOpen,
			Stage: cases.StageVerify, Assignee: agent, CreatedAt: at(day, 9, 0)}
		c.ResponseDueAt, c.ResolveDueAt = ptr(at(day, 13, 0)), ptr(at(day+2, 9, 0))
		return c
	}
	reason := func(r string) cases.Event {
		p, _ := json.Marshal(cases.ReasonPayload{Reason: r})
		return cases.Event{Type: cases.EvReasonGuided, Payload: p}
	}
	ask := cases.Event{Type: cases.EvReturnAsked, Payload: json.RawMessage(`{}`)}
	keep := cases.Event{Type: cases.EvRetention, Payload: json.RawMessage(`{"kind":"compensation"}`)}

	// 1: tmall damaged, answered in 30 min, compensation 10 yuan paid, closed after
	// 26 h (in time), visited: 5.
	c1 := mk(1, 23, cases.PlatformTmall, cases.TypeDamaged, 2, "xiaomei", "CUP", "B1")
	c1.FirstRespondedAt, c1.ClosedAt, c1.Status, c1.Stage = ptr(at(23, 9, 30)), ptr(at(24, 11, 0)), cases.StatusClosed, cases.StageClosed
	c1.Accepted = &cases.SolutionPayload{Kind: "compensation", Amount: money.Yuan(10)}
	c1.Executions = []execution.Solution{{Kind: execution.KindCompensation, State: execution.StatePaid, Amount: money.Yuan(10)}}
	c1.Remarks = []cases.Remark{{Text: "破损,补偿10元已发", Actor: "xiaomei", At: at(23, 10, 0)}}
	c1.FollowUp = &cases.FollowUp{CSAT: 5, Solved: true}
	// 2: tmall damaged same SKU+batch, answered in 90 min, return asked then kept with
	// a compensation of 20 (paid), closed after 60 h (late), visited: 2.
	c2 := mk(2, 23, cases.PlatformTmall, cases.TypeDamaged, 2, "xiaoli", "CUP", "B1")
	c2.FirstRespondedAt, c2.ClosedAt, c2.Status, c2.Stage = ptr(at(23, 10, 30)), ptr(at(25, 21, 0)), cases.StatusClosed, cases.StageClosed
	c2.Accepted = &cases.SolutionPayload{Kind: "compensation", Amount: money.Yuan(20)}
	c2.Executions = []execution.Solution{{Kind: execution.KindCompensation, State: execution.StatePaid, Amount: money.Yuan(20)}}
	c2.Remarks = []cases.Remark{{Text: "破损,补偿20元已发", Actor: "xiaoli", At: at(24, 8, 0)}}
	c2.FollowUp = &cases.FollowUp{CSAT: 2, Solved: true}
	// 3: jd personal dislike, answered after 5 h (late), return asked, 七天无理由,
	// return with refund of 99 yuan refunded; closed after 20 h.
	c3 := mk(3, 23, cases.PlatformJD, cases.ProblemType("personal.dislike"), 3, "xiaomei", "", "")
	c3.FirstRespondedAt, c3.ClosedAt, c3.Status, c3.Stage = ptr(at(23, 14, 0)), ptr(at(24, 5, 0)), cases.StatusClosed, cases.StageClosed
	c3.Accepted = &cases.SolutionPayload{Kind: "return_refund"}
	c3.Executions = []execution.Solution{{Kind: execution.KindReturnRefund, State: execution.StateRefunded, Amount: money.Yuan(99)}}
	c3.Remarks = []cases.Remark{{Text: "个人原因,退货退款已退", Actor: "xiaomei", At: at(23, 15, 0)}}
	// 4: taobao leak on 24th, open, not answered, no remark.
	c4 := mk(4, 24, cases.PlatformTaobao, cases.TypeLeak, 1, "xiaomei", "POT", "")
	// 5: tmall damaged CUP/B1 on 24th, answered in 10 min, open, refund only accepted (not yet refunded).
	c5 := mk(5, 24, cases.PlatformTmall, cases.TypeDamaged, 2, "xiaoli", "CUP", "B1")
	c5.FirstRespondedAt = ptr(at(24, 9, 10))
	c5.Accepted = &cases.SolutionPayload{Kind: "refund_only", Amount: money.Yuan(50)}
	c5.Executions = []execution.Solution{{Kind: execution.KindRefundOnly, State: execution.StatePendingApproval, Amount: money.Yuan(50)}}
	c5.Remarks = []cases.Remark{{Text: "破损,仅退款待审批", Actor: "xiaoli", At: at(24, 9, 20)}}
	// 6: outside the range.
	c6 := mk(6, 30, cases.PlatformTmall, cases.TypeDamaged, 2, "xiaoli", "CUP", "B1")
	return []struct {
		c   cases.Case
		log []cases.Event
	}{{c1, nil}, {c2, []cases.Event{ask, keep}}, {c3, []cases.Event{ask, reason("seven_days_no_reason")}}, {c4, nil}, {c5, nil}, {c6, nil}}
}

// rollups sums the contributions the way the desk's rollup keeps them.
func rollups(t *testing.T) []Row {
	t.Helper()
	sums := map[[3]string]Vector{}
	for _, f := range fixture() {
		for _, e := range Contribution(f.c, f.log, sh) {
			if len(e.Day) == 7 {
				continue // month rows: the desk reads them for whole months only
			}
			k := [3]string{e.Day, e.Dim, e.Key}
			if sums[k] == nil {
				sums[k] = Vector{}
			}
			sums[k].Add(e.V, 1)
		}
	}
	var rows []Row
	for k, v := range sums {
		rows = append(rows, Row{Day: k[0], Dim: k[1], Key: k[2], V: v})
	}
	return rows
}

func find(list []Count, key string) Count {
	for _, c := range list {
		if c.Key == key {
			return c
		}
	}
	return Count{}
}

func TestReportFiguresMatchTheHandComputedOnes(t *testing.T) {
	r := Sum(rollups(t), Filter{From: "2026-11-23", To: "2026-11-24"})
	check := func(name string, got, want any) {
		t.Helper()
		if gj, wj := jsonOf(got), jsonOf(want); gj != wj {
			t.Errorf("%s: %s, want %s", name, gj, wj)
		}
	}
	check("cases", r.Cases, 5)
	check("remarked", r.Remarked, 4)
	check("damaged", find(r.ByType, "quality.damaged"), Count{"quality.damaged", 3, 0.6})
	check("tmall", find(r.ByPlatform, "tmall"), Count{"tmall", 3, 0.6})
	check("level 2", find(r.ByLevel, "2"), Count{"2", 3, 0.6})
	check("closed", find(r.ByStatus, "closed"), Count{"closed", 3, 0.6})
	check("stage verify", find(r.ByStage, "verify"), Count{"verify", 2, 0.4})
	// First responses: 30, 90, 300, 10 min; 3 of 4 within 4 h. Nearest rank: median =
	// rank 2 of [10 30 90 300] = 30; p90 = rank 4 = 300.
	check("first response", r.FirstResponse, Times{N: 4, OK: 3, Median: 30, P90: 300})
	// Resolution: 26 h = 1560, 60 h = 3600, 20 h = 1200 min; 2 of 3 within 48 h; median
	// rank 2 of [1200 1560 3600] = 1560; p90 rank 3 = 3600.
	check("resolution", r.Resolution, Times{N: 3, OK: 2, Median: 1560, P90: 3600})
	check("compensation share", find(r.Solutions, "compensation"), Count{"compensation", 2, 0.5})
	check("refund only share", find(r.Solutions, "refund_only"), Count{"refund_only", 1, 0.25})
	check("compensation spent", r.Compensation, 3000)
	check("refunds spent", r.Refunds, 9900)
	check("spent by agent", r.SpentByAgent, []Money{{"xiaomei", 1000, 9900}, {"xiaoli", 2000, 0}})
	check("spent by SKU", r.SpentBySKU, []Money{{"CUP", 3000, 0}})
	check("spent by type", r.SpentByType, []Money{{"personal.dislike", 0, 9900}, {"quality.damaged", 3000, 0}})
	check("returns asked/kept", []int64{r.ReturnsAsked, r.ReturnsKept}, []int64{2, 1})
	check("retention rate", r.RetentionRate, 0.5)
	check("refund rate", r.RefundRate, 0.2)
	check("return rate", r.ReturnRate, 0.2)
	check("reasons", r.Reasons, []Count{{"seven_days_no_reason", 1, 1}})
	check("top defects", r.TopDefects, []Defect{{"CUP", "B1", 3}, {"POT", "", 1}})
	check("output", r.Output, []Output{{"xiaoli", "2026-11-24", 2}, {"xiaomei", "2026-11-23", 2}})
	check("csat", []any{r.CSATCount, r.CSATAverage, find(r.CSAT, "2").Count, find(r.CSAT, "5").Count}, []any{2, 3.5, 1, 1})

	f := Sum(rollups(t), Filter{From: "2026-11-23", To: "2026-11-24", Platform: "tmall", Agent: "xiaoli"})
	check("filtered cases", f.Cases, 2)
	check("filtered first response", f.FirstResponse, Times{N: 2, OK: 2, Median: 10, P90: 90})
	if all := Sum(rollups(t), Filter{}); all.Cases != 6 {
		t.Errorf("open range: %d cases", all.Cases)
	}
}

func TestAContributionChangeMovesTheCaseBetweenRows(t *testing.T) {
	c := fixture()[3].c // open leak
	before := Contribution(c, nil, sh)
	c.Status, c.Stage, c.ClosedAt = cases.StatusClosed, cases.StageClosed, ptr(at(24, 12, 0))
	after := Contribution(c, nil, sh)
	sums := map[string]Vector{}
	for sign, list := range map[int64][]Entry{1: before, -1: before} {
		for _, e := range list {
			if sums[e.Key] == nil {
				sums[e.Key] = Vector{}
			}
			sums[e.Key].Add(e.V, sign)
		}
	}
	for k, v := range sums {
		if len(v) != 0 {
			t.Fatalf("adding and subtracting a contribution left %s %v", k, v)
		}
	}
	if before[0].Key == after[0].Key || after[0].V[MResN] != 1 {
		t.Fatalf("closing did not move the case: %v → %v", before[0], after[0])
	}
	c.Status = cases.StatusMerged
	if Contribution(c, nil, sh) != nil {
		t.Fatal("a merged case contributes")
	}
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestTimesAreBucketedExactlyBelowAnHourAndCoarserAbove(t *testing.T) {
	for in, want := range map[time.Duration]int64{-time.Minute: 0, 59*time.Minute + 59*time.Second: 59, 63 * time.Minute: 60, 599 * time.Minute: 595,
		601 * time.Minute: 600, 47*time.Hour + 59*time.Minute: 2850, 50*time.Hour + 10*time.Minute: 3000} {
		if got := minutes(in); got != want {
			t.Errorf("%v: bucket %d, want %d", in, got, want)
		}
	}
}
