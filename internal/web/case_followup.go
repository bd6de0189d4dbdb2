package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/shouhou/shouhou/internal/cases"
)

// caseFollowUp records the outcome of the 回访 visit: the satisfaction score, whether
// the problem is solved and the customer's comment. A bad outcome reopens the case for
// a supervisor (the desk decides; the page says so).
func (s *Server) caseFollowUp(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var p cases.FollowUpPayload
	p.Comment = strings.TrimSpace(r.PostFormValue("comment"))
	if v := r.PostFormValue("csat"); v != "" {
		if p.CSAT, err = strconv.Atoi(v); err != nil {
			p.CSAT = -1
		}
	}
	switch r.PostFormValue("solved") {
	case "yes":
		yes := true
		p.Solved = &yes
	case "no":
		no := false
		p.Solved = &no
	}
	c, warnings, err := s.desk.FollowUp(r.Context(), actorOf(r), id, formVersion(r), p)
	if err != nil {
		return s.actionFailed(w, r, id, err, func(d *caseData, pr problem) { d.FollowUpError = pr.Message })
	}
	msg := "回访结果已记录"
	if why := s.desk.FollowUpEscalation(c.FollowUp); why != "" {
		msg = why + ",已通知主管"
	}
	return s.done(w, r, id, msg, warnings)
}
