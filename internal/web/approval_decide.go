package web

import (
	"net/http"
	"strings"

	"github.com/shouhou/shouhou/internal/cases"
)

// approvalDecide grants or refuses a pending request in one click (approval.granted /
// approval.refused as the supervisor), then returns to where the click came from.
func (s *Server) approvalDecide(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	c, err := s.desk.Get(r.Context(), id)
	if err != nil {
		return err
	}
	back := "/supervisor"
	if r.PostFormValue("back") == "case" {
		back = caseURL(id)
	}
	if c.PendingApproval == nil {
		return s.redirect(w, r, back, flash{Kind: "error", Message: "工单 #" + itoa(id) + " 没有待审批的申请"})
	}
	p := cases.ApprovalPayload{Kind: c.PendingApproval.Kind, Amount: c.PendingApproval.Amount, Note: strings.TrimSpace(r.PostFormValue("note"))}
	if p.Kind == "" {
		p.Kind = "compensation"
	}
	typ, verb := cases.EvApprovalGiven, "已批准"
	if r.PostFormValue("decision") == "refuse" {
		typ, verb = cases.EvApprovalDenied, "已拒绝"
	}
	if _, err := s.appendEvent(r, id, typ, p); err != nil {
		return s.redirect(w, r, back, flash{Kind: "error", Message: "工单 #" + itoa(id) + ":" + explain(err).Message})
	}
	msg := verb + "工单 #" + itoa(id) + " 的" + solutionLabel(p.Kind) + amountText(p.Amount)
	return s.redirect(w, r, back, flash{Kind: "ok", Message: msg})
}
