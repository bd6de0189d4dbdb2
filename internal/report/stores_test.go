package report_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/clock"
	"github.com/shouhou/shouhou/internal/config"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/money"
	"github.com/shouhou/shouhou/internal/report"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/store/sqlstore"
	"github.com/shouhou/shouhou/internal/store/storetest"
)

// TestRollupsAndAlertsAreKeptOnBothStores writes cases through the desk on SQLite and
// PostgreSQL (SHOUHOU_TEST_POSTGRES) and reads the report and the alert back.
func TestRollupsAndAlertsAreKeptOnBothStores(t *testing.T) {
	for name, open := range map[string]func(testing.TB) *sqlstore.Store{"sqlite": storetest.SQLite, "postgres": storetest.Postgres} {
		t.Run(name, func(t *testing.T) {
			st := open(t)
			ctx := context.Background()
			now := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
			d := desk.New(desk.Opts{Store: st, SLA: clock.DefaultSLA(), Quality: config.Default().Alerts, Now: func() time.Time { return now }})
			agent := desk.Actor{Name: "agent1", Role: store.RoleAgent}
			var last cases.Case
			for _, order := range []string{"PG10001", "PG10002", "PG10003"} {
				in := cases.Intake{CustomerName: "李先生", Platform: cases.PlatformJD, OrderNo: order, Amount: money.Yuan(99),
					Type: cases.TypeLeak, SKU: "POT", Batch: "B1", Description: "壶漏水", Demand: cases.DemandCompensation, Emotion: cases.EmotionCalm}
				c, _, err := d.Create(ctx, agent, desk.NewCase{Intake: in})
				if err != nil {
					t.Fatal(err)
				}
				last = c
			}
			if _, _, err := d.Remark(ctx, agent, last.ID, desk.AnyVersion, "漏水，补偿待定"); err != nil {
				t.Fatal(err)
			}
			rep, err := d.Report(ctx, desk.Actor{Name: "boss", Role: store.RoleSupervisor}, report.Filter{From: "2026-11-01", To: "2026-11-30"})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Cases != 3 || rep.Remarked != 1 || len(rep.TopDefects) != 1 || rep.TopDefects[0].Cases != 3 || len(rep.Output) != 1 {
				t.Fatalf("report: %+v", rep)
			}
			// A rebuild finds the rollups in line and changes nothing.
			if n, err := d.RebuildReports(ctx); err != nil || n != 3 {
				t.Fatalf("rebuild: %d %v", n, err)
			}
			again, err := d.Report(ctx, desk.Actor{Name: "boss", Role: store.RoleSupervisor}, report.Filter{From: "2026-11-01", To: "2026-11-30"})
			if err != nil || again.Cases != 3 || again.Remarked != 1 || again.TopDefects[0].Cases != 3 {
				t.Fatalf("after a rebuild: %+v %v", again, err)
			}
			// 100 concurrent writes adding to the same rollup rows lose nothing.
			var wg sync.WaitGroup
			errs := make(chan error, 100)
			for i := range 100 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					in := cases.Intake{CustomerName: "张先生", Platform: cases.PlatformJD, OrderNo: fmt.Sprintf("PGC%05d", i), Amount: money.Yuan(9),
						Type: cases.TypeLeak, SKU: "KETTLE", Batch: "K1", Description: "壶漏水", Demand: cases.DemandCompensation, Emotion: cases.EmotionCalm}
					if _, _, err := d.Create(ctx, agent, desk.NewCase{Intake: in}); err != nil {
						errs <- err
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			if rep, err := d.Report(ctx, desk.Actor{Name: "boss", Role: store.RoleSupervisor}, report.Filter{From: "2026-11-23", To: "2026-11-23"}); err != nil || rep.Cases != 103 {
				t.Fatalf("after 100 concurrent creates: %d cases %v", rep.Cases, err)
			}
			alerts, err := d.Alerts(ctx, desk.Actor{Name: "boss", Role: store.RoleSupervisor}, "")
			if err != nil || len(alerts) != 2 {
				t.Fatalf("alerts: %+v %v", alerts, err)
			}
			// The 100 concurrent cases of one SKU+batch make one alert listing all of them.
			for _, a := range alerts {
				if want := map[string]int{"POT / B1": 3, "KETTLE / K1": 100}[a.Key]; len(a.CaseIDs) != want {
					t.Fatalf("alert %s lists %d cases, want %d", a.Key, len(a.CaseIDs), want)
				}
			}
		})
	}
}
