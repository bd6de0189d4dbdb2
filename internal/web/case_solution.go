package web

import (
	"net/http"
	"strings"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/money"
)

// solutionActions are the solution picker's buttons.
var solutionActions = map[string]struct {
	typ   cases.EventType
	label string
}{
	"offered":  {cases.EvSolutionOffer, "已提出方案"},
	"accepted": {cases.EvSolutionAccept, "已记录顾客同意"},
	"refused":  {cases.EvSolutionRefuse, "已记录顾客拒绝"},
	"approval": {cases.EvApprovalAsked, "已申请主管审批"},
}

// caseSolution records a solution: offered, accepted or refused by the customer, or,
// above the agent's compensation limit, a request for a supervisor's approval.
func (s *Server) caseSolution(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	act, ok := solutionActions[r.PostFormValue("action")]
	if !ok {
		act = solutionActions["offered"]
	}
	p := cases.SolutionPayload{Kind: r.PostFormValue("kind"), Note: strings.TrimSpace(r.PostFormValue("note")), Data: openingData(r)}
	if v := strings.TrimSpace(r.PostFormValue("amount")); v != "" {
		if p.Amount, err = money.Parse(v); err != nil {
			return s.actionFailed(w, r, id, cases.ValidationError{{Field: "amount", Message: "金额格式不正确,例如 10 或 12.5"}},
				func(d *caseData, p problem) { d.SolutionError = p.Message })
		}
	}
	warnings, err := s.appendEvent(r, id, act.typ, p)
	if err != nil {
		return s.actionFailed(w, r, id, err, func(d *caseData, p problem) { d.SolutionError = p.Message })
	}
	return s.done(w, r, id, act.label+":"+solutionLabel(p.Kind)+amountText(p.Amount), warnings)
}
