package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/training"
)

// The 培训 simulator's API (internal/training): scenarios, assignments, attempts with
// their score cards, the before/after and replays. A practice case itself is worked
// through the ordinary case routes: its number (from cases.TrainingCaseBase) sends
// the request to the training space's desk of that attempt (inSpace).

// inSpace runs route i of the table on the training space's desk when the case in the
// path is a practice case; real cases go to the shop's desk as before. A practice case
// is its trainee's and the trainers' only.
func (s *Server) inSpace(i int, real func(w http.ResponseWriter, r *http.Request) error) func(w http.ResponseWriter, r *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		d, a, practice, err := s.training.DeskForPath(r.Context(), actorOf(r), r.PathValue("id"))
		if !practice {
			return real(w, r)
		}
		if err != nil {
			return err
		}
		// An exam's guide and scripts answer what the workbench shows (no hints); a
		// reply stacked from the library's scripts is a hint the workbench does not offer.
		if p := s.routes[i].pattern; a.Exam && strings.HasSuffix(p, "/reply") {
			return apiError(http.StatusForbidden, "exam_no_hints", "考试模式不提供话术,请自己组织回复")
		}
		in := *s
		in.desk, in.exam = d, a.Exam
		return in.routeTable()[i].handle(w, r)
	}
}

func (s *Server) space() (*training.Space, error) {
	if s.training == nil {
		return nil, training.ErrOff
	}
	return s.training, nil
}

// scenarioView is what anyone sees of a scenario; the model handling (the answer) and
// the hidden facts only trainers see.
type scenarioView struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Scene    string `json:"scene,omitempty"`
	Type     string `json:"type"`
	TypeName string `json:"type_label"`
	Platform string `json:"platform"`
	Emotion  string `json:"emotion"`
	*training.Scenario
}

func viewScenario(sc *training.Scenario, full bool) scenarioView {
	label, _ := cases.LabelOf(cases.ProblemTypes, string(sc.Type))
	v := scenarioView{ID: sc.ID, Title: sc.Title, Scene: sc.Scene, Type: string(sc.Type), TypeName: label,
		Platform: string(sc.Customer.Platform), Emotion: string(sc.Customer.Emotion)}
	if full {
		v.Scenario = sc
	}
	return v
}

func (s *Server) trainingScenarios(w http.ResponseWriter, r *http.Request) error {
	sp, err := s.space()
	if err != nil {
		return err
	}
	full := actorOf(r).CanApprove()
	out := []scenarioView{}
	for _, sc := range sp.Scenarios().All() {
		out = append(out, viewScenario(sc, full))
	}
	writeJSON(w, http.StatusOK, map[string]any{"scenarios": out})
	return nil
}

func (s *Server) trainingScenario(w http.ResponseWriter, r *http.Request) error {
	sp, err := s.space()
	if err != nil {
		return err
	}
	sc, ok := sp.Scenarios().Get(r.PathValue("id"))
	if !ok {
		return apiError(http.StatusNotFound, "not_found", "没有这个场景")
	}
	writeJSON(w, http.StatusOK, viewScenario(sc, true))
	return nil
}

func (s *Server) trainingAssign(w http.ResponseWriter, r *http.Request) error {
	sp, err := s.space()
	if err != nil {
		return err
	}
	var body struct {
		Trainee   string   `json:"trainee"`
		Scenarios []string `json:"scenarios"`
		Exam      bool     `json:"exam"`
	}
	if err := s.decodeJSON(r, &body); err != nil {
		return err
	}
	if body.Trainee != "" {
		if _, err := s.auth.UserByName(r.Context(), body.Trainee); err != nil {
			return fieldError("trainee", "没有这个学员: "+body.Trainee)
		}
	}
	list, err := sp.Assign(r.Context(), actorOf(r), body.Trainee, body.Scenarios, body.Exam)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"assignments": list})
	return nil
}

func (s *Server) trainingAssignments(w http.ResponseWriter, r *http.Request) error {
	sp, err := s.space()
	if err != nil {
		return err
	}
	list, err := sp.Assignments(r.Context(), actorOf(r), r.URL.Query().Get("trainee"))
	if err != nil {
		return err
	}
	if list == nil {
		list = []store.TrainingAssignment{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"assignments": list})
	return nil
}

func (s *Server) trainingStart(w http.ResponseWriter, r *http.Request) error {
	sp, err := s.space()
	if err != nil {
		return err
	}
	var body struct {
		ScenarioID   string `json:"scenario_id"`
		AssignmentID int64  `json:"assignment_id"`
	}
	if err := s.decodeJSON(r, &body); err != nil {
		return err
	}
	if body.ScenarioID == "" && body.AssignmentID == 0 {
		return fieldError("scenario_id", "请选择场景或布置的任务")
	}
	a, err := sp.Start(r.Context(), actorOf(r), body.ScenarioID, body.AssignmentID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, a)
	return nil
}

func (s *Server) trainingAttempts(w http.ResponseWriter, r *http.Request) error {
	sp, err := s.space()
	if err != nil {
		return err
	}
	list, err := sp.Attempts(r.Context(), actorOf(r), r.URL.Query().Get("trainee"))
	if err != nil {
		return err
	}
	if list == nil {
		list = []store.TrainingAttempt{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"attempts": list})
	return nil
}

// attemptView is an attempt with its score card (live until finished) and its clock.
type attemptView struct {
	Attempt store.TrainingAttempt `json:"attempt"`
	Now     time.Time             `json:"now"`
	Score   training.Card         `json:"score"`
}

func (s *Server) trainingAttempt(w http.ResponseWriter, r *http.Request) error {
	return s.attemptAction(w, r, func(ctx context.Context, sp *training.Space, id int64) (store.TrainingAttempt, training.Card, error) {
		return sp.Card(ctx, actorOf(r), id)
	})
}

func (s *Server) trainingFinish(w http.ResponseWriter, r *http.Request) error {
	return s.attemptAction(w, r, func(ctx context.Context, sp *training.Space, id int64) (store.TrainingAttempt, training.Card, error) {
		return sp.Finish(ctx, actorOf(r), id)
	})
}

func (s *Server) trainingSkip(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		Hours int `json:"hours"`
	}
	if err := s.decodeJSON(r, &body); err != nil {
		return err
	}
	return s.attemptAction(w, r, func(ctx context.Context, sp *training.Space, id int64) (store.TrainingAttempt, training.Card, error) {
		if _, err := sp.Skip(ctx, actorOf(r), id, time.Duration(body.Hours)*time.Hour); err != nil {
			return store.TrainingAttempt{}, training.Card{}, err
		}
		return sp.Card(ctx, actorOf(r), id)
	})
}

func (s *Server) attemptAction(w http.ResponseWriter, r *http.Request, do func(ctx context.Context, sp *training.Space, id int64) (store.TrainingAttempt, training.Card, error)) error {
	sp, err := s.space()
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	a, card, err := do(r.Context(), sp, id)
	if err != nil {
		return err
	}
	d, _, err := sp.Desk(a)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, attemptView{Attempt: a, Now: d.Now().UTC(), Score: card})
	return nil
}

func (s *Server) trainingCompare(w http.ResponseWriter, r *http.Request) error {
	sp, err := s.space()
	if err != nil {
		return err
	}
	cmp, err := sp.BeforeAfter(r.Context(), actorOf(r), strings.TrimSpace(r.URL.Query().Get("trainee")))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, cmp)
	return nil
}

func (s *Server) trainingReplay(w http.ResponseWriter, r *http.Request) error {
	sp, err := s.space()
	if err != nil {
		return err
	}
	var body struct {
		CaseID int64  `json:"case_id"`
		ID     string `json:"id"`
	}
	if err := s.decodeJSON(r, &body); err != nil {
		return err
	}
	if cases.IsTrainingCase(body.CaseID) || body.CaseID <= 0 {
		return fieldError("case_id", "请填写一个已结案的真实工单号")
	}
	sc, err := sp.Replay(r.Context(), actorOf(r), body.CaseID, body.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, viewScenario(sc, true))
	return nil
}
