package auth

import (
	"net/http"
	"net/url"
)

// SameOrigin refuses a cookie-authenticated write from another site (CSRF): browsers
// send Origin on cross-site POSTs, and it must name this host. Reads are always fine.
func SameOrigin(r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return true
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return r.Header.Get("Sec-Fetch-Site") != "cross-site"
	}
	u, err := url.Parse(origin)
	return err == nil && u.Host == r.Host
}
