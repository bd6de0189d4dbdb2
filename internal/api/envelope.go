package api

import (
	"log/slog"
	"net/http"

	"github.com/shouhou/shouhou/internal/httpx"
)

// Error is the body of every failed request (httpx.Problem, shared with the workbench).
type Error = httpx.Problem

func apiError(status int, code, message string) *Error { return httpx.New(status, code, message) }

func fieldError(field, message string) *Error { return httpx.Field(field, message) }

func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	e := httpx.Explain(err)
	if e.Status == http.StatusServiceUnavailable {
		s.logger.WarnContext(r.Context(), "request refused: unavailable", slog.String("method", r.Method),
			slog.String("path", r.URL.Path), slog.Any("err", err))
	} else if e.Status >= 500 {
		s.logger.ErrorContext(r.Context(), "request failed", slog.String("method", r.Method),
			slog.String("path", r.URL.Path), slog.Any("err", err))
	}
	e.SetRetryAfter(w)
	writeJSON(w, e.Status, e)
}

func writeJSON(w http.ResponseWriter, status int, v any) { httpx.WriteJSON(w, status, v) }
