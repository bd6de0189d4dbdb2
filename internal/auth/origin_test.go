package auth

import (
	"net/http/httptest"
	"testing"
)

func TestSameOriginRefusesCrossSiteWritesOnly(t *testing.T) {
	tests := []struct {
		name, method, origin, fetchSite string
		ok                              bool
	}{
		{"read from anywhere", "GET", "https://evil.example", "cross-site", true},
		{"write from this host", "POST", "http://shouhou.local", "", true},
		{"write from another site", "POST", "https://evil.example", "", false},
		{"write from another port of the host", "POST", "http://shouhou.local:9999", "", false},
		{"write without Origin, same site", "POST", "", "same-origin", true},
		{"write without Origin, cross site", "POST", "", "cross-site", false},
		{"write with a malformed Origin", "POST", "::bad", "", false},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(tt.method, "http://shouhou.local/cases", nil)
		if tt.origin != "" {
			r.Header.Set("Origin", tt.origin)
		}
		if tt.fetchSite != "" {
			r.Header.Set("Sec-Fetch-Site", tt.fetchSite)
		}
		if got := SameOrigin(r); got != tt.ok {
			t.Errorf("%s: SameOrigin = %v", tt.name, got)
		}
	}
}
