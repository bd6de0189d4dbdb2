package api

import (
	"context"
	_ "embed"
	"log/slog"
	"net/http"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
)

//go:embed openapi.json
var openAPIDoc []byte

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, err := w.Write(openAPIDoc)
	return err
}

// health answers 200 when the database answers within 2 s, else 503: a load
// balancer then stops sending requests that could not be saved.
func (s *Server) health(w http.ResponseWriter, r *http.Request) error {
	if s.pinger != nil {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := s.pinger.Ping(ctx); err != nil {
			s.logger.WarnContext(r.Context(), "health check failed", slog.Any("err", err))
			w.Header().Set("Retry-After", "5")
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "database": "unreachable"})
			return nil
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "database": "ok"})
	return nil
}

type stageCode struct {
	Code  cases.Stage `json:"code"`
	Label string      `json:"label"`
}

// codes publishes the vocabularies (SOP §8 and the stages) for forms and integrations.
func (s *Server) codes(w http.ResponseWriter, r *http.Request) error {
	stages := make([]stageCode, len(cases.Stages))
	for i, st := range cases.Stages {
		stages[i] = stageCode{st, cases.StageLabels[st]}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"types": cases.ProblemTypes, "demands": cases.Demands, "emotions": cases.Emotions,
		"platforms": cases.Platforms, "stages": stages, "solutions": cases.Solutions, "evidence_kinds": cases.EvidenceKinds,
	})
	return nil
}
