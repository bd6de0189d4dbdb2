package api

import (
	"net/http"
	"strconv"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/playbook"
	"github.com/shouhou/shouhou/internal/store"
)

// caseView is a case as the API shows it: its state, whether it is overdue, and the
// other cases on the same order.
type caseView struct {
	cases.Case
	// Overdue: the first response or the resolution is late; each is also given apart,
	// with the near-deadline flag (即将超时) and the time the SLA clock stood still.
	Overdue         bool    `json:"overdue"`
	ResponseOverdue bool    `json:"response_overdue"`
	ResolveOverdue  bool    `json:"resolve_overdue"`
	NearDue         bool    `json:"near_due"`
	Paused          bool    `json:"paused"`
	PausedMinutes   int64   `json:"paused_minutes"`
	Related         []int64 `json:"related,omitempty"`
	// Warnings are SOP rules the change just made breaks without being refused.
	Warnings []playbook.Violation `json:"warnings,omitempty"`
	// Timers are the case's running durable timers (on the single-case read).
	Timers []store.Timer `json:"timers,omitempty"`
}

func (s *Server) getCase(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := s.desk.Get(r.Context(), id)
	if err != nil {
		return err
	}
	related, err := s.desk.Related(r.Context(), c)
	if err != nil {
		return err
	}
	v := s.view(c, related)
	if v.Timers, err = s.desk.Timers(r.Context(), c.ID); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) listCases(w http.ResponseWriter, r *http.Request) error {
	return s.listPage(w, r, func(*store.CaseFilter) {})
}

// listPage answers one page of cases for the request's filters, narrowed by narrow.
func (s *Server) listPage(w http.ResponseWriter, r *http.Request, narrow func(*store.CaseFilter)) error {
	f, overdue, err := s.desk.ListQuery(r.URL.Query(), userFrom(r.Context()).Username)
	if err != nil {
		return err
	}
	if err := s.desk.ScopeList(r.Context(), actorOf(r), &f); err != nil {
		return err
	}
	narrow(&f)
	page, err := s.desk.List(r.Context(), f, overdue)
	if err != nil {
		return err
	}
	views := make([]caseView, len(page.Cases))
	for i, c := range page.Cases {
		views[i] = s.view(c, nil)
	}
	writeJSON(w, http.StatusOK, map[string]any{"cases": views, "next_cursor": page.NextCursor})
	return nil
}

func (s *Server) listEvents(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	after, limit := int64(0), 0
	if v := r.URL.Query().Get("after"); v != "" {
		if after, err = strconv.ParseInt(v, 10, 64); err != nil || after < 0 {
			return fieldError("after", "after 须为非负整数")
		}
	}
	if v := r.URL.Query().Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > 1000 {
			return fieldError("limit", "每页数量须在1到1000之间")
		}
	}
	events, err := s.desk.Events(r.Context(), id, after, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"events": events})
	return nil
}
