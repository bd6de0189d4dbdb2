package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/shouhou/shouhou/internal/notify"
)

func (s *Server) listNotifications(w http.ResponseWriter, r *http.Request) error {
	u := userFrom(r.Context())
	limit := 50
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 200 {
			return fieldError("limit", "每页数量须在1到200之间")
		}
		limit = n
	}
	var before int64
	if v := r.URL.Query().Get("before"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			return fieldError("before", "before 须为通知编号")
		}
		before = n
	}
	ns, err := s.desk.Notifications(r.Context(), u, before, limit)
	if err != nil {
		return err
	}
	unread, err := s.desk.Unread(r.Context(), u)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"unread": unread, "notifications": ns, "kinds": notify.KindLabels})
	return nil
}

func (s *Server) readNotifications(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		IDs []int64 `json:"ids"`
		All bool    `json:"all"`
	}
	if err := s.decodeJSON(r, &body); err != nil {
		return err
	}
	if !body.All && len(body.IDs) == 0 {
		return fieldError("ids", "请给出要标记已读的通知编号,或 all: true")
	}
	u := userFrom(r.Context())
	if err := s.desk.MarkRead(r.Context(), u, body.IDs, body.All); err != nil {
		return err
	}
	unread, err := s.desk.Unread(r.Context(), u)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"unread": unread})
	return nil
}

// streamNotifications is the live 通知 feed (Server-Sent Events).
func (s *Server) streamNotifications(w http.ResponseWriter, r *http.Request) error {
	u := userFrom(r.Context())
	signal, stop := s.desk.Subscribe(u)
	defer stop()
	return notify.Stream(r.Context(), w, signal, s.desk.StreamRecheck(), s.desk.StreamKeepAlive(), func(ctx context.Context) ([]byte, error) {
		return s.desk.NotifySnapshot(ctx, u)
	})
}

func (s *Server) listDeliveries(w http.ResponseWriter, r *http.Request) error {
	ds, err := s.desk.Deliveries(r.Context(), 100)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"deliveries": ds})
	return nil
}

func (s *Server) replayDelivery(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.desk.ReplayDelivery(r.Context(), actorOf(r), id); err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"id": id, "status": "pending"})
	return nil
}
