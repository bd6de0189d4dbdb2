package web

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/store"
)

// caseEdit saves the intake form. It sends the version the form was shown with, so an
// edit made meanwhile by someone else is a conflict, not silently overwritten.
func (s *Server) caseEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	form := formFromRequest(r)
	in, perrs := form.intake(s.desk.Zone())
	if len(perrs) > 0 {
		return s.editFailed(w, r, id, form, cases.ValidationError(fieldErrors(perrs)))
	}
	raw, err := json.Marshal(form.patch(in))
	if err != nil {
		return err
	}
	if _, err := s.desk.Update(r.Context(), actorOf(r), id, formVersion(r), raw); err != nil {
		return s.editFailed(w, r, id, form, err)
	}
	return s.redirect(w, r, caseURL(id), flash{Kind: "ok", Message: "受理表已保存"})
}

func (s *Server) editFailed(w http.ResponseWriter, r *http.Request, id int64, form intakeForm, err error) error {
	var conflict *store.ConflictError
	return s.actionFailed(w, r, id, err, func(d *caseData, p problem) {
		d.FormMessage = p.Message
		if errors.As(err, &conflict) {
			// Show the current form: the agent's version was based on an old one.
			d.FormMessage += " 下面是最新内容。"
			return
		}
		form.Errors = p.Fields
		form.Disabled = !d.Open
		d.Form = form
	})
}

func fieldErrors(m map[string]string) []cases.FieldError {
	out := make([]cases.FieldError, 0, len(m))
	for k, v := range m {
		out = append(out, cases.FieldError{Field: k, Message: v})
	}
	return out
}
