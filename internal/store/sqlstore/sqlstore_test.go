package sqlstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/shouhou/shouhou/internal/store/sqlstore"
	"github.com/shouhou/shouhou/internal/store/storetest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/money"
	"github.com/shouhou/shouhou/internal/store"
)

var t0 = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

// forEachStore runs a test on SQLite and, when SHOUHOU_TEST_POSTGRES holds a
// connection string, on PostgreSQL in a schema of its own.
func forEachStore(t *testing.T, test func(t *testing.T, s *sqlstore.Store)) {
	t.Run("sqlite", func(t *testing.T) { test(t, storetest.SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { test(t, storetest.Postgres(t)) })
}

func newCase(t testing.TB, orderNo string, typ cases.ProblemType, at time.Time) (cases.Case, []cases.Event) {
	t.Helper()
	in := cases.Intake{CustomerName: "李先生", Platform: cases.PlatformJD, OrderNo: orderNo, Amount: money.Yuan(99),
		Type: typ, Description: "收到时外箱压坏，杯子碎了"}
	in.Normalize()
	payload, _ := json.Marshal(cases.CreatedPayload{Intake: in})
	due := at.Add(48 * time.Hour)
	sla, _ := json.Marshal(cases.SLASetPayload{Level: in.Level, ResponseDueAt: at.Add(4 * time.Hour), ResolveDueAt: due})
	events := []cases.Event{
		{Seq: 1, Type: cases.EvCreated, Actor: "agent1", At: at, Payload: payload},
		{Seq: 2, Type: cases.EvSLASet, Actor: "system", At: at, Payload: sla},
	}
	c, err := cases.Replay(events)
	if err != nil {
		t.Fatal(err)
	}
	return c, events
}

func insert(t testing.TB, s *sqlstore.Store, c cases.Case, events []cases.Event) cases.Case {
	t.Helper()
	var out cases.Case
	err := s.InTx(context.Background(), func(tx store.Tx) error {
		var err error
		out, err = tx.InsertCase(context.Background(), c, events)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func remark(t testing.TB, s *sqlstore.Store, c cases.Case, text string) (cases.Case, error) {
	t.Helper()
	p, _ := json.Marshal(cases.RemarkPayload{Text: text})
	e := cases.Event{CaseID: c.ID, Seq: c.Version + 1, Type: cases.EvRemarkAdded, Actor: "agent1", At: t0.Add(time.Hour), Payload: p}
	next, err := cases.Apply(c, e)
	if err != nil {
		t.Fatal(err)
	}
	err = s.InTx(context.Background(), func(tx store.Tx) error {
		return tx.AppendEvents(context.Background(), c.Version, next, []cases.Event{e})
	})
	return next, err
}

func TestCaseRoundTripsWithItsLog(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		c, events := newCase(t, "JD1001", cases.TypeDamaged, t0)
		c = insert(t, s, c, events)
		if c.ID == 0 {
			t.Fatal("no id assigned")
		}
		got, err := s.GetCase(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != c.ID || got.Version != 2 || got.OrderNo != "JD1001" || got.ResolveDueAt == nil {
			t.Fatalf("read back %+v", got)
		}
		log, err := s.Events(ctx, c.ID, 0, 0)
		if err != nil || len(log) != 2 || log[0].Type != cases.EvCreated || !log[0].At.Equal(t0) {
			t.Fatalf("events %v %v", log, err)
		}
		replayed, err := cases.Replay(log)
		if err != nil || replayed.Version != got.Version || replayed.ID != got.ID {
			t.Fatalf("replay of the stored log differs: %+v %v", replayed, err)
		}
		if _, err := s.GetCase(ctx, c.ID+1000); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("missing case: %v", err)
		}
	})
}

func TestStaleVersionIsAConflictAndWritesNothing(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *sqlstore.Store) {
		c, events := newCase(t, "JD1002", cases.TypeLeak, t0)
		c = insert(t, s, c, events)
		if _, err := remark(t, s, c, "漏水，待顾客发视频"); err != nil {
			t.Fatal(err)
		}
		_, err := remark(t, s, c, "漏水，已补发配件") // based on version 2, now 3
		var conflict *store.ConflictError
		if !errors.As(err, &conflict) || conflict.Current != 3 {
			t.Fatalf("stale write: %v; want a conflict at version 3", err)
		}
		got, _ := s.GetCase(context.Background(), c.ID)
		log, _ := s.Events(context.Background(), c.ID, 0, 0)
		if got.LastRemark() != "漏水，待顾客发视频" || len(log) != 3 {
			t.Fatalf("the stale write changed something: %q, %d events", got.LastRemark(), len(log))
		}
	})
}

func TestConcurrentWritersOnOneVersionExactlyOneWins(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *sqlstore.Store) {
		c, events := newCase(t, "JD1003", cases.TypeLeak, t0)
		c = insert(t, s, c, events)
		const writers = 8
		var wg sync.WaitGroup
		errs := make(chan error, writers)
		for i := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := remark(t, s, c, fmt.Sprintf("漏水，第%d次跟进", i))
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		wins := 0
		for err := range errs {
			var conflict *store.ConflictError
			switch {
			case err == nil:
				wins++
			case !errors.As(err, &conflict):
				t.Errorf("unexpected error: %v", err)
			}
		}
		if wins != 1 {
			t.Fatalf("%d writers won on the same version, want exactly 1", wins)
		}
	})
}

func TestIdempotencyKeyIsRememberedOncePerActor(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		c, events := newCase(t, "JD1004", cases.TypeLost, t0)
		c = insert(t, s, c, events)
		remember := func(actor string) error {
			return s.InTx(ctx, func(tx store.Tx) error { return tx.RememberIdempotency(ctx, actor, "hook-1", c.ID, t0) })
		}
		if err := remember("webhook"); err != nil {
			t.Fatal(err)
		}
		if err := remember("webhook"); !errors.Is(err, store.ErrDuplicate) {
			t.Fatalf("second use of the key: %v", err)
		}
		if err := remember("other"); err != nil {
			t.Fatalf("another actor's key collides: %v", err)
		}
		s.InTx(ctx, func(tx store.Tx) error {
			id, ok, err := tx.IdempotentCase(ctx, "webhook", "hook-1")
			if err != nil || !ok || id != c.ID {
				t.Errorf("lookup: %d %v %v", id, ok, err)
			}
			return nil
		})
	})
}

func TestListFiltersAndPagesWithoutGapsOrRepeats(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		types := []cases.ProblemType{cases.TypeDamaged, cases.TypeLeak, cases.TypeChase}
		for i := range 23 {
			c, ev := newCase(t, fmt.Sprintf("JD2%03d", i), types[i%3], t0.Add(time.Duration(i)*time.Hour))
			insert(t, s, c, ev)
		}
		for _, sort := range []string{"recent", "due"} {
			seen := map[int64]bool{}
			f := store.CaseFilter{Sort: sort, Limit: 5}
			var prevDue int64
			for pages := 0; ; pages++ {
				page, err := s.ListCases(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range page.Cases {
					if seen[c.ID] {
						t.Fatalf("%s: case %d listed twice", sort, c.ID)
					}
					seen[c.ID] = true
					if due := c.ResolveDueAt.UnixMilli(); sort == "due" && due < prevDue {
						t.Fatalf("due order broken at case %d", c.ID)
					} else {
						prevDue = due
					}
				}
				if page.NextCursor == "" {
					break
				}
				f.Cursor = page.NextCursor
			}
			if len(seen) != 23 {
				t.Fatalf("%s: paging saw %d of 23 cases", sort, len(seen))
			}
		}
		page, _ := s.ListCases(ctx, store.CaseFilter{Type: cases.TypeLeak})
		if len(page.Cases) != 8 {
			t.Errorf("type filter: %d leak cases, want 8", len(page.Cases))
		}
		page, _ = s.ListCases(ctx, store.CaseFilter{Query: "JD2007"})
		if len(page.Cases) != 1 || page.Cases[0].OrderNo != "JD2007" {
			t.Errorf("order search: %d results", len(page.Cases))
		}
		page, _ = s.ListCases(ctx, store.CaseFilter{Query: "杯子碎"})
		if len(page.Cases) != 23 {
			t.Errorf("description search: %d results", len(page.Cases))
		}
		page, _ = s.ListCases(ctx, store.CaseFilter{OverdueAt: t0.Add(50 * time.Hour)})
		if len(page.Cases) != 2 { // due at t0+48h and t0+49h are before t0+50h
			t.Errorf("overdue: %d cases, want 2", len(page.Cases))
		}
		if _, err := s.ListCases(ctx, store.CaseFilter{Cursor: "garbage!"}); !errors.Is(err, store.ErrBadCursor) {
			t.Errorf("bad cursor: %v", err)
		}
		ids, err := s.CasesByOrder(ctx, cases.PlatformJD, "JD2004")
		if err != nil || len(ids) != 1 {
			t.Errorf("cases by order: %v %v", ids, err)
		}
	})
}

func TestUsersSessionsAndTokens(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		u, err := s.CreateUser(ctx, store.User{Username: "xiaomei", DisplayName: "小美", Role: store.RoleAgent, PasswordHash: "h", CreatedAt: t0})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateUser(ctx, store.User{Username: "xiaomei", Role: store.RoleAgent, CreatedAt: t0}); !errors.Is(err, store.ErrDuplicate) {
			t.Fatalf("duplicate user name: %v", err)
		}
		if err := s.CreateSession(ctx, "sess", u.ID, t0, t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if got, err := s.SessionUser(ctx, "sess", t0.Add(30*time.Minute)); err != nil || got.Username != "xiaomei" {
			t.Fatalf("live session: %v %v", got, err)
		}
		if _, err := s.SessionUser(ctx, "sess", t0.Add(time.Hour)); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("expired session still valid: %v", err)
		}
		tok, err := s.CreateToken(ctx, "tokhash", store.APIToken{UserID: u.ID, Name: "webhook", CreatedAt: t0})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := s.TokenUser(ctx, "tokhash"); err != nil || got.ID != u.ID {
			t.Fatalf("token user: %v %v", got, err)
		}
		if err := s.RevokeToken(ctx, u.ID, tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TokenUser(ctx, "tokhash"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("revoked token still valid: %v", err)
		}
		u.Role, u.Disabled = store.RoleSupervisor, true
		if err := s.UpdateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.UserByName(ctx, "xiaomei"); got.Role != store.RoleSupervisor || !got.Disabled {
			t.Fatalf("update lost: %+v", got)
		}
	})
}

func TestBackupIsAConsistentCopy(t *testing.T) {
	dir := t.TempDir()
	s, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(dir, "shouhou.db"), sqlstore.SQLiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c, ev := newCase(t, "JD3001", cases.TypeFlaw, t0)
	insert(t, s, c, ev)
	dest := filepath.Join(dir, "backup.db")
	if err := s.Backup(context.Background(), dest); err != nil {
		t.Fatal(err)
	}
	if err := s.Backup(context.Background(), dest); err == nil {
		t.Fatal("backup overwrote an existing file")
	}
	b, err := sqlstore.OpenSQLite(context.Background(), dest, sqlstore.SQLiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if page, err := b.ListCases(context.Background(), store.CaseFilter{}); err != nil || len(page.Cases) != 1 {
		t.Fatalf("backup holds %d cases (%v)", len(page.Cases), err)
	}
}

func TestAFailedTransactionLeavesNothingAndSparesItsBatch(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		errBoom := errors.New("boom")
		var wg sync.WaitGroup
		results := make([]error, 20)
		for i := range results {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i] = s.InTx(ctx, func(tx store.Tx) error {
					c, ev := newCase(t, fmt.Sprintf("BATCH%03d", i), cases.TypeChase, t0)
					if _, err := tx.InsertCase(ctx, c, ev); err != nil {
						return err
					}
					if i%2 == 1 {
						return errBoom // after writing: the write must be undone
					}
					return nil
				})
			}()
		}
		wg.Wait()
		for i, err := range results {
			want := i%2 == 1
			if errors.Is(err, errBoom) != want || (!want && err != nil) {
				t.Fatalf("transaction %d: %v", i, err)
			}
			ids, _ := s.CasesByOrder(ctx, cases.PlatformJD, fmt.Sprintf("BATCH%03d", i))
			if (len(ids) == 1) == want {
				t.Errorf("transaction %d (failed=%v) left %d cases", i, want, len(ids))
			}
		}
	})
}

func TestClosedStoreRefusesWrites(t *testing.T) {
	s, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "db"), sqlstore.SQLiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := s.InTx(context.Background(), func(store.Tx) error { return nil }); err == nil {
		t.Fatal("a closed store accepted a transaction")
	}
}

// FuzzListCursor: a forged cursor is refused or pages normally; it never fails
// otherwise.
func FuzzListCursor(f *testing.F) {
	s := storetest.SQLite(f)
	for _, c := range []string{"", "MTIzLjQ1", "garbage!", "LTEuLTE", "OTIyMzM3MjAzNjg1NDc3NTgwNy4x"} {
		f.Add(c, false)
	}
	f.Fuzz(func(t *testing.T, cursor string, due bool) {
		sort := "recent"
		if due {
			sort = "due"
		}
		_, err := s.ListCases(context.Background(), store.CaseFilter{Cursor: cursor, Sort: sort})
		if err != nil && !errors.Is(err, store.ErrBadCursor) && !errors.Is(err, store.ErrBadText) {
			t.Fatalf("cursor %q: %v", cursor, err)
		}
	})
}

func TestAPanickingTransactionFailsAloneAndTheStoreGoesOn(t *testing.T) {
	s := storetest.SQLite(t)
	ctx := context.Background()
	err := s.InTx(ctx, func(tx store.Tx) error {
		c, ev := newCase(t, "PANIC001", cases.TypeChase, t0)
		tx.InsertCase(ctx, c, ev)
		panic("bug in a caller")
	})
	if err == nil || !strings.Contains(err.Error(), "panicked") {
		t.Fatalf("panicking transaction: %v", err)
	}
	c, ev := newCase(t, "AFTER001", cases.TypeChase, t0)
	if got := insert(t, s, c, ev); got.ID == 0 {
		t.Fatal("the store stopped writing after a panic")
	}
	if ids, _ := s.CasesByOrder(ctx, cases.PlatformJD, "PANIC001"); len(ids) != 0 {
		t.Fatal("the panicking transaction's write was kept")
	}
}

func TestADateRangeListPagesNewestFirstWithoutGapsOrRepeats(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		// 3 cases share each creation time: the pages must break ties by id.
		for i := range 30 {
			c, ev := newCase(t, fmt.Sprintf("JD3%03d", i), cases.TypeLeak, t0.Add(time.Duration(i/3)*time.Hour))
			insert(t, s, c, ev)
		}
		for _, f := range []store.CaseFilter{
			{CreatedFrom: t0.Add(2 * time.Hour), CreatedBefore: t0.Add(8 * time.Hour)}, // 18 cases
			{CreatedFrom: t0.Add(2 * time.Hour)},                                       // 24
			{CreatedBefore: t0.Add(8 * time.Hour)},                                     // 24
		} {
			want := 0
			for i := range 30 {
				at := t0.Add(time.Duration(i/3) * time.Hour)
				if (f.CreatedFrom.IsZero() || !at.Before(f.CreatedFrom)) && (f.CreatedBefore.IsZero() || at.Before(f.CreatedBefore)) {
					want++
				}
			}
			f.Limit = 4
			var got []cases.Case
			for {
				page, err := s.ListCases(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, page.Cases...)
				if page.NextCursor == "" {
					break
				}
				f.Cursor = page.NextCursor
			}
			if len(got) != want {
				t.Fatalf("%v..%v: paging saw %d cases, want %d", f.CreatedFrom, f.CreatedBefore, len(got), want)
			}
			for i := 1; i < len(got); i++ {
				a, b := got[i-1], got[i]
				if !a.CreatedAt.After(b.CreatedAt) && !(a.CreatedAt.Equal(b.CreatedAt) && a.ID > b.ID) {
					t.Fatalf("not newest first at %d: case %d (%v) before case %d (%v)", i, a.ID, a.CreatedAt, b.ID, b.CreatedAt)
				}
			}
		}
	})
}
