package api

import (
	"net/http"

	"github.com/shouhou/shouhou/internal/quality"
	"github.com/shouhou/shouhou/internal/store"
)

// alerts lists the 同批次 and courier-damage alerts, open first (?status=open|acknowledged).
func (s *Server) alerts(w http.ResponseWriter, r *http.Request) error {
	list, err := s.desk.Alerts(r.Context(), actorOf(r), r.URL.Query().Get("status"))
	if err != nil {
		return err
	}
	if list == nil {
		list = []store.QualityAlert{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"alerts": list, "kinds": quality.KindLabels})
	return nil
}

// acknowledgeAlert marks an alert handled with the supervisor's note.
func (s *Server) acknowledgeAlert(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var body struct {
		Note    string `json:"note"`
		Version *int64 `json:"version"`
	}
	if err := s.decodeJSON(r, &body); err != nil {
		return err
	}
	if body.Version == nil {
		return fieldError("version", "确认预警须带上当前版本号(version),以免漏看刚加入的工单")
	}
	a, err := s.desk.AcknowledgeAlert(r.Context(), actorOf(r), id, *body.Version, body.Note)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}
