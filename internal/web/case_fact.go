package web

import (
	"net/http"

	"github.com/shouhou/shouhou/internal/cases"
)

// caseFact records the answer to one of the guide's questions (fact.recorded).
func (s *Server) caseFact(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p := cases.FactPayload{Key: r.PostFormValue("key"), Value: r.PostFormValue("value")}
	warnings, err := s.appendEvent(r, id, cases.EvFactRecorded, p)
	if err != nil {
		return s.actionFailed(w, r, id, err, func(d *caseData, p problem) { d.FormMessage = p.Message })
	}
	return s.done(w, r, id, "已记录:"+r.PostFormValue("label"), warnings)
}
