package web

import (
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/shouhou/shouhou/internal/auth"
)

type loginData struct {
	Username string
	Next     string
	Message  string
	Error    string
}

// safeNext keeps a post-login redirect on this site: a path of its own, nothing a
// browser could read as another host. Browsers drop tabs and newlines from URLs and
// treat a backslash as a slash, so "/\t/evil.example/" would become
// "//evil.example/"; any control character, space or backslash is refused outright.
func safeNext(next string) string {
	const home = "/" // the home page sends each role where its work is
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || len(next) > 2048 {
		return home
	}
	for _, r := range next {
		if r < 0x20 || r == 0x7f || r == ' ' || r == '\\' || r == utf8.RuneError {
			return home
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return home
	}
	return next
}

// loginForm shows the sign-in form; why=expired says the session ran out.
func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) error {
	d := loginData{Next: safeNext(r.URL.Query().Get("next"))}
	switch r.URL.Query().Get("why") {
	case "expired":
		d.Message = "登录已过期,请重新登录"
	case "logout":
		d.Message = "已退出登录"
	}
	return s.render(w, r, http.StatusOK, "login", layout{Title: "登录", Data: d})
}

// login checks the password and opens the same session the API uses.
func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	d := loginData{Username: strings.TrimSpace(r.PostFormValue("username")), Next: safeNext(r.PostFormValue("next"))}
	secret, _, err := s.auth.LoginFrom(r.Context(), d.Username, r.PostFormValue("password"), clientAddr(r))
	if errors.Is(err, auth.ErrBadCredentials) {
		d.Error = "用户名或密码错误"
		return s.render(w, r, http.StatusUnauthorized, "login", layout{Title: "登录", Data: d})
	}
	var throttled *auth.ThrottledError
	if errors.As(err, &throttled) {
		secs := int64(math.Ceil(throttled.RetryAfter.Seconds()))
		w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
		d.Error = fmt.Sprintf("密码错误次数过多,请%d秒后再试", secs)
		return s.render(w, r, http.StatusTooManyRequests, "login", layout{Title: "登录", Data: d})
	}
	if errors.Is(err, auth.ErrBusy) {
		w.Header().Set("Retry-After", "1")
		d.Error = "登录的人太多,请稍后重试"
		return s.render(w, r, http.StatusServiceUnavailable, "login", layout{Title: "登录", Data: d})
	}
	if err != nil {
		return err
	}
	s.setSession(w, secret, s.auth.SessionTTL())
	http.Redirect(w, r, d.Next, http.StatusSeeOther)
	return nil
}

// clientAddr is the connection's IP, which the sign-in throttle keys attempts by
// (the same as api.ClientAddr).
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
