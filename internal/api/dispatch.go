package api

import (
	"net/http"

	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/dispatch"
)

// agentView is an agent's dispatch profile with the Chinese status.
type agentView struct {
	dispatch.Load
	StatusLabel string `json:"status_label"`
}

func (s *Server) listAgents(w http.ResponseWriter, r *http.Request) error {
	loads, err := s.desk.Profiles(r.Context())
	if err != nil {
		return err
	}
	out := make([]agentView, len(loads))
	for i, l := range loads {
		out[i] = agentView{Load: l, StatusLabel: dispatch.StatusLabels[l.Status]}
	}
	writeJSON(w, http.StatusOK, map[string]any{"agents": out})
	return nil
}

// putAgent changes an agent's tier, platforms or status (supervisors; an agent only
// their own status). Going away or off hands the agent's cases to others.
func (s *Server) putAgent(w http.ResponseWriter, r *http.Request) error {
	var ch desk.ProfileChange
	if err := s.decodeJSON(r, &ch); err != nil {
		return err
	}
	return s.setProfile(w, r, r.PathValue("name"), ch)
}

func (s *Server) putMyStatus(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		Status dispatch.Status `json:"status"`
	}
	if err := s.decodeJSON(r, &body); err != nil {
		return err
	}
	return s.setProfile(w, r, userFrom(r.Context()).Username, desk.ProfileChange{Status: &body.Status})
}

func (s *Server) setProfile(w http.ResponseWriter, r *http.Request, name string, ch desk.ProfileChange) error {
	p, moved, waiting, err := s.desk.SetProfile(r.Context(), actorOf(r), name, ch)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"profile": p, "status_label": dispatch.StatusLabels[p.Status],
		"redistributed": moved, "unassigned": waiting})
	return nil
}

// assignCase is the 分配 control: {"assignee": "xiaoli", "version": 7}; an empty
// assignee puts the case back in 待分配 (supervisors only).
func (s *Server) assignCase(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	body := struct {
		Version  *int64 `json:"version"`
		Assignee string `json:"assignee"`
	}{}
	if err := s.decodeJSON(r, &body); err != nil {
		return err
	}
	version := desk.AnyVersion
	if body.Version != nil {
		version = *body.Version
	}
	c, err := s.desk.Assign(r.Context(), actorOf(r), id, version, body.Assignee)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.view(c, nil))
	return nil
}
