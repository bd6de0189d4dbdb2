package web

import "testing"

func TestSafeNextKeepsTheRedirectOnThisSite(t *testing.T) {
	for _, c := range []struct{ next, want string }{
		{"/team", "/team"},
		{"/cases/12?tab=events#remarks", "/cases/12?tab=events#remarks"},
		{"/%09/evil.example/", "/%09/evil.example/"}, // still encoded: a path on this site
		{"/\t/evil.example/", "/"},                   // the hostile test's next=/%09/evil.example/, decoded
		{"/\n/evil.example/", "/"},
		{"/\r/evil.example/", "/"},
		{"/ /evil.example/", "/"},
		{"//evil.example/", "/"},
		{"/\\evil.example/", "/"},
		{"/\\/evil.example/", "/"},
		{"https://evil.example/", "/"},
		{"javascript:alert(1)", "/"},
		{"", "/"},
		{"/\x00", "/"},
		{"/\x7f/evil", "/"},
		{"/\xff", "/"},
	} {
		if got := safeNext(c.next); got != c.want {
			t.Errorf("safeNext(%q) = %q, want %q", c.next, got, c.want)
		}
	}
}
