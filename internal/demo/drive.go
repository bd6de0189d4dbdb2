package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"slices"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/execution"
	"github.com/shouhou/shouhou/internal/money"
	"github.com/shouhou/shouhou/internal/playbook"
)

// Blobs stores the demo's evidence photos (blob.Dir does).
type Blobs interface {
	Put(ctx context.Context, r io.Reader, limit int64) (hash string, size int64, err error)
}

// plan is how one sample case goes. The driver walks the case's real flow with the
// desk's guide: at each step it does what the step asks (stage, evidence, answers,
// messages, the solution, remark, register) with the plan's choices, so the samples
// can never drift from the flows: a flow that changes either still plays or fails the
// demo's test with the step it got stuck at.
type plan struct {
	answers     map[string]string       // fact key → value; unnamed questions take the first answer
	returnAsked bool                    // the customer asks to return first (劝留 and 原因引导 follow)
	retention   money.Amount            // the 劝留 offer (default 10元)
	reason      string                  // 原因引导 (default quality for quality types, else seven_days_no_reason)
	accept      *cases.SolutionPayload  // the solution the customer accepts (default the guide's first allowed one)
	refused     []cases.SolutionPayload // offers the customer turns down first
	exec        []execution.Transition  // how far the accepted solution is carried out (From/SolutionID filled in)
	remark      string                  // the remark (问题描述+进度), matching exec
	stopAt      string                  // step id where the case stays open ("" runs the flow to its end)
	stopBefore  bool                    // at stopAt, stay in the previous stage (a case not yet worked on)
	replies     []string                // the customer's messages after the first
	end         string                  // after the flow: "close", "followup" or "" (stays open, flow finished)
}

// intentTexts are the messages the driver sends when a step waits for a message.
var intentTexts = map[string]string{
	"soothe":   "非常理解您的心情，请您先别生气，我这边会尽力帮助您的。",
	"tracking": "亲，给您补发/换货的包裹已经寄出啦，单号已同步到订单，请注意查收哦~",
	"inform":   "亲，查询到退款已经原路退回了，请您查看一下支付账户哦~",
}

// drive plays plan p on case id through d, following the guide of flows.
func drive(ctx context.Context, d *desk.Desk, flows *playbook.Set, blobs Blobs, actor desk.Actor, id int64, p plan) error {
	for _, text := range p.replies {
		if err := appendEvent(ctx, d, actor, id, cases.EvMessageIn, cases.MessagePayload{Text: text}); err != nil {
			return err
		}
	}
	if p.returnAsked {
		if err := appendEvent(ctx, d, actor, id, cases.EvReturnAsked, cases.NotePayload{Text: "顾客要求退货退款"}); err != nil {
			return err
		}
	}
	for range 60 {
		c, _, g, err := d.Guide(ctx, id)
		if err != nil {
			return err
		}
		if g.Step == nil {
			return fmt.Errorf("no flow for %s", c.Type)
		}
		if g.Finished {
			return finish(ctx, d, actor, c, p)
		}
		flow, _ := flows.ForType(c.Type)
		step := stepOf(flow, g.Step.ID)
		if g.Step.ID == p.stopAt && p.stopBefore {
			return nil
		}
		if c.Stage != step.Stage {
			if err := appendEvent(ctx, d, actor, id, cases.EvStageChanged, cases.StageChangedPayload{To: step.Stage}); err != nil {
				return err
			}
		}
		if g.Step.ID == p.stopAt {
			return nil
		}
		before := c.Version
		if err := doStep(ctx, d, blobs, actor, c, step, g, p); err != nil {
			return fmt.Errorf("step %s: %w", step.ID, err)
		}
		if after, err := d.Get(ctx, id); err != nil {
			return err
		} else if after.Version == before {
			return fmt.Errorf("stuck at step %s of flow %s", step.ID, flow.ID)
		}
	}
	return fmt.Errorf("case %d: the flow did not end", id)
}

func stepOf(f *playbook.Flow, id string) *playbook.Step {
	for i := range f.Steps {
		if f.Steps[i].ID == id {
			return &f.Steps[i]
		}
	}
	return nil
}

// doStep does what one step waits for.
func doStep(ctx context.Context, d *desk.Desk, blobs Blobs, actor desk.Actor, c cases.Case, step *playbook.Step, g playbook.Guide, p plan) error {
	for _, need := range g.MissingEvidence {
		if err := addPhoto(ctx, d, blobs, actor, c, need); err != nil {
			return err
		}
	}
	for _, q := range g.Questions {
		v, ok := p.answers[q.Key]
		if !ok {
			v = q.Values[0].Value
		}
		if err := appendEvent(ctx, d, actor, c.ID, cases.EvFactRecorded, cases.FactPayload{Key: q.Key, Value: v}); err != nil {
			return err
		}
	}
	for _, ev := range step.Done.Events {
		var err error
		switch ev {
		case cases.EvRetention:
			amount := p.retention
			if amount == 0 {
				amount = money.Yuan(10)
			}
			err = appendEvent(ctx, d, actor, c.ID, cases.EvRetention, cases.SolutionPayload{Kind: "compensation", Amount: amount})
		case cases.EvReasonGuided:
			reason := p.reason
			if reason == "" {
				reason = "seven_days_no_reason" // the SOP steers away from 质量问题 (shop rating)
			}
			err = appendEvent(ctx, d, actor, c.ID, cases.EvReasonGuided, cases.ReasonPayload{Reason: reason})
		case cases.EvSolutionAccept:
			err = settle(ctx, d, actor, c, g, p)
		default:
			err = appendEvent(ctx, d, actor, c.ID, ev, cases.NotePayload{})
		}
		if err != nil {
			return err
		}
	}
	for _, intent := range step.Done.Messages {
		if err := appendEvent(ctx, d, actor, c.ID, cases.EvMessageOut, cases.MessagePayload{Text: intentTexts[intent], Intent: intent}); err != nil {
			return err
		}
	}
	if step.Done.Remark {
		text := p.remark
		if text == "" {
			text = label(cases.ProblemTypes, string(c.Type)) + "，已处理"
		}
		if _, _, err := d.Remark(ctx, actor, c.ID, desk.AnyVersion, text); err != nil {
			return err
		}
	}
	if step.Done.Register {
		if err := appendEvent(ctx, d, actor, c.ID, cases.EvRegistered, cases.NotePayload{Text: "已登记售后登记表"}); err != nil {
			return err
		}
	}
	return nil
}

// settle offers what the customer turns down, then the accepted solution, and carries
// it out as far as the plan says.
func settle(ctx context.Context, d *desk.Desk, actor desk.Actor, c cases.Case, g playbook.Guide, p plan) error {
	for _, r := range p.refused {
		if err := appendEvent(ctx, d, actor, c.ID, cases.EvSolutionOffer, r); err != nil {
			return err
		}
		if err := appendEvent(ctx, d, actor, c.ID, cases.EvSolutionRefuse, r); err != nil {
			return err
		}
	}
	sol := p.accept
	if sol == nil {
		for _, o := range g.Solutions {
			if o.Blocked == "" && !o.Refused && o.Kind != cases.SolutionRetention {
				sol = &cases.SolutionPayload{Kind: o.Kind, Amount: o.Min}
				break
			}
		}
	}
	if sol == nil {
		return fmt.Errorf("no solution to accept among %v", g.Solutions)
	}
	if sol.Kind == "compensation" || sol.Kind == "exchange" || sol.Kind == "reship" {
		if err := appendEvent(ctx, d, actor, c.ID, cases.EvSolutionOffer, *sol); err != nil {
			return err
		}
	}
	if err := appendEvent(ctx, d, actor, c.ID, cases.EvSolutionAccept, *sol); err != nil {
		return err
	}
	for _, t := range p.exec {
		cur, err := d.Get(ctx, c.ID)
		if err != nil {
			return err
		}
		if len(cur.Executions) == 0 {
			return fmt.Errorf("accepting %s opened no execution", sol.Kind)
		}
		newest := cur.Executions[len(cur.Executions)-1]
		t.SolutionID, t.From = newest.ID, newest.State
		if _, _, err := d.Step(ctx, actor, c.ID, t); err != nil {
			return fmt.Errorf("%s → %s: %w", newest.State, t.To, err)
		}
	}
	return nil
}

// finish ends a case whose flow is done as the plan says.
func finish(ctx context.Context, d *desk.Desk, actor desk.Actor, c cases.Case, p plan) error {
	if p.end != "close" && p.end != "followup" {
		return nil
	}
	// Some flows end at the remark; the SOP still registers every case before it is
	// closed.
	_, events, _, err := d.Guide(ctx, c.ID)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(events, func(e cases.Event) bool { return e.Type == cases.EvRegistered }) {
		if err := appendEvent(ctx, d, actor, c.ID, cases.EvRegistered, cases.NotePayload{Text: "已登记售后登记表"}); err != nil {
			return err
		}
	}
	if _, _, err := d.Close(ctx, actor, c.ID, desk.AnyVersion, ""); err != nil {
		return err
	}
	if p.end == "followup" {
		// The 回访 visit comes after closing.
		solved := true
		_, _, err = d.FollowUp(ctx, actor, c.ID, desk.AnyVersion, cases.FollowUpPayload{CSAT: 5, Solved: &solved, Comment: "回访满意"})
	}
	return err
}

func appendEvent(ctx context.Context, d *desk.Desk, actor desk.Actor, id int64, typ cases.EventType, payload any) error {
	raw, err := json.Marshal(payload)
	if err != nil {
		return err
	}
	if _, _, err := d.Append(ctx, actor, id, desk.AnyVersion, typ, raw); err != nil {
		return fmt.Errorf("%s: %w", typ, err)
	}
	return nil
}

// evidenceColors tint the demo's placeholder photos by kind.
var evidenceColors = map[string]color.RGBA{
	"six_sides": {0xd9, 0xc8, 0xa9, 0xff}, "waybill": {0xf2, 0xf2, 0xf2, 0xff}, "contents": {0xb8, 0xd4, 0xe3, 0xff}, "video": {0x33, 0x33, 0x33, 0xff},
}

// addPhoto stores a small generated picture as the missing evidence (a demo has no
// customer photos) and records it on the case.
func addPhoto(ctx context.Context, d *desk.Desk, blobs Blobs, actor desk.Actor, c cases.Case, need playbook.Need) error {
	if blobs == nil {
		return fmt.Errorf("evidence %s needed but no blob store", need.Kind)
	}
	img := image.NewRGBA(image.Rect(0, 0, 160, 120))
	col := evidenceColors[need.Kind]
	for y := 0; y < 120; y++ {
		for x := 0; x < 160; x++ {
			c := col
			if (x/20+y/20)%2 == 0 {
				c.R, c.G, c.B = c.R-20, c.G-20, c.B-20
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return err
	}
	hash, size, err := blobs.Put(ctx, bytes.NewReader(buf.Bytes()), int64(buf.Len())+1)
	if err != nil {
		return err
	}
	ev := cases.Evidence{Hash: hash, Name: need.Label + ".png", Mime: "image/png", Size: size, Kind: need.Kind}
	_, err = d.AddEvidence(ctx, actor, c.ID, desk.AnyVersion, ev)
	return err
}

func label(list []cases.Code, code string) string {
	if i := slices.IndexFunc(list, func(c cases.Code) bool { return c.Code == code }); i >= 0 {
		return list[i].Label
	}
	return code
}
