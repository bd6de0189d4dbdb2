// Package demo fills a fresh database with realistic sample cases: every problem type
// of SOP §8 (except pre-sale), several platforms and every stage, created through the
// desk so that each case has a real event log.
package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/shouhou/shouhou/internal/auth"
	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/execution"
	"github.com/shouhou/shouhou/internal/money"
	"github.com/shouhou/shouhou/internal/store"
)

// Credential is a demo user's sign-in.
type Credential struct {
	Username, Password string
	Role               store.Role
}

// Users are the demo's people; the passwords are printed when the demo starts.
var Users = []Credential{
	{"admin", "shouhou-admin", store.RoleAdmin},
	{"laowang", "shouhou-demo", store.RoleSupervisor},
	{"xiaomei", "shouhou-demo", store.RoleAgent},
	{"xiaoli", "shouhou-demo", store.RoleAgent},
}

// step is one thing an agent did on a sample case.
type step struct {
	typ     cases.EventType
	payload any
}

func msgOut(text, intent string) step {
	return step{cases.EvMessageOut, cases.MessagePayload{Text: text, Intent: intent}}
}
func msgIn(text string) step   { return step{cases.EvMessageIn, cases.MessagePayload{Text: text}} }
func stage(s cases.Stage) step { return step{cases.EvStageChanged, cases.StageChangedPayload{To: s}} }
func fact(k, v string) step    { return step{cases.EvFactRecorded, cases.FactPayload{Key: k, Value: v}} }
func remark(text string) step  { return step{cases.EvRemarkAdded, cases.RemarkPayload{Text: text}} }
func registered() step {
	return step{cases.EvRegistered, cases.NotePayload{Text: "已登记售后登记表"}}
}
func offer(kind string, yuan int64) step {
	return step{cases.EvSolutionOffer, cases.SolutionPayload{Kind: kind, Amount: money.Yuan(yuan)}}
}
func accept(kind string, yuan int64) step {
	return step{cases.EvSolutionAccept, cases.SolutionPayload{Kind: kind, Amount: money.Yuan(yuan)}}
}
func reship(items ...string) step {
	return step{cases.EvSolutionAccept, cases.SolutionPayload{Kind: "reship", Data: &execution.Data{Items: items}}}
}

// advance moves the newest execution of the case to state `to` with data.
func advance(to execution.State, data execution.Data) step {
	return step{cases.EvExecStepped, execution.Transition{To: to, Data: data}}
}

var closeCase = step{typ: cases.EvClosed}

// sample is one demo case.
type sample struct {
	agent   string
	in      cases.Intake
	message string
	steps   []step
	ageHrs  int
}

// Seed creates the demo users and cases through desks built from opts (with a clock of
// their own, so the sample history spreads over the past days). It is meant for an
// empty database.
func Seed(ctx context.Context, opts desk.Opts, am *auth.Manager, now time.Time) error {
	for _, u := range Users {
		if _, err := am.AddUser(ctx, auth.NewUser{Username: u.Username, Role: u.Role, Password: u.Password, DisplayName: displayNames[u.Username]}); err != nil {
			return fmt.Errorf("demo user %s: %w", u.Username, err)
		}
	}
	for i, s := range samples(now) {
		at := now.Add(-time.Duration(s.ageHrs) * time.Hour)
		tick := func() time.Time { at = at.Add(7 * time.Minute); return at }
		o := opts
		o.Now = tick
		d := desk.New(o)
		if err := play(ctx, d, s); err != nil {
			return fmt.Errorf("demo case %d (%s): %w", i, s.in.OrderNo, err)
		}
	}
	return nil
}

func advanceNewest(ctx context.Context, d *desk.Desk, actor desk.Actor, id int64, t execution.Transition) error {
	c, err := d.Get(ctx, id)
	if err != nil || len(c.Executions) == 0 {
		return fmt.Errorf("no execution to advance: %w", err)
	}
	newest := c.Executions[len(c.Executions)-1]
	t.SolutionID, t.From = newest.ID, newest.State
	_, _, err = d.Step(ctx, actor, id, t)
	return err
}

var displayNames = map[string]string{"admin": "管理员", "laowang": "王主管", "xiaomei": "小美", "xiaoli": "小李"}

func play(ctx context.Context, d *desk.Desk, s sample) error {
	actor := desk.Actor{Name: s.agent, Role: store.RoleAgent}
	c, _, err := d.Create(ctx, actor, desk.NewCase{Intake: s.in, FirstMessage: s.message})
	if err != nil {
		return err
	}
	for _, st := range s.steps {
		switch st.typ {
		case cases.EvRemarkAdded:
			_, _, err = d.Remark(ctx, actor, c.ID, desk.AnyVersion, st.payload.(cases.RemarkPayload).Text)
		case cases.EvClosed:
			_, _, err = d.Close(ctx, actor, c.ID, desk.AnyVersion, "")
		case cases.EvExecStepped:
			err = advanceNewest(ctx, d, actor, c.ID, st.payload.(execution.Transition))
		default:
			raw, _ := json.Marshal(st.payload)
			_, _, err = d.Append(ctx, actor, c.ID, desk.AnyVersion, st.typ, raw)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", st.typ, err)
		}
	}
	return nil
}
