package api

import (
	"net/http"
	"strconv"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/execution"
)

// executionView is an accepted solution being carried out, with what comes next.
type executionView struct {
	execution.Solution
	KindLabel  string            `json:"kind_label"`
	StateLabel string            `json:"state_label"`
	NextAction string            `json:"next_action"`
	Next       []execution.State `json:"next_states"`
}

func executionViews(c cases.Case, events []cases.Event) []executionView {
	actions := desk.NextActions(c, events)
	views := make([]executionView, len(c.Executions))
	for i, s := range c.Executions {
		views[i] = executionView{Solution: s, KindLabel: execution.KindLabel(s.Kind), StateLabel: execution.StateLabelOf(s.Kind, s.State),
			NextAction: actions[s.ID], Next: nonNil(execution.Next(s))}
	}
	return views
}

// stepExecution moves an accepted solution on (shipped, received and inspected,
// refunded …). The body names the state the agent saw (from); if someone moved it
// first the answer is 409 with the current state.
func (s *Server) stepExecution(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	sid, err := strconv.ParseInt(r.PathValue("sid"), 10, 64)
	if err != nil {
		return apiError(http.StatusNotFound, "not_found", "找不到该方案")
	}
	var t execution.Transition
	if err := s.decodeJSON(r, &t); err != nil {
		return err
	}
	if t.SolutionID == 0 {
		t.SolutionID = sid
	}
	if t.SolutionID != sid {
		return fieldError("solution_id", "路径中的方案编号与内容不一致")
	}
	c, warnings, err := s.desk.Step(r.Context(), actorOf(r), id, t)
	if err != nil {
		return err
	}
	events, err := s.desk.Events(r.Context(), id, 0, 0)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"case": caseView{Case: c, Warnings: warnings}, "executions": executionViews(c, events)})
	return nil
}
