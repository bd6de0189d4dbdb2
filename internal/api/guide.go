package api

import (
	"net/http"
	"time"

	"github.com/shouhou/shouhou/internal/money"
)

// compensationLimit is what the signed-in user may grant without approval.
type compensationLimit struct {
	Limit     money.Amount `json:"limit"`
	Unlimited bool         `json:"unlimited"`
}

// guide answers where the case stands in the SOP: step, next actions, missing
// evidence, timers, allowed solutions in ladder order, violations and flags, and the
// signed-in user's compensation limit.
func (s *Server) guide(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, g, err := s.desk.Guide(r.Context(), id)
	if err != nil {
		return err
	}
	limit, unlimited := s.desk.CompensationLimit(actorOf(r))
	writeJSON(w, http.StatusOK, map[string]any{
		"case_id": c.ID, "version": c.Version, "guide": g,
		"compensation_limit": compensationLimit{Limit: limit, Unlimited: unlimited},
	})
	return nil
}

// approvals lists the cases waiting for a supervisor's decision, oldest first.
func (s *Server) approvals(w http.ResponseWriter, r *http.Request) error {
	f, _, err := parseFilter(r.URL.Query(), userFrom(r.Context()).Username)
	if err != nil {
		return err
	}
	f.PendingApproval = true
	page, err := s.desk.List(r.Context(), f, false)
	if err != nil {
		return err
	}
	now := time.Now()
	views := make([]caseView, len(page.Cases))
	for i, c := range page.Cases {
		views[i] = caseView{Case: c, Overdue: c.Overdue(now)}
	}
	writeJSON(w, http.StatusOK, map[string]any{"cases": views, "next_cursor": page.NextCursor})
	return nil
}
