package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/shouhou/shouhou/internal/auth"
)

type loginData struct {
	Username string
	Next     string
	Message  string
	Error    string
}

// safeNext keeps a post-login redirect on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
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
	secret, _, err := s.auth.Login(r.Context(), d.Username, r.PostFormValue("password"))
	if errors.Is(err, auth.ErrBadCredentials) {
		d.Error = "用户名或密码错误"
		return s.render(w, r, http.StatusUnauthorized, "login", layout{Title: "登录", Data: d})
	}
	if errors.Is(err, auth.ErrThrottled) {
		d.Error = "密码错误次数过多,请15分钟后再试"
		return s.render(w, r, http.StatusTooManyRequests, "login", layout{Title: "登录", Data: d})
	}
	if err != nil {
		return err
	}
	s.setSession(w, secret, s.auth.SessionTTL())
	http.Redirect(w, r, d.Next, http.StatusSeeOther)
	return nil
}
