package web

import (
	"net/http"
	"time"

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
	Team      bool
	FollowUps bool // 待回访: closed cases due for their visit
	Path      string
	Filter    filterForm
	Rows      []queueRow
	NextLink  string
	Codes     codeLists
	Error     string
}

// filterForm is the filter bar of the queues and the register, as typed.
type filterForm struct {
	Stage, Type, Level, Platform, Overdue, Q, Status, Assignee, CreatedFrom, CreatedTo, Shop string
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

// parseFilter reads the filter bar: the form's values to show again, and the desk's
// reading of them (desk.ListQuery, the same as the API's).
func (s *Server) parseFilter(r *http.Request) (filterForm, store.CaseFilter, bool, error) {
	q := r.URL.Query()
	ff := filterForm{Stage: q.Get("stage"), Type: q.Get("type"), Level: q.Get("level"), Platform: q.Get("platform"),
		Overdue: q.Get("overdue"), Q: q.Get("q"), Status: q.Get("status"), Assignee: q.Get("assignee"),
		CreatedFrom: q.Get("created_from"), CreatedTo: q.Get("created_to"), Shop: q.Get("shop")}
	f, overdue, err := s.desk.ListQuery(q, userOf(r).Username)
	if err == nil {
		err = s.desk.ScopeList(r.Context(), actorOf(r), &f)
	}
	return ff, f, overdue, err
}

// myQueue lists the signed-in agent's open cases, the clock that runs out first on top.
func (s *Server) myQueue(w http.ResponseWriter, r *http.Request) error {
	return s.queue(w, r, false, false)
}

// followUpQueue is 待回访: closed cases whose 回访 visit is due (the follow-up timer
// fired and no outcome is recorded yet) — an agent's own, the whole team's for a
// supervisor (narrowed by the filter's agent if chosen).
func (s *Server) followUpQueue(w http.ResponseWriter, r *http.Request) error {
	d := queueData{Path: "/followups", Codes: allCodes(), FollowUps: true}
	l := layout{Title: "待回访", Nav: "followups", Data: &d}
	ff, f, _, err := s.parseFilter(r)
	d.Filter = ff
	if err != nil {
		d.Error = explain(err).Message
		return s.render(w, r, http.StatusBadRequest, "queue", l)
	}
	f.Status, f.Stage, f.Sort, f.Limit = cases.StatusClosed, cases.StageFollowUp, "recent", queuePageSize
	if u := userOf(r); u.Role == store.RoleAgent {
		f.Assignee = u.Username
	} else {
		d.Team = true
	}
	page, err := s.desk.List(r.Context(), f, false)
	if err != nil {
		return err
	}
	for _, c := range page.Cases {
		left := "待回访"
		if ms, ok := c.Clocks.Fired[cases.TimerFollowUp]; ok {
			left = fmtTime(time.UnixMilli(ms), s.desk.Zone())
		}
		d.Rows = append(d.Rows, queueRow{Case: c, Left: left})
	}
	if page.NextCursor != "" {
		d.NextLink = withQuery(d.Path, r.URL.Query(), "cursor", page.NextCursor)
	}
	return s.render(w, r, http.StatusOK, "queue", l)
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
	ff, f, overdue, err := s.parseFilter(r)
	d.Filter = ff
	if err != nil {
		d.Error = explain(err).Message
		return s.render(w, r, http.StatusBadRequest, "queue", layout{Title: title, Nav: nav, Data: d})
	}
	f.Status, f.Sort, f.Limit, f.Unassigned = cases.StatusOpen, "due", queuePageSize, unassigned
	if !team {
		f.Assignee = userOf(r).Username
	}
	page, err := s.desk.List(r.Context(), f, overdue)
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
