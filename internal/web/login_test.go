package web

import "testing"

func TestSafeNextKeepsTheRedirectOnThisSite(t *testing.T) {
	for _, c := range []struct{ next, want string }{
		{"/team", "/team"},
		{"/cases/12?tab=events#remarks", "/cases/12?tab=events#remarks"},
		{"/%09/evil.example/", "/%09/evil.example/"}, // still encoded: a path on this site
		{"/\t/evil.example/", "/queue"},              // the hostile test's next=/%09/evil.example/, decoded
		{"/\n/evil.example/", "/queue"},
		{"/\r/evil.example/", "/queue"},
		{"/ /evil.example/", "/queue"},
		{"//evil.example/", "/queue"},
		{"/\\evil.example/", "/queue"},
		{"/\\/evil.example/", "/queue"},
		{"https://evil.example/", "/queue"},
		{"javascript:alert(1)", "/queue"},
		{"", "/queue"},
		{"/\x00", "/queue"},
		{"/\x7f/evil", "/queue"},
		{"/\xff", "/queue"},
	} {
		if got := safeNext(c.next); got != c.want {
			t.Errorf("safeNext(%q) = %q, want %q", c.next, got, c.want)
		}
	}
}
