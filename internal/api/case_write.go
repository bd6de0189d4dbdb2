package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/playbook"
)

type createRequest struct {
	cases.Intake
	Assignee     string `json:"assignee,omitempty"`
	FirstMessage string `json:"first_message,omitempty"`
}

// createCase opens a case. With an Idempotency-Key header a retried request answers
// 200 with the case the first one made instead of making another.
func (s *Server) createCase(w http.ResponseWriter, r *http.Request) error {
	var req createRequest
	if err := s.decodeJSON(r, &req); err != nil {
		return err
	}
	c, created, err := s.desk.Create(r.Context(), actorOf(r), desk.NewCase{Intake: req.Intake, Assignee: req.Assignee,
		FirstMessage: req.FirstMessage, IdempotencyKey: strings.TrimSpace(r.Header.Get("Idempotency-Key"))})
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if !created {
		status = http.StatusOK
	}
	w.Header().Set("Location", "/api/v1/cases/"+strconv.FormatInt(c.ID, 10))
	writeJSON(w, status, s.view(c, nil))
	return nil
}

// expected is the version a write is based on: the body's "version", else an If-Match
// header, else any version (the write goes on top of the current one).
func expected(r *http.Request, body *int64) (int64, error) {
	if body != nil {
		return *body, nil
	}
	if h := strings.Trim(r.Header.Get("If-Match"), `" `); h != "" {
		v, err := strconv.ParseInt(h, 10, 64)
		if err != nil {
			return 0, fieldError("If-Match", "If-Match 须为工单版本号")
		}
		return v, nil
	}
	return desk.AnyVersion, nil
}

func (s *Server) writeCase(w http.ResponseWriter, c cases.Case, warnings []playbook.Violation, err error) error {
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.withWarnings(c, warnings))
	return nil
}

type updateRequest struct {
	Version *int64          `json:"version"`
	Fields  json.RawMessage `json:"fields"`
}

// updateCase edits intake fields. It needs the version the edit is based on, so two
// agents editing one case never overwrite each other silently.
func (s *Server) updateCase(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req updateRequest
	if err := s.decodeJSON(r, &req); err != nil {
		return err
	}
	version, err := expected(r, req.Version)
	if err != nil {
		return err
	}
	if len(req.Fields) == 0 {
		return fieldError("fields", "请提供要修改的字段")
	}
	c, err := s.desk.Update(r.Context(), actorOf(r), id, version, req.Fields)
	return s.writeCase(w, c, nil, err)
}

type eventRequest struct {
	Type    cases.EventType `json:"type"`
	Payload json.RawMessage `json:"payload"`
	Version *int64          `json:"version"`
}

func (s *Server) appendEvent(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req eventRequest
	if err := s.decodeJSON(r, &req); err != nil {
		return err
	}
	version, err := expected(r, req.Version)
	if err != nil {
		return err
	}
	c, warnings, err := s.desk.Append(r.Context(), actorOf(r), id, version, req.Type, req.Payload)
	return s.writeCase(w, c, warnings, err)
}

type textRequest struct {
	Text    string `json:"text"`
	Version *int64 `json:"version"`
}

// textAction serves a desk operation that takes a text and a version ({text,
// version}): remark, close, reopen.
func (s *Server) textAction(op func(ctx context.Context, a desk.Actor, id, version int64, text string) (cases.Case, []playbook.Violation, error)) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		var req textRequest
		if err := s.decodeJSON(r, &req); err != nil {
			return err
		}
		version, err := expected(r, req.Version)
		if err != nil {
			return err
		}
		c, warnings, err := op(r.Context(), actorOf(r), id, version, req.Text)
		return s.writeCase(w, c, warnings, err)
	}
}

func (s *Server) mergeCase(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req struct {
		Into int64 `json:"into"`
	}
	if err := s.decodeJSON(r, &req); err != nil {
		return err
	}
	if req.Into <= 0 {
		return fieldError("into", "请指定合并到的工单号")
	}
	c, err := s.desk.Merge(r.Context(), actorOf(r), id, req.Into)
	return s.writeCase(w, c, nil, err)
}

func (s *Server) splitCase(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req createRequest
	if err := s.decodeJSON(r, &req); err != nil {
		return err
	}
	c, err := s.desk.Split(r.Context(), actorOf(r), id, desk.NewCase{Intake: req.Intake, Assignee: req.Assignee, FirstMessage: req.FirstMessage})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, caseView{Case: c})
	return nil
}
