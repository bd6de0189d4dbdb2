package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/shouhou/shouhou/internal/store"
)

// FuzzParseFilter: no query string panics the list filter parser, and whatever it
// accepts is within the documented bounds.
func FuzzParseFilter(f *testing.F) {
	for _, q := range []string{"stage=verify&level=2", "limit=0", "limit=999999999999999999999", "created_from=2026-02-30",
		"overdue=maybe", "assignee=me&sort=due", "q=%E7%A0%B4", "type=quality.leak&cursor=MTIzLjQ1",
		"q=" + strings.Repeat("%E7%A0%B4", 100), "q=%00", "q=%FF", "assignee=me&level=4"} {
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

// FuzzDecodeJSON: whatever body arrives, the strict decoder never panics, and what
// it accepts is one JSON value whose strings hold no NUL and are valid UTF-8.
func FuzzDecodeJSON(f *testing.F) {
	for _, seed := range []string{
		`{"name":"淘宝回调"}`, `{"name":"a"}garbage`, `{"name":"a"}{"name":"b"}`, `{"name":"\u0000"}`, "{\"name\":\"\xff\"}",
		`{"name":"C:\\u0000"}`, `{"name":"a","other":1}`, `{"name":1}`, ``, `null`, ` {"name":"x"} `, `{"name":"\ud800"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest("POST", "/", bytes.NewReader(body))
		var v struct {
			Name string `json:"name"`
		}
		if err := decodeJSONLimit(r, &v, 1<<20); err != nil {
			var apiErr *Error
			if !errors.As(err, &apiErr) || apiErr.status >= 500 {
				t.Fatalf("%q: %v is not a client error", body, err)
			}
			return
		}
		if !store.CleanText(v.Name) {
			t.Fatalf("%q: accepted a name with a NUL or invalid UTF-8: %q", body, v.Name)
		}
		dec := json.NewDecoder(bytes.NewReader(body))
		var first, second json.RawMessage
		if dec.Decode(&first) != nil || dec.Decode(&second) != io.EOF {
			t.Fatalf("%q: accepted though it is not exactly one JSON value", body)
		}
	})
}
