package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/shouhou/shouhou/internal/quality"
	"github.com/shouhou/shouhou/internal/store"
)

type alertView struct {
	store.QualityAlert
	KindLabel string
}

type alertsData struct {
	Status string
	Alerts []alertView
	Error  string
}

// alertsPage lists the 同批次 and courier-damage alerts for supervisors, open first,
// each with its cases and a form to acknowledge it with a note.
func (s *Server) alertsPage(w http.ResponseWriter, r *http.Request) error {
	d := alertsData{Status: r.URL.Query().Get("status")}
	list, err := s.desk.Alerts(r.Context(), actorOf(r), d.Status)
	status := http.StatusOK
	if err != nil {
		p := explain(err)
		if p.Status >= 500 {
			return err
		}
		d.Error, status = p.Message, p.Status
	}
	for _, a := range list {
		d.Alerts = append(d.Alerts, alertView{QualityAlert: a, KindLabel: quality.KindLabels[a.Kind]})
	}
	return s.render(w, r, status, "alerts", layout{Title: "质量预警", Nav: "alerts", Data: d})
}

// alertAck acknowledges an alert with the supervisor's note (e.g. 已反馈工厂).
func (s *Server) alertAck(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	version, verr := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if verr != nil {
		version = -1
	}
	_, err = s.desk.AcknowledgeAlert(r.Context(), actorOf(r), id, version, strings.TrimSpace(r.PostFormValue("note")))
	if err != nil {
		p := explain(err)
		if p.Status >= 500 || p.Status == http.StatusNotFound {
			return err
		}
		return s.redirect(w, r, "/alerts", flash{Kind: "error", Message: "预警 #" + itoa(id) + ": " + p.Message})
	}
	return s.redirect(w, r, "/alerts", flash{Kind: "ok", Message: "预警 #" + itoa(id) + " 已确认"})
}
