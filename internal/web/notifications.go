package web

import (
	"net/http"

	"github.com/shouhou/shouhou/internal/notify"
	"github.com/shouhou/shouhou/internal/store"
)

type notificationRow struct {
	store.Notification
	KindLabel string
}

// notificationsPage is the 通知 list: the newest 100, unread first marked.
func (s *Server) notificationsPage(w http.ResponseWriter, r *http.Request) error {
	ns, err := s.desk.Notifications(r.Context(), userOf(r), 0, 100)
	if err != nil {
		return err
	}
	rows := make([]notificationRow, len(ns))
	for i, n := range ns {
		rows[i] = notificationRow{Notification: n, KindLabel: notify.KindLabels[n.Kind]}
	}
	return s.render(w, r, http.StatusOK, "notifications", layout{Title: "通知", Nav: "notifications", Data: rows})
}

// notificationsRead marks all the user's notifications read.
func (s *Server) notificationsRead(w http.ResponseWriter, r *http.Request) error {
	if err := s.desk.MarkRead(r.Context(), userOf(r), nil, true); err != nil {
		return err
	}
	return s.redirect(w, r, "/notifications", flash{Kind: "ok", Message: "已全部标记为已读"})
}
