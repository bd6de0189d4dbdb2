package api

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/shouhou/shouhou/internal/calendar"
	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/playbook"
	"github.com/shouhou/shouhou/internal/store"
)

// caseView is a case as the API shows it: its state, whether it is overdue, and the
// other cases on the same order.
type caseView struct {
	cases.Case
	// Overdue: the first response or the resolution is late; each is also given apart,
	// with the near-deadline flag (即将超时) and the time the SLA clock stood still.
	Overdue         bool    `json:"overdue"`
	ResponseOverdue bool    `json:"response_overdue"`
	ResolveOverdue  bool    `json:"resolve_overdue"`
	NearDue         bool    `json:"near_due"`
	Paused          bool    `json:"paused"`
	PausedMinutes   int64   `json:"paused_minutes"`
	Related         []int64 `json:"related,omitempty"`
	// Warnings are SOP rules the change just made breaks without being refused.
	Warnings []playbook.Violation `json:"warnings,omitempty"`
	// Timers are the case's running durable timers (on the single-case read).
	Timers []store.Timer `json:"timers,omitempty"`
}

func (s *Server) getCase(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := s.desk.Get(r.Context(), id)
	if err != nil {
		return err
	}
	related, err := s.desk.Related(r.Context(), c)
	if err != nil {
		return err
	}
	v := s.view(c, related)
	if v.Timers, err = s.desk.Timers(r.Context(), c.ID); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) listCases(w http.ResponseWriter, r *http.Request) error {
	return s.listPage(w, r, func(*store.CaseFilter) {})
}

// listPage answers one page of cases for the request's filters, narrowed by narrow.
func (s *Server) listPage(w http.ResponseWriter, r *http.Request, narrow func(*store.CaseFilter)) error {
	f, overdue, err := parseFilter(r.URL.Query(), userFrom(r.Context()).Username)
	if err != nil {
		return err
	}
	narrow(&f)
	page, err := s.desk.List(r.Context(), f, overdue)
	if err != nil {
		return err
	}
	views := make([]caseView, len(page.Cases))
	for i, c := range page.Cases {
		views[i] = s.view(c, nil)
	}
	writeJSON(w, http.StatusOK, map[string]any{"cases": views, "next_cursor": page.NextCursor})
	return nil
}

// parseFilter reads the list filters; assignee=me means the signed-in user.
func parseFilter(q url.Values, me string) (f store.CaseFilter, overdue bool, err error) {
	f = store.CaseFilter{
		Stage: cases.Stage(q.Get("stage")), Type: cases.ProblemType(q.Get("type")),
		Platform: cases.Platform(q.Get("platform")), Assignee: q.Get("assignee"),
		Status: cases.Status(q.Get("status")), Query: q.Get("q"), Sort: q.Get("sort"),
		Cursor: q.Get("cursor"), OrderNo: q.Get("order_no"),
	}
	if f.Assignee == "me" {
		f.Assignee = me
	}
	switch q.Get("unassigned") {
	case "", "false", "0":
	case "true", "1":
		f.Unassigned = true
	default:
		return f, false, fieldError("unassigned", "unassigned 须为 true 或 false")
	}
	checks := []struct {
		field string
		bad   bool
		msg   string
	}{
		{"stage", f.Stage != "" && !f.Stage.Valid(), "未知的阶段"},
		{"type", f.Type != "" && !f.Type.Valid(), "未知的问题类型"},
		{"platform", f.Platform != "" && !f.Platform.Valid(), "未知的平台"},
		{"status", f.Status != "" && f.Status != cases.StatusOpen && f.Status != cases.StatusClosed && f.Status != cases.StatusMerged, "状态须为 open、closed 或 merged"},
		{"sort", f.Sort != "" && f.Sort != "recent" && f.Sort != "due", "排序须为 recent 或 due"},
	}
	for _, c := range checks {
		if c.bad {
			return f, false, fieldError(c.field, c.msg)
		}
	}
	if v := q.Get("level"); v != "" {
		l, err := strconv.Atoi(v)
		if f.Level = cases.Level(l); err != nil || !f.Level.Valid() {
			return f, false, fieldError("level", "等级须为1、2或3")
		}
	}
	if v := q.Get("limit"); v != "" {
		if f.Limit, err = strconv.Atoi(v); err != nil || f.Limit < 1 || f.Limit > 200 {
			return f, false, fieldError("limit", "每页数量须在1到200之间")
		}
	}
	switch v := q.Get("overdue"); v {
	case "", "false", "0":
	case "true", "1":
		overdue, f.OverdueKind = true, store.OverdueAny
	case store.OverdueResponse, store.OverdueResolve:
		overdue, f.OverdueKind = true, v
	default:
		return f, false, fieldError("overdue", "overdue 须为 true(任一超时)、response(首次响应超时)、resolve(解决超时)或 false")
	}
	if f.CreatedFrom, err = parseDay(q, "created_from", 0); err != nil {
		return f, false, err
	}
	f.CreatedBefore, err = parseDay(q, "created_to", 1)
	return f, overdue, err
}

// shanghai is the time zone dates in filters are meant in; the shops are in China.
var shanghai = time.FixedZone("CST", 8*3600)

// parseDay reads a YYYY-MM-DD date; plusDays 1 turns an inclusive end into an
// exclusive bound.
func parseDay(q url.Values, field string, plusDays int) (time.Time, error) {
	v := q.Get(field)
	if v == "" {
		return time.Time{}, nil
	}
	d, err := calendar.ParseDate(v)
	if err != nil {
		return time.Time{}, fieldError(field, "日期格式须为 YYYY-MM-DD")
	}
	return d.AddDays(plusDays).Start(shanghai), nil
}

func (s *Server) listEvents(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	after, limit := int64(0), 0
	if v := r.URL.Query().Get("after"); v != "" {
		if after, err = strconv.ParseInt(v, 10, 64); err != nil || after < 0 {
			return fieldError("after", "after 须为非负整数")
		}
	}
	if v := r.URL.Query().Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > 1000 {
			return fieldError("limit", "每页数量须在1到1000之间")
		}
	}
	events, err := s.desk.Events(r.Context(), id, after, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"events": events})
	return nil
}
