package httpx

import (
	"net/http"
	"time"
)

// SessionCookie holds a browser's session secret, for the API and the workbench alike.
const SessionCookie = "shouhou_session"

// SetSession sets the session cookie for ttl (negative: removes it). secure marks it
// Secure (behind HTTPS).
func SetSession(w http.ResponseWriter, secret string, ttl time.Duration, secure bool) {
	maxAge := int(ttl.Seconds())
	if ttl < 0 {
		secret, maxAge = "", -1
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: secret, Path: "/", HttpOnly: true,
		Secure: secure, SameSite: http.SameSiteLaxMode, MaxAge: maxAge})
}

// SessionSecret is the request's session secret, or "".
func SessionSecret(r *http.Request) string {
	if c, err := r.Cookie(SessionCookie); err == nil {
		return c.Value
	}
	return ""
}
