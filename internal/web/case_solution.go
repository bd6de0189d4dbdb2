package web

import (
	"net/http"
	"strings"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/money"
	"github.com/shouhou/shouhou/internal/playbook"
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
	p := cases.SolutionPayload{Kind: r.PostFormValue("kind"), Note: strings.TrimSpace(r.PostFormValue("note")),
		Part: strings.TrimSpace(r.PostFormValue("part"))}
	if p.Kind != cases.SolutionRepair && p.Kind != cases.SolutionExchange {
		p.Part = ""
	}
	p.Data, err = s.openingData(r, p.Kind)
	for _, a := range []struct {
		field string
		into  *money.Amount
	}{{"amount", &p.Amount}, {"price_diff", &p.PriceDiff}} {
		if v := strings.TrimSpace(r.PostFormValue(a.field)); v != "" && err == nil {
			if *a.into, err = money.Parse(v); err != nil {
				err = cases.ValidationError{{Field: a.field, Message: "金额格式不正确,例如 10 或 12.5"}}
			}
		}
	}
	var warnings []playbook.Violation
	if err == nil {
		warnings, err = s.appendEvent(r, id, act.typ, p)
	}
	if err != nil {
		return s.actionFailed(w, r, id, err, func(d *caseData, p problem) { d.SolutionError = p.Message })
	}
	return s.done(w, r, id, act.label+":"+solutionLabel(p.Kind)+amountText(p.Amount), warnings)
}
