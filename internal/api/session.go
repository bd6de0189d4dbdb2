package api

import (
	"net"
	"net/http"

	"github.com/shouhou/shouhou/internal/auth"
	"github.com/shouhou/shouhou/internal/httpx"
	"github.com/shouhou/shouhou/internal/store"
)

// maxLoginBody bounds a login request: a name and a password fit in 4 KiB.
const maxLoginBody = 4 << 10

// ClientAddr is the address a request came from, as the sign-in throttle keys it:
// the connection's IP (a proxy in front should be the only client of shouhou, and
// then all sign-ins share its address; see docs/SECURITY.md).
func ClientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// login opens a browser session (cookie) and also returns the user.
func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	var req loginRequest
	if err := decodeJSONLimit(r, &req, maxLoginBody); err != nil {
		return err
	}
	secret, u, err := s.auth.LoginFrom(r.Context(), req.Username, req.Password, ClientAddr(r))
	if err != nil {
		return err
	}
	s.setSessionCookie(w, secret, s.auth.SessionTTL())
	writeJSON(w, http.StatusOK, map[string]any{"user": u})
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(SessionCookie); err == nil {
		if err := s.auth.Logout(r.Context(), c.Value); err != nil {
			return err
		}
	}
	s.setSessionCookie(w, "", -1)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]any{"user": userFrom(r.Context())})
	return nil
}

func (s *Server) listTokens(w http.ResponseWriter, r *http.Request) error {
	tokens, err := s.auth.Tokens(r.Context(), userFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"tokens": tokens})
	return nil
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		Name   string   `json:"name"`
		Scopes []string `json:"scopes"`
	}
	if err := s.decodeJSON(r, &req); err != nil {
		return err
	}
	secret, t, err := s.auth.CreateScopedToken(r.Context(), userFrom(r.Context()).ID, req.Name, req.Scopes)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"token": t, "secret": secret})
	return nil
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.auth.RevokeToken(r.Context(), userFrom(r.Context()).ID, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) error {
	users, err := s.auth.Users(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": users})
	return nil
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) error {
	var req auth.NewUser
	if err := s.decodeJSON(r, &req); err != nil {
		return err
	}
	u, err := s.auth.AddUser(r.Context(), req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"user": u})
	return nil
}

func (s *Server) updateUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req auth.UserChange
	if err := s.decodeJSON(r, &req); err != nil {
		return err
	}
	if me := userFrom(r.Context()); me.ID == id && ((req.Role != nil && *req.Role != store.RoleAdmin) || (req.Disabled != nil && *req.Disabled)) {
		return fieldError("role", "不能降低或停用自己的管理员账号")
	}
	u, err := s.auth.UpdateUser(r.Context(), id, req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"user": u})
	return nil
}

func pathID(r *http.Request, name string) (int64, error) { return httpx.PathID(r, name) }
