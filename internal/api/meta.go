package api

import (
	_ "embed"
	"net/http"
	"slices"
	"strings"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/desk"
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
	solutions := make([]cases.Code, 0, len(desk.SolutionKinds))
	for code, label := range desk.SolutionKinds {
		solutions = append(solutions, cases.Code{Code: code, Label: label})
	}
	slices.SortFunc(solutions, func(a, b cases.Code) int { return strings.Compare(a.Code, b.Code) })
	writeJSON(w, http.StatusOK, map[string]any{
		"types": cases.ProblemTypes, "demands": cases.Demands, "emotions": cases.Emotions,
		"platforms": cases.Platforms, "stages": stages, "solutions": solutions,
	})
	return nil
}
