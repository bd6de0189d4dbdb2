package sqlstore_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/store/sqlstore"
)

// CaseSchedule answers what ReportFact and CaseTimers answer, in one statement, and
// sees the transaction's own (pipelined) writes.
func TestCaseScheduleIsTheReportFactAndTheTimersOfTheCase(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		c1, ev1 := newCase(t, "SCHED01", cases.TypeLeak, t0)
		c1 = insert(t, s, c1, ev1)
		c2, ev2 := newCase(t, "SCHED02", cases.TypeLeak, t0)
		c2 = insert(t, s, c2, ev2)
		err := s.InTx(ctx, func(tx store.Tx) error {
			fact, timers, err := tx.CaseSchedule(ctx, c1.ID)
			if err != nil || fact != nil || len(timers) != 0 {
				t.Fatalf("a case without fact or timers: %q, %v, %v", fact, timers, err)
			}
			for _, tm := range []store.Timer{
				{CaseID: c1.ID, Kind: "resolve", DueAt: t0.Add(48 * time.Hour), Payload: json.RawMessage(`{"a":1}`)},
				{CaseID: c1.ID, Kind: "response", DueAt: t0.Add(4 * time.Hour), Payload: json.RawMessage(`{"b":2}`)},
				{CaseID: c2.ID, Kind: "resolve", DueAt: t0.Add(time.Hour), Payload: json.RawMessage(`{}`)},
			} {
				if err := tx.PutTimer(ctx, tm); err != nil {
					return err
				}
			}
			if err := tx.PutReportFact(ctx, c1.ID, []byte(`[{"day":"2026-11-27"}]`)); err != nil {
				return err
			}
			if err := tx.PutReportFact(ctx, c2.ID, []byte(`[]`)); err != nil {
				return err
			}
			fact, timers, err = tx.CaseSchedule(ctx, c1.ID)
			if err != nil {
				return err
			}
			wantFact, err := tx.ReportFact(ctx, c1.ID)
			if err != nil {
				return err
			}
			wantTimers, err := tx.CaseTimers(ctx, c1.ID)
			if err != nil {
				return err
			}
			if string(fact) != string(wantFact) || string(fact) != `[{"day":"2026-11-27"}]` {
				t.Fatalf("fact %q, ReportFact %q", fact, wantFact)
			}
			if len(timers) != 2 || !reflect.DeepEqual(timers, wantTimers) {
				t.Fatalf("timers %+v, CaseTimers %+v", timers, wantTimers)
			}
			if timers[0].Kind != "resolve" || !timers[0].DueAt.Equal(t0.Add(48*time.Hour)) || timers[0].CaseID != c1.ID {
				t.Fatalf("first timer %+v", timers[0])
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
