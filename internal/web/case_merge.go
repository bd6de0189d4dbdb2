package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/httpx"
	"github.com/shouhou/shouhou/internal/store"
)

type mergeData struct {
	Source, Target cases.Case
	Candidates     []cases.Case
	Query          string
	Error          string
}

// caseMergePreview picks the case to merge into (by id, order number or search) and
// shows what moves before anything changes: the source is marked merged into the
// target and keeps its history; the target records where it absorbed it from.
func (s *Server) caseMergePreview(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	src, err := s.desk.Get(r.Context(), id)
	if err != nil {
		return err
	}
	d := mergeData{Source: src, Query: strings.TrimSpace(r.URL.Query().Get("q"))}
	if into, err := strconv.ParseInt(r.URL.Query().Get("into"), 10, 64); err == nil && into > 0 {
		if d.Target, err = s.desk.Get(r.Context(), into); err != nil {
			d.Error = explain(err).Message
		}
	}
	related, err := s.desk.Related(r.Context(), src)
	if err != nil {
		return err
	}
	for _, rid := range related {
		if c, err := s.desk.Get(r.Context(), rid); err == nil && c.Status != cases.StatusMerged {
			d.Candidates = append(d.Candidates, c)
		}
	}
	if d.Query != "" {
		f := store.CaseFilter{Query: d.Query, Status: cases.StatusOpen, Limit: 10}
		if err := s.desk.ScopeList(r.Context(), actorOf(r), &f); err != nil {
			return err
		}
		page, err := s.desk.List(r.Context(), f, false)
		if err != nil {
			d.Error = explain(err).Message
		}
		for _, c := range page.Cases {
			if c.ID != src.ID && c.Status != cases.StatusMerged {
				d.Candidates = append(d.Candidates, c)
			}
		}
	}
	return s.render(w, r, http.StatusOK, "merge", layout{Title: "合并工单 #" + itoa(src.ID), Nav: "case", Data: d})
}

// caseMerge merges the case into the one the agent confirmed.
func (s *Server) caseMerge(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	into, err := strconv.ParseInt(r.PostFormValue("into"), 10, 64)
	if err != nil || into <= 0 {
		return httpx.Field("into", "请选择要合并到的工单")
	}
	if _, err := s.desk.Merge(r.Context(), actorOf(r), id, into); err != nil {
		return s.actionFailed(w, r, id, err, func(d *caseData, p problem) { d.FormMessage = p.Message })
	}
	return s.redirect(w, r, caseURL(into), flash{Kind: "ok", Message: "工单 #" + itoa(id) + " 已合并到本工单,原工单的操作记录保留"})
}

// caseSplit opens a new case for a second problem on the same order: the intake is
// copied, with the new problem's type and description.
func (s *Server) caseSplit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	src, err := s.desk.Get(r.Context(), id)
	if err != nil {
		return err
	}
	in := src.Intake
	in.Type = cases.ProblemType(strings.TrimSpace(r.PostFormValue("type")))
	in.Description = strings.TrimSpace(r.PostFormValue("description"))
	in.Level = 0 // the new problem's own level
	c, err := s.desk.Split(r.Context(), actorOf(r), id, desk.NewCase{Intake: in})
	if err != nil {
		return s.actionFailed(w, r, id, err, func(d *caseData, p problem) { d.FormMessage = p.Message })
	}
	return s.redirect(w, r, caseURL(c.ID), flash{Kind: "ok", Message: "已从工单 #" + itoa(id) + " 拆分出本工单"})
}
