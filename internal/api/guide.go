package api

import (
	"net/http"

	"github.com/shouhou/shouhou/internal/money"
	"github.com/shouhou/shouhou/internal/policy"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/training"
)

// compensationLimit is what the signed-in user may grant without approval.
type compensationLimit struct {
	Limit     money.Amount `json:"limit"`
	Unlimited bool         `json:"unlimited"`
	Rule      policy.Rule  `json:"rule"`
}

// guide answers where the case stands in the SOP: step, next actions, missing
// evidence, timers, allowed solutions in ladder order, violations and flags, and the
// signed-in user's compensation limit.
func (s *Server) guide(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, events, g, err := s.desk.Guide(r.Context(), id)
	if err != nil {
		return err
	}
	a := s.desk.CompensationLimit(r.Context(), actorOf(r), c)
	out := map[string]any{
		"case_id": c.ID, "version": c.Version, "guide": g, "executions": executionViews(c, events),
		"compensation_limit": compensationLimit{Limit: a.Limit, Unlimited: a.Unlimited, Rule: a.Rule},
	}
	if s.exam {
		out["guide"], out["exam"] = training.ExamGuide(g), true
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// approvals lists the cases waiting for a supervisor's decision.
func (s *Server) approvals(w http.ResponseWriter, r *http.Request) error {
	return s.listPage(w, r, func(f *store.CaseFilter) { f.PendingApproval = true })
}
