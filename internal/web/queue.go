package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/shouhou/shouhou/internal/calendar"
	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/store"
)

// queueRow is one open case in a queue.
type queueRow struct {
	cases.Case
	Left    string
	Overdue bool
	Badges  []badge
}

type queueData struct {
	Team     bool
	Path     string
	Filter   filterForm
	Rows     []queueRow
	NextLink string
	Codes    codeLists
	Error    string
}

// filterForm is the filter bar of the queues and the register, as typed.
type filterForm struct {
	Stage, Type, Level, Platform, Overdue, Q, Status, Assignee, CreatedFrom, CreatedTo string
}

// codeLists are the choices of the selects.
type codeLists struct {
	Types, Platforms, Demands, Emotions, Stages, EvidenceKinds []cases.Code
}

func allCodes() codeLists {
	stages := make([]cases.Code, 0, len(cases.Stages))
	for _, st := range cases.Stages {
		stages = append(stages, cases.Code{Code: string(st), Label: cases.StageLabels[st]})
	}
	types := make([]cases.Code, 0, len(cases.ProblemTypes))
	for _, t := range cases.ProblemTypes {
		if t.Code != string(cases.TypePresale) {
			types = append(types, t)
		}
	}
	return codeLists{Types: types, Platforms: cases.Platforms, Demands: cases.Demands, Emotions: cases.Emotions,
		Stages: stages, EvidenceKinds: cases.EvidenceKinds}
}

// parseFilter reads the filter bar into a store filter. Unknown codes are errors in
// Chinese rather than silently ignored.
func parseFilter(q url.Values) (filterForm, store.CaseFilter, bool, error) {
	ff := filterForm{Stage: q.Get("stage"), Type: q.Get("type"), Level: q.Get("level"), Platform: q.Get("platform"),
		Overdue: q.Get("overdue"), Q: q.Get("q"), Status: q.Get("status"), Assignee: q.Get("assignee"),
		CreatedFrom: q.Get("created_from"), CreatedTo: q.Get("created_to")}
	f := store.CaseFilter{Stage: cases.Stage(ff.Stage), Type: cases.ProblemType(ff.Type), Platform: cases.Platform(ff.Platform),
		Query: ff.Q, Cursor: q.Get("cursor"), Status: cases.Status(ff.Status), Assignee: ff.Assignee}
	bad := func(msg string) (filterForm, store.CaseFilter, bool, error) {
		return ff, f, false, &httpError{http.StatusBadRequest, msg}
	}
	switch {
	case f.Stage != "" && !f.Stage.Valid():
		return bad("未知的阶段")
	case f.Type != "" && !f.Type.Valid():
		return bad("未知的问题类型")
	case f.Platform != "" && !f.Platform.Valid():
		return bad("未知的平台")
	case f.Status != "" && f.Status != cases.StatusOpen && f.Status != cases.StatusClosed && f.Status != cases.StatusMerged:
		return bad("未知的状态")
	}
	if ff.Level != "" {
		l, err := strconv.Atoi(ff.Level)
		if f.Level = cases.Level(l); err != nil || !f.Level.Valid() {
			return bad("等级须为1、2或3")
		}
	}
	var err error
	if f.CreatedFrom, err = parseDay(ff.CreatedFrom, 0); err != nil {
		return bad("开始日期格式须为 YYYY-MM-DD")
	}
	if f.CreatedBefore, err = parseDay(ff.CreatedTo, 1); err != nil {
		return bad("结束日期格式须为 YYYY-MM-DD")
	}
	kind, overdue, ok := overdueKind(ff.Overdue)
	if !ok {
		return bad("超时筛选须为 任一超时、首次响应超时 或 解决超时")
	}
	f.OverdueKind = kind
	return ff, f, overdue, nil
}

var orderNoLike = regexp.MustCompile(`^[A-Za-z0-9_-]{4,64}$`)

// list is desk.List with a fast path for the commonest search, a pasted order number:
// the exact order number is looked up on its index first, and the substring search
// (which scans the cases) runs only when that finds nothing.
func (s *Server) list(ctx context.Context, f store.CaseFilter, overdue bool) (store.CasePage, error) {
	if q := strings.TrimSpace(f.Query); orderNoLike.MatchString(q) && f.Cursor == "" && f.OrderNo == "" {
		exact := f
		exact.Query, exact.OrderNo = "", q
		page, err := s.desk.List(ctx, exact, overdue)
		if err != nil || len(page.Cases) > 0 {
			return page, err
		}
	}
	return s.desk.List(ctx, f, overdue)
}

// parseDay reads a YYYY-MM-DD day in China time; plusDays 1 makes an inclusive end
// an exclusive bound.
func parseDay(v string, plusDays int) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	d, err := calendar.ParseDate(v)
	if err != nil {
		return time.Time{}, err
	}
	return d.AddDays(plusDays).Start(shanghai), nil
}

// myQueue lists the signed-in agent's open cases, the clock that runs out first on top.
func (s *Server) myQueue(w http.ResponseWriter, r *http.Request) error {
	return s.queue(w, r, false, false)
}

// teamQueue lists every open case of the team.
func (s *Server) teamQueue(w http.ResponseWriter, r *http.Request) error {
	return s.queue(w, r, true, false)
}

// unassignedQueue is 待分配: open cases nobody works, for agents to claim and
// supervisors to hand out.
func (s *Server) unassignedQueue(w http.ResponseWriter, r *http.Request) error {
	return s.queue(w, r, true, true)
}

const queuePageSize = 50

func (s *Server) queue(w http.ResponseWriter, r *http.Request, team, unassigned bool) error {
	q := r.URL.Query()
	d := queueData{Team: team, Path: "/queue", Codes: allCodes()}
	title, nav := "我的队列", "queue"
	if team {
		d.Path, title, nav = "/team", "团队队列", "team"
	}
	if unassigned {
		d.Path, title, nav = "/unassigned", "待分配", "unassigned"
	}
	ff, f, overdue, err := parseFilter(q)
	d.Filter = ff
	if err != nil {
		d.Error = explain(err).Message
		return s.render(w, r, http.StatusBadRequest, "queue", layout{Title: title, Nav: nav, Data: d})
	}
	f.Status, f.Sort, f.Limit, f.Unassigned = cases.StatusOpen, "due", queuePageSize, unassigned
	if !team {
		f.Assignee = userOf(r).Username
	}
	page, err := s.list(r.Context(), f, overdue)
	if err != nil {
		return err
	}
	now := s.now()
	for _, c := range page.Cases {
		left, late := timeLeft(c.ResolveDueAt, now)
		if _, paused := c.Paused(); paused {
			left, late = "时限暂停", false
		}
		d.Rows = append(d.Rows, queueRow{Case: c, Left: left, Overdue: late || c.ResponseOverdue(now), Badges: clockBadges(c, now)})
	}
	if page.NextCursor != "" {
		d.NextLink = withQuery(d.Path, q, "cursor", page.NextCursor)
	}
	return s.render(w, r, http.StatusOK, "queue", layout{Title: title, Nav: nav, Data: d})
}
