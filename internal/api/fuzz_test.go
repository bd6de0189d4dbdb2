package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http/httptest"
	"testing"

	"github.com/shouhou/shouhou/internal/store"
)

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
			if !errors.As(err, &apiErr) || apiErr.Status >= 500 {
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
