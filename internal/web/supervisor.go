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
	Pending     []queueRow
	Load        []loadRow
	Overdue     []queueRow
	LoadCap     int
	OverdueCap  int
	OverdueMore bool
}

// loadCap bounds the per-assignee count: the team-load column reads at most one page
// of the assignee index per agent instead of counting every open case.
const loadCap = 100

// overdueCap bounds the overdue walk; overdueShown of them are listed.
const (
	overdueCap   = 200
	overdueShown = 30
)

// supervisorView shows pending approvals, team load and overdue cases.
func (s *Server) supervisorView(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	now := s.now()
	d := supervisorData{LoadCap: loadCap, OverdueCap: overdueCap}
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
	// Overdue cases come from one walk of the due index (the clock that ran out first
	// first); the per-assignee overdue column counts within that walk.
	overdue, err := s.desk.List(ctx, store.CaseFilter{Status: cases.StatusOpen, Sort: "due", Limit: overdueCap, OverdueKind: store.OverdueAny}, true)
	if err != nil {
		return err
	}
	lateBy := map[string]int{}
	for i, c := range overdue.Cases {
		lateBy[c.Assignee]++
		if i < overdueShown {
			left, late := timeLeft(c.ResolveDueAt, now)
			d.Overdue = append(d.Overdue, queueRow{Case: c, Left: left, Overdue: late})
		}
	}
	d.OverdueMore = overdue.NextCursor != ""
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
		d.Load = append(d.Load, loadRow{User: u, Open: len(open.Cases), Overdue: lateBy[u.Username], More: open.NextCursor != ""})
	}
	return s.render(w, r, http.StatusOK, "supervisor", layout{Title: "主管视图", Nav: "supervisor", Data: d})
}
