package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/store/sqlstore"
	"github.com/shouhou/shouhou/internal/store/storetest"
)

// Sixteen writers of three cases at once (on SQLite sharing group commits, on
// PostgreSQL queueing on the case's row lock): every write without a version lands
// exactly once, none reports a conflict, and each case's log has no gap.
func TestConcurrentWritesOfFewCasesAllLandOnce(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		var ids []int64
		initial := map[int64]int64{}
		for i := range 3 {
			c, events := newCase(t, fmt.Sprintf("GC%03d", i), cases.TypeLeak, t0)
			c = insert(t, s, c, events)
			ids, initial[c.ID] = append(ids, c.ID), c.Version
		}
		const writers, each = 16, 15
		var wg sync.WaitGroup
		errs := make(chan error, writers*each)
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					id := ids[(w+i)%len(ids)]
					errs <- s.InTx(ctx, func(tx store.Tx) error {
						c, err := tx.GetCase(ctx, id)
						if err != nil {
							return err
						}
						return readLockedAppend(ctx, tx, id, c.Version+1, fmt.Sprintf("w%d-%d", w, i))
					})
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("a concurrent write failed: %v", err)
			}
		}
		total := 0
		for _, id := range ids {
			c, err := s.GetCase(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			events, err := s.Events(ctx, id, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			for i, e := range events {
				if e.Seq != int64(i+1) {
					t.Fatalf("case %d: event %d has seq %d", id, i, e.Seq)
				}
			}
			if int64(len(events)) != c.Version {
				t.Fatalf("case %d: %d events, version %d", id, len(events), c.Version)
			}
			total += int(c.Version - initial[id])
		}
		if total != writers*each {
			t.Fatalf("%d writes landed, want %d", total, writers*each)
		}
	})
}

// One caller's failure — its own error, or a deferred write found failed later —
// undoes that caller's work only: the callers committing at the same time (on SQLite
// in the same group commit) land.
func TestAFailingTransactionUndoesOnlyItsOwnWorkAmongConcurrentWrites(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		var ids []int64
		var v0 int64
		for i := range 24 {
			c, events := newCase(t, fmt.Sprintf("GF%03d", i), cases.TypeLeak, t0)
			c = insert(t, s, c, events)
			ids, v0 = append(ids, c.ID), c.Version
		}
		errOwn := errors.New("refused by the caller")
		var wg sync.WaitGroup
		results := make([]error, len(ids))
		start := make(chan struct{})
		for i, id := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				results[i] = s.InTx(ctx, func(tx store.Tx) error {
					switch i % 3 {
					case 1: // a taken sequence number: the deferred insert fails
						return readLockedAppend(ctx, tx, id, 1, "重复序号")
					case 2: // writes, then gives up
						if err := readLockedAppend(ctx, tx, id, v0+1, "放弃"); err != nil {
							return err
						}
						return errOwn
					}
					return readLockedAppend(ctx, tx, id, v0+1, "成功")
				})
			}()
		}
		close(start)
		wg.Wait()
		for i, id := range ids {
			c, err := s.GetCase(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			var conflict *store.ConflictError
			switch i % 3 {
			case 0:
				if results[i] != nil || c.Version != v0+1 || c.LastRemark() != "成功" {
					t.Errorf("case %d: a good write in the group: err %v, version %d", i, results[i], c.Version)
				}
			case 1:
				if !errors.As(results[i], &conflict) || c.Version != v0 {
					t.Errorf("case %d: a taken seq: err %v, version %d (want a conflict, nothing written)", i, results[i], c.Version)
				}
			case 2:
				if !errors.Is(results[i], errOwn) || c.Version != v0 {
					t.Errorf("case %d: a caller's error: err %v, version %d (want it, nothing written)", i, results[i], c.Version)
				}
			}
		}
	})
}

// The SQLite writer prepares each statement of the write path once and reuses it:
// more writes of the same kinds add no prepared statements, and a cached insert that
// fails (a taken sequence number) is still a conflict that leaves nothing behind.
func TestTheSQLiteWriterPreparesEachStatementOnce(t *testing.T) {
	s := storetest.SQLite(t)
	ctx := context.Background()
	c, events := newCase(t, "STMT001", cases.TypeLeak, t0)
	c = insert(t, s, c, events)
	for i := range 3 {
		if err := s.InTx(ctx, func(tx store.Tx) error { return readLockedAppend(ctx, tx, c.ID, c.Version+1+int64(i), "预备") }); err != nil {
			t.Fatal(err)
		}
	}
	warm := s.PreparedWrites()
	if warm == 0 {
		t.Fatal("no statement of the write path is kept prepared")
	}
	for i := range 20 {
		if err := s.InTx(ctx, func(tx store.Tx) error { return readLockedAppend(ctx, tx, c.ID, c.Version+4+int64(i), "再来") }); err != nil {
			t.Fatal(err)
		}
	}
	if got := s.PreparedWrites(); got != warm {
		t.Fatalf("20 more writes of the same kind: %d prepared statements, was %d", got, warm)
	}
	before, _ := s.GetCase(ctx, c.ID)
	err := s.InTx(ctx, func(tx store.Tx) error { return readLockedAppend(ctx, tx, c.ID, 1, "重复") })
	var conflict *store.ConflictError
	if !errors.As(err, &conflict) {
		t.Fatalf("a taken seq through a prepared insert: %v, want a conflict", err)
	}
	if after, _ := s.GetCase(ctx, c.ID); after.Version != before.Version {
		t.Fatalf("the failed write changed the case: version %d, was %d", after.Version, before.Version)
	}
}
