package web

import "net/http"

// logout ends the session (for the API too) and returns to the login page.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(SessionCookie); err == nil {
		if err := s.auth.Logout(r.Context(), c.Value); err != nil {
			return err
		}
	}
	s.clearSession(w)
	http.Redirect(w, r, "/login?why=logout", http.StatusSeeOther)
	return nil
}
