package desk

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/clock"
	"github.com/shouhou/shouhou/internal/sop"
	"github.com/shouhou/shouhou/internal/store/sqlstore"
	"github.com/shouhou/shouhou/internal/store/storetest"
)

// BenchmarkAppendAMessageThroughTheDesk measures one agent message appended through
// the desk's full write (d.change: case read and lock, SOP review, event, state,
// report rollup, timers, commit) to one of 200 open cases, from b's parallel
// goroutines, 8 per core (docs/PERFORMANCE.md; scripts/bench's "append" is the store alone).
// PostgreSQL runs when SHOUHOU_TEST_POSTGRES is set.
func BenchmarkAppendAMessageThroughTheDesk(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchAppend(b, storetest.SQLite(b)) })
	b.Run("postgres", func(b *testing.B) { benchAppend(b, storetest.Postgres(b)) })
}

func benchAppend(b *testing.B, st *sqlstore.Store) {
	rules, err := sop.Load(sop.Files{})
	if err != nil {
		b.Fatal(err)
	}
	d := New(Opts{Store: st, SLA: clock.DefaultSLA(), Rules: rules.Engine, Limits: rules.Policy, Now: func() time.Time { return t0 }, Timing: timerConfig()})
	ctx := context.Background()
	const n = 200
	ids := make([]int64, n)
	for i := range ids {
		in := intake()
		in.OrderNo = fmt.Sprintf("DA%06d", i)
		c, _, err := d.Create(ctx, agent, NewCase{Intake: in})
		if err != nil {
			b.Fatal(err)
		}
		ids[i] = c.ID
	}
	msg, _ := json.Marshal(cases.MessagePayload{Text: "亲，已经为您加急处理", Intent: "soothe"})
	b.SetParallelism(8) // 16 writers on 2 cores, as scripts/bench -clients 16
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		r := rand.New(rand.NewPCG(rand.Uint64(), 0))
		for pb.Next() {
			if _, _, err := d.Append(ctx, agent, ids[r.IntN(n)], AnyVersion, cases.EvMessageOut, msg); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
