package desk

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/clock"
	"github.com/shouhou/shouhou/internal/sop"
	"github.com/shouhou/shouhou/internal/store/sqlstore"
	"github.com/shouhou/shouhou/internal/store/storetest"
	"github.com/shouhou/shouhou/internal/timers"
)

// TestFiringWhileAgentsWriteNeitherFailsNorFiresTwice fires overdue timers with four
// workers while four agents answer the same cases (which deletes their first-response
// timers): no write and no firing transaction fails, and no timer fires twice. (The
// interleaving where a firing transaction holding a timer row would wait for a case a
// writer holds is prevented by LockCaseNoWait; this run exercises the paths but does
// not reliably provoke that interleaving.)
func TestFiringWhileAgentsWriteNeitherFailsNorFiresTwice(t *testing.T) {
	for name, open := range map[string]func(testing.TB) *sqlstore.Store{"sqlite": storetest.SQLite, "postgres": storetest.Postgres} {
		t.Run(name, func(t *testing.T) {
			st := open(t)
			rules, err := sop.Load(sop.Files{})
			if err != nil {
				t.Fatal(err)
			}
			src := clock.NewSource(func() time.Time { return t0 }, 0)
			cfg := timerConfig()
			cfg.Batch, cfg.Workers = 2, 4
			d := New(Opts{Store: st, SLA: clock.DefaultSLA(), Rules: rules.Engine, Limits: rules.Policy, Now: src.Now, Timing: cfg})
			ctx := context.Background()
			var ids []int64
			for i := range 120 {
				in := intake()
				in.OrderNo, in.Level, in.Emotion = fmt.Sprintf("RACE%04d", i), 1, cases.EmotionCalm
				c, _, err := d.Create(ctx, agent, NewCase{Intake: in})
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, c.ID)
			}
			src.Advance(90 * time.Minute) // first-response warnings due, breaches not yet
			sched := timers.NewScheduler(d, src, nil, cfg, nil)
			var wg sync.WaitGroup
			errs := make(chan error, 1000)
			for w := range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := w; i < len(ids); i += 4 {
						raw, _ := json.Marshal(cases.MessagePayload{Text: "亲,您好,马上为您处理"})
						if _, _, err := d.Append(ctx, agent, ids[i], AnyVersion, cases.EvMessageOut, raw); err != nil {
							errs <- fmt.Errorf("answer case %d: %w", ids[i], err)
						}
					}
				}()
			}
			for range 3 {
				if err := sched.Drain(ctx); err != nil {
					errs <- fmt.Errorf("drain: %w", err)
				}
			}
			wg.Wait()
			src.Advance(30 * time.Minute)
			if err := sched.Drain(ctx); err != nil {
				errs <- err
			}
			close(errs)
			for err := range errs {
				t.Error(err)
			}
			for _, id := range ids {
				log, _ := d.Events(ctx, id, 0, 0)
				seen := map[string]int{}
				for _, e := range log {
					if e.Type == cases.EvTimerFired {
						var p cases.TimerFiredPayload
						json.Unmarshal(e.Payload, &p)
						seen[p.Kind]++
					}
				}
				if seen[cases.TimerResponseWarn] > 1 || seen[cases.TimerResponse] != 0 {
					t.Fatalf("case %d fired %v (answered before the 2 h breach)", id, seen)
				}
			}
		})
	}
}
