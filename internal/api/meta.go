package api

import (
	_ "embed"
	"net/http"

	"github.com/shouhou/shouhou/internal/cases"
)

//go:embed openapi.json
var openAPIDoc []byte

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, err := w.Write(openAPIDoc)
	return err
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
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
