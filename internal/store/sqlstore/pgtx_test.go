package sqlstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/store/sqlstore"
	"github.com/shouhou/shouhou/internal/store/storetest"
)

// readLockedAppend reads the case in the transaction (locking it on PostgreSQL), then
// appends one remark with the event sequence number seq: the write path whose
// statements PostgreSQL receives pipelined, with the commit.
func readLockedAppend(ctx context.Context, tx store.Tx, id, seq int64, text string) error {
	c, err := tx.GetCase(ctx, id)
	if err != nil {
		return err
	}
	p, _ := json.Marshal(cases.RemarkPayload{Text: text})
	// The state follows the case's version; the event carries seq, which a test may
	// set to one already taken.
	e := cases.Event{CaseID: id, Seq: c.Version + 1, Type: cases.EvRemarkAdded, Actor: "agent1", At: t0.Add(time.Hour), Payload: p}
	next, err := cases.Apply(c, e)
	if err != nil {
		return err
	}
	e.Seq = seq
	return tx.AppendEvents(ctx, c.Version, next, []cases.Event{e})
}

func TestADeferredWriteThatFailsFailsItsWholeTransaction(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		c, events := newCase(t, "PIPE001", cases.TypeLeak, t0)
		c = insert(t, s, c, events)
		// Sequence number 2 is taken: the event insert fails after the case update
		// went out (PostgreSQL: in the commit's round trip).
		err := s.InTx(ctx, func(tx store.Tx) error { return readLockedAppend(ctx, tx, c.ID, 2, "重复的序号") })
		var conflict *store.ConflictError
		if !errors.As(err, &conflict) {
			t.Fatalf("append over a taken sequence number: %v; want a conflict", err)
		}
		got, _ := s.GetCase(ctx, c.ID)
		log, _ := s.Events(ctx, c.ID, 0, 0)
		if got.Version != c.Version || got.LastRemark() != "" || len(log) != len(events) {
			t.Fatalf("the failed transaction changed the case: version %d, remark %q, %d events", got.Version, got.LastRemark(), len(log))
		}
		// The connection went back to the pool clean: the next write lands.
		if err := s.InTx(ctx, func(tx store.Tx) error { return readLockedAppend(ctx, tx, c.ID, c.Version+1, "补发配件") }); err != nil {
			t.Fatalf("write after the failed one: %v", err)
		}
		if got, _ := s.GetCase(ctx, c.ID); got.LastRemark() != "补发配件" {
			t.Fatalf("remark after the failed write: %q", got.LastRemark())
		}
	})
}

func TestReadsInATransactionSeeItsOwnPipelinedWrites(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		c, events := newCase(t, "PIPE002", cases.TypeLeak, t0)
		c = insert(t, s, c, events)
		err := s.InTx(ctx, func(tx store.Tx) error {
			if err := readLockedAppend(ctx, tx, c.ID, c.Version+1, "第一次跟进"); err != nil {
				return err
			}
			log, err := tx.Events(ctx, c.ID)
			if err != nil {
				return err
			}
			again, err := tx.GetCase(ctx, c.ID)
			if err != nil {
				return err
			}
			if len(log) != len(events)+1 || again.Version != c.Version+1 || again.LastRemark() != "第一次跟进" {
				t.Errorf("inside the transaction: %d events, version %d, remark %q", len(log), again.Version, again.LastRemark())
			}
			// A second write of the same case in the transaction builds on the first.
			return readLockedAppend(ctx, tx, c.ID, c.Version+2, "第二次跟进")
		})
		if err != nil {
			t.Fatal(err)
		}
		got, _ := s.GetCase(ctx, c.ID)
		log, _ := s.Events(ctx, c.ID, 0, 0)
		if got.Version != c.Version+2 || got.LastRemark() != "第二次跟进" || len(log) != len(events)+2 {
			t.Fatalf("after commit: version %d, remark %q, %d events", got.Version, got.LastRemark(), len(log))
		}
	})
}

// On PostgreSQL a failed statement aborts the transaction: even when the caller
// ignores the error, nothing of the transaction may commit.
func TestAnIgnoredStatementFailureStillFailsTheCommitOnPostgres(t *testing.T) {
	s := storetest.Postgres(t)
	ctx := context.Background()
	c, events := newCase(t, "PIPE003", cases.TypeLeak, t0)
	c = insert(t, s, c, events)
	if err := s.InTx(ctx, func(tx store.Tx) error { return tx.RememberIdempotency(ctx, "agent1", "k1", c.ID, t0) }); err != nil {
		t.Fatal(err)
	}
	err := s.InTx(ctx, func(tx store.Tx) error {
		if err := readLockedAppend(ctx, tx, c.ID, c.Version+1, "不该留下"); err != nil {
			return err
		}
		if err := tx.RememberIdempotency(ctx, "agent1", "k1", c.ID, t0); !errors.Is(err, store.ErrDuplicate) {
			t.Errorf("second key: %v, want a duplicate", err)
		}
		return nil // ignores the failure
	})
	if err == nil {
		t.Fatal("a transaction with a failed statement committed")
	}
	if got, _ := s.GetCase(ctx, c.ID); got.Version != c.Version || got.LastRemark() != "" {
		t.Fatalf("the aborted transaction changed the case: version %d, remark %q", got.Version, got.LastRemark())
	}
}

// On PostgreSQL a transaction whose context ends before its commit round trip is
// rolled back, and its connection does not reach the next caller mid-transaction.
// (SQLite's group committer decides a transaction it has taken by the batch's commit.)
func TestACancelledTransactionLeavesNothingAndTheStoreGoesOnOnPostgres(t *testing.T) {
	func(t *testing.T, s *sqlstore.Store) {
		c, events := newCase(t, "PIPE004", cases.TypeLeak, t0)
		c = insert(t, s, c, events)
		ctx, cancel := context.WithCancel(context.Background())
		err := s.InTx(ctx, func(tx store.Tx) error {
			if err := readLockedAppend(ctx, tx, c.ID, c.Version+1, "取消了"); err != nil {
				return err
			}
			cancel()
			return nil
		})
		if err == nil {
			t.Fatal("a transaction whose context was cancelled before commit committed")
		}
		bg := context.Background()
		if got, _ := s.GetCase(bg, c.ID); got.Version != c.Version {
			t.Fatalf("the cancelled transaction changed the case: version %d", got.Version)
		}
		for i := range 20 { // more than the pool's connections
			if err := s.InTx(bg, func(tx store.Tx) error { return readLockedAppend(bg, tx, c.ID, c.Version+1+int64(i), "继续") }); err != nil {
				t.Fatalf("write %d after the cancelled one: %v", i, err)
			}
		}
	}(t, storetest.Postgres(t))
}

// A write of a case read in its transaction sends only the columns that changed
// (PostgreSQL): every column a list filters on must still follow the case.
func TestAWriteOfAReadCaseKeepsEveryFilteredColumnInStep(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		c, events := newCase(t, "PIPE005", cases.TypeLeak, t0)
		c = insert(t, s, c, events)
		write := func(change func(*cases.Case)) {
			t.Helper()
			err := s.InTx(ctx, func(tx store.Tx) error {
				cur, err := tx.GetCase(ctx, c.ID)
				if err != nil {
					return err
				}
				next := cur
				next.Version++
				next.UpdatedAt = cur.UpdatedAt.Add(time.Minute)
				change(&next)
				e := cases.Event{CaseID: c.ID, Seq: next.Version, Type: cases.EvRemarkAdded, Actor: "agent1", At: next.UpdatedAt, Payload: []byte(`{"text":"跟进"}`)}
				return tx.AppendEvents(ctx, cur.Version, next, []cases.Event{e})
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		listed := func(f store.CaseFilter) bool {
			t.Helper()
			f.OrderNo = "PIPE005"
			page, err := s.ListCases(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			return len(page.Cases) == 1
		}
		write(func(n *cases.Case) {
			n.Assignee, n.Level, n.Stage, n.Platform, n.Type = "agent9", 3, cases.StageVerify, cases.PlatformTaobao, cases.TypeDamaged
		})
		for name, f := range map[string]store.CaseFilter{
			"assignee": {Assignee: "agent9"}, "level": {Level: 3}, "stage": {Stage: cases.StageVerify},
			"platform": {Platform: cases.PlatformTaobao}, "type": {Type: cases.TypeDamaged}, "status": {Status: cases.StatusOpen},
		} {
			if !listed(f) {
				t.Errorf("after the first write the case is not listed by %s", name)
			}
		}
		closed := t0.Add(2 * time.Hour)
		write(func(n *cases.Case) { n.Assignee, n.Status, n.ClosedAt = "", cases.StatusClosed, &closed })
		if listed(store.CaseFilter{Assignee: "agent9"}) || !listed(store.CaseFilter{Unassigned: true}) {
			t.Error("the assignee column did not follow the case back to nobody")
		}
		if !listed(store.CaseFilter{Status: cases.StatusClosed}) || listed(store.CaseFilter{Status: cases.StatusOpen}) {
			t.Error("the status column did not follow the case")
		}
		if !listed(store.CaseFilter{Level: 3}) || !listed(store.CaseFilter{Stage: cases.StageVerify}) {
			t.Error("a column the second write left alone changed")
		}
	})
}
