package training

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/execution"
	"github.com/shouhou/shouhou/internal/playbook"
)

// Slip is a deliberate mistake a scripted trainee makes (tests of the score card).
type Slip string

const (
	SlipNone          Slip = ""
	SlipSkipRetention Slip = "skip_retention" // goes for the return without 劝留
	SlipOverLimit     Slip = "over_limit"     // first offers compensation above the limits
	SlipBadRemark     Slip = "bad_remark"     // first writes a remark without 进度
)

// Model plays an attempt the way the SOP wants it, through the attempt's desks: the
// scripted "model trainee". With a slip it makes that one mistake and otherwise
// follows the SOP. It returns the first step it could not get past.
func (sp *Space) Model(ctx context.Context, trainee Actor, attemptID int64, slip Slip) error {
	m := &model{sp: sp, who: trainee, id: attemptID, slip: slip}
	return m.play(ctx)
}

type model struct {
	sp      *Space
	who     Actor
	id      int64
	slip    Slip
	caseID  int64
	sc      *Scenario
	flows   *playbook.Set
	slipped bool
}

func (m *model) desk(ctx context.Context) (*desk.Desk, error) {
	a, err := m.sp.Attempt(ctx, m.who, m.id)
	if err != nil {
		return nil, err
	}
	d, sc, err := m.sp.Desk(a)
	m.caseID, m.sc = a.CaseID, sc
	return d, err
}

func (m *model) do(ctx context.Context, typ cases.EventType, payload any) error {
	d, err := m.desk(ctx)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(payload)
	if err != nil {
		return err
	}
	if _, _, err := d.Append(ctx, m.who, m.caseID, desk.AnyVersion, typ, raw); err != nil {
		return fmt.Errorf("%s: %w", typ, err)
	}
	return nil
}

func (m *model) say(ctx context.Context, text, intent string) error {
	return m.do(ctx, cases.EvMessageOut, cases.MessagePayload{Text: text, Intent: intent})
}

func (m *model) play(ctx context.Context) error {
	if _, err := m.desk(ctx); err != nil {
		return err
	}
	sc := m.sc
	m.flows = m.sp.o.Flows
	// The first answer comes at once: soothing when the customer is upset, else a
	// greeting (seed 004: welcome within seconds).
	first, intent := "您好，很高兴为您服务，我这边马上帮您查看处理。", "greeting"
	if sc.Customer.Emotion != cases.EmotionCalm {
		first, intent = "非常理解您的心情，给您添麻烦了，请您放心，我一定全程跟进，尽快给您处理好。", "soothe"
	}
	if err := m.say(ctx, first, intent); err != nil {
		return err
	}
	if sc.AsksReturn {
		if err := m.do(ctx, cases.EvReturnAsked, cases.NotePayload{Text: "顾客要求退货退款"}); err != nil {
			return err
		}
	}
	if len(sc.Photos) > 0 {
		if err := m.askPhotos(ctx); err != nil {
			return err
		}
	}
	for range 40 {
		d, err := m.desk(ctx)
		if err != nil {
			return err
		}
		c, _, g, err := d.Guide(ctx, m.caseID)
		if err != nil {
			return err
		}
		if g.Finished || g.Step == nil {
			return m.finish(ctx)
		}
		flow, _ := m.flows.ForType(c.Type)
		step := stepOf(flow, g.Step.ID)
		if c.Stage != step.Stage {
			if err := m.do(ctx, cases.EvStageChanged, cases.StageChangedPayload{To: step.Stage}); err != nil {
				return err
			}
		}
		before := c.Version
		if err := m.step(ctx, c, step, g); errors.Is(err, errGaveUp) {
			return m.finish(ctx) // the flow waits for the 劝留 this trainee never makes
		} else if err != nil {
			return fmt.Errorf("step %s: %w", step.ID, err)
		}
		if after, err := d.Get(ctx, m.caseID); err != nil {
			return err
		} else if after.Version == before {
			return fmt.Errorf("stuck at step %s of flow %s", step.ID, flow.ID)
		}
	}
	return errors.New("the flow did not end")
}

// errGaveUp: the trainee left the flow (the skip-retention slip) and wraps the case up.
var errGaveUp = errors.New("left the flow")

func stepOf(f *playbook.Flow, id string) *playbook.Step {
	for i := range f.Steps {
		if f.Steps[i].ID == id {
			return &f.Steps[i]
		}
	}
	return nil
}

// askPhotos asks for the photos and, when the customer sends them later, skips the
// practice clock to then.
func (m *model) askPhotos(ctx context.Context) error {
	labels := make([]string, len(m.sc.Photos))
	for i, k := range m.sc.Photos {
		labels[i] = evidenceLabel(k)
	}
	if err := m.say(ctx, "麻烦您拍一下"+strings.Join(labels, "、")+"发给我，我这边马上帮您核实处理。", "verify"); err != nil {
		return err
	}
	if m.sc.PhotosAfterHours > 0 {
		if _, err := m.sp.Skip(ctx, m.who, m.id, time.Duration(m.sc.PhotosAfterHours)*time.Hour); err != nil {
			return err
		}
	}
	return nil
}

func (m *model) step(ctx context.Context, c cases.Case, step *playbook.Step, g playbook.Guide) error {
	if len(g.MissingEvidence) > 0 {
		return fmt.Errorf("evidence %v missing: the scenario's photos must cover the flow", g.MissingEvidence)
	}
	for _, q := range g.Questions {
		value, err := m.answer(ctx, q)
		if err != nil {
			return err
		}
		if err := m.do(ctx, cases.EvFactRecorded, cases.FactPayload{Key: q.Key, Value: value}); err != nil {
			return err
		}
	}
	for _, ev := range step.Done.Events {
		if err := m.event(ctx, c, ev, g); err != nil {
			return err
		}
	}
	for _, intent := range step.Done.Messages {
		if err := m.say(ctx, intentTexts[intent], intent); err != nil {
			return err
		}
	}
	if step.Done.Remark {
		if err := m.remark(ctx); err != nil {
			return err
		}
	}
	if step.Done.Register {
		if err := m.do(ctx, cases.EvRegistered, cases.NotePayload{Text: "已登记售后登记表"}); err != nil {
			return err
		}
	}
	return nil
}

var intentTexts = map[string]string{
	"soothe":   "非常理解您的心情，给您添麻烦了，我们马上为您处理。",
	"tracking": "亲，给您寄出的包裹单号已经同步到订单啦，请注意查收哦~",
	"inform":   "亲，查询到退款已经原路退回了，请您查看一下支付账户哦~",
}

// answer finds out a fact the step asks: a hidden fact is asked in the chat first
// (the customer tells it); the retention result is the customer's answer to the offer.
func (m *model) answer(ctx context.Context, q playbook.Ask) (string, error) {
	if f, ok := m.sc.Fact(q.Key); ok {
		if err := m.say(ctx, "想跟您确认一下"+f.Ask[0]+"的情况，方便说一下吗？", "verify"); err != nil {
			return "", err
		}
		return f.Value, nil
	}
	if v, ok := m.sc.Findings[q.Key]; ok {
		return v, nil // found out with the factory, courier, warehouse or back office
	}
	if q.Key == "retention_result" {
		d, err := m.desk(ctx)
		if err != nil {
			return "", err
		}
		log, err := d.Events(ctx, m.caseID, 0, 0)
		if err != nil {
			return "", err
		}
		n := 0
		for _, e := range log {
			if e.Type == cases.EvRetention {
				n++
			}
		}
		if n > 0 && m.sc.RetentionKept(n) {
			return "kept", nil
		}
		return "not_kept", nil
	}
	return "", fmt.Errorf("the scenario has no fact %q for the question 「%s」", q.Key, q.Question)
}

func (m *model) event(ctx context.Context, c cases.Case, ev cases.EventType, g playbook.Guide) error {
	switch ev {
	case cases.EvRetention:
		if m.slip == SlipSkipRetention {
			m.slipped = true
			// Straight to the return: the desk refuses both and records the refusals.
			_ = m.do(ctx, cases.EvReasonGuided, cases.ReasonPayload{Reason: "seven_days_no_reason"})
			_ = m.do(ctx, cases.EvSolutionAccept, cases.SolutionPayload{Kind: "return_refund", Amount: c.Amount})
			return errGaveUp
		}
		return m.do(ctx, cases.EvRetention, cases.SolutionPayload{Kind: "compensation", Amount: Yuan(m.sc.Model.Retention)})
	case cases.EvReasonGuided:
		reason := m.sc.Model.Reason
		if reason == "" {
			reason = "seven_days_no_reason"
		}
		return m.do(ctx, cases.EvReasonGuided, cases.ReasonPayload{Reason: reason})
	case cases.EvSolutionAccept:
		return m.settle(ctx, c, g)
	}
	return m.do(ctx, ev, cases.NotePayload{})
}

func (o Offer) payload() cases.SolutionPayload {
	p := cases.SolutionPayload{Kind: o.Kind, Amount: Yuan(o.Amount)}
	if len(o.Items) > 0 {
		p.Data = &execution.Data{Items: o.Items}
	}
	return p
}

// settle offers what the customer turns down, then what they accept, records their
// answers and carries the solution out as far as the model says.
func (m *model) settle(ctx context.Context, c cases.Case, g playbook.Guide) error {
	if m.slip == SlipOverLimit && !m.slipped {
		m.slipped = true
		_ = m.do(ctx, cases.EvSolutionOffer, cases.SolutionPayload{Kind: "compensation", Amount: c.Amount * 2})
	}
	for _, r := range m.sc.Model.Refused {
		if err := m.do(ctx, cases.EvSolutionOffer, r.payload()); err != nil {
			return err
		}
		if err := m.do(ctx, cases.EvSolutionRefuse, r.payload()); err != nil {
			return err
		}
	}
	acc := m.sc.Model.Accept
	if acc == nil {
		return errors.New("the scenario's model accepts no solution here")
	}
	sol := acc.payload()
	if sol.Kind == "return_refund" && sol.Amount == 0 {
		sol.Amount = c.Amount
	}
	if !slices.Contains([]string{"return_refund", "refund_only"}, sol.Kind) {
		if err := m.do(ctx, cases.EvSolutionOffer, sol); err != nil {
			return err
		}
	}
	if err := m.do(ctx, cases.EvSolutionAccept, sol); err != nil {
		return err
	}
	return m.carry(ctx)
}

func (m *model) carry(ctx context.Context) error {
	var t execution.Transition
	switch m.sc.Model.Carry {
	case "":
		return nil
	case "paid":
		t = execution.Transition{To: execution.StatePaid, Data: execution.Data{Reference: "PX" + m.sc.Customer.OrderNo, Payee: &execution.Payee{Channel: execution.PayPlatform}}}
	case "shipped":
		t = execution.Transition{To: execution.StateShipped, Data: execution.Data{Courier: "中通", TrackingNo: m.sc.Model.TrackingNo}}
	}
	d, err := m.desk(ctx)
	if err != nil {
		return err
	}
	c, err := d.Get(ctx, m.caseID)
	if err != nil {
		return err
	}
	if len(c.Executions) == 0 {
		return errors.New("accepting opened no execution")
	}
	x := c.Executions[len(c.Executions)-1]
	t.SolutionID, t.From = x.ID, x.State
	_, _, err = d.Step(ctx, m.who, m.caseID, t)
	return err
}

func (m *model) remark(ctx context.Context) error {
	d, err := m.desk(ctx)
	if err != nil {
		return err
	}
	if c, err := d.Get(ctx, m.caseID); err == nil && c.Remarked() {
		return nil
	}
	if m.slip == SlipBadRemark && !m.slipped {
		m.slipped = true
		_, _, _ = d.Remark(ctx, m.who, m.caseID, desk.AnyVersion, "已处理")
	}
	_, _, err = d.Remark(ctx, m.who, m.caseID, desk.AnyVersion, m.sc.Model.Remark)
	return err
}

// finish registers (every case is registered before closing), closes, and makes the
// 回访 visit.
func (m *model) finish(ctx context.Context) error {
	if err := m.remark(ctx); err != nil {
		return err
	}
	d, err := m.desk(ctx)
	if err != nil {
		return err
	}
	log, err := d.Events(ctx, m.caseID, 0, 0)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(log, func(e cases.Event) bool { return e.Type == cases.EvRegistered }) {
		if err := m.do(ctx, cases.EvRegistered, cases.NotePayload{Text: "已登记售后登记表"}); err != nil {
			return err
		}
	}
	if d, err = m.desk(ctx); err != nil {
		return err
	}
	if _, _, err := d.Close(ctx, m.who, m.caseID, desk.AnyVersion, ""); err != nil {
		return fmt.Errorf("close: %w", err)
	}
	solved := true
	_, _, err = d.FollowUp(ctx, m.who, m.caseID, desk.AnyVersion, cases.FollowUpPayload{CSAT: 5, Solved: &solved, Comment: "回访满意"})
	return err
}
