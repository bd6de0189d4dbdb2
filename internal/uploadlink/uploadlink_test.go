package uploadlink

import (
	"bytes"
	"crypto/rand"
	"strings"
	"testing"
	"time"
)

func TestTokenIsUnguessableAndOnlyItsHashIsKept(t *testing.T) {
	a, ha, err := NewToken(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	b, hb, _ := NewToken(rand.Reader)
	if a == b || ha == hb {
		t.Fatal("two tokens alike")
	}
	if !ValidToken(a) || len(a) != 22 {
		t.Fatalf("token %q: want 22 URL-safe characters", a)
	}
	if ha != Hash(a) || strings.Contains(ha, a) || len(ha) != 64 {
		t.Fatalf("hash %q of %q", ha, a)
	}
	if _, _, err := NewToken(bytes.NewReader([]byte{1, 2})); err == nil {
		t.Fatal("short randomness accepted")
	}
	for _, bad := range []string{"", "abc", a + "x", strings.Repeat("/", 22), "../../../../etc/passwd0"} {
		if ValidToken(bad) {
			t.Errorf("%q has a token's shape", bad)
		}
	}
}

func TestLinkStateExpiresAtTheEndAndRevokedWins(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	rev := t0.Add(time.Hour)
	for _, tc := range []struct {
		name string
		link Link
		at   time.Time
		want State
		err  error
	}{
		{"fresh", Link{ExpiresAt: t0.Add(72 * time.Hour)}, t0, Active, nil},
		{"last millisecond", Link{ExpiresAt: t0.Add(72 * time.Hour)}, t0.Add(72*time.Hour - time.Millisecond), Active, nil},
		{"at the end", Link{ExpiresAt: t0.Add(72 * time.Hour)}, t0.Add(72 * time.Hour), Expired, ErrExpired},
		{"revoked", Link{ExpiresAt: t0.Add(72 * time.Hour), RevokedAt: &rev}, t0.Add(2 * time.Hour), Revoked, ErrRevoked},
		{"revoked and expired", Link{ExpiresAt: t0, RevokedAt: &rev}, t0.Add(99 * time.Hour), Revoked, ErrRevoked},
	} {
		if got := tc.link.State(tc.at); got != tc.want {
			t.Errorf("%s: state %s, want %s", tc.name, got, tc.want)
		}
		if err := tc.link.Check(tc.at); err != tc.err {
			t.Errorf("%s: check %v, want %v", tc.name, err, tc.err)
		}
	}
}

func TestLimiterCountsPerKeyPerMinute(t *testing.T) {
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	l := NewLimiter(func() time.Time { return now })
	for i := range 3 {
		if !l.Allow("a", 3) {
			t.Fatalf("request %d refused", i+1)
		}
	}
	if l.Allow("a", 3) {
		t.Fatal("4th request in a minute allowed")
	}
	if !l.Allow("b", 3) {
		t.Fatal("another key was limited")
	}
	now = now.Add(time.Minute)
	if !l.Allow("a", 3) {
		t.Fatal("a new minute still limited")
	}
}

func TestConfigRefusesNonsense(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []Config{{TTL: 0, PerLinkPerMinute: 1, PerAddrPerMinute: 1, MaxFiles: 1}, {TTL: time.Hour, MaxFiles: 1},
		{TTL: time.Hour, PerLinkPerMinute: 1, PerAddrPerMinute: 1}, {TTL: time.Hour, PerLinkPerMinute: 1, PerAddrPerMinute: 1, MaxFiles: 1, BaseURL: "desk.example.com"}} {
		if c.Validate() == nil {
			t.Errorf("%+v accepted", c)
		}
	}
}

func TestScriptLineCarriesTheLinkAndTheEnd(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	line := ScriptLine("https://d.example/u/abc", time.Date(2026, 12, 4, 1, 0, 0, 0, time.UTC), sh, []string{"六面照", "面单"})
	for _, want := range []string{"https://d.example/u/abc", "12月4日09:00", "六面照、面单"} {
		if !strings.Contains(line, want) {
			t.Errorf("%q lacks %q", line, want)
		}
	}
}
