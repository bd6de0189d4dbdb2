package desk

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/clock"
	"github.com/shouhou/shouhou/internal/money"
	"github.com/shouhou/shouhou/internal/sop"
	"github.com/shouhou/shouhou/internal/store/sqlstore"
	"github.com/shouhou/shouhou/internal/store/storetest"
	"github.com/shouhou/shouhou/internal/timers"
)

// BenchmarkTimersDueInTheSameMinute schedules SHOUHOU_BENCH_TIMERS timers (default
// 100,000) due in the same minute — cases opened together whose first-response and
// resolution deadlines coincide — then moves the clock past them and measures how long
// the scheduler takes to fire them all (docs/PERFORMANCE.md). Run with -benchtime=1x.
func BenchmarkTimersDueInTheSameMinute(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchFire(b, storetest.SQLite(b)) })
	b.Run("postgres", func(b *testing.B) { benchFire(b, storetest.Postgres(b)) })
}

func benchFire(b *testing.B, st *sqlstore.Store) {
	total := 100_000
	if v, err := strconv.Atoi(os.Getenv("SHOUHOU_BENCH_TIMERS")); err == nil && v > 0 {
		total = v
	}
	rules, err := sop.Load(sop.Files{})
	if err != nil {
		b.Fatal(err)
	}
	// Both clocks of a level-1 case run out 24 h after it opened: two timers per case.
	sla := clock.SLA{Levels: map[cases.Level]clock.LevelSLA{1: {FirstResponseHours: 24, ResolveHours: 24},
		2: {FirstResponseHours: 24, ResolveHours: 48}, 3: {FirstResponseHours: 24, ResolveHours: 72}}}
	cfg := timerConfig()
	cfg.WarnPercent, cfg.Batch = 0, 256
	for range b.N {
		src := clock.NewSource(func() time.Time { return t0 }, 0)
		d := New(Opts{Store: st, SLA: sla, Rules: rules.Engine, Limits: rules.Policy, Now: src.Now, Timing: cfg})
		ctx := context.Background()
		var wg sync.WaitGroup
		work := make(chan int)
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range work {
					in := intake()
					in.OrderNo, in.Level, in.Emotion = fmt.Sprintf("B%08d", i), 1, cases.EmotionCalm
					in.Amount = money.Yuan(50)
					if _, _, err := d.Create(ctx, agent, NewCase{Intake: in}); err != nil {
						b.Error(err)
					}
				}
			}()
		}
		for i := range total / 2 {
			work <- i
		}
		close(work)
		wg.Wait()
		src.Advance(24*time.Hour + 30*time.Second)
		sched := timers.NewScheduler(d, src, nil, cfg, nil)
		b.ResetTimer()
		start := time.Now()
		if err := sched.Drain(ctx); err != nil {
			b.Fatal(err)
		}
		took := time.Since(start)
		b.StopTimer()
		if int(sched.Fired()) != total {
			b.Fatalf("fired %d timers, want %d", sched.Fired(), total)
		}
		b.ReportMetric(took.Seconds(), "s/all")
		b.ReportMetric(float64(total)/took.Seconds(), "timers/s")
	}
}
