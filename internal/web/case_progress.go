package web

import (
	"net/http"

	"github.com/shouhou/shouhou/internal/cases"
)

// caseStage moves the case to the stage the guide's current step is at.
func (s *Server) caseStage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	to := cases.Stage(r.PostFormValue("to"))
	warnings, err := s.appendEvent(r, id, cases.EvStageChanged, cases.StageChangedPayload{To: to})
	if err != nil {
		return s.actionFailed(w, r, id, err, func(d *caseData, p problem) { d.FormMessage = p.Message })
	}
	return s.done(w, r, id, "阶段已推进到「"+stageLabel(to)+"」", warnings)
}

// caseRegistered records the row in the shop's register (登记表格, case.registered).
func (s *Server) caseRegistered(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	warnings, err := s.appendEvent(r, id, cases.EvRegistered, cases.NotePayload{Text: r.PostFormValue("text")})
	if err != nil {
		return s.actionFailed(w, r, id, err, func(d *caseData, p problem) { d.CloseError = p.Message })
	}
	return s.done(w, r, id, "已登记表格", warnings)
}
