package api

import (
	"net/url"
	"testing"
)

// FuzzParseFilter: no query string panics the list filter parser, and whatever it
// accepts is within the documented bounds.
func FuzzParseFilter(f *testing.F) {
	for _, q := range []string{"stage=verify&level=2", "limit=0", "limit=999999999999999999999", "created_from=2026-02-30",
		"overdue=maybe", "assignee=me&sort=due", "q=%E7%A0%B4", "type=quality.leak&cursor=MTIzLjQ1"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		filter, _, err := parseFilter(q, "me")
		if err != nil {
			return
		}
		if filter.Limit < 0 || filter.Limit > 200 || (filter.Level != 0 && !filter.Level.Valid()) {
			t.Fatalf("accepted out-of-range filter %+v from %q", filter, raw)
		}
	})
}
