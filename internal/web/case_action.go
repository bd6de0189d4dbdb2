package web

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/playbook"
)

// actionFailed shows the case page again with the problem next to the form that
// caused it (set by mark), and the status of the problem.
func (s *Server) actionFailed(w http.ResponseWriter, r *http.Request, id int64, err error, mark func(d *caseData, p problem)) error {
	p := explain(err)
	if p.Status == http.StatusNotFound || p.Status >= 500 {
		return err
	}
	d, derr := s.caseData(r.Context(), r, id)
	if derr != nil {
		return derr
	}
	mark(&d, p)
	return s.renderCase(w, r, p.Status, d)
}

// done redirects back to the case page with the message and the SOP warnings the desk
// returned with the change.
func (s *Server) done(w http.ResponseWriter, r *http.Request, id int64, msg string, warnings []playbook.Violation) error {
	f := flash{Kind: "ok", Message: msg, Warnings: warningTexts(warnings)}
	if len(warnings) > 0 {
		f.Kind = "warn"
	}
	return s.redirect(w, r, caseURL(id), f)
}

// append records one event through desk.Append; version -1 means on top of any version.
func (s *Server) appendEvent(r *http.Request, id int64, typ cases.EventType, payload any) ([]playbook.Violation, error) {
	raw, err := json.Marshal(payload)
	if err != nil {
		return nil, err
	}
	_, warnings, err := s.desk.Append(r.Context(), actorOf(r), id, formVersion(r), typ, raw)
	return warnings, err
}

// formVersion is the version a form was rendered with, or any version when absent.
func formVersion(r *http.Request) int64 {
	v, err := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if err != nil || v < 0 {
		return desk.AnyVersion // the desk decides which writes may go without a version
	}
	return v
}
