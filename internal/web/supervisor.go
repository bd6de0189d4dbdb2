package web

import (
	"net/http"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/store"
)

type loadRow struct {
	User    store.User
	Open    int
	Overdue int
	More    bool // Open reached the counting cap
}

type supervisorData struct {
	Pending []queueRow
	Load    []loadRow
	Overdue []queueRow
	LoadCap int
}

// loadCap bounds the per-assignee count: the team-load column reads at most one page
// of the assignee index per agent instead of counting every open case.
const loadCap = 100

// supervisorView shows pending approvals, team load and overdue cases.
func (s *Server) supervisorView(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	now := s.now()
	d := supervisorData{LoadCap: loadCap}
	// Newest first on the pending-approval index: sorting by due time would make SQLite
	// walk the due index over every open case to find the few pending ones.
	pending, err := s.desk.List(ctx, store.CaseFilter{PendingApproval: true, Limit: 50}, false)
	if err != nil {
		return err
	}
	for _, c := range pending.Cases {
		left, late := timeLeft(c.ResolveDueAt, now)
		d.Pending = append(d.Pending, queueRow{Case: c, Left: left, Overdue: late})
	}
	users, err := s.auth.Users(ctx)
	if err != nil {
		return err
	}
	for _, u := range users {
		if u.Disabled || u.Role == store.RoleAdmin {
			continue
		}
		open, err := s.desk.List(ctx, store.CaseFilter{Assignee: u.Username, Status: cases.StatusOpen, Limit: loadCap}, false)
		if err != nil {
			return err
		}
		late, err := s.desk.List(ctx, store.CaseFilter{Assignee: u.Username, Status: cases.StatusOpen, Limit: loadCap}, true)
		if err != nil {
			return err
		}
		d.Load = append(d.Load, loadRow{User: u, Open: len(open.Cases), Overdue: len(late.Cases), More: open.NextCursor != ""})
	}
	overdue, err := s.desk.List(ctx, store.CaseFilter{Status: cases.StatusOpen, Sort: "due", Limit: 30}, true)
	if err != nil {
		return err
	}
	for _, c := range overdue.Cases {
		left, late := timeLeft(c.ResolveDueAt, now)
		d.Overdue = append(d.Overdue, queueRow{Case: c, Left: left, Overdue: late})
	}
	return s.render(w, r, http.StatusOK, "supervisor", layout{Title: "主管视图", Nav: "supervisor", Data: d})
}
