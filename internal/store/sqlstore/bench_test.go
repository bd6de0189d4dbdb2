package sqlstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/shouhou/shouhou/internal/store/sqlstore"
	"github.com/shouhou/shouhou/internal/store/storetest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/store"
)

func benchStores(b *testing.B, run func(b *testing.B, s *sqlstore.Store)) {
	for _, sync := range []string{"FULL", "NORMAL"} {
		b.Run("sqlite-"+sync, func(b *testing.B) {
			s, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(b.TempDir(), "db"), sqlstore.SQLiteOptions{Synchronous: sync})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			run(b, s)
		})
	}
	b.Run("postgres", func(b *testing.B) { run(b, storetest.Postgres(b)) })
}

// BenchmarkCaseCreate opens cases (case row + 2 events) from 16 goroutines.
func BenchmarkCaseCreate(b *testing.B) {
	benchStores(b, func(b *testing.B, s *sqlstore.Store) {
		var n atomic.Int64
		b.SetParallelism(8)
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				c, ev := newCase(b, fmt.Sprintf("B%012d", n.Add(1)), cases.TypeDamaged, t0)
				if err := s.InTx(context.Background(), func(tx store.Tx) error {
					_, err := tx.InsertCase(context.Background(), c, ev)
					return err
				}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "creates/s")
	})
}

// BenchmarkEventAppend appends one event per transaction (read case, CAS update,
// insert event) from 16 goroutines, each on its own case.
func BenchmarkEventAppend(b *testing.B) {
	benchStores(b, func(b *testing.B, s *sqlstore.Store) {
		const cases_ = 16
		ids := make(chan int64, cases_)
		for i := range cases_ {
			c, ev := newCase(b, fmt.Sprintf("A%03d", i), cases.TypeLeak, t0)
			ids <- insert(b, s, c, ev).ID
		}
		payload, _ := json.Marshal(cases.MessagePayload{Text: "亲，已经为您加急处理", Intent: "soothe"})
		b.SetParallelism(8)
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			id := <-ids
			ctx := context.Background()
			for pb.Next() {
				err := s.InTx(ctx, func(tx store.Tx) error {
					c, err := tx.GetCase(ctx, id)
					if err != nil {
						return err
					}
					e := cases.Event{CaseID: id, Seq: c.Version + 1, Type: cases.EvMessageOut, Actor: "bench", At: time.Now().UTC(), Payload: payload}
					next, err := cases.Apply(c, e)
					if err != nil {
						return err
					}
					return tx.AppendEvents(ctx, c.Version, next, []cases.Event{e})
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "appends/s")
	})
}
