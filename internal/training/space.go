package training

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/dispatch"
	"github.com/shouhou/shouhou/internal/notify"
	"github.com/shouhou/shouhou/internal/playbook"
	"github.com/shouhou/shouhou/internal/quality"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/store/sqlstore"
	"github.com/shouhou/shouhou/internal/validation"
)

// Records is what the training space keeps in the shop's own store (migration
// 00028): assignments, attempts with their clocks and score cards, replayed scenarios.
type Records interface {
	CreateAssignment(ctx context.Context, a store.TrainingAssignment) (store.TrainingAssignment, error)
	Assignment(ctx context.Context, id int64) (store.TrainingAssignment, error)
	Assignments(ctx context.Context, trainee string) ([]store.TrainingAssignment, error)
	CreateAttempt(ctx context.Context, a store.TrainingAttempt) (store.TrainingAttempt, error)
	Attempt(ctx context.Context, id int64) (store.TrainingAttempt, error)
	AttemptByCase(ctx context.Context, caseID int64) (store.TrainingAttempt, error)
	Attempts(ctx context.Context, trainee string) ([]store.TrainingAttempt, error)
	AdvanceAttempt(ctx context.Context, id int64, by time.Duration) (store.TrainingAttempt, error)
	FinishAttempt(ctx context.Context, id int64, at time.Time, points, maxPoints int, card []byte) (bool, error)
	SaveScenario(ctx context.Context, sc store.TrainingScenario) error
	Scenarios(ctx context.Context) ([]store.TrainingScenario, error)
}

// Blobs stores the simulated customer's photos (blob.Store does).
type Blobs interface {
	Put(ctx context.Context, r io.Reader, limit int64) (hash string, size int64, err error)
}

// RealCases reads a closed real case for a replay (the real desk).
type RealCases interface {
	Get(ctx context.Context, id int64) (cases.Case, error)
	Events(ctx context.Context, id, afterSeq int64, limit int) ([]cases.Event, error)
}

// Opts are the training space's dependencies.
type Opts struct {
	// Desk is the real desk's configuration; the space's desks take its SOP, money
	// rules, scripts, SLA and calendar, and none of its team outputs (notifications,
	// webhooks, dispatch, alerts, the scheduler's alarm, the server's clock control).
	Desk desk.Opts
	// Cases is the training space's own case store (an embedded database beside the
	// shop's): practice cases never share a table with real ones.
	Cases *sqlstore.Store
	// SOP is the shop's own store: the money policy an admin applied in the workbench
	// is in force for practice too, and practice cases belong to the shop's shops
	// (their {店铺名}, return addresses and overrides) and see the agents' profiles
	// (nil: the policy of Desk, the training space's own single shop).
	SOP ShopSide
	// Records is the shop's store (assignments, attempts, replayed scenarios).
	Records   Records
	Scenarios *Set
	Flows     *playbook.Set
	Blobs     Blobs
	Real      RealCases
	Logger    *slog.Logger
}

// Space is the training space: practice cases, each on its own clock.
type Space struct {
	o         Opts
	scenarios atomic.Pointer[Set]
}

// ErrNotYours refuses an attempt of another trainee to an agent.
var ErrNotYours = errors.New("not your attempt")

// ErrOff answers a training request on a server without a training space.
var ErrOff = errors.New("training is off")

// ErrExamTaken refuses a second attempt of an exam assignment.
var ErrExamTaken = errors.New("exam already taken")

// NewSpace builds the training space.
func NewSpace(ctx context.Context, o Opts) (*Space, error) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Desk.Now == nil {
		o.Desk.Now = time.Now
	}
	sp := &Space{o: o}
	set := o.Scenarios
	stored, err := o.Records.Scenarios(ctx)
	if err != nil {
		return nil, err
	}
	for _, st := range stored {
		sc, err := Parse([]byte(st.Body), st.ID+".yaml")
		if err == nil {
			err = sc.Validate(o.Flows)
		}
		if err != nil {
			o.Logger.WarnContext(ctx, "replayed scenario no longer valid", slog.String("id", st.ID), slog.Any("err", err))
			continue
		}
		set = set.With(sc)
	}
	sp.scenarios.Store(set)
	return sp, nil
}

// Scenarios is the scenarios in force.
func (sp *Space) Scenarios() *Set { return sp.scenarios.Load() }

// Desk is the desk of one attempt: the space's store, the shop's SOP, the attempt's
// clock (the server's clock plus the attempt's offset), refusals recorded and the
// simulated customer answering every move.
func (sp *Space) Desk(a store.TrainingAttempt) (*desk.Desk, *Scenario, error) {
	sc, ok := sp.Scenarios().Get(a.ScenarioID)
	if !ok {
		return nil, nil, fmt.Errorf("scenario %q: %w", a.ScenarioID, store.ErrNotFound)
	}
	o := sp.o.Desk
	base, offset := o.Now, a.Offset
	o.Store = sp.o.Cases
	if sp.o.SOP != nil {
		o.Store = shopPolicy{sp.o.Cases, sp.o.SOP}
	}
	o.Now = func() time.Time { return base().Add(offset) }
	o.Notify, o.Hub, o.DeliveryAlarm, o.Alarm = notify.Config{}, nil, nil, nil
	o.Quality, o.Dispatch, o.Users = quality.Config{}, dispatch.Config{}, nil
	o.ClockControl, o.AllowClockAdvance = nil, false
	o.RecordRefusals = true
	o.Observer = &customer{sc: sc, blobs: sp.o.Blobs, logger: sp.o.Logger}
	return desk.New(o), sc, nil
}

// ShopSide is what the training space reads from the shop's own store.
type ShopSide interface {
	desk.SOPStore
	desk.ShopStore
	AgentProfile(ctx context.Context, username string) (dispatch.Profile, error)
}

// shopPolicy is the training space's case store with the shop's SOP changes, shops
// and agent profiles: the practice cases are the space's, the money policy, the shops
// and who serves them the shop's. Shops are edited in the shop, never in practice.
type shopPolicy struct {
	*sqlstore.Store
	sop ShopSide
}

func (s shopPolicy) Shops(ctx context.Context) ([]store.Shop, error) { return s.sop.Shops(ctx) }

func (s shopPolicy) Shop(ctx context.Context, id int64) (store.Shop, error) {
	return s.sop.Shop(ctx, id)
}

func (s shopPolicy) ShopByCode(ctx context.Context, code string) (store.Shop, error) {
	return s.sop.ShopByCode(ctx, code)
}

func (s shopPolicy) CreateShop(context.Context, store.Shop) (store.Shop, error) {
	return store.Shop{}, errShopsInPractice
}

func (s shopPolicy) UpdateShop(context.Context, store.Shop) error { return errShopsInPractice }

func (s shopPolicy) AgentProfile(ctx context.Context, username string) (dispatch.Profile, error) {
	return s.sop.AgentProfile(ctx, username)
}

var errShopsInPractice = errors.New("training: shops are edited in the shop, not in practice")

func (s shopPolicy) SaveSOPChange(ctx context.Context, c store.SOPChange) (int64, error) {
	return s.sop.SaveSOPChange(ctx, c)
}

func (s shopPolicy) LatestSOPChange(ctx context.Context, kind string) (store.SOPChange, bool, error) {
	return s.sop.LatestSOPChange(ctx, kind)
}

func (s shopPolicy) SOPChanges(ctx context.Context, kind string, limit int) ([]store.SOPChange, error) {
	return s.sop.SOPChanges(ctx, kind, limit)
}

// Actor is who uses the training space.
type Actor = desk.Actor

func trainer(a Actor) bool { return a.CanApprove() }

// Assign gives scenarios to a trainee (exam: one attempt each, no hints).
func (sp *Space) Assign(ctx context.Context, by Actor, trainee string, scenarioIDs []string, exam bool) ([]store.TrainingAssignment, error) {
	if !trainer(by) {
		return nil, desk.ErrForbidden
	}
	var errs validation.Error
	if strings.TrimSpace(trainee) == "" {
		errs = append(errs, validation.FieldError{Field: "trainee", Message: "请选择学员"})
	} else if users := sp.o.Desk.Users; users != nil {
		// A trainee practises on the workbench: a user who can open it.
		u, err := users.UserByName(ctx, trainee)
		switch {
		case errors.Is(err, store.ErrNotFound):
			errs = append(errs, validation.FieldError{Field: "trainee", Message: "没有这个学员: " + trainee})
		case err != nil:
			return nil, err
		case u.Role == store.RoleWarehouse || u.Disabled:
			errs = append(errs, validation.FieldError{Field: "trainee", Message: "只能给能使用工作台的客服或主管布置培训: " + trainee})
		}
	}
	if len(scenarioIDs) == 0 {
		errs = append(errs, validation.FieldError{Field: "scenarios", Message: "请至少选择一个场景"})
	}
	for i, id := range scenarioIDs {
		if _, ok := sp.Scenarios().Get(id); !ok {
			errs = append(errs, validation.FieldError{Field: fmt.Sprintf("scenarios[%d]", i), Message: fmt.Sprintf("没有编号为 %q 的场景", id)})
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	now := sp.o.Desk.Now().UTC()
	var out []store.TrainingAssignment
	for _, id := range scenarioIDs {
		a, err := sp.o.Records.CreateAssignment(ctx, store.TrainingAssignment{Trainee: trainee, ScenarioID: id, Exam: exam, AssignedBy: by.Name, AssignedAt: now})
		if err != nil {
			return out, err
		}
		out = append(out, a)
	}
	return out, nil
}

// Assignments lists what a trainee was given (a trainer: anyone's, "" everyone's).
func (sp *Space) Assignments(ctx context.Context, by Actor, trainee string) ([]store.TrainingAssignment, error) {
	if !trainer(by) {
		trainee = by.Name
	}
	return sp.o.Records.Assignments(ctx, trainee)
}

// Start opens a practice case: free practice of a scenario, or an assignment (an
// exam assignment only once).
func (sp *Space) Start(ctx context.Context, by Actor, scenarioID string, assignmentID int64) (store.TrainingAttempt, error) {
	a := store.TrainingAttempt{Trainee: by.Name, ScenarioID: scenarioID, AssignmentID: assignmentID, StartedAt: sp.o.Desk.Now().UTC()}
	if assignmentID != 0 {
		as, err := sp.o.Records.Assignment(ctx, assignmentID)
		if err != nil {
			return a, err
		}
		if as.Trainee != by.Name {
			return a, ErrNotYours
		}
		a.ScenarioID, a.Exam = as.ScenarioID, as.Exam
	}
	d, sc, err := sp.Desk(a)
	if err != nil {
		return a, validation.Error{{Field: "scenario_id", Message: fmt.Sprintf("没有编号为 %q 的场景", a.ScenarioID)}}
	}
	if a.Exam {
		if taken, err := sp.examTaken(ctx, by.Name, assignmentID); err != nil || taken {
			return a, errors.Join(err, ErrExamTaken)
		}
	}
	in := sc.Intake(d.Now())
	if err := sp.placeInShop(ctx, by, &in); err != nil {
		return a, err
	}
	c, _, err := d.Create(ctx, desk.Actor{Name: CustomerActor, Role: store.RoleAgent}, desk.NewCase{
		Intake: in, Assignee: by.Name, FirstMessage: sc.Opening})
	if err != nil {
		return a, fmt.Errorf("open practice case: %w", err)
	}
	a.CaseID = c.ID
	a, err = sp.o.Records.CreateAttempt(ctx, a)
	if errors.Is(err, store.ErrDuplicate) {
		return a, ErrExamTaken
	}
	return a, err
}

// placeInShop puts a practice case in one of the shop's shops when there are several:
// one the trainee serves on the scenario's platform, else any on that platform, else
// the trainee's first (or the first) shop, whose platform the case then takes.
func (sp *Space) placeInShop(ctx context.Context, by Actor, in *cases.Intake) error {
	if sp.o.SOP == nil {
		return nil
	}
	shops, err := sp.o.SOP.Shops(ctx)
	if err != nil || len(shops) < 2 {
		return err
	}
	p, err := sp.o.SOP.AgentProfile(ctx, by.Name)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	serves := func(sh store.Shop) bool { return len(p.Shops) == 0 || slices.Contains(p.Shops, sh.ID) }
	for _, ok := range []func(store.Shop) bool{
		func(sh store.Shop) bool { return sh.Platform == in.Platform && serves(sh) },
		func(sh store.Shop) bool { return sh.Platform == in.Platform },
		serves,
		func(store.Shop) bool { return true },
	} {
		if i := slices.IndexFunc(shops, ok); i >= 0 {
			in.ShopID, in.Platform = shops[i].ID, shops[i].Platform
			return nil
		}
	}
	return nil
}

// examTaken: the exam assignment already has an attempt (checked before a practice
// case is opened; the store checks it again in the attempt's own transaction).
func (sp *Space) examTaken(ctx context.Context, trainee string, assignmentID int64) (bool, error) {
	as, err := sp.o.Records.Attempts(ctx, trainee)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(as, func(a store.TrainingAttempt) bool { return a.AssignmentID == assignmentID }), nil
}

// Attempt reads an attempt its trainee or a trainer may see.
func (sp *Space) Attempt(ctx context.Context, by Actor, id int64) (store.TrainingAttempt, error) {
	a, err := sp.o.Records.Attempt(ctx, id)
	if err != nil {
		return a, err
	}
	if a.Trainee != by.Name && !trainer(by) {
		return a, ErrNotYours
	}
	return a, nil
}

// Attempts lists a trainee's attempts (a trainer: anyone's, "" everyone's).
func (sp *Space) Attempts(ctx context.Context, by Actor, trainee string) ([]store.TrainingAttempt, error) {
	if !trainer(by) {
		trainee = by.Name
	}
	return sp.o.Records.Attempts(ctx, trainee)
}

// DeskForCase is the desk of the practice case id for by: its trainee, or a trainer
// (store.ErrNotFound for a case that is no practice case).
func (sp *Space) DeskForCase(ctx context.Context, by Actor, caseID int64) (*desk.Desk, store.TrainingAttempt, error) {
	a, err := sp.o.Records.AttemptByCase(ctx, caseID)
	if err != nil {
		return nil, a, err
	}
	if a.Trainee != by.Name && !trainer(by) {
		return nil, a, ErrNotYours
	}
	d, _, err := sp.Desk(a)
	return d, a, err
}

// DeskForPath is DeskForCase for the case id of a request's path: practice is false
// for a real case (or an id that is no number), which the shop's desk serves; a
// practice case on a server without a training space (sp nil) is ErrOff.
func (sp *Space) DeskForPath(ctx context.Context, by Actor, pathID string) (d *desk.Desk, a store.TrainingAttempt, practice bool, err error) {
	id, err := strconv.ParseInt(pathID, 10, 64)
	if err != nil || !cases.IsTrainingCase(id) {
		return nil, a, false, nil
	}
	if sp == nil {
		return nil, a, true, ErrOff
	}
	d, a, err = sp.DeskForCase(ctx, by, id)
	return d, a, true, err
}

// Skip moves an attempt's clock forward by by (e.g. 48 hours in one click): the
// case's timers that come due fire and the customer sends what they promised for
// later. Real cases and the server's clock are untouched.
func (sp *Space) Skip(ctx context.Context, actor Actor, id int64, by time.Duration) (store.TrainingAttempt, error) {
	a, err := sp.Attempt(ctx, actor, id)
	if err != nil {
		return a, err
	}
	if a.Trainee != actor.Name {
		return a, ErrNotYours
	}
	if by <= 0 || by > 30*24*time.Hour {
		return a, validation.Error{{Field: "hours", Message: "跳过的时长须在1小时到30天之间"}}
	}
	if a.FinishedAt != nil {
		return a, validation.Error{{Field: "attempt", Message: "本次练习已结束评分,不能再跳过时间"}}
	}
	if a, err = sp.o.Records.AdvanceAttempt(ctx, id, by); err != nil {
		return a, err
	}
	d, sc, err := sp.Desk(a)
	if err != nil {
		return a, err
	}
	if _, err := d.FireDueOf(ctx, a.CaseID); err != nil {
		return a, err
	}
	log, err := d.Events(ctx, a.CaseID, 0, 0)
	if err != nil {
		return a, err
	}
	(&customer{sc: sc, blobs: sp.o.Blobs, logger: sp.o.Logger}).say(ctx, d, a.CaseID, sc.Due(log, d.Now()))
	return a, nil
}

// Card computes the score card of an attempt from its case's log now.
func (sp *Space) Card(ctx context.Context, by Actor, id int64) (store.TrainingAttempt, Card, error) {
	a, err := sp.Attempt(ctx, by, id)
	if err != nil {
		return a, Card{}, err
	}
	if a.FinishedAt != nil && len(a.Card) > 0 {
		var card Card
		err := json.Unmarshal(a.Card, &card)
		return a, card, err
	}
	card, err := sp.score(ctx, a)
	return a, card, err
}

func (sp *Space) score(ctx context.Context, a store.TrainingAttempt) (Card, error) {
	d, sc, err := sp.Desk(a)
	if err != nil {
		return Card{}, err
	}
	c, log, g, err := d.Guide(ctx, a.CaseID)
	if err != nil {
		return Card{}, err
	}
	registers := false
	if f, ok := sp.o.Flows.ForType(c.Type); ok {
		registers = slices.ContainsFunc(f.Steps, func(s playbook.Step) bool { return s.Done.Register })
	}
	return Score(sc, Inputs{Case: c, Log: log, Guide: g, Registers: registers, Checks: d}), nil
}

// Finish ends an attempt and keeps its score card (the first score stands).
func (sp *Space) Finish(ctx context.Context, by Actor, id int64) (store.TrainingAttempt, Card, error) {
	a, err := sp.Attempt(ctx, by, id)
	if err != nil {
		return a, Card{}, err
	}
	if a.Trainee != by.Name {
		return a, Card{}, ErrNotYours
	}
	if a.FinishedAt != nil {
		return sp.Card(ctx, by, id)
	}
	card, err := sp.score(ctx, a)
	if err != nil {
		return a, card, err
	}
	raw, err := json.Marshal(card)
	if err != nil {
		return a, card, err
	}
	// Finished at the server's time (as it was started), not the practice clock's.
	if _, err := sp.o.Records.FinishAttempt(ctx, id, sp.o.Desk.Now().UTC(), card.Points, card.Max, raw); err != nil {
		return a, card, err
	}
	return sp.Card(ctx, by, id)
}

// Compare is the before/after of a trainee: per rule, the first finished attempt's
// points against the latest's.
type Compare struct {
	Trainee string        `json:"trainee"`
	First   int64         `json:"first_attempt"`
	Latest  int64         `json:"latest_attempt"`
	Rules   []CompareLine `json:"rules"`
}

// CompareLine is one rule of the before/after.
type CompareLine struct {
	Rule   string `json:"rule"`
	Title  string `json:"title"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// BeforeAfter compares a trainee's first and latest finished attempts rule by rule.
func (sp *Space) BeforeAfter(ctx context.Context, by Actor, trainee string) (Compare, error) {
	if !trainer(by) {
		trainee = by.Name
	}
	out := Compare{Trainee: trainee}
	all, err := sp.o.Records.Attempts(ctx, trainee)
	if err != nil {
		return out, err
	}
	all = slices.DeleteFunc(all, func(a store.TrainingAttempt) bool { return a.FinishedAt == nil || len(a.Card) == 0 })
	if len(all) == 0 {
		return out, nil
	}
	first, latest := all[0], all[len(all)-1]
	out.First, out.Latest = first.ID, latest.ID
	var fc, lc Card
	if err := errors.Join(json.Unmarshal(first.Card, &fc), json.Unmarshal(latest.Card, &lc)); err != nil {
		return out, err
	}
	for _, l := range fc.Lines {
		after, _ := lc.Line(l.Rule)
		out.Rules = append(out.Rules, CompareLine{Rule: l.Rule, Title: l.Title, Before: pointsText(l), After: pointsText(after)})
	}
	return out, nil
}

func pointsText(l Line) string {
	if !l.Applies {
		return "不适用"
	}
	return fmt.Sprintf("%d/%d", l.Points, l.Max)
}

// customer is the simulated customer of one attempt: after every committed move of
// the trainee it answers in the case's chat (and sends photos when asked).
type customer struct {
	sc     *Scenario
	blobs  Blobs
	logger *slog.Logger
}

func (cu *customer) Committed(ctx context.Context, d *desk.Desk, c cases.Case, events []cases.Event) {
	if !slices.ContainsFunc(events, byTrainee) {
		return
	}
	log, err := d.Events(ctx, c.ID, 0, 0)
	if err != nil {
		cu.logger.WarnContext(ctx, "simulated customer cannot read the case", slog.Any("err", err))
		return
	}
	cu.say(ctx, d, c.ID, cu.sc.Answer(log, events, d))
}

func (cu *customer) say(ctx context.Context, d *desk.Desk, id int64, replies []Reply) {
	who := desk.Actor{Name: CustomerActor, Role: store.RoleAgent}
	for _, r := range replies {
		if r.Text != "" {
			raw, _ := json.Marshal(cases.MessagePayload{Text: r.Text})
			if _, _, err := d.Append(ctx, who, id, desk.AnyVersion, cases.EvMessageIn, raw); err != nil {
				cu.logger.WarnContext(ctx, "simulated customer message not recorded", slog.Any("err", err))
			}
		}
		for _, kind := range r.Photos {
			if err := cu.photo(ctx, d, who, id, kind); err != nil {
				cu.logger.WarnContext(ctx, "simulated customer photo not recorded", slog.Any("err", err))
			}
		}
	}
}

var photoColors = map[string]color.RGBA{
	"six_sides": {0xd9, 0xc8, 0xa9, 0xff}, "waybill": {0xf2, 0xf2, 0xf2, 0xff}, "contents": {0xb8, 0xd4, 0xe3, 0xff}, "video": {0x33, 0x33, 0x33, 0xff},
}

// photo stores a small generated picture as the customer's photo of that kind.
func (cu *customer) photo(ctx context.Context, d *desk.Desk, who desk.Actor, id int64, kind string) error {
	if cu.blobs == nil {
		return errors.New("no evidence store")
	}
	img := image.NewRGBA(image.Rect(0, 0, 120, 90))
	col := photoColors[kind]
	for y := range 90 {
		for x := range 120 {
			c := col
			if (x/15+y/15)%2 == 0 {
				c.R, c.G, c.B = c.R-24, c.G-24, c.B-24
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return err
	}
	hash, size, err := cu.blobs.Put(ctx, bytes.NewReader(buf.Bytes()), int64(buf.Len())+1)
	if err != nil {
		return err
	}
	ev := cases.Evidence{Hash: hash, Name: evidenceLabel(kind) + ".png", Mime: "image/png", Size: size, Kind: kind}
	_, err = d.AddEvidence(ctx, who, id, desk.AnyVersion, ev)
	return err
}
