package web

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/training"
)

// The 培训 pages (internal/training): the trainee's assignments, free practice and
// score cards; the trainer's assignments, attempts, before/after and replays. A
// practice case is worked on the ordinary case page, run on the training space's
// desk of its attempt (inSpace) and marked 培训 (practice).

// skipHours is the one-click wait of the practice clock (跳过48小时).
const skipHours = 48

// practice is what the case page shows of a practice case.
type practice struct {
	Attempt  store.TrainingAttempt
	Scenario *training.Scenario
	Now      time.Time
	Findings []findingView
	// Chat is the conversation with the simulated customer, newest last.
	Chat []chatLine
}

type chatLine struct {
	Customer bool
	Text     string
}

type findingView struct{ Question, Answer string }

// dress marks the case page as a practice case: no links to other trainees' cases of
// the same order, and in an exam no hints from the guide (its questions stay: they
// are where the facts are recorded).
func (p *practice) dress(d *caseData) {
	d.Practice, d.Related = p, nil
	p.Chat = nil
	for _, e := range d.Events {
		if e.Type == cases.EvMessageIn || e.Type == cases.EvMessageOut {
			if m, ok := cases.PayloadAs[cases.MessagePayload](e.Event); ok {
				p.Chat = append(p.Chat, chatLine{Customer: e.Type == cases.EvMessageIn, Text: m.Text})
			}
		}
	}
	if !p.Attempt.Exam {
		return
	}
	d.Guide = training.ExamGuide(d.Guide)
	d.Scripts, d.SuggestedRemark = nil, ""
	for i := range d.Options {
		d.Options[i].Rule = ""
		if i < len(d.Guide.Solutions) && d.Guide.Solutions[i].Kind == d.Options[i].Kind {
			d.Options[i].Option = d.Guide.Solutions[i]
		}
	}
}

// inSpace runs route i on the training space's desk of the attempt when the case in
// the path is a practice case: only its trainee and the trainers may open it.
func (s *Server) inSpace(i int, real func(w http.ResponseWriter, r *http.Request) error) func(w http.ResponseWriter, r *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		d, a, inPractice, err := s.training.DeskForPath(r.Context(), actorOf(r), r.PathValue("id"))
		if !inPractice {
			return real(w, r)
		}
		if err != nil {
			return err
		}
		sc, _ := s.training.Scenarios().Get(a.ScenarioID)
		copy := *s
		copy.desk, copy.now = d, d.Now
		copy.practice = &practice{Attempt: a, Scenario: sc, Now: d.Now()}
		if sc != nil {
			copy.practice.Findings = findings(s, sc)
		}
		return copy.routeTable()[i].handle(w, r)
	}
}

// findings names what the trainee finds out by checking (factory, courier,
// warehouse, back office) with the flow's questions and answers.
func findings(s *Server, sc *training.Scenario) []findingView {
	names := s.factLabels(sc.Type, nil)
	var out []findingView
	for key, value := range sc.Findings {
		out = append(out, findingView{Question: names[key], Answer: names[key+"="+value]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Question < out[j].Question })
	return out
}

// trainingData is the 培训 page.
type trainingData struct {
	Off         bool
	Trainer     bool
	Scenarios   []*training.Scenario
	Assignments []assignmentView
	Attempts    []attemptRow
	Trainees    []store.User
	Compare     *training.Compare
	Trainee     string
	Replay      string
}

type assignmentView struct {
	store.TrainingAssignment
	Title string
	Taken bool
}

type attemptRow struct {
	store.TrainingAttempt
	Title string
}

func (s *Server) trainingPage(w http.ResponseWriter, r *http.Request) error {
	d := trainingData{Off: s.training == nil, Trainer: canApprove(userOf(r)), Trainee: r.URL.Query().Get("trainee")}
	if d.Off {
		return s.render(w, r, http.StatusOK, "training", layout{Title: "培训", Nav: "training", Data: d})
	}
	ctx, actor := r.Context(), actorOf(r)
	d.Scenarios = s.training.Scenarios().All()
	filter := ""
	if d.Trainer {
		filter = d.Trainee
	}
	as, err := s.training.Assignments(ctx, actor, filter)
	if err != nil {
		return err
	}
	attempts, err := s.training.Attempts(ctx, actor, filter)
	if err != nil {
		return err
	}
	taken := map[int64]bool{}
	for _, a := range attempts {
		taken[a.AssignmentID] = true
	}
	for i := len(attempts) - 1; i >= 0; i-- {
		d.Attempts = append(d.Attempts, attemptRow{attempts[i], s.scenarioTitle(attempts[i].ScenarioID)})
	}
	for _, a := range as {
		d.Assignments = append(d.Assignments, assignmentView{a, s.scenarioTitle(a.ScenarioID), a.Exam && taken[a.ID]})
	}
	if d.Trainer {
		users, err := s.auth.Users(ctx)
		if err != nil {
			return err
		}
		for _, u := range users {
			if u.Role == store.RoleAgent && !u.Disabled {
				d.Trainees = append(d.Trainees, u)
			}
		}
	}
	who := actor.Name
	if d.Trainer && d.Trainee != "" {
		who = d.Trainee
	}
	if !d.Trainer || d.Trainee != "" {
		cmp, err := s.training.BeforeAfter(ctx, actor, who)
		if err != nil {
			return err
		}
		if len(cmp.Rules) > 0 {
			d.Compare = &cmp
		}
	}
	return s.render(w, r, http.StatusOK, "training", layout{Title: "培训", Nav: "training", Data: d})
}

func (s *Server) scenarioTitle(id string) string {
	if sc, ok := s.training.Scenarios().Get(id); ok {
		return sc.Title
	}
	return id
}

func (s *Server) trainingStart(w http.ResponseWriter, r *http.Request) error {
	if s.training == nil {
		return training.ErrOff
	}
	assignment, _ := strconv.ParseInt(r.PostFormValue("assignment_id"), 10, 64)
	a, err := s.training.Start(r.Context(), actorOf(r), r.PostFormValue("scenario_id"), assignment)
	if err != nil {
		return err
	}
	return s.redirect(w, r, caseURL(a.CaseID), flash{Kind: "ok", Message: "练习开始:这是培训工单,顾客由系统模拟"})
}

func (s *Server) trainingAssign(w http.ResponseWriter, r *http.Request) error {
	if s.training == nil {
		return training.ErrOff
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	trainee := r.PostFormValue("trainee")
	list, err := s.training.Assign(r.Context(), actorOf(r), trainee, r.PostForm["scenario_id"], r.PostFormValue("exam") == "1")
	if err != nil {
		return err
	}
	kind := "练习"
	if r.PostFormValue("exam") == "1" {
		kind = "考试"
	}
	return s.redirect(w, r, "/training?trainee="+trainee, flash{Kind: "ok", Message: fmt.Sprintf("已给 %s 布置%d个%s", trainee, len(list), kind)})
}

func (s *Server) trainingReplay(w http.ResponseWriter, r *http.Request) error {
	if s.training == nil {
		return training.ErrOff
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(r.PostFormValue("case_id")), "#"), 10, 64)
	if err != nil || id <= 0 || cases.IsTrainingCase(id) {
		return s.redirect(w, r, "/training", flash{Kind: "error", Message: "请填写一个已结案的真实工单号"})
	}
	sc, err := s.training.Replay(r.Context(), actorOf(r), id, strings.TrimSpace(r.PostFormValue("id")))
	if err != nil {
		return s.redirect(w, r, "/training", flash{Kind: "error", Message: explain(err).Message})
	}
	return s.redirect(w, r, "/training", flash{Kind: "ok", Message: "已生成培训场景「" + sc.Title + "」(顾客信息已脱敏)"})
}

// attemptData is the score card page.
type attemptData struct {
	Attempt store.TrainingAttempt
	Title   string
	Card    training.Card
	Mine    bool
}

func (s *Server) trainingAttempt(w http.ResponseWriter, r *http.Request) error {
	if s.training == nil {
		return training.ErrOff
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a, card, err := s.training.Card(r.Context(), actorOf(r), id)
	if err != nil {
		return err
	}
	d := attemptData{Attempt: a, Title: s.scenarioTitle(a.ScenarioID), Card: card, Mine: a.Trainee == userOf(r).Username}
	return s.render(w, r, http.StatusOK, "attempt", layout{Title: "评分卡", Nav: "training", Data: d})
}

func (s *Server) trainingSkip(w http.ResponseWriter, r *http.Request) error {
	if s.training == nil {
		return training.ErrOff
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a, err := s.training.Skip(r.Context(), actorOf(r), id, skipHours*time.Hour)
	if err != nil {
		return err
	}
	return s.redirect(w, r, caseURL(a.CaseID), flash{Kind: "ok", Message: fmt.Sprintf("练习时钟已跳过%d小时(真实工单不受影响)", skipHours)})
}

func (s *Server) trainingFinish(w http.ResponseWriter, r *http.Request) error {
	if s.training == nil {
		return training.ErrOff
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a, card, err := s.training.Finish(r.Context(), actorOf(r), id)
	if err != nil {
		return err
	}
	return s.redirect(w, r, fmt.Sprintf("/training/attempts/%d", a.ID), flash{Kind: "ok", Message: fmt.Sprintf("练习结束:得分 %d/%d", card.Points, card.Max)})
}
