package api

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shouhou/shouhou/internal/blob"
	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/script"
	"github.com/shouhou/shouhou/internal/understand"
)

// listScripts searches the library (q) or filters it by stage, type, solution and
// platform.
func (s *Server) listScripts(w http.ResponseWriter, r *http.Request) error {
	lib, err := s.scripts.Library(r.Context())
	if err != nil {
		return err
	}
	q := r.URL.Query()
	var list []script.Script
	switch {
	case q.Get("q") != "":
		list = lib.Search(q.Get("q"))
	case q.Get("stage") != "":
		list = lib.ForStep(cases.Stage(q.Get("stage")), cases.ProblemType(q.Get("type")), q.Get("solution"), cases.Platform(q.Get("platform")))
	default:
		list = lib.Scripts()
	}
	writeJSON(w, http.StatusOK, map[string]any{"scripts": nonNil(list), "placeholders": lib.Placeholders()})
	return nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// saveScript adds or replaces a script (supervisors).
func (s *Server) saveScript(w http.ResponseWriter, r *http.Request) error {
	var sc script.Script
	if err := s.decodeJSON(r, &sc); err != nil {
		return err
	}
	if id := r.PathValue("id"); sc.ID == "" {
		sc.ID = id
	} else if sc.ID != id {
		return fieldError("id", "路径中的编号与内容中的编号不一致")
	}
	saved, err := s.scripts.Save(r.Context(), userFrom(r.Context()).Username, sc)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"script": saved})
	return nil
}

func (s *Server) deleteScript(w http.ResponseWriter, r *http.Request) error {
	if err := s.scripts.Delete(r.Context(), userFrom(r.Context()).Username, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// caseScripts offers the scripts that fit the case's current step, filled from the
// case.
func (s *Server) caseScripts(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, events, g, err := s.desk.Guide(r.Context(), id)
	if err != nil {
		return err
	}
	if s.exam {
		// An exam offers no scripts, as on the workbench.
		stage := c.Stage
		if g.Step != nil {
			stage = g.Step.Stage
		}
		writeJSON(w, http.StatusOK, map[string]any{"stage": stage, "scripts": []any{}, "exam": true})
		return nil
	}
	stage, out, err := s.desk.StepScripts(r.Context(), userFrom(r.Context()), c, events, g)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"stage": stage, "scripts": nonNil(out)})
	return nil
}

type replyRequest struct {
	ScriptIDs []string          `json:"script_ids"`
	Values    map[string]string `json:"values"`
}

// composeReply stacks scripts into one reply, fills it from the case and the agent's
// values, and lints it against the conversation so far. Sending it is a message.sent
// event with the reply's intent.
func (s *Server) composeReply(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req replyRequest
	if err := s.decodeJSON(r, &req); err != nil {
		return err
	}
	if len(req.ScriptIDs) == 0 {
		return fieldError("script_ids", "请选择至少一条话术")
	}
	c, err := s.desk.Get(r.Context(), id)
	if err != nil {
		return err
	}
	lib, err := s.scripts.Library(r.Context())
	if err != nil {
		return err
	}
	reply, err := lib.Stack(req.ScriptIDs...)
	if err != nil {
		return fieldError("script_ids", err.Error())
	}
	values, err := s.desk.PlaceholderValues(r.Context(), userFrom(r.Context()), c)
	if err != nil {
		return err
	}
	for k, v := range req.Values {
		values[k] = v
	}
	filled, missing := script.Fill(reply.Text, values)
	history, err := s.outgoing(r, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"reply": reply, "text": filled, "missing": missing,
		"warnings": nonNil(s.desk.Lint(filled, history...))})
	return nil
}

type lintRequest struct {
	Text   string `json:"text"`
	CaseID int64  `json:"case_id"`
}

// lint warns about negative words without an explanation, endless apologies and
// arguing (SOP §7). It never blocks sending.
func (s *Server) lint(w http.ResponseWriter, r *http.Request) error {
	var req lintRequest
	if err := s.decodeJSON(r, &req); err != nil {
		return err
	}
	if strings.TrimSpace(req.Text) == "" || utf8.RuneCountInString(req.Text) > 5000 {
		return fieldError("text", "请提供1-5000字的内容")
	}
	var history []script.Outgoing
	if req.CaseID > 0 {
		var err error
		if history, err = s.outgoing(r, req.CaseID); err != nil {
			return err
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"warnings": nonNil(s.desk.Lint(req.Text, history...))})
	return nil
}

// outgoing is what the agent side already said on a case, oldest first, for the lint.
func (s *Server) outgoing(r *http.Request, caseID int64) ([]script.Outgoing, error) {
	events, err := s.desk.Events(r.Context(), caseID, 0, 0)
	if err != nil {
		return nil, err
	}
	var out []script.Outgoing
	for _, e := range events {
		switch e.Type {
		case cases.EvMessageOut:
			if p, ok := cases.PayloadAs[cases.MessagePayload](e); ok {
				out = append(out, script.Outgoing{Text: p.Text, Intent: p.Intent, OfferedSolution: p.Intent == script.IntentOffer})
			}
		case cases.EvSolutionOffer:
			out = append(out, script.Outgoing{OfferedSolution: true})
		}
	}
	return out, nil
}

type classifyRequest struct {
	Text string `json:"text"`
	// Conversation is a pasted chat (nickname + timestamp lines, or 顾客：/客服： tags).
	Conversation string `json:"conversation"`
	// Turns is a chat as speaker-tagged turns.
	Turns []classifyTurn `json:"turns"`
}

type classifyTurn struct {
	Speaker string `json:"speaker"`
	Text    string `json:"text"`
}

// maxClassifyRunes bounds what one classify call reads.
const maxClassifyRunes = 20000

// classify reads a customer's message: type, demand, emotion, level with confidences,
// the entities, and the intake fields it can pre-fill.
func (s *Server) classify(w http.ResponseWriter, r *http.Request) error {
	var req classifyRequest
	if err := s.decodeJSON(r, &req); err != nil {
		return err
	}
	var res understand.Result
	var prefill desk.Prefill
	var ok bool
	switch given := btoi(strings.TrimSpace(req.Text) != "") + btoi(strings.TrimSpace(req.Conversation) != "") + btoi(len(req.Turns) > 0); {
	case given > 1:
		return fieldError("text", "text、conversation、turns 只能提供一项")
	case len(req.Turns) > 0:
		turns, err := classifyTurns(req.Turns)
		if err != nil {
			return err
		}
		res, prefill, ok = s.desk.UnderstandTurns(turns)
	case strings.TrimSpace(req.Conversation) != "":
		if utf8.RuneCountInString(req.Conversation) > maxClassifyRunes {
			return fieldError("conversation", "聊天记录不能超过20000字")
		}
		res, prefill, ok = s.desk.Understand(req.Conversation)
	default:
		if strings.TrimSpace(req.Text) == "" || utf8.RuneCountInString(req.Text) > 5000 {
			return fieldError("text", "请提供1-5000字的顾客消息")
		}
		res, prefill, ok = s.desk.Understand(req.Text)
	}
	if !ok {
		return &Error{Status: http.StatusServiceUnavailable, Code: "classifier_unavailable", Message: "消息识别未启用"}
	}
	writeJSON(w, http.StatusOK, map[string]any{"result": res, "prefill": prefill})
	return nil
}

// uploadScriptImage stores a picture a script can carry (size chart, install guide)
// and returns its hash for the script's images list.
func (s *Server) uploadScriptImage(w http.ResponseWriter, r *http.Request) error {
	s.uploadDeadline(w, r)
	r.Body = http.MaxBytesReader(w, r.Body, s.limits.PhotoBytes+multipartMemory)
	if err := r.ParseMultipartForm(multipartMemory); err != nil {
		return fieldError("file", "请用 multipart/form-data 上传图片(不超过图片大小上限)")
	}
	defer r.MultipartForm.RemoveAll()
	file, header, err := r.FormFile("file")
	if err != nil {
		return fieldError("file", "请选择要上传的图片")
	}
	defer file.Close()
	ev, err := s.storeEvidence(r, file, header, "other")
	if err != nil {
		return err
	}
	if blob.IsVideo(ev.Mime) {
		return fieldError("file", "话术只能附带图片")
	}
	writeJSON(w, http.StatusCreated, map[string]any{"hash": ev.Hash, "mime": ev.Mime, "size": ev.Size})
	return nil
}

// scriptImage serves a picture that a script of the library carries (and only such).
func (s *Server) scriptImage(w http.ResponseWriter, r *http.Request) error {
	hash := r.PathValue("hash")
	lib, err := s.scripts.Library(r.Context())
	if err != nil {
		return err
	}
	for _, sc := range lib.Scripts() {
		if slices.Contains(sc.Images, hash) {
			return s.serveBlob(w, r, hash, "", time.Time{})
		}
	}
	return apiError(http.StatusNotFound, "not_found", "没有话术使用这张图片")
}

// restoreScript brings back the built-in version of a script the shop changed or hid.
func (s *Server) restoreScript(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.scripts.Restore(r.Context(), userFrom(r.Context()).Username, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"script": sc})
	return nil
}

// scriptHistory lists the changes to a script, newest first (who, when, what).
func (s *Server) scriptHistory(w http.ResponseWriter, r *http.Request) error {
	changes, err := s.scripts.History(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"changes": changes})
	return nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// classifyTurns checks the turns of a classify request: each has a speaker
// (customer or agent) and text, at least one is the customer's, and all of them
// together stay within maxClassifyRunes.
func classifyTurns(in []classifyTurn) ([]understand.Turn, error) {
	out := make([]understand.Turn, len(in))
	runes, customer := 0, false
	for i, t := range in {
		field := fmt.Sprintf("turns[%d]", i)
		if t.Speaker != understand.SpeakerCustomer && t.Speaker != understand.SpeakerAgent {
			return nil, fieldError(field+".speaker", "说话人只能是 customer(顾客)或 agent(客服)")
		}
		if strings.TrimSpace(t.Text) == "" {
			return nil, fieldError(field+".text", "每条消息都要有内容")
		}
		customer = customer || t.Speaker == understand.SpeakerCustomer
		runes += utf8.RuneCountInString(t.Text)
		out[i] = understand.Turn{Speaker: t.Speaker, Text: t.Text}
	}
	if !customer {
		return nil, fieldError("turns", "聊天记录里没有顾客的消息")
	}
	if runes > maxClassifyRunes {
		return nil, fieldError("turns", "聊天记录不能超过20000字")
	}
	return out, nil
}
