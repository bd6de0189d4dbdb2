package auth

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/store/sqlstore"
)

func newManager(t *testing.T, now *time.Time) *Manager {
	t.Helper()
	s, err := sqlstore.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "db"), sqlstore.SQLiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	m, err := New(Opts{Store: s, SessionTTL: time.Hour, Now: func() time.Time { return *now }})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestPasswordHashIsArgon2idAndChecks(t *testing.T) {
	h, err := HashPassword("correct horse")
	if err != nil || !strings.HasPrefix(h, "$argon2id$") {
		t.Fatalf("hash %q %v", h, err)
	}
	if ok, _ := CheckPassword(h, "correct horse"); !ok {
		t.Fatal("right password refused")
	}
	if ok, _ := CheckPassword(h, "correct horsE"); ok {
		t.Fatal("wrong password accepted")
	}
	if h2, _ := HashPassword("correct horse"); h2 == h {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	if _, err := CheckPassword("$2a$bcrypt", "x"); err == nil {
		t.Fatal("a foreign hash format was accepted")
	}
}

func TestLoginSessionExpiresAndLogoutEndsIt(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	m := newManager(t, &now)
	if _, err := m.AddUser(ctx, NewUser{Username: "xiaomei", Role: store.RoleAgent, Password: "password1"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := m.Login(ctx, "xiaomei", "wrong-password"); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("wrong password: %v", err)
	}
	if _, _, err := m.Login(ctx, "nobody", "password1"); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("unknown user: %v", err)
	}
	secret, u, err := m.Login(ctx, "xiaomei", "password1")
	if err != nil || u.Role != store.RoleAgent {
		t.Fatal(err)
	}
	if got, err := m.FromSession(ctx, secret); err != nil || got.ID != u.ID {
		t.Fatalf("fresh session: %v", err)
	}
	now = now.Add(time.Hour)
	if _, err := m.FromSession(ctx, secret); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("session past its TTL: %v", err)
	}
	now = now.Add(-30 * time.Minute)
	m.Logout(ctx, secret)
	if _, err := m.FromSession(ctx, secret); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("session after logout: %v", err)
	}
}

func TestDisabledUserCannotSignInOrUseTokens(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	m := newManager(t, &now)
	u, _ := m.AddUser(ctx, NewUser{Username: "hook", Role: store.RoleAgent, Password: "password1"})
	secret, _, err := m.CreateToken(ctx, u.ID, "淘宝回调")
	if err != nil || !strings.HasPrefix(secret, "sht_") {
		t.Fatalf("token %q %v", secret, err)
	}
	if got, err := m.FromToken(ctx, secret); err != nil || got.ID != u.ID {
		t.Fatalf("token: %v", err)
	}
	disabled := true
	if _, err := m.UpdateUser(ctx, u.ID, UserChange{Disabled: &disabled}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.FromToken(ctx, secret); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("disabled user's token: %v", err)
	}
	if _, _, err := m.Login(ctx, "hook", "password1"); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("disabled user's login: %v", err)
	}
}

func TestAddUserValidatesEveryField(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	m := newManager(t, &now)
	_, err := m.AddUser(ctx, NewUser{Username: "Bad Name", Role: "boss", Password: "short"})
	var verr cases.ValidationError
	if !errors.As(err, &verr) || len(verr) != 3 {
		t.Fatalf("got %v; want errors on username, role and password", err)
	}
	m.AddUser(ctx, NewUser{Username: "dup", Role: store.RoleAdmin, Password: "password1"})
	if _, err := m.AddUser(ctx, NewUser{Username: "dup", Role: store.RoleAdmin, Password: "password1"}); !errors.As(err, &verr) {
		t.Fatalf("duplicate user: %v", err)
	}
}
