package web

import (
	"net/http"
	"strings"
)

// caseClose closes the case; the desk refuses a case without a remark and the reason
// is shown next to the button.
func (s *Server) caseClose(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	_, warnings, err := s.desk.Close(r.Context(), actorOf(r), id, formVersion(r), strings.TrimSpace(r.PostFormValue("text")))
	if err != nil {
		return s.actionFailed(w, r, id, err, func(d *caseData, p problem) { d.CloseError = p.Message })
	}
	return s.done(w, r, id, "工单已结案", warnings)
}

// caseReopen opens a closed case again with the reason.
func (s *Server) caseReopen(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	_, warnings, err := s.desk.Reopen(r.Context(), actorOf(r), id, formVersion(r), strings.TrimSpace(r.PostFormValue("text")))
	if err != nil {
		return s.actionFailed(w, r, id, err, func(d *caseData, p problem) { d.CloseError = p.Message })
	}
	return s.done(w, r, id, "工单已重新打开", warnings)
}
