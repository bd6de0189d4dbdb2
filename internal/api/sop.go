package api

import (
	"net/http"
)

type policyRequest struct {
	Name   string `json:"name"`
	YAML   string `json:"yaml"`
	DryRun bool   `json:"dry_run"`
}

// putPolicy validates a money policy file as at start-up and, unless dry_run, puts it
// in force without a restart (admins; recorded in the audit log).
func (s *Server) putPolicy(w http.ResponseWriter, r *http.Request) error {
	var req policyRequest
	if err := s.decodeJSON(r, &req); err != nil {
		return err
	}
	if req.Name == "" {
		req.Name = "policy.yaml"
	}
	apply := s.desk.ApplyPolicy
	if req.DryRun {
		apply = s.desk.PreviewPolicy
	}
	pv, err := apply(r.Context(), actorOf(r), req.Name, []byte(req.YAML))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"preview": pv, "applied": !req.DryRun})
	return nil
}
