package report_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/execution"
	"github.com/shouhou/shouhou/internal/money"
	"github.com/shouhou/shouhou/internal/report"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/store/sqlstore"
	"github.com/shouhou/shouhou/internal/store/storetest"
)

// benchCases is how many cases the report benchmarks roll up (SHOUHOU_REPORT_CASES,
// default 100 000): a year of a shop with 8 agents, 4 platforms, 60 SKUs.
func benchCases() int {
	if n, err := strconv.Atoi(os.Getenv("SHOUHOU_REPORT_CASES")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

var benchEnd = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

// syntheticCase is case i of a year: spread over 365 days, mostly closed.
func syntheticCase(r *rand.Rand, i int) cases.Case {
	types := []cases.ProblemType{"quality.damaged", "quality.damaged", "quality.leak", "quality.malfunction", "quality.flaw", "personal.dislike", "personal.size",
		"fulfilment.missing", "fulfilment.wrong", "logistics.chase", "logistics.lost", "usage.howto"}
	platforms := []cases.Platform{cases.PlatformTaobao, cases.PlatformTmall, cases.PlatformJD, "pdd"}
	agents := []string{"a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8"}
	sols := []string{"compensation", "compensation", "reship", "exchange", "return_refund", "refund_only"}
	created := benchEnd.Add(-time.Duration(r.Int64N(int64(365 * 24 * time.Hour))))
	c := cases.Case{ID: int64(i + 1), Intake: cases.Intake{Platform: platforms[r.IntN(len(platforms))], Type: types[r.IntN(len(types))],
		Level: cases.Level(1 + r.IntN(3)), SKU: fmt.Sprintf("SKU-%02d", r.IntN(60)), Batch: fmt.Sprintf("B%d", r.IntN(4))},
		Assignee: agents[r.IntN(len(agents))], CreatedAt: created, Status: cases.StatusClosed, Stage: cases.StageClosed}
	due := created.Add(4 * time.Hour)
	c.ResponseDueAt, c.ResolveDueAt = &due, ptr(created.Add(48*time.Hour))
	c.FirstRespondedAt = ptr(created.Add(time.Duration(1+r.IntN(360)) * time.Minute))
	c.Remarks = []cases.Remark{{Actor: c.Assignee, At: *c.FirstRespondedAt, Text: "x"}}
	if created.After(benchEnd.Add(-72*time.Hour)) && r.IntN(2) == 0 {
		c.Status, c.Stage = cases.StatusOpen, cases.StageSolution
	} else {
		c.ClosedAt = ptr(created.Add(time.Duration(60+r.IntN(4000)) * time.Minute))
	}
	sol := sols[r.IntN(len(sols))]
	c.Accepted = &cases.SolutionPayload{Kind: sol, Amount: money.Yuan(int64(5 + r.IntN(50)))}
	if sol == "compensation" {
		c.Executions = []execution.Solution{{Kind: execution.KindCompensation, State: execution.StatePaid, Amount: c.Accepted.Amount}}
	}
	if r.IntN(3) == 0 {
		c.FollowUp = &cases.FollowUp{CSAT: 1 + r.IntN(5), Solved: true}
	}
	return c
}

func ptr(t time.Time) *time.Time { return &t }

// seedRollups writes the rollup rows n cases make (as the desk's rollup would), in
// batches of rows.
func seedRollups(b *testing.B, st *sqlstore.Store, n int) int {
	b.Helper()
	zone, _ := time.LoadLocation("Asia/Shanghai")
	r := rand.New(rand.NewPCG(1, 2))
	sums := map[[3]string]report.Vector{}
	for i := range n {
		for _, e := range report.Contribution(syntheticCase(r, i), nil, zone) {
			k := [3]string{e.Day, e.Dim, e.Key}
			if sums[k] == nil {
				sums[k] = report.Vector{}
			}
			sums[k].Add(e.V, 1)
		}
	}
	rows := make([]store.ReportRow, 0, len(sums))
	for k, v := range sums {
		rows = append(rows, store.ReportRow{Day: k[0], Dim: k[1], Key: k[2], Vec: v.Encode()})
	}
	for len(rows) > 0 {
		batch := rows[:min(len(rows), 5000)]
		rows = rows[len(batch):]
		if err := st.InTx(context.Background(), func(tx store.Tx) error {
			for _, row := range batch {
				if err := tx.PutReportRow(context.Background(), row); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
	return len(sums)
}

func benchReports(b *testing.B, st *sqlstore.Store) {
	n := benchCases()
	rows := seedRollups(b, st, n)
	d := desk.New(desk.Opts{Store: st, Now: func() time.Time { return benchEnd }})
	sup := desk.Actor{Name: "boss", Role: store.RoleSupervisor}
	for _, span := range []struct {
		name     string
		from, to string
	}{{"30days", "2026-11-01", "2026-11-30"}, {"365days", "2025-12-01", "2026-11-30"}} {
		b.Run(fmt.Sprintf("%s/cases=%d/rows=%d", span.name, n, rows), func(b *testing.B) {
			var got int64
			cpu0 := cpuTime()
			for b.Loop() {
				rep, err := d.Report(context.Background(), sup, report.Filter{From: span.from, To: span.to})
				if err != nil {
					b.Fatal(err)
				}
				got = rep.Cases
			}
			b.ReportMetric(float64(got), "cases_in_report")
			// CPU time per report: the wall clock of a shared 2-core machine moves with
			// the other processes' load, this does not.
			b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
		})
	}
}

// BenchmarkReportSQLite measures a report over the rollups of benchCases() cases.
func BenchmarkReportSQLite(b *testing.B) { benchReports(b, storetest.SQLite(b)) }

// BenchmarkReportPostgres is the same on PostgreSQL (SHOUHOU_TEST_POSTGRES).
func BenchmarkReportPostgres(b *testing.B) { benchReports(b, storetest.Postgres(b)) }

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
