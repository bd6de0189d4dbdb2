package web

import (
	"context"

	"github.com/shouhou/shouhou/internal/desk"
)

// userNames maps user names (the actor and assignee stored on cases) to the names
// pages show: the display name, so that a page says 小美 and not xiaomei.
type userNames map[string]string

func (n userNames) of(username string) string {
	if v, ok := n[username]; ok && v != "" {
		return v
	}
	if username == desk.SystemActor {
		return "系统"
	}
	return username
}

// userNames reads every user's display name (a handful of rows, once per page).
func (s *Server) userNames(ctx context.Context) (userNames, error) {
	users, err := s.auth.Users(ctx)
	if err != nil {
		return nil, err
	}
	n := make(userNames, len(users))
	for _, u := range users {
		n[u.Username] = u.Name()
	}
	return n, nil
}

// displayName is the template's {{who $.Names .Assignee}}.
func displayName(n userNames, username string) string { return n.of(username) }
