package sqlstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/store/sqlstore"
)

// PostgreSQL refused a NUL or invalid UTF-8 with an error the API turned into 500;
// now both stores refuse them with store.ErrBadText before anything is written.
func TestNULAndInvalidUTF8AreRefusedBeforeWriting(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		fresh, events := newCase(t, "JD7001", cases.TypeDamaged, t0)
		c := insert(t, s, fresh, events)
		// (Invalid UTF-8 in an event payload never reaches the store: encoding/json
		// writes it as U+FFFD. The API refuses it first, see internal/api.)
		if _, err := remark(t, s, c, "破损\x00，已补偿"); !errors.Is(err, store.ErrBadText) {
			t.Errorf("remark with a NUL: %v", err)
		}
		bad, events2 := newCase(t, "JD7002", cases.TypeDamaged, t0)
		bad.CustomerName = "李\xc3\x28"
		err := s.InTx(ctx, func(tx store.Tx) error { _, err := tx.InsertCase(ctx, bad, events2); return err })
		if !errors.Is(err, store.ErrBadText) {
			t.Errorf("a case with invalid UTF-8: %v", err)
		}
		for _, f := range []store.CaseFilter{{Query: "\x00"}, {Query: "\xff"}, {Assignee: "a\x00"}, {OrderNo: "\xfe"}} {
			if _, err := s.ListCases(ctx, f); !errors.Is(err, store.ErrBadText) {
				t.Errorf("list %+v: %v", f, err)
			}
		}
		if _, err := s.ListCases(ctx, store.CaseFilter{Query: strings.Repeat("破", 20_000)}); !errors.Is(err, store.ErrQueryTooLong) {
			t.Errorf("a 60,000-byte search: %v", err)
		}
		if _, err := s.CreateUser(ctx, store.User{Username: "nul", DisplayName: "a\x00", Role: store.RoleAgent, CreatedAt: t0}); !errors.Is(err, store.ErrBadText) {
			t.Errorf("a user with a NUL: %v", err)
		}
		if _, err := s.UserByName(ctx, "agent\x00"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("looking up a name with a NUL: %v", err)
		}
		if err := s.SaveScriptOverride(ctx, store.ScriptOverride{ID: "x", Body: json.RawMessage(`{"text":"\u0000"}`), At: t0}); !errors.Is(err, store.ErrBadText) {
			t.Errorf("a script with an escaped NUL: %v", err)
		}
		got, err := s.GetCase(ctx, c.ID)
		if err != nil || got.Version != c.Version {
			t.Fatalf("the case changed: %v %v", got.Version, err)
		}
	})
}

// A store whose database is gone answers store.ErrUnavailable (the API: 503).
func TestAnUnreachableDatabaseIsUnavailableNotAnInternalError(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := sqlstore.OpenPostgres(ctx, "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2")
	if !errors.Is(err, store.ErrUnavailable) {
		t.Fatalf("connecting to a closed port: %v", err)
	}
}
