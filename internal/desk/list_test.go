package desk

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzListQuery: no query string panics the list filter parser, and whatever it
// accepts is within the documented bounds.
func FuzzListQuery(f *testing.F) {
	for _, q := range []string{"stage=verify&level=2", "limit=0", "limit=999999999999999999999", "created_from=2026-02-30",
		"overdue=maybe", "assignee=me&sort=due", "q=%E7%A0%B4", "type=quality.leak&cursor=MTIzLjQ1",
		"q=" + strings.Repeat("%E7%A0%B4", 100), "q=%00", "q=%FF", "assignee=me&level=4", "overdue=response&unassigned=1"} {
		f.Add(q)
	}
	d := New(Opts{})
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		filter, _, err := d.ListQuery(q, "me")
		if err != nil {
			return
		}
		if filter.Limit < 0 || filter.Limit > 200 || (filter.Level != 0 && !filter.Level.Valid()) {
			t.Fatalf("accepted out-of-range filter %+v from %q", filter, raw)
		}
	})
}

func TestListQueryRefusesEveryUnknownValueWithItsField(t *testing.T) {
	d := New(Opts{})
	for _, tt := range []struct{ query, field string }{
		{"stage=verified", "stage"}, {"type=quality", "type"}, {"platform=amazon", "platform"},
		{"status=done", "status"}, {"sort=oldest", "sort"}, {"level=4", "level"}, {"limit=201", "limit"},
		{"overdue=maybe", "overdue"}, {"created_from=2026-02-30", "created_from"}, {"created_to=11/30", "created_to"},
	} {
		q, _ := url.ParseQuery(tt.query)
		_, _, err := d.ListQuery(q, "me")
		if err == nil || !containsField(err, tt.field) {
			t.Errorf("%s: %v, want an error on %s", tt.query, err, tt.field)
		}
	}
	q, _ := url.ParseQuery("assignee=me&created_from=2026-11-30&created_to=2026-11-30&overdue=1")
	f, overdue, err := d.ListQuery(q, "xiaomei")
	if err != nil || f.Assignee != "xiaomei" || !overdue || f.CreatedBefore.Sub(f.CreatedFrom).Hours() != 24 ||
		f.CreatedFrom.In(d.Zone()).Hour() != 0 {
		t.Fatalf("valid query read as %+v overdue=%v err=%v", f, overdue, err)
	}
}

func containsField(err error, field string) bool {
	verr, ok := err.(interface{ Has(string) bool })
	return ok && verr.Has(field)
}
