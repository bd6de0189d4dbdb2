package auth

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/store"
)

func TestWrongPasswordsSlowDownOneNameFromOneAddressButNeverLockTheOwnerOut(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	m := newManager(t, &now)
	m.AddUser(ctx, NewUser{Username: "admin", Role: store.RoleAdmin, Password: "password1"})
	const attacker, office = "203.0.113.9", "198.51.100.7"
	for i := range 5 {
		if _, _, err := m.LoginFrom(ctx, "admin", "guess"+string(rune('a'+i)), attacker); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("failure %d: %v", i+1, err)
		}
	}
	_, _, err := m.LoginFrom(ctx, "ADMIN", "guess-f", attacker)
	var th *ThrottledError
	if !errors.As(err, &th) || th.RetryAfter != time.Second || !errors.Is(err, ErrThrottled) {
		t.Fatalf("a 6th guess at once: %v; want a 1 s wait", err)
	}
	// The owner, from their own address, is not slowed by the attacker at all.
	if _, _, err := m.LoginFrom(ctx, "admin", "password1", office); err != nil {
		t.Fatalf("the owner from another address: %v", err)
	}
	// From the attacker's address the wait doubles with every further failure...
	for _, want := range []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second} {
		now = now.Add(want / 2)
		if _, _, err := m.LoginFrom(ctx, "admin", "guess-g", attacker); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("after the wait: %v", err)
		}
		if _, _, err := m.LoginFrom(ctx, "admin", "guess-h", attacker); !errors.As(err, &th) || th.RetryAfter != want {
			t.Fatalf("wait after another failure: %v; want %s", err, want)
		}
	}
	// ...up to a minute, and the right password after the wait gets in (slowed,
	// never locked out for long).
	for range 10 {
		now = now.Add(time.Minute)
		m.LoginFrom(ctx, "admin", "guess-i", attacker)
	}
	if _, _, err := m.LoginFrom(ctx, "admin", "password1", attacker); !errors.As(err, &th) || th.RetryAfter != time.Minute {
		t.Fatalf("the cap of the wait: %v", err)
	}
	now = now.Add(time.Minute)
	if _, _, err := m.LoginFrom(ctx, "admin", "password1", attacker); err != nil {
		t.Fatalf("the right password after the wait: %v", err)
	}
	if _, _, err := m.LoginFrom(ctx, "admin", "wrong", attacker); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("a good sign-in resets the count: %v", err)
	}
}

func TestParallelGuessesAreCountedBeforeTheyAreChecked(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	m := newManager(t, &now)
	m.AddUser(ctx, NewUser{Username: "xiaomei", Role: store.RoleAgent, Password: "password1"})
	var mu sync.Mutex
	checked, throttled := 0, 0
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, err := m.LoginFrom(ctx, "xiaomei", "guess"+strings.Repeat("x", i), "203.0.113.9")
			mu.Lock()
			defer mu.Unlock()
			switch {
			case errors.Is(err, ErrBadCredentials):
				checked++
			case errors.Is(err, ErrThrottled):
				throttled++
			default:
				t.Errorf("guess: %v", err)
			}
		}()
	}
	wg.Wait()
	if checked != 5 || throttled != 35 {
		t.Fatalf("40 parallel guesses: %d checked, %d throttled; want 5 and 35", checked, throttled)
	}
}

func TestOneAddressTryingManyNamesIsSlowedToo(t *testing.T) {
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	th := newThrottle(ThrottleOpts{})
	for i := range 30 {
		a, err := th.begin("user"+string(rune('a'+i)), "203.0.113.9", now)
		if err != nil {
			t.Fatalf("name %d: %v", i, err)
		}
		a.failed()
	}
	if _, err := th.begin("another", "203.0.113.9", now); !errors.Is(err, ErrThrottled) {
		t.Fatalf("a 31st name from one address: %v", err)
	}
	if _, err := th.begin("another", "198.51.100.7", now); err != nil {
		t.Fatalf("another address: %v", err)
	}
}

func TestThrottleMemoryIsBoundedAndForgets(t *testing.T) {
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	th := newThrottle(ThrottleOpts{MaxEntries: 500})
	for i := range 5000 {
		a, err := th.begin(strings.Repeat("n", 1000)+string(rune(0x4e00+i)), "10.0.0."+string(rune('0'+i%10)), now)
		if err == nil {
			a.failed()
		}
		now = now.Add(time.Millisecond)
	}
	if n := th.size(); n > 500 {
		t.Fatalf("%d records kept; the bound is 500", n)
	}
	for k := range th.entries {
		if len(k) > 2+maxKeyName+1+16 {
			t.Fatalf("a key of %d bytes is kept", len(k))
		}
	}
	now = now.Add(16 * time.Minute)
	if _, err := th.begin("fresh", "10.0.0.1", now); err != nil {
		t.Fatal(err)
	}
	th.begin("fresh2", "10.0.0.2", now) // the expired records go when room is needed
	if n := th.size(); n > 500 {
		t.Fatalf("%d records after the window", n)
	}
}

func TestAHugeUserNameOrPasswordIsRefusedWithoutWork(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	m := newManager(t, &now)
	if _, _, err := m.LoginFrom(ctx, strings.Repeat("a", 1<<20), "x", "203.0.113.9"); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("1 MB user name: %v", err)
	}
	if _, _, err := m.LoginFrom(ctx, "a", strings.Repeat("p", 1<<20), "203.0.113.9"); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("1 MB password: %v", err)
	}
	if n := m.throttle.size(); n != 0 {
		t.Fatalf("%d throttle records for refused names", n)
	}
}

func TestTheGateBoundsPasswordChecksAndTheQueue(t *testing.T) {
	ctx := context.Background()
	g := newGate(GateOpts{Concurrent: 1, Queue: 1, Wait: 50 * time.Millisecond})
	leave, err := g.enter(ctx)
	if err != nil {
		t.Fatal(err)
	}
	waited := make(chan error, 1)
	go func() {
		_, err := g.enter(ctx) // the one allowed to queue: it times out
		waited <- err
	}()
	for g.waiting.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	if _, err := g.enter(ctx); !errors.Is(err, ErrBusy) {
		t.Fatalf("beyond the queue: %v", err)
	}
	if err := <-waited; !errors.Is(err, ErrBusy) {
		t.Fatalf("waited past the limit: %v", err)
	}
	leave()
	if leave, err = g.enter(ctx); err != nil {
		t.Fatalf("after a turn ended: %v", err)
	}
	leave()
}

func TestPasswordChangeAndDisableEndSessionsAndTokens(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	m := newManager(t, &now)
	u, _ := m.AddUser(ctx, NewUser{Username: "xiaoli", Role: store.RoleAgent, Password: "password1"})
	other, _ := m.AddUser(ctx, NewUser{Username: "xiaomei", Role: store.RoleAgent, Password: "password1"})
	otherSession, _, _ := m.Login(ctx, "xiaomei", "password1")
	for _, step := range []struct {
		name string
		do   func() error
	}{
		{"SetPassword", func() error { _, err := m.SetPassword(ctx, u.ID, "new-password"); return err }},
		{"UpdateUser with a password", func() error {
			pw := "newer-password"
			_, err := m.UpdateUser(ctx, u.ID, UserChange{Password: &pw})
			return err
		}},
		{"DisableUser", func() error { _, err := m.DisableUser(ctx, u.ID); return err }},
	} {
		m.EnableUser(ctx, u.ID)
		pw := "password1"
		m.UpdateUser(ctx, u.ID, UserChange{Password: &pw})
		session, _, err := m.Login(ctx, "xiaoli", "password1")
		if err != nil {
			t.Fatal(err)
		}
		token, _, _ := m.CreateToken(ctx, u.ID, "回调")
		if err := step.do(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if _, err := m.FromSession(ctx, session); !errors.Is(err, ErrUnauthenticated) {
			t.Errorf("%s left the session working: %v", step.name, err)
		}
		if _, err := m.FromToken(ctx, token); !errors.Is(err, ErrUnauthenticated) {
			t.Errorf("%s left the API token working: %v", step.name, err)
		}
	}
	if got, err := m.FromSession(ctx, otherSession); err != nil || got.ID != other.ID {
		t.Fatalf("another user's session ended too: %v", err)
	}
	m.EnableUser(ctx, u.ID)
	if _, _, err := m.Login(ctx, "xiaoli", "password1"); err != nil {
		t.Fatalf("enabled again: %v", err)
	}
}

// BenchmarkCheckPassword is one sign-in's argon2id check (19 MiB, 2 passes, OWASP's
// minimum): the cost the gate bounds (docs/SECURITY.md).
func BenchmarkCheckPassword(b *testing.B) {
	h, err := HashPassword("correct horse")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		CheckPassword(h, "correct horse")
	}
}
