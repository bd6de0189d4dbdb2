package web

import (
	"net/http"
)

// caseRemark adds a remark in the SOP format 问题描述+进度.
func (s *Server) caseRemark(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	text := r.PostFormValue("text")
	_, warnings, err := s.desk.Remark(r.Context(), actorOf(r), id, formVersion(r), text)
	if err != nil {
		return s.actionFailed(w, r, id, err, func(d *caseData, p problem) {
			d.Remark, d.RemarkError = text, p.Message
			if m, ok := p.Fields["text"]; ok {
				d.RemarkError = m
			}
		})
	}
	return s.done(w, r, id, "备注已添加", warnings)
}
