package web

import (
	"net/http"
	"strings"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/script"
)

// caseSent records that the agent sent a script (message.sent with the script's id
// and intent), so the guide can count soothing and see offers and tracking numbers.
func (s *Server) caseSent(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	text := strings.TrimSpace(r.PostFormValue("text"))
	values := map[string]string{}
	for _, name := range script.Names(text) {
		if v := strings.TrimSpace(r.PostFormValue("ph_" + name)); v != "" {
			values[name] = v
		}
	}
	text, _ = script.Fill(text, values)
	p := cases.MessagePayload{Text: text, ScriptID: r.PostFormValue("script_id")}
	warnings, err := s.appendEvent(r, id, cases.EvMessageOut, p)
	if err != nil {
		return s.actionFailed(w, r, id, err, func(d *caseData, p problem) { d.FormMessage = p.Message })
	}
	return s.done(w, r, id, "已记录发送的话术", warnings)
}
